import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_OFFSET, PAGE_SIZE } from '../../../src/kernel/layout.js';
import {
  GFP_ATOMIC,
  GFP_DMA,
  GFP_KERNEL,
  GFP_NOWAIT,
  MAX_PAGE_ORDER,
  __GFP_HIGHMEM,
  __GFP_NOWARN,
  __GFP_ZERO,
  gfpMode,
  mayBlock,
} from '../../../src/kernel/mm/index.js';
import { boot, GIB_BANK, SMALL_BANK } from './helpers.js';

describe('buddy allocator', () => {
  it('splits the lowest block and merges buddies back on free', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const before = mm.buddyinfo();
    const dmaFree = mm.zones()[0]!.free;
    const a = mm.alloc_pages(GFP_KERNEL, 0)!;
    const b = mm.alloc_pages(GFP_KERNEL, 0)!;
    // Lowest address first: the two pages are neighbours, buddies of each other.
    expect(mm.page_to_pfn(b)).toBe(mm.page_to_pfn(a) + 1);
    expect(mm.page_to_pfn(a) % 2).toBe(0);
    expect(mm.buddyinfo()).not.toBe(before);
    mm.__free_pages(a, 0);
    mm.__free_pages(b, 0);
    expect(mm.buddyinfo()).toBe(before);
    expect(mm.zones()[0]!.free).toBe(dmaFree);
  });

  it('aligns every block to its size and never overlaps live blocks (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ alloc: fc.boolean(), order: fc.integer({ min: 0, max: 6 }), pick: fc.nat(), high: fc.boolean() }), { maxLength: 80 }),
        (ops) => {
          const { mm, sink } = boot({ banks: [{ base: 0, size: 48 << 20 }] });
          const live: { pfn: number; order: number; page: number }[] = [];
          for (const op of ops) {
            if (op.alloc || live.length === 0) {
              const page = mm.alloc_pages(GFP_KERNEL | __GFP_NOWARN | (op.high ? __GFP_HIGHMEM : 0), op.order);
              if (page === null) continue;
              const pfn = mm.page_to_pfn(page);
              expect(pfn % (1 << op.order)).toBe(0);
              for (const l of live) expect(pfn + (1 << op.order) <= l.pfn || l.pfn + (1 << l.order) <= pfn).toBe(true);
              expect(mm.pageInfo(page).zone).toBe('DMA');
              live.push({ pfn, order: op.order, page });
            } else {
              const [l] = live.splice(op.pick % live.length, 1);
              mm.__free_pages(l!.page, l!.order);
            }
          }
          for (const l of live) mm.__free_pages(l.page, l.order);
          expect(sink.reports).toEqual([]);
          // Everything merged back: the free lists look as after boot.
          const fresh = boot({ banks: [{ base: 0, size: 48 << 20 }] }).mm;
          expect(mm.buddyinfo()).toBe(fresh.buddyinfo());
        },
      ),
      { seed: 4242, numRuns: 40 },
    );
  });

  it('puts every block in the right zone and keeps highmem blocks unmapped (property, board with highmem)', () => {
    const { mm } = boot({ banks: [{ base: 0, size: 800 << 20 }] });
    const lowEnd = (768 << 20) / PAGE_SIZE;
    fc.assert(
      fc.property(fc.array(fc.record({ order: fc.integer({ min: 0, max: 10 }), high: fc.boolean(), dma: fc.boolean() }), { maxLength: 30 }), (ops) => {
        const live: [number, number][] = [];
        for (const op of ops) {
          const page = mm.alloc_pages(GFP_KERNEL | __GFP_NOWARN | (op.high ? __GFP_HIGHMEM : 0) | (op.dma && !op.high ? GFP_DMA : 0), op.order);
          if (page === null) continue;
          const pfn = mm.page_to_pfn(page);
          const zone = mm.pageInfo(page).zone;
          expect(zone).toBe(pfn >= lowEnd ? 'HighMem' : 'DMA');
          if (!op.high) expect(zone).toBe('DMA');
          expect(mm.page_address(page) === null).toBe(zone === 'HighMem');
          live.push([page, op.order]);
        }
        for (const [p, o] of live) mm.__free_pages(p, o);
      }),
      { seed: 77, numRuns: 60 },
    );
  });

  it('chooses zones as the gfp mask says: GFP_DMA → DMA, __GFP_HIGHMEM → HighMem first, GFP_KERNEL → lowmem', () => {
    const { mm } = boot({ banks: GIB_BANK });
    expect(mm.pageInfo(mm.alloc_pages(GFP_KERNEL, 0)!).zone).toBe('DMA');
    expect(mm.pageInfo(mm.alloc_pages(GFP_KERNEL | GFP_DMA, 0)!).zone).toBe('DMA');
    const hi = mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM, 0)!;
    expect(mm.pageInfo(hi).zone).toBe('HighMem');
    expect(mm.page_address(hi)).toBeNull();
    // __get_free_pages never returns highmem: it needs an address.
    const va = mm.__get_free_pages(GFP_KERNEL | __GFP_HIGHMEM, 0);
    expect(va).toBeLessThan(mm.highMemory);
  });

  it('falls back from HighMem to DMA when HighMem runs out, but never puts GFP_KERNEL in HighMem', () => {
    const { mm } = boot({ banks: GIB_BANK });
    let high = 0;
    for (;;) {
      const p = mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM | __GFP_NOWARN, MAX_PAGE_ORDER);
      if (p === null || mm.pageInfo(p).zone !== 'HighMem') {
        expect(p === null ? 'none' : mm.pageInfo(p).zone).toBe('DMA');
        break;
      }
      high++;
    }
    expect(high).toBe(63); // 64 blocks of 4 MiB minus the ones under the HighMem min watermark
  });

  it('prints the page allocation failure warning (unless __GFP_NOWARN) and returns null', () => {
    const { mm, sink, machine } = boot({ banks: SMALL_BANK });
    while (mm.alloc_pages(GFP_KERNEL | __GFP_NOWARN, 5) !== null);
    expect(sink.reports).toEqual([]);
    expect(mm.alloc_pages(GFP_KERNEL, 5)).toBeNull();
    const [r] = sink.reports;
    expect(r).toMatchObject({ kind: 'warn', id: 'page.alloc-failure', title: 'swapper: page allocation failure: order:5, mode:0xcc0(GFP_KERNEL), nodemask=(null)' });
    expect(r!.text).toContain('Mem-Info:');
    expect(r!.text).toMatch(/Node 0 DMA: \d+\*4kB \d+\*8kB/);
    // Rate-limited like the kernel's nopage_rs: one message per 10 s.
    expect(mm.alloc_pages(GFP_KERNEL, 5)).toBeNull();
    expect(sink.reports).toHaveLength(1);
    machine.time += 10e9;
    expect(mm.alloc_pages(GFP_KERNEL, 5)).toBeNull();
    expect(sink.reports).toHaveLength(2);
    expect(gfpMode(GFP_ATOMIC | __GFP_ZERO)).toBe('0x920(GFP_ATOMIC|__GFP_ZERO)');
    expect(gfpMode(GFP_KERNEL | GFP_DMA)).toBe('0xcc1(GFP_KERNEL|GFP_DMA)');
  });

  it('warns about orders above MAX_PAGE_ORDER', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    expect(mm.alloc_pages(GFP_KERNEL, 11)).toBeNull();
    expect(sink.ids).toEqual(['page.order-too-large']);
    expect(mm.alloc_pages(GFP_KERNEL | __GFP_NOWARN, 11)).toBeNull();
    expect(sink.ids).toEqual(['page.order-too-large']);
  });

  it('lets GFP_ATOMIC dig below the min watermark where GFP_KERNEL and GFP_NOWAIT stop', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const min = mm.zones()[0]!.min;
    while (mm.alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) !== null);
    const left = mm.zones()[0]!.free;
    expect(left).toBe(min);
    expect(mm.alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0)).toBeNull();
    let atomic = 0;
    while (mm.alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0) !== null) atomic++;
    // __GFP_HIGH halves min, not being able to block takes another quarter off.
    const reduced = min - Math.floor(min / 2) - Math.floor((min - Math.floor(min / 2)) / 4);
    expect(atomic).toBe(left - reduced);
    expect(mayBlock(GFP_KERNEL)).toBe(true);
    expect(mayBlock(GFP_ATOMIC)).toBe(false);
    expect(mm.mayBlock(GFP_NOWAIT)).toBe(false);
  });

  it('zeroes __GFP_ZERO pages through the CPU, lowmem and highmem', () => {
    const { mm, machine } = boot({ banks: GIB_BANK });
    const p = mm.alloc_pages(GFP_KERNEL, 1)!;
    const va = mm.page_address(p)!;
    machine.write(va + 100, [1, 2, 3]);
    mm.__free_pages(p, 1);
    const z = mm.alloc_pages(GFP_KERNEL | __GFP_ZERO, 1)!;
    expect(z).toBe(p);
    expect(machine.cpuFindNot(va, 0, 2 * PAGE_SIZE)).toBe(-1);
    const hp = mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM, 0)!;
    const hva = mm.kmap(hp)!;
    machine.write(hva, [9, 9, 9]);
    mm.kunmap(hp);
    mm.__free_pages(hp, 0);
    const hz = mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM | __GFP_ZERO, 0)!;
    expect(hz).toBe(hp);
    const hva2 = mm.kmap(hz)!;
    expect(machine.cpuFindNot(hva2, 0, PAGE_SIZE)).toBe(-1);
    mm.kunmap(hz);
    expect(mm.get_zeroed_page(GFP_KERNEL)).toBeGreaterThan(PAGE_OFFSET);
  });

  it('kmaps highmem pages into pkmap slots and lowmem pages to their linear address', () => {
    const { mm, machine, sink } = boot({ banks: GIB_BANK });
    const low = mm.alloc_pages(GFP_KERNEL, 0)!;
    expect(mm.kmap(low)).toBe(mm.page_address(low));
    mm.kunmap(low);
    const hi = mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM, 0)!;
    const va = mm.kmap(hi)!;
    expect(va).toBe(0xfe00_1000); // slot 1: the slot search starts after last_pkmap_nr = 0
    expect(machine.translate(va)).toBe(mm.page_to_phys(hi));
    expect(mm.kmap(hi)).toBe(va); // second user, same slot
    expect(mm.page_address(hi)).toBe(va);
    mm.kunmap(hi);
    mm.kunmap(hi);
    // Unused mappings stay until the slot search wraps (lazy flush), as in Linux.
    expect(mm.page_address(hi)).toBe(va);
    expect(sink.reports).toEqual([]);
    mm.kunmap(hi);
    expect(sink.reports[0]).toMatchObject({ kind: 'bug', id: 'kmap.bad-kunmap', title: 'kernel BUG at mm/highmem.c!' });
  });

  it('reports bad frees: double free, wrong order, reserved page, tail page, bad address', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const p = mm.alloc_pages(GFP_KERNEL, 2, 'eth0')!;
    mm.__free_pages(p, 1);
    expect(sink.reports[0]).toMatchObject({ kind: 'check', id: 'page.order-mismatch' });
    mm.__free_pages(p + 32, 0);
    expect(sink.reports[1]).toMatchObject({ kind: 'check', id: 'page.bad-free' });
    expect(sink.reports[1]!.title).toContain('not the first page of a block from alloc_pages');
    mm.__free_pages(p, 2);
    expect(sink.reports).toHaveLength(2);
    mm.__free_pages(p, 2);
    expect(sink.reports[2]).toMatchObject({ kind: 'bug', id: 'page.double-free' });
    expect(sink.reports[2]!.title).toMatch(/^BUG: Bad page state in process swapper {2}pfn:[0-9a-f]{5}$/);
    expect(sink.reports[2]!.text).toContain('page dumped because: nonzero mapcount');
    mm.__free_pages(mm.pfn_to_page(1), 0);
    expect(sink.reports[3]).toMatchObject({ kind: 'bug', id: 'page.bad-free' });
    expect(sink.reports[3]!.text).toContain('page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set');
    mm.free_pages(0xf100_0000, 0);
    expect(sink.reports[4]).toMatchObject({ kind: 'bug', id: 'page.bad-free', title: 'kernel BUG at mm/page_alloc.c!' });
    mm.free_pages(0, 3); // NULL: nothing
    expect(sink.reports).toHaveLength(5);
  });

  it('frees by address with free_pages and by page with __free_pages alike', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const before = mm.buddyinfo();
    const va = mm.__get_free_pages(GFP_KERNEL, 3, 'x');
    expect(va % (8 * PAGE_SIZE)).toBe(0);
    expect(mm.leaks('x')).toMatchObject([{ kind: 'pages', size: 8 * PAGE_SIZE, address: mm.virt_to_page(va) }]);
    mm.free_pages(va, 3);
    expect(mm.leaks('x')).toEqual([]);
    expect(mm.buddyinfo()).toBe(before);
    expect(sink.reports).toEqual([]);
  });
});
