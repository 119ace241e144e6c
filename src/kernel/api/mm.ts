/**
 * Memory allocation as drivers call it: kmalloc and friends, the page allocator, vmalloc, kmap
 * and the address conversions, each acting on the running board's kernel. Allocations are
 * tagged with the current owner (the device being probed, or `kernel`) for leak checks.
 */
import { SandboxArgumentError } from '../errors.js';
import { mightAlloc } from '../sched/splats.js';
import { kernelFor } from './kernel-of.js';

/** `kmalloc(size, gfp)`: a kernel virtual address, or null. */
export function kmalloc(size: number, gfp: number): number | null {
  const k = kernelFor('kmalloc');
  mightAlloc(k, gfp);
  return k.mm.kmalloc(size, gfp, k.owner);
}
/** `kzalloc(size, gfp)`: zeroed kmalloc. */
export function kzalloc(size: number, gfp: number): number | null {
  const k = kernelFor('kzalloc');
  mightAlloc(k, gfp);
  return k.mm.kzalloc(size, gfp, k.owner);
}
/** `kcalloc(n, size, gfp)`: zeroed array; null on multiplication overflow. */
export function kcalloc(n: number, size: number, gfp: number): number | null {
  const k = kernelFor('kcalloc');
  mightAlloc(k, gfp);
  return k.mm.kcalloc(n, size, gfp, k.owner);
}
/** `kmalloc_array(n, size, gfp)`. */
export function kmalloc_array(n: number, size: number, gfp: number): number | null {
  const k = kernelFor('kmalloc_array');
  mightAlloc(k, gfp);
  return k.mm.kmalloc_array(n, size, gfp, k.owner);
}
/** `krealloc(p, size, gfp)`. */
export function krealloc(p: number | null, size: number, gfp: number): number | null {
  const k = kernelFor('krealloc');
  mightAlloc(k, gfp);
  return k.mm.krealloc(p, size, gfp, k.owner);
}
/** `kfree(p)`; `kfree(null)` does nothing. Freeing memory a device still has mapped is reported. */
export function kfree(p: number | null | undefined): void {
  const k = kernelFor('kfree');
  if (typeof p === 'number' && p !== 0) {
    const obj = k.mm.objectAt(p);
    if (obj && obj.objectStart === p && obj.state === 'allocated') k.dma.checkFree('kfree', p, obj.size);
  }
  k.mm.kfree(p, k.owner);
}
/** `ksize(p)`: usable size of a kmalloc object. */
export function ksize(p: number | null): number {
  return kernelFor('ksize').mm.ksize(p);
}
/** `alloc_pages(gfp, order)`: a `struct page *` handle, or null. */
export function alloc_pages(gfp: number, order: number): number | null {
  const k = kernelFor('alloc_pages');
  mightAlloc(k, gfp);
  return k.mm.alloc_pages(gfp, order, k.owner);
}
/** `__free_pages(page, order)`. */
export function __free_pages(page: number, order: number): void {
  kernelFor('__free_pages').mm.__free_pages(page, order);
}
/** `__get_free_pages(gfp, order)`: a lowmem address, or 0. */
export function __get_free_pages(gfp: number, order: number): number {
  const k = kernelFor('__get_free_pages');
  mightAlloc(k, gfp);
  return k.mm.__get_free_pages(gfp, order, k.owner);
}
/** `get_zeroed_page(gfp)`. */
export function get_zeroed_page(gfp: number): number {
  const k = kernelFor('get_zeroed_page');
  mightAlloc(k, gfp);
  return k.mm.get_zeroed_page(gfp, k.owner);
}
/** `free_pages(addr, order)`. Freeing pages a device still has mapped is reported. */
export function free_pages(addr: number, order: number): void {
  const k = kernelFor('free_pages');
  if (Number.isInteger(order) && order >= 0 && order <= 10) k.dma.checkFree('free_pages', addr, 4096 * 2 ** order);
  k.mm.free_pages(addr, order);
}
/** `free_page(addr)`. */
export function free_page(addr: number): void {
  const k = kernelFor('free_page');
  k.dma.checkFree('free_page', addr, 4096);
  k.mm.free_page(addr);
}
/** `page_address(page)`: lowmem address of a page, or null for an unmapped highmem page. */
export function page_address(page: number): number | null {
  return kernelFor('page_address').mm.page_address(page);
}
/** `virt_to_page(addr)`. */
export function virt_to_page(addr: number): number {
  return kernelFor('virt_to_page').mm.virt_to_page(addr);
}
/** `page_to_pfn(page)`. */
export function page_to_pfn(page: number): number {
  return kernelFor('page_to_pfn').mm.page_to_pfn(page);
}
/** `pfn_to_page(pfn)`. */
export function pfn_to_page(pfn: number): number {
  return kernelFor('pfn_to_page').mm.pfn_to_page(pfn);
}
/** `page_to_phys(page)`. */
export function page_to_phys(page: number): number {
  return kernelFor('page_to_phys').mm.page_to_phys(page);
}
/** `kmap(page)`: a kernel address for any page (highmem pages get a pkmap slot). */
export function kmap(page: number): number | null {
  return kernelFor('kmap').mm.kmap(page);
}
/** `kunmap(page)`. */
export function kunmap(page: number): void {
  kernelFor('kunmap').mm.kunmap(page);
}
/** `vmalloc(size)`: virtually contiguous, physically scattered. */
export function vmalloc(size: number): number | null {
  const k = kernelFor('vmalloc');
  return k.mm.vmalloc(size, k.owner);
}
/** `vzalloc(size)`. */
export function vzalloc(size: number): number | null {
  const k = kernelFor('vzalloc');
  return k.mm.vzalloc(size, k.owner);
}
/** `vfree(addr)`. Freeing pages a device still has mapped (through dma_map_page) is reported. */
export function vfree(addr: number | null): void {
  const k = kernelFor('vfree');
  if (typeof addr === 'number' && k.mm.is_vmalloc_addr(addr)) {
    // The area's pages run until its guard page, which is unmapped.
    for (let p = addr; k.machine.cpu.virtToPhys(p) >= 0; p += 4096) k.dma.checkFree('vfree', p, 4096);
  }
  k.mm.vfree(addr);
}
/** `is_vmalloc_addr(addr)`. */
export function is_vmalloc_addr(addr: number): boolean {
  return kernelFor('is_vmalloc_addr').mm.is_vmalloc_addr(addr);
}
/** `virt_to_phys(addr)` for lowmem addresses. */
export function virt_to_phys(addr: number): number {
  return kernelFor('virt_to_phys').mm.virt_to_phys(addr);
}
/** `phys_to_virt(pa)` for lowmem. */
export function phys_to_virt(pa: number): number {
  return kernelFor('phys_to_virt').mm.phys_to_virt(pa);
}
/** `virt_addr_valid(addr)`: true for lowmem linear-map addresses backed by RAM. */
export function virt_addr_valid(addr: number): boolean {
  const k = kernelFor('virt_addr_valid');
  return Number.isInteger(addr) && addr >= 0xc000_0000 && addr < k.highMemory;
}
/**
 * A buffer on the current task's kernel stack (the stand-in for a local array such as
 * `u8 buf[64];`). It lives until the dispatched call returns. Overflowing the 8 KiB stack is a
 * kernel stack overflow, reported as the kernel would (a BUG).
 */
export function stack_buf(size: number): number {
  const k = kernelFor('stack_buf');
  if (!Number.isInteger(size) || size <= 0) throw new SandboxArgumentError('stack_buf', 'size', 'a positive integer byte count', size);
  const p = k.ctx.stackAlloc(size);
  if (p < 0) throw k.reporter.bug({ id: 'bug.stack-overflow', body: [`Kernel stack overflow in process ${k.ctx.task.comm}[${k.ctx.task.pid}] (stack_buf of ${size} bytes)`] });
  return p;
}
