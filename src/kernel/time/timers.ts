/**
 * timer_list on simulated time: a timer armed for jiffy J fires at the tick where jiffies reaches J
 * (the next tick if J has passed), as the local timer interrupt raises TIMER_SOFTIRQ and the softirq
 * runs the expired timers. The tick is not periodic here: the local timer interrupts only when a
 * timer is due (NO_HZ idle taken all the way). Left out: the wheel's coarser granularity for far
 * timers, deferrable timers, migration, hrtimers as a separate API.
 */
import type { SimEvent } from '../../sim/events.js';
import type { Kernel } from '../kernel.js';
import { hex8 } from '../report/hash.js';
import { jiffies64At, jiffiesAt, timeOfJiffies64, unwrapJiffies } from './jiffies.js';
import { TIMER_SOFTIRQ } from './softirq.js';

/** `TIMER_IRQSAFE`: the callback runs with interrupts disabled; del_timer_sync may be called from hardirq. */
export const TIMER_IRQSAFE = 0x0020_0000;
/** `TIMER_DEFERRABLE` (accepted; fires like any other timer here). */
export const TIMER_DEFERRABLE = 0x0008_0000;
/** `TIMER_PINNED` (accepted; one CPU). */
export const TIMER_PINNED = 0x0010_0000;

/** `struct timer_list`. Create it, then `timer_setup(timer, callback, flags)`. */
export class timer_list {
  /** The callback (`timer->function`); set by timer_setup. */
  function: ((t: timer_list) => void) | null = null;
  /** Expiry in jiffies (32-bit). */
  expires = 0;
  /** TIMER_* flags. */
  flags = 0;
  /** Owner tag (the device whose driver set the timer up), for unbind checks. */
  _owner: string | null = null;
  /** What to call it in reports when it is not a plain timer (a delayed work item's timer). */
  _label: string | null = null;
  /** @internal armed event, while waiting for its tick */
  _event: SimEvent | null = null;
  /** @internal expired and queued for the timer softirq */
  _expired = false;
  /** @internal the kernel it is armed on */
  _kernel: Kernel | null = null;
}

/** The timer base of CPU 0. */
export class TimerBase {
  /** The local timer interrupt is pending (a timer fell due). */
  tickPending = false;
  /** Local timer interrupts taken (`LOC` in /proc/interrupts). */
  localTimerInterrupts = 0;
  /** The timer whose callback runs now (`base->running_timer`). */
  running: timer_list | null = null;
  private expired: timer_list[] = [];

  constructor(private readonly k: Kernel) {}

  /** Register the local timer as an interrupt source and open TIMER_SOFTIRQ. */
  start(): void {
    const k = this.k;
    k.sched.addInterruptSource({ name: 'timer', pending: () => this.tickPending, take: () => this.tick() });
    k.time.softirq.open(TIMER_SOFTIRQ, () => this.runTimers());
  }

  /** `timer_pending()`. */
  pending(t: timer_list): boolean {
    return t._event !== null || t._expired;
  }

  /** Timers armed (waiting or expired, not yet run) whose owner is `owner`. */
  pendingOwnedBy(owner: string): timer_list[] {
    return [...this.armed].filter((t) => t._owner === owner && this.pending(t));
  }

  private readonly armed = new Set<timer_list>();

  /** Arm (or re-arm) `t` for jiffy `expires`; returns whether it was pending. */
  mod(t: timer_list, expires: number): boolean {
    const was = this.detach(t);
    this.armed.add(t);
    t.expires = expires >>> 0;
    t._kernel = this.k;
    const ev = this.k.machine.events;
    const now = this.k.sched.clock.now();
    const now64 = jiffies64At(now);
    const at = Math.max(timeOfJiffies64(unwrapJiffies(t.expires, now64)), timeOfJiffies64(now64 + 1));
    t._event = ev.scheduleAt(at, 'timer', () => {
      t._event = null;
      t._expired = true;
      this.expired.push(t);
      this.tickPending = true;
      this.k.sched.interruptRaised();
    });
    return was;
  }

  /** Disarm `t`; returns whether it was pending. */
  detach(t: timer_list): boolean {
    this.armed.delete(t);
    let was = false;
    if (t._event) {
      this.k.machine.events.cancel(t._event);
      t._event = null;
      was = true;
    }
    if (t._expired) {
      t._expired = false;
      const i = this.expired.indexOf(t);
      if (i >= 0) this.expired.splice(i, 1);
      was = true;
    }
    return was;
  }

  /** The local timer interrupt: count it and raise TIMER_SOFTIRQ. */
  private tick(): void {
    this.k.sched.hardirq(() => {
      this.tickPending = false;
      this.localTimerInterrupts++;
      if (this.expired.length > 0) this.k.time.softirq.raise(TIMER_SOFTIRQ);
    });
  }

  /** `run_timer_softirq()`: run every expired timer, in expiry order. */
  private runTimers(): void {
    const k = this.k;
    const ctx = k.ctx;
    while (this.expired.length > 0) {
      const t = this.expired.shift()!;
      this.armed.delete(t);
      if (!t._expired) continue;
      t._expired = false;
      const fn = t.function;
      if (!fn) continue;
      this.running = t;
      const before = ctx.preemptCount;
      const irqsafe = (t.flags & TIMER_IRQSAFE) !== 0;
      if (irqsafe) ctx.irqsDisabled = true;
      try {
        fn(t);
      } finally {
        this.running = null;
        if (irqsafe) ctx.irqsDisabled = false;
      }
      if (ctx.preemptCount !== before) {
        k.reporter.warn({
          id: 'timer.preempt-leak',
          title: `timer: ${fn.name || '<anonymous>'} preempt leak: ${hex8(before)} -> ${hex8(ctx.preemptCount)}`,
          site: { file: 'kernel/time/timer.c', line: 1720 },
        });
        ctx.preemptCount = before;
      }
    }
  }

  /** The 32-bit jiffies now. */
  jiffies(): number {
    return jiffiesAt(this.k.sched.clock.now());
  }
}
