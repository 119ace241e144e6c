/**
 * Bounce buffering (reference §5): with `swiotlb=force` every streaming mapping goes through a
 * bounce slot, so the device sees CPU data only after map or sync_for_device and the CPU sees
 * device data only after sync_for_cpu or unmap — on the coherent board too. Without swiotlb, a
 * buffer beyond the mask gets the overflow WARN and DMA_MAPPING_ERROR.
 */
import { describe, expect, it } from 'vitest';
import { kmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_map_sg, dma_map_single, dma_map_single_attrs, dma_mapping_error, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_unmap_sg,
  dma_unmap_single, dma_unmap_single_attrs,
} from '../../../src/kernel/dma/api.js';
import { sg_init_table, sg_set_buf } from '../../../src/kernel/dma/sg.js';
import { IO_TLB_SEGSIZE, IO_TLB_SIZE } from '../../../src/kernel/dma/swiotlb.js';
import { DMA_ATTR_NO_WARN, DMA_ATTR_SKIP_CPU_SYNC, DMA_BIDIRECTIONAL, DMA_BIT_MASK, DMA_FROM_DEVICE, DMA_MAPPING_ERROR, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_from_host, copy_to_host, memset } from '../../../src/kernel/memaccess.js';
import { hex8, ids, only, pattern, ramBytes, rig } from './helpers.js';

const BOARDS = [
  ['non-coherent', false],
  ['coherent', true],
] as const;

describe.each(BOARDS)('swiotlb=force on the %s board', (_name, coherent) => {
  it('the handle is a bounce slot, not the buffer; the boot log says swiotlb is on', () => {
    const r = rig({ coherent, bootargs: 'swiotlb=force' });
    const v = r.run(() => {
      const buf = kmalloc(256, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 256, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      return { pa: r.b.kernel.mm.virt_to_phys(buf), h };
    });
    expect(v.h).not.toBe(v.pa);
    expect(r.b.kernel.dma.swiotlb).not.toBeNull();
    expect(r.b.dmesg()).toContain('software IO TLB');
    expect(r.b.reports).toEqual([]);
  });

  it('TO_DEVICE: map copies the buffer in; later CPU writes reach the device only with sync_for_device', () => {
    const r = rig({ coherent, bootargs: 'swiotlb=force' });
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      memset(buf, 0x11, 64);
      const h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      const seen = new Uint8Array(64);
      r.dev.busMaster.read(h, seen, 0, 64);
      expect(Array.from(seen)).toEqual(new Array(64).fill(0x11));
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE);
      memset(buf, 0x22, 64);
      expect(ramBytes(r.b, h, 64)).toEqual(new Array(64).fill(0x11)); // the bounce slot still holds the old data
      dma_sync_single_for_device(r.dev, h, 64, DMA_TO_DEVICE);
      r.dev.busMaster.read(h, seen, 0, 64);
      expect(Array.from(seen)).toEqual(new Array(64).fill(0x22));
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
    });
    expect(r.b.reports).toEqual([]);
  });

  it('FROM_DEVICE: the CPU sees what the device wrote only after sync_for_cpu, and after unmap', () => {
    const r = rig({ coherent, bootargs: 'swiotlb=force' });
    const frame = pattern(64, 0x90);
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      memset(buf, 0, 64);
      const pa = r.b.kernel.mm.virt_to_phys(buf);
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      r.dev.busMaster.write(h, frame, 0, 64);
      expect(ramBytes(r.b, pa, 64)).toEqual(new Array(64).fill(0)); // nothing reached the buffer yet
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
      expect(Array.from(copy_to_host(buf, 64))).toEqual(Array.from(frame));
      dma_sync_single_for_device(r.dev, h, 64, DMA_FROM_DEVICE);
      const second = pattern(64, 0x10);
      r.dev.busMaster.write(h, second, 0, 64);
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE); // unmap copies back too
      expect(Array.from(copy_to_host(buf, 64))).toEqual(Array.from(second));
    });
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.symptoms.entries).toEqual([]);
  });

  it('unmap with DMA_ATTR_SKIP_CPU_SYNC does not copy back', () => {
    const r = rig({ coherent, bootargs: 'swiotlb=force' });
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      memset(buf, 0x44, 64);
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      r.dev.busMaster.write(h, pattern(64, 0), 0, 64);
      dma_unmap_single_attrs(r.dev, h, 64, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
      expect(Array.from(copy_to_host(buf, 64))).toEqual(new Array(64).fill(0x44));
    });
  });

  it('map copies the original in for FROM_DEVICE too (a partial device write keeps the rest)', () => {
    const r = rig({ coherent, bootargs: 'swiotlb=force' });
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      memset(buf, 0x77, 64);
      const h = dma_map_single(r.dev, buf, 64, DMA_BIDIRECTIONAL);
      dma_mapping_error(r.dev, h);
      r.dev.busMaster.write(h, pattern(16, 0), 0, 16);
      dma_unmap_single(r.dev, h, 64, DMA_BIDIRECTIONAL);
      expect(Array.from(copy_to_host(buf + 16, 48))).toEqual(new Array(48).fill(0x77));
    });
  });

  it('the checker follows the bounce slot: device accesses are checked against the mapping it belongs to', () => {
    const r = rig({ coherent, bootargs: 'swiotlb=force' });
    const h = r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
      return h;
    });
    r.dev.busMaster.write32be(h, 1); // the slot was given back
    expect(only(r.b.reports, 'dma.device-access-unmapped').details).toMatchObject({ pa: h, len: 4, write: true });
  });

  it('sg lists bounce entry by entry', () => {
    const r = rig({ coherent, bootargs: 'swiotlb=force' });
    r.run(() => {
      const a = kmalloc(128, GFP_KERNEL)!;
      const b = kmalloc(128, GFP_KERNEL)!;
      copy_from_host(a, pattern(128, 1));
      copy_from_host(b, pattern(128, 2));
      const sgl = sg_init_table(2);
      sg_set_buf(sgl[0]!, a, 128);
      sg_set_buf(sgl[1]!, b, 128);
      expect(dma_map_sg(r.dev, sgl, 2, DMA_TO_DEVICE)).toBe(2);
      expect(sgl[0]!.dma_address).not.toBe(r.b.kernel.mm.virt_to_phys(a));
      expect(ramBytes(r.b, sgl[1]!.dma_address, 128)).toEqual(Array.from(pattern(128, 2)));
      dma_unmap_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
    });
    expect(r.b.reports).toEqual([]);
  });
});

describe('swiotlb limits', () => {
  it('a mapping larger than IO_TLB_SEGSIZE slots fails: "swiotlb buffer is full" and DMA_MAPPING_ERROR', () => {
    const r = rig({ bootargs: 'swiotlb=force' });
    const big = IO_TLB_SIZE * IO_TLB_SEGSIZE + 1;
    const v = r.run(() => {
      const buf = kmalloc(big, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, big, DMA_TO_DEVICE);
      const quiet = dma_map_single_attrs(r.dev, buf, big, DMA_TO_DEVICE, DMA_ATTR_NO_WARN);
      return { h, quiet, err: dma_mapping_error(r.dev, h) };
    });
    expect(v).toEqual({ h: DMA_MAPPING_ERROR, quiet: DMA_MAPPING_ERROR, err: -12 });
    const lines = r.b.dmesg().split('\n').filter((l) => l.includes('swiotlb buffer is full'));
    expect(lines).toHaveLength(1); // DMA_ATTR_NO_WARN silences the second
    expect(lines[0]).toMatch(new RegExp(`gianfar ffe24000\\.ethernet: swiotlb buffer is full \\(sz: ${big} bytes\\), total 32768 \\(slots\\), used \\d+ \\(slots\\)$`));
    expect(r.b.kernel.dma.debug!.entries()).toEqual([]); // a failed mapping is not recorded
  });

  it('slots are given back at unmap', () => {
    const r = rig({ bootargs: 'swiotlb=force' });
    r.run(() => {
      const buf = kmalloc(4096, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 4096, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      expect(r.b.kernel.dma.swiotlb!.used).toBe(2);
      dma_unmap_single(r.dev, h, 4096, DMA_TO_DEVICE);
      expect(r.b.kernel.dma.swiotlb!.used).toBe(0);
    });
  });
});

describe('a mask too small for the buffer', () => {
  it('without swiotlb: dev_WARN_ONCE "DMA addr ... overflow" and DMA_MAPPING_ERROR', () => {
    const r = rig();
    r.dev.dmaMask = DMA_BIT_MASK(20); // a bus that reaches only the first MiB (set behind dma_set_mask's back)
    const v = r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      const again = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      return { pa: r.b.kernel.mm.virt_to_phys(buf), h, again, err: dma_mapping_error(r.dev, h) };
    });
    expect(v.h).toBe(DMA_MAPPING_ERROR);
    expect(v.again).toBe(DMA_MAPPING_ERROR);
    expect(v.err).toBe(-12);
    const w = only(r.b.reports, 'dma.addr-overflow'); // once
    expect(w.kind).toBe('warn');
    expect(w.title).toBe(`gianfar ffe24000.ethernet: DMA addr ${hex8(v.pa)}+64 overflow (mask fffff, bus limit 0).`);
    expect(r.b.kernel.dma.debug!.entries()).toEqual([]);
  });

  it('with swiotlb the same buffer is bounced instead, silently', () => {
    const r = rig({ bootargs: 'swiotlb=force' });
    r.dev.dmaMask = DMA_BIT_MASK(30);
    const h = r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      return h;
    });
    expect(h).not.toBe(DMA_MAPPING_ERROR);
    expect(ids(r.b.reports)).toEqual([]);
  });
});
