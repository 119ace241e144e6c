/**
 * The `struct page` analogue: one descriptor per physical page frame, kept in typed arrays indexed
 * by frame (flags, zone, refcount, order, private, compound head), plus `struct page *` values that
 * are kernel virtual addresses inside a `mem_map` array, as on a FLATMEM 32-bit kernel. Left out:
 * mapcount, mapping/index, LRU lists and everything else page cache and user memory need.
 */
import { ZONE_NAMES } from './gfp.js';
import { hptr, ptr } from './format.js';

/** `sizeof(struct page)` on 32-bit PowerPC. */
export const STRUCT_PAGE_SIZE = 32;

/** PG_slab: the page belongs to a slab (`PageSlab`). Bit values follow Linux 6.1's `enum pageflags`. */
export const PG_slab = 1 << 9;
/** PG_reserved: never handed to the page allocator (kernel image, memblock reservations, holes). */
export const PG_reserved = 1 << 12;
/** PG_head: first page of a compound page (slab of order > 0, large kmalloc). */
export const PG_head = 1 << 16;
/** Sandbox bit (a page type in Linux): the page heads a free block in the buddy allocator. */
export const PG_buddy = 1 << 24;
/** Sandbox bit (Linux encodes it in `compound_head`): a tail page of a compound page. */
export const PG_tail = 1 << 25;
/** Sandbox bit: head of a large kmalloc allocation (> KMALLOC_MAX_CACHE_SIZE). */
export const PG_large_kmalloc = 1 << 26;
/** Sandbox bit: page backs a vmalloc area. */
export const PG_vmalloc = 1 << 27;
/** Sandbox bit (Linux derives `PageHighMem` from the zone): page is in ZONE_HIGHMEM. */
export const PG_highmem = 1 << 28;
/** Sandbox bit: the frame is not RAM (a hole between banks). */
export const PG_nomem = 1 << 29;

const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [PG_slab, 'slab'],
  [PG_reserved, 'reserved'],
  [PG_head, 'head'],
];

const SANDBOX_NAMES: readonly (readonly [number, string])[] = [
  [PG_buddy, 'buddy'],
  [PG_tail, 'tail'],
  [PG_large_kmalloc, 'large_kmalloc'],
  [PG_vmalloc, 'vmalloc'],
  [PG_highmem, 'highmem'],
  [PG_nomem, 'nomem'],
];

/** A snapshot of one page descriptor, for tests and reports. */
export interface PageView {
  /** The `struct page *` value (a kernel virtual address inside mem_map). */
  readonly page: number;
  /** Page frame number. */
  readonly pfn: number;
  /** Physical address of the frame. */
  readonly phys: number;
  /** Raw flag bits (PG_*). */
  readonly flags: number;
  /** Flag names, Linux's first then the sandbox's (`slab`, `head`, `buddy`, `highmem`...). */
  readonly flagNames: readonly string[];
  /** Zone name (`DMA`, `Normal`, `HighMem`) or `none` for holes. */
  readonly zone: string;
  /** Reference count (1 for an allocated head page, 0 when free). */
  readonly refcount: number;
  /** Order of the block this page heads (free or allocated), or 0. */
  readonly order: number;
  /** `page->private` (slab id for slab pages, -1 when unused). */
  readonly private: number;
  /** pfn of the compound head for tail pages, else the page's own pfn. */
  readonly headPfn: number;
}

/** The mem_map: every frame's descriptor in parallel typed arrays. */
export class PageArray {
  /** First pfn covered. */
  readonly basePfn: number;
  /** Number of frames covered. */
  readonly count: number;
  /** Kernel VA of `mem_map[0]`; set once memblock has placed the array. */
  memmapVa = 0;
  /** PG_* bits per frame. */
  readonly flags: Uint32Array;
  /** Zone per frame (255 for holes). */
  readonly zone: Uint8Array;
  /** Reference count per frame. */
  readonly refcount: Int32Array;
  /** Order of the block a head page starts. */
  readonly order: Uint8Array;
  /** `page->private`. */
  readonly priv: Int32Array;
  /** Frame index of the compound head (tail pages), else the frame's own index. */
  readonly head: Int32Array;

  constructor(basePfn: number, count: number) {
    this.basePfn = basePfn;
    this.count = count;
    this.flags = new Uint32Array(count);
    this.zone = new Uint8Array(count).fill(255);
    this.refcount = new Int32Array(count);
    this.order = new Uint8Array(count);
    this.priv = new Int32Array(count).fill(-1);
    this.head = new Int32Array(count);
    for (let i = 0; i < count; i++) this.head[i] = i;
  }

  /** Frame index for a pfn, or -1 when outside the array. */
  index(pfn: number): number {
    const i = pfn - this.basePfn;
    return i >= 0 && i < this.count ? i : -1;
  }

  /** `pfn_to_page`: the `struct page *` for a pfn. */
  pfnToPage(pfn: number): number {
    return this.memmapVa + (pfn - this.basePfn) * STRUCT_PAGE_SIZE;
  }

  /** `page_to_pfn`, or -1 when the value is not a descriptor in mem_map. */
  pageToPfn(page: number): number {
    const off = page - this.memmapVa;
    if (!(off >= 0) || off % STRUCT_PAGE_SIZE !== 0) return -1;
    const i = off / STRUCT_PAGE_SIZE;
    return i < this.count ? this.basePfn + i : -1;
  }

  /** A snapshot of the descriptor of frame index `i`. */
  view(i: number): PageView {
    const flags = this.flags[i]!;
    const zone = this.zone[i]!;
    const names: string[] = [];
    for (const [bit, name] of FLAG_NAMES) if (flags & bit) names.push(name);
    for (const [bit, name] of SANDBOX_NAMES) if (flags & bit) names.push(name);
    const pfn = this.basePfn + i;
    return {
      page: this.pfnToPage(pfn),
      pfn,
      phys: pfn * 4096,
      flags,
      flagNames: names,
      zone: zone === 255 ? 'none' : ZONE_NAMES[zone]!,
      refcount: this.refcount[i]!,
      order: this.order[i]!,
      private: this.priv[i]!,
      headPfn: this.basePfn + this.head[i]!,
    };
  }

  /** `%pGp` for frame index `i`: `0x200(slab|zone=0)` (zone in bits 30-31, as a FLATMEM ppc32 kernel). */
  formatFlags(i: number): string {
    const flags = this.flags[i]!;
    const zone = this.zone[i]! === 255 ? 0 : this.zone[i]!;
    const linux = (flags & 0xffffff) >>> 0;
    const value = linux + zone * 0x4000_0000;
    const names: string[] = [];
    for (const [bit, name] of FLAG_NAMES) if (flags & bit) names.push(name);
    names.push(`zone=${zone}`);
    return `0x${value.toString(16)}(${names.join('|')})`;
  }

  /** `dump_page` first line: `page:c0a1b2c0 refcount:1 mapcount:0 mapping:00000000 index:0x0 pfn:0x1234`. */
  dumpLine(i: number): string {
    const pfn = this.basePfn + i;
    return `page:${ptr(this.pfnToPage(pfn))} refcount:${this.refcount[i]!} mapcount:0 mapping:00000000 index:0x0 pfn:0x${pfn.toString(16)}`;
  }

  /** `flags: ...` line of dump_page. */
  dumpFlagsLine(i: number): string {
    return `flags: ${this.formatFlags(i)}`;
  }

  /** The `struct page *` of frame index `i`, as text (`0x%p`). */
  pagePtrText(i: number): string {
    return hptr(this.pfnToPage(this.basePfn + i));
  }
}
