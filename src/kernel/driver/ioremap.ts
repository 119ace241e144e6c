/**
 * The ioremap area of one kernel: physical device windows mapped cache-inhibited and guarded into
 * [IOREMAP_BASE, IOREMAP_END), handed out top-down as `ioremap_bot` does, each area followed by an
 * unmapped guard page (as vmalloc areas are) so that running off the end of a window faults.
 */
import type { Mmu } from '../../hw/mmu.js';
import { PTE_CACHE_INHIBITED, PTE_GUARDED } from '../../hw/mmu.js';
import { IOREMAP_BASE, PAGE_SIZE } from '../layout.js';

/** Top of the ioremap area; [IOREMAP_END, IOREMAP_TOP) is the DMA coherent remap area. */
export const IOREMAP_END = 0xfd00_0000;

/** One ioremapped window. */
export interface IoremapArea {
  /** Virtual address of the first mapped page. */
  readonly va: number;
  /** Bytes mapped (whole pages). */
  readonly size: number;
  /** Physical address of the first mapped page. */
  readonly pa: number;
  /** The address ioremap returned (`va` plus the offset of the physical address inside its page). */
  readonly cookie: number;
  /** Physical address and length the caller asked for. */
  readonly physAddr: number;
  readonly physSize: number;
  /** Owner tag current at the time (device name during probe). */
  readonly owner: string;
  /** Managed by devres (`devm_ioremap*`): released at unbind, not a leak. */
  managed: boolean;
}

/** The areas of one kernel. */
export class IoremapSpace {
  private readonly areas: IoremapArea[] = [];

  constructor(private readonly mmu: Mmu) {}

  /** Map [pa, pa+size) cache-inhibited and guarded; the cookie for accessors, or null when the area is full. */
  map(pa: number, size: number, owner: string): IoremapArea | null {
    const first = Math.floor(pa / PAGE_SIZE) * PAGE_SIZE;
    const bytes = Math.ceil((pa + size) / PAGE_SIZE) * PAGE_SIZE - first;
    const va = this.findHole(bytes + PAGE_SIZE);
    if (va === null) return null;
    for (let off = 0; off < bytes; off += PAGE_SIZE) this.mmu.mapPage(va + off, first + off, PTE_CACHE_INHIBITED | PTE_GUARDED);
    const area: IoremapArea = { va, size: bytes, pa: first, cookie: va + (pa - first), physAddr: pa, physSize: size, owner, managed: false };
    this.areas.push(area);
    return area;
  }

  /** The area whose mapped pages hold `addr`. */
  find(addr: number): IoremapArea | undefined {
    for (const a of this.areas) if (addr >= a.va && addr < a.va + a.size) return a;
    return undefined;
  }

  /** Unmap the area holding `addr`; false when no area holds it. */
  unmap(addr: number): boolean {
    const a = this.find(addr);
    if (a === undefined) return false;
    for (let off = 0; off < a.size; off += PAGE_SIZE) this.mmu.unmapPage(a.va + off);
    this.areas.splice(this.areas.indexOf(a), 1);
    return true;
  }

  /** Live areas, highest address first. */
  list(): readonly IoremapArea[] {
    return [...this.areas].sort((a, b) => b.va - a.va);
  }

  /** Highest free gap of `bytes` (area plus guard page) below IOREMAP_END. */
  private findHole(bytes: number): number | null {
    const taken = [...this.areas].sort((a, b) => b.va - a.va);
    let top = IOREMAP_END;
    for (const a of taken) {
      const end = a.va + a.size + PAGE_SIZE;
      if (top - end >= bytes) break;
      top = Math.min(top, a.va);
    }
    const va = top - bytes;
    return va >= IOREMAP_BASE ? va : null;
  }
}
