/**
 * `spinlock_t` with CONFIG_DEBUG_SPINLOCK and lockdep: taking a lock records irq-usage state
 * (inconsistent lock state), taking a lock this CPU already holds is "BUG: spinlock recursion" or
 * "cpu recursion" — on one CPU a certain deadlock, so the path is unwound after the report — and
 * releasing a lock that is not held is "BUG: spinlock already unlocked". Preemption, interrupt and
 * bottom-half handling around the lock is the API layer's. Left out: rwlocks, raw_spinlock_t as a
 * separate type, contention (one CPU never waits for another).
 */
import type { Kernel } from '../kernel.js';
import type { LazyStack } from '../report/stack.js';
import { allocLockAddress, LD_WAIT_SPIN, type HeldLock, type LockClass, type LockInstance } from './lockdep.js';
import { lockClassHere } from './lockclass.js';
import { lockContext } from './irqflags.js';
import type { Task } from '../context.js';
import { lockdepReport, spinBug, unwind } from './splats.js';

/** `SPINLOCK_MAGIC`. */
export const SPINLOCK_MAGIC = 0xdead4ead;

/** `spinlock_t`. `new spinlock_t()` is an initialised, unlocked lock whose lockdep class is its creation site. */
export class spinlock_t implements LockInstance {
  /** lockdep class. */
  cls: LockClass;
  /** Made-up address printed by messages. */
  readonly addr = allocLockAddress();
  /** `.magic`. */
  magic = SPINLOCK_MAGIC;
  /** Held now. */
  locked = false;
  /** `.owner`. */
  owner: Task | null = null;
  /** `.owner_cpu` (-1 when free). */
  ownerCpu = -1;

  constructor(name?: string) {
    this.cls = lockClassHere(LD_WAIT_SPIN, name, spinlock_t);
  }

  /** Re-initialise (spin_lock_init): unlocked, class keyed by the caller of `below`. */
  reinit(name: string | undefined, below: Function): void {
    this.cls = lockClassHere(LD_WAIT_SPIN, name, below);
    this.magic = SPINLOCK_MAGIC;
    this.locked = false;
    this.owner = null;
    this.ownerCpu = -1;
  }
}

function dumpInfo(l: spinlock_t) {
  return { addr: l.addr, magic: l.magic, ownerComm: l.owner?.comm ?? null, ownerPid: l.owner?.pid ?? -1, ownerCpu: l.ownerCpu, name: l.cls.name };
}

/** Take `l` (preemption already disabled by the caller): lockdep, debug checks, then hold it. `site` is the caller's. */
export function spinAcquire(k: Kernel, l: spinlock_t, api: string, site: LazyStack | null): void {
  const task = k.ctx.task;
  const lockdep = k.sched.lockdep;
  const held: HeldLock = { lock: l, site, api };
  if (lockdep.debugLocks) {
    const f = lockdep.markUsage(l, lockContext(k), held);
    if (f) lockdepReport(k, f);
  }
  if (l.magic !== SPINLOCK_MAGIC) spinBug(k, 'bad magic', dumpInfo(l));
  if (l.locked) {
    const r = spinBug(k, l.owner === task ? 'recursion' : 'cpu recursion', dumpInfo(l));
    unwind(r);
  }
  l.locked = true;
  l.owner = task;
  l.ownerCpu = 0;
  lockdep.held(task).push(held);
}

/** `spin_trylock()` core: take `l` if free; never reports contention. */
export function spinTry(k: Kernel, l: spinlock_t, api: string, site: LazyStack | null): boolean {
  if (l.locked) return false;
  spinAcquire(k, l, api, site);
  return true;
}

/** Release `l`; false (after the report) when it was not held, so the caller skips its preempt/irq restore. */
export function spinRelease(k: Kernel, l: spinlock_t): boolean {
  const task = k.ctx.task;
  if (l.magic !== SPINLOCK_MAGIC) spinBug(k, 'bad magic', dumpInfo(l));
  if (!l.locked) {
    spinBug(k, 'already unlocked', dumpInfo(l));
    return false;
  }
  if (l.owner !== task) spinBug(k, 'wrong owner', dumpInfo(l));
  const owner = l.owner;
  l.locked = false;
  l.owner = null;
  l.ownerCpu = -1;
  if (owner) {
    const h = k.sched.lockdep.held(owner);
    for (let i = h.length - 1; i >= 0; i--) {
      if (h[i]!.lock === l) {
        h.splice(i, 1);
        break;
      }
    }
  }
  return true;
}
