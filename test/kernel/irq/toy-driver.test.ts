/**
 * A correct toy driver — a periodic timer, a work item, and an interrupt line shared by two
 * instances — written as a Linux driver would be. It must run without a single report.
 */
import { describe, expect, it } from 'vitest';
import { kfree, kzalloc } from '../../../src/kernel/api/mm.js';
import { IRQF_SHARED, IRQ_HANDLED, IRQ_NONE, free_irq, irq_of_parse_and_map, request_irq } from '../../../src/kernel/irq/api.js';
import { ld_be32, st_be32 } from '../../../src/kernel/memaccess.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { mutex, mutex_init, mutex_lock, mutex_unlock } from '../../../src/kernel/sched/api/mutex.js';
import { spin_lock, spin_lock_init, spin_lock_irqsave, spin_unlock, spin_unlock_irqrestore, spinlock_t } from '../../../src/kernel/sched/api/spinlock.js';
import { HZ, jiffies, msleep } from '../../../src/kernel/time/api/clock.js';
import { del_timer_sync, mod_timer, timer_list, timer_setup } from '../../../src/kernel/time/api/timer.js';
import { INIT_WORK, cancel_work_sync, schedule_work, work_struct } from '../../../src/kernel/time/api/workqueue.js';
import { addToyDeviceOn, irqBoard, mpicOf, wiredOr } from './helpers.js';

const ST_RX = 0x1;
const REG_STATUS = 0;
const REG_MASK = 4;
const STAT_RX = 0; // offsets in the private stats block
const STAT_TICKS = 4;
const STAT_SEEN = 8;

interface ToyPriv {
  regs: number;
  stats: number;
  irq: number;
  lock: spinlock_t;
  cfg: mutex;
  timer: timer_list;
  work: work_struct;
  stopping: boolean;
}

function toy_irq(_irq: number, priv: ToyPriv): number {
  const status = ld_be32(priv.regs + REG_STATUS);
  if (!(status & ST_RX)) return IRQ_NONE; // the other device on the shared line
  st_be32(priv.regs + REG_STATUS, ST_RX);
  spin_lock(priv.lock);
  st_be32(priv.stats + STAT_RX, ld_be32(priv.stats + STAT_RX) + 1);
  spin_unlock(priv.lock);
  schedule_work(priv.work);
  return IRQ_HANDLED;
}

function toy_timer(priv: ToyPriv): void {
  const flags = spin_lock_irqsave(priv.lock);
  st_be32(priv.stats + STAT_TICKS, ld_be32(priv.stats + STAT_TICKS) + 1);
  spin_unlock_irqrestore(priv.lock, flags);
  if (!priv.stopping) mod_timer(priv.timer, jiffies() + HZ / 10);
}

function toy_work(priv: ToyPriv): void {
  mutex_lock(priv.cfg);
  const flags = spin_lock_irqsave(priv.lock);
  const rx = ld_be32(priv.stats + STAT_RX);
  spin_unlock_irqrestore(priv.lock, flags);
  msleep(1); // e.g. talk to a PHY
  st_be32(priv.stats + STAT_SEEN, rx);
  mutex_unlock(priv.cfg);
}

function toy_probe(regs: number, node: { name: string; interrupts: number[] }): ToyPriv {
  const priv: ToyPriv = {
    regs,
    stats: kzalloc(16, GFP_KERNEL)!,
    irq: irq_of_parse_and_map(node, 0),
    lock: spin_lock_init(new spinlock_t()),
    cfg: mutex_init(new mutex()),
    timer: new timer_list(),
    work: new work_struct(),
    stopping: false,
  };
  INIT_WORK(priv.work, () => toy_work(priv));
  timer_setup(priv.timer, () => toy_timer(priv), 0);
  const rc = request_irq(priv.irq, toy_irq, IRQF_SHARED, 'toy', priv);
  if (rc) throw new Error(`request_irq: ${rc}`);
  st_be32(priv.regs + REG_MASK, ST_RX);
  mod_timer(priv.timer, jiffies() + HZ / 10);
  return priv;
}

function toy_remove(priv: ToyPriv): void {
  st_be32(priv.regs + REG_MASK, 0);
  priv.stopping = true;
  del_timer_sync(priv.timer);
  free_irq(priv.irq, priv);
  cancel_work_sync(priv.work);
  kfree(priv.stats);
}

describe('a correct toy driver', () => {
  it('timer + work item + shared interrupt: everything runs, nothing is reported', () => {
    const b = irqBoard();
    const share = wiredOr(mpicOf(b).input(45));
    const a = addToyDeviceOn(b, share(), 'toy-a');
    const c = addToyDeviceOn(b, share(), 'toy-b');
    const node = { name: '/soc@ffe00000/toy', interrupts: [45, 2, 0, 0] };
    const [pa, pc] = (() => {
      const r = b.run(() => [toy_probe(a.regs, node), toy_probe(c.regs, node)] as const);
      if (!r.ok) throw new Error(r.oops.text);
      return r.value;
    })();
    expect(pa.irq).toBe(pc.irq);
    // Device activity over a second: bursts on both, sometimes at the same time.
    for (let i = 1; i <= 40; i++) {
      b.machine.events.scheduleIn(i * 23_000_000, 'rx-a', () => a.dev.raise(ST_RX));
      if (i % 3 === 0) b.machine.events.scheduleIn(i * 23_000_000, 'rx-b', () => c.dev.raise(ST_RX));
    }
    const r = b.kernel.idle(1_000_000_000);
    if (!r.ok) throw new Error(r.oops.text);
    const stats = b.run(() => [pa, pc].map((p) => ({ rx: ld_be32(p.stats + STAT_RX), ticks: ld_be32(p.stats + STAT_TICKS), seen: ld_be32(p.stats + STAT_SEEN) })));
    if (!stats.ok) throw new Error(stats.oops.text);
    expect(stats.value[0]!.rx).toBe(40);
    expect(stats.value[1]!.rx).toBe(13);
    for (const s of stats.value) {
      expect(s.ticks).toBeGreaterThanOrEqual(9);
      expect(s.seen).toBe(s.rx);
    }
    expect(b.kernel.irq.procInterrupts()).toMatch(/ 45: +\d+ +OpenPIC +45 Level +toy, toy$/m);
    const rm = b.run(() => {
      toy_remove(pa);
      toy_remove(pc);
    });
    if (!rm.ok) throw new Error(rm.oops.text);
    expect(b.kernel.idle(1_000_000_000).ok).toBe(true);
    expect(b.reports).toEqual([]);
  });
});
