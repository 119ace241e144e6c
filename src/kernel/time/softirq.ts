/**
 * Softirqs: the ten vectors (HI, TIMER, NET_TX, NET_RX, ..., RCU), raising them, running them on
 * hardirq exit and at local_bh_enable, with Linux's limits (10 restarts or 2 ms, then ksoftirqd),
 * and the ksoftirqd/0 thread. NET_RX/NET_TX have no action until NAPI opens them. Left out:
 * per-vector time accounting and the RT variant.
 */
import { SOFTIRQ_OFFSET } from '../context.js';
import type { Kernel } from '../kernel.js';
import { KernelOops } from '../report/reporter.js';
import { hex8 } from '../report/hash.js';
import type { KThread } from '../sched/scheduler.js';

/** High-priority tasklets. */
export const HI_SOFTIRQ = 0;
/** Timer wheel expiry. */
export const TIMER_SOFTIRQ = 1;
/** Network transmit completion (NAPI, later). */
export const NET_TX_SOFTIRQ = 2;
/** Network receive (NAPI poll, later). */
export const NET_RX_SOFTIRQ = 3;
/** Block layer completions. */
export const BLOCK_SOFTIRQ = 4;
/** irq_poll. */
export const IRQ_POLL_SOFTIRQ = 5;
/** Tasklets. */
export const TASKLET_SOFTIRQ = 6;
/** Scheduler load balancing. */
export const SCHED_SOFTIRQ = 7;
/** hrtimers. */
export const HRTIMER_SOFTIRQ = 8;
/** RCU callbacks. */
export const RCU_SOFTIRQ = 9;
/** Number of softirq vectors. */
export const NR_SOFTIRQS = 10;
/** Names as /proc/softirqs prints them. */
export const SOFTIRQ_NAMES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'] as const;

/** `MAX_SOFTIRQ_RESTART`. */
const MAX_SOFTIRQ_RESTART = 10;
/** `MAX_SOFTIRQ_TIME`: 2 ms. */
const MAX_SOFTIRQ_TIME_NS = 2_000_000;

/** A softirq action. */
export type SoftirqAction = () => void;

/** The softirq machinery of CPU 0. */
export class Softirqs {
  /** `local_softirq_pending()`. */
  pending = 0;
  /** Times each vector ran (/proc/softirqs). */
  readonly counts = new Array<number>(NR_SOFTIRQS).fill(0);
  private readonly actions: (SoftirqAction | null)[] = new Array<SoftirqAction | null>(NR_SOFTIRQS).fill(null);
  private ksoftirqd: KThread | null = null;

  constructor(private readonly k: Kernel) {}

  /** Create ksoftirqd/0 (after the scheduler exists). */
  start(): void {
    this.ksoftirqd = this.k.sched.createKthread('ksoftirqd/0', { fifo: false, body: () => this.ksoftirqdBody() });
  }

  /** `open_softirq(nr, action)`. */
  open(nr: number, action: SoftirqAction): void {
    this.actions[nr] = action;
  }

  /** `raise_softirq_irqoff(nr)`: mark pending; outside interrupt context, wake ksoftirqd. */
  raise(nr: number): void {
    this.pending |= 1 << nr;
    if (!this.k.ctx.inInterrupt() && this.ksoftirqd) this.k.sched.wake(this.ksoftirqd);
  }

  /** `irq_exit()`: run pending softirqs (interrupts still disabled on entry). */
  irqExit(): void {
    if (this.pending !== 0) this.doSoftirq();
  }

  /** `do_softirq()` from process context (local_bh_enable): only outside interrupt context. */
  runFromProcess(): void {
    const ctx = this.k.ctx;
    if (this.pending === 0 || ctx.inInterrupt()) return;
    const saved = ctx.irqsDisabled;
    ctx.irqsDisabled = true;
    try {
      this.doSoftirq();
    } finally {
      ctx.irqsDisabled = saved;
    }
  }

  /**
   * `__do_softirq()`: with SOFTIRQ_OFFSET in preempt_count and interrupts enabled, run every pending
   * vector, restarting while new ones are raised (at most 10 times or 2 ms), then leave the rest to
   * ksoftirqd. Exceptions are oopses in interrupt context.
   */
  doSoftirq(): void {
    const k = this.k;
    const ctx = k.ctx;
    const sched = k.sched;
    const start = sched.clock.now();
    let restart = MAX_SOFTIRQ_RESTART;
    if (ctx.preemptCount === 0) sched.preemptOffAt = { site: null, api: '__do_softirq' };
    ctx.preemptCount += SOFTIRQ_OFFSET;
    sched.lockdep.irqTrace('softirqs-off', '__do_softirq');
    try {
      for (;;) {
        let p = this.pending;
        this.pending = 0;
        ctx.irqsDisabled = false;
        for (let nr = 0; p !== 0; nr++, p >>>= 1) {
          if (!(p & 1)) continue;
          const action = this.actions[nr];
          this.counts[nr] = this.counts[nr]! + 1;
          if (!action) continue;
          const before = ctx.preemptCount;
          try {
            action();
          } catch (e) {
            throw e instanceof KernelOops ? e : k.oopsFor(e);
          }
          if (ctx.preemptCount !== before) {
            k.log.err(`huh, entered softirq ${nr} ${SOFTIRQ_NAMES[nr]} ${hex8(0)} with preempt_count ${hex8(before)}, exited with ${hex8(ctx.preemptCount)}?`);
            ctx.preemptCount = before;
          }
        }
        ctx.irqsDisabled = true;
        if (this.pending === 0) break;
        if (sched.clock.now() - start < MAX_SOFTIRQ_TIME_NS && --restart > 0) continue;
        if (this.ksoftirqd) sched.wake(this.ksoftirqd);
        break;
      }
    } finally {
      ctx.preemptCount -= SOFTIRQ_OFFSET;
      sched.lockdep.irqTrace('softirqs-on', '__do_softirq');
    }
  }

  /** `run_ksoftirqd()`: one round, then yield; still pending (a disabled tasklet re-raising) keeps it runnable. */
  private ksoftirqdBody(): void {
    const ctx = this.k.ctx;
    if (this.pending === 0) return;
    ctx.irqsDisabled = true;
    this.doSoftirq();
    ctx.irqsDisabled = false;
    if (this.pending !== 0 && this.ksoftirqd) this.k.sched.wake(this.ksoftirqd);
  }
}
