import { Machine, type MachineConfig, PTE_CACHE_INHIBITED, PTE_GUARDED } from '../../src/hw/index.js';

export const PAGE_OFFSET = 0xc000_0000;
export const MiB = 1024 * 1024;

/** A machine with 16 MiB of lowmem linearly mapped at PAGE_OFFSET, as the kernel would set it up. */
export function testMachine(cfg: Partial<MachineConfig> = {}): Machine {
  const m = new Machine({ ram: [{ base: 0, size: 16 * MiB }], ...cfg });
  m.mmu.lowmemSize = 16 * MiB;
  return m;
}

/** Map an uncached alias of physical `pa` at kernel address `va` (a coherent-DMA-style alias). */
export function mapUncached(m: Machine, va: number, pa: number, pages = 1): void {
  for (let i = 0; i < pages; i++) m.mmu.mapPage(va + i * 4096, pa + i * 4096, PTE_CACHE_INHIBITED | PTE_GUARDED);
}

/** Bytes [pa, pa+len) as RAM holds them (what a device would read). */
export function ramBytes(m: Machine, pa: number, len: number): number[] {
  return Array.from(m.bus.peek(pa, len));
}

/** Bytes as the CPU sees them at `va`. */
export function cpuBytes(m: Machine, va: number, len: number): number[] {
  const out = new Uint8Array(len);
  m.cpu.read(va, out);
  return Array.from(out);
}
