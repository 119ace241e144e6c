/**
 * The page allocator's front: `alloc_pages`/`__free_pages` semantics on top of the buddy mechanism
 * — the zonelist walk a gfp mask allows (HighMem → Normal → DMA), the reserve a GFP_ATOMIC caller
 * may use, __GFP_ZERO through the CPU, compound pages, the "page allocation failure" warning and
 * "Bad page state" reports for bad frees, and the owner record of every page block handed out.
 * Left out: reclaim, compaction, OOM, per-cpu lists, page_owner stack traces.
 */
import { PAGE_SIZE } from '../layout.js';
import { ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK, BuddyAllocator, MAX_PAGE_ORDER, NR_PAGE_ORDERS } from './buddy.js';
import type { MmContext } from './context.js';
import { hptr } from './format.js';
import { __GFP_COMP, __GFP_DIRECT_RECLAIM, __GFP_HIGH, __GFP_NOWARN, __GFP_ZERO, gfpMode, gfpZone } from './gfp.js';
import type { Kmap } from './kmap.js';
import { PG_buddy, PG_head, PG_highmem, PG_large_kmalloc, PG_nomem, PG_reserved, PG_slab, PG_tail, PG_vmalloc } from './page.js';

/** `nopage_rs`: warn_alloc prints at most one message per 10 * HZ. */
const WARN_ALLOC_INTERVAL_NS = 10e9;

/** Who a page block was handed to. */
export type PageUse = 'pages' | 'slab' | 'large_kmalloc' | 'vmalloc';

/** The owner record of a block handed out by `alloc_pages` to a caller. */
export interface PageBlockRecord {
  /** Owner tag id. */
  readonly owner: number;
  /** Simulated time of the allocation, ns. */
  readonly time: number;
  /** Order of the block. */
  readonly order: number;
}

/** Pages in use per purpose, for /proc/meminfo. */
export interface PageUseCounters {
  /** Blocks from alloc_pages / __get_free_pages. */
  pages: number;
  /** Slab pages. */
  slab: number;
  /** Large kmalloc blocks. */
  large_kmalloc: number;
  /** Pages behind vmalloc areas. */
  vmalloc: number;
}

/** alloc_pages / free_pages with the kernel's checks and messages. */
export class PageAllocator {
  /** Blocks handed out through the public page API, by head pfn. */
  readonly records = new Map<number, PageBlockRecord>();
  /** Pages in use per purpose. */
  readonly inUse: PageUseCounters = { pages: 0, slab: 0, large_kmalloc: 0, vmalloc: 0 };
  /** warn_alloc messages the rate limit swallowed. */
  warnAllocSuppressed = 0;
  private rsBegin = -1;
  private rsPrinted = 0;

  constructor(
    private readonly ctx: MmContext,
    /** The mechanism underneath. */
    readonly buddy: BuddyAllocator,
    private readonly kmap: Kmap,
  ) {}

  /**
   * Allocate 2^order pages (`__alloc_pages`). Returns the head pfn, or -1 after the warning the
   * kernel would print (unless __GFP_NOWARN).
   */
  alloc(gfp: number, order: number, use: PageUse, owner: number): number {
    if (order > MAX_PAGE_ORDER) {
      // WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp)
      if (!(gfp & __GFP_NOWARN)) {
        this.ctx.report({
          kind: 'warn',
          id: 'page.order-too-large',
          title: '',
          after: [`driverlab: WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER) in __alloc_pages: order ${order} is above ${MAX_PAGE_ORDER}, the allocation fails`],
          details: { order, gfp },
        });
      }
      return -1;
    }
    const highest = gfpZone(gfp);
    const allocFlags = (gfp & __GFP_HIGH ? ALLOC_MIN_RESERVE : 0) | (gfp & __GFP_DIRECT_RECLAIM ? 0 : ALLOC_NON_BLOCK);
    let pfn = -1;
    for (let z = highest; z >= 0 && pfn < 0; z--) {
      const zone = this.buddy.zones[z]!;
      if (zone.managed === 0) continue;
      if (!this.buddy.watermarkOk(z, order, allocFlags, highest)) continue;
      pfn = this.buddy.allocFromZone(z, order);
    }
    if (pfn < 0) {
      if (!(gfp & __GFP_NOWARN)) this.warnAlloc(gfp, `page allocation failure: order:${order}`, { order });
      return -1;
    }
    this.prepNewPage(pfn, order, gfp, use);
    if (use === 'pages') this.records.set(pfn, { owner, time: this.ctx.now(), order });
    return pfn;
  }

  /**
   * `warn_alloc`: `<comm>: <what>, mode:0x...(...), nodemask=(null)` plus a short Mem-Info,
   * rate-limited as the kernel's `nopage_rs` is (one message per 10 s of simulated time).
   */
  warnAlloc(gfp: number, what: string, details: Record<string, unknown>): void {
    const now = this.ctx.now();
    if (this.rsBegin < 0 || now - this.rsBegin >= WARN_ALLOC_INTERVAL_NS) {
      this.rsBegin = now;
      this.rsPrinted = 0;
    }
    if (this.rsPrinted >= 1) {
      this.warnAllocSuppressed++;
      return;
    }
    this.rsPrinted++;
    const title = `${this.ctx.current().comm}: ${what}, mode:${gfpMode(gfp)}, nodemask=(null)`;
    this.ctx.report({ kind: 'warn', id: 'page.alloc-failure', title, after: this.showMem(), details: { ...details, gfp } });
  }

  /** A short `show_mem`: per populated zone, free/min/low/high and the free blocks per order. */
  showMem(): string[] {
    const lines = ['Mem-Info:'];
    for (const zone of this.buddy.zones) {
      if (!zone.populated) continue;
      const free = this.buddy.freePages(zone.idx);
      lines.push(
        `Node 0 ${zone.name} free:${free * 4}kB boost:0kB min:${zone.wmarkMin * 4}kB low:${zone.wmarkLow * 4}kB high:${zone.wmarkHigh * 4}kB present:${zone.present * 4}kB managed:${zone.managed * 4}kB`,
      );
    }
    for (const zone of this.buddy.zones) {
      if (!zone.populated) continue;
      const parts: string[] = [];
      let total = 0;
      for (let o = 0; o < NR_PAGE_ORDERS; o++) {
        const n = this.buddy.nrFree(zone.idx, o);
        total += n * (4 << o);
        parts.push(`${n}*${4 << o}kB`);
      }
      lines.push(`Node 0 ${zone.name}: ${parts.join(' ')} = ${total}kB`);
    }
    return lines;
  }

  private prepNewPage(pfn: number, order: number, gfp: number, use: PageUse): void {
    const pages = this.ctx.pages;
    const head = pages.index(pfn);
    pages.refcount[head] = 1;
    pages.order[head] = order;
    const n = 1 << order;
    const compound = order > 0 && (gfp & __GFP_COMP) !== 0;
    if (compound) pages.flags[head] = pages.flags[head]! | PG_head;
    for (let i = 1; i < n; i++) {
      pages.head[head + i] = compound ? head : head + i;
      if (compound) pages.flags[head + i] = pages.flags[head + i]! | PG_tail;
    }
    this.inUse[use] += n;
    if (gfp & __GFP_ZERO) this.zero(pfn, n);
  }

  /** Zero pages through the CPU (lowmem via the linear map, highmem via a temporary kmap). */
  zero(pfn: number, n: number): void {
    const pages = this.ctx.pages;
    if (!(pages.flags[pages.index(pfn)]! & PG_highmem)) {
      this.ctx.machine.cpuFill(this.ctx.lowmemVa(pfn * PAGE_SIZE), 0, n * PAGE_SIZE);
      return;
    }
    for (let i = 0; i < n; i++) {
      const va = this.kmap.map(pfn + i);
      if (va < 0) throw new Error('clear_highpage: no free kmap slot');
      this.ctx.machine.cpuFill(va, 0, PAGE_SIZE);
      this.kmap.unmap(pfn + i);
    }
  }

  /** Return a block the kernel itself allocated (slab, large kmalloc, vmalloc): no checks. */
  freeInternal(pfn: number, order: number, use: PageUse): void {
    this.release(pfn, order);
    this.inUse[use] -= 1 << order;
  }

  private release(pfn: number, order: number): void {
    const pages = this.ctx.pages;
    const head = pages.index(pfn);
    const n = 1 << order;
    for (let i = 0; i < n; i++) {
      pages.flags[head + i] = pages.flags[head + i]! & ~(PG_head | PG_tail | PG_slab | PG_large_kmalloc | PG_vmalloc);
      pages.head[head + i] = head + i;
      pages.priv[head + i] = -1;
      pages.refcount[head + i] = 0;
    }
    this.buddy.free(pfn, order);
  }

  /**
   * `__free_pages(page, order)` from a caller of the page API, with the checks a debug kernel makes.
   * Returns true when the block was freed.
   */
  freeChecked(fn: string, pfn: number, order: number): boolean {
    const pages = this.ctx.pages;
    const i = pages.index(pfn);
    const flags = pages.flags[i]!;
    if (flags & (PG_reserved | PG_slab | PG_nomem)) {
      this.badPage(i, 'page.bad-free', 'PAGE_FLAGS_CHECK_AT_FREE flag(s) set', `${fn}: page ${pages.pagePtrText(i)} is ${flags & PG_slab ? 'a slab page' : 'reserved'}, not a page the caller allocated`);
      return false;
    }
    if (this.isFree(pfn)) {
      this.badPage(i, 'page.double-free', 'nonzero mapcount', `${fn}: page ${pages.pagePtrText(i)} (pfn 0x${pfn.toString(16)}) is already free`);
      return false;
    }
    const rec = this.records.get(pfn);
    if (!rec) {
      const what = flags & PG_tail || pages.head[i] !== i ? 'a tail page of a compound allocation' : flags & PG_vmalloc ? 'a page of a vmalloc area (use vfree)' : flags & PG_large_kmalloc ? 'a kmalloc allocation (use kfree)' : 'not the first page of a block from alloc_pages';
      this.ctx.report({
        kind: 'check',
        id: 'page.bad-free',
        title: `${fn}: page ${pages.pagePtrText(i)} (pfn 0x${pfn.toString(16)}) was not returned by alloc_pages: it is ${what}`,
        body: [pages.dumpLine(i), pages.dumpFlagsLine(i)],
        details: { pfn, order },
      });
      return false;
    }
    if (rec.order !== order) {
      this.ctx.report({
        kind: 'check',
        id: 'page.order-mismatch',
        title: `${fn}: freeing page ${pages.pagePtrText(i)} with order ${order}, but it was allocated with order ${rec.order}`,
        body: [pages.dumpLine(i), pages.dumpFlagsLine(i), `allocated by ${this.ctx.owners.name(rec.owner)} at ${rec.time} ns`],
        details: { pfn, order, allocatedOrder: rec.order },
      });
      return false;
    }
    this.records.delete(pfn);
    this.release(pfn, order);
    this.inUse.pages -= 1 << order;
    return true;
  }

  /** True when `pfn` lies inside a free buddy block. */
  isFree(pfn: number): boolean {
    const pages = this.ctx.pages;
    for (let o = 0; o <= MAX_PAGE_ORDER; o++) {
      const c = pages.index(pfn - (pfn & ((1 << o) - 1)));
      if (c < 0) return false;
      if (pages.flags[c]! & PG_buddy && pages.order[c]! >= o) return true;
    }
    return false;
  }

  /** `bad_page()`: `BUG: Bad page state in process <comm>  pfn:<pfn>` plus the page dump. */
  badPage(i: number, id: string, reason: string, explanation: string): void {
    const pages = this.ctx.pages;
    const pfn = pages.basePfn + i;
    this.ctx.report({
      kind: 'bug',
      id,
      title: `BUG: Bad page state in process ${this.ctx.current().comm}  pfn:${pfn.toString(16).padStart(5, '0')}`,
      body: [pages.dumpLine(i), pages.dumpFlagsLine(i), `page dumped because: ${reason}`],
      after: [`driverlab: ${explanation}`],
      details: { pfn, page: pages.pfnToPage(pfn), reason },
    }, true);
  }

  /** `kernel BUG` for a free_pages() address that is not in the linear map (VM_BUG_ON(!virt_addr_valid)). */
  badAddress(fn: string, addr: number): void {
    this.ctx.report({
      kind: 'bug',
      id: 'page.bad-free',
      title: 'kernel BUG at mm/page_alloc.c!',
      after: [`driverlab: ${fn}: ${hptr(addr)} is not a linear-map (lowmem) address: VM_BUG_ON(!virt_addr_valid(addr))`],
      details: { addr },
    });
  }
}
