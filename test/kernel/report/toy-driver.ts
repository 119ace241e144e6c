/**
 * A toy NIC driver used by the report tests and by docs/reports.md: it makes, on purpose, two of
 * the mistakes reports exist for (a sync on a bogus handle, an unmap of a handle it never mapped).
 * The DMA layer is stood in for by synthetic kernel frames, as the real one would add them.
 */
import { INSN, kernelFrame, type KernelOops, type Report, type Reporter } from '../../../src/kernel/report/index.js';

const PAGE_OFFSET = 0xc000_0000;
const DMA_FROM_DEVICE = 2;

/** What `dma_sync_single_for_device` does with a handle past the end of lowmem on ppc32: `dcbi` faults. */
function dma_sync_single_for_device(r: Reporter, handle: number, size: number): KernelOops {
  return r.oops({
    fault: { address: (handle + PAGE_OFFSET) >>> 0, access: 'write', insn: INSN.DCBI },
    frames: [kernelFrame('arch_sync_dma_for_device', { offset: 0x4c }), kernelFrame('__dma_sync_single_for_device', { offset: 0x38 })],
    gpr: { 3: (handle + PAGE_OFFSET) >>> 0, 4: size, 5: DMA_FROM_DEVICE },
    below: dma_sync_single_for_device,
    driver: 'toy_eth',
    device: 'ffe24000.ethernet',
  });
}

/** Gives a buffer back to the device, with a handle that was never mapped. */
export function toy_refill_rx(r: Reporter, slot: number): void {
  const handle = 0x3000_0000 + slot * 0x800; // bug: should be priv->rx_dma[slot]
  throw dma_sync_single_for_device(r, handle, 1536); // @refill-throw
}

/** NAPI poll: refills one RX slot. */
export function toy_poll(r: Reporter, budget: number): number {
  toy_refill_rx(r, budget - 1); // @poll-call
  return 0;
}

/** TX completion unmaps a handle the driver never mapped: dma-debug's WARN. */
export function toy_clean_tx(r: Reporter, handle: number): Report {
  return r.warn({
    id: 'dma.unmap-unknown',
    title: `DMA-API: toy_eth ffe24000.ethernet: device driver tries to free DMA memory it has not allocated [device address=0x${handle.toString(16).padStart(16, '0')}] [size=64 bytes]`,
    frames: [kernelFrame('check_unmap', { offset: 0x1d8 }), kernelFrame('debug_dma_unmap_page', { offset: 0x94 }), kernelFrame('dma_unmap_page_attrs', { offset: 0x5c })],
    site: { file: 'kernel/dma/debug.c', line: 1017 },
    driver: 'toy_eth',
    device: 'ffe24000.ethernet',
  });
}

/** The TX interrupt's work: cleans one descriptor. */
export function toy_tx_irq(r: Reporter): Report {
  return toy_clean_tx(r, 0x0123_4000); // @tx-irq-call
}
