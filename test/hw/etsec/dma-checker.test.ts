/** The eTSEC on a booted board under the DMA checker: an RX buffer unmapped while the device is filling it is reported as DMA in flight; a clean RX path reports nothing. */
import { describe, expect, it } from 'vitest';
import { NO_IRQ } from '../../../src/hw/irq.js';
import { Etsec } from '../../../src/hw/etsec/index.js';
import * as L from '../../../src/hw/etsec/layout.js';
import { kmalloc } from '../../../src/kernel/api/mm.js';
import { dma_addr, dma_alloc_coherent, dma_map_single, dma_mapping_error, dma_sync_single_for_cpu, dma_unmap_single } from '../../../src/kernel/dma/api.js';
import { DMA_FROM_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { ld_be32, st_be32 } from '../../../src/kernel/memaccess.js';
import { only, rig } from '../../kernel/dma/helpers.js';
import { frame } from './helpers.js';

function setup() {
  const r = rig();
  const nic = new Etsec({ name: r.dev.name, busMaster: r.dev.busMaster, irqs: { tx: NO_IRQ, rx: NO_IRQ, err: NO_IRQ }, events: r.b.machine.events, mdioCycleNs: 0 });
  const w = (o: number, v: number): void => nic.write(o, 4, v >>> 0);
  const ring = r.run(() => {
    const ref = dma_addr();
    const cpu = dma_alloc_coherent(r.dev, 4096, ref, GFP_KERNEL)!;
    const buf = kmalloc(2048, GFP_KERNEL)!;
    const h = dma_map_single(r.dev, buf, 2048, DMA_FROM_DEVICE);
    expect(dma_mapping_error(r.dev, h)).toBe(0);
    st_be32(cpu + 4, h); // bufPtr, then the status word (EMPTY|INTERRUPT|WRAP)
    st_be32(cpu, ((L.RXBD_EMPTY | L.RXBD_INTERRUPT | L.RXBD_WRAP) << 16) >>> 0);
    return { cpu, bd: ref.value, buf, h };
  });
  w(L.MRBLR, 1536);
  w(L.MAXFRM, 1536);
  w(L.MACSTNADDR1, 0x01000000);
  w(L.MACSTNADDR2, 0x00020000);
  w(L.RBASE0, ring.bd);
  w(L.MACCFG1, L.MACCFG1_RX_EN);
  return { r, nic, ring };
}

const OURS = Uint8Array.of(2, 0, 0, 0, 0, 1);

describe('eTSEC claims under the DMA checker', () => {
  it('reports dma_unmap_single() of the RX buffer the device is filling', () => {
    const { r, nic, ring } = setup();
    nic.port.receiveFrame(frame(1000, OURS));
    expect(r.dev.busMaster.claims.length).toBe(1);
    r.run(() => dma_unmap_single(r.dev, ring.h, 2048, DMA_FROM_DEVICE));
    only(r.b.reports, 'dma.unmap-in-flight');
  });

  it('reports nothing when the driver waits for the BD, syncs and unmaps', () => {
    const { r, nic, ring } = setup();
    nic.port.receiveFrame(frame(1000, OURS));
    r.b.machine.events.advanceBy(10_000);
    const lstatus = r.run(() => ld_be32(ring.cpu));
    expect((lstatus >>> 16) & (L.RXBD_EMPTY | L.RXBD_LAST)).toBe(L.RXBD_LAST);
    expect(lstatus & 0xffff).toBe(1004);
    r.run(() => {
      dma_sync_single_for_cpu(r.dev, ring.h, 1004, DMA_FROM_DEVICE);
      dma_unmap_single(r.dev, ring.h, 2048, DMA_FROM_DEVICE);
    });
    expect(r.b.reports).toEqual([]);
  });
});
