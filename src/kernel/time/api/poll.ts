/**
 * Register polling with a timeout (include/linux/iopoll.h): read_poll_timeout and its atomic form,
 * readl_poll_timeout and friends. Polling advances simulated time — by sleeping between reads, or
 * busy-waiting in the atomic form — so a device event due meanwhile is seen. Returns `{ ret, val }`
 * since TypeScript has no output macro argument: ret is 0 or -ETIMEDOUT, val the last value read.
 */
import { kernelFor } from '../../api/kernel-of.js';
import { ld_be32, ld_le32 } from '../../memaccess.js';
import { MIGHT_SLEEP_SITES, mightSleep } from '../../sched/splats.js';
import { cpu_relax } from '../../sched/api/context.js';
import { ktime_get, udelay, usleep_range } from './clock.js';

/** -ETIMEDOUT. */
const ETIMEDOUT = 110;

/** Result of a poll: `ret` 0 or -ETIMEDOUT, `val` the last value read. */
export interface PollResult {
  readonly ret: number;
  readonly val: number;
}

/**
 * `read_poll_timeout(op, val, cond, sleep_us, timeout_us, sleep_before_read)`: read until
 * `cond(val)` or the timeout (0: none); sleeps usleep_range(sleep_us/4 + 1, sleep_us) between reads.
 */
export function read_poll_timeout(op: () => number, cond: (val: number) => boolean, sleep_us: number, timeout_us: number, sleep_before_read = false): PollResult {
  const k = kernelFor('read_poll_timeout');
  const timeout = ktime_get() + timeout_us * 1000;
  if (sleep_us) mightSleep(k, MIGHT_SLEEP_SITES.pollTimeout);
  if (sleep_before_read && sleep_us) usleep_range((sleep_us >> 2) + 1, sleep_us);
  let val: number;
  for (;;) {
    val = op();
    if (cond(val)) break;
    if (timeout_us && ktime_get() > timeout) {
      val = op();
      break;
    }
    if (sleep_us) usleep_range((sleep_us >> 2) + 1, sleep_us);
    cpu_relax();
  }
  return { ret: cond(val) ? 0 : -ETIMEDOUT, val };
}

/** `read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, delay_before_read)`: busy-waits udelay(delay_us) between reads. */
export function read_poll_timeout_atomic(op: () => number, cond: (val: number) => boolean, delay_us: number, timeout_us: number, delay_before_read = false): PollResult {
  const timeout = ktime_get() + timeout_us * 1000;
  if (delay_before_read && delay_us) udelay(delay_us);
  let val: number;
  for (;;) {
    val = op();
    if (cond(val)) break;
    if (timeout_us && ktime_get() > timeout) {
      val = op();
      break;
    }
    if (delay_us) udelay(delay_us);
    cpu_relax();
  }
  return { ret: cond(val) ? 0 : -ETIMEDOUT, val };
}

/** `readx_poll_timeout(op, addr, val, cond, sleep_us, timeout_us)`. */
export function readx_poll_timeout(op: (addr: number) => number, addr: number, cond: (val: number) => boolean, sleep_us: number, timeout_us: number): PollResult {
  return read_poll_timeout(() => op(addr), cond, sleep_us, timeout_us);
}
/** `readl_poll_timeout(addr, val, cond, sleep_us, timeout_us)`: little-endian 32-bit reads (readl). */
export function readl_poll_timeout(addr: number, cond: (val: number) => boolean, sleep_us: number, timeout_us: number): PollResult {
  return read_poll_timeout(() => ld_le32(addr), cond, sleep_us, timeout_us);
}
/** `readl_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us)`. */
export function readl_poll_timeout_atomic(addr: number, cond: (val: number) => boolean, delay_us: number, timeout_us: number): PollResult {
  return read_poll_timeout_atomic(() => ld_le32(addr), cond, delay_us, timeout_us);
}
/** Big-endian registers (ioread32be / in_be32, as gianfar reads its own): `ioread32be_poll_timeout`. */
export function ioread32be_poll_timeout(addr: number, cond: (val: number) => boolean, sleep_us: number, timeout_us: number): PollResult {
  return read_poll_timeout(() => ld_be32(addr), cond, sleep_us, timeout_us);
}
