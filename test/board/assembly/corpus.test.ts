/** Real trees as they come: the corpus's p1020rdb.dts and OpenWrt's tl-wdr4900-v1.dts boot unmodified, bind what has models and drivers, and list the rest. */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardAssembly } from '../../../src/board/assembly/attach.js';
import { deviceRows, formatDeviceList } from '../../../src/board/assembly/listing.js';
import { bootDts } from '../../../src/board/assembly/load.js';
import type { DeviceModelFactory } from '../../../src/board/devices.js';
import { devm_platform_ioremap_resource, in_8, out_8 } from '../../../src/kernel/api/io.js';
import { platform_driver_register, platform_get_irq_optional, platform_set_drvdata } from '../../../src/kernel/api/platform.js';
import { IS_ERR, PTR_ERR } from '../../../src/kernel/driver/errno.js';
import type { PlatformDriver } from '../../../src/kernel/driver/platform-device.js';
import { FakeRegs } from '../../kernel/driver/helpers.js';
import { corpusDts } from './helpers.js';

/** A 16550-ish register block for the toy driver: the scratch register at offset 7 reads back what was written. */
const uartModel: DeviceModelFactory = ({ board, regs }) => {
  const r = new FakeRegs('uart');
  board.machine.bus.addMmio(regs[0]!.address, regs[0]!.size, r);
  return { name: 'uart', model: r };
};

/** A toy serial driver: maps its registers, checks the scratch register, notes its interrupt. */
function toySerial(seen: { name: string; irq: number }[]): PlatformDriver {
  return {
    probe: (pdev) => {
      const base = devm_platform_ioremap_resource(pdev, 0);
      if (IS_ERR(base)) return PTR_ERR(base);
      out_8(base + 7, 0x5a);
      if (in_8(base + 7) !== 0x5a) return -19;
      seen.push({ name: pdev.name, irq: platform_get_irq_optional(pdev, 0) });
      platform_set_drvdata(pdev, base);
      return 0;
    },
    driver: { name: 'toy-serial', of_match_table: [{ compatible: 'ns16550' }] },
  };
}

describe('corpus boards', () => {
  const C = corpusDts();
  const boards = [
    { name: 'p1020rdb', file: path.join(C, 'fsl/p1020rdb.dts'), includes: [path.join(C, 'fsl'), path.join(C, 'include')], ram: 256, serials: 2, model: 'fsl,P1020RDB' },
    { name: 'tl-wdr4900-v1', file: path.join(C, 'openwrt/tl-wdr4900-v1.dts'), includes: [C, path.join(C, 'include')], ram: 128, serials: 1, model: 'TP-Link TL-WDR4900 v1' },
  ];

  for (const bd of boards) {
    it(`${bd.name}: boots unmodified, the MPIC model is placed, a toy driver binds the serial ports, the rest are listed without a driver`, () => {
      const b = bootDts(bd.file, { includeDirs: bd.includes, models: { 'fsl,ns16550': uartModel } });
      expect(b.spec.name).toBe(bd.model);
      expect(b.spec.ram).toEqual([{ base: 0, size: bd.ram * 1024 * 1024 }]);
      expect(b.spec.coherent).toBe(false);
      const placed = [...boardAssembly(b)!.models.values()].map((m) => `${m.compatible} ${m.node.path}`);
      expect(placed).toContain('fsl,mpic /soc@ffe00000/pic@40000');
      expect(b.dmesg()).toContain('mpic: Setting up MPIC " OpenPIC  " version 1.2 at ffe40000, max 1 CPUs');

      const seen: { name: string; irq: number }[] = [];
      const r = b.run(() => platform_driver_register(toySerial(seen)));
      expect(r).toEqual({ ok: true, value: 0 });
      expect(seen.map((s) => s.name)).toEqual(['ffe04500.serial', 'ffe04600.serial'].slice(0, bd.serials));
      expect(seen.every((s) => s.irq > 0)).toBe(true);

      const rows = deviceRows(b);
      expect(rows.filter((x) => x.state === 'bound').map((x) => x.driver)).toEqual(Array(bd.serials).fill('toy-serial'));
      expect(rows.find((x) => x.device === 'ffe40000.pic')).toMatchObject({ model: 'mpic', state: 'unbound' });
      expect(rows.find((x) => x.device === 'soc@ffe00000:ethernet@b0000')).toMatchObject({ compatible: 'fsl,etsec2', state: 'unbound' });
      expect(rows.filter((x) => x.state === 'unbound').length).toBe(rows.length - bd.serials);
      const text = formatDeviceList(b);
      expect(text).toMatch(/^ffe04500\.serial +fsl,ns16550 +uart +toy-serial$/m);
      expect(text).toMatch(/^ffe22000\.usb +fsl-usb2-dr-v1\.6 +- +\(no driver\)$/m);
      expect(text.split('\n').at(-1)).toBe(`${rows.length} devices: ${bd.serials} bound, 0 deferred, 0 failed, ${rows.length - bd.serials} without a driver`);
      expect(b.reports).toEqual([]);
    });
  }

  it('p1020rdb: the localbus chip selects translate through the eLBC ranges, PCIe bridges get their children', () => {
    const b = bootDts(path.join(C, 'fsl/p1020rdb.dts'), { includeDirs: [path.join(C, 'fsl'), path.join(C, 'include')] });
    expect(b.platform.device('ef000000.nor')!.resource[0]).toMatchObject({ start: 0xef00_0000, end: 0xefff_ffff });
    expect(b.platform.device('ffb00000.L2switch')).toBeDefined();
    expect(b.platform.device('ffe09000.pcie:pcie@0')).toBeDefined();
    expect(b.dmesg()).toContain('driverlab: /memory has no reg (on real boards U-Boot fills it in); assuming 256 MiB at 0x0');
  });

  it('tl-wdr4900-v1: chosen/bootargs become the command line; the disabled IFC is not published', () => {
    const b = bootDts(path.join(C, 'openwrt/tl-wdr4900-v1.dts'), { includeDirs: [C, path.join(C, 'include')] });
    expect(b.kernel.boot.raw).toBe('console=ttyS0,115200');
    expect(b.platform.list().some((l) => l.name.includes('ifc'))).toBe(false);
    expect(b.platform.device('leds:led-0')).toBeDefined();
  });
});
