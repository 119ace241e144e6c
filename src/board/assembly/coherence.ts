/**
 * DMA coherence from the device tree, as `of_dma_is_coherent` decides it: the nearest
 * `dma-coherent` or `dma-noncoherent` on the node or an ancestor wins; without either the board's
 * default applies (driverlab's default is non-coherent, on purpose — see docs/boards.md).
 */
import { findProp, type OfNode } from '../../kernel/driver/of-node.js';

/** True / false when the node or an ancestor says so, undefined when nothing on the way does. */
export function treeCoherence(node: OfNode): boolean | undefined {
  for (let n: OfNode | undefined = node; n !== undefined; n = n.parent) {
    if (findProp(n, 'dma-coherent') !== undefined) return true;
    if (findProp(n, 'dma-noncoherent') !== undefined) return false;
  }
  return undefined;
}

/** The coherence of a device node: what the tree says, else `fallback`. */
export function dmaCoherent(node: OfNode, fallback: boolean): boolean {
  return treeCoherence(node) ?? fallback;
}
