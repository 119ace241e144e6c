/**
 * The DMA mapping API as drivers call it, with Linux's names and argument order: masks,
 * streaming maps and syncs (single, page, range, sg), mapping errors, coherent allocations and
 * dma_pool. Each call acts on the running board's DMA engine.
 */
import type { Device } from '../device.js';
import { kernelFor } from '../api/kernel-of.js';
import { devres_add, devres_release } from '../driver/devres.js';
import { mightAlloc, mightSleep } from '../sched/splats.js';
import type { DmaAddrRef } from './engine.js';
import type { DmaPool } from './pool.js';
import type { Scatterlist } from './sg.js';
import { DMA_BIT_MASK } from './types.js';

function engine(fn: string) {
  return kernelFor(fn).dma;
}

/** `dma_set_mask(dev, mask)`: 0 or -EIO. */
export function dma_set_mask(dev: Device, mask: bigint): number {
  return engine('dma_set_mask').setMask(dev, mask);
}
/** `dma_set_coherent_mask(dev, mask)`: 0 or -EIO. */
export function dma_set_coherent_mask(dev: Device, mask: bigint): number {
  return engine('dma_set_coherent_mask').setCoherentMask(dev, mask);
}
/** `dma_set_mask_and_coherent(dev, mask)`: sets the coherent mask only if the streaming one took. */
export function dma_set_mask_and_coherent(dev: Device, mask: bigint): number {
  const e = engine('dma_set_mask_and_coherent');
  const rc = e.setMask(dev, mask);
  if (rc === 0) e.setCoherentMask(dev, mask);
  return rc;
}
/** `dma_get_mask(dev)`: the mask, or DMA_BIT_MASK(32) when unset. */
export function dma_get_mask(dev: Device): bigint {
  return dev.dmaMask && dev.dmaMask !== 0n ? dev.dmaMask : DMA_BIT_MASK(32);
}
/** `dma_addressing_limited(dev)`: the mask cannot reach all RAM. */
export function dma_addressing_limited(dev: Device): boolean {
  return dma_get_mask(dev) < engine('dma_addressing_limited').requiredMask();
}
/** `dma_get_required_mask(dev)`. */
export function dma_get_required_mask(_dev: Device): bigint {
  return engine('dma_get_required_mask').requiredMask();
}
/** `dma_get_cache_alignment()`: ARCH_DMA_MINALIGN on a non-coherent board, else 1. */
export function dma_get_cache_alignment(): number {
  const k = kernelFor('dma_get_cache_alignment');
  return k.machine.coherent ? 1 : k.machine.store.lineSize;
}

/** `dma_map_single(dev, ptr, size, dir)`. */
export function dma_map_single(dev: Device, ptr: number, size: number, dir: number): number {
  return engine('dma_map_single').mapSingle(dev, ptr, size, dir, 0, dma_map_single);
}
/** `dma_map_single_attrs(dev, ptr, size, dir, attrs)`. */
export function dma_map_single_attrs(dev: Device, ptr: number, size: number, dir: number, attrs: number): number {
  return engine('dma_map_single_attrs').mapSingle(dev, ptr, size, dir, attrs, dma_map_single_attrs);
}
/** `dma_unmap_single(dev, addr, size, dir)`. */
export function dma_unmap_single(dev: Device, addr: number, size: number, dir: number): void {
  engine('dma_unmap_single').unmap(dev, addr, size, dir, 0, 'dma_unmap_single');
}
/** `dma_unmap_single_attrs(dev, addr, size, dir, attrs)`. */
export function dma_unmap_single_attrs(dev: Device, addr: number, size: number, dir: number, attrs: number): void {
  engine('dma_unmap_single_attrs').unmap(dev, addr, size, dir, attrs, 'dma_unmap_single_attrs');
}
/** `dma_map_page(dev, page, offset, size, dir)`. */
export function dma_map_page(dev: Device, page: number, offset: number, size: number, dir: number): number {
  return engine('dma_map_page').mapPage(dev, page, offset, size, dir, 0, dma_map_page);
}
/** `dma_map_page_attrs(dev, page, offset, size, dir, attrs)`. */
export function dma_map_page_attrs(dev: Device, page: number, offset: number, size: number, dir: number, attrs: number): number {
  return engine('dma_map_page_attrs').mapPage(dev, page, offset, size, dir, attrs, dma_map_page_attrs);
}
/** `dma_unmap_page(dev, addr, size, dir)`. */
export function dma_unmap_page(dev: Device, addr: number, size: number, dir: number): void {
  engine('dma_unmap_page').unmap(dev, addr, size, dir, 0, 'dma_unmap_page');
}
/** `dma_unmap_page_attrs(dev, addr, size, dir, attrs)`. */
export function dma_unmap_page_attrs(dev: Device, addr: number, size: number, dir: number, attrs: number): void {
  engine('dma_unmap_page_attrs').unmap(dev, addr, size, dir, attrs, 'dma_unmap_page_attrs');
}
/** `dma_mapping_error(dev, addr)`: 0, or -ENOMEM when `addr` is DMA_MAPPING_ERROR. */
export function dma_mapping_error(dev: Device, addr: number): number {
  return engine('dma_mapping_error').mappingError(dev, addr);
}

/** `dma_sync_single_for_cpu(dev, addr, size, dir)`. */
export function dma_sync_single_for_cpu(dev: Device, addr: number, size: number, dir: number): void {
  engine('dma_sync_single_for_cpu').syncSingleForCpu(dev, addr, size, dir, 'dma_sync_single_for_cpu');
}
/** `dma_sync_single_for_device(dev, addr, size, dir)`. */
export function dma_sync_single_for_device(dev: Device, addr: number, size: number, dir: number): void {
  engine('dma_sync_single_for_device').syncSingleForDevice(dev, addr, size, dir, 'dma_sync_single_for_device');
}
/** `dma_sync_single_range_for_cpu(dev, addr, offset, size, dir)` = sync of addr+offset. */
export function dma_sync_single_range_for_cpu(dev: Device, addr: number, offset: number, size: number, dir: number): void {
  engine('dma_sync_single_range_for_cpu').syncSingleForCpu(dev, addr + offset, size, dir, 'dma_sync_single_range_for_cpu');
}
/** `dma_sync_single_range_for_device(dev, addr, offset, size, dir)`. */
export function dma_sync_single_range_for_device(dev: Device, addr: number, offset: number, size: number, dir: number): void {
  engine('dma_sync_single_range_for_device').syncSingleForDevice(dev, addr + offset, size, dir, 'dma_sync_single_range_for_device');
}

/** `dma_map_sg(dev, sgl, nents, dir)`: entries mapped, 0 on failure. */
export function dma_map_sg(dev: Device, sgl: Scatterlist[], nents: number, dir: number): number {
  return engine('dma_map_sg').mapSg(dev, sgl, nents, dir, 0, dma_map_sg);
}
/** `dma_map_sg_attrs(dev, sgl, nents, dir, attrs)`. */
export function dma_map_sg_attrs(dev: Device, sgl: Scatterlist[], nents: number, dir: number, attrs: number): number {
  return engine('dma_map_sg_attrs').mapSg(dev, sgl, nents, dir, attrs, dma_map_sg_attrs);
}
/** `dma_unmap_sg(dev, sgl, nents, dir)` — nents as passed to dma_map_sg, not its return value. */
export function dma_unmap_sg(dev: Device, sgl: Scatterlist[], nents: number, dir: number): void {
  engine('dma_unmap_sg').unmapSg(dev, sgl, nents, dir, 0);
}
/** `dma_sync_sg_for_cpu(dev, sgl, nelems, dir)`. */
export function dma_sync_sg_for_cpu(dev: Device, sgl: Scatterlist[], nelems: number, dir: number): void {
  engine('dma_sync_sg_for_cpu').syncSg(dev, sgl, nelems, dir, true);
}
/** `dma_sync_sg_for_device(dev, sgl, nelems, dir)`. */
export function dma_sync_sg_for_device(dev: Device, sgl: Scatterlist[], nelems: number, dir: number): void {
  engine('dma_sync_sg_for_device').syncSg(dev, sgl, nelems, dir, false);
}

/** `dma_alloc_coherent(dev, size, &handle, gfp)`: CPU address (uncached on a non-coherent board) or null. */
export function dma_alloc_coherent(dev: Device, size: number, handle: DmaAddrRef, gfp: number): number | null {
  const k = kernelFor('dma_alloc_coherent');
  mightAlloc(k, gfp); // a blocking allocation may sleep (GFP_ATOMIC is fine in interrupt context)
  return k.dma.allocCoherent(dev, size, handle, gfp, dma_alloc_coherent);
}
/** `dma_free_coherent(dev, size, cpu_addr, handle)`. */
export function dma_free_coherent(dev: Device, size: number, cpuAddr: number | null, handle: number): void {
  engine('dma_free_coherent').freeCoherent(dev, size, cpuAddr, handle);
}

/**
 * `dmam_alloc_coherent(dev, size, &handle, gfp)`: a managed dma_alloc_coherent, freed when the
 * driver detaches (or its probe fails).
 */
export function dmam_alloc_coherent(dev: Device, size: number, handle: DmaAddrRef, gfp: number): number | null {
  const e = engine('dmam_alloc_coherent');
  const va = e.allocCoherent(dev, size, handle, gfp, dmam_alloc_coherent);
  if (va === null) return null;
  const dma = handle.value;
  devres_add(dev, 'dmam_coherent', () => e.freeCoherent(dev, size, va, dma), va);
  return va;
}
/** `dmam_free_coherent(dev, size, cpu_addr, handle)`: free a managed allocation early. */
export function dmam_free_coherent(dev: Device, size: number, cpuAddr: number, handle: number): void {
  const e = engine('dmam_free_coherent');
  if (!devres_release(dev, 'dmam_coherent', (d) => d === cpuAddr)) e.freeCoherent(dev, size, cpuAddr, handle);
}
/** `dmam_pool_create(name, dev, size, align, boundary)`: a pool destroyed when the driver detaches. */
export function dmam_pool_create(name: string, dev: Device, size: number, align: number, boundary: number): DmaPool | null {
  const pools = kernelFor('dmam_pool_create').dmaPools;
  const pool = pools.create(name, dev, size, align, boundary);
  if (pool) devres_add(dev, 'dmam_pool', () => pools.destroy(pool), pool);
  return pool;
}

/** `dma_pool_create(name, dev, size, align, boundary)`: a pool or null. */
export function dma_pool_create(name: string, dev: Device | null, size: number, align: number, boundary: number): DmaPool | null {
  const k = kernelFor('dma_pool_create');
  mightSleep(k, { file: 'mm/dmapool.c', line: 246 }); // "must be called in a context which can sleep"
  return k.dmaPools.create(name, dev, size, align, boundary);
}
/** `dma_pool_alloc(pool, gfp, &handle)`. */
export function dma_pool_alloc(pool: DmaPool, gfp: number, handle: DmaAddrRef): number | null {
  const k = kernelFor('dma_pool_alloc');
  mightAlloc(k, gfp);
  return k.dmaPools.alloc(pool, gfp, handle, dma_pool_alloc, false);
}
/** `dma_pool_zalloc(pool, gfp, &handle)`. */
export function dma_pool_zalloc(pool: DmaPool, gfp: number, handle: DmaAddrRef): number | null {
  const k = kernelFor('dma_pool_zalloc');
  mightAlloc(k, gfp);
  return k.dmaPools.alloc(pool, gfp, handle, dma_pool_zalloc, true);
}
/** `dma_pool_free(pool, vaddr, dma)`. */
export function dma_pool_free(pool: DmaPool, vaddr: number, dma: number): void {
  kernelFor('dma_pool_free').dmaPools.free(pool, vaddr, dma);
}
/** `dma_pool_destroy(pool)`; NULL-safe. */
export function dma_pool_destroy(pool: DmaPool | null): void {
  const k = kernelFor('dma_pool_destroy');
  mightSleep(k, { file: 'mm/dmapool.c', line: 312 });
  k.dmaPools.destroy(pool);
}

/** A `dma_addr_t` out-parameter for dma_alloc_coherent and dma_pool_alloc: `const h = dma_addr(); ... h.value`. */
export function dma_addr(): DmaAddrRef {
  return { value: 0 };
}

/** The live dma-debug entries, one line each (the debugfs `dump` file). */
export function dma_debug_dump(): string[] {
  return kernelFor('dma_debug_dump').dma.checker.dump();
}
