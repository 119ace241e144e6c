/**
 * The checks beyond dma-debug: buffer ownership kept per cache line, so a CPU access to a buffer
 * the device owns, a device access outside its mappings or against their direction, a shared
 * cache line, a free of mapped memory and an unmap with DMA in flight are each reported at the
 * line where they happen — and the data symptoms that really occur (stale reads, lost device
 * writes) are reported with the rule that explains them. Each check next to its correct sequence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alloc_pages, free_pages, kfree, kmalloc, page_address, vfree, vmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_addr, dma_alloc_coherent, dma_map_page, dma_map_single, dma_mapping_error, dma_pool_alloc, dma_pool_create, dma_pool_free,
  dma_sync_single_for_cpu, dma_sync_single_for_device, dma_unmap_page, dma_unmap_single,
} from '../../../src/kernel/dma/api.js';
import { DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_from_host, copy_to_host, ld_be32, memset, st_be32, st_u8 } from '../../../src/kernel/memaccess.js';
import { CK, hex16, hex8, ids, only, pattern, rig, type Rig } from './helpers.js';

function map(r: Rig, size: number, dir: number, buf = kmalloc(size, GFP_KERNEL)!): { buf: number; h: number } {
  const h = dma_map_single(r.dev, buf, size, dir);
  expect(dma_mapping_error(r.dev, h)).toBe(0);
  return { buf, h };
}

describe('dma.cpu-access-device-owned', () => {
  it('a CPU read of a FROM_DEVICE buffer before dma_sync_single_for_cpu, reported at that load', () => {
    const r = rig();
    const v = r.run(() => {
      const { buf, h } = map(r, 64, DMA_FROM_DEVICE);
      ld_be32(buf + 8);
      return { buf, h };
    });
    const c = only(r.b.reports, 'dma.cpu-access-device-owned');
    expect(c.kind).toBe('check');
    expect(c.title).toBe(`${CK('dma.cpu-access-device-owned')}CPU read of 4 byte(s) at ${hex8(v.buf + 8)} while the device owns the buffer [device address=${hex16(v.h)}] [size=64 bytes] [mapped with DMA_FROM_DEVICE]`);
    expect(c.text).toContain('The CPU may read stale data');
    expect(c.text).toContain('DMA-API: Mapped at:');
    expect(c.trace.find((f) => f.user)?.file).toBe('test/kernel/dma/ownership.test.ts');
  });

  it('a CPU write to a TO_DEVICE buffer after it was mapped; once per ownership period', () => {
    const r = rig();
    const v = r.run(() => {
      const { buf, h } = map(r, 64, DMA_TO_DEVICE);
      st_be32(buf, 0xdeadbeef);
      st_be32(buf + 4, 0xdeadbeef); // same period: not reported again
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE);
      st_be32(buf, 1); // CPU-owned: fine
      dma_sync_single_for_device(r.dev, h, 64, DMA_TO_DEVICE);
      st_be32(buf, 2); // device-owned again: a new period, a new report
      return { buf, h };
    });
    expect(ids(r.b.reports)).toEqual(['dma.cpu-access-device-owned', 'dma.cpu-access-device-owned']);
    expect(r.b.reports[0]!.title).toBe(`${CK('dma.cpu-access-device-owned')}CPU write to 4 byte(s) at ${hex8(v.buf)} while the device owns the buffer [device address=${hex16(v.h)}] [size=64 bytes] [mapped with DMA_TO_DEVICE]`);
  });

  it('the correct sequences: read after sync_for_cpu, write before map, neighbours outside the buffer', () => {
    const r = rig();
    r.run(() => {
      const buf = kmalloc(256, GFP_KERNEL)!;
      memset(buf, 0x55, 256); // before mapping: CPU-owned
      const { h } = map(r, 128, DMA_FROM_DEVICE, buf);
      ld_be32(buf + 128); // the other half of the object: not mapped, separate lines
      st_be32(buf + 200, 7);
      r.dev.busMaster.write(h, pattern(64, 1), 0, 64);
      dma_sync_single_for_cpu(r.dev, h, 128, DMA_FROM_DEVICE);
      expect(Array.from(copy_to_host(buf, 64))).toEqual(Array.from(pattern(64, 1)));
      dma_sync_single_for_device(r.dev, h, 128, DMA_FROM_DEVICE);
      dma_unmap_single(r.dev, h, 128, DMA_FROM_DEVICE);
      ld_be32(buf);
      kfree(buf);
    });
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.symptoms.entries).toEqual([]);
  });
});

describe('dma.cpu-write-from-device', () => {
  it('the CPU writes a FROM_DEVICE buffer it owns (it must be BIDIRECTIONAL)', () => {
    const r = rig();
    const v = r.run(() => {
      const { buf, h } = map(r, 64, DMA_FROM_DEVICE);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
      st_u8(buf + 3, 1);
      return { buf, h };
    });
    expect(only(r.b.reports, 'dma.cpu-write-from-device').title).toBe(
      `${CK('dma.cpu-write-from-device')}CPU write to 1 byte(s) at ${hex8(v.buf + 3)} of a DMA_FROM_DEVICE buffer [device address=${hex16(v.h)}] [size=64 bytes]`,
    );
  });

  it('not flagged for a BIDIRECTIONAL buffer the CPU owns, nor for reads', () => {
    const r = rig();
    r.run(() => {
      const { buf, h } = map(r, 64, DMA_BIDIRECTIONAL);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_BIDIRECTIONAL);
      st_u8(buf + 3, 1);
      ld_be32(buf);
      dma_sync_single_for_device(r.dev, h, 64, DMA_BIDIRECTIONAL);
      const f = map(r, 64, DMA_FROM_DEVICE);
      dma_sync_single_for_cpu(r.dev, f.h, 64, DMA_FROM_DEVICE);
      ld_be32(f.buf);
    });
    expect(r.b.reports).toEqual([]);
  });
});

describe('device-side checks', () => {
  it('dma.device-access-unmapped: DMA to memory the device never mapped', () => {
    const r = rig();
    const pa = r.run(() => r.b.kernel.mm.virt_to_phys(kmalloc(64, GFP_KERNEL)!));
    r.dev.busMaster.write(pa, pattern(64, 0), 0, 64);
    const c = only(r.b.reports, 'dma.device-access-unmapped');
    expect(c.title).toBe(`${CK('dma.device-access-unmapped')}device wrote 64 byte(s) at phys ${hex8(pa)} outside every live DMA mapping of the device`);
    expect(c.text).toContain('The device was given an address that no dma_map_*() or dma_alloc_coherent() of this device returned.');
  });

  it('dma.device-access-unmapped: DMA after the unmap names the old mapping, where it was mapped and where it was unmapped', () => {
    const r = rig();
    const h = r.run(function gfar_clean_tx_early() {
      const { h } = map(r, 64, DMA_FROM_DEVICE);
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
      return h;
    });
    r.dev.busMaster.read32be(h);
    const c = only(r.b.reports, 'dma.device-access-unmapped');
    expect(c.title).toBe(`${CK('dma.device-access-unmapped')}device read 4 byte(s) at phys ${hex8(h)} outside every live DMA mapping of the device`);
    expect(c.text).toContain(`Those bytes were mapped (handle ${hex16(h)}, 64 bytes, DMA_FROM_DEVICE) and unmapped before the device used them`);
    expect(c.text).toContain('The device made this access; the call trace is only where the CPU happened to be');
    expect(c.details['actor']).toBe('device'); // what run summaries key on
    // The unmap's own line: the bug is usually there, not in the CPU's trace at the time of the access.
    expect(c.text).toMatch(/DMA-API: Unmapped at:\n gfar_clean_tx_early\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/dma\/ownership\.test\.ts:\d+\)/);
  });

  it('dma.device-access-unmapped names the newest of several unmapped mappings over the bytes', () => {
    const r = rig();
    const h = r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const a = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_unmap_single(r.dev, a, 64, DMA_FROM_DEVICE);
      const b = dma_map_single(r.dev, buf, 32, DMA_TO_DEVICE);
      dma_unmap_single(r.dev, b, 32, DMA_TO_DEVICE);
      return b;
    });
    r.dev.busMaster.read32be(h);
    expect(only(r.b.reports, 'dma.device-access-unmapped').text).toContain(`mapped (handle ${hex16(h)}, 32 bytes, DMA_TO_DEVICE) and unmapped`);
  });

  it('dma.device-access-unmapped: a range running past the mapping, and another device\'s mapping', () => {
    const r = rig();
    const other = r.b.kernel.createDevice('ffe25000.ethernet', { driver: 'gianfar' });
    const h = r.run(() => map(r, 64, DMA_FROM_DEVICE).h);
    r.dev.busMaster.write(h, pattern(96, 0), 0, 96);
    other.busMaster.write(h, pattern(4, 0), 0, 4);
    expect(ids(r.b.reports)).toEqual(['dma.device-access-unmapped', 'dma.device-access-unmapped']);
    expect(r.b.reports[1]!.title).toBe(`${CK('dma.device-access-unmapped', 'ffe25000.ethernet')}device wrote 4 byte(s) at phys ${hex8(h)} outside every live DMA mapping of the device`);
  });

  it('dma.device-write-to-device-only and dma.device-read-from-device-only', () => {
    const r = rig();
    const v = r.run(() => ({ to: map(r, 64, DMA_TO_DEVICE).h, from: map(r, 64, DMA_FROM_DEVICE).h }));
    r.dev.busMaster.write32be(v.to + 4, 1);
    r.dev.busMaster.read32be(v.from + 8);
    expect(ids(r.b.reports)).toEqual(['dma.device-write-to-device-only', 'dma.device-read-from-device-only']);
    expect(r.b.reports[0]!.title).toBe(`${CK('dma.device-write-to-device-only')}device wrote 4 byte(s) at phys ${hex8(v.to + 4)} into a DMA_TO_DEVICE mapping [device address=${hex16(v.to)}] [size=64 bytes]`);
    expect(r.b.reports[1]!.title).toBe(`${CK('dma.device-read-from-device-only')}device read 4 byte(s) at phys ${hex8(v.from + 8)} from a DMA_FROM_DEVICE mapping [device address=${hex16(v.from)}] [size=64 bytes]`);
  });

  it('a FROM_DEVICE buffer the CPU only read goes back to the device without a for_device sync (the HOWTO allows it)', () => {
    const r = rig();
    const v = r.run(() => {
      const { buf, h } = map(r, 64, DMA_FROM_DEVICE);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
      ld_be32(buf); // the CPU reads, does not write
      return { buf, h };
    });
    r.dev.busMaster.write(v.h, pattern(16, 0), 0, 16);
    expect(r.b.reports).toEqual([]);
    // The buffer is the device's again: a CPU read now, without a new sync, is the bug.
    r.run(() => ld_be32(v.buf));
    expect(ids(r.b.reports)[0]).toBe('dma.cpu-access-device-owned');
  });

  it('dma.device-access-cpu-owned: the CPU wrote the buffer after sync_for_cpu and the device used it without sync_for_device', () => {
    const r = rig();
    const h = r.run(() => {
      const { buf, h } = map(r, 64, DMA_BIDIRECTIONAL);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_BIDIRECTIONAL);
      st_be32(buf, 0x01020304);
      return h;
    });
    r.dev.busMaster.write(h, pattern(16, 0), 0, 16);
    expect(only(r.b.reports, 'dma.device-access-cpu-owned').title).toBe(
      `${CK('dma.device-access-cpu-owned')}device wrote 16 byte(s) at phys ${hex8(h)} while the CPU owns the buffer [device address=${hex16(h)}] [size=64 bytes] [mapped with DMA_BIDIRECTIONAL]`,
    );
  });

  it('dma.device-read-dirty: the CPU wrote after sync_for_cpu and the buffer went back without sync_for_device', () => {
    const r = rig();
    const v = r.run(() => {
      const { buf, h } = map(r, 64, DMA_TO_DEVICE);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE);
      st_be32(buf + 32, 0x11223344); // dirties the second line
      return { buf, h };
    });
    const got = r.dev.busMaster.read32be(v.h + 32);
    expect(got).not.toBe(0x11223344); // the device really read the old RAM
    expect(ids(r.b.reports)).toEqual(['dma.device-access-cpu-owned', 'dma.device-read-dirty']);
    const c = r.b.reports[1]!;
    expect(c.title).toBe(`${CK('dma.device-read-dirty')}device read 4 byte(s) at phys ${hex8(v.h + 32)} while 1 cache line(s) of it are dirty in the CPU cache [device address=${hex16(v.h)}] [mapped with DMA_TO_DEVICE]`);
    expect(c.text).toContain('sync for the device after the last CPU write');
  });

  it('correct: device accesses inside live mappings in their direction, coherent memory at any time', () => {
    const r = rig();
    const v = r.run(() => {
      const to = map(r, 64, DMA_TO_DEVICE);
      st_be32(to.buf, 0); // (before the device reads, the driver re-syncs)
      dma_sync_single_for_device(r.dev, to.h, 64, DMA_TO_DEVICE);
      return { to: to.h, from: map(r, 64, DMA_FROM_DEVICE).h, bidi: map(r, 64, DMA_BIDIRECTIONAL).h, coh: (() => { const ref = dma_addr(); dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL); return ref.value; })() };
    });
    r.fresh();
    r.dev.busMaster.read32be(v.to);
    r.dev.busMaster.write(v.from, pattern(64, 0), 0, 64);
    r.dev.busMaster.read32be(v.bidi);
    r.dev.busMaster.write32be(v.bidi + 4, 1);
    r.dev.busMaster.write32be(v.coh + 100, 1);
    r.dev.busMaster.read32be(v.coh + 200);
    expect(ids(r.fresh())).toEqual([]);
  });
});

describe('shared cache lines (dma.cacheline-shared, dma.cacheline-written) and their symptom (dma.lost-write)', () => {
  it('a FROM_DEVICE buffer ending inside a line of a live object: can corrupt at map, will corrupt at the write, lost write at unmap', () => {
    const r = rig();
    const frame = pattern(36, 0x40);
    const v = r.run(() => {
      const obj = kmalloc(128, GFP_KERNEL)!; // buffer = obj+0..99, a status byte at obj+100
      const { h } = map(r, 100, DMA_FROM_DEVICE, obj);
      const atMap = ids(r.fresh());
      st_u8(obj + 100, 1);
      const atWrite = ids(r.fresh());
      r.dev.busMaster.write(h + 64, frame, 0, 36);
      dma_unmap_single(r.dev, h, 100, DMA_FROM_DEVICE); // unaligned end: dcbf, the dirty line wins
      return { obj, h, atMap, atWrite, tail: copy_to_host(obj + 96, 4) };
    });
    expect(v.atMap).toEqual(['dma.cacheline-shared']);
    expect(v.atWrite).toEqual(['dma.cacheline-written']);
    const [shared, written, lost] = r.b.reports;
    expect(shared!.title).toBe(`${CK('dma.cacheline-shared')}DMA_FROM_DEVICE mapping shares a cache line with other memory (can corrupt) [device address=${hex16(v.h)}] [size=100 bytes]`);
    expect(shared!.text).toContain(`28 byte(s) after it (kmalloc-128 object at 0x${v.obj.toString(16)})`);
    expect(written!.title).toBe(
      `${CK('dma.cacheline-written')}CPU write to 1 byte(s) at ${hex8(v.obj + 100)} shares a cache line with a DMA_FROM_DEVICE buffer the device owns (will corrupt) [device address=${hex16(v.h)}] [size=100 bytes]`,
    );
    expect(lost!.id).toBe('dma.lost-write');
    expect(lost!.title).toBe(`${CK('dma.lost-write')}a cache write-back destroyed data a device had written`);
    expect(lost!.text).toMatch(/Symptom: write-back of a dirty line overwrote data a device had written/);
    // the symptom is real: bytes 96..99 are not what the device wrote
    expect(Array.from(v.tail)).not.toEqual(Array.from(frame.subarray(32, 36)));
    const s = r.b.kernel.symptoms.entries;
    expect(s.map((x) => x.kind)).toEqual(['lost-write']);
    expect(lost!.details['symptom']).toEqual(s[0]);
  });

  it('the same buffer aligned to dma_get_cache_alignment(): nothing to report, the data arrives', () => {
    const r = rig();
    const v = r.run(() => {
      const obj = kmalloc(256, GFP_KERNEL)!; // buffer in the first 128 bytes (whole lines), status byte at +128
      const { h } = map(r, 128, DMA_FROM_DEVICE, obj);
      st_u8(obj + 128, 1);
      r.dev.busMaster.write(h + 64, pattern(64, 0x40), 0, 64);
      dma_unmap_single(r.dev, h, 128, DMA_FROM_DEVICE);
      return copy_to_host(obj + 64, 64);
    });
    expect(Array.from(v)).toEqual(Array.from(pattern(64, 0x40)));
    expect(r.b.reports).toEqual([]);
  });

  it('a free neighbour or a TO_DEVICE buffer is no risk: no cacheline-shared', () => {
    const r = rig();
    r.run(() => {
      const obj = kmalloc(128, GFP_KERNEL)!;
      map(r, 100, DMA_TO_DEVICE, obj);
    });
    expect(r.b.reports).toEqual([]);
  });
});

describe('dma.stale-read: the symptom linked to its rule', () => {
  it('a peek before the frame arrived, then a read without sync: the rule at the peek, the stale bytes at the read', () => {
    const r = rig();
    const frame = pattern(64, 0x80);
    const v = r.run(() => {
      const { buf, h } = map(r, 128, DMA_FROM_DEVICE);
      ld_be32(buf); // pulls line 0 into the cache
      r.dev.busMaster.write(h, frame, 0, 64);
      return { buf, h, seen: copy_to_host(buf, 16) };
    });
    expect(Array.from(v.seen)).not.toEqual(Array.from(frame.subarray(0, 16)));
    expect(ids(r.b.reports)).toEqual(['dma.cpu-access-device-owned', 'dma.stale-read']);
    const s = r.b.reports[1]!;
    expect(s.title).toBe(`${CK('dma.stale-read')}stale data read by the CPU`);
    expect(s.text).toMatch(new RegExp(`Symptom: read \\d+ stale byte\\(s\\) at ${hex8(v.buf)}`));
    expect(s.text).toContain('Cause: no dma_sync_single_for_cpu() after the device wrote');
    expect(r.b.kernel.symptoms.entries.map((x) => x.kind)).toEqual(['stale-read']);
  });

  it('a sync_for_cpu with the wrong direction (a clean, no invalidate) leaves stale lines: the cause says so', () => {
    const r = rig();
    const frame = pattern(32, 0x10);
    const v = r.run(() => {
      const { buf, h } = map(r, 64, DMA_FROM_DEVICE);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
      ld_be32(buf); // line cached while the CPU owns it (legal)
      dma_sync_single_for_device(r.dev, h, 64, DMA_FROM_DEVICE); // dcbi: dropped
      ld_be32(buf); // illegal peek: re-caches the line
      r.dev.busMaster.write(h, frame, 0, 32);
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE); // wrong direction: dcbst keeps the stale line
      return copy_to_host(buf, 32);
    });
    expect(Array.from(v)).not.toEqual(Array.from(frame));
    expect(ids(r.b.reports)).toEqual(['dma.cpu-access-device-owned', 'dma.sync-dir', 'dma.stale-read']);
    expect(r.b.reports[2]!.text).toContain('Cause: the last dma_sync_single_for_cpu() used DMA_TO_DEVICE (a clean, no invalidate) on a DMA_FROM_DEVICE mapping.');
  });
});

describe('dma.free-mapped: freeing memory under a live mapping', () => {
  it('kfree', () => {
    const r = rig();
    const v = r.run(() => {
      const { buf, h } = map(r, 64, DMA_FROM_DEVICE);
      kfree(buf);
      return { buf, h };
    });
    expect(ids(r.b.reports)).toEqual(['dma.free-mapped']); // kfree's own poisoning of the object is not a second report
    const c = only(r.b.reports, 'dma.free-mapped');
    expect(c.title).toBe(`${CK('dma.free-mapped')}kfree() of memory under a live DMA mapping [addr=${hex8(v.buf)}] [device address=${hex16(v.h)}] [size=64 bytes] [mapped with DMA_FROM_DEVICE]`);
    expect(c.text).toContain('DMA-API: Mapped at:');
  });

  it('free_pages of a mapped page (the mapping covers part of the block)', () => {
    const r = rig();
    const v = r.run(() => {
      const page = alloc_pages(GFP_KERNEL, 1)!;
      const va = page_address(page)!;
      const h = dma_map_page(r.dev, page, 4096 + 512, 256, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      free_pages(va, 1);
      return { va, h };
    });
    expect(only(r.b.reports, 'dma.free-mapped').title).toBe(
      `${CK('dma.free-mapped')}free_pages() of memory under a live DMA mapping [addr=${hex8(v.va + 4096)}] [device address=${hex16(v.h)}] [size=256 bytes] [mapped with DMA_TO_DEVICE]`,
    );
  });

  it('vfree of an area whose page is mapped with dma_map_page', () => {
    const r = rig();
    r.run(() => {
      const v = vmalloc(3 * 4096)!;
      const page = r.b.kernel.mm.vmalloc_to_page(v + 4096)!;
      const h = dma_map_page(r.dev, page, 0, 4096, DMA_BIDIRECTIONAL);
      dma_mapping_error(r.dev, h);
      vfree(v);
    });
    expect(only(r.b.reports, 'dma.free-mapped').title).toMatch(/^driverlab: dma\.free-mapped: DMA-API: gianfar ffe24000\.ethernet: vfree\(\) of memory under a live DMA mapping \[addr=0x[0-9a-f]{8}\] .*\[size=4096 bytes\] \[mapped with DMA_BIDIRECTIONAL\]$/);
  });

  it('dma_pool_free of a block the driver also mapped for streaming', () => {
    const r = rig();
    r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 64, 32, 0)!;
      const ref = dma_addr();
      const blk = dma_pool_alloc(pool, GFP_KERNEL, ref)!;
      const page = r.b.kernel.mm.pfn_to_page(Math.floor(ref.value / 4096));
      const h = dma_map_page(r.dev, page, ref.value % 4096, 64, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_pool_free(pool, blk, ref.value);
    });
    expect(only(r.b.reports, 'dma.free-mapped').title).toContain('dma_pool_free() of memory under a live DMA mapping');
  });

  it('correct: unmap first, then free; coherent memory is not a streaming mapping', () => {
    const r = rig();
    r.run(() => {
      const { buf, h } = map(r, 64, DMA_FROM_DEVICE);
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
      kfree(buf);
      const page = alloc_pages(GFP_KERNEL, 0)!;
      const hp = dma_map_page(r.dev, page, 0, 4096, DMA_TO_DEVICE);
      dma_mapping_error(r.dev, hp);
      dma_unmap_page(r.dev, hp, 4096, DMA_TO_DEVICE);
      free_pages(page_address(page)!, 0);
    });
    expect(r.b.reports).toEqual([]);
  });
});

describe('dma.unmap-in-flight', () => {
  it('unmap while the device model still claims the buffer', () => {
    const r = rig();
    const h = r.run(() => map(r, 1536, DMA_FROM_DEVICE).h);
    r.dev.busMaster.claim(h + 512, 1024);
    r.run(() => dma_unmap_single(r.dev, h, 1536, DMA_FROM_DEVICE));
    const c = only(r.b.reports, 'dma.unmap-in-flight');
    expect(c.title).toBe(
      `${CK('dma.unmap-in-flight')}dma_unmap_single() while the device still has DMA in flight on the buffer [device address=${hex16(h)}] [size=1536 bytes] [in flight: phys ${hex8(h + 512)}+1024]`,
    );
    expect(c.text).toContain('Make sure DMA activity has finished');
  });

  it('not reported once the device released it, or for a claim on other memory', () => {
    const r = rig();
    const h = r.run(() => map(r, 1536, DMA_FROM_DEVICE).h);
    r.dev.busMaster.claim(h, 1536);
    r.dev.busMaster.claim(h + 0x10000, 64);
    r.dev.busMaster.release(h, 1536);
    r.run(() => dma_unmap_single(r.dev, h, 1536, DMA_FROM_DEVICE));
    expect(r.b.reports).toEqual([]);
  });
});

describe('property: a correct driver is never flagged and always gets its data', () => {
  it('any buffers, directions and rounds, on either board, bounced or not', () => {
    const bufArb = fc.record({
      size: fc.integer({ min: 1, max: 3000 }),
      dir: fc.constantFrom(DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL),
      seed: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.array(bufArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), (coherent, bounce, bufs, rounds) => {
        const r = rig({ coherent, ...(bounce ? { bootargs: 'swiotlb=force' } : {}) });
        const bad = r.run(() => {
          const wrong: string[] = [];
          const maps = bufs.map((b, i) => {
            const buf = kmalloc(b.size, GFP_KERNEL)!;
            const expectDev = pattern(b.size, b.seed); // what the device must read next
            if (b.dir !== DMA_FROM_DEVICE) copy_from_host(buf, expectDev);
            const h = dma_map_single(r.dev, buf, b.size, b.dir);
            if (dma_mapping_error(r.dev, h)) throw new Error(`map ${i} failed`);
            return { ...b, buf, h, expectDev };
          });
          for (let round = 1; round <= rounds; round++) {
            for (const [i, m] of maps.entries()) {
              if (m.dir !== DMA_FROM_DEVICE) {
                const got = new Uint8Array(m.size);
                r.dev.busMaster.read(m.h, got, 0, m.size);
                if (!got.every((x, k) => x === m.expectDev[k])) wrong.push(`device read of buffer ${i}, round ${round}`);
              }
              const fromDev = pattern(m.size, m.seed + 7 * round);
              if (m.dir !== DMA_TO_DEVICE) r.dev.busMaster.write(m.h, fromDev, 0, m.size);
              dma_sync_single_for_cpu(r.dev, m.h, m.size, m.dir);
              if (m.dir !== DMA_TO_DEVICE && !copy_to_host(m.buf, m.size).every((x, k) => x === fromDev[k])) wrong.push(`CPU read of buffer ${i}, round ${round}`);
              if (m.dir !== DMA_FROM_DEVICE) {
                m.expectDev = pattern(m.size, m.seed + 13 * round);
                copy_from_host(m.buf, m.expectDev);
              }
              dma_sync_single_for_device(r.dev, m.h, m.size, m.dir);
            }
          }
          for (const m of maps) {
            dma_unmap_single(r.dev, m.h, m.size, m.dir);
            kfree(m.buf);
          }
          return wrong;
        });
        expect(bad).toEqual([]);
        expect(ids(r.b.reports)).toEqual([]);
        expect(r.b.kernel.symptoms.entries).toEqual([]);
        expect(r.b.kernel.dma.checker.pendingAtUnbind(r.dev)).toBe(0);
      }),
      { seed: 0xd1a, numRuns: 40 },
    );
  });
});
