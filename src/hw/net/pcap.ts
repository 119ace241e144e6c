/**
 * Classic libpcap capture files (magic 0xa1b2c3d4, version 2.4, LINKTYPE_ETHERNET, microsecond
 * timestamps from simulated time) written from a link tap, and a small reader for tests; frames
 * are stored without FCS, as capture tools expect for this link type. Not supported: pcapng,
 * other link types on write.
 */
import { writeFileSync } from 'node:fs';
import type { Link, LinkSide } from './link.js';
import type { FrameInfo } from './wire.js';

/** The classic pcap magic (microsecond timestamps). */
export const PCAP_MAGIC = 0xa1b2c3d4;
/** The nanosecond-timestamp variant (read only). */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Ethernet. */
export const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** Options of a writer. */
export interface PcapWriterOptions {
  /** Longest stored frame part (default 65535). */
  readonly snaplen?: number;
  /** Write the file big-endian (default false: little-endian, as most capture hosts do). */
  readonly bigEndian?: boolean;
}

/** A capture in memory. */
export class PcapWriter {
  readonly snaplen: number;
  private readonly le: boolean;
  private data = new Uint8Array(1 << 16);
  private view = new DataView(this.data.buffer);
  private used = 0;
  private frames = 0;

  constructor(opts: PcapWriterOptions = {}) {
    this.snaplen = opts.snaplen ?? 65535;
    this.le = !(opts.bigEndian ?? false);
    const v = this.view;
    v.setUint32(0, PCAP_MAGIC, this.le);
    v.setUint16(4, 2, this.le);
    v.setUint16(6, 4, this.le);
    v.setInt32(8, 0, this.le); // thiszone
    v.setUint32(12, 0, this.le); // sigfigs
    v.setUint32(16, this.snaplen, this.le);
    v.setUint32(20, LINKTYPE_ETHERNET, this.le);
    this.used = GLOBAL_HEADER;
  }

  /** Frames written so far. */
  get frameCount(): number {
    return this.frames;
  }

  /** Append a frame seen at simulated time `tNs`. */
  write(tNs: number, bytes: Uint8Array, length: number = bytes.length): void {
    const incl = Math.min(length, this.snaplen);
    this.reserve(RECORD_HEADER + incl);
    const v = this.view;
    const at = this.used;
    const sec = Math.floor(tNs / 1e9);
    const usec = Math.floor((tNs - sec * 1e9) / 1000);
    v.setUint32(at, sec, this.le);
    v.setUint32(at + 4, usec, this.le);
    v.setUint32(at + 8, incl, this.le);
    v.setUint32(at + 12, length, this.le);
    this.data.set(incl === bytes.length ? bytes : bytes.subarray(0, incl), at + RECORD_HEADER);
    this.used = at + RECORD_HEADER + incl;
    this.frames++;
  }

  /** Capture every frame that goes on `link` (both directions unless `from` says one). Returns the remover. */
  tap(link: Link, from?: LinkSide): () => void {
    return link.addTap((t: number, bytes: Uint8Array, length: number, _info: FrameInfo, side: LinkSide) => {
      if (from === undefined || from === side) this.write(t, bytes, length);
    });
  }

  /** The file's bytes so far (a copy). */
  bytes(): Uint8Array {
    return this.data.slice(0, this.used);
  }

  /** Write the file to `path`. */
  save(path: string): void {
    writeFileSync(path, this.data.subarray(0, this.used));
  }

  private reserve(n: number): void {
    if (this.used + n <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.used + n) size *= 2;
    const d = new Uint8Array(size);
    d.set(this.data.subarray(0, this.used));
    this.data = d;
    this.view = new DataView(d.buffer);
  }
}

/** One record of a capture. */
export interface PcapRecord {
  /** Timestamp in ns (microsecond resolution for classic files). */
  readonly tNs: number;
  /** Length of the frame on the wire. */
  readonly origLen: number;
  /** The stored bytes. */
  readonly data: Uint8Array;
}

/** A parsed capture. */
export interface PcapFile {
  readonly bigEndian: boolean;
  readonly nanosecond: boolean;
  readonly version: [number, number];
  readonly snaplen: number;
  readonly linktype: number;
  readonly records: PcapRecord[];
}

/** Parse a classic pcap file (either byte order, micro- or nanosecond magic). Throws on anything else. */
export function readPcap(bytes: Uint8Array): PcapFile {
  if (bytes.length < GLOBAL_HEADER) throw new RangeError(`pcap: ${bytes.length} bytes is shorter than the 24-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  const m = v.getUint32(0, true);
  if (m === PCAP_MAGIC || m === PCAP_MAGIC_NS) le = true;
  else if (v.getUint32(0, false) === PCAP_MAGIC || v.getUint32(0, false) === PCAP_MAGIC_NS) le = false;
  else throw new RangeError(`pcap: bad magic 0x${m.toString(16)}`);
  const ns = v.getUint32(0, le) === PCAP_MAGIC_NS;
  const records: PcapRecord[] = [];
  let at = GLOBAL_HEADER;
  while (at < bytes.length) {
    if (at + RECORD_HEADER > bytes.length) throw new RangeError(`pcap: truncated record header at offset ${at}`);
    const sec = v.getUint32(at, le);
    const frac = v.getUint32(at + 4, le);
    const incl = v.getUint32(at + 8, le);
    const orig = v.getUint32(at + 12, le);
    if (at + RECORD_HEADER + incl > bytes.length) throw new RangeError(`pcap: truncated record data at offset ${at}`);
    records.push({ tNs: sec * 1e9 + (ns ? frac : frac * 1000), origLen: orig, data: bytes.slice(at + RECORD_HEADER, at + RECORD_HEADER + incl) });
    at += RECORD_HEADER + incl;
  }
  return { bigEndian: !le, nanosecond: ns, version: [v.getUint16(4, le), v.getUint16(6, le)], snaplen: v.getUint32(16, le), linktype: v.getUint32(20, le), records };
}
