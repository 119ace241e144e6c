/**
 * Bounce buffering (swiotlb): 2 KiB slots in low memory standing in for buffers a device cannot
 * address (beyond its DMA mask) or, with `swiotlb=force`, for every streaming mapping. Data is
 * copied by the CPU as Linux does: original → bounce at map and for_device syncs of TO_DEVICE and
 * BIDIRECTIONAL, bounce → original at for_cpu syncs and unmap of FROM_DEVICE and BIDIRECTIONAL.
 */
import type { Cpu } from '../../hw/cpu.js';
import { GFP_DMA } from '../mm/gfp.js';
import type { MemoryManager } from '../mm/memory-manager.js';

/** IO_TLB_SIZE: one slot. */
export const IO_TLB_SIZE = 2048;
/** IO_TLB_SEGSIZE: the most contiguous slots one mapping may take. */
export const IO_TLB_SEGSIZE = 128;
const PAGE_SIZE = 4096;
const CHUNK_ORDER = 10; // 4 MiB of slots per chunk
const CHUNK_SLOTS = ((1 << CHUNK_ORDER) * 4096) / IO_TLB_SIZE;

interface Chunk {
  readonly va: number;
  readonly pa: number;
  readonly used: Uint8Array;
}

/** A live bounce mapping. */
export interface Bounce {
  /** Original buffer (physical, and its lowmem virtual address, or -1 for a highmem buffer). */
  readonly origPa: number;
  readonly origVa: number;
  /** Bounce slot (physical and virtual). */
  readonly bouncePa: number;
  readonly bounceVa: number;
  readonly size: number;
  readonly slots: number;
  readonly chunk: number;
  readonly first: number;
}

/** The bounce pool. Chunks are taken from the page allocator as the pool fills, up to `maxBytes`. */
export class Swiotlb {
  private readonly chunks: Chunk[] = [];
  private readonly byBouncePa = new Map<number, Bounce>();
  /** Slots in use. */
  used = 0;

  constructor(
    private readonly mm: MemoryManager,
    private readonly cpu: Cpu,
    /** Pool size limit (Linux's default is 64 MiB). */
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Total slots the pool may grow to. */
  get totalSlots(): number {
    return this.maxBytes / IO_TLB_SIZE;
  }

  /** Take slots for `size` bytes and copy the original in. Returns null when the pool is full. */
  map(origPa: number, origVa: number, size: number): Bounce | null {
    const slots = Math.ceil(size / IO_TLB_SIZE);
    if (slots > IO_TLB_SEGSIZE) return null;
    let found = this.find(slots);
    if (!found && this.grow()) found = this.find(slots);
    if (!found) return null;
    const [ci, first] = found;
    const c = this.chunks[ci]!;
    c.used.fill(1, first, first + slots);
    this.used += slots;
    const b: Bounce = { origPa, origVa, bouncePa: c.pa + first * IO_TLB_SIZE, bounceVa: c.va + first * IO_TLB_SIZE, size, slots, chunk: ci, first };
    this.byBouncePa.set(b.bouncePa, b);
    // Map copies for every direction ("to preserve the original's data if the device does a partial write").
    this.toBounce(b, 0, size);
    return b;
  }

  /** The bounce mapping whose slot starts at `bouncePa`. */
  find_(bouncePa: number): Bounce | undefined {
    return this.byBouncePa.get(bouncePa);
  }

  /** The bounce mapping containing physical [pa, pa+len), if any. */
  containing(pa: number, len: number): Bounce | undefined {
    for (const b of this.byBouncePa.values()) if (pa >= b.bouncePa && pa + len <= b.bouncePa + b.size) return b;
    return undefined;
  }

  /** Copy original → bounce for [offset, offset+len) of the mapping. */
  toBounce(b: Bounce, offset: number, len: number): void {
    this.withOrig(b, offset, len, (origVa, bounceVa, n) => this.bounceCopy(bounceVa, origVa, n));
  }

  /** Copy bounce → original for [offset, offset+len) of the mapping. */
  toOrig(b: Bounce, offset: number, len: number): void {
    this.withOrig(b, offset, len, (origVa, bounceVa, n) => this.bounceCopy(origVa, bounceVa, n));
  }

  /**
   * Run `copy` over [offset, offset+len) of the mapping with a CPU address for the original: its
   * lowmem address, or — for a highmem buffer, the usual case of a buffer beyond a 32-bit mask
   * on a board with RAM above 4 GiB — a kmap of each page in turn, as swiotlb_bounce does.
   */
  private withOrig(b: Bounce, offset: number, len: number, copy: (origVa: number, bounceVa: number, n: number) => void): void {
    if (b.origVa >= 0) {
      copy(b.origVa + offset, b.bounceVa + offset, len);
      return;
    }
    for (let off = offset; off < offset + len; ) {
      const pa = b.origPa + off;
      const n = Math.min(offset + len - off, PAGE_SIZE - (pa % PAGE_SIZE));
      const page = this.mm.pfn_to_page(Math.floor(pa / PAGE_SIZE));
      const va = this.mm.kmap(page);
      if (va === null) throw new Error('swiotlb: no kmap slot for a highmem bounce');
      try {
        copy(va + (pa % PAGE_SIZE), b.bounceVa + off, n);
      } finally {
        this.mm.kunmap(page);
      }
      off += n;
    }
  }

  /**
   * swiotlb_bounce: the DMA layer's own copy, made while the buffer changes hands (before the
   * checker hears of the sync or unmap), so it is kept out of the CPU-access watch hook; a
   * driver's load or store is never hidden by this, only the copy itself.
   */
  private bounceCopy(dst: number, src: number, len: number): void {
    const hook = this.cpu.onWatch;
    this.cpu.onWatch = null;
    try {
      this.cpu.copy(dst, src, len);
    } finally {
      this.cpu.onWatch = hook;
    }
  }

  /** Give the slots back. */
  release(b: Bounce): void {
    this.chunks[b.chunk]!.used.fill(0, b.first, b.first + b.slots);
    this.used -= b.slots;
    this.byBouncePa.delete(b.bouncePa);
  }

  private find(slots: number): [number, number] | null {
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const used = this.chunks[ci]!.used;
      let run = 0;
      for (let i = 0; i < used.length; i++) {
        run = used[i] ? 0 : run + 1;
        // A mapping never straddles an IO_TLB_SEGSIZE segment, as in Linux: restart at the boundary.
        if (run > 0 && Math.floor((i + 1 - run) / IO_TLB_SEGSIZE) !== Math.floor(i / IO_TLB_SEGSIZE)) run = (i % IO_TLB_SEGSIZE) + 1;
        if (run === slots) return [ci, i + 1 - slots];
      }
    }
    return null;
  }

  private grow(): boolean {
    if ((this.chunks.length + 1) * CHUNK_SLOTS * IO_TLB_SIZE > this.maxBytes) return false;
    const va = this.mm.__get_free_pages(GFP_DMA, CHUNK_ORDER, 'swiotlb');
    if (!va) return false;
    this.chunks.push({ va, pa: this.mm.virt_to_phys(va), used: new Uint8Array(CHUNK_SLOTS) });
    return true;
  }
}
