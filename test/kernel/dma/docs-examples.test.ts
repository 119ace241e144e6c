/**
 * The example reports docs/dma.md shows, produced by the DMA layer itself from the small
 * gianfar-like driver functions below. Run with DRIVERLAB_SHOW=1 to print them; the test checks
 * that the document quotes each one verbatim.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { kfree, kmalloc, stack_buf, vmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_addr, dma_alloc_coherent, dma_debug_dump, dma_free_coherent, dma_map_sg, dma_map_single, dma_map_single_attrs, dma_mapping_error,
  dma_pool_alloc, dma_pool_create, dma_pool_destroy, dma_pool_free, dma_sync_sg_for_cpu, dma_sync_single_for_cpu, dma_sync_single_for_device,
  dma_unmap_sg, dma_unmap_single, dma_unmap_single_attrs,
} from '../../../src/kernel/dma/api.js';
import { sg_init_table, sg_set_buf } from '../../../src/kernel/dma/sg.js';
import { DMA_ATTR_SKIP_CPU_SYNC, DMA_BIDIRECTIONAL, DMA_BIT_MASK, DMA_FROM_DEVICE, DMA_MAPPING_ERROR, DMA_NONE, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import type { Device } from '../../../src/kernel/device.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { ld_be32, st_be32, st_u8 } from '../../../src/kernel/memaccess.js';
import { PAGE_OFFSET } from '../../../src/kernel/layout.js';
import type { Report } from '../../../src/kernel/report/types.js';
import { pattern, rig, type Rig } from './helpers.js';

/** The head of a report: a WARN up to its WARNING: line, a check up to its stack dump, a BUG/oops whole. */
function head(r: Report): string {
  const lines = r.text.split('\n');
  if (r.kind === 'warn') return lines.slice(0, lines.findIndex((l) => l.startsWith('WARNING: ')) + 1).join('\n');
  if (r.kind === 'check') return lines.slice(0, lines.findIndex((l) => l.startsWith('CPU: 0 PID: '))).join('\n');
  return r.text;
}

// ---- the toy driver's functions (their names and lines appear in the traces) --------------------

function gfar_new_rxbdp(dev: Device, size: number, dir = DMA_FROM_DEVICE): { buf: number; h: number } {
  const buf = kmalloc(size, GFP_KERNEL)!;
  const h = dma_map_single(dev, buf, size, dir);
  if (dma_mapping_error(dev, h)) throw new Error('mapping failed');
  return { buf, h };
}

function gfar_clean_tx_ring(dev: Device, h: number, len: number, dir = DMA_TO_DEVICE): void {
  dma_unmap_single(dev, h, len, dir);
}

function gfar_refill_rx(dev: Device, h: number, len: number, dir: number): void {
  dma_sync_single_for_device(dev, h, len, dir);
}

function gfar_clean_rx_ring(dev: Device, h: number, len: number, dir: number): void {
  dma_sync_single_for_cpu(dev, h, len, dir);
}

function examples(): Record<string, string> {
  const out: Record<string, string> = {};
  const one = (name: string, fn: (r: Rig) => void, opts: Parameters<typeof rig>[0] = {}, pick: (rs: Report[]) => Report[] = (rs) => rs, whole = false): void => {
    const r = rig(opts);
    try {
      r.b.run(fn.bind(null, r), { owner: r.dev.name }); // bound: the trace starts at the scenario's own named function
    } finally {
      out[name] = pick([...r.b.reports]).map((x) => (whole ? x.text : head(x))).join('\n');
    }
  };

  // dma-debug parity
  one('unmap-invalid', function gfar_unmap_invalid(r: Rig) {
    dma_unmap_single_attrs(r.dev, DMA_MAPPING_ERROR, 1536, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
  });
  one('unmap-unknown', function gfar_unmap_unknown(r: Rig) {
    const { h } = gfar_new_rxbdp(r.dev, 64, DMA_TO_DEVICE);
    gfar_clean_tx_ring(r.dev, h, 64);
    gfar_clean_tx_ring(r.dev, h, 64);
  });
  one('unmap-size', function gfar_close(r: Rig) {
    gfar_clean_tx_ring(r.dev, gfar_new_rxbdp(r.dev, 1536, DMA_TO_DEVICE).h, 42);
  }, {}, (rs) => rs, true);
  one('unmap-type', function gfar_unmap_type(r: Rig) {
    const ref = dma_addr();
    dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL);
    dma_unmap_single(r.dev, ref.value, 4096, DMA_BIDIRECTIONAL);
  });
  one('free-cpu-addr', function gfar_free_cpu_addr(r: Rig) {
    const ref = dma_addr();
    const cpu = dma_alloc_coherent(r.dev, 8192, ref, GFP_KERNEL)!;
    dma_free_coherent(r.dev, 8192, cpu + 4096, ref.value);
  });
  one('unmap-sg-nents', function gfar_unmap_sg_nents(r: Rig) {
    const sgl = sg_init_table(3);
    for (const sg of sgl) sg_set_buf(sg, kmalloc(256, GFP_KERNEL)!, 256);
    dma_map_sg(r.dev, sgl, 3, DMA_TO_DEVICE);
    dma_unmap_sg(r.dev, sgl, 2, DMA_TO_DEVICE);
  }, {}, (rs) => rs.slice(0, 1));
  one('unmap-dir', function gfar_unmap_dir(r: Rig) {
    gfar_clean_tx_ring(r.dev, gfar_new_rxbdp(r.dev, 64, DMA_TO_DEVICE).h, 64, DMA_FROM_DEVICE);
  });
  one('map-err-unchecked', function gfar_map_err_unchecked(r: Rig) {
    const buf = kmalloc(64, GFP_KERNEL)!;
    gfar_clean_tx_ring(r.dev, dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE), 64);
  });
  one('sync-unknown', function gfar_sync_unknown(r: Rig) {
    const { h } = gfar_new_rxbdp(r.dev, 1536);
    dma_unmap_single(r.dev, h, 1536, DMA_FROM_DEVICE);
    gfar_refill_rx(r.dev, h, 1536, DMA_FROM_DEVICE);
  });
  one('sync-dir-ro', function gfar_sync_dir_ro(r: Rig) {
    gfar_clean_rx_ring(r.dev, gfar_new_rxbdp(r.dev, 64, DMA_TO_DEVICE).h, 64, DMA_FROM_DEVICE);
  });
  one('sync-dir-wo', function gfar_sync_dir_wo(r: Rig) {
    gfar_refill_rx(r.dev, gfar_new_rxbdp(r.dev, 64).h, 64, DMA_BIDIRECTIONAL);
  });
  one('sync-sg-nents', function gfar_sync_sg_nents(r: Rig) {
    const sgl = sg_init_table(2);
    for (const sg of sgl) sg_set_buf(sg, kmalloc(256, GFP_KERNEL)!, 256);
    dma_map_sg(r.dev, sgl, 2, DMA_FROM_DEVICE);
    dma_sync_sg_for_cpu(r.dev, sgl, 1, DMA_FROM_DEVICE);
  });
  one('map-stack', function gfar_map_stack(r: Rig) {
    dma_map_single(r.dev, stack_buf(64), 64, DMA_TO_DEVICE);
  });
  one('map-text-rodata', function gfar_map_text_rodata(r: Rig) {
    dma_map_single(r.dev, PAGE_OFFSET + 0x2000, 100, DMA_TO_DEVICE);
  });
  one('map-invalid-area', function gfar_map_invalid_area(r: Rig) {
    dma_map_single(r.dev, 0xd000_4000, 64, DMA_TO_DEVICE);
  }, {}, (rs) => rs.slice(0, 1));
  one('cacheline-overlap', function gfar_cacheline_overlap(r: Rig) {
    const obj = kmalloc(128, GFP_KERNEL)!;
    dma_map_single_attrs(r.dev, obj, 64, DMA_FROM_DEVICE, 0);
    dma_map_single(r.dev, obj, 32, DMA_FROM_DEVICE);
  });
  one('overlap-overflow', function gfar_overlap_overflow(r: Rig) {
    const obj = kmalloc(64, GFP_KERNEL)!;
    for (let i = 0; i < 8; i++) dma_map_single_attrs(r.dev, obj, 64, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
  });
  one('pending-at-unbind', function gfar_probe(r: Rig) {
    gfar_new_rxbdp(r.dev, 1536);
    dma_alloc_coherent(r.dev, 4096, dma_addr(), GFP_KERNEL);
    r.b.kernel.dma.checker.pendingAtUnbind(r.dev);
  }, {}, (rs) => rs, true);
  one('sg-seg-long', function gfar_sg_seg_long(r: Rig) {
    r.dev.maxSegmentSize = 1024;
    const sgl = sg_init_table(1);
    sg_set_buf(sgl[0]!, kmalloc(2048, GFP_KERNEL)!, 2048);
    dma_map_sg(r.dev, sgl, 1, DMA_TO_DEVICE);
  });
  one('sg-seg-boundary', function gfar_sg_seg_boundary(r: Rig) {
    r.dev.segBoundaryMask = 0xfff;
    const sgl = sg_init_table(1);
    sg_set_buf(sgl[0]!, kmalloc(8192, GFP_KERNEL)! + 3584, 1024);
    dma_map_sg(r.dev, sgl, 1, DMA_TO_DEVICE);
  });
  one('dump', function gfar_dump(r: Rig) {
    gfar_new_rxbdp(r.dev, 1536);
    const buf = kmalloc(64, GFP_KERNEL)!;
    dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
    dma_alloc_coherent(r.dev, 4096, dma_addr(), GFP_KERNEL);
    out['dump-lines'] = dma_debug_dump().join('\n');
  });
  delete out['dump']; // no report: the dump lines are the example

  // core behaviours
  one('oops', function gfar_poll(r: Rig) {
    gfar_refill_rx(r.dev, 0x3f00_0000, 1536, DMA_FROM_DEVICE);
  }, {}, (rs) => rs, true);
  one('stale-handle', function gfar_stale_handle(r: Rig) {
    const { buf, h } = gfar_new_rxbdp(r.dev, 64);
    dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
    kfree(buf);
    gfar_refill_rx(r.dev, h, 64, DMA_FROM_DEVICE);
  });
  one('mapping-error-oops', function gfar_poll_err(r: Rig) {
    gfar_refill_rx(r.dev, DMA_MAPPING_ERROR, 1536, DMA_FROM_DEVICE);
  }, {}, (rs) => rs, true);
  one('dma-none', function gfar_poll_none(r: Rig) {
    gfar_refill_rx(r.dev, 0x0100_0000, 1536, DMA_NONE);
  }, {}, (rs) => rs, true);
  one('vmalloc-rejected', function gfar_vmalloc_rejected(r: Rig) {
    dma_map_single(r.dev, vmalloc(4096)!, 64, DMA_TO_DEVICE);
  });
  one('addr-overflow', function gfar_addr_overflow(r: Rig) {
    r.dev.dmaMask = DMA_BIT_MASK(20);
    gfar_new_rxbdp(r.dev, 64);
  }, {}, (rs) => rs.slice(0, 1));
  one('swiotlb-full', function gfar_swiotlb_full(r: Rig) {
    dma_map_single(r.dev, kmalloc(262145, GFP_KERNEL)!, 262145, DMA_TO_DEVICE);
    out['swiotlb-full-log'] = r.b.dmesg().split('\n').filter((l) => l.includes('swiotlb buffer is full')).map((l) => l.replace(/^\[[ 0-9.]+\] /, '')).join('\n');
  }, { bootargs: 'swiotlb=force' });
  delete out['swiotlb-full']; // no report: the log line is the example
  one('free-irqs-disabled', function gfar_free_irqs_disabled(r: Rig) {
    const ref = dma_addr();
    const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
    r.b.kernel.ctx.irqsDisabled = true;
    dma_free_coherent(r.dev, 4096, cpu, ref.value);
    r.b.kernel.ctx.irqsDisabled = false;
  });

  // beyond dma-debug
  one('cpu-access-device-owned', function gfar_cpu_access_device_owned(r: Rig) {
    ld_be32(gfar_new_rxbdp(r.dev, 1536).buf + 12);
  });
  one('cpu-write-from-device', function gfar_cpu_write_from_device(r: Rig) {
    const { buf, h } = gfar_new_rxbdp(r.dev, 1536);
    gfar_clean_rx_ring(r.dev, h, 1536, DMA_FROM_DEVICE);
    st_be32(buf, 0);
  });
  one('device-access-unmapped', function gfar_device_access_unmapped(r: Rig) {
    const { h } = gfar_new_rxbdp(r.dev, 1536);
    dma_unmap_single(r.dev, h, 1536, DMA_FROM_DEVICE);
    r.dev.busMaster.write(h, pattern(64, 0), 0, 64);
  });
  one('device-write-to-device-only', function gfar_device_write_to_device_only(r: Rig) {
    r.dev.busMaster.write32be(gfar_new_rxbdp(r.dev, 64, DMA_TO_DEVICE).h, 1);
  });
  one('device-read-from-device-only', function gfar_device_read_from_device_only(r: Rig) {
    r.dev.busMaster.read32be(gfar_new_rxbdp(r.dev, 64).h);
  });
  one('device-access-cpu-owned', function gfar_device_access_cpu_owned(r: Rig) {
    const { buf, h } = gfar_new_rxbdp(r.dev, 1536, DMA_BIDIRECTIONAL);
    gfar_clean_rx_ring(r.dev, h, 1536, DMA_BIDIRECTIONAL);
    st_be32(buf, 0x01020304); // the CPU writes while it owns the buffer, then hands it back without a sync
    r.dev.busMaster.write(h, pattern(64, 0), 0, 64);
  });
  one('device-read-dirty', function gfar_device_read_dirty(r: Rig) {
    const { buf, h } = gfar_new_rxbdp(r.dev, 64, DMA_TO_DEVICE);
    gfar_clean_rx_ring(r.dev, h, 64, DMA_TO_DEVICE);
    st_be32(buf + 32, 0x11223344);
    r.dev.busMaster.read32be(h + 32);
  }, {}, (rs) => rs.filter((x) => x.id === 'dma.device-read-dirty'));
  one('shared-line', function gfar_shared_line(r: Rig) {
    const obj = kmalloc(128, GFP_KERNEL)!;
    const h = dma_map_single(r.dev, obj, 100, DMA_FROM_DEVICE);
    dma_mapping_error(r.dev, h);
    st_u8(obj + 100, 1);
    r.dev.busMaster.write(h + 64, pattern(36, 0x40), 0, 36);
    dma_unmap_single(r.dev, h, 100, DMA_FROM_DEVICE);
  }, {}, (rs) => rs.slice(0, 2));
  one('lost-write', function gfar_rx_status(r: Rig) {
    const obj = kmalloc(128, GFP_KERNEL)!;
    const h = dma_map_single(r.dev, obj, 100, DMA_FROM_DEVICE);
    dma_mapping_error(r.dev, h);
    st_u8(obj + 100, 1);
    r.dev.busMaster.write(h + 64, pattern(36, 0x40), 0, 36);
    dma_unmap_single(r.dev, h, 100, DMA_FROM_DEVICE);
  }, {}, (rs) => rs.slice(2), true);
  one('stale-read', function gfar_poll_nosync(r: Rig) {
    const { buf, h } = gfar_new_rxbdp(r.dev, 128);
    ld_be32(buf);
    r.dev.busMaster.write(h, pattern(64, 0x80), 0, 64);
    ld_be32(buf + 4);
  }, {}, (rs) => rs, true);
  one('free-mapped', function gfar_free_mapped(r: Rig) {
    kfree(gfar_new_rxbdp(r.dev, 1536).buf);
  });
  one('unmap-in-flight', function gfar_unmap_in_flight(r: Rig) {
    const { h } = gfar_new_rxbdp(r.dev, 1536);
    r.dev.busMaster.claim(h, 1536);
    dma_unmap_single(r.dev, h, 1536, DMA_FROM_DEVICE);
  });

  // dma_pool
  one('pool', function gfar_pool(r: Rig) {
    const pool = dma_pool_create('gfar-bd', r.dev, 64, 32, 0)!;
    const ref = dma_addr();
    const a = dma_pool_alloc(pool, GFP_KERNEL, ref)!;
    dma_pool_free(pool, a, ref.value);
    st_u8(a + 5, 0x42);
    const b = dma_pool_alloc(pool, GFP_KERNEL, dma_addr())!;
    dma_pool_free(pool, b, ref.value + 64);
    dma_pool_free(pool, b, ref.value);
    dma_pool_free(pool, b, ref.value);
    dma_pool_alloc(pool, GFP_KERNEL, dma_addr());
    dma_pool_destroy(pool);
  });
  return out;
}

it('docs/dma.md quotes the reports the DMA layer makes', () => {
  const ex = examples();
  if (process.env['DRIVERLAB_SHOW']) for (const [k, t] of Object.entries(ex)) console.log(`--- ${k}\n${t}`);
  const doc = readFileSync(new URL('../../../docs/dma.md', import.meta.url), 'utf8');
  for (const [name, text] of Object.entries(ex)) {
    expect(text.length, `example ${name} is empty`).toBeGreaterThan(0);
    expect(doc.includes(text), `docs/dma.md should contain the ${name} example:\n${text}`).toBe(true);
  }
});
