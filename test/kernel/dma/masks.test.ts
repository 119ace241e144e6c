/**
 * DMA masks (reference §5): dma_set_mask's rules (-EIO when the mask cannot cover low memory or
 * the device has no mask), dma_set_mask_and_coherent, dma_get_mask's default, the required mask
 * and dma_addressing_limited, a device without a dma_mask, DMA_BIT_MASK and
 * dma_get_cache_alignment.
 */
import { describe, expect, it } from 'vitest';
import { alloc_pages, kmalloc, kmap, kunmap } from '../../../src/kernel/api/mm.js';
import {
  dma_addr, dma_addressing_limited, dma_alloc_coherent, dma_get_cache_alignment, dma_get_mask, dma_get_required_mask, dma_map_sg, dma_map_single,
  dma_map_page, dma_mapping_error, dma_set_coherent_mask, dma_set_mask, dma_set_mask_and_coherent, dma_sync_single_for_cpu, dma_unmap_page,
} from '../../../src/kernel/dma/api.js';
import { sg_init_table, sg_set_buf } from '../../../src/kernel/dma/sg.js';
import { DMA_BIT_MASK, DMA_FROM_DEVICE, DMA_MAPPING_ERROR, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_HIGHUSER, GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_to_host } from '../../../src/kernel/memaccess.js';
import { bootBoard } from '../../../src/board/board.js';
import { only, pattern, rig } from './helpers.js';

/** 256 MiB of lowmem at 0 and 256 MiB more at 4 GiB (highmem): dma_addr_t is 64 bits wide. */
const BIG = {
  name: 'big',
  ram: [{ base: 0, size: 0x1000_0000 }, { base: 0x1_0000_0000, size: 0x1000_0000 }],
  cache: { size: 32 * 1024, ways: 8, lineSize: 32 },
  coherent: false,
  bootargs: '',
} as const;

describe('DMA_BIT_MASK', () => {
  it('is all ones for 64 and (1 << n) - 1 otherwise', () => {
    expect(DMA_BIT_MASK(64)).toBe(0xffff_ffff_ffff_ffffn);
    expect(DMA_BIT_MASK(32)).toBe(0xffff_ffffn);
    expect(DMA_BIT_MASK(24)).toBe(0xff_ffffn);
    expect(DMA_BIT_MASK(0)).toBe(0n);
    expect(() => DMA_BIT_MASK(65)).toThrow(RangeError);
  });
});

describe('dma_set_mask and friends (256 MiB board: low memory needs 28 bits)', () => {
  it('accepts any mask of 32 bits or more, and a smaller one that still covers low memory', () => {
    const r = rig();
    r.run(() => {
      expect(dma_set_mask(r.dev, DMA_BIT_MASK(64))).toBe(0);
      expect(dma_get_mask(r.dev)).toBe(DMA_BIT_MASK(64));
      expect(dma_set_mask(r.dev, DMA_BIT_MASK(36))).toBe(0);
      expect(dma_set_mask(r.dev, DMA_BIT_MASK(28))).toBe(0);
      expect(dma_get_mask(r.dev)).toBe(DMA_BIT_MASK(28));
    });
  });

  it('refuses with -EIO a mask that cannot cover low memory, and leaves the mask as it was', () => {
    const r = rig();
    r.run(() => {
      expect(dma_set_mask(r.dev, DMA_BIT_MASK(24))).toBe(-5);
      expect(dma_get_mask(r.dev)).toBe(DMA_BIT_MASK(32));
      expect(dma_set_coherent_mask(r.dev, DMA_BIT_MASK(27))).toBe(-5);
      expect(r.dev.coherentDmaMask).toBe(DMA_BIT_MASK(32));
    });
  });

  it('dma_set_mask_and_coherent sets both, or neither when the streaming mask is refused', () => {
    const r = rig();
    r.run(() => {
      expect(dma_set_mask_and_coherent(r.dev, DMA_BIT_MASK(30))).toBe(0);
      expect([r.dev.dmaMask, r.dev.coherentDmaMask]).toEqual([DMA_BIT_MASK(30), DMA_BIT_MASK(30)]);
      expect(dma_set_mask_and_coherent(r.dev, DMA_BIT_MASK(20))).toBe(-5);
      expect([r.dev.dmaMask, r.dev.coherentDmaMask]).toEqual([DMA_BIT_MASK(30), DMA_BIT_MASK(30)]);
    });
  });

  it('dma_get_mask is DMA_BIT_MASK(32) when the mask is zero', () => {
    const r = rig();
    r.dev.dmaMask = 0n;
    expect(r.run(() => dma_get_mask(r.dev))).toBe(DMA_BIT_MASK(32));
  });

  it('a device with no dma_mask: dma_set_mask is -EIO; map WARNs once and fails, map_sg returns 0', () => {
    const r = rig();
    r.dev.dmaMask = null;
    const v = r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const sgl = sg_init_table(1);
      sg_set_buf(sgl[0]!, buf, 64);
      return {
        set: dma_set_mask(r.dev, DMA_BIT_MASK(32)),
        h: dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE),
        h2: dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE),
        sg: dma_map_sg(r.dev, sgl, 1, DMA_TO_DEVICE),
      };
    });
    expect(v).toEqual({ set: -5, h: DMA_MAPPING_ERROR, h2: DMA_MAPPING_ERROR, sg: 0 });
    const w = only(r.b.reports, 'dma.no-mask');
    expect(w.kind).toBe('warn');
    expect(w.title).toMatch(/^WARNING: CPU: 0 PID: 1 at kernel\/dma\/mapping\.c:\d+ dma_map_single\+0x[0-9a-f]+\/0x[0-9a-f]+$/); // WARN_ON_ONCE has no message
    expect(w.text.split('\n').slice(0, 2)).toEqual(['------------[ cut here ]------------', w.title]);
  });

  it('dma_alloc_coherent with a zero coherent mask warns and returns NULL', () => {
    const r = rig();
    r.dev.coherentDmaMask = 0n;
    expect(r.run(() => dma_alloc_coherent(r.dev, 4096, dma_addr(), GFP_KERNEL))).toBeNull();
    expect(only(r.b.reports, 'dma.coherent-no-mask').title).toBe('gianfar ffe24000.ethernet: coherent DMA mask is unset');
  });
});

describe('the required mask and dma_addressing_limited', () => {
  it('on 256 MiB the required mask is DMA_BIT_MASK(28): a 28-bit device is not limited, a 27-bit one is', () => {
    const r = rig();
    const v = r.run(() => {
      const out = { required: dma_get_required_mask(r.dev), limited: [dma_addressing_limited(r.dev)] };
      r.dev.dmaMask = DMA_BIT_MASK(28);
      out.limited.push(dma_addressing_limited(r.dev));
      r.dev.dmaMask = DMA_BIT_MASK(27);
      out.limited.push(dma_addressing_limited(r.dev));
      return out;
    });
    expect(v).toEqual({ required: DMA_BIT_MASK(28), limited: [false, false, true] });
  });

  it('on a board with RAM above 4 GiB the required mask grows past 32 bits and a 32-bit device is limited', () => {
    const b = bootBoard(BIG);
    const dev = b.kernel.createDevice('ffe24000.ethernet', { driver: 'gianfar' });
    const v = b.run(() => ({ req: dma_get_required_mask(dev), limited: dma_addressing_limited(dev) }));
    expect(v.ok && v.value).toEqual({ req: DMA_BIT_MASK(33), limited: true });
    expect(b.kernel.dma.swiotlb).not.toBeNull(); // swiotlb comes up when RAM extends past 4 GiB
  });
});

describe('handles above 4 GiB', () => {
  it('a 36-bit device maps a highmem page at its physical address, syncs and unmaps it', () => {
    const b = bootBoard(BIG, { eviction: 'expose' });
    const dev = b.kernel.createDevice('ffe24000.ethernet', { driver: 'gianfar' });
    const frame = pattern(64, 0x2c);
    const v = b.run(() => {
      expect(dma_set_mask(dev, DMA_BIT_MASK(36))).toBe(0);
      const page = alloc_pages(GFP_HIGHUSER, 0)!;
      const pa = b.kernel.mm.page_to_phys(page);
      const h = dma_map_page(dev, page, 0, 4096, DMA_FROM_DEVICE);
      const err = dma_mapping_error(dev, h);
      dev.busMaster.write(h, frame, 0, 64);
      dma_sync_single_for_cpu(dev, h, 4096, DMA_FROM_DEVICE);
      const va = kmap(page)!;
      const seen = copy_to_host(va, 64);
      kunmap(page);
      dma_unmap_page(dev, h, 4096, DMA_FROM_DEVICE);
      return { pa, h, err, seen: Array.from(seen) };
    });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.pa).toBeGreaterThanOrEqual(0x1_0000_0000);
    expect(v.value.h).toBe(v.value.pa);
    expect(v.value.err).toBe(0);
    expect(v.value.seen).toEqual(Array.from(frame));
    expect(b.reports).toEqual([]);
  });

  it('a 32-bit device gets it through a bounce slot below 4 GiB (swiotlb is up on this board); the copy goes through kmap', () => {
    const b = bootBoard(BIG, { eviction: 'expose' });
    const dev = b.kernel.createDevice('ffe24000.ethernet', { driver: 'gianfar' });
    const frame = pattern(64, 0x71);
    const v = b.run(() => {
      const page = alloc_pages(GFP_HIGHUSER, 0)!;
      const h = dma_map_page(dev, page, 256, 1024, DMA_FROM_DEVICE);
      const err = dma_mapping_error(dev, h);
      dev.busMaster.write(h, frame, 0, 64);
      dma_unmap_page(dev, h, 1024, DMA_FROM_DEVICE); // copies back from the slot
      const va = kmap(page)!;
      const seen = Array.from(copy_to_host(va + 256, 64));
      kunmap(page);
      return { h, err, seen, pa: b.kernel.mm.page_to_phys(page) };
    });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.pa).toBeGreaterThanOrEqual(0x1_0000_0000);
    expect(v.value.h).toBeLessThan(0x1_0000_0000);
    expect(v.value.err).toBe(0);
    expect(v.value.seen).toEqual(Array.from(frame));
    expect(b.reports).toEqual([]);
  });
});

describe('dma_get_cache_alignment', () => {
  it('is the L1 line (ARCH_DMA_MINALIGN) on the non-coherent board and 1 on the coherent one', () => {
    const nc = rig();
    const c = rig({ coherent: true });
    expect(nc.run(() => dma_get_cache_alignment())).toBe(32);
    expect(c.run(() => dma_get_cache_alignment())).toBe(1);
  });
});
