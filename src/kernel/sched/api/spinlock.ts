/**
 * Spinlocks as drivers call them: spin_lock/unlock and the _irq, _irqsave/_irqrestore and _bh
 * variants, trylock, and lockdep assertions. The lock itself, its debug checks and lockdep live in
 * sched/spinlock.ts; this layer does what Linux's wrappers do around it (preemption, local
 * interrupts, bottom halves) in Linux's order.
 */
import { kernelFor } from '../../api/kernel-of.js';
import { kernelFrame } from '../../report/symbols.js';
import { bhDisable, bhEnable, irqRestore, irqSave, irqsOff, irqsOn } from '../irqflags.js';
import { spinAcquire, spinlock_t, spinRelease, spinTry } from '../spinlock.js';

export { spinlock_t } from '../spinlock.js';

/** `DEFINE_SPINLOCK(name)`: a static lock; lockdep calls its class `name`. */
export function DEFINE_SPINLOCK(name: string): spinlock_t {
  return new spinlock_t(name);
}

/** `spin_lock_init(lock)`: (re)initialise; the lockdep class is this call's site unless `name` is given. */
export function spin_lock_init(lock: spinlock_t, name?: string): spinlock_t {
  lock.reinit(name, spin_lock_init);
  return lock;
}

/** `spin_lock(lock)`. */
export function spin_lock(lock: spinlock_t): void {
  const k = kernelFor('spin_lock');
  k.sched.tick();
  const site = k.sched.lockdep.siteFor(lock.cls, spin_lock);
  k.sched.preemptAdd(1, '_raw_spin_lock', site);
  spinAcquire(k, lock, '_raw_spin_lock', site);
}

/** `spin_unlock(lock)`. */
export function spin_unlock(lock: spinlock_t): void {
  const k = kernelFor('spin_unlock');
  k.sched.tick();
  if (spinRelease(k, lock)) k.sched.preemptSub(1);
}

/** `spin_lock_irq(lock)`: interrupts off (unconditionally back on at spin_unlock_irq). */
export function spin_lock_irq(lock: spinlock_t): void {
  const k = kernelFor('spin_lock_irq');
  k.sched.tick();
  irqsOff(k, '_raw_spin_lock_irq');
  const site = k.sched.lockdep.siteFor(lock.cls, spin_lock_irq);
  k.sched.preemptAdd(1, '_raw_spin_lock_irq', site);
  spinAcquire(k, lock, '_raw_spin_lock_irq', site);
}

/** `spin_unlock_irq(lock)`. */
export function spin_unlock_irq(lock: spinlock_t): void {
  const k = kernelFor('spin_unlock_irq');
  k.sched.tick();
  if (!spinRelease(k, lock)) return;
  irqsOn(k, '_raw_spin_unlock_irq');
  k.sched.preemptSub(1);
}

/** `spin_lock_irqsave(lock, flags)`: returns the flags to pass to spin_unlock_irqrestore(). */
export function spin_lock_irqsave(lock: spinlock_t): number {
  const k = kernelFor('spin_lock_irqsave');
  k.sched.tick();
  const flags = irqSave(k, '_raw_spin_lock_irqsave');
  const site = k.sched.lockdep.siteFor(lock.cls, spin_lock_irqsave);
  k.sched.preemptAdd(1, '_raw_spin_lock_irqsave', site);
  spinAcquire(k, lock, '_raw_spin_lock_irqsave', site);
  return flags;
}

/** `spin_unlock_irqrestore(lock, flags)`. */
export function spin_unlock_irqrestore(lock: spinlock_t, flags: number): void {
  const k = kernelFor('spin_unlock_irqrestore');
  k.sched.tick();
  if (!spinRelease(k, lock)) return;
  irqRestore(k, flags, '_raw_spin_unlock_irqrestore');
  k.sched.preemptSub(1);
}

/** `spin_lock_bh(lock)`: bottom halves off. */
export function spin_lock_bh(lock: spinlock_t): void {
  const k = kernelFor('spin_lock_bh');
  k.sched.tick();
  const site = k.sched.lockdep.siteFor(lock.cls, spin_lock_bh);
  bhDisable(k, '_raw_spin_lock_bh', 1, site);
  spinAcquire(k, lock, '_raw_spin_lock_bh', site);
}

/** `spin_unlock_bh(lock)`: pending softirqs run if bottom halves come back on. */
export function spin_unlock_bh(lock: spinlock_t): void {
  const k = kernelFor('spin_unlock_bh');
  k.sched.tick();
  if (!spinRelease(k, lock)) return;
  bhEnable(k, '_raw_spin_unlock_bh', 1);
}

/** `spin_trylock(lock)`: 1 if taken, 0 if it is held. */
export function spin_trylock(lock: spinlock_t): number {
  const k = kernelFor('spin_trylock');
  k.sched.tick();
  const site = k.sched.lockdep.siteFor(lock.cls, spin_trylock);
  k.sched.preemptAdd(1, '_raw_spin_trylock', site);
  if (spinTry(k, lock, '_raw_spin_trylock', site)) return 1;
  k.sched.preemptSub(1);
  return 0;
}

/** `spin_is_locked(lock)`. */
export function spin_is_locked(lock: spinlock_t): boolean {
  return lock.locked;
}

/** `lockdep_assert_held(lock)`: WARN when the current task does not hold it. */
export function lockdep_assert_held(lock: spinlock_t | import('../mutex.js').mutex): void {
  const k = kernelFor('lockdep_assert_held');
  const lockdep = k.sched.lockdep;
  if (!lockdep.debugLocks || lockdep.isHeld(k.ctx.task, lock)) return;
  k.reporter.warn({ id: 'lockdep.assert-held', title: '', site: { file: 'include/linux/lockdep.h', line: 287 }, frames: [kernelFrame('lockdep_assert_held')], details: { lock: lock.cls.name } });
}

/** `assert_spin_locked(lock)`: BUG when it is not locked at all. */
export function assert_spin_locked(lock: spinlock_t): void {
  const k = kernelFor('assert_spin_locked');
  if (!lock.locked) throw k.reporter.bug({ id: 'spinlock.assert-locked', site: { file: 'include/linux/spinlock.h', line: 451 } });
}
