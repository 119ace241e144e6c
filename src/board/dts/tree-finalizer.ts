/**
 * Turns the working tree into the public {@link DtTree}: drops deleted items and unreferenced
 * `/omit-if-no-ref/` nodes, encodes every value with references resolved, and indexes labels and
 * phandles.
 */

import type { DtMemReserve, DtNode, DtProperty, DtTree } from './model.js';
import { assignPhandles, walkLive } from './phandles.js';
import { deleteNode, type BuildNode, type BuiltTree } from './tree-builder.js';
import { encodeValue, type ReferenceValues } from './value-encoder.js';

/** Resolves references, assigns phandles and builds the public tree. */
export function finalizeTree(tree: BuiltTree): DtTree {
  const refs = assignPhandles(tree);
  // dtc drops /omit-if-no-ref/ nodes after references were resolved and phandles given.
  walkLive(tree.root, (node) => {
    if (node.omitIfNoRef && !refs.referenced.has(node) && node !== tree.root) deleteNode(node);
  });
  const values: ReferenceValues = {
    phandle: (ref) => refs.phandles.get(refs.resolve(ref))!,
    path: (ref) => refs.resolve(ref).path,
  };
  const labels = new Map<string, DtNode>();
  const phandles = new Map<number, DtNode>();

  const convert = (b: BuildNode, parent: DtNode | undefined, path: string): DtNode => {
    const properties: DtProperty[] = [];
    const children: DtNode[] = [];
    const phandle = refs.phandles.get(b);
    const node: DtNode = {
      name: b.name,
      labels: b.labels.filter((l) => !l.deleted).map((l) => l.name),
      properties,
      children,
      ...(parent !== undefined ? { parent } : {}),
      path,
      ...(phandle !== undefined ? { phandle } : {}),
      source: b.loc,
    };
    for (const l of node.labels) labels.set(l, node);
    if (phandle !== undefined) phandles.set(phandle, node);
    for (const p of b.props) {
      if (p.deleted) continue;
      const { value, chunks } = encodeValue(p.value, values);
      properties.push({
        name: p.name,
        labels: p.labels.filter((l) => !l.deleted).map((l) => l.name),
        value,
        chunks,
        source: p.loc,
      });
    }
    for (const c of b.children) {
      if (c.deleted) continue;
      children.push(convert(c, node, path === '/' ? `/${c.name}` : `${path}/${c.name}`));
    }
    return node;
  };

  const root = convert(tree.root, undefined, '/');
  const memreserves: DtMemReserve[] = tree.memreserves.map((m) => ({
    address: m.address,
    size: m.size,
    labels: m.labels.map((l) => l.name),
  }));
  return { root, memreserves, labels, phandles };
}
