/**
 * The kernel memory manager as one object: boots memblock, zones and the buddy allocator from the
 * machine's RAM banks, then offers the Linux API drivers call (alloc_pages, kmalloc, kmem_cache_*,
 * vmalloc, kmap) with argument checking, owner tags for leak listings, slab-object queries for
 * access checkers and the /proc views. It only composes the modules beside it; each mechanism lives
 * in its own file. Left out: user memory, page cache, swap, reclaim and OOM, NUMA, memory hotplug.
 */
import { KERNEL_IMAGE, KERNEL_IMAGE_SIZE, LAST_PKMAP, LOWMEM_MAX, PAGE_SIZE, PKMAP_BASE, VMALLOC_END } from '../layout.js';
import type { ReportSink } from '../report/types.js';
import { BuddyAllocator, MAX_PAGE_ORDER } from './buddy.js';
import { MmContext, type TaskInfo } from './context.js';
import { checkGfp, checkOrder, checkOwner, checkPtr, checkSize, SandboxArgumentError } from './errors.js';
import { hptr, phys64 } from './format.js';
import { __GFP_HIGHMEM, __GFP_ZERO, GFP_KERNEL, GFP_KNOWN_MASK, mayBlock, ZONE_HIGHMEM, ZONE_MOVABLE, ZONE_NAMES } from './gfp.js';
import { Kmalloc } from './kmalloc.js';
import { Kmap } from './kmap.js';
import type { MmMachine } from './machine.js';
import { Memblock, type PhysRange, type Reservation } from './memblock.js';
import { PageAllocator } from './page-alloc.js';
import { PageArray, PG_highmem, PG_nomem, PG_reserved, STRUCT_PAGE_SIZE, type PageView } from './page.js';
import { formatBuddyinfo, formatMeminfo, formatSlabinfo, formatZoneinfo, type MeminfoValues } from './procfs.js';
import { KmemCache, SLAB_HWCACHE_ALIGN, SLAB_VALID_FLAGS, SLUB_MAX_ORDER, SlabAllocator, type SlabObjectInfo } from './slab.js';
import { Vmalloc } from './vmalloc.js';
import { buildZones, minFreeKbytes, setupWatermarks, totalReservePages, type Zone } from './zones.js';

/** How to boot the memory manager. */
export interface MemoryManagerOptions {
  /**
   * Coherent board: kmalloc's minimum alignment and size is 8 instead of the cache line
   * (ARCH_DMA_MINALIGN). Default: the machine's `coherent`.
   */
  readonly coherent?: boolean;
  /** SLUB debugging on every cache (`slub_debug`): red zones, poison, tracks, checks. Default true. */
  readonly slubDebug?: boolean;
  /** Where the bootloader put the flattened device tree (reserved). */
  readonly dtb?: PhysRange;
  /** `/memreserve/` entries of the device tree, and any other ranges to keep away from the allocator. */
  readonly memreserve?: readonly PhysRange[];
  /** The current task for `comm`/`pid` in messages (pass the Reporter's). Default `swapper`, pid 1. */
  readonly current?: () => TaskInfo;
  /** `HZ` for slab-track ages. Default 250. */
  readonly hz?: number;
}

/** A live allocation of one owner, for unbind leak checks. */
export interface LeakRecord {
  /** Which allocator. */
  readonly kind: 'kmalloc' | 'kmem_cache' | 'pages' | 'vmalloc';
  /** Owner tag. */
  readonly owner: string;
  /** Address: object pointer, VA of a vmalloc area, or `struct page *` for alloc_pages blocks. */
  readonly address: number;
  /** Bytes requested (pages: block size). */
  readonly size: number;
  /** Simulated allocation time, ns. */
  readonly time: number;
  /** Slab cache name for kmalloc/kmem_cache objects. */
  readonly cache?: string;
}

/** A zone, as tests and the docs see it. */
export interface ZoneView {
  /** `DMA`, `Normal`, `HighMem`, `Movable`. */
  readonly name: string;
  /** First pfn. */
  readonly startPfn: number;
  /** End pfn (exclusive). */
  readonly endPfn: number;
  /** Pages the zone spans, holes included. */
  readonly spanned: number;
  /** RAM pages in the zone. */
  readonly present: number;
  /** Pages given to the buddy allocator (present minus reserved). */
  readonly managed: number;
  /** Free pages now. */
  readonly free: number;
  /** Min watermark, pages. */
  readonly min: number;
  /** Low watermark, pages. */
  readonly low: number;
  /** High watermark, pages. */
  readonly high: number;
}

const NULL = null;

/** The kernel memory manager (`mm/` of driverlab). */
export class MemoryManager {
  /** Boot messages, in the order the kernel prints them. */
  readonly bootLog: readonly string[];
  /** ARCH_KMALLOC_MINALIGN: smallest kmalloc object size and alignment. */
  readonly kmallocMinAlign: number;
  /** memblock after boot (reservations). */
  readonly memblock: Memblock;
  private readonly ctx: MmContext;
  private readonly zonesList: Zone[];
  private readonly buddy: BuddyAllocator;
  private readonly pageAlloc: PageAllocator;
  private readonly kmapTable: Kmap;
  private readonly slab: SlabAllocator;
  private readonly kmallocs: Kmalloc;
  private readonly vm: Vmalloc;

  constructor(machine: MmMachine, sink: ReportSink, options: MemoryManagerOptions = {}) {
    const coherent = options.coherent ?? machine.coherent;
    this.kmallocMinAlign = coherent ? 8 : Math.max(8, machine.cacheLineSize);
    const memblock = new Memblock(machine.ramBanks);
    this.memblock = memblock;
    if (memblock.memory.length === 0) throw new RangeError('MemoryManager: the machine has no RAM banks');
    const memstart = memblock.startOfDram();
    const topOfRam = memblock.endOfDram();
    const lowmemSize = Math.min(LOWMEM_MAX, topOfRam - memstart);
    const minPfn = memstart / PAGE_SIZE;
    const maxLowPfn = (memstart + lowmemSize) / PAGE_SIZE;
    const maxPfn = topOfRam / PAGE_SIZE;
    const pages = new PageArray(minPfn, maxPfn - minPfn);
    this.ctx = new MmContext(machine, sink, pages, memstart, lowmemSize, options.current ?? (() => ({ comm: 'swapper', pid: 1 })), options.hz ?? 250);

    // memblock reservations: kernel image, device tree, /memreserve/, then mem_map itself.
    memblock.reserve(KERNEL_IMAGE.physBase, KERNEL_IMAGE_SIZE, 'kernel');
    if (options.dtb) memblock.reserve(options.dtb.base, options.dtb.size, 'dtb');
    for (const r of options.memreserve ?? []) memblock.reserve(r.base, r.size, 'memreserve');
    const memmapBytes = Math.ceil((pages.count * STRUCT_PAGE_SIZE) / PAGE_SIZE) * PAGE_SIZE;
    const memmapPa = memblock.allocTopDown(memmapBytes, PAGE_SIZE, memstart + lowmemSize, 'mem_map');
    if (memmapPa < 0) throw new RangeError('MemoryManager: no lowmem left for mem_map');
    pages.memmapVa = this.ctx.lowmemVa(memmapPa);

    // Zones and page descriptors.
    this.zonesList = buildZones(memblock.memory, minPfn, maxLowPfn, maxPfn);
    pages.flags.fill(PG_reserved | PG_nomem);
    for (const zone of this.zonesList) pages.zone.fill(zone.idx, zone.startPfn - minPfn, zone.endPfn - minPfn);
    for (const r of memblock.memory) {
      for (let pfn = r.base / PAGE_SIZE; pfn < (r.base + r.size) / PAGE_SIZE; pfn++) {
        const i = pfn - minPfn;
        pages.flags[i] = PG_reserved | (pfn >= maxLowPfn ? PG_highmem : 0);
        pages.refcount[i] = 1;
      }
    }
    this.buddy = new BuddyAllocator(pages, this.zonesList);
    // memblock_free_all: every unreserved page goes to the buddy allocator in aligned blocks.
    for (const r of memblock.freeRanges()) {
      let pfn = Math.ceil(r.base / PAGE_SIZE);
      const end = Math.floor((r.base + r.size) / PAGE_SIZE);
      while (pfn < end) {
        const zone = this.zonesList[pages.zone[pfn - minPfn]!]!;
        const stop = Math.min(end, zone.endPfn);
        let order = 0;
        while (order < MAX_PAGE_ORDER && pfn % (2 << order) === 0 && pfn + (2 << order) <= stop) order++;
        for (let k = 0; k < 1 << order; k++) {
          pages.flags[pfn - minPfn + k] = pages.flags[pfn - minPfn + k]! & ~PG_reserved;
          pages.refcount[pfn - minPfn + k] = 0;
        }
        zone.managed += 1 << order;
        this.buddy.free(pfn, order);
        pfn += 1 << order;
      }
    }
    setupWatermarks(this.zonesList, minFreeKbytes(this.zonesList));

    this.kmapTable = new Kmap(machine);
    this.pageAlloc = new PageAllocator(this.ctx, this.buddy, this.kmapTable);
    this.slab = new SlabAllocator(this.ctx, this.pageAlloc, options.slubDebug ?? true);
    this.kmallocs = new Kmalloc(this.ctx, this.slab, this.pageAlloc, this.kmallocMinAlign);
    this.vm = new Vmalloc(this.ctx, this.pageAlloc, this.totalramPages());
    this.bootLog = this.buildBootLog(topOfRam, memblock, minPfn, maxPfn, machine.cacheLineSize);
  }

  private totalramPages(): number {
    return this.zonesList.reduce((s, z) => s + z.managed, 0);
  }

  private buildBootLog(topOfRam: number, memblock: Memblock, minPfn: number, maxPfn: number, line: number): string[] {
    const log: string[] = [];
    const total = memblock.totalSize();
    log.push(`Top of RAM: 0x${topOfRam.toString(16)}, Total RAM: 0x${total.toString(16)}`);
    log.push(`Memory hole size: ${Math.floor((topOfRam - total) / 2 ** 20)}MB`);
    log.push('Zone ranges:');
    for (const z of this.zonesList) {
      if (z.idx === ZONE_MOVABLE) continue;
      const label = `  ${z.name.padEnd(8)} `;
      log.push(z.spanned === 0 ? `${label}empty` : `${label}[mem ${phys64(z.startPfn * PAGE_SIZE)}-${phys64(z.endPfn * PAGE_SIZE - 1)}]`);
    }
    log.push('Movable zone start for each node');
    log.push('Early memory node ranges');
    for (const r of memblock.memory) log.push(`  node   0: [mem ${phys64(r.base)}-${phys64(r.base + r.size - 1)}]`);
    log.push(`Initmem setup node 0 [mem ${phys64(minPfn * PAGE_SIZE)}-${phys64(maxPfn * PAGE_SIZE - 1)}]`);
    log.push(`Built 1 zonelists, mobility grouping on.  Total pages: ${this.totalramPages()}`);
    log.push('Kernel virtual memory layout:');
    log.push(`  * 0x${PKMAP_BASE.toString(16)}..0x${(PKMAP_BASE + LAST_PKMAP * PAGE_SIZE).toString(16)}  : highmem PTEs`);
    log.push(`  * 0x${this.vm.start.toString(16).padStart(8, '0')}..0x${VMALLOC_END.toString(16)}  : vmalloc & ioremap`);
    const physpages = this.zonesList.reduce((s, z) => s + z.present, 0);
    const totalram = this.totalramPages();
    const high = this.zonesList[ZONE_HIGHMEM]!.managed;
    const free = this.zonesList.reduce((s, z) => s + this.buddy.freePages(z.idx), 0);
    log.push(
      `Memory: ${free * 4}K/${physpages * 4}K available (${KERNEL_IMAGE.textSize >> 10}K kernel code, ${KERNEL_IMAGE.dataSize >> 10}K rwdata, ` +
        `${KERNEL_IMAGE.rodataSize >> 10}K rodata, 0K init, 0K bss, ${(physpages - totalram) * 4}K reserved, 0K cma-reserved, ${high * 4}K highmem)`,
    );
    log.push(`SLUB: HWalign=${line}, Order=0-${SLUB_MAX_ORDER}, MinObjects=0, CPUs=1, Nodes=1`);
    return log;
  }

  // ---- argument helpers ------------------------------------------------------------------------

  private gfpArg(fn: string, gfp: unknown): number {
    const g = checkGfp(fn, gfp);
    if (g & ~GFP_KNOWN_MASK) throw new SandboxArgumentError(fn, 'gfp', 'a mask of known __GFP_* bits', g);
    return g;
  }

  private pageArg(fn: string, page: unknown): number {
    const p = checkPtr(fn, 'page', page);
    const pfn = this.ctx.pages.pageToPfn(p);
    if (pfn < 0) throw new SandboxArgumentError(fn, 'page', 'a struct page * (from alloc_pages, virt_to_page or pfn_to_page)', p);
    return pfn;
  }

  // ---- zones and pages -------------------------------------------------------------------------

  /** The zones (DMA, Normal, HighMem, Movable) with their ranges, sizes and watermarks. */
  zones(): ZoneView[] {
    return this.zonesList.map((z) => ({
      name: z.name,
      startPfn: z.startPfn,
      endPfn: z.endPfn,
      spanned: z.spanned,
      present: z.present,
      managed: z.managed,
      free: this.buddy.freePages(z.idx),
      min: z.wmarkMin,
      low: z.wmarkLow,
      high: z.wmarkHigh,
    }));
  }

  /** memblock reservations made at boot. */
  reservations(): readonly Reservation[] {
    return this.memblock.reservations;
  }

  /** `high_memory`: the first VA past the lowmem linear map. */
  get highMemory(): number {
    return this.ctx.highMemory;
  }

  /** Physical address the linear map starts at (`memstart_addr`: the start of DRAM). */
  get memstart(): number {
    return this.ctx.memstart;
  }

  /** Bytes of the lowmem linear map: min(LOWMEM_MAX, end of DRAM - memstart), holes included. */
  get lowmemSize(): number {
    return this.ctx.lowmemSize;
  }

  /** `VMALLOC_START`. */
  get vmallocStart(): number {
    return this.vm.start;
  }

  /** True when an allocation with `gfp` may sleep (the context checker calls might_sleep for these). */
  mayBlock(gfp: number): boolean {
    return mayBlock(this.gfpArg('mayBlock', gfp));
  }

  /** A snapshot of a page descriptor. */
  pageInfo(page: number): PageView {
    return this.ctx.pages.view(this.ctx.pages.index(this.pageArg('pageInfo', page)));
  }

  /** `page_to_pfn`. */
  page_to_pfn(page: number): number {
    return this.pageArg('page_to_pfn', page);
  }

  /** `pfn_to_page`. */
  pfn_to_page(pfn: number): number {
    if (typeof pfn !== 'number' || !Number.isInteger(pfn) || this.ctx.pages.index(pfn) < 0) {
      throw new SandboxArgumentError('pfn_to_page', 'pfn', 'a page frame number of RAM', pfn);
    }
    return this.ctx.pages.pfnToPage(pfn);
  }

  /** `page_to_phys`. */
  page_to_phys(page: number): number {
    return this.pageArg('page_to_phys', page) * PAGE_SIZE;
  }

  /** `virt_to_phys`/`__pa` for a linear-map address. */
  virt_to_phys(va: number): number {
    const v = checkPtr('virt_to_phys', 'address', va);
    if (!this.ctx.isLowmemVa(v)) throw new SandboxArgumentError('virt_to_phys', 'address', 'a linear-map (lowmem) address', v);
    return this.ctx.lowmemPa(v);
  }

  /** `phys_to_virt`/`__va` for lowmem. */
  phys_to_virt(pa: number): number {
    if (typeof pa !== 'number' || !Number.isSafeInteger(pa) || !this.ctx.isLowmemPa(pa)) {
      throw new SandboxArgumentError('phys_to_virt', 'address', 'a lowmem physical address', pa);
    }
    return this.ctx.lowmemVa(pa);
  }

  /** `virt_to_page` for a linear-map address. */
  virt_to_page(va: number): number {
    const v = checkPtr('virt_to_page', 'addr', va);
    if (!this.ctx.isLowmemVa(v)) {
      throw new SandboxArgumentError('virt_to_page', 'addr', `a linear-map (lowmem) address${this.vm.isVmallocAddr(v) ? ' (use vmalloc_to_page for vmalloc memory)' : ''}`, v);
    }
    return this.ctx.pages.pfnToPage(Math.floor(this.ctx.lowmemPa(v) / PAGE_SIZE));
  }

  /** `page_address`: the linear address of a lowmem page, the kmap address of a mapped highmem page, else null. */
  page_address(page: number): number | null {
    const pfn = this.pageArg('page_address', page);
    if (!(this.ctx.pages.flags[this.ctx.pages.index(pfn)]! & PG_highmem)) return this.ctx.lowmemVa(pfn * PAGE_SIZE);
    const va = this.kmapTable.addressOf(pfn);
    return va < 0 ? NULL : va;
  }

  /** `alloc_pages`: 2^order pages; returns the head `struct page *`, or null after the kernel's warning. */
  alloc_pages(gfp: number, order: number, owner?: string): number | null {
    const g = this.gfpArg('alloc_pages', gfp);
    const o = checkOrder('alloc_pages', order);
    const pfn = this.pageAlloc.alloc(g, o, 'pages', this.ctx.owners.id(checkOwner('alloc_pages', owner)));
    return pfn < 0 ? NULL : this.ctx.pages.pfnToPage(pfn);
  }

  /** `__free_pages`. */
  __free_pages(page: number, order: number): void {
    const pfn = this.pageArg('__free_pages', page);
    const o = checkOrder('__free_pages', order);
    if (o > MAX_PAGE_ORDER) throw new SandboxArgumentError('__free_pages', 'order', `at most MAX_PAGE_ORDER (${MAX_PAGE_ORDER})`, o);
    this.pageAlloc.freeChecked('__free_pages', pfn, o);
  }

  /** `__get_free_pages`: lowmem pages by address (never highmem), or 0 (NULL). */
  __get_free_pages(gfp: number, order: number, owner?: string): number {
    const g = this.gfpArg('__get_free_pages', gfp) & ~__GFP_HIGHMEM;
    const o = checkOrder('__get_free_pages', order);
    const pfn = this.pageAlloc.alloc(g, o, 'pages', this.ctx.owners.id(checkOwner('__get_free_pages', owner)));
    return pfn < 0 ? 0 : this.ctx.lowmemVa(pfn * PAGE_SIZE);
  }

  /** `get_zeroed_page`. */
  get_zeroed_page(gfp: number, owner?: string): number {
    return this.__get_free_pages(this.gfpArg('get_zeroed_page', gfp) | __GFP_ZERO, 0, owner);
  }

  /** `free_pages(addr, order)`; addr 0 is a no-op. */
  free_pages(addr: number, order: number): void {
    const a = checkPtr('free_pages', 'addr', addr);
    const o = checkOrder('free_pages', order);
    if (a === 0) return;
    if (!this.ctx.isLowmemVa(a)) {
      this.pageAlloc.badAddress('free_pages', a);
      return;
    }
    if (o > MAX_PAGE_ORDER) throw new SandboxArgumentError('free_pages', 'order', `at most MAX_PAGE_ORDER (${MAX_PAGE_ORDER})`, o);
    this.pageAlloc.freeChecked('free_pages', Math.floor(this.ctx.lowmemPa(a) / PAGE_SIZE), o);
  }

  /** `free_page(addr)`. */
  free_page(addr: number): void {
    this.free_pages(addr, 0);
  }

  /** `kmap`: linear address for lowmem, a persistent kmap slot for highmem; null when no slot is free. */
  kmap(page: number): number | null {
    const pfn = this.pageArg('kmap', page);
    if (!(this.ctx.pages.flags[this.ctx.pages.index(pfn)]! & PG_highmem)) return this.ctx.lowmemVa(pfn * PAGE_SIZE);
    const va = this.kmapTable.map(pfn);
    if (va < 0) {
      this.ctx.report({
        kind: 'check',
        id: 'kmap.exhausted',
        title: `kmap: all ${LAST_PKMAP} persistent kmap slots are in use; the kernel would sleep here forever`,
        details: { page },
      });
      return NULL;
    }
    return va;
  }

  /** `kunmap`: no-op for lowmem; BUG for a highmem page that is not kmapped. */
  kunmap(page: number): void {
    const pfn = this.pageArg('kunmap', page);
    if (!(this.ctx.pages.flags[this.ctx.pages.index(pfn)]! & PG_highmem)) return;
    if (!this.kmapTable.unmap(pfn)) {
      this.ctx.report({
        kind: 'bug',
        id: 'kmap.bad-kunmap',
        title: 'kernel BUG at mm/highmem.c!',
        after: [`driverlab: kunmap: highmem page ${hptr(page)} (pfn 0x${pfn.toString(16)}) is not kmapped (unbalanced kunmap)`],
        details: { page, pfn },
      });
    }
  }

  // ---- kmalloc ---------------------------------------------------------------------------------

  /** `kmalloc`: returns the object, ZERO_SIZE_PTR for size 0, or null. */
  kmalloc(size: number, gfp: number, owner?: string): number | null {
    const s = checkSize('kmalloc', 'size', size);
    const g = this.gfpArg('kmalloc', gfp);
    const p = this.kmallocs.kmalloc(s, g, this.ctx.owners.id(checkOwner('kmalloc', owner)));
    return p === 0 ? NULL : p;
  }

  /** `kzalloc`. */
  kzalloc(size: number, gfp: number, owner?: string): number | null {
    const s = checkSize('kzalloc', 'size', size);
    const g = this.gfpArg('kzalloc', gfp) | __GFP_ZERO;
    const p = this.kmallocs.kmalloc(s, g, this.ctx.owners.id(checkOwner('kzalloc', owner)));
    return p === 0 ? NULL : p;
  }

  /** `kmalloc_array`: null on multiplication overflow (size_t is 32 bits). */
  kmalloc_array(n: number, size: number, gfp: number, owner?: string): number | null {
    const count = checkSize('kmalloc_array', 'n', n);
    const s = checkSize('kmalloc_array', 'size', size);
    const g = this.gfpArg('kmalloc_array', gfp);
    if (count * s > 0xffff_ffff) return NULL;
    const p = this.kmallocs.kmalloc(count * s, g, this.ctx.owners.id(checkOwner('kmalloc_array', owner)));
    return p === 0 ? NULL : p;
  }

  /** `kcalloc`: zeroed array; null on overflow. */
  kcalloc(n: number, size: number, gfp: number, owner?: string): number | null {
    const count = checkSize('kcalloc', 'n', n);
    const s = checkSize('kcalloc', 'size', size);
    const g = this.gfpArg('kcalloc', gfp) | __GFP_ZERO;
    if (count * s > 0xffff_ffff) return NULL;
    const p = this.kmallocs.kmalloc(count * s, g, this.ctx.owners.id(checkOwner('kcalloc', owner)));
    return p === 0 ? NULL : p;
  }

  /** `krealloc`: grows in place when the object has room, else copies; size 0 frees. */
  krealloc(p: number | null, newSize: number, gfp: number, owner?: string): number | null {
    const ptr = checkPtr('krealloc', 'p', p);
    const s = checkSize('krealloc', 'new_size', newSize);
    const g = this.gfpArg('krealloc', gfp);
    const q = this.kmallocs.krealloc(ptr, s, g, this.ctx.owners.id(checkOwner('krealloc', owner)));
    return q === 0 ? NULL : q;
  }

  /** `kfree`; NULL and ZERO_SIZE_PTR are no-ops. `owner` names the caller in the free track. */
  kfree(p: number | null | undefined, owner?: string): void {
    const ptr = checkPtr('kfree', 'objp', p);
    this.kmallocs.kfree(ptr, this.ctx.owners.id(checkOwner('kfree', owner)));
  }

  /** `ksize`: usable bytes of a kmalloc object (0 for NULL/ZERO_SIZE_PTR). */
  ksize(p: number | null): number {
    return this.kmallocs.ksize(checkPtr('ksize', 'objp', p));
  }

  /** The kmalloc cache name a size and gfp would use (`kmalloc-64`, `dma-kmalloc-128`), or null above 8 KiB. */
  kmallocCacheName(size: number, gfp: number = GFP_KERNEL): string | null {
    const s = checkSize('kmallocCacheName', 'size', size);
    if (s === 0 || s > 2 * PAGE_SIZE) return NULL;
    return this.kmallocs.cacheFor(s, this.gfpArg('kmallocCacheName', gfp)).name;
  }

  // ---- kmem_cache ------------------------------------------------------------------------------

  /** `kmem_cache_create(name, size, align, flags)`. */
  kmem_cache_create(name: string, size: number, align: number, flags: number): KmemCache {
    if (typeof name !== 'string' || name.length === 0) throw new SandboxArgumentError('kmem_cache_create', 'name', 'a non-empty string', name);
    const s = checkSize('kmem_cache_create', 'size', size);
    if (s === 0 || s > PAGE_SIZE << MAX_PAGE_ORDER) throw new SandboxArgumentError('kmem_cache_create', 'size', `between 1 and ${PAGE_SIZE << MAX_PAGE_ORDER}`, s);
    let a = checkSize('kmem_cache_create', 'align', align);
    if (a !== 0 && (a & (a - 1)) !== 0) throw new SandboxArgumentError('kmem_cache_create', 'align', '0 or a power of two', a);
    const f = checkSize('kmem_cache_create', 'flags', flags);
    if (f & ~SLAB_VALID_FLAGS) throw new SandboxArgumentError('kmem_cache_create', 'flags', 'a mask of SLAB_HWCACHE_ALIGN, SLAB_CACHE_DMA, SLAB_PANIC and debug flags', f);
    // calculate_alignment()
    if (f & SLAB_HWCACHE_ALIGN) {
      let ralign = this.ctx.machine.cacheLineSize;
      while (s <= ralign / 2) ralign /= 2;
      a = Math.max(a, ralign);
    }
    a = Math.max(a, 8);
    return this.slab.create(name, s, a, f);
  }

  /** `kmem_cache_alloc`. */
  kmem_cache_alloc(cache: KmemCache, gfp: number, owner?: string): number | null {
    const c = SlabAllocator.checkCache('kmem_cache_alloc', cache);
    const g = this.gfpArg('kmem_cache_alloc', gfp);
    const p = this.slab.alloc(c, g, c.objectSize, this.ctx.owners.id(checkOwner('kmem_cache_alloc', owner)));
    return p === 0 ? NULL : p;
  }

  /** `kmem_cache_zalloc`. */
  kmem_cache_zalloc(cache: KmemCache, gfp: number, owner?: string): number | null {
    return this.kmem_cache_alloc(cache, this.gfpArg('kmem_cache_zalloc', gfp) | __GFP_ZERO, owner);
  }

  /** `kmem_cache_free`; an object of another cache gets `cache_from_obj`'s WARN and is freed to its own cache. */
  kmem_cache_free(cache: KmemCache, p: number | null, owner?: string): void {
    const c = SlabAllocator.checkCache('kmem_cache_free', cache);
    const ptr = checkPtr('kmem_cache_free', 'objp', p);
    const who = this.ctx.owners.id(checkOwner('kmem_cache_free', owner));
    if (ptr === 0) return;
    const slab = this.slab.slabAt(ptr);
    if (!slab) {
      this.ctx.report({
        kind: 'warn',
        id: 'slab.invalid-free',
        title: `virt_to_cache: Object is not a Slab page!`,
        after: [`driverlab: kmem_cache_free(${c.name}): ${hptr(ptr)} is not memory from a slab cache: it is ${this.kmallocs.describe(ptr)}`],
        details: { object: ptr, cache: c.name },
      });
      return;
    }
    if (slab.cache !== c) {
      this.ctx.report({
        kind: 'warn',
        id: 'slab.wrong-cache',
        title: `cache_from_obj: Wrong slab cache. ${c.name} but object is from ${slab.cache.name}`,
        details: { object: ptr, cache: c.name, actual: slab.cache.name },
      });
    }
    this.slab.free(slab, ptr, who);
  }

  /** `kmem_cache_destroy`: refuses (with SLUB's report) while objects remain; NULL is a no-op. */
  kmem_cache_destroy(cache: KmemCache | null): void {
    if (cache === null || cache === undefined) return;
    const c = SlabAllocator.checkCache('kmem_cache_destroy', cache);
    if (c.isKmalloc) throw new SandboxArgumentError('kmem_cache_destroy', 's', 'a cache made by kmem_cache_create (not a kmalloc cache)', c.name);
    this.slab.destroy(c);
  }

  /** Run SLUB's checks over every object and slab now (`validate`); returns the number of reports. */
  validate(): number {
    return this.slab.validate();
  }

  /** What slab memory holds `va` (for a KASAN-like access checker), or null when `va` is not slab/kmalloc memory. */
  objectAt(va: number): SlabObjectInfo | null {
    return this.slab.objectAt(checkPtr('objectAt', 'va', va));
  }

  /** True when some byte of [va, va+len) is inside a freed slab object (cheap). */
  isSlabFreed(va: number, len: number): boolean {
    return this.slab.isSlabFreed(va, len);
  }

  /** Slab caches (kmalloc caches first, in creation order). */
  caches(): readonly KmemCache[] {
    return this.slab.caches;
  }

  // ---- vmalloc ---------------------------------------------------------------------------------

  /** `vmalloc`: page-granular, virtually contiguous, physically scattered; null on failure. */
  vmalloc(size: number, owner?: string): number | null {
    const s = checkSize('vmalloc', 'size', size);
    const p = this.vm.vmalloc(s, GFP_KERNEL, this.ctx.owners.id(checkOwner('vmalloc', owner)));
    return p === 0 ? NULL : p;
  }

  /** `vzalloc`. */
  vzalloc(size: number, owner?: string): number | null {
    const s = checkSize('vzalloc', 'size', size);
    const p = this.vm.vmalloc(s, GFP_KERNEL | __GFP_ZERO, this.ctx.owners.id(checkOwner('vzalloc', owner)));
    return p === 0 ? NULL : p;
  }

  /** `vfree`; NULL is a no-op, a bad address gets the kernel's WARN. */
  vfree(addr: number | null): void {
    this.vm.vfree(checkPtr('vfree', 'addr', addr));
  }

  /** `is_vmalloc_addr`. */
  is_vmalloc_addr(va: number): boolean {
    return this.vm.isVmallocAddr(checkPtr('is_vmalloc_addr', 'x', va));
  }

  /** `vmalloc_to_page`, or null when nothing is mapped there. */
  vmalloc_to_page(va: number): number | null {
    const pfn = this.vm.toPfn(checkPtr('vmalloc_to_page', 'addr', va));
    return pfn < 0 || this.ctx.pages.index(pfn) < 0 ? NULL : this.ctx.pages.pfnToPage(pfn);
  }

  /** `vmalloc_to_pfn`, or -1. */
  vmalloc_to_pfn(va: number): number {
    return this.vm.toPfn(checkPtr('vmalloc_to_pfn', 'addr', va));
  }

  // ---- ownership -------------------------------------------------------------------------------

  /** Live allocations of an owner tag, oldest first. */
  leaks(owner: string): LeakRecord[] {
    const name = checkOwner('leaks', owner);
    const id = this.ctx.owners.find(name);
    if (id < 0) return [];
    const out: LeakRecord[] = [];
    for (const o of this.slab.liveObjects(id)) {
      out.push({ kind: o.cache.isKmalloc ? 'kmalloc' : 'kmem_cache', owner: name, address: o.address, size: o.requested, time: o.time, cache: o.cache.name });
    }
    for (const [pfn, rec] of this.kmallocs.large) {
      if (rec.owner === id) out.push({ kind: 'kmalloc', owner: name, address: this.ctx.lowmemVa(pfn * PAGE_SIZE), size: rec.size, time: rec.time });
    }
    for (const [pfn, rec] of this.pageAlloc.records) {
      if (rec.owner === id) out.push({ kind: 'pages', owner: name, address: this.ctx.pages.pfnToPage(pfn), size: PAGE_SIZE << rec.order, time: rec.time });
    }
    for (const a of this.vm.list()) {
      if (a.owner === id) out.push({ kind: 'vmalloc', owner: name, address: a.addr, size: a.requested, time: a.time });
    }
    return out.sort((x, y) => x.time - y.time || x.address - y.address);
  }

  // ---- /proc -----------------------------------------------------------------------------------

  /** The numbers behind /proc/meminfo, in KiB. */
  meminfoValues(): MeminfoValues {
    const totalram = this.totalramPages();
    const free = this.zonesList.reduce((s, z) => s + this.buddy.freePages(z.idx), 0);
    const high = this.zonesList[ZONE_HIGHMEM]!;
    const highFree = this.buddy.freePages(ZONE_HIGHMEM);
    const use = this.pageAlloc.inUse;
    const slab = use.slab + use.large_kmalloc;
    return {
      MemTotal: totalram * 4,
      MemFree: free * 4,
      MemAvailable: Math.max(0, free - totalReservePages(this.zonesList)) * 4,
      HighTotal: high.managed * 4,
      HighFree: highFree * 4,
      LowTotal: (totalram - high.managed) * 4,
      LowFree: (free - highFree) * 4,
      Slab: slab * 4,
      SReclaimable: 0,
      SUnreclaim: slab * 4,
      KernelStack: 0,
      PageTables: 0,
      CommitLimit: Math.floor(totalram / 2) * 4,
      VmallocTotal: this.vm.totalBytes / 1024,
      VmallocUsed: this.vm.nrPages * 4,
      PageAllocUsed: use.pages * 4,
      SlabPages: use.slab * 4,
      KmallocLarge: use.large_kmalloc * 4,
    };
  }

  /** `/proc/meminfo`. */
  meminfo(): string {
    return formatMeminfo(this.meminfoValues());
  }

  /** `/proc/zoneinfo`. */
  zoneinfo(): string {
    return formatZoneinfo(this.zonesList, this.buddy);
  }

  /** `/proc/buddyinfo`. */
  buddyinfo(): string {
    return formatBuddyinfo(this.zonesList, this.buddy);
  }

  /** `/proc/slabinfo`. */
  slabinfo(): string {
    return formatSlabinfo(this.slab.caches);
  }

  /** Free blocks of one order in a zone, as pfns (tests). */
  freeBlocks(zone: string, order: number): number[] {
    const idx = ZONE_NAMES.indexOf(zone);
    if (idx < 0) throw new SandboxArgumentError('freeBlocks', 'zone', 'DMA, Normal, HighMem or Movable', zone);
    return this.buddy.freeBlocks(idx, checkOrder('freeBlocks', order));
  }
}

