/** The example reports of docs/interrupts.md (run with DRIVERLAB_SHOW=1 to print them). */
import { expect, it } from 'vitest';
import { IRQ_HANDLED, IRQ_NONE, enable_irq, disable_irq, irq_create_of_mapping, request_irq, synchronize_irq } from '../../../src/kernel/irq/api.js';
import { ld_be32, st_be32 } from '../../../src/kernel/memaccess.js';
import { mutex, mutex_lock, mutex_unlock } from '../../../src/kernel/sched/api/mutex.js';
import { spinlock_t, spin_lock, spin_unlock } from '../../../src/kernel/sched/api/spinlock.js';
import { cpu_relax } from '../../../src/kernel/sched/api/context.js';
import { msleep } from '../../../src/kernel/time/api/clock.js';
import { addToyDevice, irqBoard } from './helpers.js';
it('produces the documented example reports', () => {
  const out: string[] = [];
  const dump = (b: ReturnType<typeof irqBoard>) => { for (const r of b.reports) out.push(`### ${r.id}\n${r.text}`); };
  {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->lock'); const m = new mutex('&priv->cfg_mutex');
    b.run(function toy_set_mac() { spin_lock(lock); mutex_lock(m); mutex_unlock(m); spin_unlock(lock); });
    dump(b);
  }
  {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->lock');
    b.run(function toy_reset() { spin_lock(lock); msleep(10); spin_unlock(lock); });
    dump(b);
  }
  {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 29);
    b.run(function toy_probe() { request_irq(irq_create_of_mapping([29, 2, 0, 0]), function toy_irq() { return IRQ_NONE; }, 0, 'toy', dev); st_be32(regs + 4, 1); });
    dev.raise(1); b.kernel.idle(1e9); dump(b);
  }
  {
    const b = irqBoard();
    b.run(function toy_probe() { const i = irq_create_of_mapping([30, 2, 0, 0]); request_irq(i, function toy_irq() { return IRQ_HANDLED; }, 0, 'toy', {}); request_irq(i, function other_irq() { return IRQ_HANDLED; }, 0x80, 'other', {}); disable_irq(i); enable_irq(i); enable_irq(i); });
    dump(b);
  }
  {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 31);
    const lock = new spinlock_t('&priv->lock');
    b.run(function toy_probe() { request_irq(irq_create_of_mapping([31, 0, 0, 0]), function toy_irq() { spin_lock(lock); st_be32(regs, 1); spin_unlock(lock); return IRQ_HANDLED; }, 0, 'toy', dev); st_be32(regs + 4, 1); });
    dev.raise(1); b.kernel.idle(1e5);
    b.run(function toy_start_xmit() { spin_lock(lock); spin_unlock(lock); });
    dump(b);
  }
  {
    const b = irqBoard();
    const { regs } = addToyDevice(b, 32);
    b.run(function toy_wait_ready() { while (!(ld_be32(regs) & 0x80)) cpu_relax(); });
    dump(b);
  }
  {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 33);
    b.run(function toy_probe() { request_irq(irq_create_of_mapping([33, 0, 0, 0]), function toy_irq(n: number) { st_be32(regs, 1); synchronize_irq(n); return IRQ_HANDLED; }, 0, 'toy', dev); st_be32(regs + 4, 1); });
    dev.raise(1); b.kernel.idle(1e5); dump(b);
  }
  if (process.env['DRIVERLAB_SHOW']) console.log(out.join('\n\n'));
  expect(out.map((o) => o.split('\n')[0])).toEqual([
    '### sched.might-sleep',
    '### sched.scheduling-while-atomic',
    '### irq.nobody-cared',
    '### irq.flags-mismatch',
    '### irq.unbalanced-enable',
    '### lockdep.inconsistent-lock-state',
    '### sched.soft-lockup',
    '### irq.sync-self',
  ]);
});
