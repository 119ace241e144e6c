/**
 * The same buggy sequences on the non-coherent board and its coherent twin (COHERENT_BOARD):
 * the rule reports still fire on the coherent board — the driver is just as wrong — but the data
 * symptoms do not, because the cache snoops the device. The checks that are about non-coherence
 * itself (a shared cache line, a device reading behind dirty lines) and the bad-handle oops (no
 * arch sync on a coherent device) are the exceptions, each stated below.
 */
import { describe, expect, it } from 'vitest';
import { kfree, kmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_map_single, dma_mapping_error, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_unmap_single,
} from '../../../src/kernel/dma/api.js';
import { DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_NONE, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_from_host, copy_to_host, ld_be32, st_be32, st_u8 } from '../../../src/kernel/memaccess.js';
import { ids, pattern, rig, type Rig } from './helpers.js';

/** A buggy sequence: runs on a board and says whether the data came out right. */
interface Scenario {
  readonly name: string;
  readonly run: (r: Rig) => boolean;
  /** Report ids on the non-coherent board, and on the coherent one. */
  readonly nonCoherent: string[];
  readonly coherent: string[];
  /** Whether the data really goes wrong on the non-coherent board (it never does on the coherent one). */
  readonly corrupts: boolean;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const SCENARIOS: Scenario[] = [
  {
    name: 'missing dma_sync_single_for_cpu: the CPU peeked before the frame arrived and reads without a sync',
    run: (r) => {
      const frame = pattern(64, 0xa0);
      return r.run(() => {
        const buf = kmalloc(128, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 128, DMA_FROM_DEVICE);
        dma_mapping_error(r.dev, h);
        ld_be32(buf);
        r.dev.busMaster.write(h, frame, 0, 64);
        return same(copy_to_host(buf, 64), frame);
      });
    },
    nonCoherent: ['dma.cpu-access-device-owned', 'dma.stale-read'],
    coherent: ['dma.cpu-access-device-owned'],
    corrupts: true,
  },
  {
    name: 'sync_for_cpu with the wrong direction (DMA_TO_DEVICE on a FROM_DEVICE mapping)',
    run: (r) => {
      const frame = pattern(32, 0x21);
      return r.run(() => {
        const buf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
        dma_mapping_error(r.dev, h);
        dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
        ld_be32(buf); // the CPU owns it: caching it is fine
        dma_sync_single_for_device(r.dev, h, 64, DMA_FROM_DEVICE);
        r.dev.busMaster.write(h, frame, 0, 32);
        dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE);
        return same(copy_to_host(buf, 32), frame);
      });
    },
    nonCoherent: ['dma.sync-dir'], // dcbi at for_device dropped the line: the data survives by luck
    coherent: ['dma.sync-dir'],
    corrupts: false,
  },
  {
    name: 'a status byte written in the last cache line of a FROM_DEVICE buffer',
    run: (r) => {
      const frame = pattern(36, 0x40);
      return r.run(() => {
        const obj = kmalloc(128, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, obj, 100, DMA_FROM_DEVICE);
        dma_mapping_error(r.dev, h);
        st_u8(obj + 100, 1);
        r.dev.busMaster.write(h + 64, frame, 0, 36);
        dma_unmap_single(r.dev, h, 100, DMA_FROM_DEVICE);
        return same(copy_to_host(obj + 64, 36), frame);
      });
    },
    nonCoherent: ['dma.cacheline-shared', 'dma.cacheline-written', 'dma.lost-write'],
    coherent: [], // sharing a line is harmless where the cache snoops: nothing to report
    corrupts: true,
  },
  {
    name: 'the CPU writes a TO_DEVICE buffer after mapping it (no sync_for_device after the last write)',
    run: (r) => {
      return r.run(() => {
        const buf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
        dma_mapping_error(r.dev, h);
        st_be32(buf, 0xfeedface);
        return r.dev.busMaster.read32be(h) === 0xfeedface;
      });
    },
    nonCoherent: ['dma.cpu-access-device-owned', 'dma.device-read-dirty'],
    coherent: ['dma.cpu-access-device-owned'],
    corrupts: true,
  },
  {
    name: 'the CPU writes a BIDIRECTIONAL buffer while the device owns it, and the device wrote it too',
    run: (r) => {
      const frame = pattern(32, 0x77);
      return r.run(() => {
        const buf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 64, DMA_BIDIRECTIONAL);
        dma_mapping_error(r.dev, h);
        st_u8(buf + 40, 9); // second line dirty in the cache
        r.dev.busMaster.write(h + 32, frame, 0, 32);
        dma_sync_single_for_cpu(r.dev, h, 64, DMA_BIDIRECTIONAL); // dcbf: the dirty copy wins
        return same(copy_to_host(buf + 32, 32), frame);
      });
    },
    nonCoherent: ['dma.cpu-access-device-owned', 'dma.lost-write'],
    coherent: ['dma.cpu-access-device-owned'],
    corrupts: true,
  },
  {
    name: 'a stale handle synced for the device after the buffer was unmapped, freed and reused',
    run: (r) => {
      const data = pattern(64, 0x5a);
      return r.run(() => {
        const buf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
        dma_mapping_error(r.dev, h);
        dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
        kfree(buf);
        const other = kmalloc(64, GFP_KERNEL)!;
        copy_from_host(other, data);
        dma_sync_single_for_device(r.dev, h, 64, DMA_FROM_DEVICE);
        return same(copy_to_host(other, 64), data);
      });
    },
    nonCoherent: ['dma.sync-unknown'],
    coherent: ['dma.sync-unknown'],
    corrupts: true,
  },
  {
    name: 'kfree of a buffer the device still has mapped',
    run: (r) =>
      r.run(() => {
        const buf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
        dma_mapping_error(r.dev, h);
        kfree(buf);
        return true;
      }),
    nonCoherent: ['dma.free-mapped'],
    coherent: ['dma.free-mapped'],
    corrupts: false,
  },
  {
    name: 'double unmap and a wrong-direction unmap',
    run: (r) =>
      r.run(() => {
        const buf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
        dma_mapping_error(r.dev, h);
        dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
        dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
        return true;
      }),
    nonCoherent: ['dma.unmap-dir', 'dma.unmap-unknown'],
    coherent: ['dma.unmap-dir', 'dma.unmap-unknown'],
    corrupts: false,
  },
  {
    name: 'two receive buffers starting in the same cache line',
    run: (r) =>
      r.run(() => {
        const obj = kmalloc(128, GFP_KERNEL)!;
        dma_map_single(r.dev, obj, 64, DMA_FROM_DEVICE);
        dma_map_single(r.dev, obj + 16, 48, DMA_FROM_DEVICE);
        return true;
      }),
    nonCoherent: ['dma.cacheline-overlap', 'dma.cacheline-shared'], // the second buffer's head shares its line
    coherent: ['dma.cacheline-overlap'], // dma-debug's check does not look at coherence
    corrupts: false,
  },
  {
    name: 'the device writes again after the driver synced the buffer for the CPU, and the driver reads it without a new sync',
    run: (r) => {
      const v = r.run(() => {
        const buf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
        dma_mapping_error(r.dev, h);
        dma_sync_single_for_cpu(r.dev, h, 64, DMA_FROM_DEVICE);
        return { buf, h };
      });
      r.dev.busMaster.write(v.h, pattern(16, 0), 0, 16);
      r.run(() => ld_be32(v.buf));
      return true;
    },
    nonCoherent: ['dma.cpu-access-device-owned'],
    coherent: ['dma.cpu-access-device-owned'],
    corrupts: false,
  },
];

describe.each(SCENARIOS)('$name', (s) => {
  it('non-coherent board: the rule reports, and the data goes wrong where the bug corrupts', () => {
    const r = rig();
    const ok = s.run(r);
    expect(ids(r.b.reports)).toEqual(s.nonCoherent);
    expect(ok).toBe(!s.corrupts);
  });

  it('coherent board: the rules still fire, and no byte goes wrong', () => {
    const r = rig({ coherent: true });
    const ok = s.run(r);
    expect(ids(r.b.reports)).toEqual(s.coherent);
    expect(ok).toBe(true);
    expect(r.b.kernel.symptoms.entries).toEqual([]);
  });
});

describe('bad handles on the coherent board', () => {
  it('a garbage handle past lowmem: no arch sync on a coherent device, so no oops — dma-debug warns instead', () => {
    const r = rig({ coherent: true });
    r.run(() => dma_sync_single_for_device(r.dev, 0x3f00_0000, 64, DMA_FROM_DEVICE));
    expect(ids(r.b.reports)).toEqual(['dma.sync-unknown']);
    expect(r.b.kernel.reporter.oopsCount).toBe(0);
  });

  it('DMA_NONE is a kernel BUG on any board', () => {
    const r = rig({ coherent: true });
    expect(r.oops(() => dma_sync_single_for_device(r.dev, 0x1000, 64, DMA_NONE)).id).toBe('dma.bug-dma-none');
  });

  it('a device marked dma-coherent on the non-coherent board behaves like the coherent board', () => {
    const r = rig();
    const dev = r.b.kernel.createDevice('ffe26000.ethernet', { driver: 'gianfar', dmaCoherent: true });
    const frame = pattern(64, 0x13);
    const ok = r.run(() => {
      const buf = kmalloc(128, GFP_KERNEL)!;
      const h = dma_map_single(dev, buf, 128, DMA_FROM_DEVICE);
      dma_mapping_error(dev, h);
      ld_be32(buf);
      dev.busMaster.write(h, frame, 0, 64);
      return same(copy_to_host(buf, 64), frame);
    });
    expect(ok).toBe(true);
    expect(ids(r.b.reports)).toEqual(['dma.cpu-access-device-owned']);
  });
});
