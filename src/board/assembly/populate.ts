/**
 * Platform devices from the tree, as the mpc85xx platforms publish them (`of_platform_bus_probe`
 * with `mpc85xx_common_ids`): every root child that is a bus (`soc`, `simple-bus`, `localbus`,
 * PCIe controllers, …) becomes a device, and so does each of its available children, recursing
 * into children that are buses themselves. Each device gets its register windows (translated
 * through `ranges`) and its interrupts (mapped through the controller's domain), and its DMA
 * coherence from the tree.
 */
import { driverCore } from '../../kernel/driver/core.js';
import { addressToResource } from '../../kernel/driver/of-address.js';
import { mapInterrupts } from '../../kernel/driver/of-irq.js';
import { compatibles, deviceType, findProp, isAvailable, nodeBaseName, propStrings, type OfNode } from '../../kernel/driver/of-node.js';
import { PlatformDevice } from '../../kernel/driver/platform-device.js';
import { IORESOURCE_IRQ, type Resource } from '../../kernel/driver/resource.js';
import type { Kernel } from '../../kernel/kernel.js';
import { makeBusId } from './bus-id.js';
import { dmaCoherent } from './coherence.js';

/** An entry of a bus match table (`struct of_device_id` as `of_platform_bus_probe` uses it). */
export interface BusMatch {
  readonly compatible?: string;
  readonly type?: string;
  readonly name?: string;
}

/** `mpc85xx_common_ids`: the nodes the mpc85xx platforms treat as buses. */
export const MPC85XX_BUS_IDS: readonly BusMatch[] = [
  { type: 'soc' },
  { compatible: 'soc' },
  { compatible: 'simple-bus' },
  { name: 'cpm' },
  { name: 'localbus' },
  { compatible: 'gianfar' },
  { compatible: 'fsl,qe' },
  { compatible: 'fsl,cpm2' },
  { compatible: 'fsl,srio' },
  { compatible: 'fsl,eloplus-dma' },
  { compatible: 'fsl,mpc8548-guts' },
  { compatible: 'gpio-leds' },
  { compatible: 'fsl,mpc8540-pci' },
  { compatible: 'fsl,mpc8548-pcie' },
  { compatible: 'fsl,p1022-pcie' },
  { compatible: 'fsl,p1010-pcie' },
  { compatible: 'fsl,p1023-pcie' },
  { compatible: 'fsl,p4080-pcie' },
  { compatible: 'fsl,qoriq-pcie-v2.4' },
  { compatible: 'fsl,qoriq-pcie-v2.3' },
  { compatible: 'fsl,qoriq-pcie-v2.2' },
  { compatible: 'fsl,fman' },
];

function matches(node: OfNode, table: readonly BusMatch[]): boolean {
  const compat = compatibles(node);
  return table.some((m) => (m.compatible === undefined || compat.includes(m.compatible)) && (m.type === undefined || deviceType(node) === m.type) && (m.name === undefined || nodeBaseName(node) === m.name));
}

/** Options of {@link populate}. */
export interface PopulateOptions {
  /** Bus match table (default {@link MPC85XX_BUS_IDS}). */
  readonly buses?: readonly BusMatch[];
  /** DMA coherence of devices the tree says nothing about. */
  readonly coherent: boolean;
}

/** Build one platform device from `np` (`of_device_alloc` + `of_device_add`); null when the name is taken. */
export function createPlatformDevice(k: Kernel, np: OfNode, coherent: boolean): PlatformDevice | null {
  const name = makeBusId(np);
  if (k.devices.has(name)) {
    k.log.err(`sysfs: cannot create duplicate filename '/devices/platform/${name}'`);
    return null;
  }
  const core = driverCore(k);
  const resource: Resource[] = [];
  for (let i = 0; ; i++) {
    const r = addressToResource(np, i);
    if (r === null) break;
    resource.push(r);
  }
  const irqs = mapInterrupts(core, np);
  const names = findProp(np, 'interrupt-names');
  const irqNames = names ? propStrings(names) : [];
  for (const irq of irqs) {
    if (irq.virq > 0) resource.push({ start: irq.virq, end: irq.virq, flags: IORESOURCE_IRQ | (irq.type ?? 0), name: irqNames[irq.index] ?? np.name });
  }
  const pdev = new PlatformDevice({ name, dev: k.createDevice(name, { dmaCoherent: dmaCoherent(np, coherent) }), of_node: np, resource, irqs });
  return core.bus.addDevice(pdev) === 0 ? pdev : null;
}

/** Publish the tree's devices on the kernel's platform bus; returns them in creation order. */
export function populate(k: Kernel, root: OfNode, opts: PopulateOptions): PlatformDevice[] {
  const table = opts.buses ?? MPC85XX_BUS_IDS;
  const made: PlatformDevice[] = [];
  const seen = new Set<OfNode>();
  const create = (bus: OfNode): void => {
    if (!isAvailable(bus) || seen.has(bus)) return;
    seen.add(bus);
    if (findProp(bus, 'compatible') !== undefined && compatibles(bus).includes('operating-points-v2')) return;
    const pdev = createPlatformDevice(k, bus, opts.coherent);
    if (pdev === null) return;
    made.push(pdev);
    if (!matches(bus, table)) return;
    for (const child of bus.children) create(child);
  };
  if (matches(root, table)) create(root);
  else for (const child of root.children) if (matches(child, table)) create(child);
  return made;
}
