import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kfree, kmalloc } from '../../../src/kernel/api/mm.js';
import { IRQ_HANDLED, irq_create_of_mapping, request_irq } from '../../../src/kernel/irq/api.js';
import { GFP_ATOMIC, GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { st_be32 } from '../../../src/kernel/memaccess.js';
import {
  in_atomic, in_interrupt, in_irq, in_softirq, in_task, irqs_disabled, local_bh_disable, local_bh_enable, local_irq_disable,
  local_irq_enable, local_irq_restore, local_irq_save, might_sleep, preempt_count, preempt_disable, preempt_enable,
} from '../../../src/kernel/sched/api/context.js';
import { mutex, mutex_lock, mutex_unlock } from '../../../src/kernel/sched/api/mutex.js';
import { spinlock_t, spin_lock, spin_lock_bh, spin_lock_irqsave, spin_unlock, spin_unlock_bh, spin_unlock_irqrestore } from '../../../src/kernel/sched/api/spinlock.js';
import { msleep, usleep_range } from '../../../src/kernel/time/api/clock.js';
import { INIT_WORK, schedule_work, work_struct } from '../../../src/kernel/time/api/workqueue.js';
import { mod_timer, timer_list, timer_setup } from '../../../src/kernel/time/api/timer.js';
import { jiffies } from '../../../src/kernel/time/api/clock.js';
import { addToyDevice, irqBoard, ok, reportsOf } from './helpers.js';

function lineOf(marker: string): number {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  return lines.findIndex((l: string) => l.includes(marker) && !l.includes('lineOf(')) + 1;
}

describe('execution contexts', () => {
  it('process, hardirq, softirq (timer), kworker and irq-thread contexts answer like Linux', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 29);
    const seen: Record<string, unknown> = {};
    const snap = () => ({ irq: in_irq(), softirq: in_softirq(), interrupt: in_interrupt(), task: in_task(), atomic: in_atomic(), off: irqs_disabled(), pc: preempt_count() });
    const work = new work_struct();
    const timer = new timer_list();
    ok(b.run(() => {
      seen['process'] = snap();
      request_irq(irq_create_of_mapping([29, 2, 0, 0]), () => {
        seen['hardirq'] = snap();
        st_be32(regs, 1);
        return IRQ_HANDLED;
      }, 0, 'ctx', dev);
      st_be32(regs + 4, 1);
      INIT_WORK(work, () => void (seen['work'] = snap()));
      timer_setup(timer, () => void (seen['timer'] = snap()), 0);
      mod_timer(timer, jiffies() + 1);
      schedule_work(work);
      local_bh_disable();
      seen['bh'] = snap();
      local_bh_enable();
    }));
    dev.raise(1);
    ok(b.kernel.idle(20_000_000));
    const proc = { irq: false, softirq: false, interrupt: false, task: true, atomic: false, off: false, pc: 0 };
    expect(seen['process']).toEqual(proc);
    expect(seen['work']).toEqual(proc);
    expect(seen['hardirq']).toEqual({ irq: true, softirq: false, interrupt: true, task: false, atomic: true, off: true, pc: 0x10000 });
    expect(seen['timer']).toEqual({ irq: false, softirq: true, interrupt: true, task: false, atomic: true, off: false, pc: 0x100 });
    expect(seen['bh']).toEqual({ irq: false, softirq: true, interrupt: true, task: false, atomic: true, off: false, pc: 0x200 });
    expect(b.reports).toEqual([]);
  });

  it('local_irq_save/restore nest; restoring with interrupts on WARNs (CONFIG_DEBUG_IRQFLAGS)', () => {
    const b = irqBoard();
    ok(b.run(() => {
      const f1 = local_irq_save();
      const f2 = local_irq_save();
      expect(irqs_disabled()).toBe(true);
      local_irq_restore(f2);
      expect(irqs_disabled()).toBe(true);
      local_irq_restore(f1);
      expect(irqs_disabled()).toBe(false);
      local_irq_disable();
      local_irq_enable();
    }));
    expect(b.reports).toEqual([]);
    ok(b.run(() => local_irq_restore(local_irq_save() & ~0x8000)));
    ok(b.run(() => {
      local_irq_enable();
      local_irq_restore(0x29000);
    }));
    expect(reportsOf(b, 'irqflags.restore-with-irqs-enabled')[0]!.title).toBe('raw_local_irq_restore() called with IRQs enabled');
  });
});

describe('sleeping in atomic context', () => {
  it('mutex_lock under a spinlock: "BUG: sleeping function called from invalid context" with Linux\'s lines', () => {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->lock');
    const m = new mutex('&priv->mutex');
    ok(b.run(function toy_xmit() {
      spin_lock(lock); // LOCK-LINE
      mutex_lock(m); // BUG-LINE
      mutex_unlock(m);
      spin_unlock(lock);
    }));
    const r = reportsOf(b, 'sched.might-sleep');
    expect(r).toHaveLength(1);
    const lines = r[0]!.text.split('\n');
    expect(lines[0]).toBe('BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580');
    expect(lines[1]).toBe('in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 1, name: swapper');
    expect(lines[2]).toBe('preempt_count: 1, expected: 0');
    expect(lines[3]).toBe('RCU nest depth: 0, expected: 0');
    expect(lines[4]).toBe('1 lock held by swapper/1:');
    expect(lines[5]).toMatch(new RegExp(`^ #0: c07[0-9a-f]{5} \\(&priv->lock\\)\\{\\+\\.\\+\\.\\}-\\{2:2\\}, at: toy_xmit\\+0x[0-9a-f]+/0x[0-9a-f]+ \\(test/kernel/sched/atomic\\.test\\.ts:${lineOf('LOCK-LINE')}\\)$`));
    expect(lines[6]).toBe('Preemption disabled at:');
    expect(lines[7]).toMatch(/^\[<c0[0-9a-f]{6}>\] toy_xmit\+0x/);
    expect(r[0]!.text).toMatch(/Call Trace:\n.*mutex_lock.*\n.*toy_xmit.*atomic\.test\.ts/);
    expect(r[0]!.trace.find((f) => f.user)?.line).toBe(lineOf('BUG-LINE'));
  });

  it('a driver\'s own might_sleep() names its own line; in a hardirq handler it shows the hardirq count', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 30);
    ok(b.run(() => {
      request_irq(irq_create_of_mapping([30, 0, 0, 0]), function toy_irq() {
        st_be32(regs, 1);
        might_sleep(); // MS-LINE
        return IRQ_HANDLED;
      }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(100_000));
    const r = reportsOf(b, 'sched.might-sleep')[0]!;
    expect(r.title).toBe(`BUG: sleeping function called from invalid context at test/kernel/sched/atomic.test.ts:${lineOf('MS-LINE')}`);
    expect(r.text).toContain('in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 0, name: swapper/0');
    expect(r.text).toContain('preempt_count: 10000, expected: 0');
    expect(r.text).toContain('irq event stamp:');
    expect(r.text).toMatch(/Preemption disabled at:\n\[<[0-9a-f]{8}>\] irq_enter_rcu\+0x/);
  });

  it('msleep with a spinlock held is "BUG: scheduling while atomic"; usleep_range with interrupts off too', () => {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->lock');
    ok(b.run(() => {
      spin_lock(lock);
      msleep(1);
      spin_unlock(lock);
    }));
    const r = reportsOf(b, 'sched.scheduling-while-atomic');
    expect(r[0]!.title).toBe('BUG: scheduling while atomic: swapper/1/0x00000002');
    expect(r[0]!.text).toContain('1 lock held by swapper/1:');
    expect(r[0]!.text).toContain('Modules linked in:');
    const b2 = irqBoard();
    ok(b2.run(() => {
      const f = spin_lock_irqsave(new spinlock_t('&l'));
      usleep_range(10, 20);
      void f;
    }));
    expect(reportsOf(b2, 'sched.scheduling-while-atomic')[0]!.title).toBe('BUG: scheduling while atomic: swapper/1/0x00000002');
  });

  it('a GFP_KERNEL allocation in an interrupt handler might sleep (might_alloc); GFP_ATOMIC is fine', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 31);
    let gfp = GFP_ATOMIC;
    ok(b.run(() => {
      request_irq(irq_create_of_mapping([31, 0, 0, 0]), () => {
        st_be32(regs, 1);
        kfree(kmalloc(64, gfp));
        return IRQ_HANDLED;
      }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(100_000));
    expect(b.reports).toEqual([]);
    gfp = GFP_KERNEL;
    dev.raise(1);
    ok(b.kernel.idle(100_000));
    expect(reportsOf(b, 'sched.might-sleep')[0]!.title).toBe('BUG: sleeping function called from invalid context at include/linux/sched/mm.h:306');
  });

  it('returning from the dispatch with a lock held is scheduling while atomic', () => {
    const b = irqBoard();
    ok(b.run(() => spin_lock_bh(new spinlock_t('&leak'))));
    if (process.env['DRIVERLAB_SHOW']) console.log(b.reports.map((r) => r.text).join('\n\n'));
    expect(reportsOf(b, 'sched.scheduling-while-atomic')[0]!.title).toBe('BUG: scheduling while atomic: swapper/1/0x00000202');
  });

  it('sleeping where sleeping is allowed is not caught: process context, kworkers, IRQ threads', () => {
    const b = irqBoard();
    const m = new mutex('&m');
    const work = new work_struct();
    ok(b.run(() => {
      mutex_lock(m);
      msleep(10);
      usleep_range(100, 200);
      mutex_unlock(m);
      preempt_disable();
      preempt_enable();
      INIT_WORK(work, () => {
        mutex_lock(m);
        msleep(2);
        mutex_unlock(m);
      });
      schedule_work(work);
      const bh = new spinlock_t('&bh');
      spin_lock_bh(bh);
      spin_unlock_bh(bh);
    }));
    expect(b.reports).toEqual([]);
  });

  it('might_sleep reports at most once a second, as Linux rate-limits it', () => {
    const b = irqBoard();
    const m = new mutex('&m');
    const l = new spinlock_t('&l');
    ok(b.run(() => {
      spin_lock(l);
      mutex_lock(m);
      mutex_unlock(m);
      mutex_lock(m);
      mutex_unlock(m);
      spin_unlock(l);
    }));
    expect(reportsOf(b, 'sched.might-sleep')).toHaveLength(1);
    ok(b.kernel.idle(1_100_000_000));
    ok(b.run(() => {
      spin_lock(l);
      mutex_lock(m);
      mutex_unlock(m);
      spin_unlock(l);
    }));
    expect(reportsOf(b, 'sched.might-sleep')).toHaveLength(2);
  });
});
