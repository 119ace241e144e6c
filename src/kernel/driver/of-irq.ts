/**
 * Device-tree interrupts (`of_irq_parse_one`, `of_irq_find_parent`): a node's `interrupts` (or
 * `interrupts-extended`) split into specifiers of its interrupt parent's `#interrupt-cells`, and
 * mapped to Linux irq numbers through the kernel's {@link IrqMapper}. `interrupt-map` (PCI
 * interrupt routing) is not modelled.
 */
import type { DriverCore } from './core.js';
import { findByPhandle, findProp, propCells, propU32, type OfNode } from './of-node.js';
import type { PlatformIrq } from './platform-device.js';

/** One parsed specifier. */
export interface IrqSpecifier {
  /** The interrupt controller, or null when none was found. */
  readonly controller: OfNode | null;
  readonly cells: readonly number[];
  /** Why it cannot be used, when it cannot. */
  readonly error?: string;
}

/** `of_irq_find_parent(np)`: follow `interrupt-parent` (or the tree parent) to the first node with `#interrupt-cells`. */
export function findInterruptParent(np: OfNode): OfNode | null {
  let child: OfNode | undefined = np;
  for (;;) {
    const ip = findProp(child, 'interrupt-parent');
    const p: OfNode | undefined = ip === undefined ? child.parent : ip.value.length === 4 ? findByPhandle(child, propCells(ip)[0]!) : undefined;
    if (p === undefined) return null;
    if (findProp(p, '#interrupt-cells') !== undefined) return p;
    child = p;
  }
}

function checkController(ctrl: OfNode): string | undefined {
  if (findProp(ctrl, 'interrupt-controller') !== undefined) return undefined;
  if (findProp(ctrl, 'interrupt-map') !== undefined) return `${ctrl.path} routes interrupts through interrupt-map (not modelled)`;
  return `${ctrl.path} has #interrupt-cells but is not an interrupt-controller`;
}

/** Every interrupt specifier of `np` (from `interrupts-extended`, else `interrupts`). */
export function parseInterrupts(np: OfNode): IrqSpecifier[] {
  const ext = findProp(np, 'interrupts-extended');
  if (ext !== undefined) {
    const cells = propCells(ext);
    const out: IrqSpecifier[] = [];
    for (let i = 0; i < cells.length; ) {
      const ctrl = findByPhandle(np, cells[i]!);
      const n = ctrl ? propU32(ctrl, '#interrupt-cells') : undefined;
      if (ctrl === undefined || n === undefined) {
        out.push({ controller: null, cells: cells.slice(i), error: `interrupts-extended: phandle ${cells[i]} is not an interrupt controller` });
        break;
      }
      out.push(withError(ctrl, cells.slice(i + 1, i + 1 + n)));
      i += 1 + n;
    }
    return out;
  }
  const ints = findProp(np, 'interrupts');
  if (ints === undefined) return [];
  const cells = propCells(ints);
  const ctrl = findInterruptParent(np);
  if (ctrl === null) return [{ controller: null, cells, error: `no interrupt parent found for ${np.path}` }];
  const n = propU32(ctrl, '#interrupt-cells') ?? 0;
  if (n === 0 || cells.length % n !== 0) return [{ controller: ctrl, cells, error: `interrupts has ${cells.length} cells, not a multiple of #interrupt-cells = ${n} of ${ctrl.path}` }];
  const out: IrqSpecifier[] = [];
  for (let i = 0; i < cells.length; i += n) out.push(withError(ctrl, cells.slice(i, i + n)));
  return out;
}

function withError(ctrl: OfNode, cells: number[]): IrqSpecifier {
  const error = checkController(ctrl);
  return error === undefined ? { controller: ctrl, cells } : { controller: ctrl, cells, error };
}

/** Map one specifier through the kernel's irq mapper (`irq_create_of_mapping`). */
export function mapSpecifier(core: DriverCore, spec: IrqSpecifier, index: number): PlatformIrq {
  const base = { index, controller: spec.controller, cells: spec.cells };
  if (spec.error !== undefined || spec.controller === null) return { ...base, virq: 0, error: spec.error ?? 'no interrupt controller' };
  if (core.irqMapper === null) return { ...base, virq: 0, error: `no irq domain found for ${spec.controller.path} !`, defer: true };
  const m = core.irqMapper(spec.controller, spec.cells);
  if ('error' in m) return { ...base, virq: 0, error: m.error, ...(m.defer ? { defer: true } : {}) };
  return { ...base, virq: m.virq, hwirq: m.hwirq, type: m.type };
}

/** All interrupts of `np`, mapped. */
export function mapInterrupts(core: DriverCore, np: OfNode): PlatformIrq[] {
  return parseInterrupts(np).map((s, i) => mapSpecifier(core, s, i));
}
