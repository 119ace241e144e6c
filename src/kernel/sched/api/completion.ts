/** Completions and wait queues as drivers call them; the mechanisms live in sched/completion.ts. */
import { kernelFor } from '../../api/kernel-of.js';
import { completeAll, completeOne, completion, wait_queue_head_t, waitCompletion, waitEvent, wakeUp } from '../completion.js';
import { MAX_SCHEDULE_TIMEOUT } from '../../time/jiffies.js';

export { completion, wait_queue_head_t } from '../completion.js';

/** `DECLARE_COMPLETION(name)` / a new completion. */
export function DECLARE_COMPLETION(): completion {
  return new completion();
}
/** `init_completion(c)`. */
export function init_completion(c: completion): completion {
  c.done = 0;
  return c;
}
/** `reinit_completion(c)`. */
export function reinit_completion(c: completion): void {
  c.done = 0;
}
/** `complete(c)`: safe from any context. */
export function complete(c: completion): void {
  kernelFor('complete').sched.tick();
  completeOne(c);
}
/** `complete_all(c)`. */
export function complete_all(c: completion): void {
  kernelFor('complete_all').sched.tick();
  completeAll(c);
}
/** `wait_for_completion(c)`: sleeps until completed. */
export function wait_for_completion(c: completion): void {
  const k = kernelFor('wait_for_completion');
  k.sched.tick();
  waitCompletion(k, c, null);
}
/** `wait_for_completion_timeout(c, timeout)`: 0 on timeout, else the jiffies left (at least 1). */
export function wait_for_completion_timeout(c: completion, timeout: number): number {
  const k = kernelFor('wait_for_completion_timeout');
  k.sched.tick();
  return waitCompletion(k, c, timeout >= MAX_SCHEDULE_TIMEOUT ? null : timeout);
}
/** `wait_for_completion_interruptible(c)`: 0. */
export function wait_for_completion_interruptible(c: completion): number {
  const k = kernelFor('wait_for_completion_interruptible');
  k.sched.tick();
  waitCompletion(k, c, null);
  return 0;
}
/** `try_wait_for_completion(c)`: consume one completion if there is one, without sleeping. */
export function try_wait_for_completion(c: completion): boolean {
  if (c.done === 0) return false;
  if (c.done !== 0xffff_ffff) c.done--;
  return true;
}
/** `completion_done(c)`. */
export function completion_done(c: completion): boolean {
  return c.done > 0;
}

/** `DECLARE_WAIT_QUEUE_HEAD(name)` / a new wait queue head. */
export function DECLARE_WAIT_QUEUE_HEAD(): wait_queue_head_t {
  return new wait_queue_head_t();
}
/** `init_waitqueue_head(wq)`. */
export function init_waitqueue_head(wq: wait_queue_head_t): wait_queue_head_t {
  wq._waiters.clear();
  return wq;
}
/** `wake_up(wq)`. */
export function wake_up(wq: wait_queue_head_t): void {
  kernelFor('wake_up').sched.tick();
  wakeUp(wq);
}
/** `wake_up_all(wq)`. */
export function wake_up_all(wq: wait_queue_head_t): void {
  kernelFor('wake_up_all').sched.tick();
  wakeUp(wq);
}
/** `wake_up_interruptible(wq)`. */
export function wake_up_interruptible(wq: wait_queue_head_t): void {
  kernelFor('wake_up_interruptible').sched.tick();
  wakeUp(wq);
}
/** `wait_event(wq, condition)`: sleeps until woken with the condition true. */
export function wait_event(wq: wait_queue_head_t, condition: () => boolean): void {
  const k = kernelFor('wait_event');
  k.sched.tick();
  waitEvent(k, wq, condition, null);
}
/** `wait_event_timeout(wq, condition, timeout)`: 0 if it timed out with the condition false, 1 if true at the timeout, else the jiffies left. */
export function wait_event_timeout(wq: wait_queue_head_t, condition: () => boolean, timeout: number): number {
  const k = kernelFor('wait_event_timeout');
  k.sched.tick();
  return waitEvent(k, wq, condition, timeout);
}
/** `wait_event_interruptible(wq, condition)`: 0. */
export function wait_event_interruptible(wq: wait_queue_head_t, condition: () => boolean): number {
  const k = kernelFor('wait_event_interruptible');
  k.sched.tick();
  waitEvent(k, wq, condition, null);
  return 0;
}
/** `wait_event_interruptible_timeout(wq, condition, timeout)`: as wait_event_timeout. */
export function wait_event_interruptible_timeout(wq: wait_queue_head_t, condition: () => boolean, timeout: number): number {
  const k = kernelFor('wait_event_interruptible_timeout');
  k.sched.tick();
  return waitEvent(k, wq, condition, timeout);
}
