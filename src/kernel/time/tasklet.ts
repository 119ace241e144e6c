/**
 * Tasklets: deferred functions run once per schedule in TASKLET_SOFTIRQ (or HI_SOFTIRQ), never
 * concurrently with themselves, held off while disabled. Left out: the atomic-tasklet variants and
 * tasklet_unlock_spin_wait.
 */
import type { Kernel } from '../kernel.js';
import { HI_SOFTIRQ, TASKLET_SOFTIRQ } from './softirq.js';

const TASKLET_STATE_SCHED = 1;
const TASKLET_STATE_RUN = 2;

/** `struct tasklet_struct`. Initialise with tasklet_init() or tasklet_setup(). */
export class tasklet_struct {
  /** Old-style callback taking `data`. */
  func: ((data: unknown) => void) | null = null;
  /** New-style callback taking the tasklet (tasklet_setup). */
  callback: ((t: tasklet_struct) => void) | null = null;
  /** Argument of an old-style callback. */
  data: unknown = undefined;
  /** Disable count (tasklet_disable / tasklet_enable). */
  count = 0;
  /** @internal TASKLET_STATE_* bits */
  _state = 0;
}

/** The tasklet lists of CPU 0. */
export class Tasklets {
  private vec: tasklet_struct[] = [];
  private hiVec: tasklet_struct[] = [];

  constructor(private readonly k: Kernel) {}

  /** Open the two softirqs. */
  start(): void {
    this.k.time.softirq.open(TASKLET_SOFTIRQ, () => this.action(false));
    this.k.time.softirq.open(HI_SOFTIRQ, () => this.action(true));
  }

  /** True while scheduled and not yet run. */
  scheduled(t: tasklet_struct): boolean {
    return (t._state & TASKLET_STATE_SCHED) !== 0;
  }

  /** True while its callback runs. */
  running(t: tasklet_struct): boolean {
    return (t._state & TASKLET_STATE_RUN) !== 0;
  }

  /** `tasklet_schedule()` / `tasklet_hi_schedule()`: queue once until it has run. */
  schedule(t: tasklet_struct, hi: boolean): void {
    if (t._state & TASKLET_STATE_SCHED) return;
    t._state |= TASKLET_STATE_SCHED;
    (hi ? this.hiVec : this.vec).push(t);
    const ctx = this.k.ctx;
    const saved = ctx.irqsDisabled;
    ctx.irqsDisabled = true;
    this.k.time.softirq.raise(hi ? HI_SOFTIRQ : TASKLET_SOFTIRQ);
    ctx.irqsDisabled = saved;
  }

  /** Remove a scheduled tasklet that has not run (for tasklet_kill when it cannot wait). */
  unschedule(t: tasklet_struct): void {
    t._state &= ~TASKLET_STATE_SCHED;
    this.vec = this.vec.filter((x) => x !== t);
    this.hiVec = this.hiVec.filter((x) => x !== t);
  }

  private action(hi: boolean): void {
    const list = hi ? this.hiVec : this.vec;
    if (hi) this.hiVec = [];
    else this.vec = [];
    for (const t of list) {
      if (t.count !== 0 || t._state & TASKLET_STATE_RUN) {
        (hi ? this.hiVec : this.vec).push(t);
        this.k.time.softirq.raise(hi ? HI_SOFTIRQ : TASKLET_SOFTIRQ);
        continue;
      }
      t._state = (t._state & ~TASKLET_STATE_SCHED) | TASKLET_STATE_RUN;
      try {
        if (t.callback) t.callback(t);
        else t.func?.(t.data);
      } finally {
        t._state &= ~TASKLET_STATE_RUN;
      }
    }
  }
}
