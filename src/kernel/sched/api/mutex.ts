/** Mutexes as drivers call them; the lock and its lockdep checks live in sched/mutex.ts. */
import { kernelFor } from '../../api/kernel-of.js';
import { mutex, mutexAcquire, mutexRelease, mutexTry } from '../mutex.js';

export { mutex } from '../mutex.js';

/** `DEFINE_MUTEX(name)`. */
export function DEFINE_MUTEX(name: string): mutex {
  return new mutex(name);
}
/** `mutex_init(lock)`: (re)initialise; the lockdep class is this call's site unless `name` is given. */
export function mutex_init(lock: mutex, name?: string): mutex {
  lock.reinit(name, mutex_init);
  return lock;
}
/** `mutex_lock(lock)`: may sleep. */
export function mutex_lock(lock: mutex): void {
  const k = kernelFor('mutex_lock');
  k.sched.tick();
  mutexAcquire(k, lock, 'mutex_lock', k.sched.lockdep.siteFor(lock.cls, mutex_lock));
}
/** `mutex_lock_interruptible(lock)`: 0 (no signals reach kernel threads here). */
export function mutex_lock_interruptible(lock: mutex): number {
  const k = kernelFor('mutex_lock_interruptible');
  k.sched.tick();
  mutexAcquire(k, lock, 'mutex_lock_interruptible', k.sched.lockdep.siteFor(lock.cls, mutex_lock_interruptible));
  return 0;
}
/** `mutex_trylock(lock)`: 1 if taken. */
export function mutex_trylock(lock: mutex): number {
  const k = kernelFor('mutex_trylock');
  k.sched.tick();
  return mutexTry(k, lock, 'mutex_trylock', k.sched.lockdep.siteFor(lock.cls, mutex_trylock)) ? 1 : 0;
}
/** `mutex_unlock(lock)`. */
export function mutex_unlock(lock: mutex): void {
  const k = kernelFor('mutex_unlock');
  k.sched.tick();
  mutexRelease(k, lock, 'mutex_unlock', null);
}
/** `mutex_is_locked(lock)`. */
export function mutex_is_locked(lock: mutex): boolean {
  return lock.owner !== null;
}
/** `mutex_destroy(lock)`. */
export function mutex_destroy(_lock: mutex): void {}
