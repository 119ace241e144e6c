/**
 * Coherent memory (reference §3.5) and dma_pool (§6): on the non-coherent board
 * dma_alloc_coherent hands out an uncached alias, so CPU and device see each other's writes at
 * once; freeing with interrupts disabled WARNs; a freed allocation's alias is gone. dma_pool
 * carves aligned, boundary-respecting blocks from coherent pages, poisons them, and reports
 * corruption, bad and double frees and a busy destroy in dmapool's words.
 */
import { describe, expect, it } from 'vitest';
import {
  dma_addr, dma_alloc_coherent, dma_debug_dump, dma_free_coherent, dma_pool_alloc, dma_pool_create, dma_pool_destroy, dma_pool_free, dma_pool_zalloc,
} from '../../../src/kernel/dma/api.js';
import { POOL_POISON_ALLOCATED, POOL_POISON_FREED } from '../../../src/kernel/dma/pool.js';
import { DMA_COHERENT_BASE, DMA_COHERENT_END, PAGE_OFFSET } from '../../../src/kernel/layout.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_to_host, ld_be32, memset, st_be32, st_u8 } from '../../../src/kernel/memaccess.js';
import { cacheOps, hex16, hex8, ids, only, PREFIX, rig } from './helpers.js';

describe('dma_alloc_coherent on the non-coherent board', () => {
  it('returns an uncached alias in the remap area, zeroed, with a page-aligned handle', () => {
    const r = rig();
    const v = r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 3000, ref, GFP_KERNEL)!;
      return { cpu, h: ref.value, bytes: copy_to_host(cpu, 4096) };
    });
    expect(v.cpu).toBeGreaterThanOrEqual(DMA_COHERENT_BASE);
    expect(v.cpu).toBeLessThan(DMA_COHERENT_END);
    expect(v.h % 4096).toBe(0);
    expect(v.bytes.every((x) => x === 0)).toBe(true);
    expect(r.b.reports).toEqual([]);
  });

  it('the handle is aligned to the allocation\'s page order (3 pages: a 16 KiB block)', () => {
    const r = rig();
    const h = r.run(() => {
      const ref = dma_addr();
      dma_alloc_coherent(r.dev, 3 * 4096, ref, GFP_KERNEL);
      return ref.value;
    });
    expect(h % 16384).toBe(0);
  });

  it('CPU stores reach the device at once and device writes reach the CPU at once: no sync, no cache line involved', () => {
    const r = rig();
    const v = r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
      const h = ref.value;
      const ops = cacheOps(r.b, () => {
        st_be32(cpu + 16, 0x8000_05dc); // a descriptor: READY | len
        expect(r.dev.busMaster.read32be(h + 16)).toBe(0x8000_05dc);
        expect(ld_be32(cpu + 32)).toBe(0); // the CPU reads it first…
        r.dev.busMaster.write32be(h + 32, 0x1234_5678); // …the device updates it…
        expect(ld_be32(cpu + 32)).toBe(0x1234_5678); // …and the CPU sees the new value
      });
      return { ops, h, cached: r.b.machine.cache.isCached(h + 16) || r.b.machine.cache.isCached(h + 32) };
    });
    expect(v.ops).toEqual([]);
    expect(v.cached).toBe(false);
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.symptoms.entries).toEqual([]);
  });

  it('on the coherent board the cached linear address is returned, and sharing works through the snooping cache', () => {
    const r = rig({ coherent: true });
    const v = r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
      st_be32(cpu, 0xcafe_f00d);
      const dev = r.dev.busMaster.read32be(ref.value);
      ld_be32(cpu + 4);
      r.dev.busMaster.write32be(ref.value + 4, 7);
      return { cpu, h: ref.value, dev, back: ld_be32(cpu + 4) };
    });
    expect(v.cpu).toBe(PAGE_OFFSET + v.h);
    expect(v.dev).toBe(0xcafe_f00d);
    expect(v.back).toBe(7);
    expect(r.b.reports).toEqual([]);
  });

  it('is a dma-debug "coherent" entry, DMA_BIDIRECTIONAL, until freed', () => {
    const r = rig();
    const dump = r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
      const live = dma_debug_dump();
      dma_free_coherent(r.dev, 4096, cpu, ref.value);
      return [live, dma_debug_dump()];
    });
    expect(dump[0]).toHaveLength(1);
    expect(dump[0]![0]).toMatch(/^gianfar ffe24000\.ethernet coherent idx 0 .* DMA_BIDIRECTIONAL dma map error check not applicable$/);
    expect(dump[1]).toEqual([]);
  });

  it('after dma_free_coherent the uncached alias is unmapped: a later access oopses', () => {
    const r = rig();
    const cpu = r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
      dma_free_coherent(r.dev, 4096, cpu, ref.value);
      return cpu;
    });
    const oops = r.oops(function gfar_poll_stale() {
      return ld_be32(cpu + 8);
    });
    expect(oops.title).toBe(`BUG: Unable to handle kernel data access on read at ${hex8(cpu + 8)}`);
  });

  it('freeing with a different size is dma.unmap-size', () => {
    const r = rig();
    const h = r.run(() => {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
      dma_free_coherent(r.dev, 2048, cpu, ref.value);
      return ref.value;
    });
    expect(only(r.b.reports, 'dma.unmap-size').title).toBe(
      `${PREFIX}device driver frees DMA memory with different size [device address=${hex16(h)}] [map size=4096 bytes] [unmap size=2048 bytes]`,
    );
  });
});

describe('dma_free_coherent with interrupts disabled: WARN_ON(irqs_disabled())', () => {
  it('WARNs (from kernel/dma/mapping.c) and still frees', () => {
    const r = rig();
    const v = r.run(function gfar_free_rings_in_irq() {
      const ref = dma_addr();
      const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
      r.b.kernel.ctx.irqsDisabled = true;
      dma_free_coherent(r.dev, 4096, cpu, ref.value);
      r.b.kernel.ctx.irqsDisabled = false;
      return dma_debug_dump();
    });
    const w = only(r.b.reports, 'dma.free-irqs-disabled');
    expect(w.kind).toBe('warn');
    expect(w.title).toMatch(/^WARNING: CPU: 0 PID: 1 at kernel\/dma\/mapping\.c:\d+ dma_free_coherent\+0x[0-9a-f]+\/0x[0-9a-f]+$/); // WARN_ON has no message
    expect(w.text.split('\n').slice(0, 2)).toEqual(['------------[ cut here ]------------', w.title]);
    expect(w.text).toMatch(/MSR: {2}00021000 <CE,ME>/); // EE clear: interrupts are off
    expect(w.text).toMatch(/gfar_free_rings_in_irq\+0x/);
    expect(v).toEqual([]);
  });

  it('WARNs even for a NULL cpu_addr (the check comes first), which is otherwise a no-op', () => {
    const r = rig();
    r.run(() => {
      dma_free_coherent(r.dev, 4096, null, 0);
      r.b.kernel.ctx.irqsDisabled = true;
      dma_free_coherent(r.dev, 4096, null, 0);
      r.b.kernel.ctx.irqsDisabled = false;
    });
    expect(ids(r.b.reports)).toEqual(['dma.free-irqs-disabled']);
  });

  it('no warning with interrupts enabled', () => {
    const r = rig();
    r.run(() => {
      const ref = dma_addr();
      dma_free_coherent(r.dev, 4096, dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL), ref.value);
    });
    expect(r.b.reports).toEqual([]);
  });
});

describe('dma_pool', () => {
  it('dma_pool_create refuses a NULL device, a bad alignment, a zero size and a bad boundary', () => {
    const r = rig();
    const v = r.run(() => [
      dma_pool_create('p', null, 64, 8, 0),
      dma_pool_create('p', r.dev, 64, 3, 0),
      dma_pool_create('p', r.dev, 0, 8, 0),
      dma_pool_create('p', r.dev, 64, 8, 32), // boundary < size
      dma_pool_create('p', r.dev, 64, 8, 96), // not a power of two
    ]);
    expect(v).toEqual([null, null, null, null, null]);
    const ok = r.run(() => dma_pool_create('a-rather-long-pool-name-of-more-than-32-bytes', r.dev, 20, 0, 0)!);
    expect(ok.name).toBe('a-rather-long-pool-name-of-more-'); // truncated to 32 bytes
    expect(ok.align).toBe(1); // 0 means 1
  });

  it('blocks are aligned, the size is rounded up to the alignment, and CPU and handle agree', () => {
    const r = rig();
    const v = r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 20, 16, 0)!;
      const blocks = Array.from({ length: 10 }, () => {
        const ref = dma_addr();
        const cpu = dma_pool_alloc(pool, GFP_KERNEL, ref)!;
        return { cpu, h: ref.value };
      });
      return { size: pool.size, blocks };
    });
    expect(v.size).toBe(32);
    for (const b of v.blocks) {
      expect(b.h % 16).toBe(0);
      expect(b.cpu - v.blocks[0]!.cpu).toBe(b.h - v.blocks[0]!.h);
    }
    expect(new Set(v.blocks.map((b) => b.h)).size).toBe(10);
  });

  it('no block crosses the boundary', () => {
    const r = rig();
    const v = r.run(() => {
      const pool = dma_pool_create('sg', r.dev, 96, 32, 256)!;
      return Array.from({ length: 40 }, () => {
        const ref = dma_addr();
        dma_pool_alloc(pool, GFP_KERNEL, ref);
        return ref.value;
      });
    });
    for (const h of v) expect(Math.floor(h / 256)).toBe(Math.floor((h + 95) / 256));
  });

  it('fresh blocks are poisoned 0xa9, zalloc ones are zero; freed blocks are poisoned 0xa7', () => {
    const r = rig();
    const v = r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 64, 32, 0)!;
      const ref = dma_addr();
      const a = dma_pool_alloc(pool, GFP_KERNEL, ref)!;
      const fresh = copy_to_host(a, 64);
      dma_pool_free(pool, a, ref.value);
      const freed = copy_to_host(a, 64);
      const z = dma_pool_zalloc(pool, GFP_KERNEL, dma_addr())!;
      return { fresh, freed, zeroed: copy_to_host(z, 64) };
    });
    expect(v.fresh.every((x) => x === POOL_POISON_ALLOCATED)).toBe(true);
    expect(v.freed.every((x) => x === POOL_POISON_FREED)).toBe(true);
    expect(v.zeroed.every((x) => x === 0)).toBe(true);
    expect(r.b.reports).toEqual([]);
  });

  it('dma.pool-corrupted: a write after free is found at the next alloc of the block', () => {
    const r = rig();
    const a = r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 64, 32, 0)!;
      const ref = dma_addr();
      const a = dma_pool_alloc(pool, GFP_KERNEL, ref)!;
      dma_pool_free(pool, a, ref.value);
      st_u8(a + 5, 0x42); // use after free
      expect(dma_pool_alloc(pool, GFP_KERNEL, dma_addr())).toBe(a);
      return a;
    });
    const c = only(r.b.reports, 'dma.pool-corrupted');
    expect(c.kind).toBe('bug');
    expect(c.title).toBe(`gianfar ffe24000.ethernet: dma_pool_alloc gfar-bd, ${hex8(a)} (corrupted)`);
    expect(c.text).toContain(`${hex8(a + 5)}: 42 a7 a7`);
  });

  it('dma.pool-double-free and dma.pool-bad-free, in dmapool\'s words', () => {
    const r = rig();
    const v = r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 64, 32, 0)!;
      const ref = dma_addr();
      const a = dma_pool_alloc(pool, GFP_KERNEL, ref)!;
      const b = dma_pool_alloc(pool, GFP_KERNEL, dma_addr())!;
      dma_pool_free(pool, a, ref.value);
      dma_pool_free(pool, a, ref.value); // double free
      dma_pool_free(pool, 0xd000_0000, 0x1000); // not from this pool
      dma_pool_free(pool, b, ref.value); // vaddr and dma disagree
      return { a, b, h: ref.value, busy: pool.busy };
    });
    expect(ids(r.b.reports)).toEqual(['dma.pool-double-free', 'dma.pool-bad-free', 'dma.pool-bad-free']);
    expect(r.b.reports.map((x) => x.title)).toEqual([
      `gianfar ffe24000.ethernet: dma_pool_free gfar-bd, dma ${hex8(v.h)} already free`,
      'gianfar ffe24000.ethernet: dma_pool_free gfar-bd, 0xd0000000/0x00001000 (bad dma)',
      `gianfar ffe24000.ethernet: dma_pool_free gfar-bd, ${hex8(v.b)} (bad vaddr)/${hex8(v.h)}`,
    ]);
    expect(v.busy).toBe(1); // on an error the block is not put back
  });

  it('dma.pool-destroy-busy: destroy with blocks out leaks the pool pages (they stay pending at unbind)', () => {
    const r = rig();
    r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 64, 32, 0)!;
      dma_pool_alloc(pool, GFP_KERNEL, dma_addr());
      dma_pool_destroy(pool);
    });
    const c = only(r.b.reports, 'dma.pool-destroy-busy');
    expect(c.title).toBe('driverlab: dma.pool-destroy-busy: dma_pool_destroy gfar-bd busy');
    expect(r.b.dmesg()).toContain('gianfar ffe24000.ethernet: dma_pool_destroy gfar-bd busy');
    expect(r.b.kernel.dma.checker.pendingAtUnbind(r.dev)).toBe(1);
  });

  it('a clean destroy gives every pool page back; destroying NULL is a no-op', () => {
    const r = rig();
    r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 1024, 32, 0)!;
      const got = Array.from({ length: 9 }, () => {
        const ref = dma_addr();
        return [dma_pool_alloc(pool, GFP_KERNEL, ref)!, ref.value] as const;
      });
      expect(pool.pages.length).toBe(3); // four 1 KiB blocks per page
      for (const [cpu, h] of got) dma_pool_free(pool, cpu, h);
      dma_pool_destroy(pool);
      dma_pool_destroy(null);
    });
    expect(r.b.kernel.dma.checker.pendingAtUnbind(r.dev)).toBe(0);
    expect(r.b.reports).toEqual([]);
  });

  it('pool blocks are coherent: descriptors written by the CPU are seen by the device without syncs', () => {
    const r = rig();
    r.run(() => {
      const pool = dma_pool_create('gfar-bd', r.dev, 8, 8, 0)!;
      const ref = dma_addr();
      const bd = dma_pool_zalloc(pool, GFP_KERNEL, ref)!;
      memset(bd, 0, 8);
      st_be32(bd + 4, 0x0fc0_0000);
      st_be32(bd, 0x8000_0600);
      expect(r.dev.busMaster.read32be(ref.value)).toBe(0x8000_0600);
      r.dev.busMaster.write32be(ref.value, 0x0000_0042);
      expect(ld_be32(bd)).toBe(0x42);
    });
    expect(r.b.reports).toEqual([]);
  });
});
