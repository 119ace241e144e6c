/**
 * dma-debug parity: every check of the reference's table (§1.3) caught with its id and Linux's
 * wording, next to the correct sequence that must not be flagged; the sync-direction matrix cell
 * by cell; "Mapped at:"; the live-entry dump.
 */
import { describe, expect, it } from 'vitest';
import { alloc_pages, kfree, kmalloc, page_address, stack_buf, vfree, vmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_addr, dma_alloc_coherent, dma_debug_dump, dma_free_coherent, dma_map_page, dma_map_sg, dma_map_single, dma_map_single_attrs, dma_mapping_error,
  dma_sync_sg_for_cpu, dma_sync_sg_for_device, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_sync_single_range_for_cpu,
  dma_sync_single_range_for_device, dma_unmap_page, dma_unmap_sg, dma_unmap_single, dma_unmap_single_attrs,
} from '../../../src/kernel/dma/api.js';
import { sg_init_table, sg_set_buf } from '../../../src/kernel/dma/sg.js';
import {
  DMA_ATTR_SKIP_CPU_SYNC, DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_MAPPING_ERROR, DMA_TO_DEVICE,
} from '../../../src/kernel/dma/types.js';
import { PAGE_OFFSET } from '../../../src/kernel/layout.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { hex16, hex8, ids, only, PREFIX, rig, type Rig } from './helpers.js';

const DIRS = [DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL] as const;
const NAME = ['DMA_BIDIRECTIONAL', 'DMA_TO_DEVICE', 'DMA_FROM_DEVICE'];

/** kmalloc + map + dma_mapping_error, the correct opening of every streaming sequence. */
function mapChecked(r: Rig, size: number, dir: number): { buf: number; h: number } {
  const buf = kmalloc(size, GFP_KERNEL)!;
  const h = dma_map_single(r.dev, buf, size, dir);
  expect(dma_mapping_error(r.dev, h)).toBe(0);
  return { buf, h };
}

describe('correct sequences are not flagged', () => {
  it.each(DIRS)('map, check, sync for cpu/device, unmap, kfree (dir %i): no report, no live entry', (dir) => {
    const r = rig();
    r.run(() => {
      const { buf, h } = mapChecked(r, 256, dir);
      dma_sync_single_for_cpu(r.dev, h, 256, dir);
      dma_sync_single_for_device(r.dev, h, 256, dir);
      dma_sync_single_range_for_cpu(r.dev, h, 64, 32, dir); // a partial sync inside the mapping is legal
      dma_sync_single_range_for_device(r.dev, h, 64, 32, dir);
      dma_unmap_single(r.dev, h, 256, dir);
      kfree(buf);
    });
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.dma.debug!.entries()).toEqual([]);
  });

  it('dma_map_page/dma_unmap_page, sg and coherent round trips are clean', () => {
    const r = rig();
    r.run(() => {
      const page = alloc_pages(GFP_KERNEL, 0)!;
      const h = dma_map_page(r.dev, page, 128, 512, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_unmap_page(r.dev, h, 512, DMA_TO_DEVICE);
      const a = kmalloc(512, GFP_KERNEL)!;
      const b2 = kmalloc(512, GFP_KERNEL)!;
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, a, 512);
      sg_set_buf(sgl[1]!, b2, 512);
      expect(dma_map_sg(r.dev, sgl, 2, DMA_FROM_DEVICE)).toBe(2);
      dma_sync_sg_for_cpu(r.dev, sgl, 2, DMA_FROM_DEVICE);
      dma_sync_sg_for_device(r.dev, sgl, 2, DMA_FROM_DEVICE);
      dma_unmap_sg(r.dev, sgl, 2, DMA_FROM_DEVICE);
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 1000, ref, GFP_KERNEL)!;
      dma_free_coherent(r.dev, 1000, cpu, ref.value);
    });
    expect(r.b.reports).toEqual([]);
  });
});

describe('unmap checks (check_unmap)', () => {
  it('dma.unmap-invalid: unmapping DMA_MAPPING_ERROR', () => {
    const r = rig();
    // SKIP_CPU_SYNC: without it the for_cpu cache maintenance of the bogus handle oopses first (see bad-sync-oops).
    r.run(() => dma_unmap_single_attrs(r.dev, DMA_MAPPING_ERROR, 64, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC));
    const w = only(r.b.reports, 'dma.unmap-invalid');
    expect(w.kind).toBe('warn');
    expect(w.title).toBe(`${PREFIX}device driver tries to free an invalid DMA memory address`);
    expect(w.text).not.toContain('DMA-API: Mapped at:');
  });

  it('dma.unmap-invalid: dma_free_coherent with the error handle', () => {
    const r = rig();
    r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
      dma_free_coherent(r.dev, 4096, cpu, DMA_MAPPING_ERROR);
    });
    expect(only(r.b.reports, 'dma.unmap-invalid').title).toBe(`${PREFIX}device driver tries to free an invalid DMA memory address`);
  });

  it('dma.unmap-unknown: double unmap, never mapped, base+offset, another device\'s handle', () => {
    const r = rig();
    const other = r.b.kernel.createDevice('ffe25000.ethernet', { driver: 'gianfar' });
    const handles = r.run(() => {
      const { h } = mapChecked(r, 128, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, h, 128, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, h, 128, DMA_TO_DEVICE); // double unmap
      const m = mapChecked(r, 128, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, m.h + 32, 96, DMA_TO_DEVICE); // wrong start address
      dma_unmap_single(other, m.h, 128, DMA_TO_DEVICE); // another device's handle
      dma_unmap_single(r.dev, m.h, 128, DMA_TO_DEVICE); // the real one: fine
      return { h, h2: m.h };
    });
    expect(ids(r.b.reports)).toEqual(['dma.unmap-unknown', 'dma.unmap-unknown', 'dma.unmap-unknown']);
    expect(r.b.reports[0]!.title).toBe(`${PREFIX}device driver tries to free DMA memory it has not allocated [device address=${hex16(handles.h)}] [size=128 bytes]`);
    expect(r.b.reports[1]!.title).toBe(`${PREFIX}device driver tries to free DMA memory it has not allocated [device address=${hex16(handles.h2 + 32)}] [size=96 bytes]`);
    expect(r.b.reports[2]!.title).toBe(`DMA-API: gianfar ffe25000.ethernet: device driver tries to free DMA memory it has not allocated [device address=${hex16(handles.h2)}] [size=128 bytes]`);
    for (const w of r.b.reports) expect(w.text).not.toContain('Mapped at:'); // no entry, no map stack
  });

  it('dma.unmap-unknown: several entries on one handle and no perfect fit find nothing', () => {
    const r = rig();
    const h = r.run(() => {
      const buf = kmalloc(256, GFP_KERNEL)!;
      const a = dma_map_single(r.dev, buf, 256, DMA_TO_DEVICE);
      const b = dma_map_single(r.dev, buf, 128, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, a);
      dma_mapping_error(r.dev, b);
      expect(a).toBe(b);
      dma_unmap_single(r.dev, a, 64, DMA_FROM_DEVICE); // fits neither: size and direction both differ
      dma_unmap_single(r.dev, a, 128, DMA_TO_DEVICE); // the perfect fit wins
      dma_unmap_single(r.dev, a, 256, DMA_TO_DEVICE);
      return a;
    });
    expect(only(r.b.reports, 'dma.unmap-unknown').title).toContain(`[device address=${hex16(h)}] [size=64 bytes]`);
  });

  it('dma.unmap-size: a different size, with the "Mapped at:" stack of the driver line that mapped it', () => {
    const r = rig();
    const h = r.run(function gfar_new_rx_buf() {
      const buf = kmalloc(1536, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 1536, DMA_FROM_DEVICE);
      if (dma_mapping_error(r.dev, h)) return 0;
      dma_unmap_single(r.dev, h, 42, DMA_FROM_DEVICE);
      return h;
    });
    const w = only(r.b.reports, 'dma.unmap-size');
    expect(w.title).toBe(`${PREFIX}device driver frees DMA memory with different size [device address=${hex16(h)}] [map size=1536 bytes] [unmap size=42 bytes]`);
    expect(w.text).toMatch(/\nWARNING: CPU: 0 PID: 1 at kernel\/dma\/debug\.c:\d+ check_unmap\+0x[0-9a-f]+\/0x[0-9a-f]+\n/); // NIP in check_unmap…
    expect(w.text).toMatch(/\nLR \[[0-9a-f]{8}\] dma_unmap_single\+0x/); // …called from the API the driver used
    expect(w.text).toMatch(/DMA-API: Mapped at:\n gfar_new_rx_buf\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/dma\/api-checks\.test\.ts:\d+\)/);
    expect(r.b.kernel.dma.debug!.entries()).toEqual([]); // the entry is gone all the same
  });

  it('dma.unmap-type: unmap_single of a coherent allocation, free_coherent of a streaming map, unmap_page of an sg segment', () => {
    const r = rig();
    const h = r.run(() => {
      const ref = dma_addr();
      dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL);
      dma_unmap_single(r.dev, ref.value, 4096, DMA_BIDIRECTIONAL);
      const { buf, h } = mapChecked(r, 64, DMA_BIDIRECTIONAL);
      dma_free_coherent(r.dev, 64, buf, h);
      const sgl = sg_init_table(1);
      sg_set_buf(sgl[0]!, kmalloc(64, GFP_KERNEL)!, 64);
      dma_map_sg(r.dev, sgl, 1, DMA_TO_DEVICE);
      dma_unmap_page(r.dev, sgl[0]!.dma_address, 64, DMA_TO_DEVICE);
      return { coh: ref.value, single: h, sg: sgl[0]!.dma_address };
    });
    expect(ids(r.b.reports)).toEqual(['dma.unmap-type', 'dma.unmap-type', 'dma.unmap-type']);
    expect(r.b.reports.map((x) => x.title)).toEqual([
      `${PREFIX}device driver frees DMA memory with wrong function [device address=${hex16(h.coh)}] [size=4096 bytes] [mapped as coherent] [unmapped as single]`,
      `${PREFIX}device driver frees DMA memory with wrong function [device address=${hex16(h.single)}] [size=64 bytes] [mapped as single] [unmapped as coherent]`,
      `${PREFIX}device driver frees DMA memory with wrong function [device address=${hex16(h.sg)}] [size=64 bytes] [mapped as scather-gather] [unmapped as single]`,
    ]);
  });

  it('dma.free-cpu-addr: dma_free_coherent with a CPU address of other memory; the physical addresses are printed', () => {
    const r = rig();
    const v = r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 8192, ref, GFP_KERNEL)!;
      const wrong = cpu + 4096;
      dma_free_coherent(r.dev, 8192, wrong, ref.value);
      return { cpu, h: ref.value, wrongPa: r.b.machine.cpu.virtToPhys(wrong) };
    });
    const w = only(r.b.reports, 'dma.free-cpu-addr');
    expect(w.title).toBe(
      `${PREFIX}device driver frees DMA memory with different CPU address [device address=${hex16(v.h)}] [size=8192 bytes] [cpu alloc address=${hex16(v.h)}] [cpu free address=${hex16(v.wrongPa)}]`,
    );
    expect(w.text).toContain('DMA-API: Mapped at:');
  });

  it('dma.free-cpu-addr is not reported for the right address', () => {
    const r = rig();
    r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 100, ref, GFP_KERNEL)!;
      dma_free_coherent(r.dev, 100, cpu, ref.value);
    });
    expect(r.b.reports).toEqual([]);
  });

  it('dma.unmap-sg-nents: dma_unmap_sg with the count dma_map_sg returned instead of the one passed', () => {
    const r = rig();
    r.run(() => {
      const sgl = sg_init_table(3);
      for (const sg of sgl) sg_set_buf(sg, kmalloc(256, GFP_KERNEL)!, 256);
      dma_map_sg(r.dev, sgl, 3, DMA_TO_DEVICE);
      dma_unmap_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
    });
    expect(ids(r.b.reports)).toEqual(['dma.unmap-sg-nents', 'dma.unmap-sg-nents']); // one per segment unmapped, as check_unmap runs per entry
    expect(r.b.reports[0]!.title).toBe(`${PREFIX}device driver frees DMA sg list with different entry count [map count=3] [unmap count=2]`);
  });

  it('dma.unmap-dir: a different direction', () => {
    const r = rig();
    const h = r.run(() => {
      const { h } = mapChecked(r, 64, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
      return h;
    });
    expect(only(r.b.reports, 'dma.unmap-dir').title).toBe(
      `${PREFIX}device driver frees DMA memory with different direction [device address=${hex16(h)}] [size=64 bytes] [mapped with DMA_TO_DEVICE] [unmapped with DMA_FROM_DEVICE]`,
    );
  });

  it('one bad unmap can break several rules at once (each its own report)', () => {
    const r = rig();
    r.run(() => {
      const buf = kmalloc(128, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 128, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, h, 64, DMA_BIDIRECTIONAL);
    });
    expect(ids(r.b.reports)).toEqual(['dma.unmap-size', 'dma.unmap-dir', 'dma.map-err-unchecked']);
  });
});

describe('map-error checking (dma.map-err-unchecked)', () => {
  it('is reported at unmap when dma_mapping_error() was never called, no space before the bracket as in Linux', () => {
    const r = rig();
    const h = r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
      return h;
    });
    expect(only(r.b.reports, 'dma.map-err-unchecked').title).toBe(
      `${PREFIX}device driver failed to check map error[device address=${hex16(h)}] [size=64 bytes] [mapped as single]`,
    );
  });

  it('is not reported while the mapping lives (only at unmap), nor when the handle was checked', () => {
    const r = rig();
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE);
      expect(r.b.reports).toEqual([]);
      dma_mapping_error(r.dev, h);
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
    });
    expect(r.b.reports).toEqual([]);
  });

  it('checking another handle does not count; sg entries and coherent allocations are not tracked', () => {
    const r = rig();
    r.run(() => {
      const a = kmalloc(64, GFP_KERNEL)!;
      const b = kmalloc(64, GFP_KERNEL)!;
      const ha = dma_map_single(r.dev, a, 64, DMA_TO_DEVICE);
      const hb = dma_map_single(r.dev, b, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, hb);
      dma_unmap_single(r.dev, ha, 64, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, hb, 64, DMA_TO_DEVICE);
      const sgl = sg_init_table(1);
      sg_set_buf(sgl[0]!, a, 64);
      dma_map_sg(r.dev, sgl, 1, DMA_TO_DEVICE);
      dma_unmap_sg(r.dev, sgl, 1, DMA_TO_DEVICE);
    });
    expect(ids(r.b.reports)).toEqual(['dma.map-err-unchecked']);
  });
});

describe('sync checks (check_sync)', () => {
  it('dma.sync-unknown: never mapped, already unmapped, past the end, another device', () => {
    const r = rig();
    const other = r.b.kernel.createDevice('ffe25000.ethernet', { driver: 'gianfar' });
    const h = r.run(() => {
      const { h } = mapChecked(r, 128, DMA_TO_DEVICE);
      dma_sync_single_for_cpu(r.dev, h + 64, 128, DMA_TO_DEVICE); // runs past the end
      dma_sync_single_for_device(other, h, 128, DMA_TO_DEVICE); // another device's mapping
      dma_unmap_single(r.dev, h, 128, DMA_TO_DEVICE);
      dma_sync_single_for_device(r.dev, h, 128, DMA_TO_DEVICE); // already unmapped
      return h;
    });
    expect(ids(r.b.reports)).toEqual(['dma.sync-unknown', 'dma.sync-unknown', 'dma.sync-unknown']);
    expect(r.b.reports[0]!.title).toBe(`${PREFIX}device driver tries to sync DMA memory it has not allocated [device address=${hex16(h + 64)}] [size=128 bytes]`);
    expect(r.b.reports[1]!.title).toBe(`DMA-API: gianfar ffe25000.ethernet: device driver tries to sync DMA memory it has not allocated [device address=${hex16(h)}] [size=128 bytes]`);
    expect(r.b.reports[2]!.title).toBe(`${PREFIX}device driver tries to sync DMA memory it has not allocated [device address=${hex16(h)}] [size=128 bytes]`);
  });

  it('a range sync past the end is sync-unknown at handle+offset (current kernels; dma.sync-overrun belonged to the old range helpers)', () => {
    const r = rig();
    const h = r.run(() => {
      const { buf, h } = mapChecked(r, 128, DMA_FROM_DEVICE);
      dma_sync_single_range_for_cpu(r.dev, h, 96, 64, DMA_FROM_DEVICE);
      dma_unmap_single(r.dev, h, 128, DMA_FROM_DEVICE);
      kfree(buf);
      return h;
    });
    expect(only(r.b.reports, 'dma.sync-unknown').title).toBe(`${PREFIX}device driver tries to sync DMA memory it has not allocated [device address=${hex16(h + 96)}] [size=64 bytes]`);
    expect(ids(r.b.reports)).not.toContain('dma.sync-overrun');
  });

  // The reference's matrix (§1.3 notes): rows = map direction, columns = sync call and direction.
  type Cell = 'ok' | 'dir' | 'dir+ro' | 'dir+wo';
  const MATRIX: Record<number, Record<'cpu' | 'dev', Record<number, Cell>>> = {
    [DMA_TO_DEVICE]: { cpu: { [DMA_TO_DEVICE]: 'ok', [DMA_FROM_DEVICE]: 'dir+ro', [DMA_BIDIRECTIONAL]: 'dir+ro' }, dev: { [DMA_TO_DEVICE]: 'ok', [DMA_FROM_DEVICE]: 'dir', [DMA_BIDIRECTIONAL]: 'dir' } },
    [DMA_FROM_DEVICE]: { cpu: { [DMA_TO_DEVICE]: 'dir', [DMA_FROM_DEVICE]: 'ok', [DMA_BIDIRECTIONAL]: 'dir' }, dev: { [DMA_TO_DEVICE]: 'dir+wo', [DMA_FROM_DEVICE]: 'ok', [DMA_BIDIRECTIONAL]: 'dir+wo' } },
    [DMA_BIDIRECTIONAL]: { cpu: { [DMA_TO_DEVICE]: 'ok', [DMA_FROM_DEVICE]: 'ok', [DMA_BIDIRECTIONAL]: 'ok' }, dev: { [DMA_TO_DEVICE]: 'ok', [DMA_FROM_DEVICE]: 'ok', [DMA_BIDIRECTIONAL]: 'ok' } },
  };
  const cells: [number, 'cpu' | 'dev', number, Cell][] = [];
  for (const map of DIRS) for (const side of ['cpu', 'dev'] as const) for (const sync of DIRS) cells.push([map, side, sync, MATRIX[map]![side][sync]!]);

  it('the matrix has the reference\'s 18 cells', () => expect(cells).toHaveLength(18));

  it.each(cells)('mapped %i, sync_for_%s with %i: %s', (map, side, sync, cell) => {
    const r = rig();
    const h = r.run(() => {
      const { h } = mapChecked(r, 64, map);
      if (side === 'cpu') dma_sync_single_for_cpu(r.dev, h, 64, sync);
      else dma_sync_single_for_device(r.dev, h, 64, sync);
      return h;
    });
    const fields = `[device address=${hex16(h)}] [size=64 bytes] [mapped with ${NAME[map]}] [synced with ${NAME[sync]}]`;
    const expected: string[] = [];
    if (cell !== 'ok') expected.push(`${PREFIX}device driver syncs DMA memory with different direction ${fields}`);
    if (cell === 'dir+ro') expected.push(`${PREFIX}device driver syncs device read-only DMA memory for cpu ${fields}`);
    if (cell === 'dir+wo') expected.push(`${PREFIX}device driver syncs device write-only DMA memory to device ${fields}`);
    expect(r.b.reports.map((x) => x.title)).toEqual(expected);
    expect(ids(r.b.reports)).toEqual(cell === 'ok' ? [] : cell === 'dir' ? ['dma.sync-dir'] : ['dma.sync-dir', cell === 'dir+ro' ? 'dma.sync-cpu-readonly' : 'dma.sync-dev-writeonly']);
    for (const w of r.b.reports) expect(w.text).toContain('DMA-API: Mapped at:');
  });

  it('dma.sync-sg-nents: dma_sync_sg_* with a different entry count', () => {
    const r = rig();
    r.run(() => {
      const sgl = sg_init_table(2);
      for (const sg of sgl) sg_set_buf(sg, kmalloc(256, GFP_KERNEL)!, 256);
      dma_map_sg(r.dev, sgl, 2, DMA_FROM_DEVICE);
      dma_sync_sg_for_cpu(r.dev, sgl, 1, DMA_FROM_DEVICE);
      dma_sync_sg_for_device(r.dev, sgl, 2, DMA_FROM_DEVICE);
      dma_unmap_sg(r.dev, sgl, 2, DMA_FROM_DEVICE);
    });
    expect(only(r.b.reports, 'dma.sync-sg-nents').title).toBe(`${PREFIX}device driver syncs DMA sg list with different entry count [map count=2] [sync count=1]`);
  });
});

describe('map-time area checks', () => {
  it('dma.map-stack: a buffer on the kernel stack', () => {
    const r = rig();
    const va = r.run(() => {
      const buf = stack_buf(64);
      const h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
      return buf;
    });
    expect(only(r.b.reports, 'dma.map-stack').title).toBe(`${PREFIX}device driver maps memory from stack [addr=${hex8(va)}]`);
  });

  it('dma.map-text-rodata: kernel text', () => {
    const r = rig();
    const va = PAGE_OFFSET + 0x2000;
    r.run(() => {
      const h = dma_map_single(r.dev, va, 100, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_unmap_single(r.dev, h, 100, DMA_TO_DEVICE);
    });
    expect(only(r.b.reports, 'dma.map-text-rodata').title).toBe(`${PREFIX}device driver maps memory from kernel text or rodata [addr=${hex8(va)}] [len=100]`);
  });

  it('dma.map-text-rodata for a receive buffer in the kernel image: the dcbi does not fault, only dma-debug warns', () => {
    const r = rig();
    r.run(() => {
      const h = dma_map_single(r.dev, PAGE_OFFSET + 0x4000, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
    });
    expect(ids(r.b.reports)).toEqual(['dma.map-text-rodata']);
  });

  it('dma.map-invalid-area: an address outside the linear map (warned before the mapping faults)', () => {
    const r = rig();
    const va = PAGE_OFFSET + 0x1000_0000 + 0x4000; // just past lowmem on the 256 MiB board
    const oops = r.oops(() => dma_map_single(r.dev, va, 64, DMA_TO_DEVICE));
    expect(ids(r.b.reports)).toEqual(['dma.map-invalid-area', 'oops.bad-area']);
    expect(r.b.reports[0]!.title).toBe(`${PREFIX}device driver maps memory from invalid area [addr=${hex8(va)}] [len=64]`);
    expect(oops.text).toMatch(/NIP \[[0-9a-f]{8}\] arch_sync_dma_for_device\+0x/);
  });

  it('vmalloc memory is rejected before dma-debug sees it (dma.map-vmalloc never fires): WARN once, DMA_MAPPING_ERROR', () => {
    const r = rig();
    const hs = r.run(() => {
      const v = vmalloc(8192)!;
      const h1 = dma_map_single(r.dev, v, 64, DMA_TO_DEVICE);
      const h2 = dma_map_single(r.dev, v, 64, DMA_TO_DEVICE);
      vfree(v);
      return [h1, h2, dma_mapping_error(r.dev, h1)];
    });
    expect(hs).toEqual([DMA_MAPPING_ERROR, DMA_MAPPING_ERROR, -12]);
    const w = only(r.b.reports, 'dma.vmalloc-rejected');
    expect(w.kind).toBe('warn');
    expect(w.title).toBe('gianfar ffe24000.ethernet: rejecting DMA map of vmalloc memory');
    expect(r.b.kernel.dma.debug!.entries()).toEqual([]);
  });

  it('ordinary kmalloc and page memory passes the area checks', () => {
    const r = rig();
    r.run(() => {
      const { buf, h } = mapChecked(r, 64, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
      kfree(buf);
      const page = alloc_pages(GFP_KERNEL, 1)!;
      const h2 = dma_map_single(r.dev, page_address(page)!, 8192, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h2);
      dma_unmap_single(r.dev, h2, 8192, DMA_TO_DEVICE);
    });
    expect(r.b.reports).toEqual([]);
  });
});

describe('cacheline overlap (first cache line of each non-TO_DEVICE mapping)', () => {
  it('dma.cacheline-overlap: two FROM_DEVICE mappings starting in the same line, with EEXIST wording', () => {
    const r = rig();
    r.run(() => {
      const obj = kmalloc(128, GFP_KERNEL)!;
      dma_map_single(r.dev, obj, 16, DMA_FROM_DEVICE);
      dma_map_single(r.dev, obj + 16, 16, DMA_FROM_DEVICE);
    });
    const w = only(r.b.reports, 'dma.cacheline-overlap');
    expect(w.title).toBe(`${PREFIX}cacheline tracking EEXIST, overlapping mappings aren't supported`);
    expect(w.text).toContain('DMA-API: Mapped at:');
  });

  it('counts mappings of any device, and coherent allocations', () => {
    const r = rig();
    const other = r.b.kernel.createDevice('ffe25000.ethernet', { driver: 'gianfar' });
    r.run(() => {
      const obj = kmalloc(128, GFP_KERNEL)!;
      dma_map_single(other, obj, 128, DMA_BIDIRECTIONAL);
      dma_map_single(r.dev, obj, 128, DMA_FROM_DEVICE);
    });
    expect(ids(r.b.reports).filter((x) => x === 'dma.cacheline-overlap')).toHaveLength(1);
  });

  it('is not reported with DMA_ATTR_SKIP_CPU_SYNC, for TO_DEVICE mappings, or when only later lines overlap', () => {
    const r = rig();
    r.run(() => {
      const obj = kmalloc(256, GFP_KERNEL)!;
      dma_map_single(r.dev, obj, 64, DMA_FROM_DEVICE);
      dma_map_single_attrs(r.dev, obj, 64, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
      dma_map_single(r.dev, obj, 64, DMA_TO_DEVICE);
      dma_map_single(r.dev, obj + 32, 64, DMA_FROM_DEVICE); // overlaps, but starts in the next line
    });
    expect(ids(r.b.reports)).not.toContain('dma.cacheline-overlap');
  });

  it('is forgotten at unmap: a new mapping of the line is fine again', () => {
    const r = rig();
    r.run(() => {
      const obj = kmalloc(64, GFP_KERNEL)!;
      for (let i = 0; i < 3; i++) {
        const h = dma_map_single(r.dev, obj, 64, DMA_FROM_DEVICE);
        dma_mapping_error(r.dev, h);
        dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
      }
    });
    expect(r.b.reports).toEqual([]);
  });

  it('dma.overlap-overflow: more than 7 overlapping mappings of one line, once', () => {
    const r = rig();
    const pa = r.run(() => {
      const obj = kmalloc(64, GFP_KERNEL)!;
      for (let i = 0; i < 10; i++) dma_map_single_attrs(r.dev, obj, 64, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
      return r.b.machine.cpu.virtToPhys(obj);
    });
    const w = only(r.b.reports, 'dma.overlap-overflow');
    expect(w.kind).toBe('warn');
    expect(w.title).toBe(`DMA-API: exceeded 7 overlapping mappings of cacheline ${hex8(pa / 32)}`);
    expect(w.text).toMatch(/\nWARNING: CPU: 0 PID: 1 at kernel\/dma\/debug\.c:\d+ active_cacheline_inc_overlap\+0x/);
    expect(w.text).toMatch(/\nLR \[[0-9a-f]{8}\] dma_map_single_attrs\+0x/);
  });
});

describe('pending mappings at unbind (dma.pending-at-unbind)', () => {
  it('counts streaming and coherent entries and names one of them, with its "Mapped at:"', () => {
    const r = rig();
    const h = r.run(function gfar_alloc_skb_resources() {
      const buf = kmalloc(1536, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 1536, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_alloc_coherent(r.dev, 4096, dma_addr(), GFP_KERNEL);
      return h;
    });
    expect(r.b.kernel.dma.checker.pendingAtUnbind(r.dev)).toBe(2);
    const w = only(r.b.reports, 'dma.pending-at-unbind');
    expect(w.title).toBe(`${PREFIX}device driver has pending DMA allocations while released from device [count=2]`);
    expect(w.text).toContain(`One of leaked entries details: [device address=${hex16(h)}] [size=1536 bytes] [mapped with DMA_FROM_DEVICE] [mapped as single]`);
    expect(w.text).toMatch(/DMA-API: Mapped at:\n gfar_alloc_skb_resources\+0x/);
  });

  it('reports nothing when everything was released; other devices\' entries do not count', () => {
    const r = rig();
    const other = r.b.kernel.createDevice('ffe25000.ethernet', { driver: 'gianfar' });
    r.run(() => {
      const { buf, h } = mapChecked(r, 64, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
      kfree(buf);
      dma_alloc_coherent(other, 4096, dma_addr(), GFP_KERNEL);
    });
    expect(r.b.kernel.dma.checker.pendingAtUnbind(r.dev)).toBe(0);
    expect(r.b.reports).toEqual([]);
  });
});

describe('the debugfs dump (dma_debug_dump)', () => {
  it('prints one line per live entry: <drv> <dev> <type> idx N P= N= D= L= cln= <DIR> <map-err state>', () => {
    const r = rig();
    const v = r.run(() => {
      const a = kmalloc(64, GFP_KERNEL)!;
      const ha = dma_map_single(r.dev, a, 64, DMA_TO_DEVICE);
      const b = kmalloc(128, GFP_KERNEL)!;
      const hb = dma_map_single(r.dev, b, 128, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, hb);
      const sgl = sg_init_table(1);
      sg_set_buf(sgl[0]!, kmalloc(256, GFP_KERNEL)!, 256);
      dma_map_sg(r.dev, sgl, 1, DMA_BIDIRECTIONAL);
      const ref = dma_addr();
      dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL);
      return { ha, hb, hs: sgl[0]!.dma_address, hc: ref.value, dump: dma_debug_dump() };
    });
    const line = (type: string, idx: number, pa: number, size: number, dir: string, err: string): string =>
      `gianfar ffe24000.ethernet ${type} idx ${idx} P=${pa.toString(16)} N=${Math.floor(pa / 4096).toString(16)} D=${pa.toString(16)} L=${size.toString(16)} cln=${Math.floor(pa / 32).toString(16)} ${dir} ${err}`;
    expect(v.dump).toEqual([
      line('single', 0, v.ha, 64, 'DMA_TO_DEVICE', 'dma map error not checked'),
      line('single', 1, v.hb, 128, 'DMA_FROM_DEVICE', 'dma map error checked'),
      line('scather-gather', 2, v.hs, 256, 'DMA_BIDIRECTIONAL', 'dma map error check not applicable'),
      line('coherent', 3, v.hc, 4096, 'DMA_BIDIRECTIONAL', 'dma map error check not applicable'),
    ]);
  });

  it('is empty with no live entries, and with dma_debug=off', () => {
    const r = rig();
    expect(r.run(() => dma_debug_dump())).toEqual([]);
    const off = rig({ bootargs: 'dma_debug=off' });
    expect(off.run(() => {
      dma_map_single(off.dev, kmalloc(64, GFP_KERNEL)!, 64, DMA_TO_DEVICE);
      return dma_debug_dump();
    })).toEqual([]);
  });
});

describe('sg segment checks (DMA_API_DEBUG_SG)', () => {
  it('dma.sg-seg-long: a segment longer than dma_parms allows', () => {
    const r = rig();
    r.dev.maxSegmentSize = 1024;
    r.run(() => {
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, kmalloc(512, GFP_KERNEL)!, 512);
      sg_set_buf(sgl[1]!, kmalloc(2048, GFP_KERNEL)!, 2048);
      dma_map_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
    });
    expect(only(r.b.reports, 'dma.sg-seg-long').title).toBe(`${PREFIX}mapping sg segment longer than device claims to support [len=2048] [max=1024]`);
  });

  it('dma.sg-seg-boundary: a segment crossing the device\'s segment boundary', () => {
    const r = rig();
    r.dev.segBoundaryMask = 0xfff;
    const v = r.run(() => {
      const page = alloc_pages(GFP_KERNEL, 1)!;
      const va = page_address(page)!;
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, va, 1024); // inside the first 4 KiB
      sg_set_buf(sgl[1]!, va + 4096 - 512, 1024); // crosses the 4 KiB boundary
      dma_map_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
      return sgl[1]!.dma_address;
    });
    expect(only(r.b.reports, 'dma.sg-seg-boundary').title).toBe(
      `${PREFIX}mapping sg segment across boundary [start=${hex16(v)}] [end=${hex16(v + 1023)}] [boundary=${hex16(0xfff)}]`,
    );
  });
});
