/** A toy driver written only against the package entry, as a user's driver would be: probe by compatible, managed resources, registers, interrupts, unbind. */
import { describe, expect, it } from 'vitest';
import {
  bootBoard, DEFAULT_DT_BOARD, platform_driver_register, platform_driver_unregister, platform_get_irq, platform_set_drvdata, platform_get_drvdata,
  devm_kzalloc, devm_platform_ioremap_resource, IS_ERR, PTR_ERR, of_property_read_u32, of_get_mac_address,
  dev_info, dev_err, GFP_KERNEL, ENOMEM, EINVAL, type PlatformDevice, type PlatformDriver,
} from 'driverlab';

interface Priv {
  regs: number;
  irqs: number[];
  mac: Uint8Array;
}

function toy_probe(pdev: PlatformDevice): number {
  const np = pdev.of_node;
  const priv = devm_kzalloc(pdev.dev, 64, GFP_KERNEL);
  if (!priv) return -ENOMEM;
  const regs = devm_platform_ioremap_resource(pdev, 0);
  if (IS_ERR(regs)) return PTR_ERR(regs);
  const irqs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const irq = platform_get_irq(pdev, i);
    if (irq < 0) return irq;
    irqs.push(irq);
  }
  const mac = new Uint8Array(6);
  if (of_get_mac_address(np, mac)) {
    dev_err(pdev.dev, 'no MAC address\n');
    return -EINVAL;
  }
  const cells = { value: 0 };
  if (of_property_read_u32(np, 'cell-index', cells) === 0) return -EINVAL;
  platform_set_drvdata(pdev, { regs, irqs, mac } satisfies Priv);
  dev_info(pdev.dev, 'eTSEC at %pa, irqs %d/%d/%d, MAC %pM\n', pdev.resource[0]!.start, irqs[0], irqs[1], irqs[2], mac);
  return 0;
}

const toy_driver: PlatformDriver = {
  probe: toy_probe,
  remove: (pdev) => void platform_get_drvdata<Priv>(pdev),
  driver: { name: 'toy-etsec', of_match_table: [{ compatible: 'gianfar' }, {}] },
};

describe('a toy driver on the public API', () => {
  it('binds both eTSECs of the default board and unbinds cleanly', () => {
    const b = bootBoard(DEFAULT_DT_BOARD);
    expect(b.run(() => platform_driver_register(toy_driver))).toEqual({ ok: true, value: 0 });
    expect(b.dmesg()).toMatch(/toy-etsec ffe24000\.ethernet: eTSEC at 0xffe24000, irqs \d+\/\d+\/\d+, MAC 02:00:5e:10:00:01/);
    expect(b.platform.list().filter((l) => l.state === 'bound').map((l) => l.name)).toEqual(['ffe24000.ethernet', 'ffe25000.ethernet']);
    const priv = b.run(() => platform_get_drvdata<Priv>(b.platform.device('ffe24000.ethernet')!));
    expect(priv.ok && priv.value.irqs.length).toBe(3);
    b.run(() => platform_driver_unregister(toy_driver));
    expect(b.platform.list().every((l) => l.state === 'unbound')).toBe(true);
    expect(b.reports).toEqual([]);
  });
});
