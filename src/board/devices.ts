/**
 * The device-model registry: which hardware model stands behind a device-tree node, chosen by its
 * `compatible` (the first string of the node's list that has a model wins). A model is put on the
 * bus at the node's translated `reg`; an interrupt controller also maps its specifiers to Linux irq
 * numbers. Nodes without a model are still platform devices; they simply have no hardware behind
 * them (an access to their registers is a machine check). Built in: the `fsl,mpic` interrupt
 * controller.
 */
import { Mpic, MPIC_WINDOW_SIZE, translateMpicSpecifier, type MpicTrigger } from '../hw/mpic/index.js';
import type { IrqMapping } from '../kernel/driver/core.js';
import { driverCore } from '../kernel/driver/core.js';
import { compatibles, findProp, type OfNode } from '../kernel/driver/of-node.js';
import { IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_EDGE_RISING, IRQ_TYPE_LEVEL_HIGH, IRQ_TYPE_LEVEL_LOW } from '../kernel/irq/constants.js';
import type { Board } from './board.js';

/** What a model factory is given. */
export interface DeviceModelContext {
  readonly board: Board;
  /** The node the model stands behind. */
  readonly node: OfNode;
  /** The node's `reg` entries translated to CPU physical addresses. */
  readonly regs: readonly { readonly address: number; readonly size: number }[];
  /** The compatible string that selected the model. */
  readonly compatible: string;
}

/** A model put on the board. */
export interface DeviceModelInstance {
  /** Short name for listings (`mpic`). */
  readonly name: string;
  /** The model object (for tests and tools), e.g. the `Mpic`. */
  readonly model: unknown;
  /** For an interrupt controller: map one of its specifiers to a Linux irq number. */
  readonly mapIrq?: (cells: readonly number[]) => IrqMapping;
  /** One line for the boot log, when the model has something to say. */
  readonly banner?: string;
}

/** Builds a model for a node, or returns null when it cannot (the reason goes to the boot log). */
export type DeviceModelFactory = (ctx: DeviceModelContext) => DeviceModelInstance | string;

const registry = new Map<string, DeviceModelFactory>();

/** Register a model for `compatible` (replacing any earlier one). Returns a function that removes it. */
export function registerDeviceModel(compatible: string, factory: DeviceModelFactory): () => void {
  registry.set(compatible, factory);
  return () => {
    if (registry.get(compatible) === factory) registry.delete(compatible);
  };
}

/** The compatible strings that have a model. */
export function deviceModelNames(): string[] {
  return [...registry.keys()];
}

/** The model for `node`: the first of its `compatible` strings with one, searching `extra` before the registry. */
export function deviceModelFor(node: OfNode, extra: Readonly<Record<string, DeviceModelFactory>> = {}): { compatible: string; factory: DeviceModelFactory } | undefined {
  for (const c of compatibles(node)) {
    const factory = extra[c] ?? registry.get(c);
    if (factory !== undefined) return { compatible: c, factory };
  }
  return undefined;
}

// ---- fsl,mpic ------------------------------------------------------------------------------

const TRIGGER_TYPE: Record<MpicTrigger, number> = { 'edge-rising': IRQ_TYPE_EDGE_RISING, 'edge-falling': IRQ_TYPE_EDGE_FALLING, 'level-high': IRQ_TYPE_LEVEL_HIGH, 'level-low': IRQ_TYPE_LEVEL_LOW };

/** The `fsl,mpic` model: the controller on the bus at its `reg`, its INT output on the core, and Linux's MPIC driver on top. */
export const fslMpicModel: DeviceModelFactory = ({ board, node, regs }) => {
  const reg = regs[0];
  if (reg === undefined) return `${node.path}: no reg to map the MPIC at`;
  const size = reg.size || MPIC_WINDOW_SIZE;
  const k = board.kernel;
  const irq = k.irq;
  const existing = board.machine.bus.mmioAt(reg.address)?.device;
  let mpic: Mpic;
  if (existing instanceof Mpic) mpic = existing;
  else {
    mpic = new Mpic({ cpuInt: irq.cpuInt, events: board.machine.events, trace: board.machine.trace });
    board.machine.bus.addMmio(reg.address, size, mpic);
  }
  let domain = irq.mpic?.domain;
  if (domain === undefined) {
    const area = driverCore(k).ioremap.map(reg.address, size, 'kernel')!;
    const cpu = board.machine.cpu;
    const io = { read32: (o: number) => cpu.load32(area.cookie + o), write32: (o: number, v: number) => cpu.store32(area.cookie + o, v >>> 0) };
    const r = k.run(() => irq.attachMpic(io, { paddr: reg.address, name: ' OpenPIC  ', vectorBits: 11, noReset: findProp(node, 'pic-no-reset') !== undefined }));
    if (!r.ok) return `${node.path}: the MPIC driver oopsed during init`;
    domain = r.value.domain;
  }
  const mapIrq = (cells: readonly number[]): IrqMapping => {
    let spec;
    try {
      spec = translateMpicSpecifier(cells);
    } catch (e) {
      return { error: (e as Error).message };
    }
    const virq = irq.mapper.createOfMapping(cells, node.path, domain ?? null);
    return virq > 0 ? { virq, hwirq: spec.hwirq, type: TRIGGER_TYPE[spec.trigger] } : { error: `irq_create_of_mapping failed for <${cells.join(' ')}>` };
  };
  return { name: 'mpic', model: mpic, mapIrq };
};

registerDeviceModel('fsl,mpic', fslMpicModel);
