/** The kernel memory manager's public surface: the MemoryManager façade, GFP and SLAB flags, report-facing types. */
export { MemoryManager, type MemoryManagerOptions, type LeakRecord, type ZoneView } from './memory-manager.js';
export { SandboxArgumentError } from './errors.js';
export * from './gfp.js';
export {
  KmemCache,
  SLAB_CONSISTENCY_CHECKS,
  SLAB_RED_ZONE,
  SLAB_POISON,
  SLAB_KMALLOC,
  SLAB_HWCACHE_ALIGN,
  SLAB_CACHE_DMA,
  SLAB_STORE_USER,
  SLAB_PANIC,
  type SlabObjectInfo,
} from './slab.js';
export { POISON_INUSE, POISON_FREE, POISON_END, SLUB_RED_INACTIVE, SLUB_RED_ACTIVE } from './slab-debug.js';
export { ZERO_SIZE_PTR, KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_SIZE } from './kmalloc.js';
export { MAX_PAGE_ORDER, NR_PAGE_ORDERS } from './buddy.js';
export { PG_slab, PG_reserved, PG_head, PG_buddy, PG_tail, PG_large_kmalloc, PG_vmalloc, PG_highmem, STRUCT_PAGE_SIZE, type PageView } from './page.js';
export { type MeminfoValues } from './procfs.js';
export { type TaskInfo } from './context.js';
export { type PhysRange, type Reservation } from './memblock.js';
export type { MmMachine, RamBank, PageAttrs } from './machine.js';
