/**
 * The L1 data cache of an e500-class core: set-associative, write-back, write-allocate, with
 * pseudo-LRU or seeded-random replacement, PowerPC line operations (dcbst/dcbi/dcbf/dcbz), and an
 * optional snooping mode for coherent boards. Data lives in the RAM store's CPU plane; this class
 * keeps tags, line states and replacement, and copies a line between planes only when it must.
 * Not modelled: the L2, instruction cache, prefetch, and timing of individual hits and misses.
 */
import type { Prng } from '../sim/prng.js';
import type { TraceBus } from '../sim/trace.js';
import { LINE_DIRTY as LINE_DIRTY_, LINE_DIVERGED as LINE_DIVERGED_, LINE_STALE as LINE_STALE_, LINE_VALID as LINE_VALID_, type RamStore } from './ram.js';

// Module-local copies: imported bindings can cost a getter call per use under some loaders.
const LINE_DIRTY = LINE_DIRTY_;
const LINE_DIVERGED = LINE_DIVERGED_;
const LINE_STALE = LINE_STALE_;
const LINE_VALID = LINE_VALID_;


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
  /** Valid ways per set, so a full set skips the free-way scan. */
  private readonly setFill: Uint8Array;
  /** Per way: the PLRU update as bits = (bits & plruAnd[w]) | plruOr[w]. */
  private readonly plruAnd: Uint32Array;
  private readonly plruOr: Uint32Array;
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
    this.setFill = new Uint8Array(sets);
    this.plruAnd = new Uint32Array(ways);
    this.plruOr = new Uint32Array(ways);
    for (let w = 0; w < ways; w++) {
      let node = 0;
      let touched = 0;
      let set = 0;
      for (let l = this.levels - 1; l >= 0; l--) {
        const dir = (w >>> l) & 1;
        touched |= 1 << node;
        if (!dir) set |= 1 << node; // point the node away from the way just used
        node = 2 * node + 1 + dir;
      }
      this.plruAnd[w] = ~touched >>> 0;
      this.plruOr[w] = set;
    }
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
    const lstate = st.lstate;
    const watchBits = st.watch;
    const lway = st.lway;
    const base = slot << st.lpfShift;
    const setBase = st.slotPfn[slot]! * st.linesPerFrame;
    const setMask = this.sets - 1;
    const hardware = this.policyNow === 'hardware';
    const plru = this.plru;
    const andMask = this.plruAnd;
    const orMask = this.plruOr;
    const dirty = write ? LINE_DIRTY | LINE_DIVERGED : 0;
    let acc = 0;
    let watch = 0;
    let hits = 0;
    for (let i = first; i <= last; i++) {
      const g = base + i;
      const s = lstate[g]!;
      acc |= s;
      watch |= watchBits[g]!;
      if (s & LINE_VALID) {
        hits++;
        if (hardware) {
          const set = (setBase + i) & setMask;
          const w = lway[g]!;
          plru[set] = (plru[set]! & andMask[w]!) | orMask[w]!;
        }
        lstate[g] = s | dirty;
      } else {
        this.counters.misses++;
        this.allocate(g, (setBase + i) & setMask, true);
        lstate[g]! |= dirty;
      }
    }
    this.counters.hits += hits;
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
   * Whether any line intersecting [pa, pa+len) (within one frame) is valid in the cache. A bus
   * master's write can then go to both planes at once, which keeps them equal and owes no refill.
   */
  anyValid(pa: number, len: number): boolean {
    const st = this.store;
    const slot = st.peekSlot(pa);
    if (slot < 0) return false;
    const inFrame = pa % 4096;
    const base = slot << st.lpfShift;
    const last = base + ((inFrame + len - 1) >>> st.lineShift);
    const ls = st.lstate;
    for (let g = base + (inFrame >>> st.lineShift); g <= last; g++) if (ls[g]! & LINE_VALID) return true;
    return false;
  }

  /**
   * A bus master wrote RAM [pa, pa+len) (one frame) into both planes: lines it covers whole are
   * current again; partly covered lines keep whatever divergence they had.
   */
  afterMasterWriteBoth(pa: number, len: number): void {
    const st = this.store;
    const slot = st.peekSlot(pa);
    if (slot < 0) return;
    const ls = st.lstate;
    const size = st.lineSize;
    const inFrame = pa % 4096;
    const base = slot << st.lpfShift;
    const firstFull = Math.ceil(inFrame / size);
    const endFull = Math.floor((inFrame + len) / size);
    for (let i = firstFull; i < endFull; i++) ls[base + i] = ls[base + i]! & ~LINE_DIVERGED;
  }

  /**
   * A bus master has written RAM [pa, pa+len) (the RAM plane only). A snooping cache had already
   * dropped the lines (see {@link beforeMasterWrite}); a non-snooping one keeps them, now stale.
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
    this.setFill.fill(0);
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
        // A clean, current line leaves the planes equal: no refill copy is owed for it.
        if (s & LINE_VALID) this.unlink(g, set);
        st.lstate[g] = s & ~(LINE_VALID | LINE_DIRTY | LINE_STALE);
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
      if (this.setFill[set]! < ways) {
        for (let w = 0; w < ways; w++) {
          if (this.setLine[row + w]! < 0) {
            way = w;
            break;
          }
        }
        this.setFill[set]!++;
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
      for (let w = 0; w < this.ways; w++) {
        if (this.setLine[row + w] === g) {
          this.setLine[row + w] = -1;
          this.setFill[set]!--;
        }
      }
      return;
    }
    const idx = set * this.ways + this.store.lway[g]!;
    if (this.setLine[idx] === g) {
      this.setLine[idx] = -1;
      this.setFill[set]!--;
    }
  }

  private touchWay(set: number, way: number): void {
    this.plru[set] = (this.plru[set]! & this.plruAnd[way]!) | this.plruOr[way]!;
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
