/** Small helpers shared by the DTS unit tests: parse from memory, look values up as hex. */

import { findNodeByPath, getProperty, parseDts, type DtNode, type DtProperty, type DtTree } from '../../../src/board/dts/index.js';

/** Parses `source` as /b/main.dts with in-memory include files and include dir /inc. */
export function dts(source: string, files: Record<string, string> = {}, defines?: Record<string, string>): DtTree {
  return parseDts(source, {
    file: '/b/main.dts',
    includeDirs: ['/inc'],
    readFile: (p) => files[p],
    ...(defines ? { defines } : {}),
  });
}

/** The node at `path`, failing loudly if absent. */
export function node(tree: DtTree, path: string): DtNode {
  const n = findNodeByPath(tree, path);
  if (n === undefined) throw new Error(`no node ${path}`);
  return n;
}

/** The property `name` of the node at `path`. */
export function prop(tree: DtTree, path: string, name: string): DtProperty {
  const p = getProperty(node(tree, path), name);
  if (p === undefined) throw new Error(`no property ${name} in ${path}`);
  return p;
}

/** A property's bytes as hex. */
export function hex(tree: DtTree, path: string, name: string): string {
  return Buffer.from(prop(tree, path, name).value).toString('hex');
}

/** Property names of a node in order. */
export function propNames(tree: DtTree, path: string): string[] {
  return node(tree, path).properties.map((p) => p.name);
}

/** Child names of a node in order. */
export function childNames(tree: DtTree, path: string): string[] {
  return node(tree, path).children.map((c) => c.name);
}
