/**
 * dma_alloc_coherent's memory on a non-coherent board: whole pages from the page allocator,
 * zeroed and flushed out of the cache through their cached linear alias, then mapped again
 * cache-inhibited in a remap area; the CPU uses only the uncached alias, so it and the device
 * always agree. On a coherent device the cached linear address is returned directly.
 */
import { PTE_CACHE_INHIBITED, PTE_GUARDED } from '../../hw/mmu.js';
import type { Machine } from '../../hw/machine.js';
import { DMA_COHERENT_BASE, DMA_COHERENT_END, PAGE_SIZE } from '../layout.js';
import type { MemoryManager } from '../mm/memory-manager.js';

/** One live coherent allocation. */
export interface CoherentBlock {
  /** The CPU address handed to the driver. */
  readonly va: number;
  /** Physical base. */
  readonly pa: number;
  /** The linear (cached) alias of the pages. */
  readonly linearVa: number;
  /** Bytes asked for, and the page order taken. */
  readonly size: number;
  readonly order: number;
  /** True when `va` is the uncached remap (a non-coherent device). */
  readonly remapped: boolean;
}

/** Pages and the uncached remap area. */
export class CoherentAllocator {
  private readonly byVa = new Map<number, CoherentBlock>();
  /** Free page ranges of the remap area: [start VA, pages], sorted. */
  private readonly free: [number, number][] = [[DMA_COHERENT_BASE, (DMA_COHERENT_END - DMA_COHERENT_BASE) / PAGE_SIZE]];

  constructor(
    private readonly machine: Machine,
    private readonly mm: MemoryManager,
  ) {}

  /** Allocate `size` bytes; null when pages or remap space run out. */
  alloc(size: number, gfp: number, coherentDevice: boolean, owner: string): CoherentBlock | null {
    const pages = Math.ceil(size / PAGE_SIZE);
    const order = Math.ceil(Math.log2(pages));
    const linearVa = this.mm.__get_free_pages(gfp, order, owner);
    if (!linearVa) return null;
    const pa = this.mm.virt_to_phys(linearVa);
    const cpu = this.machine.cpu;
    const bytes = PAGE_SIZE << order;
    cpu.fill(linearVa, 0, bytes);
    if (coherentDevice) {
      const b: CoherentBlock = { va: linearVa, pa, linearVa, size, order, remapped: false };
      this.byVa.set(linearVa, b);
      return b;
    }
    // arch_dma_prep_coherent: flush the cached alias so no dirty line can land on the buffer later.
    cpu.cacheBlockOp('dcbf', linearVa, bytes);
    const va = this.takeVa(1 << order);
    if (va < 0) {
      this.mm.free_pages(linearVa, order);
      return null;
    }
    for (let i = 0; i < 1 << order; i++) this.machine.mmu.mapPage(va + i * PAGE_SIZE, pa + i * PAGE_SIZE, PTE_CACHE_INHIBITED | PTE_GUARDED);
    const b: CoherentBlock = { va, pa, linearVa, size, order, remapped: true };
    this.byVa.set(va, b);
    return b;
  }

  /** The allocation whose CPU address is `va`. */
  lookup(va: number): CoherentBlock | undefined {
    return this.byVa.get(va);
  }

  /** The allocation containing CPU address `va` (any byte of it). */
  containing(va: number): CoherentBlock | undefined {
    for (const b of this.byVa.values()) if (va >= b.va && va < b.va + (PAGE_SIZE << b.order)) return b;
    return undefined;
  }

  /** Free an allocation: unmap the alias, return the pages. */
  release(b: CoherentBlock): void {
    this.byVa.delete(b.va);
    if (b.remapped) {
      for (let i = 0; i < 1 << b.order; i++) this.machine.mmu.unmapPage(b.va + i * PAGE_SIZE);
      this.giveVa(b.va, 1 << b.order);
    }
    this.mm.free_pages(b.linearVa, b.order);
  }

  private takeVa(pages: number): number {
    for (let i = 0; i < this.free.length; i++) {
      const r = this.free[i]!;
      if (r[1] < pages) continue;
      const va = r[0];
      r[0] += pages * PAGE_SIZE;
      r[1] -= pages;
      if (r[1] === 0) this.free.splice(i, 1);
      return va;
    }
    return -1;
  }

  private giveVa(va: number, pages: number): void {
    this.free.push([va, pages]);
    this.free.sort((a, b) => a[0] - b[0]);
    for (let i = 0; i + 1 < this.free.length; ) {
      const a = this.free[i]!;
      const b = this.free[i + 1]!;
      if (a[0] + a[1] * PAGE_SIZE === b[0]) {
        a[1] += b[1];
        this.free.splice(i + 1, 1);
      } else i++;
    }
  }
}
