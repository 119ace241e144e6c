/**
 * Scatterlists: building a table (sg_init_table, sg_set_buf, sg_set_page, for_each_sg),
 * dma_map_sg's per-entry addresses and cache maintenance, syncs per entry, a failed segment
 * unwinding the ones already mapped, and the per-entry dma-debug checks.
 */
import { describe, expect, it } from 'vitest';
import { alloc_pages, kmalloc, page_address, stack_buf } from '../../../src/kernel/api/mm.js';
import { dma_debug_dump, dma_map_sg, dma_sync_sg_for_cpu, dma_sync_sg_for_device, dma_unmap_sg } from '../../../src/kernel/dma/api.js';
import { for_each_sg, sg_dma_address, sg_dma_len, sg_init_table, sg_mark_end, sg_set_buf, sg_set_page, type Scatterlist } from '../../../src/kernel/dma/sg.js';
import { DMA_BIDIRECTIONAL, DMA_BIT_MASK, DMA_FROM_DEVICE, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_to_host } from '../../../src/kernel/memaccess.js';
import { cacheOps, ids, only, pattern, PREFIX, rig } from './helpers.js';

describe('building a scatterlist', () => {
  it('sg_init_table clears entries and marks the end; sg_set_buf and sg_set_page fill them', () => {
    const sgl = sg_init_table(3);
    expect(sgl.map((s) => s.end)).toEqual([false, false, true]);
    sg_set_buf(sgl[0]!, 0xc010_0123, 100);
    expect(sgl[0]).toMatchObject({ buf: 0xc010_0123, offset: 0x123, length: 100 });
    sg_set_page(sgl[1]!, 77, 200, 16);
    expect(sgl[1]).toMatchObject({ page: 77, buf: -1, offset: 16, length: 200 });
    sg_mark_end(sgl[1]!);
    expect(sgl[1]!.end).toBe(true);
    const seen: number[] = [];
    for_each_sg(sgl, 2, (sg, i) => seen.push(i * 1000 + sg.length));
    expect(seen).toEqual([100, 1200]);
    expect(() => sg_init_table(0)).toThrow(/sg_init_table/);
  });
});

describe('dma_map_sg', () => {
  it('maps every entry (by buffer or by page) and returns nents; sg_dma_address is the physical address here', () => {
    const r = rig();
    const v = r.run(() => {
      const a = kmalloc(512, GFP_KERNEL)!;
      const page = alloc_pages(GFP_KERNEL, 1)!;
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, a, 512);
      sg_set_page(sgl[1]!, page, 6000, 100); // runs into the second page of the block
      const n = dma_map_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
      return { n, sgl, aPa: r.b.kernel.mm.virt_to_phys(a), pPa: r.b.kernel.mm.page_to_phys(page) };
    });
    expect(v.n).toBe(2);
    expect(sg_dma_address(v.sgl[0]!)).toBe(v.aPa);
    expect(sg_dma_len(v.sgl[0]!)).toBe(512);
    expect(sg_dma_address(v.sgl[1]!)).toBe(v.pPa + 100);
    expect(sg_dma_len(v.sgl[1]!)).toBe(6000);
    expect(r.b.reports).toEqual([]);
  });

  it('does the direction\'s cache maintenance on each entry at map, sync and unmap', () => {
    const r = rig();
    r.run(() => {
      const a = kmalloc(64, GFP_KERNEL)!;
      const b = kmalloc(64, GFP_KERNEL)!;
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, a, 64);
      sg_set_buf(sgl[1]!, b, 64);
      const line = (va: number, k: number) => r.b.kernel.mm.virt_to_phys(va) + 32 * k;
      const want = (op: string) => [a, b].flatMap((va) => [{ op, pa: line(va, 0) }, { op, pa: line(va, 1) }]);
      expect(cacheOps(r.b, () => dma_map_sg(r.dev, sgl, 2, DMA_FROM_DEVICE))).toEqual(want('invalidate'));
      expect(cacheOps(r.b, () => dma_sync_sg_for_cpu(r.dev, sgl, 2, DMA_FROM_DEVICE))).toEqual(want('invalidate'));
      expect(cacheOps(r.b, () => dma_sync_sg_for_device(r.dev, sgl, 2, DMA_FROM_DEVICE))).toEqual(want('invalidate'));
      expect(cacheOps(r.b, () => dma_unmap_sg(r.dev, sgl, 2, DMA_FROM_DEVICE))).toEqual(want('invalidate'));
    });
  });

  it('a receive into two segments: the device writes both, the CPU reads both after dma_sync_sg_for_cpu', () => {
    const r = rig();
    const v = r.run(() => {
      const sgl: Scatterlist[] = sg_init_table(2);
      const bufs = [kmalloc(256, GFP_KERNEL)!, kmalloc(256, GFP_KERNEL)!];
      bufs.forEach((b, i) => sg_set_buf(sgl[i]!, b, 256));
      dma_map_sg(r.dev, sgl, 2, DMA_FROM_DEVICE);
      return { sgl, bufs };
    });
    v.sgl.forEach((sg, i) => r.dev.busMaster.write(sg.dma_address, pattern(256, i * 16), 0, 256));
    const got = r.run(() => {
      dma_sync_sg_for_cpu(r.dev, v.sgl, 2, DMA_FROM_DEVICE);
      const out = v.bufs.map((b) => Array.from(copy_to_host(b, 256)));
      dma_unmap_sg(r.dev, v.sgl, 2, DMA_FROM_DEVICE);
      return out;
    });
    expect(got).toEqual([Array.from(pattern(256, 0)), Array.from(pattern(256, 16))]);
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.symptoms.entries).toEqual([]);
  });

  it('a segment that cannot be mapped unwinds the ones already mapped and returns 0', () => {
    const r = rig();
    r.dev.dmaMask = DMA_BIT_MASK(24); // reaches the first 16 MiB only
    const v = r.run(() => {
      const low = r.b.kernel.mm.pfn_to_page(0x600); // 6 MiB: kernel data, not text
      const high = kmalloc(128, GFP_KERNEL)!; // near the top of the 256 MiB
      const sgl = sg_init_table(2);
      sg_set_page(sgl[0]!, low, 128, 0);
      sg_set_buf(sgl[1]!, high, 128);
      return { n: dma_map_sg(r.dev, sgl, 2, DMA_TO_DEVICE), dump: dma_debug_dump() };
    });
    expect(v).toEqual({ n: 0, dump: [] });
    expect(ids(r.b.reports)).toEqual(['dma.addr-overflow']);
  });

  it('dma-debug checks each entry: a stack buffer in the list is dma.map-stack', () => {
    const r = rig();
    r.run(() => {
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, kmalloc(64, GFP_KERNEL)!, 64);
      sg_set_buf(sgl[1]!, stack_buf(64), 64);
      dma_map_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
      dma_unmap_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
    });
    expect(only(r.b.reports, 'dma.map-stack').title).toMatch(new RegExp(`^${PREFIX.replace(/\./g, '\\.')}device driver maps memory from stack \\[addr=0x[0-9a-f]{8}\\]$`));
  });

  it('a sync with the wrong direction warns once per entry, each with its own mapping', () => {
    const r = rig();
    r.run(() => {
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, kmalloc(64, GFP_KERNEL)!, 64);
      sg_set_buf(sgl[1]!, kmalloc(64, GFP_KERNEL)!, 64);
      dma_map_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
      dma_sync_sg_for_device(r.dev, sgl, 2, DMA_BIDIRECTIONAL);
    });
    expect(ids(r.b.reports)).toEqual(['dma.sync-dir', 'dma.sync-dir']);
  });

  it('the dump lists the entries as "scather-gather", Linux\'s spelling', () => {
    const r = rig();
    const dump = r.run(() => {
      const page = alloc_pages(GFP_KERNEL, 0)!;
      const sgl = sg_init_table(1);
      sg_set_buf(sgl[0]!, page_address(page)!, 4096);
      dma_map_sg(r.dev, sgl, 1, DMA_BIDIRECTIONAL);
      return dma_debug_dump();
    });
    expect(dump[0]).toMatch(/ scather-gather idx 0 .* DMA_BIDIRECTIONAL dma map error check not applicable$/);
  });

  it('passing more entries than the table holds is a programming error the sandbox names', () => {
    const r = rig();
    const oops = r.oops(() => {
      const sgl = sg_init_table(1);
      sg_set_buf(sgl[0]!, kmalloc(64, GFP_KERNEL)!, 64);
      dma_map_sg(r.dev, sgl, 3, DMA_TO_DEVICE);
    });
    expect(oops.text).toContain('SandboxArgumentError: dma_map_sg: nents must be a positive count no larger than the scatterlist (1), got 0x3');
  });
});
