/**
 * Time coordination for several boards, each with its own event queue, joined by links: always
 * run the earliest due event of all queues, so no queue's clock passes a time at which another may
 * still hand it a frame; not a scheduler for code that advances a clock on its own between events.
 */
import type { EventQueue } from '../../sim/events.js';

/** Runs several event queues as one timeline. */
export class Lockstep {
  constructor(readonly queues: readonly EventQueue[]) {
    if (queues.length === 0) throw new RangeError('Lockstep: needs at least one event queue');
  }

  /** The earliest time any queue has reached (the common "now"). */
  get now(): number {
    let t = Infinity;
    for (const q of this.queues) if (q.now < t) t = q.now;
    return t;
  }

  /** Due time of the earliest event over all queues (Infinity when none). */
  get nextDue(): number {
    let t = Infinity;
    for (const q of this.queues) if (q.nextDue < t) t = q.nextDue;
    return t;
  }

  /** Run the earliest event of all queues (ties go to the first queue). False when nothing is due. */
  step(): boolean {
    let best: EventQueue | null = null;
    let due = Infinity;
    for (const q of this.queues) {
      const d = q.nextDue;
      if (d < due) {
        due = d;
        best = q;
      }
    }
    if (best === null) return false;
    best.runNext();
    return true;
  }

  /** Run every event due up to `t` in global time order, then bring every clock to `t`. */
  runUntil(t: number): void {
    while (this.nextDue <= t) this.step();
    for (const q of this.queues) if (q.now < t) q.advanceTo(t);
  }

  /** {@link runUntil} `now + dt`. */
  runFor(dt: number): void {
    this.runUntil(this.now + dt);
  }

  /** Run until no queue has anything due, at most `maxNs` past now; returns whether it went idle. */
  runUntilIdle(maxNs = 1e9): boolean {
    const end = this.now + maxNs;
    while (this.nextDue <= end) this.step();
    return this.nextDue === Infinity;
  }
}
