/**
 * Cache maintenance exactly as non-coherent 32-bit PowerPC's __dma_sync does it (reference §3.3):
 * which lines each map, sync and unmap cleans (dcbst), invalidates (dcbi) or flushes (dcbf), per
 * direction and alignment, and what that does to the data — with the `expose` eviction knob, so a
 * line stays cached until a cache operation removes it. On the coherent board nothing is done and
 * the data is right all the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_get_cache_alignment, dma_map_single, dma_map_single_attrs, dma_mapping_error, dma_sync_single_for_cpu, dma_sync_single_for_device,
  dma_unmap_single, dma_unmap_single_attrs,
} from '../../../src/kernel/dma/api.js';
import { DMA_ATTR_SKIP_CPU_SYNC, DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_to_host, memset } from '../../../src/kernel/memaccess.js';
import { cacheOps, pattern, ramBytes, rig, type Rig } from './helpers.js';

const LINE = 32;

/** The lines intersecting [pa, pa+len). */
function linesOf(pa: number, len: number): number[] {
  const out: number[] = [];
  for (let p = pa - (pa % LINE); p < pa + len; p += LINE) out.push(p);
  return out;
}

type Op = 'clean' | 'invalidate' | 'flush';
const TABLE: [string, number, number, Op][] = [
  // [case, direction, offset of the buffer in its object (0 = line-aligned), expected op]
  ['TO_DEVICE', DMA_TO_DEVICE, 0, 'clean'],
  ['TO_DEVICE, unaligned', DMA_TO_DEVICE, 8, 'clean'],
  ['FROM_DEVICE, aligned', DMA_FROM_DEVICE, 0, 'invalidate'],
  ['FROM_DEVICE, unaligned start', DMA_FROM_DEVICE, 8, 'flush'],
  ['BIDIRECTIONAL', DMA_BIDIRECTIONAL, 0, 'flush'],
  ['BIDIRECTIONAL, unaligned', DMA_BIDIRECTIONAL, 8, 'flush'],
];

describe('the operation table (§3.3): every line of the range, the same op for map, sync_for_device, sync_for_cpu and unmap', () => {
  it.each(TABLE)('%s', (_name, dir, off) => {
    const r = rig();
    const expected = TABLE.find((t) => t[1] === dir && t[2] === off)![3];
    const size = 96;
    r.run(() => {
      const obj = kmalloc(256, GFP_KERNEL)!;
      const buf = obj + off;
      const pa = r.b.kernel.mm.virt_to_phys(buf);
      const want = linesOf(pa, size).map((p) => ({ op: expected, pa: p }));
      let h = 0;
      expect(cacheOps(r.b, () => (h = dma_map_single(r.dev, buf, size, dir)))).toEqual(want);
      dma_mapping_error(r.dev, h);
      expect(cacheOps(r.b, () => dma_sync_single_for_cpu(r.dev, h, size, dir))).toEqual(want);
      expect(cacheOps(r.b, () => dma_sync_single_for_device(r.dev, h, size, dir))).toEqual(want);
      expect(cacheOps(r.b, () => dma_unmap_single(r.dev, h, size, dir))).toEqual(want);
    });
  });

  it('FROM_DEVICE with an aligned start but an unaligned end flushes the whole range, middle lines included', () => {
    const r = rig();
    r.run(() => {
      const buf = kmalloc(256, GFP_KERNEL)!;
      const pa = r.b.kernel.mm.virt_to_phys(buf);
      const ops = cacheOps(r.b, () => dma_map_single(r.dev, buf, 100, DMA_FROM_DEVICE));
      expect(ops).toEqual(linesOf(pa, 100).map((p) => ({ op: 'flush', pa: p })));
      expect(ops).toHaveLength(4);
    });
  });

  it('a partial sync works on the lines of that part only (with the part\'s own alignment)', () => {
    const r = rig();
    r.run(() => {
      const buf = kmalloc(256, GFP_KERNEL)!;
      const pa = r.b.kernel.mm.virt_to_phys(buf);
      const h = dma_map_single(r.dev, buf, 256, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      expect(cacheOps(r.b, () => dma_sync_single_for_cpu(r.dev, h + 64, 64, DMA_FROM_DEVICE))).toEqual([
        { op: 'invalidate', pa: pa + 64 },
        { op: 'invalidate', pa: pa + 96 },
      ]);
      expect(cacheOps(r.b, () => dma_sync_single_for_cpu(r.dev, h + 70, 10, DMA_FROM_DEVICE))).toEqual([{ op: 'flush', pa: pa + 64 }]);
    });
  });

  it('DMA_ATTR_SKIP_CPU_SYNC: no maintenance at map or unmap (syncs still do theirs)', () => {
    const r = rig();
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      let h = 0;
      expect(cacheOps(r.b, () => (h = dma_map_single_attrs(r.dev, buf, 64, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC)))).toEqual([]);
      dma_mapping_error(r.dev, h);
      expect(cacheOps(r.b, () => dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE))).toHaveLength(2);
      expect(cacheOps(r.b, () => dma_unmap_single_attrs(r.dev, h, 64, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC))).toEqual([]);
    });
  });

  it('dma_get_cache_alignment() is the line the operations work on', () => {
    const r = rig();
    expect(r.run(() => dma_get_cache_alignment())).toBe(LINE);
  });
});

describe('what the maintenance does to the data (expose eviction: lines stay until an op removes them)', () => {
  function setup(): Rig & { buf: number; pa: number } {
    const r = rig();
    const { buf, pa } = r.run(() => {
      const buf = kmalloc(128, GFP_KERNEL)!;
      return { buf, pa: r.b.kernel.mm.virt_to_phys(buf) };
    });
    return Object.assign(r, { buf, pa });
  }

  it('TO_DEVICE map writes a dirty line back (the device reads the new data) and the line stays cached, clean', () => {
    const r = setup();
    r.run(() => {
      memset(r.buf, 0xaa, 64);
      expect(r.b.machine.cache.isDirty(r.pa)).toBe(true);
      expect(ramBytes(r.b, r.pa, 4)).not.toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
      const h = dma_map_single(r.dev, r.buf, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      expect(r.b.machine.cache.isCached(r.pa)).toBe(true);
      expect(r.b.machine.cache.isDirty(r.pa)).toBe(false);
      const dev = new Uint8Array(64);
      r.dev.busMaster.read(h, dev, 0, 64);
      expect(Array.from(dev)).toEqual(new Array(64).fill(0xaa));
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
      expect(r.b.machine.cache.isCached(r.pa)).toBe(true); // dcbst never drops a line
    });
    expect(r.b.reports).toEqual([]);
  });

  it('FROM_DEVICE aligned map invalidates: the CPU\'s dirty data is discarded, never reaching RAM', () => {
    const r = setup();
    r.run(() => {
      const before = ramBytes(r.b, r.pa, 64);
      memset(r.buf, 0xaa, 64);
      const h = dma_map_single(r.dev, r.buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      expect(r.b.machine.cache.isCached(r.pa)).toBe(false);
      expect(r.b.machine.cache.isCached(r.pa + 32)).toBe(false);
      expect(ramBytes(r.b, r.pa, 64)).toEqual(before); // the 0xaa bytes are gone
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
      expect(Array.from(copy_to_host(r.buf, 64))).toEqual(before);
    });
  });

  it('FROM_DEVICE aligned: sync_for_cpu drops the stale lines, so the CPU then reads what the device wrote', () => {
    const r = setup();
    const frame = pattern(64, 0x31);
    r.run(() => {
      const h = dma_map_single(r.dev, r.buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
      copy_to_host(r.buf, 64); // the CPU caches the lines while it owns the buffer
      dma_sync_single_for_device(r.dev, h, 64, DMA_FROM_DEVICE);
      r.dev.busMaster.write(h, frame, 0, 64);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
      expect(Array.from(copy_to_host(r.buf, 64))).toEqual(Array.from(frame));
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
    });
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.symptoms.entries).toEqual([]);
  });

  it('FROM_DEVICE with an unaligned start flushes the whole range: dirty data is written back, every line dropped', () => {
    const r = setup();
    r.run(() => {
      memset(r.buf, 0xaa, 128); // the whole object dirty
      const h = dma_map_single(r.dev, r.buf + 8, 80, DMA_FROM_DEVICE); // lines 0..2, first and last partial
      dma_mapping_error(r.dev, h);
      for (const p of linesOf(r.pa + 8, 80)) expect(r.b.machine.cache.isCached(p)).toBe(false);
      expect(r.b.machine.cache.isDirty(r.pa + 96)).toBe(true); // line 3 is outside the range: untouched
      expect(ramBytes(r.b, r.pa, 96)).toEqual(new Array(96).fill(0xaa)); // written back, neighbours' bytes too
      dma_unmap_single(r.dev, h, 80, DMA_FROM_DEVICE);
    });
  });

  it('FROM_DEVICE with an unaligned end, too', () => {
    const r = setup();
    r.run(() => {
      memset(r.buf, 0xbb, 64);
      const h = dma_map_single(r.dev, r.buf, 40, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      expect(r.b.machine.cache.isCached(r.pa)).toBe(false);
      expect(r.b.machine.cache.isCached(r.pa + 32)).toBe(false);
      expect(ramBytes(r.b, r.pa, 64)).toEqual(new Array(64).fill(0xbb));
      dma_unmap_single(r.dev, h, 40, DMA_FROM_DEVICE);
    });
  });

  it('BIDIRECTIONAL map flushes (written back and dropped); sync_for_cpu flushes again so the device data is read', () => {
    const r = setup();
    const frame = pattern(64, 0x70);
    r.run(() => {
      memset(r.buf, 0xcc, 64);
      const h = dma_map_single(r.dev, r.buf, 64, DMA_BIDIRECTIONAL);
      dma_mapping_error(r.dev, h);
      expect(r.b.machine.cache.isCached(r.pa)).toBe(false);
      expect(ramBytes(r.b, r.pa, 64)).toEqual(new Array(64).fill(0xcc));
      const seen = new Uint8Array(64);
      r.dev.busMaster.read(h, seen, 0, 64);
      expect(Array.from(seen)).toEqual(new Array(64).fill(0xcc));
      r.dev.busMaster.write(h, frame, 0, 64);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_BIDIRECTIONAL);
      expect(Array.from(copy_to_host(r.buf, 64))).toEqual(Array.from(frame));
      dma_unmap_single(r.dev, h, 64, DMA_BIDIRECTIONAL);
    });
    expect(r.b.reports).toEqual([]);
  });

  it('TO_DEVICE sync_for_cpu is only a (redundant) clean: a line the CPU holds is not dropped', () => {
    const r = setup();
    r.run(() => {
      memset(r.buf, 0x11, 64);
      const h = dma_map_single(r.dev, r.buf, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE);
      expect(r.b.machine.cache.isCached(r.pa)).toBe(true);
      dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
    });
  });
});

describe('the coherent board: no maintenance, and the data is right', () => {
  it.each([DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL])('direction %i: no cache op at map, sync or unmap', (dir) => {
    const r = rig({ coherent: true });
    r.run(() => {
      const buf = kmalloc(256, GFP_KERNEL)!;
      let h = 0;
      const ops = cacheOps(r.b, () => {
        h = dma_map_single(r.dev, buf + 8, 100, dir);
        dma_mapping_error(r.dev, h);
        dma_sync_single_for_cpu(r.dev, h, 100, dir);
        dma_sync_single_for_device(r.dev, h, 100, dir);
        dma_unmap_single(r.dev, h, 100, dir);
      });
      expect(ops).toEqual([]);
    });
    expect(r.b.reports).toEqual([]);
  });

  it('the device reads the CPU\'s dirty data (snooped) and the CPU reads the device\'s data without a stale line', () => {
    const r = rig({ coherent: true });
    const frame = pattern(64, 0x21);
    r.run(() => {
      const buf = kmalloc(128, GFP_KERNEL)!;
      memset(buf, 0xaa, 64);
      const to = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, to);
      const seen = new Uint8Array(64);
      r.dev.busMaster.read(to, seen, 0, 64);
      expect(Array.from(seen)).toEqual(new Array(64).fill(0xaa));
      dma_unmap_single(r.dev, to, 64, DMA_TO_DEVICE);
      copy_to_host(buf, 64); // lines cached
      const from = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, from);
      r.dev.busMaster.write(from, frame, 0, 64);
      dma_sync_single_for_cpu(r.dev, from, 64, DMA_FROM_DEVICE);
      expect(Array.from(copy_to_host(buf, 64))).toEqual(Array.from(frame));
      dma_unmap_single(r.dev, from, 64, DMA_FROM_DEVICE);
    });
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.symptoms.entries).toEqual([]);
  });

  it('dma_get_cache_alignment() is 1', () => {
    const r = rig({ coherent: true });
    expect(r.run(() => dma_get_cache_alignment())).toBe(1);
  });
});

describe('property: any buffer, any direction', () => {
  it('map, sync and unmap touch exactly the lines the buffer intersects, with the table\'s op', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 600 }), fc.constantFrom(DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL), (off, size, dir) => {
        const r = rig();
        r.run(() => {
          const obj = kmalloc(1024, GFP_KERNEL)!;
          const pa = r.b.kernel.mm.virt_to_phys(obj + off);
          const aligned = pa % LINE === 0 && (pa + size) % LINE === 0;
          const op = dir === DMA_TO_DEVICE ? 'clean' : dir === DMA_FROM_DEVICE && aligned ? 'invalidate' : 'flush';
          const want = linesOf(pa, size).map((p) => ({ op, pa: p }));
          let h = 0;
          expect(cacheOps(r.b, () => (h = dma_map_single(r.dev, obj + off, size, dir)))).toEqual(want);
          dma_mapping_error(r.dev, h);
          expect(cacheOps(r.b, () => dma_sync_single_for_cpu(r.dev, h, size, dir))).toEqual(want);
          expect(cacheOps(r.b, () => dma_unmap_single(r.dev, h, size, dir))).toEqual(want);
        });
      }),
      { seed: 0x5eed, numRuns: 60 },
    );
  });
});
