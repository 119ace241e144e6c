/**
 * DMA layer speed: map+unmap pairs and the receive-side sync + CPU read of a 1500-byte frame,
 * with the checker on (with and without "Mapped at" stacks) and off (dma_debug=off), and with 1
 * versus 100 000 other live mappings — the cost per operation must not grow with that number.
 */
import { bench, describe } from 'vitest';
import { bootBoard } from '../src/board/board.js';
import { withKernel } from '../src/kernel/current.js';
import { kmalloc } from '../src/kernel/api/mm.js';
import { dma_map_single, dma_mapping_error, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_unmap_single } from '../src/kernel/dma/api.js';
import { DMA_FROM_DEVICE, DMA_TO_DEVICE } from '../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../src/kernel/mm/gfp.js';
import type { Device } from '../src/kernel/device.js';
import type { Kernel } from '../src/kernel/kernel.js';

interface Rig {
  k: Kernel;
  dev: Device;
  buf: number;
  txBuf: number;
  dst: number;
  rxDma: number;
}

function rig(opts: { checks: boolean; stacks: boolean; live: number }): Rig {
  const b = bootBoard(undefined, { bootargs: opts.checks ? '' : 'dma_debug=off' });
  const k = b.kernel;
  if (k.dma.debug) k.dma.debug.api.recordStacks = opts.stacks;
  const dev = k.createDevice('ffe24000.ethernet', { driver: 'bench' });
  return withKernel(k, () => {
    for (let i = 0; i < opts.live; i++) {
      const p = kmalloc(32, GFP_KERNEL)!;
      dma_mapping_error(dev, dma_map_single(dev, p, 32, DMA_TO_DEVICE));
    }
    const buf = kmalloc(2048, GFP_KERNEL)!;
    const txBuf = kmalloc(2048, GFP_KERNEL)!;
    const dst = kmalloc(2048, GFP_KERNEL)!;
    const rxDma = dma_map_single(dev, buf, 1536, DMA_FROM_DEVICE);
    if (k.reports.length > 0) throw new Error(`the bench rig itself was reported: ${k.reports[0]!.title}`);
    return { k, dev, buf, txBuf, dst, rxDma };
  });
}

const variants = [
  { name: 'checker on, stacks on', checks: true, stacks: true },
  { name: 'checker on, no stacks', checks: true, stacks: false },
  { name: 'checker off (dma_debug=off)', checks: false, stacks: false },
];

for (const live of [1, 100_000]) {
  describe(`map + unmap pair, 1500 B TO_DEVICE, ${live} other live mapping(s)`, () => {
    for (const v of variants) {
      const r = rig({ ...v, live });
      const run = () => {
        const d = dma_map_single(r.dev, r.txBuf, 1500, DMA_TO_DEVICE);
        if (dma_mapping_error(r.dev, d)) throw new Error('mapping failed');
        dma_unmap_single(r.dev, d, 1500, DMA_TO_DEVICE);
      };
      bench(v.name, () => withKernel(r.k, run), {
        teardown: () => {
          if (r.k.reports.length > 0) throw new Error(`the bench was reported: ${r.k.reports[0]!.title}`);
        },
      });
    }
  });
}

for (const live of [1, 100_000]) {
  describe(`rx: device writes 1500 B, sync_for_cpu, CPU copies it out, sync_for_device — ${live} other live mapping(s)`, () => {
    for (const v of variants) {
      const r = rig({ ...v, live });
      const frame = new Uint8Array(1500).fill(0x5a);
      const run = () => {
        r.dev.busMaster.write(r.rxDma, frame, 0, 1500);
        dma_sync_single_for_cpu(r.dev, r.rxDma, 1500, DMA_FROM_DEVICE);
        r.k.machine.cpu.copy(r.dst, r.buf, 1500);
        dma_sync_single_for_device(r.dev, r.rxDma, 1500, DMA_FROM_DEVICE);
      };
      bench(v.name, () => withKernel(r.k, run));
    }
  });
}
