/**
 * `struct mutex`: a sleeping lock. Taking one may sleep (might_sleep), taking one the task already
 * holds is lockdep's "possible recursive locking detected" (a certain deadlock: unwound after the
 * report), releasing one not held is "bad unlock balance detected!", and a contended lock sleeps
 * until its owner releases it. Left out: optimistic spinning, handoff, ww_mutex.
 */
import type { Task } from '../context.js';
import type { Kernel } from '../kernel.js';
import type { LazyStack } from '../report/stack.js';
import { allocLockAddress, LD_WAIT_SLEEP, siteFrame, type HeldLock, type LockClass, type LockInstance } from './lockdep.js';
import { lockClassHere } from './lockclass.js';
import { lockdepReport, MIGHT_SLEEP_SITES, mightSleep, selfDeadlock, unwind } from './splats.js';

/** `struct mutex`. `new mutex()` is initialised and unlocked; its lockdep class is its creation site. */
export class mutex implements LockInstance {
  /** lockdep class. */
  cls: LockClass;
  /** Made-up address for messages. */
  readonly addr = allocLockAddress();
  /** The owner, or null. */
  owner: Task | null = null;

  constructor(name?: string) {
    this.cls = lockClassHere(LD_WAIT_SLEEP, name, mutex);
  }

  /** Re-initialise (mutex_init). */
  reinit(name: string | undefined, below: Function): void {
    this.cls = lockClassHere(LD_WAIT_SLEEP, name, below);
    this.owner = null;
  }
}

/** `mutex_lock()`: may sleep; waits for the owner; a recursive lock is reported and unwound. */
export function mutexAcquire(k: Kernel, m: mutex, api: string, site: LazyStack | null): void {
  mightSleep(k, MIGHT_SLEEP_SITES.mutex);
  const task = k.ctx.task;
  const lockdep = k.sched.lockdep;
  const held: HeldLock = { lock: m, site, api };
  if (m.owner === task) {
    const holding = lockdep.held(task).find((h) => h.lock === m) ?? held;
    if (lockdep.debugLocks) unwind(lockdepReport(k, lockdep.recursiveLocking(task, held, holding)));
    throw selfDeadlock(k, 'mutex.recursive', `${task.comm}/${task.pid} takes ${m.cls.name} it already holds: it waits for itself forever`);
  }
  if (m.owner !== null) k.sched.sleep({ done: () => m.owner === null });
  m.owner = task;
  lockdep.held(task).push(held);
}

/** `mutex_trylock()`. */
export function mutexTry(k: Kernel, m: mutex, api: string, site: LazyStack | null): boolean {
  if (m.owner !== null) return false;
  m.owner = k.ctx.task;
  k.sched.lockdep.held(m.owner).push({ lock: m, site, api });
  return true;
}

/** `mutex_unlock()`; releasing a mutex the task does not hold is reported and ignored. */
export function mutexRelease(k: Kernel, m: mutex, api: string, site: LazyStack | null): void {
  const task = k.ctx.task;
  const lockdep = k.sched.lockdep;
  const h = lockdep.held(task);
  const i = h.findIndex((x) => x.lock === m);
  if (m.owner !== task || i < 0) {
    if (lockdep.debugLocks) lockdepReport(k, lockdep.badUnlock(task, m, siteFrame(site ?? lockdep.site(), api)));
    return;
  }
  h.splice(i, 1);
  m.owner = null;
}
