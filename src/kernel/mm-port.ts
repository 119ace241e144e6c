/** The memory manager's port onto the machine: CPU accesses through the cache, and the page table. */
import type { Machine } from '../hw/machine.js';
import { PTE_CACHE_INHIBITED, PTE_GUARDED, PTE_READONLY } from '../hw/mmu.js';
import type { MmMachine, PageAttrs } from './mm/machine.js';

/** Build the {@link MmMachine} view of a machine. */
export function mmPort(m: Machine): MmMachine {
  return {
    ramBanks: m.store.banks.map((b) => ({ base: b.base, size: b.size })),
    cacheLineSize: m.store.lineSize,
    coherent: m.coherent,
    cpuFill: (va, byte, len) => m.cpu.fill(va, byte, len),
    cpuFindNot: (va, byte, len) => m.cpu.findNot(va, byte, len),
    cpuRead: (va, len) => {
      const out = new Uint8Array(len);
      m.cpu.read(va, out);
      return out;
    },
    cpuCopy: (dst, src, len) => m.cpu.copy(dst, src, len),
    mapPage: (va, pa, a: PageAttrs) =>
      m.mmu.mapPage(va, pa, (a.cacheInhibited ? PTE_CACHE_INHIBITED : 0) | (a.guarded ? PTE_GUARDED : 0) | (a.readOnly ? PTE_READONLY : 0)),
    unmapPage: (va) => m.mmu.unmapPage(va),
    translate: (va) => m.mmu.probe(va),
    now: () => m.now,
  };
}
