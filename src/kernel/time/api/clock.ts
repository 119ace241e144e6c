/**
 * Time as drivers read and spend it: `jiffies`, ktime_get() and the ktime helpers, busy-waiting
 * delays (udelay, ndelay, mdelay: the CPU spins, time passes, interrupts still come) and sleeps
 * (msleep, usleep_range, schedule_timeout: the task sleeps, other work runs). HZ is 250, as
 * typical 32-bit PowerPC configurations set it.
 */
import { kernelFor } from '../../api/kernel-of.js';
import { jiffies64At, jiffiesAt, msecs_to_jiffies, timeOfJiffies64, TICK_NSEC } from '../jiffies.js';

export {
  HZ, TICK_NSEC, INITIAL_JIFFIES, MAX_JIFFY_OFFSET, MAX_SCHEDULE_TIMEOUT, time_after, time_before, time_after_eq,
  time_before_eq, time_in_range, msecs_to_jiffies, usecs_to_jiffies, nsecs_to_jiffies, jiffies_to_msecs,
  jiffies_to_usecs, round_jiffies_relative,
} from '../jiffies.js';

/** `ktime_t`: nanoseconds. */
export type ktime_t = number;

/** `jiffies`: the 32-bit tick counter (it starts 5 minutes before it wraps, as in Linux). */
export function jiffies(): number {
  const k = kernelFor('jiffies');
  k.sched.tick();
  k.sched.clock.timeReads++;
  return jiffiesAt(k.sched.clock.now());
}
/** `get_jiffies_64()`. */
export function get_jiffies_64(): number {
  const k = kernelFor('get_jiffies_64');
  k.sched.tick();
  k.sched.clock.timeReads++;
  return jiffies64At(k.sched.clock.now());
}
/** `ktime_get()`: monotonic nanoseconds since boot. */
export function ktime_get(): ktime_t {
  const k = kernelFor('ktime_get');
  k.sched.tick();
  k.sched.clock.timeReads++;
  return k.sched.clock.now();
}
/** `ktime_get_ns()`. */
export function ktime_get_ns(): number {
  return ktime_get();
}
/** `ktime_add_ns(t, ns)`. */
export function ktime_add_ns(t: ktime_t, ns: number): ktime_t {
  return t + ns;
}
/** `ktime_add_us(t, us)`. */
export function ktime_add_us(t: ktime_t, us: number): ktime_t {
  return t + us * 1000;
}
/** `ktime_add_ms(t, ms)`. */
export function ktime_add_ms(t: ktime_t, ms: number): ktime_t {
  return t + ms * 1_000_000;
}
/** `ktime_sub(a, b)`. */
export function ktime_sub(a: ktime_t, b: ktime_t): ktime_t {
  return a - b;
}
/** `ktime_compare(a, b)`: -1, 0 or 1. */
export function ktime_compare(a: ktime_t, b: ktime_t): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
/** `ktime_after(a, b)`. */
export function ktime_after(a: ktime_t, b: ktime_t): boolean {
  return a > b;
}
/** `ktime_before(a, b)`. */
export function ktime_before(a: ktime_t, b: ktime_t): boolean {
  return a < b;
}
/** `ktime_to_ns(t)`. */
export function ktime_to_ns(t: ktime_t): number {
  return t;
}
/** `ktime_to_us(t)`. */
export function ktime_to_us(t: ktime_t): number {
  return Math.floor(t / 1000);
}
/** `ktime_to_ms(t)`. */
export function ktime_to_ms(t: ktime_t): number {
  return Math.floor(t / 1_000_000);
}
/** `ktime_us_delta(later, earlier)`. */
export function ktime_us_delta(later: ktime_t, earlier: ktime_t): number {
  return Math.floor((later - earlier) / 1000);
}
/** `ns_to_ktime(ns)`. */
export function ns_to_ktime(ns: number): ktime_t {
  return ns;
}
/** `ms_to_ktime(ms)`. */
export function ms_to_ktime(ms: number): ktime_t {
  return ms * 1_000_000;
}

/** `ndelay(ns)`: busy-wait. */
export function ndelay(ns: number): void {
  const k = kernelFor('ndelay');
  k.sched.tick();
  k.sched.busyWait(ns);
}
/** `udelay(us)`: busy-wait; interrupts still come if enabled; the CPU does not schedule. */
export function udelay(us: number): void {
  const k = kernelFor('udelay');
  k.sched.tick();
  k.sched.busyWait(us * 1000);
}
/** `mdelay(ms)`: busy-wait in milliseconds (long ones meet the soft-lockup watchdog). */
export function mdelay(ms: number): void {
  const k = kernelFor('mdelay');
  k.sched.tick();
  k.sched.busyWait(ms * 1_000_000);
}

/**
 * `schedule_timeout_uninterruptible(timeout)`: sleep until the tick `timeout` jiffies from now;
 * returns 0 (nothing wakes the task early). Sleeping in atomic context is "scheduling while atomic".
 */
export function schedule_timeout_uninterruptible(timeout: number): number {
  const k = kernelFor('schedule_timeout_uninterruptible');
  k.sched.tick();
  const now = k.sched.clock.now();
  k.sched.sleep({ until: timeOfJiffies64(jiffies64At(now) + Math.max(0, timeout)) });
  return 0;
}
/** `schedule_timeout_interruptible(timeout)`. */
export function schedule_timeout_interruptible(timeout: number): number {
  return schedule_timeout_uninterruptible(timeout);
}
/** `schedule_timeout(timeout)`. */
export function schedule_timeout(timeout: number): number {
  return schedule_timeout_uninterruptible(timeout);
}

/** `msleep(ms)`: sleep at least `ms`, to the tick after msecs_to_jiffies(ms) + 1 jiffies, as Linux does. */
export function msleep(ms: number): void {
  const k = kernelFor('msleep');
  k.sched.tick();
  const now = k.sched.clock.now();
  k.sched.sleep({ until: timeOfJiffies64(jiffies64At(now) + msecs_to_jiffies(ms) + 1) });
}
/** `msleep_interruptible(ms)`: 0 (no signals). */
export function msleep_interruptible(ms: number): number {
  msleep(ms);
  return 0;
}
/** `ssleep(s)`. */
export function ssleep(s: number): void {
  msleep(s * 1000);
}

/**
 * `usleep_range(min, max)`: an hrtimer sleep ending between `min` and `max` µs from now — at `max`
 * normally (the timer is not coalesced with another), at a seeded point of the range in
 * exploration mode.
 */
export function usleep_range(min: number, max: number): void {
  const k = kernelFor('usleep_range');
  k.sched.tick();
  const now = k.sched.clock.now();
  const span = Math.max(0, max - min);
  const us = k.sched.exploreMaxDelay > 0 && span > 0 ? min + k.machine.prng.below(span + 1) : Math.max(min, max);
  k.sched.sleep({ until: now + us * 1000 });
}
/** `fsleep(us)`: udelay below 10 µs, usleep_range up to 20 ms, msleep beyond. */
export function fsleep(us: number): void {
  if (us <= 10) udelay(us);
  else if (us <= 20_000) usleep_range(us, us + (us >> 2));
  else msleep(Math.ceil(us / 1000));
}

/** Nanoseconds per jiffy, for drivers that convert by hand. */
export const NSEC_PER_JIFFY = TICK_NSEC;
