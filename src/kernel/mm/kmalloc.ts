/**
 * The kmalloc family on top of the slab caches: Linux's size classes (kmalloc-8 … kmalloc-8k, with
 * 96 and 192, and dma-kmalloc-* for GFP_DMA), the minimum object size and alignment
 * (ARCH_DMA_MINALIGN = the cache line on a non-coherent board, 8 on a coherent one), power-of-two
 * caches aligned to their size, ZERO_SIZE_PTR, large allocations straight from the page allocator,
 * ksize, krealloc, and kfree's checks. Left out: kmalloc-rcl/cg caches, kmalloc_node, kvmalloc.
 */
import { IOREMAP_BASE, IOREMAP_TOP, PAGE_SIZE, TASK_SIZE, VMALLOC_END, vmallocStart } from '../layout.js';
import type { MmContext } from './context.js';
import { hptr } from './format.js';
import { __GFP_COMP, __GFP_DMA32, __GFP_HIGHMEM, __GFP_ZERO, GFP_DMA } from './gfp.js';
import { Kmap } from './kmap.js';
import type { PageAllocator } from './page-alloc.js';
import { PG_large_kmalloc, PG_reserved, PG_slab, PG_vmalloc } from './page.js';
import { SLAB_CACHE_DMA, SLAB_KMALLOC, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER, type KmemCache, type SlabAllocator, type SlabObjectInfo } from './slab.js';
import { SLUB_RED_ACTIVE } from './slab-debug.js';

/** What kmalloc(0) returns (`ZERO_SIZE_PTR`). */
export const ZERO_SIZE_PTR = 16;
/** Largest size served by a kmalloc cache (`KMALLOC_MAX_CACHE_SIZE`, two pages with SLUB). */
export const KMALLOC_MAX_CACHE_SIZE = 2 * PAGE_SIZE;
/** Largest kmalloc size (`KMALLOC_MAX_SIZE`: a MAX_PAGE_ORDER block). */
export const KMALLOC_MAX_SIZE = PAGE_SIZE << 10;

/** A large kmalloc block (page allocator), by head pfn. */
export interface LargeKmalloc {
  /** Requested size. */
  size: number;
  /** Page order of the block. */
  readonly order: number;
  /** Owner tag id. */
  readonly owner: number;
  /** Allocation time, ns. */
  readonly time: number;
}

function cacheName(prefix: string, size: number): string {
  return size >= 1024 && size % 1024 === 0 ? `${prefix}${size / 1024}k` : `${prefix}${size}`;
}

/** kmalloc, kfree, ksize, krealloc. */
export class Kmalloc {
  /** `KMALLOC_MIN_SIZE` = `ARCH_KMALLOC_MINALIGN`. */
  readonly minSize: number;
  /** The kmalloc caches by slot. */
  readonly caches: KmemCache[] = [];
  /** The dma-kmalloc caches by slot. */
  readonly dmaCaches: KmemCache[] = [];
  /** Object sizes of the slots. */
  readonly sizes: number[] = [];
  /** Size (1..8192) → slot. */
  private readonly sizeToSlot = new Uint8Array(KMALLOC_MAX_CACHE_SIZE + 1);
  /** Live large allocations by head pfn. */
  readonly large = new Map<number, LargeKmalloc>();

  constructor(
    private readonly ctx: MmContext,
    private readonly slab: SlabAllocator,
    private readonly pageAlloc: PageAllocator,
    /** ARCH_KMALLOC_MINALIGN: the cache line size on a non-coherent board, else 8. */
    minAlign: number,
  ) {
    this.minSize = minAlign;
    // create_kmalloc_caches(): powers of two from KMALLOC_MIN_SIZE, plus 96 and 192 when allowed.
    const sizes: number[] = [];
    for (let s = Math.max(8, minAlign); s <= KMALLOC_MAX_CACHE_SIZE; s *= 2) {
      sizes.push(s);
      if (s === 64 && minAlign <= 32) sizes.push(96);
      if (s === 128 && minAlign <= 64) sizes.push(192);
    }
    this.sizes = sizes;
    for (const dma of [false, true]) {
      for (const size of sizes) {
        const align = (size & (size - 1)) === 0 ? Math.max(minAlign, size) : minAlign;
        const cache = slab.create(cacheName(dma ? 'dma-kmalloc-' : 'kmalloc-', size), size, align, SLAB_KMALLOC | (dma ? SLAB_CACHE_DMA : 0));
        (dma ? this.dmaCaches : this.caches).push(cache);
      }
    }
    let slot = 0;
    for (let n = 1; n <= KMALLOC_MAX_CACHE_SIZE; n++) {
      while (sizes[slot]! < n) slot++;
      this.sizeToSlot[n] = slot;
    }
    slab.largeAt = (va) => this.largeAt(va);
  }

  /** The cache kmalloc(size, gfp) would use (`kmalloc_slab`), for size 1..KMALLOC_MAX_CACHE_SIZE. */
  cacheFor(size: number, gfp: number): KmemCache {
    const slot = this.sizeToSlot[size]!;
    return gfp & GFP_DMA ? this.dmaCaches[slot]! : this.caches[slot]!;
  }

  /** `__kmalloc`: size already validated. Returns the pointer, ZERO_SIZE_PTR, or 0. */
  kmalloc(size: number, gfp: number, owner: number): number {
    if (size > KMALLOC_MAX_CACHE_SIZE) return this.kmallocLarge(size, gfp, owner);
    if (size === 0) return ZERO_SIZE_PTR;
    const slot = this.sizeToSlot[size]!;
    const cache = gfp & GFP_DMA ? this.dmaCaches[slot]! : this.caches[slot]!;
    return this.slab.alloc(cache, gfp, size, owner);
  }

  private kmallocLarge(size: number, gfp: number, owner: number): number {
    let flags = gfp;
    if (flags & (__GFP_HIGHMEM | __GFP_DMA32)) flags = this.slab.fixFlags(flags);
    let order = 0;
    while (PAGE_SIZE * 2 ** order < size) order++;
    const pfn = this.pageAlloc.alloc(flags | __GFP_COMP, order, 'large_kmalloc', owner);
    if (pfn < 0) return 0;
    const pages = this.ctx.pages;
    const i = pages.index(pfn);
    pages.flags[i] = pages.flags[i]! | PG_large_kmalloc;
    this.large.set(pfn, { size, order, owner, time: this.ctx.now() });
    return this.ctx.lowmemVa(pfn * PAGE_SIZE);
  }

  /** `kfree`: every check; `owner` goes into the free track. */
  kfree(p: number, owner: number): void {
    if (p <= ZERO_SIZE_PTR) return;
    if (!this.ctx.isLowmemVa(p)) {
      this.nonSlabFree('kfree', p);
      return;
    }
    const pages = this.ctx.pages;
    const pfn = Math.floor(this.ctx.lowmemPa(p) / PAGE_SIZE);
    const i = pages.index(pfn);
    if (i < 0) {
      this.nonSlabFree('kfree', p);
      return;
    }
    if (pages.flags[i]! & PG_slab) {
      this.slab.free(this.slab.slabOfFrame(i), p, owner);
      return;
    }
    const head = pages.head[i]!;
    const headPfn = pages.basePfn + head;
    const rec = this.large.get(headPfn);
    if (rec && pages.flags[head]! & PG_large_kmalloc) {
      const start = this.ctx.lowmemVa(headPfn * PAGE_SIZE);
      if (p !== start) {
        this.ctx.report({
          kind: 'check',
          id: 'slab.invalid-free',
          title: `kfree: ${hptr(p)} is ${p - start} bytes into a ${rec.size}-byte kmalloc allocation at ${hptr(start)}, not its start`,
          body: [`allocated by ${this.ctx.owners.name(rec.owner)} at ${rec.time} ns`],
          details: { object: p, start, size: rec.size },
        });
        return;
      }
      pages.flags[head] = pages.flags[head]! & ~PG_large_kmalloc;
      this.large.delete(headPfn);
      this.pageAlloc.freeInternal(headPfn, rec.order, 'large_kmalloc');
      return;
    }
    this.nonSlabFree('kfree', p);
  }

  /** kfree of something that is neither a slab object nor a large kmalloc: free_large_kmalloc's WARN. */
  private nonSlabFree(fn: string, p: number): void {
    const what = this.describe(p);
    this.ctx.report({
      kind: 'warn',
      id: what.startsWith('a page that is free') ? 'slab.double-free' : 'slab.invalid-free',
      title: '',
      after: [`object pointer: ${hptr(p)}`, `driverlab: ${fn}: ${hptr(p)} is not memory from kmalloc: it is ${what}`],
      details: { object: p, what },
    });
  }

  /** Plain-words description of an address that kfree cannot take. */
  describe(p: number): string {
    if (p < TASK_SIZE) return 'a user-space address';
    if (!this.ctx.isLowmemVa(p)) {
      if (p >= IOREMAP_BASE && p < IOREMAP_TOP) return 'an ioremap address';
      if (Kmap.isPkmapAddr(p)) return 'a kmap address';
      if (p >= vmallocStart(this.ctx.highMemory) && p < VMALLOC_END) return 'a vmalloc-area address (use vfree)';
      return 'not a linear-map kernel address';
    }
    const pages = this.ctx.pages;
    const i = pages.index(Math.floor(this.ctx.lowmemPa(p) / PAGE_SIZE));
    if (i < 0) return 'outside RAM';
    const f = pages.flags[i]!;
    if (f & PG_reserved) return 'in reserved memory (kernel image, device tree or memblock reservation)';
    if (this.pageAlloc.isFree(pages.basePfn + i)) return 'a page that is free (already freed?)';
    if (f & PG_vmalloc) return 'a page backing a vmalloc area';
    const headPfn = pages.basePfn + pages.head[i]!;
    const rec = this.pageAlloc.records.get(headPfn);
    if (rec) return `in a page block from alloc_pages/__get_free_pages (owner ${this.ctx.owners.name(rec.owner)})`;
    return 'in a page not allocated by kmalloc';
  }

  /** `ksize`: usable size of an allocation; lifts the kmalloc red zone past the requested size. */
  ksize(p: number): number {
    if (p <= ZERO_SIZE_PTR) return 0;
    const slab = this.slab.slabAt(p);
    if (slab) {
      const cache = slab.cache;
      const idx = this.slab.objectIndex(slab, p);
      if (idx >= 0) slab.req[idx] = cache.objectSize; // skip_orig_size_check
      if (cache.flags & (SLAB_RED_ZONE | SLAB_POISON)) return cache.objectSize;
      if (cache.flags & SLAB_STORE_USER) return cache.inuse;
      return cache.size;
    }
    const large = this.largeStart(p);
    if (large >= 0) return PAGE_SIZE << this.large.get(large)!.order;
    this.ctx.report({
      kind: 'warn',
      id: 'slab.bad-ksize',
      title: '',
      after: [`driverlab: ksize: ${hptr(p)} is not memory from kmalloc: it is ${this.describe(p)}`],
      details: { object: p },
    });
    return 0;
  }

  /** Head pfn of the large kmalloc that starts exactly at `p`, or -1. */
  private largeStart(p: number): number {
    if (!this.ctx.isLowmemVa(p) || p % PAGE_SIZE !== 0) return -1;
    const pfn = this.ctx.lowmemPa(p) / PAGE_SIZE;
    return this.large.has(pfn) ? pfn : -1;
  }

  /** Requested size of a live allocation starting at `p`, or -1 when `p` is not one. */
  requestedSize(p: number): number {
    const slab = this.slab.slabAt(p);
    if (slab) {
      const idx = this.slab.objectIndex(slab, p);
      return idx >= 0 && slab.state[idx] === 1 ? slab.req[idx]! : -1;
    }
    const pfn = this.largeStart(p);
    return pfn >= 0 ? this.large.get(pfn)!.size : -1;
  }

  /** `krealloc`. */
  krealloc(p: number, newSize: number, gfp: number, owner: number): number {
    if (newSize === 0) {
      this.kfree(p, owner);
      return ZERO_SIZE_PTR;
    }
    if (p <= ZERO_SIZE_PTR) return this.kmalloc(newSize, gfp, owner);
    const old = this.requestedSize(p);
    if (old >= 0) {
      const slab = this.slab.slabAt(p);
      const ks = slab ? slab.cache.objectSize : PAGE_SIZE << this.large.get(this.largeStart(p))!.order;
      if (ks >= newSize) {
        // Still fits: keep the object, move the kmalloc red zone to the new size.
        if (slab) {
          const idx = this.slab.objectIndex(slab, p);
          const redzoned = (slab.cache.flags & (SLAB_RED_ZONE | SLAB_STORE_USER)) === (SLAB_RED_ZONE | SLAB_STORE_USER);
          if (redzoned && newSize < old) this.ctx.machine.cpuFill(p + newSize, SLUB_RED_ACTIVE, old - newSize);
          slab.req[idx] = newSize;
        } else {
          this.large.get(this.largeStart(p))!.size = newSize;
        }
        if (gfp & __GFP_ZERO && newSize > old) this.ctx.machine.cpuFill(p + old, 0, newSize - old);
        return p;
      }
    }
    const q = this.kmalloc(newSize, gfp, owner);
    if (q === 0) return 0;
    if (old > 0) this.copy(q, p, Math.min(old, newSize));
    this.kfree(p, owner);
    return q;
  }

  /** memcpy through the CPU. */
  private copy(dst: number, src: number, len: number): void {
    const m = this.ctx.machine;
    if (m.cpuCopy) {
      m.cpuCopy(dst, src, len);
      return;
    }
    const bytes = m.cpuRead(src, len);
    let i = 0;
    while (i < len) {
      const b = bytes[i]!;
      let j = i + 1;
      while (j < len && bytes[j] === b) j++;
      m.cpuFill(dst + i, b, j - i);
      i = j;
    }
  }

  /** objectAt for large kmalloc blocks. */
  private largeAt(va: number): SlabObjectInfo | null {
    const pages = this.ctx.pages;
    const i = pages.index(Math.floor(this.ctx.lowmemPa(va) / PAGE_SIZE));
    if (i < 0) return null;
    const headPfn = pages.basePfn + pages.head[i]!;
    const rec = this.large.get(headPfn);
    if (!rec) return null;
    const start = this.ctx.lowmemVa(headPfn * PAGE_SIZE);
    return { cache: null, objectStart: start, size: rec.size, requested: rec.size, state: va - start < rec.size ? 'allocated' : 'redzone' };
  }
}
