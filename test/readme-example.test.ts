/** The README's example, run as written (keep the two in step). */
import { expect, it } from 'vitest';
import { bootBoard, dma_map_single, dma_mapping_error, dma_unmap_single, kfree, kmalloc, ld_be16, DMA_FROM_DEVICE, GFP_KERNEL } from 'driverlab';

it('the README example catches the missing sync at the line that reads the buffer', () => {
  // README-BEGIN
  const board = bootBoard(); // the default e500v2 board: non-coherent
  const dev = board.kernel.createDevice('ffe24000.ethernet', { driver: 'mydrv' });
  const frame = Uint8Array.from({ length: 64 }, (_, i) => i);

  function my_rx(): number {
    const buf = kmalloc(1536, GFP_KERNEL)!;
    const dma = dma_map_single(dev, buf, 1536, DMA_FROM_DEVICE);
    if (dma_mapping_error(dev, dma)) return -12;
    dev.busMaster.write(dma, frame, 0, frame.length); // the device DMAs a frame in
    const type = ld_be16(buf + 12); // BUG: read before dma_sync_single_for_cpu()
    dma_unmap_single(dev, dma, 1536, DMA_FROM_DEVICE);
    kfree(buf);
    return type;
  }

  board.run(my_rx);
  for (const r of board.reports) console.log(r.text);
  // README-END
  expect(board.reports.map((r) => r.id)).toEqual(['dma.cpu-access-device-owned']);
  expect(board.reports[0]!.text).toMatch(/CPU read of 2 byte\(s\) at 0x[0-9a-f]{8} while the device owns the buffer/);
  expect(board.reports[0]!.text).toMatch(/my_rx\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/readme-example\.test\.ts:\d+\)/);
});

it("the README's driver-testing example passes with the reference driver", async () => {
  const { nicRig } = await import('driverlab/testing');
  const { gfar_driver: my_driver } = await import('../drivers/gianfar/gianfar.js');
  const rig = nicRig({ driver: my_driver, seed: 1 });
  expect(rig.up()).toBe(0);
  expect(rig.ping(500, (i) => 18 + (i % 1400))).toBe(500);
  expect(rig.down().leaks).toEqual([]);
  expect(rig.board.reports).toEqual([]);
});
