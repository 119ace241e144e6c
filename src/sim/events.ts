/**
 * The simulated clock and its event queue: time is an integer count of nanoseconds, and events
 * due at the same instant run in the order they were scheduled (time, then insertion sequence).
 */

/** A scheduled callback. Keep the handle to cancel it. */
export interface SimEvent {
  /** Due time in ns. */
  readonly at: number;
  /** Insertion sequence, the tie-breaker for equal times. */
  readonly seq: number;
  /** A short name for traces and debugging ("etsec0 rx", "timer"). */
  readonly name: string;
  /** Set when cancelled; a cancelled event is skipped when it comes due. */
  cancelled: boolean;
  /** What to run. */
  readonly fn: () => void;
}

/** Virtual clock plus a binary-heap event queue. Nothing here reads the wall clock. */
export class EventQueue {
  private heap: SimEvent[] = [];
  private seq = 0;
  private nowNs = 0;

  /** Current simulated time in nanoseconds. */
  get now(): number {
    return this.nowNs;
  }

  /** Number of events waiting (cancelled ones included until they surface). */
  get pending(): number {
    return this.heap.length;
  }

  /** Due time of the earliest live event, or `Infinity` when none. */
  get nextDue(): number {
    this.dropCancelledHead();
    const head = this.heap[0];
    return head === undefined ? Infinity : head.at;
  }

  /** Schedule `fn` at absolute time `at` (ns, not before now). */
  scheduleAt(at: number, name: string, fn: () => void): SimEvent {
    if (!Number.isFinite(at) || at < this.nowNs) {
      throw new RangeError(`EventQueue: cannot schedule "${name}" at ${at} ns (now is ${this.nowNs} ns)`);
    }
    const ev: SimEvent = { at: Math.round(at), seq: this.seq++, name, cancelled: false, fn };
    this.push(ev);
    return ev;
  }

  /** Schedule `fn` after `delay` ns. */
  scheduleIn(delay: number, name: string, fn: () => void): SimEvent {
    return this.scheduleAt(this.nowNs + delay, name, fn);
  }

  /** Cancel an event; cancelling twice or after it ran is harmless. */
  cancel(ev: SimEvent): void {
    ev.cancelled = true;
  }

  /**
   * Move time forward to `t`, running every event due up to and including `t` in order.
   * Events scheduled by those events at times ≤ t also run.
   */
  advanceTo(t: number): void {
    if (t < this.nowNs) throw new RangeError(`EventQueue: time cannot go backwards (${t} < ${this.nowNs})`);
    for (;;) {
      this.dropCancelledHead();
      const head = this.heap[0];
      if (head === undefined || head.at > t) break;
      this.pop();
      this.nowNs = head.at;
      head.cancelled = true; // ran: a later cancel() is a no-op
      head.fn();
    }
    this.nowNs = t;
  }

  /** Advance by `dt` ns. */
  advanceBy(dt: number): void {
    this.advanceTo(this.nowNs + dt);
  }

  /** Run the next live event (advancing time to it). Returns false when the queue is empty. */
  runNext(): boolean {
    const due = this.nextDue;
    if (due === Infinity) return false;
    this.advanceTo(due);
    return true;
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private less(a: SimEvent, b: SimEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(ev: SimEvent): void {
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(ev, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = ev;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r]!, h[l]!) ? r : l;
      if (!this.less(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}
