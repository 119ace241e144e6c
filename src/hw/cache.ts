/**
 * The L1 data cache of an e500-class core: set-associative, write-back, write-allocate, with
 * pseudo-LRU or seeded-random replacement, PowerPC line operations (dcbst/dcbi/dcbf/dcbz), and an
 * optional snooping mode for coherent boards. Data lives in the RAM store's CPU plane; this class
 * keeps tags, line states and replacement, and copies a line between planes only when it must.
 * Not modelled: the L2, instruction cache, prefetch, and timing of individual hits and misses.
 */
import type { Prng } from '../sim/prng.js';
import type { TraceBus } from '../sim/trace.js';
import { LINE_DIRTY, LINE_DIVERGED, LINE_STALE, LINE_VALID, type RamStore } from './ram.js';

/** Shape of the cache. */
export interface CacheGeometry {
  /** Total bytes (e.g. 32768). */
  readonly size: number;
  /** Associativity (a power of two, 1..32). */
  readonly ways: number;
  /** Line size: 16, 32, 64 or 128 bytes. */
  readonly lineSize: number;
}

/** The e500v2 L1 data cache: 32 KiB, 8-way, 32-byte lines. */
export const E500V2_L1D: CacheGeometry = { size: 32 * 1024, ways: 8, lineSize: 32 };

/** How victims are chosen when a set is full. */
export type Replacement = 'plru' | 'random';

/**
 * Eviction policy knob for tests. `hardware`: lines leave when their set needs room, as on the
 * chip (which ones depends on the seed with random replacement). `expose`: lines stay until a
 * cache operation removes them, so a missing invalidate always reads stale data and a missing
 * clean always leaves a device reading old RAM.
 */
export type EvictionPolicy = 'hardware' | 'expose';

/** Counters a user can read (`board.cpu.cache.counters`). */
export interface CacheCounters {
  hits: number;
  misses: number;
  writebacks: number;
  evictions: number;
}

/** Called when a dirty line that a device wrote behind the cache's back is written back over it. */
export type ClobberHook = (linePa: number, lineRamOffset: number) => void;

/** Options for {@link DataCache}. */
export interface CacheOptions {
  readonly replacement?: Replacement;
  readonly policy?: EvictionPolicy;
  /** Seeded source for random replacement. */
  readonly prng: Prng;
  readonly trace?: TraceBus;
  readonly now?: () => number;
}

/** The data cache model. */
export class DataCache {
  readonly geometry: CacheGeometry;
  readonly sets: number;
  readonly replacement: Replacement;
  private policyNow: EvictionPolicy;
  readonly counters: CacheCounters = { hits: 0, misses: 0, writebacks: 0, evictions: 0 };
  /** Optional symptom hook for write-backs that overwrite device-written RAM. */
  onClobber: ClobberHook | null = null;
  /** OR of the watch bits of the lines touched by the last {@link touchCpu}. */
  watchSeen = 0;

  private readonly store: RamStore;
  private readonly ways: number;
  private readonly levels: number;
  /** Global line id held by each (set, way), or -1. */
  private readonly setLine: Int32Array;
  /** Tree pseudo-LRU bits per set. */
  private readonly plru: Uint32Array;
  private readonly prng: Prng;
  private readonly trace: TraceBus | undefined;
  private readonly now: () => number;

  constructor(store: RamStore, geometry: CacheGeometry, opts: CacheOptions) {
    const { size, ways, lineSize } = geometry;
    if (lineSize !== store.lineSize) throw new RangeError(`DataCache: line size ${lineSize} differs from the RAM store's ${store.lineSize}`);
    if (!Number.isInteger(ways) || ways < 1 || ways > 32 || (ways & (ways - 1)) !== 0) throw new RangeError(`DataCache: ways must be a power of two from 1 to 32, got ${ways}`);
    const sets = size / (ways * lineSize);
    if (!Number.isInteger(sets) || sets < 1 || (sets & (sets - 1)) !== 0) {
      throw new RangeError(`DataCache: size ${size} / (${ways} ways × ${lineSize} B) must give a power-of-two number of sets`);
    }
    this.geometry = geometry;
    this.store = store;
    this.ways = ways;
    this.levels = Math.log2(ways);
    this.sets = sets;
    this.replacement = opts.replacement ?? 'plru';
    this.policyNow = opts.policy ?? 'hardware';
    this.prng = opts.prng;
    this.trace = opts.trace;
    this.now = opts.now ?? (() => 0);
    this.setLine = new Int32Array(sets * ways).fill(-1);
    this.plru = new Uint32Array(sets);
  }

  /** The eviction policy in force (see {@link EvictionPolicy}). */
  get policy(): EvictionPolicy {
    return this.policyNow;
  }

  /** Switch eviction policy between test steps; the cache is flushed first so no line is lost track of. */
  setPolicy(policy: EvictionPolicy): void {
    if (policy === this.policyNow) return;
    this.flushAll();
    this.policyNow = policy;
  }

  /** Number of valid lines held in set-associative storage. */
  get residentLines(): number {
    let n = 0;
    for (let i = 0; i < this.setLine.length; i++) if (this.setLine[i]! >= 0) n++;
    return n;
  }

  /**
   * CPU access to lines [first, last] of frame `slot`: each line is made valid (filled on a miss,
   * possibly evicting a victim) and, for a store, dirty. Returns the OR of the lines' states
   * before the access, so the caller can spot stale lines; {@link watchSeen} gets their watch bits.
   */
  touchCpu(slot: number, first: number, last: number, write: boolean): number {
    const st = this.store;
    const lpf = st.linesPerFrame;
    const base = slot * lpf;
    const setBase = st.slotPfn[slot]! * lpf;
    let acc = 0;
    let watch = 0;
    for (let i = first; i <= last; i++) {
      const g = base + i;
      const s = st.lstate[g]!;
      acc |= s;
      watch |= st.watch[g]!;
      if (s & LINE_VALID) {
        this.counters.hits++;
        if (this.policyNow === 'hardware') this.touchWay(((setBase + i) & (this.sets - 1)), st.lway[g]!);
      } else {
        this.counters.misses++;
        this.allocate(g, (setBase + i) & (this.sets - 1), true);
      }
      if (write) st.lstate[g]! |= LINE_DIRTY | LINE_DIVERGED;
    }
    this.watchSeen = watch;
    return acc;
  }

  /** `dcbst` on every line intersecting [pa, pa+len): write back dirty lines, keep them valid. */
  clean(pa: number, len: number): void {
    this.forLines(pa, len, 0);
  }

  /** `dcbi` on every line intersecting the range: discard, dirty data is lost. */
  invalidate(pa: number, len: number): void {
    this.forLines(pa, len, 1);
  }

  /** `dcbf` on every line intersecting the range: write back if dirty, then discard. */
  flush(pa: number, len: number): void {
    this.forLines(pa, len, 2);
  }

  /** `dcbz` on every line intersecting the range: allocate without reading RAM, zero, mark dirty. */
  zero(pa: number, len: number): void {
    this.forLines(pa, len, 3);
  }

  /**
   * A bus master is about to read RAM [pa, pa+len). Snooping caches supply dirty data first
   * (written back, line stays valid); a non-snooping cache does nothing — the device reads RAM.
   */
  beforeMasterRead(pa: number, len: number, snoop: boolean): void {
    if (snoop) this.forLines(pa, len, 4);
  }

  /**
   * A bus master has written RAM [pa, pa+len). A snooping cache had already dropped the lines
   * (see {@link beforeMasterWrite}); a non-snooping one keeps them, now stale.
   */
  afterMasterWrite(pa: number, len: number, snoop: boolean): void {
    this.forLines(pa, len, snoop ? 5 : 6);
  }

  /** A snooping cache pushes out and drops lines a bus master is about to write. */
  beforeMasterWrite(pa: number, len: number, snoop: boolean): void {
    if (snoop) this.forLines(pa, len, 2);
  }

  /** A cache-inhibited CPU store went straight to RAM: any cached copy is now stale, as for a device. */
  afterUncachedWrite(pa: number, len: number): void {
    this.forLines(pa, len, 6);
  }

  /** Write back every dirty line and invalidate the whole cache (as a full flush loop would). */
  flushAll(): void {
    const st = this.store;
    for (let i = 0; i < this.setLine.length; i++) {
      const g = this.setLine[i]!;
      if (g >= 0) {
        this.dropLine(g, true);
        this.setLine[i] = -1;
      }
    }
    // Lines valid in expose mode are not in the set arrays.
    const ls = st.lstate;
    for (let g = 0; g < ls.length; g++) if (ls[g]! & LINE_VALID) this.dropLine(g, true);
  }

  /** True when the line holding `pa` is valid in the cache. */
  isCached(pa: number): boolean {
    const g = this.lineOf(pa);
    return g >= 0 && (this.store.lstate[g]! & LINE_VALID) !== 0;
  }

  /** True when the line holding `pa` is valid and dirty. */
  isDirty(pa: number): boolean {
    const g = this.lineOf(pa);
    return g >= 0 && (this.store.lstate[g]! & (LINE_VALID | LINE_DIRTY)) === (LINE_VALID | LINE_DIRTY);
  }

  /** Plain copy of the replacement and tag state (line data lives in the RAM store). */
  save(): { setLine: number[]; plru: number[]; counters: CacheCounters } {
    return { setLine: Array.from(this.setLine), plru: Array.from(this.plru), counters: { ...this.counters } };
  }

  private lineOf(pa: number): number {
    const slot = this.store.peekSlot(pa);
    if (slot < 0) return -1;
    return slot * this.store.linesPerFrame + ((pa % 4096) >>> this.store.lineShift);
  }

  /** Apply line operation `op` to every line intersecting [pa, pa+len). */
  private forLines(pa: number, len: number, op: number): void {
    if (len <= 0) return;
    const st = this.store;
    const ls = st.lineSize;
    let p = pa - (pa % ls);
    const end = pa + len;
    while (p < end) {
      // Lines never straddle frames, so work a frame at a time; untouched frames hold nothing cached.
      const frameStart = p - (p % 4096);
      const frameEnd = Math.min(end, frameStart + 4096);
      const slot = op === 3 ? st.slotOf(p) : st.peekSlot(p);
      if (slot >= 0) {
        const lpf = st.linesPerFrame;
        const first = (p - frameStart) >>> st.lineShift;
        const last = (frameEnd - 1 - frameStart) >>> st.lineShift;
        const setBase = st.slotPfn[slot]! * lpf;
        for (let i = first; i <= last; i++) this.lineOp(slot * lpf + i, (setBase + i) & (this.sets - 1), op);
      }
      p = frameStart + 4096;
    }
  }

  private lineOp(g: number, set: number, op: number): void {
    const st = this.store;
    const s = st.lstate[g]!;
    switch (op) {
      case 0: // dcbst
        if ((s & (LINE_VALID | LINE_DIRTY)) === (LINE_VALID | LINE_DIRTY)) this.writeBack(g);
        if (this.trace?.enabled) this.emit('clean', g);
        return;
      case 1: // dcbi
        if (s & LINE_VALID) this.unlink(g, set);
        st.lstate[g] = s & LINE_VALID ? (s & ~(LINE_VALID | LINE_DIRTY | LINE_STALE)) | LINE_DIVERGED : s;
        if (this.trace?.enabled) this.emit('invalidate', g);
        return;
      case 2: // dcbf
        if (s & LINE_VALID) {
          this.unlink(g, set);
          this.dropLine(g, true);
        }
        if (this.trace?.enabled) this.emit('flush', g);
        return;
      case 3: {
        // dcbz: establish the line without reading RAM.
        if (!(s & LINE_VALID)) this.allocate(g, set, false);
        const off = st.lineRamOffset(g) + 4096;
        st.data.fill(0, off, off + st.lineSize);
        st.lstate[g]! |= LINE_DIRTY | LINE_DIVERGED;
        if (this.trace?.enabled) this.emit('zero', g);
        return;
      }
      case 4: // snoop read: supply dirty data
        if ((s & (LINE_VALID | LINE_DIRTY)) === (LINE_VALID | LINE_DIRTY)) this.writeBack(g);
        return;
      case 5: // snooped write: the line was dropped before; RAM is newer than the CPU plane
        st.lstate[g] = s | LINE_DIVERGED;
        return;
      case 6: // unsnooped write: RAM changed under the cache
        st.lstate[g] = s & LINE_VALID ? s | LINE_DIVERGED | LINE_STALE : s | LINE_DIVERGED;
        return;
    }
  }

  /** Make line g valid in set `set`, evicting a victim if needed; `fill` copies RAM into the CPU plane. */
  private allocate(g: number, set: number, fill: boolean): void {
    const st = this.store;
    if (this.policyNow === 'hardware') {
      const ways = this.ways;
      const row = set * ways;
      let way = -1;
      for (let w = 0; w < ways; w++) {
        if (this.setLine[row + w]! < 0) {
          way = w;
          break;
        }
      }
      if (way < 0) {
        way = this.replacement === 'plru' ? this.plruVictim(set) : this.prng.below(ways);
        const victim = this.setLine[row + way]!;
        this.counters.evictions++;
        if (this.trace?.enabled) this.emit('evict', victim);
        this.dropLine(victim, true);
      }
      this.setLine[row + way] = g;
      st.lway[g] = way;
      this.touchWay(set, way);
    }
    const s = st.lstate[g]!;
    if (fill && s & LINE_DIVERGED) {
      const ram = st.lineRamOffset(g);
      st.data.copyWithin(ram + 4096, ram, ram + st.lineSize);
    }
    st.lstate[g] = fill ? (s & ~(LINE_DIVERGED | LINE_STALE | LINE_DIRTY)) | LINE_VALID : (s & ~LINE_STALE) | LINE_VALID;
    if (fill && this.trace?.enabled) this.emit('fill', g);
  }

  /** Leave the cache: write back when dirty and asked to; the line is no longer valid. */
  private dropLine(g: number, writeBackDirty: boolean): void {
    const st = this.store;
    const s = st.lstate[g]!;
    if (writeBackDirty && s & LINE_DIRTY) this.writeBack(g);
    st.lstate[g] = st.lstate[g]! & ~(LINE_VALID | LINE_DIRTY | LINE_STALE);
  }

  /** Copy the CPU plane of a dirty line over RAM; RAM and CPU agree afterwards. */
  private writeBack(g: number): void {
    const st = this.store;
    const ram = st.lineRamOffset(g);
    if (st.lstate[g]! & LINE_STALE && this.onClobber) this.onClobber(st.linePa(g), ram);
    st.data.copyWithin(ram, ram + 4096, ram + 4096 + st.lineSize);
    st.lstate[g] = (st.lstate[g]! & ~(LINE_DIRTY | LINE_DIVERGED | LINE_STALE));
    this.counters.writebacks++;
    if (this.trace?.enabled) this.emit('writeback', g);
  }

  private unlink(g: number, set: number): void {
    if (this.policyNow !== 'hardware') {
      // Expose mode keeps no tags; but a line allocated before a policy switch may still sit in a set.
      const row = set * this.ways;
      for (let w = 0; w < this.ways; w++) if (this.setLine[row + w] === g) this.setLine[row + w] = -1;
      return;
    }
    const idx = set * this.ways + this.store.lway[g]!;
    if (this.setLine[idx] === g) this.setLine[idx] = -1;
  }

  private touchWay(set: number, way: number): void {
    if (this.levels === 0) return;
    let bits = this.plru[set]!;
    let node = 0;
    for (let l = this.levels - 1; l >= 0; l--) {
      const dir = (way >>> l) & 1;
      // Point the node away from the way just used.
      if (dir) bits &= ~(1 << node);
      else bits |= 1 << node;
      node = 2 * node + 1 + dir;
    }
    this.plru[set] = bits;
  }

  private plruVictim(set: number): number {
    const bits = this.plru[set]!;
    let node = 0;
    let way = 0;
    for (let l = 0; l < this.levels; l++) {
      const dir = (bits >>> node) & 1;
      way = (way << 1) | dir;
      node = 2 * node + 1 + dir;
    }
    return way;
  }

  private emit(op: 'fill' | 'writeback' | 'evict' | 'clean' | 'invalidate' | 'flush' | 'zero', g: number): void {
    this.trace!.emit({ kind: 'cache', t: this.now(), op, pa: this.store.linePa(g) });
  }
}
