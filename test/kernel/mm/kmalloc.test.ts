import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../../src/kernel/layout.js';
import { GFP_ATOMIC, GFP_DMA, GFP_KERNEL, ZERO_SIZE_PTR, __GFP_HIGHMEM } from '../../../src/kernel/mm/index.js';
import { boot, SMALL_BANK } from './helpers.js';

describe('kmalloc', () => {
  for (const [line, coherent, min] of [
    [32, false, 32],
    [16, false, 16],
    [64, false, 64],
    [128, false, 128],
    [32, true, 8],
  ] as const) {
    it(`gives ${min}-byte minimum size and alignment with ${line}-byte lines on a ${coherent ? 'coherent' : 'non-coherent'} board`, () => {
      for (const slubDebug of [true, false]) {
        const { mm, sink } = boot({ banks: SMALL_BANK, lineSize: line, coherent }, { slubDebug });
        expect(mm.kmallocMinAlign).toBe(min);
        expect(mm.kmallocCacheName(1)).toBe(`kmalloc-${min}`);
        const ptrs: number[] = [];
        for (let size = 1; size <= 300; size += 7) {
          const p = mm.kmalloc(size, GFP_KERNEL)!;
          expect(p % min).toBe(0);
          expect(mm.ksize(p)).toBeGreaterThanOrEqual(Math.max(size, min));
          ptrs.push(p);
        }
        // Two kmalloc buffers never share a cache line on a non-coherent board.
        if (!coherent) {
          const lines = ptrs.map((p) => Math.floor(p / line));
          expect(new Set(lines).size).toBe(lines.length);
        }
        for (const p of ptrs) mm.kfree(p);
        expect(sink.reports).toEqual([]);
      }
    });
  }

  it('has Linux size classes, with 96 and 192 only when the minimum allows', () => {
    const nc = boot({ banks: SMALL_BANK }).mm;
    expect([1, 32, 33, 64, 65, 96, 97, 128, 129, 192, 193, 256, 1000, 1024, 1025, 4096, 8192].map((s) => nc.kmallocCacheName(s))).toEqual([
      'kmalloc-32', 'kmalloc-32', 'kmalloc-64', 'kmalloc-64', 'kmalloc-96', 'kmalloc-96', 'kmalloc-128', 'kmalloc-128',
      'kmalloc-192', 'kmalloc-192', 'kmalloc-256', 'kmalloc-256', 'kmalloc-1k', 'kmalloc-1k', 'kmalloc-2k', 'kmalloc-4k', 'kmalloc-8k',
    ]);
    expect(nc.kmallocCacheName(8193)).toBeNull();
    expect(nc.kmallocCacheName(100, GFP_KERNEL | GFP_DMA)).toBe('dma-kmalloc-128');
    const c = boot({ banks: SMALL_BANK, coherent: true }).mm;
    expect([1, 8, 9, 16, 17].map((s) => c.kmallocCacheName(s))).toEqual(['kmalloc-8', 'kmalloc-8', 'kmalloc-16', 'kmalloc-16', 'kmalloc-32']);
    const l64 = boot({ banks: SMALL_BANK, lineSize: 64 }).mm;
    expect([65, 96, 129].map((s) => l64.kmallocCacheName(s))).toEqual(['kmalloc-128', 'kmalloc-128', 'kmalloc-192']);
    const l128 = boot({ banks: SMALL_BANK, lineSize: 128 }).mm;
    expect([129, 192].map((s) => l128.kmallocCacheName(s))).toEqual(['kmalloc-256', 'kmalloc-256']);
  });

  it('aligns power-of-two caches to their size (natural alignment)', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    for (const size of [64, 128, 256, 512, 1024, 2048, 4096, 8192]) {
      for (let i = 0; i < 3; i++) expect(mm.kmalloc(size, GFP_KERNEL)! % size).toBe(0);
    }
  });

  it('returns ZERO_SIZE_PTR for kmalloc(0); kfree of NULL and ZERO_SIZE_PTR are no-ops', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    expect(mm.kmalloc(0, GFP_KERNEL)).toBe(ZERO_SIZE_PTR);
    expect(ZERO_SIZE_PTR).toBe(16);
    mm.kfree(ZERO_SIZE_PTR);
    mm.kfree(null);
    mm.kfree(0);
    mm.kfree(undefined);
    expect(mm.ksize(ZERO_SIZE_PTR)).toBe(0);
    expect(sink.reports).toEqual([]);
  });

  it('kzalloc and kcalloc zero the requested bytes; kcalloc and kmalloc_array return null on overflow', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(100, GFP_KERNEL)!;
    machine.write(a, new Array(100).fill(0x77));
    mm.kfree(a);
    const z = mm.kzalloc(100, GFP_KERNEL)!;
    expect(z).toBe(a);
    expect(machine.cpuFindNot(z, 0, 100)).toBe(-1);
    const c = mm.kcalloc(10, 12, GFP_KERNEL)!;
    expect(machine.cpuFindNot(c, 0, 120)).toBe(-1);
    expect(mm.kcalloc(0x10000, 0x10000, GFP_KERNEL)).toBeNull();
    expect(mm.kmalloc_array(0x8000_0000, 2, GFP_KERNEL)).toBeNull();
    expect(sink.reports).toEqual([]);
  });

  it('serves sizes above 8 KiB from the page allocator, as compound pages', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const before = mm.meminfoValues();
    const p = mm.kmalloc(9000, GFP_KERNEL, 'big')!;
    expect(p % PAGE_SIZE).toBe(0);
    expect(mm.ksize(p)).toBe(4 * PAGE_SIZE);
    const page = mm.virt_to_page(p);
    expect(mm.pageInfo(page).flagNames).toEqual(expect.arrayContaining(['head', 'large_kmalloc']));
    expect(mm.pageInfo(page + 32).flagNames).toContain('tail');
    expect(mm.meminfoValues().Slab - before.Slab).toBe(16);
    expect(mm.objectAt(p + 8999)).toMatchObject({ cache: null, objectStart: p, state: 'allocated' });
    expect(mm.objectAt(p + 9000)).toMatchObject({ state: 'redzone' });
    expect(mm.leaks('big')).toMatchObject([{ kind: 'kmalloc', address: p, size: 9000 }]);
    mm.kfree(p + 8);
    expect(sink.reports[0]).toMatchObject({ kind: 'check', id: 'slab.invalid-free' });
    mm.kfree(p);
    expect(mm.meminfoValues().Slab).toBe(before.Slab);
    expect(mm.leaks('big')).toEqual([]);
    expect(sink.reports).toHaveLength(1);
    // 4 MiB is the largest; beyond it __alloc_pages warns and kmalloc fails
    expect(mm.kmalloc((4 << 20) + 1, GFP_KERNEL)).toBeNull();
    expect(sink.reports[1]).toMatchObject({ kind: 'warn', id: 'page.order-too-large' });
  });

  it('warns and fixes up __GFP_HIGHMEM passed to kmalloc, as kmalloc_fix_flags does', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const p = mm.kmalloc(40, GFP_KERNEL | __GFP_HIGHMEM)!;
    expect(p).toBeLessThan(mm.highMemory);
    expect(sink.reports[0]).toMatchObject({
      kind: 'warn',
      id: 'slab.bad-gfp',
      title: 'Unexpected gfp: 0x2 (__GFP_HIGHMEM). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!',
    });
  });

  it('krealloc grows in place while the object has room, copies when it does not, frees on size 0', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const p = mm.kmalloc(40, GFP_KERNEL, 'r')!;
    machine.write(p, Array.from({ length: 40 }, (_, i) => i + 1));
    const same = mm.krealloc(p, 60, GFP_KERNEL, 'r')!;
    expect(same).toBe(p);
    machine.write(p + 40, new Array(20).fill(0xee)); // now inside the object: no kmalloc red zone report
    const moved = mm.krealloc(p, 200, GFP_KERNEL, 'r')!;
    expect(moved).not.toBe(p);
    expect(Array.from(machine.cpuRead(moved, 40))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(mm.objectAt(p)!.state).toBe('free');
    const shrunk = mm.krealloc(moved, 10, GFP_KERNEL, 'r')!;
    expect(shrunk).toBe(moved);
    expect(mm.objectAt(moved + 10)!.state).toBe('redzone');
    expect(mm.krealloc(shrunk, 0, GFP_KERNEL)).toBe(ZERO_SIZE_PTR);
    expect(mm.krealloc(null, 8, GFP_KERNEL, 'r')).not.toBeNull();
    expect(sink.reports).toEqual([]);
    expect(mm.validate()).toBe(0);
  });

  it('copies through cpuRead/cpuFill when the port has no cpuCopy', () => {
    const { mm, machine } = boot({ banks: SMALL_BANK, withCopy: false });
    const p = mm.kmalloc(64, GFP_KERNEL)!;
    const data = Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);
    machine.write(p, data);
    const q = mm.krealloc(p, 1000, GFP_KERNEL)!;
    expect(Array.from(machine.cpuRead(q, 64))).toEqual(data);
  });

  it('ksize lifts the kmalloc red zone so callers may use the whole object', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const p = mm.kmalloc(50, GFP_KERNEL)!;
    expect(mm.ksize(p)).toBe(64);
    machine.write(p + 50, new Array(14).fill(1));
    mm.kfree(p);
    expect(sink.reports).toEqual([]);
  });

  it('takes GFP_DMA objects from dma-kmalloc caches and GFP_ATOMIC from the same caches', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const d = mm.kmalloc(64, GFP_KERNEL | GFP_DMA)!;
    expect(mm.objectAt(d)!.cache).toBe('dma-kmalloc-64');
    expect(mm.objectAt(mm.kmalloc(64, GFP_ATOMIC)!)!.cache).toBe('kmalloc-64');
  });
});
