/** The platform bus: matching by compatible, binding at registration and at device creation, probe errors, deferral, unbind and rebind. */
import { describe, expect, it } from 'vitest';
import { platform_device_register_simple, platform_driver_register, platform_driver_unregister, platform_get_drvdata, platform_get_irq, platform_get_irq_optional, platform_get_resource, platform_set_drvdata, of_device_get_match_data, dev_err_probe } from '../../../src/kernel/api/platform.js';
import { driverCore } from '../../../src/kernel/driver/core.js';
import { EINVAL, ENODEV, ENXIO, EPROBE_DEFER, EBUSY } from '../../../src/kernel/driver/errno.js';
import type { PlatformDevice, PlatformDriver } from '../../../src/kernel/driver/platform-device.js';
import { IORESOURCE_MEM, IORESOURCE_IRQ } from '../../../src/kernel/driver/resource.js';
import { run, toyBoard } from './helpers.js';

function toyDriver(log: string[], probe: (pdev: PlatformDevice) => number = () => 0, name = 'toy'): PlatformDriver {
  return {
    probe: (pdev) => {
      log.push(`probe ${pdev.name}`);
      return probe(pdev);
    },
    remove: (pdev) => {
      log.push(`remove ${pdev.name}`);
    },
    driver: { name, of_match_table: [{ compatible: 'acme,toy', data: 'plain' }, { compatible: 'acme,toy-v2', data: 'v2' }, {}] },
  };
}

describe('binding', () => {
  it('binds every device whose compatible matches when the driver registers, and only those', () => {
    const { board, pdev } = toyBoard();
    const log: string[] = [];
    expect(run(board, () => platform_driver_register(toyDriver(log)))).toBe(0);
    expect(log).toEqual(['probe ffe08000.toy', 'probe ffe09000.toy']);
    const bus = driverCore(board.kernel).bus;
    expect(bus.binding(pdev('toy@8000')).state).toBe('bound');
    expect(bus.binding(pdev('other@a000')).state).toBe('unbound');
    expect(pdev('toy@8000').dev.driverName).toBe('toy');
    expect(pdev('other@a000').dev.driverString).toBe('platform');
  });

  it('picks the match-table entry for the earliest compatible of the node (of_match_node scoring)', () => {
    const { board, pdev } = toyBoard();
    const data: unknown[] = [];
    run(board, () => platform_driver_register(toyDriver([], (p) => (data.push(of_device_get_match_data(p.dev)), 0))));
    expect(data).toEqual(['v2', 'plain']);
    expect(driverCore(board.kernel).bus.binding(pdev('toy@8000')).match).toMatchObject({ how: 'of', entry: { compatible: 'acme,toy-v2' } });
  });

  it('binds a device created after the driver registered, and matches by name without a tree node', () => {
    const { board } = toyBoard();
    const log: string[] = [];
    run(board, () => {
      platform_driver_register({ probe: (p) => (log.push(`probe ${p.dev.name}`), 0), driver: { name: 'late-dev' } });
      const p = platform_device_register_simple('late-dev', 3, [{ start: 0xffe0_c000, end: 0xffe0_c0ff, flags: IORESOURCE_MEM, name: 'regs' }]);
      expect(platform_get_resource(p, IORESOURCE_MEM, 0)).toMatchObject({ start: 0xffe0_c000 });
      expect(platform_get_resource(p, IORESOURCE_IRQ, 0)).toBeNull();
    });
    expect(log).toEqual(['probe late-dev.3']);
  });

  it('refuses a second driver with the same name', () => {
    const { board } = toyBoard();
    run(board, () => {
      expect(platform_driver_register(toyDriver([]))).toBe(0);
      expect(platform_driver_register(toyDriver([]))).toBe(-EBUSY);
    });
    expect(board.dmesg()).toContain("Error: Driver 'toy' is already registered, aborting...");
  });
});

describe('probe errors', () => {
  it('prints "probe with driver X failed with error N" for a real error, nothing for -ENODEV, and leaves the device unbound', () => {
    const { board, pdev } = toyBoard();
    run(board, () => platform_driver_register(toyDriver([], (p) => (p.name === 'ffe08000.toy' ? -EINVAL : -ENODEV))));
    const bus = driverCore(board.kernel).bus;
    expect(board.dmesg()).toContain('toy ffe08000.toy: probe with driver toy failed with error -22');
    expect(board.dmesg()).not.toContain('ffe09000.toy: probe');
    expect(bus.binding(pdev('toy@8000'))).toMatchObject({ state: 'failed', error: -EINVAL, driver: null });
    expect(bus.binding(pdev('toy@9000'))).toMatchObject({ state: 'unbound', error: -ENODEV });
    expect(pdev('toy@8000').dev.driverName).toBeNull();
  });

  it('an oops in probe is reported, unwinds the probe, and the device stays unbound', () => {
    const { board, pdev } = toyBoard();
    run(board, () =>
      platform_driver_register(
        toyDriver([], () => {
          throw new TypeError('cannot read properties of undefined');
        }),
      ),
    );
    const b = driverCore(board.kernel).bus.binding(pdev('toy@8000'));
    expect(b.state).toBe('failed');
    expect(b.oops?.kind).toBe('bug');
    expect(board.run(() => 1)).toEqual({ ok: true, value: 1 });
  });

  it('a probe returning something other than an int is a named check', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register({ probe: () => undefined as unknown as number, driver: { name: 'sloppy', of_match_table: [{ compatible: 'acme,other' }] } }));
    expect(board.reports.map((r) => r.id)).toContain('driver.probe-return');
  });
});

describe('deferred probe', () => {
  it('retries a device that returned -EPROBE_DEFER when another driver binds, and records dev_err_probe\'s reason', () => {
    const { board, pdev } = toyBoard();
    let supplierReady = false;
    const log: string[] = [];
    run(board, () => {
      platform_driver_register({
        probe: (p) => {
          log.push('consumer');
          if (!supplierReady) return dev_err_probe(p.dev, -EPROBE_DEFER, 'waiting for %s\n', 'acme,other');
          return 0;
        },
        driver: { name: 'consumer', of_match_table: [{ compatible: 'acme,toy-v2' }] },
      });
    });
    const bus = driverCore(board.kernel).bus;
    expect(bus.binding(pdev('toy@8000')).state).toBe('deferred');
    expect(bus.list().find((l) => l.name === 'ffe08000.toy')).toMatchObject({ state: 'deferred', driver: 'consumer', error: -EPROBE_DEFER, reason: 'waiting for acme,other' });
    expect(board.dmesg()).not.toContain('failed with error');
    run(board, () => {
      platform_driver_register({
        probe: () => {
          supplierReady = true;
          return 0;
        },
        driver: { name: 'supplier', of_match_table: [{ compatible: 'acme,other' }] },
      });
    });
    expect(log).toEqual(['consumer', 'consumer']);
    expect(bus.binding(pdev('toy@8000')).state).toBe('bound');
    expect(bus.deferred).toEqual([]);
  });

  it('reportDeferred prints "deferred probe pending" with the reason for devices still waiting', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register({ probe: (p) => dev_err_probe(p.dev, -EPROBE_DEFER, 'no clock\n'), driver: { name: 'waiter', of_match_table: [{ compatible: 'acme,other' }] } }));
    expect(driverCore(board.kernel).bus.reportDeferred()).toBe(1);
    expect(board.dmesg()).toContain('platform ffe0a000.other: deferred probe pending: no clock');
  });
});

describe('unbind and bind (sysfs)', () => {
  it('unbind runs remove and clears the driver; bind probes again; rebinding works repeatedly', () => {
    const { board, pdev } = toyBoard();
    const log: string[] = [];
    run(board, () => platform_driver_register(toyDriver(log, (p) => (platform_set_drvdata(p, { id: p.name }), 0))));
    const bus = driverCore(board.kernel).bus;
    const p = pdev('toy@8000');
    expect(run(board, () => platform_get_drvdata(p))).toEqual({ id: 'ffe08000.toy' });
    for (let i = 0; i < 3; i++) {
      expect(bus.unbind('ffe08000.toy').status).toBe(0);
      expect(bus.binding(p).state).toBe('unbound');
      expect(run(board, () => platform_get_drvdata(p))).toBeNull();
      expect(bus.bind('ffe08000.toy', 'toy')).toBe(0);
      expect(bus.binding(p).state).toBe('bound');
    }
    expect(log.filter((l) => l.includes('ffe08000'))).toEqual(['probe ffe08000.toy', ...Array(3).fill(['remove ffe08000.toy', 'probe ffe08000.toy']).flat()]);
    expect(bus.unbind(pdev('other@a000')).status).toBe(-ENODEV);
    expect(bus.bind(p, 'toy')).toBe(-EBUSY);
    expect(bus.bind(pdev('other@a000'), 'toy')).toBe(-ENODEV);
    expect(board.reports).toEqual([]);
  });

  it('a remove returning non-zero is warned about and ignored', () => {
    const { board } = toyBoard();
    run(board, () => platform_driver_register({ probe: () => 0, remove: () => -EINVAL, driver: { name: 'grumpy', of_match_table: [{ compatible: 'acme,other' }] } }));
    driverCore(board.kernel).bus.unbind('ffe0a000.other');
    expect(board.dmesg()).toContain('grumpy ffe0a000.other: remove callback returned a non-zero value. This will be ignored.');
  });

  it('platform_driver_unregister unbinds the driver\'s devices newest first', () => {
    const { board } = toyBoard();
    const log: string[] = [];
    const drv = toyDriver(log);
    run(board, () => platform_driver_register(drv));
    run(board, () => platform_driver_unregister(drv));
    expect(log).toEqual(['probe ffe08000.toy', 'probe ffe09000.toy', 'remove ffe09000.toy', 'remove ffe08000.toy']);
    expect(driverCore(board.kernel).bus.drivers).toEqual([]);
  });

  it('driver_override restricts binding to the named driver', () => {
    const { board, pdev } = toyBoard();
    pdev('toy@9000').driver_override = 'other-driver';
    run(board, () => platform_driver_register(toyDriver([])));
    expect(driverCore(board.kernel).bus.binding(pdev('toy@9000')).state).toBe('unbound');
  });
});

describe('interrupts', () => {
  it('platform_get_irq: -ENXIO with "IRQ index N not found" for a device without interrupts', () => {
    const { board, pdev } = toyBoard();
    const r = run(board, () => ({ opt: platform_get_irq_optional(pdev('toy@8000'), 0), irq: platform_get_irq(pdev('toy@8000'), 1) }));
    expect(r).toEqual({ opt: -ENXIO, irq: -ENXIO });
    expect(board.dmesg()).toContain('platform ffe08000.toy: error -ENXIO: IRQ index 1 not found');
  });
});
