/**
 * Resolves references and gives phandles the way dtc does: explicit `phandle` / `linux,phandle`
 * values are kept, then the tree is walked depth-first (a node's properties in order, then its
 * children) and every node met as the target of a cell reference `<&x>` that has no phandle yet gets
 * the next free number, counting from 1, plus a `phandle` property appended to it.
 */

import type { AstRef, AstValuePart } from './ast.js';
import { DtsError, formatLocation } from './errors.js';
import { BuildProp, findLiveByPath, type BuildNode, type BuiltTree } from './tree-builder.js';

/** Phandles of the working tree and the way references resolve in it. */
export interface ResolvedReferences {
  /** Phandle of every node that has one. */
  readonly phandles: Map<BuildNode, number>;
  /** Nodes that some reference (in cells or outside) points at. */
  readonly referenced: Set<BuildNode>;
  /** The node a reference points at (throws a located error if there is none). */
  resolve(ref: AstRef): BuildNode;
}

/** Visits live nodes depth-first: the node, then its children. */
export function walkLive(node: BuildNode, visit: (n: BuildNode) => void): void {
  if (node.deleted) return;
  visit(node);
  for (const c of node.children) walkLive(c, visit);
}

/** Collects explicit phandles, then assigns new ones to referenced nodes in dtc's order. */
export function assignPhandles(tree: BuiltTree): ResolvedReferences {
  const phandles = new Map<BuildNode, number>();
  const owners = new Map<number, BuildNode>();
  const referenced = new Set<BuildNode>();

  const resolve = (ref: AstRef): BuildNode => {
    let node: BuildNode | undefined;
    if (ref.target.startsWith('/')) node = findLiveByPath(tree.root, ref.target);
    else {
      const owner = tree.findLabel(ref.target);
      if (owner !== undefined && owner.prop === undefined) node = owner.node;
    }
    if (node === undefined) throw new DtsError(ref.loc, `reference to non-existent node or label '${ref.target}'`);
    return node;
  };

  walkLive(tree.root, (node) => {
    const value = explicitPhandle(node, 'phandle');
    const legacy = explicitPhandle(node, 'linux,phandle');
    if (value !== undefined && legacy !== undefined && value.value !== legacy.value) {
      throw new DtsError(legacy.prop.loc, `'linux,phandle' (0x${legacy.value.toString(16)}) differs from 'phandle' (0x${value.value.toString(16)}) of ${node.path}`);
    }
    const found = value ?? legacy;
    if (found === undefined) return;
    const v = found.value;
    if (v === 0 || v === 0xffffffff) throw new DtsError(found.prop.loc, `bad value (0x${v.toString(16)}) in ${found.prop.name} property of ${node.path}`);
    const other = owners.get(v);
    if (other !== undefined) {
      throw new DtsError(found.prop.loc, `phandle 0x${v.toString(16)} of ${node.path} is already used by ${other.path} (at ${formatLocation(other.loc)})`);
    }
    owners.set(v, node);
    phandles.set(node, v);
  });

  let next = 1;
  const phandleOf = (target: BuildNode): void => {
    if (phandles.has(target)) return;
    while (owners.has(next)) next++;
    const v = next;
    owners.set(v, target);
    phandles.set(target, v);
    // A node written as `phandle = <&itself>;` keeps that property, which now encodes the new number.
    const existing = target.propIndex.get('phandle');
    if (existing !== undefined && !existing.deleted) return;
    const prop = new BuildProp('phandle', [{ kind: 'cells', bits: 32, cells: [{ kind: 'value', value: BigInt(v) }] }], target.loc);
    // A deleted 'phandle' stays a tombstone in dtc; the new property goes to the end either way.
    target.props.push(prop);
    if (existing === undefined) target.propIndex.set('phandle', prop);
  };

  walkLive(tree.root, (node) => {
    // Index loop: a phandle property appended to this very node is visited too (it holds no reference).
    for (let i = 0; i < node.props.length; i++) {
      const prop = node.props[i]!;
      if (prop.deleted) continue;
      forEachRef(prop.value, (ref, inCells) => {
        const target = resolve(ref);
        referenced.add(target);
        if (inCells) phandleOf(target);
      });
    }
  });

  return { phandles, referenced, resolve };
}

function forEachRef(parts: readonly AstValuePart[], visit: (ref: AstRef, inCells: boolean) => void): void {
  for (const part of parts) {
    if (part.kind === 'path-ref') visit(part.ref, false);
    else if (part.kind === 'cells') for (const cell of part.cells) if (cell.kind === 'ref') visit(cell.ref, true);
  }
}

/** A plain 32-bit value written in a live `phandle` or `linux,phandle` property. */
function explicitPhandle(node: BuildNode, name: string): { value: number; prop: BuildProp } | undefined {
  const prop = node.propIndex.get(name);
  if (prop === undefined || prop.deleted) return undefined;
  const [part, ...rest] = prop.value;
  if (part === undefined || rest.length > 0 || part.kind !== 'cells' || part.bits !== 32 || part.cells.length !== 1) {
    throw new DtsError(prop.loc, `${name} of ${node.path} must be a single 32-bit cell, e.g. <0x1>`);
  }
  const cell = part.cells[0]!;
  if (cell.kind !== 'value') return undefined;
  return { value: Number(cell.value), prop };
}
