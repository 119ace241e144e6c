/** Managed resources: release in reverse order on probe failure and on unbind, early frees, actions, and the devres hook. */
import { describe, expect, it } from 'vitest';
import { devm_add_action, devm_add_action_or_reset, devm_kfree, devm_kzalloc, devm_kmalloc, devm_release_action, devres_add, devm_kstrdup, devm_kcalloc } from '../../../src/kernel/api/devres.js';
import { devm_ioremap, devm_platform_ioremap_resource } from '../../../src/kernel/api/io.js';
import { platform_driver_register } from '../../../src/kernel/api/platform.js';
import { ld_u8 } from '../../../src/kernel/memaccess.js';
import { driverCore } from '../../../src/kernel/driver/core.js';
import { devres_list } from '../../../src/kernel/driver/devres.js';
import { ENOMEM, IS_ERR } from '../../../src/kernel/driver/errno.js';
import type { PlatformDriver } from '../../../src/kernel/driver/platform-device.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { run, toyBoard } from './helpers.js';

function only(compatible: string, probe: NonNullable<PlatformDriver['probe']>, remove?: NonNullable<PlatformDriver['remove']>): PlatformDriver {
  return { probe, ...(remove ? { remove } : {}), driver: { name: 'managed', of_match_table: [{ compatible }] } };
}

describe('release order', () => {
  it('on probe failure, every managed resource is released newest first and nothing leaks', () => {
    const { board, pdev } = toyBoard();
    const order: string[] = [];
    run(board, () =>
      platform_driver_register(
        only('acme,other', (p) => {
          devm_add_action(p.dev, (s: string) => order.push(s), 'first');
          const buf = devm_kzalloc(p.dev, 128, GFP_KERNEL);
          expect(buf).not.toBeNull();
          devm_add_action(p.dev, (s: string) => order.push(s), 'second');
          expect(IS_ERR(devm_platform_ioremap_resource(p, 0))).toBe(false);
          devm_add_action(p.dev, (s: string) => order.push(s), 'third');
          return -ENOMEM;
        }),
      ),
    );
    expect(order).toEqual(['third', 'second', 'first']);
    const dev = pdev('other@a000').dev;
    expect(devres_list(dev)).toEqual([]);
    expect(board.kernel.mm.leaks(dev.name)).toEqual([]);
    expect(driverCore(board.kernel).ioremap.list()).toEqual([]);
    expect(driverCore(board.kernel).iomem.list()).toEqual([]);
    expect(board.dmesg()).toContain('managed ffe0a000.other: probe with driver managed failed with error -12');
    expect(board.reports).toEqual([]);
  });

  it('on unbind, remove runs first, then the managed resources newest first', () => {
    const { board } = toyBoard();
    const order: string[] = [];
    run(board, () =>
      platform_driver_register(
        only(
          'acme,other',
          (p) => {
            devm_add_action(p.dev, () => order.push('action A'), null);
            devres_add(p.dev, 'dmam_alloc_coherent', () => order.push('coherent'), 0x1000);
            devm_add_action(p.dev, () => order.push('action B'), null);
            return 0;
          },
          () => void order.push('remove'),
        ),
      ),
    );
    const r = driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(r).toEqual({ status: 0, leaks: [] });
    expect(order).toEqual(['remove', 'action B', 'coherent', 'action A']);
  });

  it('devm_kfree frees early, and a pointer that is not a devm allocation of the device is a WARN', () => {
    const { board, pdev } = toyBoard();
    const dev = pdev('other@a000').dev;
    run(board, () => {
      const a = devm_kmalloc(dev, 64, GFP_KERNEL)!;
      const b = devm_kcalloc(dev, 4, 16, GFP_KERNEL)!;
      devm_kfree(dev, a);
      expect(devres_list(dev).map((e) => e.data)).toEqual([b]);
      devm_kfree(dev, a);
      devm_kfree(dev, null);
    });
    expect(board.reports.map((r) => r.id)).toEqual(['devres.kfree-unmanaged']);
    expect(board.reports[0]!.text).toMatch(/WARNING: CPU: 0 PID: 1 at drivers\/base\/devres\.c:\d+/);
  });

  it('devm_add_action_or_reset and devm_release_action run the action; devm_kstrdup copies into kernel memory', () => {
    const { board, pdev } = toyBoard();
    const dev = pdev('other@a000').dev;
    const ran: number[] = [];
    run(board, () => {
      expect(devm_add_action_or_reset(dev, (n: number) => ran.push(n), 1)).toBe(0);
      const act = (n: number): void => void ran.push(n);
      devm_add_action(dev, act, 2);
      devm_release_action(dev, act, 2);
      const s = devm_kstrdup(dev, 'eth0', GFP_KERNEL)!;
      expect([0, 1, 2, 3, 4].map((i) => ld_u8(s + i))).toEqual([0x65, 0x74, 0x68, 0x30, 0]);
    });
    expect(ran).toEqual([2]);
    expect(devres_list(dev).map((e) => e.name)).toEqual(['devm_action', 'devm_kmalloc']);
  });

  it('resources left on an unbound device block the next probe ("Resources present before probing", -EBUSY)', () => {
    const { board, pdev } = toyBoard();
    const dev = pdev('other@a000').dev;
    run(board, () => devm_kzalloc(dev, 32, GFP_KERNEL));
    let probed = false;
    run(board, () => platform_driver_register(only('acme,other', () => ((probed = true), 0))));
    expect(probed).toBe(false);
    expect(board.dmesg()).toContain('platform ffe0a000.other: Resources present before probing');
  });

  it('a managed ioremap of a device window is unmapped at unbind', () => {
    const { board } = toyBoard();
    let va = 0;
    run(board, () => platform_driver_register(only('acme,toy-v2', (p) => ((va = devm_ioremap(p.dev, 0xffe0_8000, 0x100)!), 0))));
    expect(board.machine.mmu.isPageMapped(va)).toBe(true);
    driverCore(board.kernel).bus.unbind('ffe08000.toy');
    expect(board.machine.mmu.isPageMapped(va)).toBe(false);
  });
});
