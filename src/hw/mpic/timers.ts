/**
 * The MPIC's eight global timers (groups A and B) counting down on simulated time: count inhibit,
 * reload from the base count at zero, the toggle bit, and an expiry callback; not modelled are the
 * timer control registers (cascading, clock-source and ratio selection) and the real-time clock input.
 */
import type { EventQueue, SimEvent } from '../../sim/events.js';
import { GT_COUNT_MASK, GTBCR_CI, GTCCR_TOG, NUM_TIMERS } from './layout.js';

const NS_PER_S = 1_000_000_000n;

/** What the timers need from the controller (narrow port). */
export interface TimerPort {
  readonly events: EventQueue;
  /** Current timer clock in Hz (TIMER_FREQ); 0 stops all counting. */
  frequencyHz(): number;
  /** Current GTBCR value of timer t (CI and base count). */
  baseRegister(t: number): number;
  /** Called when timer t reaches zero (after it has reloaded). */
  expired(t: number): void;
}

/** Plain data for one timer in a snapshot. */
export interface TimerData {
  /** Counting (count inhibit clear and a non-zero count loaded). */
  readonly counting: boolean;
  /** Count at the anchor. */
  readonly anchorCount: number;
  /** Nanoseconds between the anchor and the moment of the snapshot. */
  readonly sinceAnchorNs: number;
  /** TOG bit. */
  readonly toggle: boolean;
}

/** Whole ticks of a `hz` clock in `ns` nanoseconds (exact integer arithmetic). */
export function ticksIn(ns: number, hz: number): number {
  return Number((BigInt(ns) * BigInt(hz)) / NS_PER_S);
}

/** Nanoseconds until the `ticks`-th tick of a `hz` clock (rounded up so the tick has happened). */
export function nsForTicks(ticks: number, hz: number): number {
  const h = BigInt(hz);
  return Number((BigInt(ticks) * NS_PER_S + h - 1n) / h);
}

/**
 * The global timers. Each counts down from its base count; on reaching zero it toggles TOG,
 * reloads the base count and signals expiry, so it fires once every `base` ticks. A base of 0
 * never fires. The timer clock rate is read through the port, so TIMER_FREQ changes re-anchor the
 * running timers.
 */
export class GlobalTimers {
  private readonly counting = new Uint8Array(NUM_TIMERS);
  private readonly toggle = new Uint8Array(NUM_TIMERS);
  private readonly anchorNs = new Float64Array(NUM_TIMERS);
  private readonly anchorCount = new Float64Array(NUM_TIMERS);
  private readonly due: (SimEvent | null)[] = new Array<SimEvent | null>(NUM_TIMERS).fill(null);
  private readonly names: string[] = Array.from({ length: NUM_TIMERS }, (_, t) => `mpic timer ${t < 4 ? 'A' : 'B'}${t & 3}`);

  constructor(private readonly port: TimerPort) {}

  /** Stop every timer and forget counts and toggles (controller reset). */
  reset(): void {
    for (let t = 0; t < NUM_TIMERS; t++) {
      this.cancel(t);
      this.counting[t] = 0;
      this.toggle[t] = 0;
      this.anchorCount[t] = 0;
      this.anchorNs[t] = this.port.events.now;
    }
  }

  /** GTCCR value of timer t now: TOG and the current count. */
  currentRegister(t: number): number {
    return ((this.toggle[t] ? GTCCR_TOG : 0) | (this.countNow(t) & GT_COUNT_MASK)) >>> 0;
  }

  /** React to a GTBCR write: count-inhibit transitions start or freeze the timer. */
  baseWritten(t: number, oldReg: number, newReg: number): void {
    const wasInhibited = (oldReg & GTBCR_CI) !== 0;
    const inhibited = (newReg & GTBCR_CI) !== 0;
    if (inhibited) {
      if (!wasInhibited) this.freeze(t);
      return;
    }
    // CI 1 -> 0 loads the base count and starts counting. With CI already clear a new base takes
    // effect at the next reload, except that a timer idling at zero (base was 0) starts at once.
    if (wasInhibited || !this.counting[t]) this.load(t, newReg & GT_COUNT_MASK);
  }

  /** TIMER_FREQ changed from `oldHz`: re-anchor counting timers at the new rate. */
  frequencyChanged(oldHz: number): void {
    const now = this.port.events.now;
    for (let t = 0; t < NUM_TIMERS; t++) {
      if (!this.counting[t]) continue;
      this.anchorCount[t] = this.countAt(t, now, oldHz);
      this.anchorNs[t] = now;
      this.schedule(t);
    }
  }

  /** Plain data of every timer. */
  save(): TimerData[] {
    const now = this.port.events.now;
    return Array.from({ length: NUM_TIMERS }, (_, t) => ({
      counting: this.counting[t] === 1,
      anchorCount: this.anchorCount[t]!,
      sinceAnchorNs: now - this.anchorNs[t]!,
      toggle: this.toggle[t] === 1,
    }));
  }

  /** Restore from {@link save} data, anchoring relative to the queue's current time. */
  restore(data: readonly TimerData[]): void {
    if (data.length !== NUM_TIMERS) throw new RangeError(`MPIC snapshot: expected ${NUM_TIMERS} timers, got ${data.length}`);
    const now = this.port.events.now;
    for (let t = 0; t < NUM_TIMERS; t++) {
      const d = data[t]!;
      this.cancel(t);
      this.counting[t] = d.counting ? 1 : 0;
      this.toggle[t] = d.toggle ? 1 : 0;
      this.anchorCount[t] = d.anchorCount;
      this.anchorNs[t] = now - d.sinceAnchorNs;
      if (d.counting) this.schedule(t);
    }
  }

  private countNow(t: number): number {
    return this.counting[t] ? this.countAt(t, this.port.events.now, this.port.frequencyHz()) : this.anchorCount[t]!;
  }

  private countAt(t: number, now: number, hz: number): number {
    if (hz <= 0) return this.anchorCount[t]!;
    const left = this.anchorCount[t]! - ticksIn(now - this.anchorNs[t]!, hz);
    return left > 0 ? left : 0;
  }

  private load(t: number, count: number): void {
    this.anchorNs[t] = this.port.events.now;
    this.anchorCount[t] = count;
    this.counting[t] = count > 0 ? 1 : 0;
    if (count > 0) this.schedule(t);
    else this.cancel(t);
  }

  private freeze(t: number): void {
    this.anchorCount[t] = this.countNow(t);
    this.anchorNs[t] = this.port.events.now;
    this.counting[t] = 0;
    this.cancel(t);
  }

  private schedule(t: number): void {
    this.cancel(t);
    const hz = this.port.frequencyHz();
    if (hz <= 0) return; // frozen until TIMER_FREQ is non-zero again
    const at = this.anchorNs[t]! + nsForTicks(this.anchorCount[t]!, hz);
    const events = this.port.events;
    this.due[t] = events.scheduleAt(at < events.now ? events.now : at, this.names[t]!, () => this.reachZero(t));
  }

  private reachZero(t: number): void {
    this.due[t] = null;
    this.toggle[t] = this.toggle[t] ? 0 : 1;
    const base = this.port.baseRegister(t) & GT_COUNT_MASK;
    this.anchorNs[t] = this.port.events.now;
    this.anchorCount[t] = base;
    this.counting[t] = base > 0 ? 1 : 0;
    if (base > 0) this.schedule(t);
    this.port.expired(t);
  }

  private cancel(t: number): void {
    const ev = this.due[t];
    if (ev) this.port.events.cancel(ev);
    this.due[t] = null;
  }
}
