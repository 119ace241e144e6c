import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../../src/kernel/layout.js';
import { GFP_KERNEL, __GFP_HIGHMEM } from '../../../src/kernel/mm/index.js';
import { boot, GIB_BANK, SMALL_BANK } from './helpers.js';

describe('/proc views', () => {
  it('meminfo numbers add up: used = slab + vmalloc + page-allocator pages', () => {
    const { mm, machine } = boot({ banks: GIB_BANK });
    const boot0 = mm.meminfoValues();
    expect(boot0.MemTotal).toBe(boot0.MemFree);
    expect(boot0.MemTotal).toBe(boot0.LowTotal + boot0.HighTotal);
    const keep: (() => void)[] = [];
    for (let i = 0; i < 300; i++) {
      const p = mm.kmalloc(1 + ((i * 97) % 12000), GFP_KERNEL)!;
      if (i % 3) keep.push(() => mm.kfree(p));
    }
    const pg = mm.alloc_pages(GFP_KERNEL | __GFP_HIGHMEM, 3)!;
    const va = mm.__get_free_pages(GFP_KERNEL, 2);
    const v = mm.vmalloc(40000)!;
    machine.write(v, [1]);
    const m = mm.meminfoValues();
    expect(m.MemTotal - m.MemFree).toBe(m.Slab + m.VmallocUsed + m.PageAllocUsed);
    expect(m.Slab).toBe(m.SlabPages + m.KmallocLarge);
    expect(m.SUnreclaim).toBe(m.Slab);
    expect(m.VmallocUsed).toBe(40);
    expect(m.PageAllocUsed).toBe(32 + 16);
    expect(m.HighTotal - m.HighFree).toBe(32 + 40); // the order-3 block and the vmalloc pages
    expect(m.LowFree + m.HighFree).toBe(m.MemFree);
    expect(m.MemAvailable).toBeLessThan(m.MemFree);
    for (const f of keep) f();
    mm.__free_pages(pg, 3);
    mm.free_pages(va, 2);
    mm.vfree(v);
    const end = mm.meminfoValues();
    expect(end.MemTotal - end.MemFree).toBe(end.Slab);
  });

  it('formats /proc/meminfo like the kernel', () => {
    const { mm } = boot({ banks: GIB_BANK });
    const text = mm.meminfo();
    const lines = text.split('\n');
    expect(lines[0]).toBe('MemTotal:        1032192 kB');
    expect(lines[1]).toBe('MemFree:         1032192 kB');
    expect(lines).toContain('HighTotal:        262144 kB');
    expect(lines).toContain('LowTotal:         770048 kB');
    expect(lines).toContain('VmallocTotal:      81920 kB');
    expect(lines).toContain('Slab:                  0 kB');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^[A-Za-z_()]+:\s+\d+ kB$/);
    expect(text.endsWith(' kB\n')).toBe(true);
  });

  it('formats /proc/buddyinfo and follows allocations', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const fresh = mm.buddyinfo();
    expect(fresh).toMatch(/^Node 0, zone {6}DMA( +\d+){11} \n$/);
    const p = mm.alloc_pages(GFP_KERNEL, 0)!;
    const pages = (t: string): number => t.trim().split(/\s+/).slice(4).map(Number).reduce((s, n, o) => s + n * 2 ** o, 0);
    expect(pages(fresh) - pages(mm.buddyinfo())).toBe(1);
    expect(pages(fresh)).toBe(mm.zones()[0]!.managed);
    mm.__free_pages(p, 0);
    expect(mm.buddyinfo()).toBe(fresh);
  });

  it('formats /proc/zoneinfo with watermarks from min_free_kbytes and lowmem_reserve', () => {
    const { mm } = boot({ banks: GIB_BANK });
    const z = mm.zoneinfo();
    expect(z).toContain('Node 0, zone      DMA\n  pages free     192512\n        boost    0\n        min      877\n        low      1096\n        high     1315\n        spanned  196608\n        present  196608\n        managed  192512\n        cma      0\n        protection: (0, 0, 256, 0)');
    expect(z).toContain('Node 0, zone   Normal\n  pages free     0');
    expect(z).toContain('Node 0, zone  HighMem\n  pages free     65536\n        boost    0\n        min      64\n');
    expect(z).toContain('  start_pfn:           196608');
  });

  it('formats /proc/slabinfo 2.1 with live counts, newest cache first', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const ptrs = [mm.kmalloc(64, GFP_KERNEL)!, mm.kmalloc(64, GFP_KERNEL)!, mm.kmalloc(1000, GFP_KERNEL)!];
    const c = mm.kmem_cache_create('mydev', 100, 0, 0);
    mm.kmem_cache_alloc(c, GFP_KERNEL);
    const lines = mm.slabinfo().split('\n');
    expect(lines[0]).toBe('slabinfo - version: 2.1');
    expect(lines[1]).toMatch(/^# name +<active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables/);
    expect(lines[2]!.startsWith('mydev ')).toBe(true);
    expect(lines.find((l) => l.startsWith('kmalloc-64 '))).toBe('kmalloc-64             2     21    192   21    1 : tunables    0    0    0 : slabdata      1      1      0');
    expect(lines.find((l) => l.startsWith('kmalloc-1k '))).toBe('kmalloc-1k             1     10   3072   10    8 : tunables    0    0    0 : slabdata      1      1      0');
    for (const p of ptrs) mm.kfree(p);
    expect(mm.slabinfo()).toContain('kmalloc-64             0     21');
    // without slub_debug the strides are the object sizes
    const nd = boot({ banks: SMALL_BANK }, { slubDebug: false }).mm;
    nd.kmalloc(64, GFP_KERNEL);
    expect(nd.slabinfo()).toContain('kmalloc-64             1     64     64   64    1');
    expect(PAGE_SIZE / 64).toBe(64);
  });
});
