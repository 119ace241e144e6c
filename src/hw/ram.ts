/**
 * Sparse RAM: 4 KiB frames allocated on first touch in one growable pool. Each frame has two planes
 * — what RAM holds and what the CPU sees through its data cache — that differ only on lines the
 * cache has made diverge (dirty or stale), plus per-line state bytes the cache and checkers use.
 */

/** Bytes per frame (page). */
export const FRAME_SIZE = 4096;
const FRAME_SHIFT = 12;
/** Pool bytes per frame slot: the RAM plane then the CPU plane. */
const SLOT_SHIFT = 13;

/** Per-line state bits kept in {@link RamStore.lstate}. */
export const LINE_VALID = 1;
/** The CPU's copy was written and not yet written back. */
export const LINE_DIRTY = 2;
/** The CPU plane may differ from the RAM plane (dirty, stale, or a refill is owed). */
export const LINE_DIVERGED = 4;
/** A bus master wrote RAM while the line was valid in a non-snooping cache. */
export const LINE_STALE = 8;

/**
 * Watch bits (per line, {@link RamStore.watch}): checkers mark lines whose CPU accesses they must
 * see. Bits in the low nibble ask for reads and writes, bits in the high nibble for writes only,
 * so a buffer the CPU may read but must not write costs nothing on reads.
 */
export const WATCH_READS_MASK = 0x0f;
/** Watch bit: the DMA checker's device-owned streaming buffer (reads and writes). */
export const WATCH_DMA_DEVICE = 0x01;
/** Watch bit: a CPU-owned streaming buffer (writes only). */
export const WATCH_DMA_CPU = 0x10;
/** Watch bit: a cache line a FROM_DEVICE/BIDIRECTIONAL mapping shares with other memory (writes only). */
export const WATCH_DMA_EDGE = 0x20;

/** A RAM bank as the store holds it. */
export interface StoreBank {
  readonly base: number;
  readonly size: number;
  readonly basePfn: number;
  readonly pages: number;
  /** frame slot + 1 for each page of the bank; 0 = never touched. */
  readonly frameOf: Int32Array;
}

/** Sparse two-plane RAM with per-line metadata. */
export class RamStore {
  /** Cache line size in bytes: the granule of line state. */
  readonly lineSize: number;
  /** log2(lineSize). */
  readonly lineShift: number;
  /** Lines per 4 KiB frame. */
  readonly linesPerFrame: number;
  /** log2(linesPerFrame). */
  readonly lpfShift: number;
  /** The banks, sorted by base. */
  readonly banks: readonly StoreBank[];

  /** Frame pool: slot k has its RAM plane at k*8192 and its CPU plane at k*8192+4096. */
  data: Uint8Array;
  /** Big-endian-capable view of {@link data}; replaced when the pool grows. */
  view: DataView;
  /** 32-bit word view of {@link data} (host byte order), for word-at-a-time scans. */
  data32: Int32Array;
  /** Per-line state bits (LINE_*), indexed by global line id = slot*linesPerFrame + line. */
  lstate: Uint8Array;
  /** Per-line way index while the line is valid (set-associative modes). */
  lway: Uint8Array;
  /** Per-line watch bits: non-zero sends CPU accesses of the line to the watch hook (checkers' shadow). */
  watch: Uint8Array;
  /** Page frame number held by each slot. */
  slotPfn: Float64Array;
  private slots = 0;
  private capacity: number;
  private lastBank: StoreBank;

  constructor(banks: readonly { base: number; size: number }[], lineSize: number, initialFrames = 64) {
    if (![16, 32, 64, 128].includes(lineSize)) throw new RangeError(`RamStore: line size must be 16, 32, 64 or 128, got ${lineSize}`);
    if (banks.length === 0) throw new RangeError('RamStore: a board needs at least one RAM bank');
    this.lineSize = lineSize;
    this.lineShift = Math.log2(lineSize);
    this.linesPerFrame = FRAME_SIZE / lineSize;
    this.lpfShift = FRAME_SHIFT - this.lineShift;
    const sorted = [...banks].sort((a, b) => a.base - b.base);
    this.banks = sorted.map((b, i) => {
      if (b.base % FRAME_SIZE !== 0 || b.size % FRAME_SIZE !== 0 || b.size <= 0) {
        throw new RangeError(`RamStore: bank ${i} (base 0x${b.base.toString(16)}, size 0x${b.size.toString(16)}) is not page aligned`);
      }
      const prev = sorted[i - 1];
      if (prev && prev.base + prev.size > b.base) throw new RangeError(`RamStore: banks at 0x${prev.base.toString(16)} and 0x${b.base.toString(16)} overlap`);
      return { base: b.base, size: b.size, basePfn: b.base / FRAME_SIZE, pages: b.size / FRAME_SIZE, frameOf: new Int32Array(b.size / FRAME_SIZE) };
    });
    this.lastBank = this.banks[0]!;
    this.capacity = initialFrames;
    this.data = new Uint8Array(initialFrames << SLOT_SHIFT);
    this.view = new DataView(this.data.buffer);
    this.data32 = new Int32Array(this.data.buffer);
    const lines = initialFrames * this.linesPerFrame;
    this.lstate = new Uint8Array(lines);
    this.lway = new Uint8Array(lines);
    this.watch = new Uint8Array(lines);
    this.slotPfn = new Float64Array(initialFrames);
  }

  /** Frames allocated so far (host memory in use is about 8 KiB each). */
  get framesInUse(): number {
    return this.slots;
  }

  /** True when `pa` lies in a RAM bank. */
  isRam(pa: number): boolean {
    return this.bankOf(pa) !== undefined;
  }

  /** The bank holding `pa`, or undefined. */
  bankOf(pa: number): StoreBank | undefined {
    const last = this.lastBank;
    if (pa >= last.base && pa < last.base + last.size) return last;
    for (const b of this.banks) {
      if (pa >= b.base && pa < b.base + b.size) {
        this.lastBank = b;
        return b;
      }
    }
    return undefined;
  }

  /**
   * Slot of the frame holding `pa`, allocating the frame on first touch; -1 when `pa` is not RAM.
   * The pool may grow, so re-read {@link data}/{@link view}/{@link lstate} after calling this.
   */
  slotOf(pa: number): number {
    const bank = this.bankOf(pa);
    if (bank === undefined) return -1;
    const idx = Math.floor((pa - bank.base) / FRAME_SIZE);
    const s = bank.frameOf[idx]!;
    if (s !== 0) return s - 1;
    const slot = this.allocSlot(bank.basePfn + idx);
    bank.frameOf[idx] = slot + 1;
    return slot;
  }

  /** Slot of the frame holding `pa` if it was ever touched, else -1 (no allocation). */
  peekSlot(pa: number): number {
    const bank = this.bankOf(pa);
    if (bank === undefined) return -1;
    return bank.frameOf[Math.floor((pa - bank.base) / FRAME_SIZE)]! - 1;
  }

  /** Pool offset of the RAM plane of `slot`. */
  ramBase(slot: number): number {
    return slot << SLOT_SHIFT;
  }

  /** Pool offset of the CPU plane of `slot`. */
  cpuBase(slot: number): number {
    return (slot << SLOT_SHIFT) + FRAME_SIZE;
  }

  /** Pool offset of the RAM plane of global line `g`. */
  lineRamOffset(g: number): number {
    return ((g >>> this.lpfShift) << SLOT_SHIFT) + ((g & (this.linesPerFrame - 1)) << this.lineShift);
  }

  /** Physical address of global line `g`. */
  linePa(g: number): number {
    return this.slotPfn[g >>> this.lpfShift]! * FRAME_SIZE + ((g & (this.linesPerFrame - 1)) << this.lineShift);
  }

  private allocSlot(pfn: number): number {
    if (this.slots === this.capacity) this.grow();
    const slot = this.slots++;
    this.slotPfn[slot] = pfn;
    return slot;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const data = new Uint8Array(cap << SLOT_SHIFT);
    data.set(this.data);
    this.data = data;
    this.view = new DataView(data.buffer);
    this.data32 = new Int32Array(data.buffer);
    const lines = cap * this.linesPerFrame;
    const grown = (old: Uint8Array): Uint8Array => {
      const a = new Uint8Array(lines);
      a.set(old);
      return a;
    };
    this.lstate = grown(this.lstate);
    this.lway = grown(this.lway);
    this.watch = grown(this.watch);
    const pfns = new Float64Array(cap);
    pfns.set(this.slotPfn);
    this.slotPfn = pfns;
    this.capacity = cap;
  }
}
