/**
 * Test traffic: a frame layout with a sequence number in the payload, and frame sources that fill
 * a caller's buffer one frame at a time (fixed-size floods, a size sweep, seeded random sizes) so a
 * flood costs no allocation per frame; nothing protocol-aware (no IP, no ARP).
 */
import { Prng } from '../../sim/prng.js';

/** The EtherType test frames carry: IEEE 802 local experimental 1. */
export const TEST_ETHERTYPE = 0x88b5;
/** Smallest frame (no FCS) that carries the sequence number: 14 header + 4. */
export const MIN_TEST_FRAME = 18;

/** Something that produces frames on demand into the caller's buffer. */
export interface FrameSource {
  /** Write the next frame into `buf` and return its length (no FCS), or -1 when there are no more. */
  next(buf: Uint8Array): number;
}

/** Addresses and length of a test frame. */
export interface TestFrameSpec {
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  /** Frame length without FCS, at least 18 (60 is the shortest legal one). */
  readonly length: number;
  /** Sequence number stored big-endian at offset 14. */
  readonly seq: number;
  readonly ethertype?: number;
}

/**
 * Write a test frame into `out`: dst, src, EtherType, a 32-bit sequence number, then payload bytes
 * `(seq + i) & 0xff` so a corrupted or misplaced frame is easy to spot. Returns the length.
 */
export function writeTestFrame(out: Uint8Array, spec: TestFrameSpec): number {
  const n = spec.length;
  if (!Number.isInteger(n) || n < MIN_TEST_FRAME || n > out.length) throw new RangeError(`test frame length must be ${MIN_TEST_FRAME}..${out.length}, got ${n}`);
  out.set(spec.dst.subarray(0, 6), 0);
  out.set(spec.src.subarray(0, 6), 6);
  const et = spec.ethertype ?? TEST_ETHERTYPE;
  out[12] = et >>> 8;
  out[13] = et & 0xff;
  const seq = spec.seq >>> 0;
  out[14] = seq >>> 24;
  out[15] = (seq >>> 16) & 0xff;
  out[16] = (seq >>> 8) & 0xff;
  out[17] = seq & 0xff;
  for (let i = 18; i < n; i++) out[i] = (seq + i) & 0xff;
  return n;
}

/** A fresh test frame. */
export function testFrame(spec: TestFrameSpec): Uint8Array {
  const out = new Uint8Array(spec.length);
  writeTestFrame(out, spec);
  return out;
}

/** The sequence number of a test frame, or -1 if it is not one (wrong EtherType or too short). */
export function testFrameSeq(frame: Uint8Array, ethertype = TEST_ETHERTYPE): number {
  if (frame.length < MIN_TEST_FRAME || frame[12] !== ethertype >>> 8 || frame[13] !== (ethertype & 0xff)) return -1;
  return ((frame[14]! << 24) | (frame[15]! << 16) | (frame[16]! << 8) | frame[17]!) >>> 0;
}

/** Whether a test frame's payload is intact. */
export function testFrameIntact(frame: Uint8Array, length = frame.length): boolean {
  const seq = testFrameSeq(frame);
  if (seq < 0) return false;
  for (let i = 18; i < length; i++) if (frame[i] !== ((seq + i) & 0xff)) return false;
  return true;
}

/** Common options of the generators. */
export interface GeneratorOptions {
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  /** First sequence number (default 0). */
  readonly firstSeq?: number;
  readonly ethertype?: number;
}

/** A source built from a length function: frame i has length `len(i)`, or stops at -1. */
class SizedSource implements FrameSource {
  private i = 0;
  constructor(private readonly o: GeneratorOptions, private readonly len: (i: number) => number) {}
  next(buf: Uint8Array): number {
    const n = this.len(this.i);
    if (n < 0) return -1;
    const spec = { dst: this.o.dst, src: this.o.src, length: n, seq: (this.o.firstSeq ?? 0) + this.i, ethertype: this.o.ethertype ?? TEST_ETHERTYPE };
    this.i++;
    return writeTestFrame(buf, spec);
  }
}

/** `count` frames of `size` bytes (no FCS; default 60, i.e. 64 on the wire). */
export function flood(o: GeneratorOptions & { size?: number; count: number }): FrameSource {
  const size = o.size ?? 60;
  return new SizedSource(o, (i) => (i < o.count ? size : -1));
}

/** One frame of each size from `from` to `to` (defaults 60..1514) in steps of `step`. */
export function sizeSweep(o: GeneratorOptions & { from?: number; to?: number; step?: number }): FrameSource {
  const from = o.from ?? 60;
  const to = o.to ?? 1514;
  const step = o.step ?? 1;
  if (!(step > 0)) throw new RangeError(`sizeSweep: step must be positive, got ${step}`);
  return new SizedSource(o, (i) => (from + i * step <= to ? from + i * step : -1));
}

/** `count` frames of seeded random sizes in [min, max] (defaults 60..1514). */
export function randomSizes(o: GeneratorOptions & { seed: number; count: number; min?: number; max?: number }): FrameSource {
  const prng = new Prng(o.seed);
  const min = o.min ?? 60;
  const max = o.max ?? 1514;
  return new SizedSource(o, (i) => (i < o.count ? min + prng.below(max - min + 1) : -1));
}
