/** Leak checks at unbind: kmalloc memory, ioremap mappings, claimed regions, DMA (through dma-debug) and checks other layers register. */
import { afterEach, describe, expect, it } from 'vitest';
import { kmalloc, kzalloc, vmalloc } from '../../../src/kernel/api/mm.js';
import { ioremap, request_mem_region } from '../../../src/kernel/api/io.js';
import { platform_driver_register } from '../../../src/kernel/api/platform.js';
import { dma_addr, dma_alloc_coherent } from '../../../src/kernel/dma/api.js';
import { driverCore } from '../../../src/kernel/driver/core.js';
import { onUnbind } from '../../../src/kernel/driver/unbind-checks.js';
import type { PlatformDriver } from '../../../src/kernel/driver/platform-device.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { EINVAL } from '../../../src/kernel/driver/errno.js';
import { run, toyBoard } from './helpers.js';

function leaky(probe: NonNullable<PlatformDriver['probe']>): PlatformDriver {
  return { probe, driver: { name: 'leaky', of_match_table: [{ compatible: 'acme,other' }] } };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('leak reports at unbind', () => {
  it('kmalloc memory allocated in probe and never freed is reported with each object', () => {
    const { board } = toyBoard();
    const ptrs: number[] = [];
    run(board, () => platform_driver_register(leaky(() => (ptrs.push(kmalloc(100, GFP_KERNEL)!, kzalloc(40, GFP_KERNEL)!), 0))));
    const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(leaks.map((l) => l.kind)).toEqual(['kmalloc']);
    const r = board.reports.find((x) => x.id === 'driver.leak.kmalloc')!;
    expect(r.title).toBe('driverlab: driver.leak.kmalloc: leaky ffe0a000.other: 2 kmalloc object(s) (140 bytes) allocated by the driver still live after unbind');
    expect(r.text).toContain(`unreferenced object 0x${ptrs[0]!.toString(16)} (size 100): kmalloc-128`);
    expect(r.driver).toBe('leaky');
    expect(r.device).toBe('ffe0a000.other');
  });

  it('vmalloc areas are reported as such, and a leak is reported once across rebinds', () => {
    const { board } = toyBoard();
    let first = true;
    run(board, () => platform_driver_register(leaky(() => (first && vmalloc(8192), (first = false), 0))));
    const bus = driverCore(board.kernel).bus;
    expect(bus.unbind('ffe0a000.other').leaks.map((l) => l.kind)).toEqual(['vmalloc']);
    expect(bus.bind('ffe0a000.other', 'leaky')).toBe(0);
    expect(bus.unbind('ffe0a000.other').leaks).toEqual([]);
    expect(board.reports.filter((r) => r.id.startsWith('driver.leak.')).length).toBe(1);
  });

  it('an ioremap without iounmap and a region never released are reported', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register(leaky(() => (ioremap(0xffe0_a000, 0x100), request_mem_region(0xffe0_a000, 0x100, 'other'), 0))));
    const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(leaks.map((l) => l.kind).sort()).toEqual(['iomem', 'ioremap']);
    expect(board.reports.find((r) => r.id === 'driver.leak.ioremap')!.title).toMatch(/^driverlab: driver\.leak\.ioremap: leaky ffe0a000\.other: ioremap of \[mem 0xffe0a000-0xffe0a0ff\] at 0x[0-9a-f]{8} still mapped after unbind \(missing iounmap\)$/);
    expect(board.reports.find((r) => r.id === 'driver.leak.iomem')!.title).toContain('memory region [mem 0xffe0a000-0xffe0a0ff] "other" still requested after unbind');
  });

  it('coherent DMA memory still allocated is reported by dma-debug in its own words', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register(leaky((p) => (dma_alloc_coherent(p.dev, 4096, dma_addr(), GFP_KERNEL), 0))));
    const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(leaks.map((l) => l.kind)).toContain('dma');
    const dma = leaks.find((l) => l.kind === 'dma')!;
    expect(dma.report?.text).toContain('device driver has pending DMA allocations while released from device [count=1]');
  });

  it('a check registered with onUnbind runs at unbind and its findings are reported', () => {
    const { board } = toyBoard();
    cleanups.push(onUnbind('test-irq', (dev, ctx) => (dev.name === 'ffe0a000.other' ? [{ kind: 'irq', text: `irq 42 still requested by ${ctx.driver}`, details: { irq: 42 } }] : [])));
    run(board, () => platform_driver_register(leaky(() => 0)));
    const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(leaks.map((l) => l.kind)).toEqual(['irq']);
    expect(board.reports.at(-1)!.details).toMatchObject({ kind: 'irq', irq: 42 });
    expect(board.reports.at(-1)!.text.split('\n')[0]).toBe('driverlab: driver.leak.irq: leaky ffe0a000.other: irq 42 still requested by leaky');
  });

  it('a failed probe that forgets to free on its error path is reported too', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register(leaky(() => (kmalloc(48, GFP_KERNEL), -EINVAL))));
    const r = board.reports.find((x) => x.id === 'driver.leak.kmalloc')!;
    expect(r.title).toBe('driverlab: driver.leak.kmalloc: leaky ffe0a000.other: 1 kmalloc object(s) (48 bytes) allocated by the driver still live after the failed probe');
  });

  it('coherent DMA memory is reported once (by dma-debug), not again as leaked pages; with dma_debug=off the pages are reported', () => {
    for (const off of [false, true]) {
      const { board } = toyBoard(off ? 'dma_debug=off' : '');
      run(board, () => platform_driver_register(leaky((p) => (dma_alloc_coherent(p.dev, 4096, dma_addr(), GFP_KERNEL), 0))));
      const kinds = driverCore(board.kernel).bus.unbind('ffe0a000.other').leaks.map((l) => l.kind);
      expect(kinds).toEqual(off ? ['pages'] : ['dma']);
    }
  });

  it('a clean driver produces no leak reports', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register(leaky(() => 0)));
    expect(driverCore(board.kernel).bus.unbind('ffe0a000.other').leaks).toEqual([]);
    expect(board.reports).toEqual([]);
  });
});
