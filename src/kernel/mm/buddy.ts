/**
 * The binary buddy allocator: per zone and per order (0..MAX_PAGE_ORDER) a set of free blocks,
 * split on allocation and merged with their buddy on free, always choosing the lowest-addressed
 * block of the smallest order that fits, so runs are deterministic. Also the zone watermark test
 * (`__zone_watermark_ok`). Left out: per-cpu page lists, migrate types and pageblocks, compaction,
 * reclaim and the OOM killer.
 */
import { BitTree } from './bittree.js';
import { PG_buddy, type PageArray } from './page.js';
import type { Zone } from './zones.js';

/** Largest order the buddy allocator hands out (`MAX_PAGE_ORDER`, 4 MiB blocks). */
export const MAX_PAGE_ORDER = 10;
/** Number of orders (0..MAX_PAGE_ORDER). */
export const NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;
/** Pages in the largest block. */
export const MAX_ORDER_NR_PAGES = 1 << MAX_PAGE_ORDER;

/** Watermark-test flags (a subset of `ALLOC_*`). */
export const ALLOC_MIN_RESERVE = 1;
/** The caller cannot block (atomic): may go a little deeper into the reserve. */
export const ALLOC_NON_BLOCK = 2;

/** Free lists of one zone. */
class FreeArea {
  /** pfn that block index 0 of every order starts at (zone start rounded down to MAX_ORDER_NR_PAGES). */
  readonly alignedBase: number;
  /** One ordered set of free block indices per order. */
  readonly trees: BitTree[] = [];
  /** `free_area[order].nr_free`. */
  readonly nrFree = new Int32Array(NR_PAGE_ORDERS);
  /** NR_FREE_PAGES. */
  freePages = 0;

  constructor(zone: Zone) {
    this.alignedBase = Math.floor(zone.startPfn / MAX_ORDER_NR_PAGES) * MAX_ORDER_NR_PAGES;
    const span = Math.max(0, zone.endPfn - this.alignedBase);
    for (let o = 0; o < NR_PAGE_ORDERS; o++) this.trees.push(new BitTree(Math.ceil(span / (1 << o)) || 1));
  }
}

/** The page allocator's mechanism: free lists, split, merge, watermarks. */
export class BuddyAllocator {
  private readonly areas: FreeArea[];

  constructor(
    private readonly pages: PageArray,
    /** All zones, indexed by zone type. */
    readonly zones: readonly Zone[],
  ) {
    this.areas = zones.map((z) => new FreeArea(z));
  }

  /** Free pages in a zone. */
  freePages(zoneIdx: number): number {
    return this.areas[zoneIdx]!.freePages;
  }

  /** Free blocks of an order in a zone (`/proc/buddyinfo`). */
  nrFree(zoneIdx: number, order: number): number {
    return this.areas[zoneIdx]!.nrFree[order]!;
  }

  /** pfns of the free blocks of one order in a zone, ascending (tests and reports). */
  freeBlocks(zoneIdx: number, order: number): number[] {
    const area = this.areas[zoneIdx]!;
    return [...area.trees[order]!.values()].map((b) => area.alignedBase + b * (1 << order));
  }

  private addFree(area: FreeArea, pfn: number, order: number): void {
    const i = this.pages.index(pfn);
    this.pages.flags[i] = this.pages.flags[i]! | PG_buddy;
    this.pages.order[i] = order;
    this.pages.refcount[i] = 0;
    area.trees[order]!.add((pfn - area.alignedBase) >>> order);
    area.nrFree[order]!++;
  }

  private removeFree(area: FreeArea, pfn: number, order: number): void {
    const i = this.pages.index(pfn);
    this.pages.flags[i] = this.pages.flags[i]! & ~PG_buddy;
    this.pages.order[i] = 0;
    area.trees[order]!.delete((pfn - area.alignedBase) >>> order);
    area.nrFree[order]!--;
  }

  /**
   * Give a block back (`__free_one_page`): merge with free buddies as far as possible. The block
   * must be aligned to its size and lie inside one zone.
   */
  free(pfn: number, order: number): void {
    const zoneIdx = this.pages.zone[this.pages.index(pfn)]!;
    const zone = this.zones[zoneIdx]!;
    const area = this.areas[zoneIdx]!;
    area.freePages += 1 << order;
    while (order < MAX_PAGE_ORDER) {
      const buddy = pfn ^ (1 << order);
      if (buddy < zone.startPfn || buddy + (1 << order) > zone.endPfn) break;
      const bi = this.pages.index(buddy);
      if (bi < 0 || !(this.pages.flags[bi]! & PG_buddy) || this.pages.order[bi] !== order) break;
      this.removeFree(area, buddy, order);
      pfn = Math.min(pfn, buddy);
      order++;
    }
    this.addFree(area, pfn, order);
  }

  /** Take a block of `order` from one zone, lowest address of the smallest order first; -1 if none. */
  allocFromZone(zoneIdx: number, order: number): number {
    const area = this.areas[zoneIdx]!;
    for (let o = order; o < NR_PAGE_ORDERS; o++) {
      const b = area.trees[o]!.first();
      if (b < 0) continue;
      const pfn = area.alignedBase + b * (1 << o);
      this.removeFree(area, pfn, o);
      // Split: keep the low half, free the high halves (`expand`).
      while (o > order) {
        o--;
        this.addFree(area, pfn + (1 << o), o);
      }
      area.freePages -= 1 << order;
      return pfn;
    }
    return -1;
  }

  /** `__zone_watermark_ok` against the min watermark (no reclaim exists to refill the zone). */
  watermarkOk(zoneIdx: number, order: number, allocFlags: number, highestZoneIdx: number): boolean {
    const zone = this.zones[zoneIdx]!;
    const area = this.areas[zoneIdx]!;
    let min = zone.wmarkMin;
    if (allocFlags & ALLOC_MIN_RESERVE) {
      min -= Math.floor(min / 2);
      if (allocFlags & ALLOC_NON_BLOCK) min -= Math.floor(min / 4);
    }
    const free = area.freePages - ((1 << order) - 1);
    if (free <= min + zone.lowmemReserve[highestZoneIdx]!) return false;
    if (order === 0) return true;
    for (let o = order; o < NR_PAGE_ORDERS; o++) if (area.nrFree[o]! > 0) return true;
    return false;
  }
}
