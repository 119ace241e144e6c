import { describe, expect, it } from 'vitest';
import { GFP_KERNEL, SandboxArgumentError } from '../../../src/kernel/mm/index.js';
import { boot, SMALL_BANK } from './helpers.js';

/** Call and return the SandboxArgumentError it throws. */
function argError(f: () => unknown): SandboxArgumentError {
  try {
    f();
  } catch (e) {
    if (e instanceof SandboxArgumentError) return e;
    throw new Error(`expected a SandboxArgumentError, got ${String(e)}`);
  }
  throw new Error('expected a SandboxArgumentError, nothing was thrown');
}

describe('bad arguments from driver code', () => {
  const { mm, sink } = boot({ banks: SMALL_BANK });
  const any = mm as unknown as Record<string, (...a: unknown[]) => unknown>;

  it('names the function and the argument for bad sizes', () => {
    expect(argError(() => mm.kmalloc(-3, GFP_KERNEL)).message).toBe('kmalloc: size must be a non-negative integer, got -3');
    expect(argError(() => mm.kmalloc(Number.NaN, GFP_KERNEL)).message).toBe('kmalloc: size must be a non-negative integer, got NaN');
    expect(argError(() => mm.kzalloc(1.5, GFP_KERNEL)).message).toBe('kzalloc: size must be a non-negative integer, got 1.5');
    expect(argError(() => any['kmalloc']!('64', GFP_KERNEL)).message).toBe('kmalloc: size must be a non-negative integer, got "64"');
    expect(argError(() => mm.kcalloc(2, -1, GFP_KERNEL)).arg).toBe('size');
    expect(argError(() => mm.kcalloc(-2, 1, GFP_KERNEL)).arg).toBe('n');
    expect(argError(() => mm.vmalloc(Infinity)).fn).toBe('vmalloc');
    expect(argError(() => mm.krealloc(null, -1, GFP_KERNEL)).arg).toBe('new_size');
  });

  it('rejects gfp masks that are not masks, orders that are not orders', () => {
    expect(argError(() => mm.kmalloc(8, -1)).message).toMatch(/^kmalloc: gfp must be a gfp_t flag mask/);
    expect(argError(() => any['kmalloc']!(8, undefined)).arg).toBe('gfp');
    expect(argError(() => mm.kmalloc(8, 0x8000_0000)).message).toMatch(/^kmalloc: gfp must be a mask of known __GFP_\* bits/);
    expect(argError(() => mm.alloc_pages(GFP_KERNEL, 0.5)).arg).toBe('order');
    expect(argError(() => mm.__free_pages(mm.alloc_pages(GFP_KERNEL, 0)!, 11)).message).toBe('__free_pages: order must be at most MAX_PAGE_ORDER (10), got 0xb');
  });

  it('rejects pointers that are not numbers, and page handles that are not struct pages', () => {
    expect(argError(() => any['kfree']!('0xc0001000')).message).toMatch(/^kfree: objp must be a kernel pointer/);
    expect(argError(() => any['kfree']!({})).arg).toBe('objp');
    expect(argError(() => any['vfree']!(-4096)).fn).toBe('vfree');
    expect(argError(() => mm.__free_pages(0xc0001000, 0)).message).toBe('__free_pages: page must be a struct page * (from alloc_pages, virt_to_page or pfn_to_page), got 0xc0001000');
    expect(argError(() => mm.page_address(12)).arg).toBe('page');
    expect(argError(() => mm.virt_to_page(0xf1000000)).message).toContain('use vmalloc_to_page');
    expect(argError(() => mm.pfn_to_page(1 << 20)).fn).toBe('pfn_to_page');
    expect(argError(() => any['kmalloc']!(8, GFP_KERNEL, 42)).arg).toBe('owner');
  });

  it('rejects bad kmem_cache arguments', () => {
    expect(argError(() => mm.kmem_cache_create('', 10, 0, 0)).arg).toBe('name');
    expect(argError(() => mm.kmem_cache_create('x', 0, 0, 0)).arg).toBe('size');
    expect(argError(() => mm.kmem_cache_create('x', 10, 3, 0)).arg).toBe('align');
    expect(argError(() => mm.kmem_cache_create('x', 10, 0, 1)).arg).toBe('flags');
    expect(argError(() => any['kmem_cache_alloc']!({ name: 'fake' }, GFP_KERNEL)).message).toMatch(/^kmem_cache_alloc: s must be a struct kmem_cache \* returned by kmem_cache_create/);
    const kmalloc64 = mm.caches().find((c) => c.name === 'kmalloc-64')!;
    expect(argError(() => mm.kmem_cache_destroy(kmalloc64)).arg).toBe('s');
  });

  it('made no reports for any of them', () => {
    expect(sink.reports).toEqual([]);
  });
});
