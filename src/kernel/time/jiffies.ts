/**
 * The kernel's tick arithmetic: HZ, jiffies derived from simulated time (starting five minutes
 * before wrap-around, as Linux's INITIAL_JIFFIES does so wrap bugs show early), the conversions
 * and the wrap-safe comparisons. Left out: NO_HZ accounting and jiffies drift; the tick is exact.
 */

/**
 * Ticks per second. 250 is what typical 32-bit PowerPC configurations use (the mpc85xx and
 * OpenWrt mpc85xx defconfigs select CONFIG_HZ_250), so one jiffy is 4 ms.
 */
export const HZ = 250;
/** Nanoseconds per jiffy (`TICK_NSEC`). */
export const TICK_NSEC = 1_000_000_000 / HZ;
/** Milliseconds per jiffy. */
export const MSEC_PER_JIFFY = 1000 / HZ;
/** `INITIAL_JIFFIES`: jiffies at boot, `(u32)(-300 * HZ)`, so the counter wraps 300 s after boot. */
export const INITIAL_JIFFIES = (-300 * HZ) >>> 0;
/** `MAX_JIFFY_OFFSET`: the largest timeout a wait accepts (`LONG_MAX/2 - 1` on 32-bit). */
export const MAX_JIFFY_OFFSET = 0x3fff_fffe;
/** `MAX_SCHEDULE_TIMEOUT` (`LONG_MAX`): wait without a timeout. */
export const MAX_SCHEDULE_TIMEOUT = 0x7fff_ffff;

/** Jiffies since boot at simulated time `ns` (not wrapped). */
export function ticksAt(ns: number): number {
  return Math.floor(ns / TICK_NSEC);
}

/** The 32-bit `jiffies` value at simulated time `ns`. */
export function jiffiesAt(ns: number): number {
  return (INITIAL_JIFFIES + ticksAt(ns)) >>> 0;
}

/** The 64-bit `jiffies_64` value at simulated time `ns` (exact as a number for 2^53 ticks). */
export function jiffies64At(ns: number): number {
  return INITIAL_JIFFIES + ticksAt(ns);
}

/** Simulated time (ns) at which the 64-bit jiffies counter reaches `j64`. */
export function timeOfJiffies64(j64: number): number {
  return (j64 - INITIAL_JIFFIES) * TICK_NSEC;
}

/**
 * The 64-bit jiffies value a 32-bit `expires` stands for, seen from `now64`: the nearest value with
 * those low 32 bits, where values up to half the range behind count as already passed.
 */
export function unwrapJiffies(expires32: number, now64: number): number {
  const delta = ((expires32 >>> 0) - (now64 >>> 0)) | 0; // signed 32-bit distance
  return now64 + delta;
}

/** `time_after(a, b)`: true when `a` is later than `b`, wrap-safe. */
export function time_after(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}
/** `time_before(a, b)`. */
export function time_before(a: number, b: number): boolean {
  return time_after(b, a);
}
/** `time_after_eq(a, b)`. */
export function time_after_eq(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
/** `time_before_eq(a, b)`. */
export function time_before_eq(a: number, b: number): boolean {
  return time_after_eq(b, a);
}
/** `time_in_range(a, b, c)`: b ≤ a ≤ c, wrap-safe. */
export function time_in_range(a: number, b: number, c: number): boolean {
  return time_after_eq(a, b) && time_before_eq(a, c);
}

/** `msecs_to_jiffies(m)`: rounds up, as Linux does for HZ dividing 1000. */
export function msecs_to_jiffies(m: number): number {
  if (m < 0) return MAX_JIFFY_OFFSET;
  return Math.min(MAX_JIFFY_OFFSET, Math.ceil(m / MSEC_PER_JIFFY));
}
/** `usecs_to_jiffies(u)`: rounds up. */
export function usecs_to_jiffies(u: number): number {
  if (u < 0) return MAX_JIFFY_OFFSET;
  return Math.min(MAX_JIFFY_OFFSET, Math.ceil(u / (MSEC_PER_JIFFY * 1000)));
}
/** `nsecs_to_jiffies(n)`: rounds down, as Linux's nsecs_to_jiffies64 does. */
export function nsecs_to_jiffies(n: number): number {
  return Math.floor(n / TICK_NSEC);
}
/** `jiffies_to_msecs(j)`. */
export function jiffies_to_msecs(j: number): number {
  return (j >>> 0) * MSEC_PER_JIFFY;
}
/** `jiffies_to_usecs(j)`. */
export function jiffies_to_usecs(j: number): number {
  return (j >>> 0) * MSEC_PER_JIFFY * 1000;
}
/** `round_jiffies_relative(j)`: Linux rounds to whole seconds to batch wake-ups; kept exact here. */
export function round_jiffies_relative(j: number): number {
  return j;
}
