/**
 * The e500-class core's load/store unit: big-endian scalar loads and stores of 8–64 bits (aligned
 * or not) and bulk copy/fill/compare, all through the MMU and the data cache; cache-inhibited pages
 * go straight to the bus (RAM or device registers). Not modelled: instruction execution, timing,
 * alignment exceptions (e500 handles misaligned accesses in hardware; so does this model).
 */
import type { DataCache } from './cache.js';
import type { Bus } from './bus.js';
import { BusError, CpuFault, type AccessKind } from './errors.js';
import { PTE_CACHE_INHIBITED as PTE_CACHE_INHIBITED_, type Mmu } from './mmu.js';
import { FRAME_SIZE as FRAME_SIZE_, LINE_STALE as LINE_STALE_, WATCH_READS_MASK as WATCH_READS_MASK_, type RamStore } from './ram.js';

// Module-local copies: imported bindings can cost a getter call per use under some loaders.
const PTE_CACHE_INHIBITED = PTE_CACHE_INHIBITED_;
const FRAME_SIZE = FRAME_SIZE_;
const LINE_STALE = LINE_STALE_;
const WATCH_READS_MASK = WATCH_READS_MASK_;


/** Called when a CPU access touches a line whose watch bits are set (checkers' shadow memory). */
export type WatchHook = (va: number, pa: number, len: number, write: boolean, bits: number) => void;

/** Called when the CPU reads bytes of a line that a device changed in RAM behind the cache. */
export type StaleReadHook = (va: number, pa: number, len: number) => void;

/** {@link Cpu.checkpointIn} when nobody wants a checkpoint. */
const NO_CHECKPOINT = 0x7fff_ffff;

const KIND_CACHED = 0;
const KIND_UNCACHED_RAM = 1;
const KIND_MMIO = 2;

/** The core. One per board. */
export class Cpu {
  /** Checker hook for watched lines; null when nothing is watched. */
  onWatch: WatchHook | null = null;
  /** Symptom hook for stale reads; null to ignore them. */
  onStaleRead: StaleReadHook | null = null;
  /** Memory operations performed (each scalar access or bulk call counts one). */
  accesses = 0;
  /** Stores performed (RAM stores and MMIO writes); the kernel's spin detector compares it between checkpoints. */
  stores = 0;
  /**
   * Accesses left before {@link onCheckpoint} runs: a countdown decremented at the start of every
   * access, so the common case costs one decrement. The hook must set it again.
   */
  checkpointIn = NO_CHECKPOINT;
  /**
   * The kernel's checkpoint (its clock and interrupt delivery), called at the start of an access,
   * before anything of the access is done, once {@link checkpointIn} reaches zero. `va` is the
   * address of a single load or store, or -1 for a bulk operation (memcpy, fill, read, write,
   * compare), inside which the kernel takes no interrupt.
   */
  onCheckpoint: ((va: number) => void) | null = null;

  // Result of prep(): where the chunk's bytes are.
  private cKind = 0;
  private cOff = 0;
  private cPa = 0;

  constructor(
    readonly store: RamStore,
    readonly cache: DataCache,
    readonly bus: Bus,
    readonly mmu: Mmu,
  ) {}

  // ---- scalar loads -------------------------------------------------------------------------

  /** Load a byte. */
  load8(va: number): number {
    if (this.prepScalar(va, 1, 'read')) return this.slowLoad(va, 1, false);
    return this.cKind === KIND_MMIO ? this.mmioRead(va, 1) : this.store.data[this.cOff]!;
  }

  /** Load a big-endian half-word. */
  load16(va: number): number {
    if (this.prepScalar(va, 2, 'read')) return this.slowLoad(va, 2, false);
    return this.cKind === KIND_MMIO ? this.mmioRead(va, 2) : this.store.view.getUint16(this.cOff, false);
  }

  /** Load a big-endian word. */
  load32(va: number): number {
    if (this.prepScalar(va, 4, 'read')) return this.slowLoad(va, 4, false);
    return this.cKind === KIND_MMIO ? this.mmioRead(va, 4) : this.store.view.getUint32(this.cOff, false);
  }

  /** Load a little-endian half-word (byte-reversed load, `lhbrx`). */
  load16le(va: number): number {
    if (this.prepScalar(va, 2, 'read')) return this.slowLoad(va, 2, true);
    return this.cKind === KIND_MMIO ? swap16(this.mmioRead(va, 2)) : this.store.view.getUint16(this.cOff, true);
  }

  /** Load a little-endian word (`lwbrx`). */
  load32le(va: number): number {
    if (this.prepScalar(va, 4, 'read')) return this.slowLoad(va, 4, true);
    return this.cKind === KIND_MMIO ? swap32(this.mmioRead(va, 4)) : this.store.view.getUint32(this.cOff, true);
  }

  /** Load a big-endian double-word. */
  load64(va: number): bigint {
    return (BigInt(this.load32(va)) << 32n) | BigInt(this.load32(va + 4));
  }

  /** Load a little-endian double-word. */
  load64le(va: number): bigint {
    return (BigInt(this.load32le(va + 4)) << 32n) | BigInt(this.load32le(va));
  }

  // ---- scalar stores ------------------------------------------------------------------------

  /** Store a byte. */
  store8(va: number, value: number): void {
    if (this.prepScalar(va, 1, 'write')) return this.slowStore(va, 1, value, false);
    if (this.cKind === KIND_MMIO) return this.mmioWrite(va, 1, value & 0xff);
    this.store.data[this.cOff] = value;
    this.afterStore(1);
  }

  /** Store a big-endian half-word. */
  store16(va: number, value: number): void {
    if (this.prepScalar(va, 2, 'write')) return this.slowStore(va, 2, value, false);
    if (this.cKind === KIND_MMIO) return this.mmioWrite(va, 2, value & 0xffff);
    this.store.view.setUint16(this.cOff, value, false);
    this.afterStore(2);
  }

  /** Store a big-endian word. */
  store32(va: number, value: number): void {
    if (this.prepScalar(va, 4, 'write')) return this.slowStore(va, 4, value, false);
    if (this.cKind === KIND_MMIO) return this.mmioWrite(va, 4, value >>> 0);
    this.store.view.setUint32(this.cOff, value >>> 0, false);
    this.afterStore(4);
  }

  /** Store a little-endian half-word (`sthbrx`). */
  store16le(va: number, value: number): void {
    if (this.prepScalar(va, 2, 'write')) return this.slowStore(va, 2, value, true);
    if (this.cKind === KIND_MMIO) return this.mmioWrite(va, 2, swap16(value & 0xffff));
    this.store.view.setUint16(this.cOff, value, true);
    this.afterStore(2);
  }

  /** Store a little-endian word (`stwbrx`). */
  store32le(va: number, value: number): void {
    if (this.prepScalar(va, 4, 'write')) return this.slowStore(va, 4, value, true);
    if (this.cKind === KIND_MMIO) return this.mmioWrite(va, 4, swap32(value >>> 0));
    this.store.view.setUint32(this.cOff, value >>> 0, true);
    this.afterStore(4);
  }

  /** Store a big-endian double-word. */
  store64(va: number, value: bigint): void {
    this.store32(va, Number((value >> 32n) & 0xffff_ffffn));
    this.store32(va + 4, Number(value & 0xffff_ffffn));
  }

  /** Store a little-endian double-word. */
  store64le(va: number, value: bigint): void {
    this.store32le(va, Number(value & 0xffff_ffffn));
    this.store32le(va + 4, Number((value >> 32n) & 0xffff_ffffn));
  }

  // ---- bulk ---------------------------------------------------------------------------------

  /** Copy `len` bytes from `src` to `dst` (kernel virtual addresses); overlapping ranges behave as memmove. */
  copy(dst: number, src: number, len: number): void {
    this.accesses++;
    if (--this.checkpointIn <= 0) this.checkpoint(-1);
    if (len <= 0) return;
    if (dst > src && dst < src + len) {
      // Overlap with dst above src: copy backwards in chunks so no byte is read after it was overwritten.
      let remaining = len;
      while (remaining > 0) {
        const sEnd = src + remaining;
        const dEnd = dst + remaining;
        const n = Math.min(remaining, ((sEnd - 1) % FRAME_SIZE) + 1, ((dEnd - 1) % FRAME_SIZE) + 1);
        this.copyChunk(dEnd - n, sEnd - n, n);
        remaining -= n;
      }
      return;
    }
    let done = 0;
    while (done < len) {
      const s = src + done;
      const d = dst + done;
      const n = Math.min(len - done, FRAME_SIZE - (s % FRAME_SIZE), FRAME_SIZE - (d % FRAME_SIZE));
      this.copyChunk(d, s, n);
      done += n;
    }
  }

  /** Set `len` bytes at `va` to `byte`. */
  fill(va: number, byte: number, len: number): void {
    this.accesses++;
    if (--this.checkpointIn <= 0) this.checkpoint(-1);
    let done = 0;
    while (done < len) {
      const p = va + done;
      const n = Math.min(len - done, FRAME_SIZE - (p % FRAME_SIZE));
      this.prep(p, n, 'write');
      if (this.cKind === KIND_MMIO) for (let i = 0; i < n; i++) this.mmioWrite(p + i, 1, byte & 0xff);
      else {
        this.store.data.fill(byte, this.cOff, this.cOff + n);
        this.afterStore(n);
      }
      done += n;
    }
  }

  /** Copy bytes from the host into simulated memory at `va`, through the cache. */
  write(va: number, src: Uint8Array, srcOff = 0, len = src.length - srcOff): void {
    this.accesses++;
    if (--this.checkpointIn <= 0) this.checkpoint(-1);
    let done = 0;
    while (done < len) {
      const p = va + done;
      const n = Math.min(len - done, FRAME_SIZE - (p % FRAME_SIZE));
      this.prep(p, n, 'write');
      if (this.cKind === KIND_MMIO) for (let i = 0; i < n; i++) this.mmioWrite(p + i, 1, src[srcOff + done + i]!);
      else {
        this.store.data.set(src.subarray(srcOff + done, srcOff + done + n), this.cOff);
        this.afterStore(n);
      }
      done += n;
    }
  }

  /** Copy `len` bytes at `va`, as the CPU sees them, into `dst` on the host. */
  read(va: number, dst: Uint8Array, dstOff = 0, len = dst.length - dstOff): void {
    this.accesses++;
    if (--this.checkpointIn <= 0) this.checkpoint(-1);
    let done = 0;
    while (done < len) {
      const p = va + done;
      const n = Math.min(len - done, FRAME_SIZE - (p % FRAME_SIZE));
      this.prep(p, n, 'read');
      if (this.cKind === KIND_MMIO) for (let i = 0; i < n; i++) dst[dstOff + done + i] = this.mmioRead(p + i, 1);
      else dst.set(this.store.data.subarray(this.cOff, this.cOff + n), dstOff + done);
      done += n;
    }
  }

  /** Compare `len` bytes at `a` and `b` like memcmp: negative, zero or positive. */
  compare(a: number, b: number, len: number): number {
    this.accesses++;
    if (--this.checkpointIn <= 0) this.checkpoint(-1);
    let done = 0;
    while (done < len) {
      const pa = a + done;
      const pb = b + done;
      const n = Math.min(len - done, FRAME_SIZE - (pa % FRAME_SIZE), FRAME_SIZE - (pb % FRAME_SIZE));
      this.prep(pa, n, 'read');
      if (this.cKind === KIND_MMIO) return this.slowCompare(pa, pb, len - done);
      const offA = this.cOff;
      this.prep(pb, n, 'read');
      if (this.cKind === KIND_MMIO) return this.slowCompare(pa, pb, len - done);
      const offB = this.cOff;
      const d = this.store.data;
      for (let i = 0; i < n; i++) {
        const diff = d[offA + i]! - d[offB + i]!;
        if (diff !== 0) return diff;
      }
      done += n;
    }
    return 0;
  }

  /** Offset of the first byte in [va, va+len) that is not `byte`, or -1. */
  findNot(va: number, byte: number, len: number): number {
    this.accesses++;
    if (--this.checkpointIn <= 0) this.checkpoint(-1);
    let done = 0;
    while (done < len) {
      const p = va + done;
      const n = Math.min(len - done, FRAME_SIZE - (p % FRAME_SIZE));
      this.prep(p, n, 'read');
      if (this.cKind === KIND_MMIO) {
        for (let i = 0; i < n; i++) if (this.mmioRead(p + i, 1) !== byte) return done + i;
      } else {
        const i = scanNot(this.store.data, this.store.data32, this.cOff, n, byte & 0xff);
        if (i >= 0) return done + i;
      }
      done += n;
    }
    return -1;
  }

  /**
   * A cache-block instruction over every line of [va, va+len), as `flush_dcache_range` and its
   * siblings loop: `dcbst` (clean), `dcbi` (invalidate), `dcbf` (flush), `dcbz` (zero). Each
   * translates like a load (dcbst, dcbf) or a store (dcbi, dcbz), so a bad address faults here.
   * Cache-inhibited pages are skipped (nothing of them is cached).
   */
  cacheBlockOp(op: 'dcbst' | 'dcbi' | 'dcbf' | 'dcbz', va: number, len: number): void {
    this.accesses++;
    if (len <= 0) return;
    const access: AccessKind = op === 'dcbi' || op === 'dcbz' ? 'write' : 'read';
    const ls = this.store.lineSize;
    let p = va - (va % ls);
    const end = va + len;
    while (p < end) {
      const n = Math.min(end - p, FRAME_SIZE - (p % FRAME_SIZE));
      const pa = this.mmu.translate(p >>> 0, access);
      if (!(this.mmu.lastAttr & PTE_CACHE_INHIBITED)) {
        if (!this.store.isRam(pa)) throw new CpuFault(p >>> 0, access, 'machine-check', pa);
        if (op === 'dcbst') this.cache.clean(pa, n);
        else if (op === 'dcbi') this.cache.invalidate(pa, n);
        else if (op === 'dcbf') this.cache.flush(pa, n);
        else this.cache.zero(pa, n);
      }
      p += n;
    }
  }

  /** Physical address of `va` as the MMU translates it, or -1 (no fault). */
  virtToPhys(va: number): number {
    return this.mmu.probe(va);
  }

  // ---- internals ----------------------------------------------------------------------------

  private copyChunk(d: number, s: number, n: number): void {
    this.prep(s, n, 'read');
    const sKind = this.cKind;
    const sOff = this.cOff;
    this.prep(d, n, 'write');
    if (sKind === KIND_MMIO || this.cKind === KIND_MMIO) {
      for (let i = 0; i < n; i++) this.store8(d + i, this.load8(s + i));
      return;
    }
    this.store.data.copyWithin(this.cOff, sOff, sOff + n);
    this.afterStore(n);
  }

  /** Scalar prep: returns true when the access straddles a page and needs the byte-wise path. */
  private prepScalar(va: number, size: number, access: AccessKind): boolean {
    this.accesses++;
    if (--this.checkpointIn <= 0) this.checkpoint(va);
    if ((va % FRAME_SIZE) + size > FRAME_SIZE) return true;
    this.prep(va, size, access);
    return false;
  }

  /**
   * Translate and classify a chunk [va, va+n) that lies within one page; for cacheable RAM, run
   * the cache for its lines. Leaves the result in cKind/cOff/cPa.
   */
  private prep(va: number, n: number, access: AccessKind): void {
    const mmu = this.mmu;
    const pa = mmu.translate(va, access);
    const write = access === 'write';
    this.cPa = pa;
    const st = this.store;
    const slot = st.slotOf(pa);
    if (slot < 0) {
      if (this.bus.mmioAt(pa)) {
        if (!(mmu.lastAttr & PTE_CACHE_INHIBITED)) throw new CpuFault(va, access, 'machine-check', pa);
        this.cKind = KIND_MMIO;
        return;
      }
      throw new CpuFault(va, access, 'machine-check', pa);
    }
    const inFrame = pa % FRAME_SIZE;
    if (mmu.lastAttr & PTE_CACHE_INHIBITED) {
      this.cKind = KIND_UNCACHED_RAM;
      this.cOff = st.ramBase(slot) + inFrame;
      return;
    }
    this.cKind = KIND_CACHED;
    this.cOff = st.cpuBase(slot) + inFrame;
    const shift = st.lineShift;
    const acc = this.cache.touchCpu(slot, inFrame >>> shift, (inFrame + n - 1) >>> shift, write);
    // The symptom first, so the rule report made at this same access can carry it.
    if (acc & LINE_STALE && !write && this.onStaleRead) this.onStaleRead(va, pa, n);
    const watch = this.cache.watchSeen;
    if (watch !== 0 && (write || watch & WATCH_READS_MASK) && this.onWatch) this.onWatch(va, pa, n, write, watch);
  }

  /** Run the kernel's checkpoint hook, or park the countdown when there is none. */
  private checkpoint(va: number): void {
    if (this.onCheckpoint) this.onCheckpoint(va);
    else this.checkpointIn = NO_CHECKPOINT;
  }

  /** After a store into the chunk prepared last: uncached RAM stores make cached copies stale. */
  private afterStore(n: number): void {
    this.stores++;
    if (this.cKind === KIND_UNCACHED_RAM) this.cache.afterUncachedWrite(this.cPa, n);
  }

  private mmioRead(va: number, size: 1 | 2 | 4): number {
    try {
      return this.bus.mmioRead(this.cPa, size);
    } catch (e) {
      if (e instanceof BusError) throw new CpuFault(va, 'read', 'machine-check', this.cPa);
      throw e;
    }
  }

  private mmioWrite(va: number, size: 1 | 2 | 4, value: number): void {
    this.stores++;
    try {
      this.bus.mmioWrite(this.cPa, size, value);
    } catch (e) {
      if (e instanceof BusError) throw new CpuFault(va, 'write', 'machine-check', this.cPa);
      throw e;
    }
  }

  private slowLoad(va: number, size: number, le: boolean): number {
    let v = 0;
    for (let i = 0; i < size; i++) {
      const b = this.load8(va + i);
      v = le ? v | (b << (8 * i)) : (v << 8) | b;
    }
    return v >>> 0;
  }

  private slowStore(va: number, size: number, value: number, le: boolean): void {
    for (let i = 0; i < size; i++) {
      const shift = le ? 8 * i : 8 * (size - 1 - i);
      this.store8(va + i, (value >>> shift) & 0xff);
    }
  }

  private slowCompare(a: number, b: number, len: number): number {
    for (let i = 0; i < len; i++) {
      const diff = this.load8(a + i) - this.load8(b + i);
      if (diff !== 0) return diff;
    }
    return 0;
  }
}

/** Index of the first byte in d[off, off+n) that is not `byte`, or -1; whole words where aligned. */
function scanNot(d: Uint8Array, d32: Int32Array, off: number, n: number, byte: number): number {
  let i = 0;
  while (i < n && (off + i) % 4 !== 0) {
    if (d[off + i] !== byte) return i;
    i++;
  }
  const word = (byte * 0x01010101) | 0;
  let w = (off + i) >> 2;
  while (i + 4 <= n) {
    if (d32[w] !== word) break;
    w++;
    i += 4;
  }
  for (; i < n; i++) if (d[off + i] !== byte) return i;
  return -1;
}

function swap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff)) >>> 0;
}
