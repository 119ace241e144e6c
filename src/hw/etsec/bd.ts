/**
 * The buffer-descriptor codec: an 8-byte BD (status 16 | length 16 | bufPtr 32) read and written
 * as a bus master, with its byte order and field positions as data (big-endian by default,
 * little-endian when DMACTRL.LE is set); it knows nothing of rings, ownership or events.
 */
import type { BusMasterPort } from '../bus.js';
import { BD_SIZE as BD_SIZE_ } from './layout.js';

/** Module-local copy (imported bindings are getters under vitest and tsx). */
const BD_SIZE = BD_SIZE_;

/** Where the fields sit and in which byte order. */
export interface BdLayout {
  readonly name: 'big-endian' | 'little-endian';
  readonly littleEndian: boolean;
  /** Byte offset of the 16-bit status. */
  readonly statusOffset: number;
  /** Byte offset of the 16-bit length. */
  readonly lengthOffset: number;
  /** Byte offset of the 32-bit buffer pointer. */
  readonly pointerOffset: number;
}

/** The eTSEC's default: the first word is lstatus = status << 16 | length, big-endian. */
export const BD_BIG_ENDIAN: BdLayout = Object.freeze({ name: 'big-endian', littleEndian: false, statusOffset: 0, lengthOffset: 2, pointerOffset: 4 });

/**
 * DMACTRL.LE: each 32-bit word little-endian, so lstatus keeps its meaning as a word (length in
 * bytes 0-1, status in bytes 2-3). QEMU's model swaps each field in place instead (status stays in
 * bytes 0-1); the manual's wording was not available to settle it, so the word view is used, as a
 * driver that reads lstatus with one 32-bit load expects.
 */
export const BD_LITTLE_ENDIAN: BdLayout = Object.freeze({ name: 'little-endian', littleEndian: true, statusOffset: 2, lengthOffset: 0, pointerOffset: 4 });

/** A decoded descriptor. */
export interface Bd {
  status: number;
  length: number;
  pointer: number;
}

/** Encode a BD into 8 bytes (tests and ring builders). */
export function encodeBd(layout: BdLayout, bd: Bd, out = new Uint8Array(BD_SIZE), off = 0): Uint8Array {
  const v = new DataView(out.buffer, out.byteOffset + off, BD_SIZE);
  v.setUint16(layout.statusOffset, bd.status & 0xffff, layout.littleEndian);
  v.setUint16(layout.lengthOffset, bd.length & 0xffff, layout.littleEndian);
  v.setUint32(layout.pointerOffset, bd.pointer >>> 0, layout.littleEndian);
  return out;
}

/** Decode 8 bytes into a BD. */
export function decodeBd(layout: BdLayout, bytes: Uint8Array, off = 0): Bd {
  const v = new DataView(bytes.buffer, bytes.byteOffset + off, BD_SIZE);
  return { status: v.getUint16(layout.statusOffset, layout.littleEndian), length: v.getUint16(layout.lengthOffset, layout.littleEndian), pointer: v.getUint32(layout.pointerOffset, layout.littleEndian) };
}

/**
 * A reusable BD reader/writer bound to one bus-master port: `fetch` does one 8-byte DMA read and
 * leaves the fields in `status`, `length`, `pointer` (no allocation per descriptor).
 */
export class BdAccess {
  status = 0;
  length = 0;
  pointer = 0;
  private readonly buf = new Uint8Array(BD_SIZE);
  private readonly view = new DataView(this.buf.buffer);

  constructor(private readonly port: BusMasterPort) {}

  /** DMA-read the BD at `pa` (throws BusError on a hole). */
  fetch(pa: number, layout: BdLayout): void {
    this.port.read(pa, this.buf, 0, BD_SIZE);
    const v = this.view;
    const le = layout.littleEndian;
    this.status = v.getUint16(layout.statusOffset, le);
    this.length = v.getUint16(layout.lengthOffset, le);
    this.pointer = v.getUint32(layout.pointerOffset, le);
  }

  /** DMA-write the first word (status and length) of the BD at `pa` in one 4-byte access. */
  writeStatusLength(pa: number, layout: BdLayout, status: number, length: number): void {
    const v = this.view;
    const le = layout.littleEndian;
    v.setUint16(layout.statusOffset, status & 0xffff, le);
    v.setUint16(layout.lengthOffset, length & 0xffff, le);
    this.port.write(pa, this.buf, 0, 4);
  }
}
