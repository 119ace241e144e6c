/**
 * The core's view of kernel virtual memory: a linear window for lowmem (as the e500's pinned TLB
 * entries give) and a 4 KiB page table for everything else in kernel space (vmalloc, ioremap,
 * kmap). Addresses below TASK_SIZE belong to user space and fault. Not modelled: user processes,
 * TLB capacity and misses, execute permissions.
 */
import { CpuFault, type AccessKind } from './errors.js';

const KSPACE = 0xc000_0000;
const PT_ENTRIES = (0x1_0000_0000 - KSPACE) / 4096;

/** Page-table attribute bits. */
export const PTE_CACHE_INHIBITED = 1;
/** Guarded: device memory, no speculation. */
export const PTE_GUARDED = 2;
/** Stores fault. */
export const PTE_READONLY = 4;

/** Kernel address translation. */
export class Mmu {
  /** Start of the linear map (PAGE_OFFSET). */
  readonly linearBase = KSPACE;
  /** Bytes covered by the linear map (lowmem); set at boot. */
  lowmemSize = 0;
  /** Physical address the linear map starts at (memstart). */
  lowmemPhys = 0;
  /** Linear-map offsets below this are kernel text and rodata: stores there fault. */
  readOnlyEnd = 0;
  /** pfn+1 per 4 KiB page of kernel space (0 = not mapped). */
  private readonly ptePfn = new Float64Array(PT_ENTRIES);
  private readonly pteAttr = new Uint8Array(PT_ENTRIES);
  /** Attribute bits of the last successful {@link translate} (0 for lowmem). */
  lastAttr = 0;

  /** Map one page of kernel space `va` → `pa` with PTE_* attributes. */
  mapPage(va: number, pa: number, attr: number): void {
    const i = this.index(va);
    if (i < 0 || va % 4096 !== 0 || pa % 4096 !== 0) throw new RangeError(`Mmu: cannot map va 0x${va.toString(16)} → pa 0x${pa.toString(16)} (not page aligned or not kernel space)`);
    this.ptePfn[i] = pa / 4096 + 1;
    this.pteAttr[i] = attr;
  }

  /** Remove the mapping of the page holding `va`. */
  unmapPage(va: number): void {
    const i = this.index(va);
    if (i >= 0) {
      this.ptePfn[i] = 0;
      this.pteAttr[i] = 0;
    }
  }

  /** True when `va` is mapped by the page table (not the linear map). */
  isPageMapped(va: number): boolean {
    const i = this.index(va);
    return i >= 0 && this.ptePfn[i]! !== 0;
  }

  /** Physical address for `va` without faulting: -1 when nothing maps it. */
  probe(va: number): number {
    const off = va - KSPACE;
    if (off >= 0 && off < this.lowmemSize) {
      this.lastAttr = 0;
      return this.lowmemPhys + off;
    }
    const i = this.index(va);
    if (i < 0) return -1;
    const pfn1 = this.ptePfn[i]!;
    if (pfn1 === 0) return -1;
    this.lastAttr = this.pteAttr[i]!;
    return (pfn1 - 1) * 4096 + (va % 4096);
  }

  /** Translate for an access; throws {@link CpuFault} as the core's storage exception would. */
  translate(va: number, access: AccessKind): number {
    const off = va - KSPACE;
    if (off >= 0 && off < this.lowmemSize) {
      if (access === 'write' && off < this.readOnlyEnd) throw new CpuFault(va, access, 'protection');
      this.lastAttr = 0;
      return this.lowmemPhys + off;
    }
    if (!(va >= KSPACE)) throw new CpuFault(va, access, 'user');
    const i = this.index(va);
    const pfn1 = i < 0 ? 0 : this.ptePfn[i]!;
    if (pfn1 === 0) throw new CpuFault(va, access, 'unmapped');
    const attr = this.pteAttr[i]!;
    if (access === 'write' && attr & PTE_READONLY) throw new CpuFault(va, access, 'protection');
    this.lastAttr = attr;
    return (pfn1 - 1) * 4096 + (va % 4096);
  }

  private index(va: number): number {
    if (!(va >= KSPACE && va < 0x1_0000_0000) || !Number.isInteger(va)) return -1;
    return Math.floor((va - KSPACE) / 4096);
  }
}
