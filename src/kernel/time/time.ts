/**
 * The kernel's time and deferred-work subsystem of one board, composed: softirqs, the timer base,
 * tasklets and workqueues. Each mechanism lives in its own file; this only builds and starts them.
 */
import type { Kernel } from '../kernel.js';
import { Softirqs } from './softirq.js';
import { Tasklets } from './tasklet.js';
import { TimerBase } from './timers.js';
import { Workqueues } from './workqueue.js';

/** Time, timers and deferred work of one kernel. */
export class TimeSubsystem {
  /** Softirq vectors and ksoftirqd. */
  readonly softirq: Softirqs;
  /** timer_list. */
  readonly timers: TimerBase;
  /** Tasklets. */
  readonly tasklets: Tasklets;
  /** Workqueues and kworkers. */
  readonly workqueues: Workqueues;

  constructor(k: Kernel) {
    this.softirq = new Softirqs(k);
    this.timers = new TimerBase(k);
    this.tasklets = new Tasklets(k);
    this.workqueues = new Workqueues(k);
  }

  /** Start the threads and open the softirqs (the scheduler must exist). */
  start(): void {
    this.softirq.start();
    this.timers.start();
    this.tasklets.start();
    this.workqueues.start();
  }
}
