/**
 * The 32-bit PowerPC kernel virtual address map as driverlab lays it out: the constants every
 * part of the kernel agrees on (lowmem linear map, vmalloc, ioremap and kmap areas, page size).
 */

/** Page size: 4 KiB, as `BE PAGE_SIZE=4K` kernels use. */
export const PAGE_SHIFT = 12;
/** Bytes in a page. */
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** Mask that clears the offset inside a page (as a positive number: use with `Math.floor`/`-`). */
export const PAGE_MASK = ~(PAGE_SIZE - 1) >>> 0;

/** Start of the kernel's linear map of low memory (`PAGE_OFFSET`). */
export const PAGE_OFFSET = 0xc000_0000;
/** Start of kernel virtual space; addresses below are user space, where kernel accesses fault. */
export const TASK_SIZE = 0xc000_0000;
/** Most RAM the linear map covers (`CONFIG_LOWMEM_SIZE`, 768 MiB); the rest is highmem. */
export const LOWMEM_MAX = 0x3000_0000;
/** Gap between the end of lowmem and the vmalloc area (`VMALLOC_OFFSET`). */
export const VMALLOC_OFFSET = 0x0100_0000;
/** End of the vmalloc area (exclusive). */
export const VMALLOC_END = 0xf600_0000;
/** The ioremap area: [IOREMAP_BASE, IOREMAP_TOP), handed out top-down as Linux's `ioremap_bot` does. */
export const IOREMAP_BASE = 0xf600_0000;
/** End of the ioremap area (exclusive). */
export const IOREMAP_TOP = 0xfd00_0000;
/**
 * The uncached remap area for dma_alloc_coherent on a non-coherent board: [DMA_COHERENT_BASE,
 * DMA_COHERENT_END), 16 MiB (older 32-bit PowerPC kernels had such a "consistent" area of 2 MiB by
 * default; newer ones remap in vmalloc space — the effect for a driver is the same).
 */
export const DMA_COHERENT_BASE = 0xfd00_0000;
/** End of the coherent remap area (exclusive). */
export const DMA_COHERENT_END = 0xfe00_0000;
/** Persistent kmap area for highmem pages (`PKMAP_BASE`), 1024 slots. */
export const PKMAP_BASE = 0xfe00_0000;
/** Number of persistent kmap slots (`LAST_PKMAP`). */
export const LAST_PKMAP = 1024;
/** Kernel stacks are 8 KiB (`THREAD_SIZE`) and live in lowmem. */
export const THREAD_SIZE = 0x2000;

/** Where the simulated kernel image sits in physical memory, and its parts. */
export const KERNEL_IMAGE = {
  /** Physical load address (`KERNELBASE` maps here). */
  physBase: 0,
  /** `_stext`..`_etext`. */
  textSize: 0x0040_0000,
  /** read-only data after text. */
  rodataSize: 0x0010_0000,
  /** data + bss after rodata. */
  dataSize: 0x0030_0000,
} as const;

/** Total bytes of the kernel image (text + rodata + data/bss). */
export const KERNEL_IMAGE_SIZE = KERNEL_IMAGE.textSize + KERNEL_IMAGE.rodataSize + KERNEL_IMAGE.dataSize;

/** `VMALLOC_START` for a given end of lowmem: high_memory + 16 MiB, rounded down to 16 MiB. */
export function vmallocStart(highMemory: number): number {
  return Math.floor((highMemory + VMALLOC_OFFSET) / VMALLOC_OFFSET) * VMALLOC_OFFSET;
}
