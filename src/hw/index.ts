/** The hardware layer: sparse RAM, the physical bus, the data cache, the MMU and the core. */
export { RamStore, FRAME_SIZE, LINE_VALID, LINE_DIRTY, LINE_DIVERGED, LINE_STALE, WATCH_READS_MASK, WATCH_DMA_DEVICE, WATCH_DMA_CPU, WATCH_DMA_EDGE } from './ram.js';
export { DataCache, E500V2_L1D, type CacheGeometry, type CacheCounters, type CacheOptions, type EvictionPolicy, type Replacement, type ClobberHook } from './cache.js';
export { Bus, BusMasterPort, type MmioDevice, type MmioWindow, type MasterAccessHook } from './bus.js';
export { Mmu, PTE_CACHE_INHIBITED, PTE_GUARDED, PTE_READONLY } from './mmu.js';
export { Cpu, type WatchHook, type StaleReadHook } from './cpu.js';
export { Machine, type MachineConfig } from './machine.js';
export { BusError, CpuFault, type AccessKind, type FaultReason } from './errors.js';
