/**
 * Interrupt coalescing for one direction (TXIC or RXIC): with ICEN set, frame events are held until
 * ICFT frames have completed or ICTT × 64 interface clocks have passed since the first held one,
 * whichever comes first; not modelled: the ICCS clock-source bit and the per-ring registers.
 */
import type { EventQueue, SimEvent } from '../../sim/events.js';
import * as Layout from './layout.js';

// Module-local copies (imported bindings are getters under vitest and tsx).
const IC_ICEN = Layout.IC_ICEN;
const IC_ICFT_MASK = Layout.IC_ICFT_MASK;
const IC_ICFT_SHIFT = Layout.IC_ICFT_SHIFT;
const IC_ICTT_MASK = Layout.IC_ICTT_MASK;
const IC_CLOCKS_PER_TICK = Layout.IC_CLOCKS_PER_TICK;

/** Plain state of a coalescer. */
export interface CoalescerState {
  readonly held: number;
  /** Due time of the timer relative to now, or -1 when it is not running. */
  readonly timerIn: number;
}

/** Decoded TXIC/RXIC value. */
export interface CoalescingConfig {
  readonly enabled: boolean;
  /** Frame-count threshold (ICFT). */
  readonly frames: number;
  /** Timer threshold in ticks of 64 interface clocks (ICTT). */
  readonly ticks: number;
}

/** Decode a TXIC/RXIC value. */
export function decodeCoalescing(reg: number): CoalescingConfig {
  return { enabled: (reg & IC_ICEN) !== 0, frames: (reg & IC_ICFT_MASK) >>> IC_ICFT_SHIFT, ticks: reg & IC_ICTT_MASK };
}

/** A TXIC/RXIC value from its parts (what gianfar's mk_ic_value builds). */
export function encodeCoalescing(frames: number, ticks: number): number {
  return (IC_ICEN | ((frames << IC_ICFT_SHIFT) & IC_ICFT_MASK) | (ticks & IC_ICTT_MASK)) >>> 0;
}

/**
 * Interface clock period for a line rate: byte-wide GMII at 1 Gbit/s (125 MHz, 8 ns), nibble-wide
 * MII below (25 MHz at 100 Mbit/s, 2.5 MHz at 10 Mbit/s). One ICTT tick is 64 of these.
 */
export function interfaceClockNs(lineRateBps: number): number {
  return lineRateBps >= 1e9 ? 8e9 / lineRateBps : 4e9 / lineRateBps;
}

/** The coalescing state machine for one direction. */
export class Coalescer {
  private held = 0;
  private timer: SimEvent | null = null;
  private readonly fireBound = (): void => this.timerExpired();

  constructor(
    private readonly events: EventQueue,
    private readonly name: string,
    /** Read the current TXIC/RXIC value. */
    private readonly register: () => number,
    /** ns per ICTT tick. */
    private readonly tickNs: number,
    /** Deliver the held frame event (set TXF/RXF in IEVENT). */
    private readonly deliver: () => void,
  ) {}

  /** Frames completed but not yet signalled. */
  get pending(): number {
    return this.held;
  }

  /** A frame with INTERRUPT completed. */
  frame(): void {
    const reg = this.register();
    if ((reg & IC_ICEN) === 0) {
      this.deliver();
      return;
    }
    const threshold = (reg & IC_ICFT_MASK) >>> IC_ICFT_SHIFT;
    const ticks = reg & IC_ICTT_MASK;
    this.held++;
    if (this.held >= threshold || (threshold === 0 && ticks === 0)) {
      this.flush();
      return;
    }
    if (this.timer === null && ticks !== 0) {
      this.timer = this.events.scheduleIn(Math.round(ticks * IC_CLOCKS_PER_TICK * this.tickNs), this.name, this.fireBound);
    }
  }

  /** The register was rewritten: whatever is held is signalled now and counting restarts. */
  reconfigured(): void {
    if (this.held > 0) this.flush();
  }

  /** Drop held frames and the timer (device reset). */
  reset(): void {
    this.held = 0;
    this.cancelTimer();
  }

  /** Plain-data state (pending times relative to now). */
  save(): CoalescerState {
    return { held: this.held, timerIn: this.timer && !this.timer.cancelled ? this.timer.at - this.events.now : -1 };
  }

  /** Load a state taken with `save()`; pending events are re-armed on this clock. */
  restore(s: CoalescerState): void {
    this.reset();
    this.held = s.held;
    if (s.timerIn >= 0) this.timer = this.events.scheduleIn(s.timerIn, this.name, this.fireBound);
  }

  private flush(): void {
    this.held = 0;
    this.cancelTimer();
    this.deliver();
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.events.cancel(this.timer);
      this.timer = null;
    }
  }

  private timerExpired(): void {
    this.timer = null;
    if (this.held > 0) this.flush();
  }
}
