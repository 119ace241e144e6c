/**
 * Device names from tree nodes, as Linux's `of_device_make_bus_id` makes them: the translated
 * register address and the node name (`ffe24000.ethernet`), or, for a node whose `reg` cannot be
 * translated, the node names up to the first ancestor that can be (`ffe09000.pcie:pcie@0`).
 */
import { translateReg } from '../../kernel/driver/of-address.js';
import { findProp, nodeBaseName, propU32, type OfNode } from '../../kernel/driver/of-node.js';

function ffs(mask: number): number {
  for (let i = 0; i < 32; i++) if (mask & (1 << i)) return i + 1;
  return 0;
}

/** `dev_name()` of the platform device made from `np`. */
export function makeBusId(np: OfNode): string {
  let name: string | null = null;
  for (let node: OfNode = np; node.parent !== undefined; node = node.parent) {
    if (findProp(node, 'reg') !== undefined) {
      const t = translateReg(node, 0);
      if (t.ok) {
        const mask = propU32(node, 'mask');
        const head = mask !== undefined ? `${t.address.toString(16)}.${(ffs(mask) - 1).toString(16)}.${nodeBaseName(node)}` : `${t.address.toString(16)}.${nodeBaseName(node)}`;
        return name === null ? head : `${head}:${name}`;
      }
    }
    name = name === null ? node.name : `${node.name}:${name}`;
  }
  return name ?? np.name;
}
