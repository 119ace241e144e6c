/**
 * `struct completion` and wait queues: completions count done events so a complete() is never
 * lost; a wait queue only wakes the sleepers present when wake_up() runs and they re-check their
 * condition then, so a condition set without a wake_up() leaves the waiter asleep (until its
 * timeout, or the hung-task detector) — the lost wake-up bug is real here. Left out: exclusive
 * waits, custom wake functions, signals (interruptible waits never see one).
 */
import type { Kernel } from '../kernel.js';
import { TICK_NSEC, jiffies64At, timeOfJiffies64 } from '../time/jiffies.js';
import { MIGHT_SLEEP_SITES, mightSleep } from './splats.js';

/** `UINT_MAX`: complete_all() makes done this. */
const COMPLETE_ALL = 0xffff_ffff;

/** `struct completion`. */
export class completion {
  /** Completions not yet consumed. */
  done = 0;
}

/** A sleeper on a wait queue. */
interface Waiter {
  woken: boolean;
}

/** `wait_queue_head_t`. */
export class wait_queue_head_t {
  /** @internal the sleepers */
  readonly _waiters = new Set<Waiter>();
}

/** `complete()`. */
export function completeOne(c: completion): void {
  if (c.done !== COMPLETE_ALL) c.done++;
}

/** `complete_all()`. */
export function completeAll(c: completion): void {
  c.done = COMPLETE_ALL;
}

function consume(c: completion): void {
  if (c.done !== COMPLETE_ALL) c.done--;
}

/** Simulated time at which a timeout of `j` jiffies from now expires (schedule_timeout's timer tick). */
export function timeoutAt(k: Kernel, j: number): number {
  const now = k.sched.clock.now();
  return timeOfJiffies64(jiffies64At(now) + Math.max(0, j));
}

/** Jiffies left until `at` (at least 1 when time is left). */
function remaining(k: Kernel, at: number): number {
  const left = Math.ceil((at - k.sched.clock.now()) / TICK_NSEC);
  return Math.max(1, left);
}

/** `wait_for_completion_timeout()`: 0 on timeout, else the jiffies left (at least 1). Without a timeout: 1. */
export function waitCompletion(k: Kernel, c: completion, timeoutJiffies: number | null): number {
  mightSleep(k, MIGHT_SLEEP_SITES.completion);
  if (c.done === 0) {
    const until = timeoutJiffies === null ? undefined : timeoutAt(k, timeoutJiffies);
    const r = k.sched.sleep({ done: () => c.done > 0, ...(until !== undefined ? { until } : {}) });
    if (r === 'timeout' && c.done === 0) return 0;
    if (until !== undefined) {
      consume(c);
      return remaining(k, until);
    }
  }
  consume(c);
  return timeoutJiffies === null ? 1 : Math.max(1, timeoutJiffies);
}

/** `wake_up()`: wake everyone sleeping on `wq` now. */
export function wakeUp(wq: wait_queue_head_t): void {
  for (const w of wq._waiters) w.woken = true;
}

/**
 * `wait_event_timeout(wq, cond, timeout)`: sleep until woken with `cond()` true. Returns Linux's
 * values: 0 if the timeout elapsed with the condition false, 1 if it elapsed with it true, else the
 * jiffies left. `timeoutJiffies` null waits without a timeout (and returns 1).
 */
export function waitEvent(k: Kernel, wq: wait_queue_head_t, cond: () => boolean, timeoutJiffies: number | null): number {
  mightSleep(k, MIGHT_SLEEP_SITES.waitEvent);
  if (cond()) return timeoutJiffies === null ? 1 : Math.max(1, timeoutJiffies);
  const until = timeoutJiffies === null ? undefined : timeoutAt(k, timeoutJiffies);
  for (;;) {
    const w: Waiter = { woken: false };
    wq._waiters.add(w);
    let r: 'done' | 'timeout';
    try {
      r = k.sched.sleep({ done: () => w.woken, ...(until !== undefined ? { until } : {}) });
    } finally {
      wq._waiters.delete(w);
    }
    const ok = cond();
    if (r === 'timeout') return ok ? 1 : 0;
    if (ok) return until === undefined ? 1 : remaining(k, until);
  }
}
