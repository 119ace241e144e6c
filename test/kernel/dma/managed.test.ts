/** Managed DMA resources: dmam_alloc_coherent and dmam_pool_create are released when the driver detaches. */
import { describe, expect, it } from 'vitest';
import { platform_driver_register } from '../../../src/kernel/api/platform.js';
import { dma_addr, dma_alloc_coherent, dma_pool_alloc, dma_pool_free, dmam_alloc_coherent, dmam_free_coherent, dmam_pool_create } from '../../../src/kernel/dma/api.js';
import { driverCore } from '../../../src/kernel/driver/core.js';
import type { PlatformDevice, PlatformDriver } from '../../../src/kernel/driver/platform-device.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { run, toyBoard } from '../driver/helpers.js';

function driver(probe: (pdev: PlatformDevice) => number): PlatformDriver {
  return { probe, driver: { name: 'managed', of_match_table: [{ compatible: 'acme,other' }] } };
}

describe('managed DMA resources', () => {
  it('dmam_alloc_coherent and a dmam pool are released at unbind: no pending DMA, no leak', () => {
    const { board } = toyBoard();
    run(board, () =>
      platform_driver_register(
        driver((pdev) => {
          const h = dma_addr();
          if (dmam_alloc_coherent(pdev.dev, 4096, h, GFP_KERNEL) === null) return -12;
          const pool = dmam_pool_create('bd', pdev.dev, 64, 8, 0)!;
          const bh = dma_addr();
          const blk = dma_pool_alloc(pool, GFP_KERNEL, bh);
          if (blk === null) return -12;
          dma_pool_free(pool, blk, bh.value);
          return 0;
        }),
      ),
    );
    const dev = board.kernel.devices.get('ffe0a000.other')!;
    expect(board.kernel.dma.debug!.entries().filter((e) => e.dev === dev)).toHaveLength(2);
    const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(leaks).toEqual([]);
    expect(board.kernel.dma.debug!.entries().filter((e) => e.dev === dev)).toHaveLength(0);
    expect(board.reports).toEqual([]);
  });

  it('a managed pool destroyed with a block still out says "busy" and its page stays pending, as in Linux', () => {
    const { board } = toyBoard();
    run(board, () =>
      platform_driver_register(
        driver((pdev) => {
          const pool = dmam_pool_create('bd', pdev.dev, 64, 8, 0)!;
          return dma_pool_alloc(pool, GFP_KERNEL, dma_addr()) === null ? -12 : 0;
        }),
      ),
    );
    const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(board.reports.map((r) => r.id)).toContain('dma.pool-destroy-busy');
    expect(leaks.map((l) => l.kind)).toContain('dma');
  });

  it('an unmanaged dma_alloc_coherent left at unbind is dma-debug\'s "pending DMA allocations"', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register(driver((pdev) => (dma_alloc_coherent(pdev.dev, 4096, dma_addr(), GFP_KERNEL) === null ? -12 : 0))));
    const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(leaks.map((l) => l.kind)).toContain('dma');
    expect(board.reports.find((r) => r.id === 'dma.pending-at-unbind')?.title).toMatch(/device driver has pending DMA allocations while released from device \[count=1\]/);
  });

  it('dmam_free_coherent releases early and the release does not run again at unbind', () => {
    const { board } = toyBoard();
    run(board, () =>
      platform_driver_register(
        driver((pdev) => {
          const h = dma_addr();
          const va = dmam_alloc_coherent(pdev.dev, 4096, h, GFP_KERNEL)!;
          dmam_free_coherent(pdev.dev, 4096, va, h.value);
          return 0;
        }),
      ),
    );
    driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(board.reports.filter((r) => r.id.startsWith('dma.'))).toEqual([]);
  });
});
