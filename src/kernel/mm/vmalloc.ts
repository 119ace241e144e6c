/**
 * vmalloc: page-granular, virtually contiguous allocations built from single pages taken from the
 * page allocator (highmem first, as GFP_KERNEL | __GFP_HIGHMEM does) and mapped page by page into
 * [VMALLOC_START, VMALLOC_END), lowest free address first, with one unmapped guard page after each
 * area. The physical pages are deliberately not contiguous (mapped in descending pfn order), so
 * code that assumes vmalloc memory is physically contiguous is caught. Left out: vmap/vm_map_ram,
 * huge mappings, lazy TLB purging and the ioremap share of the area.
 */
import { PAGE_SIZE, VMALLOC_END, vmallocStart } from '../layout.js';
import type { MmContext } from './context.js';
import { hptr, ptr } from './format.js';
import { __GFP_HIGHMEM, __GFP_NOWARN, __GFP_ZERO, GFP_KERNEL } from './gfp.js';
import type { PageAllocator } from './page-alloc.js';
import { PG_vmalloc } from './page.js';

const VMALLOC_ATTRS = { cacheInhibited: false, guarded: false, readOnly: false } as const;

/** One vmalloc area (`struct vm_struct`). */
export interface VmArea {
  /** First VA. */
  readonly addr: number;
  /** Bytes requested (before rounding to pages). */
  readonly requested: number;
  /** Pages mapped (the guard page is not counted). */
  readonly nrPages: number;
  /** pfn backing each page, in VA order. */
  readonly pfns: readonly number[];
  /** Owner tag id. */
  readonly owner: number;
  /** Allocation time, ns. */
  readonly time: number;
}

/** The vmalloc allocator. */
export class Vmalloc {
  /** `VMALLOC_START`. */
  readonly start: number;
  /** Live areas, sorted by address. */
  private readonly areas: VmArea[] = [];
  private readonly byAddr = new Map<number, VmArea>();
  /** Pages mapped by all areas (`vmalloc_nr_pages`). */
  nrPages = 0;

  constructor(
    private readonly ctx: MmContext,
    private readonly pageAlloc: PageAllocator,
    /** `totalram_pages()`, the limit on one request. */
    private readonly totalPages: number,
  ) {
    this.start = vmallocStart(ctx.highMemory);
  }

  /** True when `va` is in the vmalloc area (`is_vmalloc_addr`). */
  isVmallocAddr(va: number): boolean {
    return va >= this.start && va < VMALLOC_END;
  }

  /** `__vmalloc`: returns the area's address, or 0 after warn_alloc. */
  vmalloc(size: number, gfp: number, owner: number): number {
    const mask = gfp | __GFP_HIGHMEM;
    const nr = Math.ceil(size / PAGE_SIZE);
    if (size === 0) {
      // WARN_ON_ONCE(!size) in __vmalloc_node_range
      this.ctx.report({ kind: 'warn', id: 'vmalloc.zero-size', title: '', after: ['driverlab: vmalloc(0): WARN_ON_ONCE(!size), returns NULL'], details: { size } });
      return 0;
    }
    if (nr > this.totalPages) {
      if (!(gfp & __GFP_NOWARN)) this.pageAlloc.warnAlloc(mask, `vmalloc error: size ${size}, exceeds total pages`, { size });
      return 0;
    }
    const addr = this.findSpace((nr + 1) * PAGE_SIZE);
    if (addr < 0) {
      if (!(gfp & __GFP_NOWARN)) this.pageAlloc.warnAlloc(mask, `vmalloc error: size ${size}, vm_struct allocation failed`, { size });
      return 0;
    }
    const pfns: number[] = [];
    for (let i = 0; i < nr; i++) {
      const pfn = this.pageAlloc.alloc((mask | __GFP_NOWARN) & ~__GFP_ZERO, 0, 'vmalloc', -1);
      if (pfn < 0) {
        for (const f of pfns) this.releasePage(f);
        if (!(gfp & __GFP_NOWARN)) this.pageAlloc.warnAlloc(mask, `vmalloc error: size ${size}, page order 0, failed to allocate pages`, { size });
        return 0;
      }
      pfns.push(pfn);
    }
    // Descending pfns in VA order: contiguous VA, visibly scattered PA.
    pfns.reverse();
    const pages = this.ctx.pages;
    for (let i = 0; i < nr; i++) {
      const pi = pages.index(pfns[i]!);
      pages.flags[pi] = pages.flags[pi]! | PG_vmalloc;
      this.ctx.machine.mapPage(addr + i * PAGE_SIZE, pfns[i]! * PAGE_SIZE, VMALLOC_ATTRS);
    }
    const area: VmArea = { addr, requested: size, nrPages: nr, pfns, owner, time: this.ctx.now() };
    const pos = this.areas.findIndex((a) => a.addr > addr);
    this.areas.splice(pos < 0 ? this.areas.length : pos, 0, area);
    this.byAddr.set(addr, area);
    this.nrPages += nr;
    if (gfp & __GFP_ZERO) this.ctx.machine.cpuFill(addr, 0, nr * PAGE_SIZE);
    return addr;
  }

  /** Lowest free VA range of `bytes` (area + guard page), or -1. */
  private findSpace(bytes: number): number {
    let cur = this.start;
    for (const a of this.areas) {
      if (a.addr - cur >= bytes) return cur;
      cur = a.addr + (a.nrPages + 1) * PAGE_SIZE;
    }
    return VMALLOC_END - cur >= bytes ? cur : -1;
  }

  private releasePage(pfn: number): void {
    const pages = this.ctx.pages;
    const pi = pages.index(pfn);
    pages.flags[pi] = pages.flags[pi]! & ~PG_vmalloc;
    this.pageAlloc.freeInternal(pfn, 0, 'vmalloc');
  }

  /** `vfree`: unmap and free, or WARN for an address that is not a live area. */
  vfree(addr: number): void {
    if (addr === 0) return;
    if (addr % PAGE_SIZE !== 0) {
      this.ctx.report({ kind: 'warn', id: 'vmalloc.bad-free', title: `Trying to vfree() bad address (${ptr(addr)})`, after: this.hint(addr), details: { addr } });
      return;
    }
    const area = this.byAddr.get(addr);
    if (!area) {
      this.ctx.report({ kind: 'warn', id: 'vmalloc.bad-free', title: `Trying to vfree() nonexistent vm area (${ptr(addr)})`, after: this.hint(addr), details: { addr } });
      return;
    }
    for (let i = 0; i < area.nrPages; i++) this.ctx.machine.unmapPage(addr + i * PAGE_SIZE);
    for (const pfn of area.pfns) this.releasePage(pfn);
    this.byAddr.delete(addr);
    this.areas.splice(this.areas.indexOf(area), 1);
    this.nrPages -= area.nrPages;
  }

  private hint(addr: number): string[] {
    const inside = this.areaContaining(addr);
    if (inside) return [`driverlab: ${hptr(addr)} is ${addr - inside.addr} bytes into the vmalloc area at ${hptr(inside.addr)} (${inside.requested} bytes)`];
    if (!this.isVmallocAddr(addr)) return [`driverlab: ${hptr(addr)} is not in the vmalloc area [${hptr(this.start)}, ${hptr(VMALLOC_END)})`];
    return [];
  }

  /** The area containing `va` (guard page excluded), if any. */
  areaContaining(va: number): VmArea | undefined {
    for (const a of this.areas) if (va >= a.addr && va < a.addr + a.nrPages * PAGE_SIZE) return a;
    return undefined;
  }

  /** pfn mapped at `va` in the vmalloc area, or -1 (`vmalloc_to_pfn`). */
  toPfn(va: number): number {
    if (!this.isVmallocAddr(va)) return -1;
    const pa = this.ctx.machine.translate(va);
    return pa < 0 ? -1 : Math.floor(pa / PAGE_SIZE);
  }

  /** Live areas (sorted by address). */
  list(): readonly VmArea[] {
    return this.areas;
  }

  /** `VmallocTotal` in bytes. */
  get totalBytes(): number {
    return VMALLOC_END - this.start;
  }

  /** Default mask of vmalloc(). */
  static readonly GFP = GFP_KERNEL;
}
