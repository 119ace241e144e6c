/**
 * Assembling a booted board from its tree: the boot notes, the hardware models chosen by
 * `compatible` (interrupt controllers first, so interrupts can be mapped), the kernel's interrupt
 * mapping hook, and the platform devices. What was built is kept per board for tools and tests.
 */
import { driverCore } from '../../kernel/driver/core.js';
import { translateReg } from '../../kernel/driver/of-address.js';
import { findProp, isAvailable, type OfNode } from '../../kernel/driver/of-node.js';
import type { PlatformDevice } from '../../kernel/driver/platform-device.js';
import type { Board } from '../board.js';
import { deviceModelFor, type DeviceModelFactory, type DeviceModelInstance } from '../devices.js';
import type { DtTree } from '../dts/index.js';
import { populate, type BusMatch } from './populate.js';

/** A model put on the board for a node. */
export interface PlacedModel {
  readonly node: OfNode;
  readonly compatible: string;
  readonly instance: DeviceModelInstance;
}

/** What assembly built for a board. */
export interface BoardAssembly {
  readonly tree: DtTree;
  /** Hardware models, by node. */
  readonly models: ReadonlyMap<OfNode, PlacedModel>;
  /** Platform devices made from the tree, in creation order. */
  readonly devices: readonly PlatformDevice[];
  /** Notes printed in the boot log about defaults taken. */
  readonly notes: readonly string[];
}

/** Options of {@link attachTree}. */
export interface AttachOptions {
  /** Notes from deriving the spec, printed first. */
  readonly notes?: readonly string[];
  /** Extra device models for this board only, by compatible (searched before the registry). */
  readonly models?: Readonly<Record<string, DeviceModelFactory>>;
  /** Bus match table for publishing devices (default: the mpc85xx one). */
  readonly buses?: readonly BusMatch[];
}

const assemblies = new WeakMap<Board, BoardAssembly>();

/** What assembly built for `board`, or null for a board made from a bare spec. */
export function boardAssembly(board: Board): BoardAssembly | null {
  return assemblies.get(board) ?? null;
}

function walk(n: OfNode, visit: (n: OfNode) => void): void {
  if (!isAvailable(n)) return;
  visit(n);
  for (const c of n.children) walk(c, visit);
}

function regsOf(n: OfNode): { address: number; size: number }[] {
  const out: { address: number; size: number }[] = [];
  if (findProp(n, 'reg') === undefined) return out;
  for (let i = 0; ; i++) {
    const t = translateReg(n, i);
    if (!t.ok) break;
    out.push({ address: t.address, size: t.size });
  }
  return out;
}

/** Put the tree's hardware on `board` and publish its devices. Called once, by the Board constructor. */
export function attachTree(board: Board, tree: DtTree, opts: AttachOptions = {}): BoardAssembly {
  const k = board.kernel;
  const notes = [...(opts.notes ?? [])];
  for (const line of notes) k.log.info(line);

  // Hardware models; interrupt controllers first so that devices can map their interrupts.
  const found: { node: OfNode; compatible: string; factory: DeviceModelFactory }[] = [];
  walk(tree.root, (n) => {
    const m = deviceModelFor(n, opts.models);
    if (m) found.push({ node: n, ...m });
  });
  found.sort((a, b) => Number(findProp(b.node, 'interrupt-controller') !== undefined) - Number(findProp(a.node, 'interrupt-controller') !== undefined));
  const models = new Map<OfNode, PlacedModel>();
  for (const f of found) {
    const made = f.factory({ board, node: f.node, regs: regsOf(f.node), compatible: f.compatible });
    if (typeof made === 'string') {
      k.log.warn(`driverlab: no model for ${f.node.path}: ${made}`);
      continue;
    }
    models.set(f.node, { node: f.node, compatible: f.compatible, instance: made });
    if (made.banner) k.log.info(made.banner);
  }
  driverCore(k).irqMapper = (ctrl, cells) => {
    const m = models.get(ctrl)?.instance.mapIrq;
    return m ? m(cells) : { error: `no irq domain found for ${ctrl.path} !`, defer: true };
  };

  const devices = populate(k, tree.root, { coherent: board.spec.coherent, ...(opts.buses ? { buses: opts.buses } : {}) });
  const withModel = devices.filter((d) => d.of_node !== null && models.has(d.of_node)).length;
  k.log.info(`driverlab: of_platform: ${devices.length} platform devices from the device tree, ${withModel} with a hardware model`);
  const a: BoardAssembly = { tree, models, devices, notes };
  assemblies.set(board, a);
  return a;
}
