/**
 * A plain, comparable form of a tree (names, labels, property bytes as hex, in order) and a
 * comparison that lists differences by path; used to check a parse against dtc's own output.
 */

import type { DtNode, DtTree } from './model.js';

/** A node reduced to values: what dtc would put in a blob, plus labels. */
export interface CanonicalNode {
  readonly name: string;
  readonly labels: readonly string[];
  /** `[name, hex bytes]` in order. */
  readonly properties: readonly (readonly [string, string])[];
  readonly children: readonly CanonicalNode[];
}

/** One difference found by {@link compareTrees}. */
export interface TreeDifference {
  /** Path of the node where the difference is. */
  readonly path: string;
  /** What differs. */
  readonly what: string;
}

/** Options of {@link compareTrees}. */
export interface CompareOptions {
  /** Compare properties and children as sets instead of sequences. */
  readonly ignoreOrder?: boolean;
  /** Do not compare labels. */
  readonly ignoreLabels?: boolean;
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** The canonical form of a node (the root by default). */
export function canonicalTree(tree: DtTree | DtNode): CanonicalNode {
  const node = 'root' in tree ? tree.root : tree;
  return {
    name: node.name,
    labels: [...node.labels],
    properties: node.properties.map((p) => [p.name, toHex(p.value)] as const),
    children: node.children.map((c) => canonicalTree(c)),
  };
}

/** Differences between two trees (empty when equal by value). */
export function compareTrees(a: DtTree | DtNode, b: DtTree | DtNode, options: CompareOptions = {}): TreeDifference[] {
  const diffs: TreeDifference[] = [];
  compareNodes(canonicalTree(a), canonicalTree(b), '/', options, diffs);
  return diffs;
}

function compareNodes(a: CanonicalNode, b: CanonicalNode, path: string, o: CompareOptions, diffs: TreeDifference[]): void {
  if (!o.ignoreLabels && a.labels.join(' ') !== b.labels.join(' ')) {
    diffs.push({ path, what: `labels [${a.labels.join(', ')}] vs [${b.labels.join(', ')}]` });
  }
  const aProps = new Map(a.properties);
  const bProps = new Map(b.properties);
  for (const [name, value] of a.properties) {
    const other = bProps.get(name);
    if (other === undefined) diffs.push({ path, what: `property '${name}' only in the first tree` });
    else if (other !== value) diffs.push({ path, what: `property '${name}': ${value} vs ${other}` });
  }
  for (const [name] of b.properties) if (!aProps.has(name)) diffs.push({ path, what: `property '${name}' only in the second tree` });
  if (!o.ignoreOrder) {
    const aOrder = a.properties.map(([n]) => n).filter((n) => bProps.has(n));
    const bOrder = b.properties.map(([n]) => n).filter((n) => aProps.has(n));
    if (aOrder.join('\n') !== bOrder.join('\n')) diffs.push({ path, what: `property order [${aOrder.join(', ')}] vs [${bOrder.join(', ')}]` });
    const aKids = a.children.map((c) => c.name);
    const bKids = b.children.map((c) => c.name);
    const common = (xs: string[], ys: string[]): string[] => xs.filter((x) => ys.includes(x));
    if (common(aKids, bKids).join('\n') !== common(bKids, aKids).join('\n')) {
      diffs.push({ path, what: `child order [${aKids.join(', ')}] vs [${bKids.join(', ')}]` });
    }
  }
  const bKids = new Map(b.children.map((c) => [c.name, c]));
  const aNames = new Set(a.children.map((c) => c.name));
  for (const child of a.children) {
    const childPath = path === '/' ? `/${child.name}` : `${path}/${child.name}`;
    const other = bKids.get(child.name);
    if (other === undefined) diffs.push({ path: childPath, what: 'node only in the first tree' });
    else compareNodes(child, other, childPath, o, diffs);
  }
  for (const child of b.children) {
    if (!aNames.has(child.name)) diffs.push({ path: path === '/' ? `/${child.name}` : `${path}/${child.name}`, what: 'node only in the second tree' });
  }
}
