/**
 * What travels on a simulated Ethernet wire and how long it takes: frame sinks and wire ports (a
 * device's attachment point), the per-frame fault flag, and wire-time arithmetic (preamble, FCS,
 * inter-frame gap); not modelled: half duplex, collisions, autonegotiation timing, PAUSE.
 */
import type { EventQueue } from '../../sim/events.js';

/** Bytes of preamble + start-of-frame delimiter before each frame. */
export const PREAMBLE_BYTES = 8;
/** Minimum inter-frame gap in byte times. */
export const IFG_BYTES = 12;
/** Length of the frame check sequence. */
export const FCS_BYTES = 4;
/** Smallest legal frame, FCS included (shorter ones are runts). */
export const MIN_FRAME_BYTES = 64;
/** Largest untagged standard frame, FCS included. */
export const MAX_FRAME_BYTES = 1518;
/** Default line rate: 1 Gbit/s. */
export const DEFAULT_LINE_RATE_BPS = 1_000_000_000;

/**
 * Per-frame facts that are not bytes. Frames on the wire carry no FCS bytes: a sender computes
 * none and a receiver appends a correct one unless `crcError` says the FCS arrived corrupted.
 */
export interface FrameInfo {
  /** The FCS did not match (a corrupted frame). */
  readonly crcError?: boolean;
}

/** A frame without faults (shared, never mutated: pass it instead of allocating `{}`). */
export const GOOD_FRAME: FrameInfo = Object.freeze({});
/** A frame whose FCS arrived corrupted (shared). */
export const BAD_CRC_FRAME: FrameInfo = Object.freeze({ crcError: true });

/** Something frames can be handed to: the receiving end of a wire. */
export interface FrameSink {
  /**
   * The first bit of a frame arrives now. `bytes[0..length)` are the frame from the destination
   * address to the end of the payload (no preamble, no FCS). The receiver must copy what it keeps:
   * the caller reuses the array after the call returns.
   */
  receiveFrame(bytes: Uint8Array, info?: FrameInfo, length?: number): void;
}

/** A device's (or endpoint's) attachment point to a link. */
export interface WirePort extends FrameSink {
  /** Name for traces. */
  readonly name: string;
  /** The clock the port runs on; a link schedules deliveries to this port on it. */
  readonly events: EventQueue;
  /** Line rate in bit/s. */
  readonly lineRateBps: number;
  /** Where frames this port transmits go (`null`: nowhere, they are lost). */
  connect(sink: FrameSink | null): void;
  /** The link tells the port whether there is a carrier (a PHY's link status follows it). */
  setCarrier(up: boolean): void;
}

/** Nanoseconds one byte takes at `rateBps`. */
export function nsPerByte(rateBps: number): number {
  return 8e9 / rateBps;
}

/**
 * How long a frame of `frameBytes` (FCS included) occupies the wire: preamble + frame + gap.
 * At 1 Gbit/s a 64-byte frame takes 672 ns (1.488 M frames/s).
 */
export function wireTimeNs(frameBytes: number, rateBps: number): number {
  return Math.round((PREAMBLE_BYTES + frameBytes + IFG_BYTES) * nsPerByte(rateBps));
}

/** Time from the first preamble bit to the last FCS bit (the gap excluded). */
export function frameTimeNs(frameBytes: number, rateBps: number): number {
  return Math.round((PREAMBLE_BYTES + frameBytes) * nsPerByte(rateBps));
}

/** Parse "12:34:56:78:9a:bc" (or "-" separators) into 6 bytes. */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new RangeError(`not a MAC address: "${text}"`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/** Format 6 bytes as "12:34:56:78:9a:bc". */
export function formatMac(mac: Uint8Array, off = 0): string {
  const out: string[] = [];
  for (let i = 0; i < 6; i++) out.push((mac[off + i] ?? 0).toString(16).padStart(2, '0'));
  return out.join(':');
}
