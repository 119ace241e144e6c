/**
 * Reading a parsed tree: finding nodes by path, label or phandle, and decoding property values
 * (32-bit cells, strings, string lists, multi-cell numbers, `reg` with `#address-cells`/`#size-cells`).
 * Malformed values raise a {@link DtsError} located where the property was written.
 */

import { DtsError, type SourceLocation } from './errors.js';
import type { DtNode, DtProperty, DtTree } from './model.js';

const UNKNOWN: SourceLocation = { file: '<device tree>', line: 1, column: 1 };
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** One `reg` entry. */
export interface RegEntry {
  /** Bus address (up to 64 bits, within JavaScript's safe integers). */
  readonly address: number;
  /** Size in bytes; 0 when `#size-cells` is 0. */
  readonly size: number;
}

function bad(prop: DtProperty, message: string): never {
  throw new DtsError(prop.source ?? UNKNOWN, `property '${prop.name}': ${message}`);
}

/**
 * The node at `path`. Components match a node name exactly, or its name without unit address when
 * that is unambiguous; a path not starting with '/' starts with an alias from `/aliases`.
 */
export function findNodeByPath(tree: DtTree, path: string): DtNode | undefined {
  let node: DtNode | undefined = tree.root;
  let rest = path;
  if (!path.startsWith('/')) {
    const slash = path.indexOf('/');
    const alias = slash === -1 ? path : path.slice(0, slash);
    const aliases = tree.root.children.find((c) => c.name === 'aliases');
    const target = aliases && getProperty(aliases, alias);
    if (target === undefined) return undefined;
    node = findNodeByPath(tree, getString(target));
    rest = slash === -1 ? '' : path.slice(slash);
  }
  for (const part of rest.split('/')) {
    if (part === '' || node === undefined) continue;
    const current: DtNode = node;
    node = current.children.find((c) => c.name === part);
    if (node === undefined && !part.includes('@')) {
      const matches = current.children.filter((c) => c.name.split('@')[0] === part);
      node = matches.length === 1 ? matches[0] : undefined;
    }
  }
  return node;
}

/** The node carrying `label`. */
export function findNodeByLabel(tree: DtTree, label: string): DtNode | undefined {
  return tree.labels.get(label);
}

/** The node whose phandle is `phandle`. */
export function findNodeByPhandle(tree: DtTree, phandle: number): DtNode | undefined {
  return tree.phandles.get(phandle);
}

/** The property `name` of `node`. */
export function getProperty(node: DtNode, name: string): DtProperty | undefined {
  return node.properties.find((p) => p.name === name);
}

/** The value of a single-cell property, e.g. `#address-cells = <1>`. */
export function getU32(prop: DtProperty): number {
  if (prop.value.length !== 4) bad(prop, `expected one 32-bit cell, found ${prop.value.length} bytes`);
  return new DataView(prop.value.buffer, prop.value.byteOffset, 4).getUint32(0);
}

/** All cells of a property as 32-bit numbers. */
export function getU32Array(prop: DtProperty): number[] {
  const { value } = prop;
  if (value.length % 4 !== 0) bad(prop, `expected 32-bit cells, found ${value.length} bytes (not a multiple of 4)`);
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const out: number[] = [];
  for (let i = 0; i < value.length; i += 4) out.push(view.getUint32(i));
  return out;
}

/** The text of a property holding exactly one string. */
export function getString(prop: DtProperty): string {
  const list = getStringList(prop);
  if (list.length !== 1) bad(prop, `expected one string, found ${list.length}`);
  return list[0]!;
}

/** The strings of a string-list property such as `compatible`. */
export function getStringList(prop: DtProperty): string[] {
  const { value } = prop;
  if (value.length === 0 || value[value.length - 1] !== 0) bad(prop, 'expected NUL-terminated strings');
  return utf8.decode(value.subarray(0, value.length - 1)).split('\0');
}

/**
 * The property read as numbers of `cellsPerValue` cells each (big-endian), e.g. addresses with
 * `#address-cells = <2>`.
 * @throws DtsError if the length does not divide, or a number is above 2^53 - 1
 */
export function getCells(prop: DtProperty, cellsPerValue: number): number[] {
  return getBigCells(prop, cellsPerValue).map((v) => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) bad(prop, `value 0x${v.toString(16)} is too large to be represented exactly (above 2^53 - 1)`);
    return Number(v);
  });
}

/** Like {@link getCells}, as bigints (any width). */
export function getBigCells(prop: DtProperty, cellsPerValue: number): bigint[] {
  const cells = getU32Array(prop);
  if (!Number.isInteger(cellsPerValue) || cellsPerValue < 0) bad(prop, `cannot group cells by ${cellsPerValue}`);
  if (cellsPerValue === 0) return [];
  if (cells.length % cellsPerValue !== 0) {
    bad(prop, `has ${cells.length} cells, not a multiple of ${cellsPerValue}`);
  }
  const out: bigint[] = [];
  for (let i = 0; i < cells.length; i += cellsPerValue) {
    let v = 0n;
    for (let k = 0; k < cellsPerValue; k++) v = (v << 32n) | BigInt(cells[i + k]!);
    out.push(v);
  }
  return out;
}

/** Whether `node`'s `compatible` list contains `compatible`. */
export function isCompatible(node: DtNode, compatible: string): boolean {
  const prop = getProperty(node, 'compatible');
  return prop !== undefined && getStringList(prop).includes(compatible);
}

/** `#address-cells` of `node` (how its children's addresses are written); 2 if absent, as the spec says. */
export function addressCells(node: DtNode): number {
  const prop = getProperty(node, '#address-cells');
  return prop === undefined ? 2 : getU32(prop);
}

/** `#size-cells` of `node` (how its children's sizes are written); 1 if absent, as the spec says. */
export function sizeCells(node: DtNode): number {
  const prop = getProperty(node, '#size-cells');
  return prop === undefined ? 1 : getU32(prop);
}

/**
 * The (address, size) pairs of `node`'s `reg`, using its parent's `#address-cells` and
 * `#size-cells`. Returns [] when there is no `reg`.
 * @throws DtsError if `reg` does not divide into entries, or a value is not a safe integer
 */
export function decodeReg(node: DtNode): RegEntry[] {
  const reg = getProperty(node, 'reg');
  if (reg === undefined) return [];
  const parent = node.parent ?? node;
  const ac = addressCells(parent);
  const sc = sizeCells(parent);
  const per = ac + sc;
  if (per === 0) bad(reg, `${parent.path} has #address-cells = <0> and #size-cells = <0>, so reg cannot be decoded`);
  const cells = getU32Array(reg);
  if (cells.length % per !== 0) {
    bad(reg, `has ${cells.length} cells, not a multiple of #address-cells + #size-cells = ${ac} + ${sc} (from ${parent.path})`);
  }
  const combine = (from: number, count: number, what: string): number => {
    let v = 0n;
    for (let k = 0; k < count; k++) v = (v << 32n) | BigInt(cells[from + k]!);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) bad(reg, `${what} 0x${v.toString(16)} is too large to be represented exactly (above 2^53 - 1)`);
    return Number(v);
  };
  const out: RegEntry[] = [];
  for (let i = 0; i < cells.length; i += per) {
    out.push({ address: combine(i, ac, 'address'), size: combine(i + ac, sc, 'size') });
  }
  return out;
}
