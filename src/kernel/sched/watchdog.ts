/**
 * The lockup detectors on simulated time: the soft-lockup watchdog (a CPU that has not scheduled
 * for more than 20 s, sampled every 4 s as Linux's hrtimer does, with timestamps in Linux's 2^30 ns
 * "seconds") and the hung-task detector (a task in uninterruptible sleep for 120 s). Left out: the
 * hard-lockup (NMI) detector, which 32-bit e500 kernels do not have.
 */

/** `watchdog_thresh`: 10 s; the soft-lockup threshold is twice that. */
export const WATCHDOG_THRESH = 10;
/** The soft-lockup threshold in watchdog time units (`get_softlockup_thresh()`). */
export const SOFTLOCKUP_THRESH = 2 * WATCHDOG_THRESH;
/** The watchdog hrtimer period: the threshold over five samples, 4 s. */
export const SAMPLE_PERIOD_NS = (SOFTLOCKUP_THRESH * 1_000_000_000) / 5;
/** `hung_task_timeout_secs`. */
export const HUNG_TASK_TIMEOUT_S = 120;
/** The hung-task timeout in ns; khungtaskd also checks at this interval. */
export const HUNG_TASK_TIMEOUT_NS = HUNG_TASK_TIMEOUT_S * 1_000_000_000;

/** `get_timestamp()`: running clock in units of 2^30 ns (about a second), as the watchdog counts. */
export function watchdogTimestamp(ns: number): number {
  return Math.floor(ns / 2 ** 30);
}

/** State of the soft-lockup watchdog of CPU 0. */
export class SoftLockupWatchdog {
  /** When the CPU last scheduled (ns). */
  touchNs = 0;
  /** CPU access count when it last scheduled. */
  touchAccesses = 0;
  /** Next hrtimer sample (ns). */
  nextSample = SAMPLE_PERIOD_NS;
  /** Whether the watchdog is running (`nowatchdog` turns it off). */
  enabled = true;

  /** The CPU scheduled: the watchdog thread could run. */
  touch(now: number, accesses: number): void {
    this.touchNs = now;
    this.touchAccesses = accesses;
  }

  /**
   * Run the samples due by `now`; returns the stuck duration in watchdog seconds when one of them
   * finds the CPU stuck past the threshold (`is_softlockup`), else 0.
   */
  sample(now: number): number {
    if (now < this.nextSample) return 0;
    this.nextSample = (Math.floor(now / SAMPLE_PERIOD_NS) + 1) * SAMPLE_PERIOD_NS;
    if (!this.enabled) return 0;
    const nowTs = watchdogTimestamp(now);
    const touchTs = watchdogTimestamp(this.touchNs);
    return nowTs > touchTs + SOFTLOCKUP_THRESH ? nowTs - touchTs : 0;
  }
}

/** When khungtaskd, checking every 120 s from boot, first sees a task blocked since `since` as hung. */
export function hungTaskDeadline(since: number): number {
  const due = since + HUNG_TASK_TIMEOUT_NS;
  return Math.ceil(due / HUNG_TASK_TIMEOUT_NS) * HUNG_TASK_TIMEOUT_NS;
}
