/** Publishing platform devices from a tree: names, which nodes become devices, resources, interrupts and per-device coherence. */
import { describe, expect, it } from 'vitest';
import { makeBusId } from '../../../src/board/assembly/bus-id.js';
import { platform_get_irq, platform_get_resource } from '../../../src/kernel/api/platform.js';
import { EPROBE_DEFER } from '../../../src/kernel/driver/errno.js';
import { IORESOURCE_IRQ, IORESOURCE_MEM, IORESOURCE_IRQ_HIGHLEVEL, IORESOURCE_IRQ_LOWLEVEL } from '../../../src/kernel/driver/resource.js';
import { at, boot, socTree, tree } from './helpers.js';

describe('device names (of_device_make_bus_id)', () => {
  it('uses the translated address and node name, or the names up to a translatable ancestor', () => {
    const t = tree(
      socTree(
        `serial@4500 { reg = <0x4500 0x100>; };
         ethernet@b0000 { #address-cells = <1>; #size-cells = <1>; ranges; queue-group@b0000 { reg = <0xb0000 0x1000>; }; };
         gpio@f000 { reg = <0xf000 0x100>; mask = <0x10>; };`,
        `pcie@ffe09000 { device_type = "pci"; #address-cells = <3>; #size-cells = <2>; reg = <0 0xffe09000 0 0x1000>; pcie@0 { reg = <0 0 0 0 0>; }; };`,
      ),
    );
    expect(makeBusId(at(t, 'soc@ffe00000/serial@4500'))).toBe('ffe04500.serial');
    expect(makeBusId(at(t, 'soc@ffe00000/ethernet@b0000'))).toBe('soc@ffe00000:ethernet@b0000');
    expect(makeBusId(at(t, 'soc@ffe00000/ethernet@b0000/queue-group@b0000'))).toBe('ffeb0000.queue-group');
    expect(makeBusId(at(t, 'soc@ffe00000/gpio@f000'))).toBe('ffe0f000.4.gpio');
    expect(makeBusId(at(t, 'pcie@ffe09000/pcie@0'))).toBe('ffe09000.pcie:pcie@0');
    expect(makeBusId(at(t, 'soc@ffe00000'))).toBe('soc@ffe00000');
  });
});

describe('which nodes become devices', () => {
  it('bus children all do (compatible or not), non-bus nodes are not recursed into, disabled nodes are skipped', () => {
    const b = boot(
      socTree(`
        uart@4500 { compatible = "ns16550"; reg = <0x4500 0x100>; };
        bare@5000 { reg = <0x5000 0x10>; };
        off@6000 { compatible = "acme,x"; reg = <0x6000 0x10>; status = "disabled"; };
        nic@7000 { compatible = "acme,nic"; reg = <0x7000 0x1000>; mdio@7520 { reg = <0x7520 0x20>; }; };
        dma@21300 { compatible = "fsl,eloplus-dma"; #address-cells = <1>; #size-cells = <1>; reg = <0x21300 4>; ranges = <0 0x21100 0x200>; chan@0 { reg = <0 0x80>; }; };`,
        'cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; reg = <0>; }; }; leds { compatible = "gpio-leds"; led-0 { label = "x"; }; };',
      ),
    );
    expect(b.platform.list().map((l) => l.name)).toEqual([
      'leds', 'leds:led-0', 'soc@ffe00000', 'ffe40000.pic', 'ffe04500.uart', 'ffe05000.bare', 'ffe07000.nic', 'ffe21300.dma', 'ffe21100.chan',
    ]);
  });
});

describe('resources, interrupts, coherence', () => {
  const text = socTree(`
    enet@24000 { compatible = "acme,nic"; reg = <0x24000 0x1000>, <0x24520 0x20>; reg-names = "regs", "mdio"; interrupts = <29 2 0 0 30 2 0 0 34 2 0 0>; interrupt-names = "tx", "rx", "er"; dma-coherent; };
    phy@3000 { compatible = "acme,phy"; reg = <0x3000 0x10>; interrupts = <5 1 0 0>; };
    gpio: gpio@f000 { compatible = "acme,gpio"; reg = <0xf000 0x100>; interrupt-controller; #interrupt-cells = <2>; };
    button@f100 { compatible = "acme,button"; reg = <0xf100 4>; interrupt-parent = <&gpio>; interrupts = <3 8>; };`);

  it('memory resources are translated through ranges and named by reg-names', () => {
    const b = boot(text);
    const p = b.platform.device('ffe24000.enet')!;
    expect(p.resource.filter((r) => r.flags === IORESOURCE_MEM)).toEqual([
      { start: 0xffe2_4000, end: 0xffe2_4fff, flags: IORESOURCE_MEM, name: 'regs' },
      { start: 0xffe2_4520, end: 0xffe2_453f, flags: IORESOURCE_MEM, name: 'mdio' },
    ]);
    expect(b.run(() => platform_get_resource(p, IORESOURCE_MEM, 1)?.name)).toEqual({ ok: true, value: 'mdio' });
  });

  it('MPIC specifiers become Linux irqs with their trigger (when the interrupt subsystem is there)', () => {
    const b = boot(text);
    const p = b.platform.device('ffe24000.enet')!;
    expect(p.irqs.map((i) => i.cells)).toEqual([[29, 2, 0, 0], [30, 2, 0, 0], [34, 2, 0, 0]]);
    expect(p.irqs.map((i) => i.hwirq)).toEqual([29, 30, 34]);
    const virqs = p.irqs.map((i) => i.virq);
    expect(virqs.every((v) => v > 0)).toBe(true);
    expect(b.run(() => [0, 1, 2].map((n) => platform_get_irq(p, n)))).toEqual({ ok: true, value: virqs });
    const irqRes = p.resource.filter((r) => (r.flags & 0x1f00) === IORESOURCE_IRQ);
    expect(irqRes.map((r) => [r.start, r.flags & 0xf, r.name])).toEqual([[virqs[0], IORESOURCE_IRQ_HIGHLEVEL, 'tx'], [virqs[1], IORESOURCE_IRQ_HIGHLEVEL, 'rx'], [virqs[2], IORESOURCE_IRQ_HIGHLEVEL, 'er']]);
    const phy = b.platform.device('ffe03000.phy')!;
    expect(phy.resource.find((r) => (r.flags & 0x1f00) === IORESOURCE_IRQ)!.flags & 0xf).toBe(IORESOURCE_IRQ_LOWLEVEL);
  });

  it('an interrupt whose controller has no model defers probe (-EPROBE_DEFER), silently', () => {
    const b = boot(text);
    const p = b.platform.device('ffe0f100.button')!;
    expect(p.irqs[0]).toMatchObject({ virq: 0, defer: true, cells: [3, 8] });
    expect(b.run(() => platform_get_irq(p, 0))).toEqual({ ok: true, value: -EPROBE_DEFER });
    expect(b.dmesg()).not.toContain('IRQ index 0 not found');
  });

  it('dma-coherent on a device node makes that device coherent on a non-coherent board', () => {
    const b = boot(text);
    expect(b.spec.coherent).toBe(false);
    expect(b.platform.device('ffe24000.enet')!.dev.dmaCoherent).toBe(true);
    expect(b.platform.device('ffe03000.phy')!.dev.dmaCoherent).toBe(false);
  });
});
