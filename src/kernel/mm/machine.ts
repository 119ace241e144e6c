/**
 * What the kernel's memory manager needs from the simulated machine, as one narrow port: the RAM
 * banks, CPU-side accesses at kernel virtual addresses (through the data cache), and the page table.
 */

/** A bank of RAM in physical address space. */
export interface RamBank {
  /** Physical base (may be above 4 GiB: 36-bit physical addresses are allowed). */
  readonly base: number;
  /** Size in bytes (a multiple of the page size). */
  readonly size: number;
}

/** Attributes of one kernel page-table entry (the WIMG bits that matter here, plus protection). */
export interface PageAttrs {
  /** Cache-inhibited (I): accesses bypass the data cache (ioremap, coherent DMA alias). */
  readonly cacheInhibited: boolean;
  /** Guarded (G): no speculative access (MMIO). */
  readonly guarded: boolean;
  /** Writes fault. */
  readonly readOnly: boolean;
}

/** The machine as the memory manager sees it. */
export interface MmMachine {
  /** RAM banks from the board, sorted by base. */
  readonly ramBanks: readonly RamBank[];
  /** L1 data-cache line size in bytes (16, 32, 64 or 128). */
  readonly cacheLineSize: number;
  /** True when devices' DMA is snooped by the CPU cache (a coherent board). */
  readonly coherent: boolean;
  /** `memset` through the CPU and its data cache at a kernel virtual address. */
  cpuFill(va: number, byte: number, len: number): void;
  /** First offset in [va, va+len) whose byte (as the CPU sees it) differs from `byte`, or -1. */
  cpuFindNot(va: number, byte: number, len: number): number;
  /** Copy bytes out as the CPU sees them (cold path: reports, hex dumps). */
  cpuRead(va: number, len: number): Uint8Array;
  /**
   * `memcpy` through the CPU and its data cache (krealloc). Optional: without it the memory
   * manager copies with cpuRead + cpuFill runs, which is slower but sees the same bytes.
   */
  cpuCopy?(dstVa: number, srcVa: number, len: number): void;
  /** Install a 4 KiB mapping va → pa. */
  mapPage(va: number, pa: number, attrs: PageAttrs): void;
  /** Remove the mapping at va (no-op if none). */
  unmapPage(va: number): void;
  /** Physical address for va, or -1 when unmapped. */
  translate(va: number): number;
  /** Simulated time in ns (for reports and slab-debug timestamps). */
  now(): number;
}
