import { describe, expect, it } from 'vitest';
import { KERNEL_IMAGE_SIZE, PAGE_OFFSET, PAGE_SIZE } from '../../../src/kernel/layout.js';
import { GFP_KERNEL, MemoryManager, __GFP_HIGHMEM, __GFP_NOWARN } from '../../../src/kernel/mm/index.js';
import { FakeMachine, RecordingSink } from './fake-machine.js';
import { boot, GIB_BANK, SMALL_BANK } from './helpers.js';

describe('boot: memblock, zones, boot messages', () => {
  it('prints the ppc32 zone layout of a 1 GiB board: DMA up to lowmem, Normal empty, HighMem above', () => {
    const { mm } = boot({ banks: GIB_BANK });
    expect(mm.bootLog).toEqual([
      'Top of RAM: 0x40000000, Total RAM: 0x40000000',
      'Memory hole size: 0MB',
      'Zone ranges:',
      '  DMA      [mem 0x0000000000000000-0x000000002fffffff]',
      '  Normal   empty',
      '  HighMem  [mem 0x0000000030000000-0x000000003fffffff]',
      'Movable zone start for each node',
      'Early memory node ranges',
      '  node   0: [mem 0x0000000000000000-0x000000003fffffff]',
      'Initmem setup node 0 [mem 0x0000000000000000-0x000000003fffffff]',
      'Built 1 zonelists, mobility grouping on.  Total pages: 258048',
      'Kernel virtual memory layout:',
      '  * 0xfe000000..0xfe400000  : highmem PTEs',
      '  * 0xf1000000..0xf6000000  : vmalloc & ioremap',
      'Memory: 1032192K/1048576K available (4096K kernel code, 3072K rwdata, 1024K rodata, 0K init, 0K bss, 16384K reserved, 0K cma-reserved, 262144K highmem)',
      'SLUB: HWalign=32, Order=0-3, MinObjects=0, CPUs=1, Nodes=1',
    ]);
    const z = mm.zones();
    expect(z.map((x) => [x.name, x.startPfn, x.endPfn, x.present])).toEqual([
      ['DMA', 0, 0x30000, 0x30000],
      ['Normal', 0x30000, 0x30000, 0],
      ['HighMem', 0x30000, 0x40000, 0x10000],
      ['Movable', 0x40000, 0x40000, 0],
    ]);
    expect(mm.highMemory).toBe(0xf000_0000);
    expect(mm.vmallocStart).toBe(0xf100_0000);
  });

  it('a 64 MiB board has no highmem and a small vmalloc start', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    expect(mm.bootLog).toContain('  HighMem  empty');
    expect(mm.bootLog).toContain('  DMA      [mem 0x0000000000000000-0x0000000003ffffff]');
    expect(mm.zones()[2]!.managed).toBe(0);
    expect(mm.vmallocStart).toBe(0xc500_0000);
  });

  it('reserves the kernel image, the device tree, /memreserve/ entries and mem_map', () => {
    const { mm } = boot({ banks: SMALL_BANK }, { dtb: { base: 0x0100_0000, size: 0x3000 }, memreserve: [{ base: 0x0200_0000, size: 0x10000 }] });
    const r = mm.reservations();
    expect(r.map((x) => x.name)).toEqual(['kernel', 'dtb', 'memreserve', 'mem_map']);
    expect(r[0]).toMatchObject({ base: 0, size: KERNEL_IMAGE_SIZE });
    // mem_map: 16384 pages * 32 bytes = 512 KiB, top-down below the end of lowmem
    expect(r[3]).toMatchObject({ base: (64 << 20) - 0x80000, size: 0x80000 });
    for (const pfn of [0, 0x7ff, 0x1000, 0x1002, 0x2000, 0x200f, 0x3f80, 0x3fff]) {
      expect(mm.pageInfo(mm.pfn_to_page(pfn)).flagNames).toContain('reserved');
    }
    expect(mm.pageInfo(mm.pfn_to_page(0x1003)).flagNames).toContain('buddy');
    // None of those frames is ever handed out.
    const seen = new Set<number>();
    for (;;) {
      const p = mm.alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_HIGHMEM, 0);
      if (p === null) break;
      seen.add(mm.page_to_pfn(p));
    }
    for (const res of r) {
      for (let a = res.base; a < res.base + res.size; a += PAGE_SIZE) expect(seen.has(Math.floor(a / PAGE_SIZE))).toBe(false);
    }
  });

  it('puts RAM above LOWMEM_MAX and above 4 GiB (36-bit) in HighMem, holes reserved', () => {
    const m = new FakeMachine({ banks: [{ base: 0, size: 0x3000_0000 }, { base: 0x1_0000_0000, size: 0x0100_0000 }] });
    const mm = new MemoryManager(m, new RecordingSink());
    expect(mm.bootLog[0]).toBe('Top of RAM: 0x101000000, Total RAM: 0x31000000');
    expect(mm.bootLog[1]).toBe('Memory hole size: 3328MB');
    expect(mm.bootLog).toContain('  HighMem  [mem 0x0000000030000000-0x0000000100ffffff]');
    expect(mm.bootLog).toContain('  node   0: [mem 0x0000000100000000-0x0000000100ffffff]');
    const hi = mm.zones()[2]!;
    expect(hi.present).toBe(0x1000);
    expect(hi.managed).toBe(0x1000);
    const p = mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM, 0)!;
    expect(mm.page_to_phys(p)).toBe(0x1_0000_0000);
    expect(mm.pageInfo(p)).toMatchObject({ zone: 'HighMem', refcount: 1 });
    expect(mm.pageInfo(p).flagNames).toContain('highmem');
    expect(mm.page_address(p)).toBeNull();
  });

  it('exposes page descriptors as struct page pointers inside mem_map', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const page = mm.alloc_pages(GFP_KERNEL, 2, 'eth0')!;
    const v = mm.pageInfo(page);
    expect(v).toMatchObject({ page, zone: 'DMA', refcount: 1, order: 2 });
    expect(mm.pfn_to_page(v.pfn)).toBe(page);
    expect(mm.page_to_phys(page)).toBe(v.pfn * PAGE_SIZE);
    expect(mm.page_address(page)).toBe(PAGE_OFFSET + v.pfn * PAGE_SIZE);
    expect(mm.virt_to_page(PAGE_OFFSET + v.pfn * PAGE_SIZE + 123)).toBe(page);
    expect(mm.virt_to_phys(PAGE_OFFSET + 0x1234)).toBe(0x1234);
    expect(mm.phys_to_virt(0x1234)).toBe(PAGE_OFFSET + 0x1234);
  });

  it('is deterministic: two boots allocate the same addresses', () => {
    const run = (): number[] => {
      const { mm } = boot({ banks: GIB_BANK });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push(mm.kmalloc(16 + i * 40, GFP_KERNEL)!, mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM, i % 3)!);
      out.push(mm.vmalloc(20000)!);
      return out;
    };
    expect(run()).toEqual(run());
  });
});
