/**
 * Device-tree property access as drivers call it (`of_property_read_u32`, `of_get_property`,
 * `of_get_mac_address`, child and phandle lookups…), with Linux's return conventions: 0 or a
 * negative errno, values handed back through an out-parameter object (`{ value }`) as C's `&val`.
 */
import type { Device } from '../device.js';
import { driverCore } from '../driver/core.js';
import { devicePrivate } from '../driver/device-private.js';
import { EILSEQ, EINVAL, ENODATA, ENODEV, ENXIO, EOVERFLOW, EPROBE_DEFER } from '../driver/errno.js';
import { ofMatchNode } from '../driver/match.js';
import { mapSpecifier, parseInterrupts } from '../driver/of-irq.js';
import { addressToResource, translateReg } from '../driver/of-address.js';
import { compatibleScore, findByPhandle, findProp, isAvailable, nodeBaseName, propCells, propStrings, type OfNode, type OfProperty } from '../driver/of-node.js';
import type { OfDeviceId } from '../driver/platform-device.js';
import type { Resource } from '../driver/resource.js';
import { SandboxArgumentError } from '../errors.js';
import { kernelFor } from './kernel-of.js';

export type { OfNode, OfProperty } from '../driver/of-node.js';

/** An out-parameter: C's `&val`. */
export interface Out<T> {
  value: T;
}

function node(fn: string, np: OfNode | null | undefined): OfNode | null {
  if (np === null || np === undefined) return null;
  if (typeof np !== 'object' || !Array.isArray((np as OfNode).properties)) throw new SandboxArgumentError(fn, 'np', 'a device_node (pdev.of_node)', np);
  return np;
}

/** `dev_of_node(dev)` / `dev->of_node`: the device's tree node, or null. */
export function dev_of_node(dev: Device): OfNode | null {
  return devicePrivate(dev).ofNode;
}

/** `of_find_property(np, name, lenp)`: the property, or null; `lenp.value` gets its length. */
export function of_find_property(np: OfNode | null, name: string, lenp?: Out<number>): OfProperty | null {
  const n = node('of_find_property', np);
  const p = n ? findProp(n, name) : undefined;
  if (lenp) lenp.value = p ? p.value.length : 0;
  return p ?? null;
}

/** `of_get_property(np, name, lenp)`: the raw value bytes (big-endian cells), or null. */
export function of_get_property(np: OfNode | null, name: string, lenp?: Out<number>): Uint8Array | null {
  return of_find_property(np, name, lenp)?.value ?? null;
}

/** `of_property_present(np, name)` / `of_property_read_bool`: the property exists. */
export function of_property_present(np: OfNode | null, name: string): boolean {
  return of_find_property(np, name) !== null;
}

/** `of_property_read_bool(np, name)`. */
export function of_property_read_bool(np: OfNode | null, name: string): boolean {
  return of_property_present(np, name);
}

function valueOfSize(np: OfNode | null, name: string, min: number): OfProperty | number {
  const p = of_find_property(np, name);
  if (p === null) return -EINVAL;
  if (p.value.length === 0) return -ENODATA;
  if (p.value.length < min) return -EOVERFLOW;
  return p;
}

/** `of_property_read_u32_index(np, name, index, out)`: 0, -EINVAL (absent), -ENODATA (empty), -EOVERFLOW (too short). */
export function of_property_read_u32_index(np: OfNode | null, name: string, index: number, out: Out<number>): number {
  const p = valueOfSize(np, name, (index + 1) * 4);
  if (typeof p === 'number') return p;
  out.value = propCells(p)[index]!;
  return 0;
}

/** `of_property_read_u32(np, name, out)`. */
export function of_property_read_u32(np: OfNode | null, name: string, out: Out<number>): number {
  return of_property_read_u32_index(np, name, 0, out);
}

/** `of_property_read_u32_array(np, name, out, sz)`: the first `sz` cells into `out`. */
export function of_property_read_u32_array(np: OfNode | null, name: string, out: number[] | Uint32Array, sz: number): number {
  const p = valueOfSize(np, name, sz * 4);
  if (typeof p === 'number') return p;
  const cells = propCells(p);
  for (let i = 0; i < sz; i++) out[i] = cells[i]!;
  return 0;
}

/** `of_property_read_u64(np, name, out)`: two cells. */
export function of_property_read_u64(np: OfNode | null, name: string, out: Out<bigint>): number {
  const p = valueOfSize(np, name, 8);
  if (typeof p === 'number') return p;
  const c = propCells(p);
  out.value = (BigInt(c[0]!) << 32n) | BigInt(c[1]!);
  return 0;
}

/** `of_property_count_u32_elems(np, name)`: number of cells, or a negative errno. */
export function of_property_count_u32_elems(np: OfNode | null, name: string): number {
  const p = of_find_property(np, name);
  if (p === null) return -EINVAL;
  if (p.value.length === 0) return -ENODATA;
  return p.value.length % 4 === 0 ? p.value.length / 4 : -EINVAL;
}

/** `of_property_read_string(np, name, out)`: 0, -EINVAL (absent), -ENODATA (empty), -EILSEQ (not NUL-terminated). */
export function of_property_read_string(np: OfNode | null, name: string, out: Out<string>): number {
  const p = of_find_property(np, name);
  if (p === null) return -EINVAL;
  if (p.value.length === 0) return -ENODATA;
  if (!p.value.includes(0)) return -EILSEQ;
  out.value = propStrings(p)[0] ?? new TextDecoder().decode(p.value.subarray(0, p.value.indexOf(0)));
  return 0;
}

/** `of_property_read_string_index(np, name, index, out)`: -ENODATA when there is no such string. */
export function of_property_read_string_index(np: OfNode | null, name: string, index: number, out: Out<string>): number {
  const p = of_find_property(np, name);
  if (p === null) return -EINVAL;
  const list = propStrings(p);
  if (p.value.length > 0 && list.length === 0) return -EILSEQ;
  if (index >= list.length) return -ENODATA;
  out.value = list[index]!;
  return 0;
}

/** `of_property_count_strings(np, name)`. */
export function of_property_count_strings(np: OfNode | null, name: string): number {
  const p = of_find_property(np, name);
  if (p === null) return -EINVAL;
  if (p.value.length === 0) return -ENODATA;
  const list = propStrings(p);
  return list.length === 0 ? -EILSEQ : list.length;
}

/** `of_property_match_string(np, name, string)`: index of `string` in the list, or -ENODATA / -EINVAL. */
export function of_property_match_string(np: OfNode | null, name: string, s: string): number {
  const p = of_find_property(np, name);
  if (p === null) return -EINVAL;
  if (p.value.length === 0) return -ENODATA;
  const i = propStrings(p).indexOf(s);
  return i < 0 ? -ENODATA : i;
}

/** `of_device_is_compatible(np, compat)`: a positive score when `np` is compatible, else 0. */
export function of_device_is_compatible(np: OfNode | null, compat: string): number {
  const n = node('of_device_is_compatible', np);
  return n ? compatibleScore(n, compat) : 0;
}

/** `of_device_is_available(np)`: `status` absent, "okay" or "ok". */
export function of_device_is_available(np: OfNode | null): boolean {
  const n = node('of_device_is_available', np);
  return n !== null && isAvailable(n);
}

/** `of_match_node(matches, np)`. */
export function of_match_node(matches: readonly OfDeviceId[], np: OfNode | null): OfDeviceId | null {
  return ofMatchNode(matches, node('of_match_node', np));
}

/** `of_node_name_eq(np, name)`: the name without unit address equals `name`. */
export function of_node_name_eq(np: OfNode | null, name: string): boolean {
  return np !== null && nodeBaseName(np) === name;
}

/** `of_node_full_name(np)`: the node's name with unit address (`ethernet@b0000`), `<no-node>` for null. */
export function of_node_full_name(np: OfNode | null): string {
  return np === null ? '<no-node>' : np.name || '/';
}

/** `of_node_get(np)`: reference counting is not modelled; returns `np`. */
export function of_node_get(np: OfNode | null): OfNode | null {
  return np;
}

/** `of_node_put(np)`: reference counting is not modelled; does nothing. */
export function of_node_put(_np: OfNode | null): void {}

/** `of_get_parent(np)`. */
export function of_get_parent(np: OfNode | null): OfNode | null {
  return np?.parent ?? null;
}

/** `of_get_next_child(np, prev)`: the child after `prev` (the first for null), or null. */
export function of_get_next_child(np: OfNode | null, prev: OfNode | null): OfNode | null {
  if (np === null) return null;
  const i = prev === null ? 0 : np.children.indexOf(prev) + 1;
  return i > 0 || prev === null ? np.children[i] ?? null : null;
}

/** `of_get_next_available_child(np, prev)`. */
export function of_get_next_available_child(np: OfNode | null, prev: OfNode | null): OfNode | null {
  let c = of_get_next_child(np, prev);
  while (c !== null && !isAvailable(c)) c = of_get_next_child(np, c);
  return c;
}

/** `for_each_child_of_node(parent, child)` as an iterable: `for (const child of for_each_child_of_node(np))`. */
export function* for_each_child_of_node(np: OfNode | null): Generator<OfNode> {
  if (np !== null) yield* np.children;
}

/** `for_each_available_child_of_node`. */
export function* for_each_available_child_of_node(np: OfNode | null): Generator<OfNode> {
  if (np !== null) for (const c of np.children) if (isAvailable(c)) yield c;
}

/** `of_get_child_count(np)`. */
export function of_get_child_count(np: OfNode | null): number {
  return np?.children.length ?? 0;
}

/** `of_get_available_child_count(np)`. */
export function of_get_available_child_count(np: OfNode | null): number {
  return np?.children.filter(isAvailable).length ?? 0;
}

/** `of_get_child_by_name(np, name)`: the first child whose name (without unit address) is `name`. */
export function of_get_child_by_name(np: OfNode | null, name: string): OfNode | null {
  return np?.children.find((c) => nodeBaseName(c) === name) ?? null;
}

/** `of_get_compatible_child(np, compatible)`. */
export function of_get_compatible_child(np: OfNode | null, compatible: string): OfNode | null {
  return np?.children.find((c) => compatibleScore(c, compatible) > 0) ?? null;
}

/** `of_parse_phandle(np, name, index)`: the node the index-th phandle of the property points at, or null. */
export function of_parse_phandle(np: OfNode | null, name: string, index: number): OfNode | null {
  const p = of_find_property(np, name);
  if (p === null || np === null) return null;
  const ph = propCells(p)[index];
  return ph === undefined ? null : findByPhandle(np, ph) ?? null;
}

/** `of_find_compatible_node(from, type, compat)`: the next node after `from` in tree order that is compatible. */
export function of_find_compatible_node(from: OfNode | null, type: string | null, compat: string, root?: OfNode): OfNode | null {
  let top = from ?? root ?? null;
  if (top === null) return null;
  while (top.parent) top = top.parent;
  const order: OfNode[] = [];
  const walk = (n: OfNode): void => {
    order.push(n);
    for (const c of n.children) walk(c);
  };
  walk(top);
  const start = from === null ? 0 : order.indexOf(from) + 1;
  return order.slice(start).find((n) => compatibleScore(n, compat, type ?? undefined) > 0) ?? null;
}

function validEther(b: Uint8Array): boolean {
  return b.length === 6 && (b[0]! & 1) === 0 && b.some((x) => x !== 0);
}

/**
 * `of_get_mac_address(np, addr)`: copy a valid address from `mac-address`, `local-mac-address`
 * or `address` into `addr` (host bytes, or a kernel pointer); 0, or -ENODEV. An all-zero or
 * multicast value does not count, as `is_valid_ether_addr`. NVMEM cells (`nvmem-cells` with
 * `mac-address`) are not modelled and give -ENODEV.
 */
export function of_get_mac_address(np: OfNode | null, addr: Uint8Array | number): number {
  if (np === null) return -ENODEV;
  for (const name of ['mac-address', 'local-mac-address', 'address']) {
    const p = findProp(np, name);
    if (p !== undefined && validEther(p.value)) {
      if (typeof addr === 'number') kernelFor('of_get_mac_address').cpu.write(addr, p.value.subarray(0, 6));
      else addr.set(p.value.subarray(0, 6));
      return 0;
    }
  }
  return -ENODEV;
}

/** `of_address_to_resource(np, index, r)`: 0 and the translated memory resource, or -EINVAL. */
export function of_address_to_resource(np: OfNode | null, index: number, r: Out<Resource | null>): number {
  const res = np ? addressToResource(np, index) : null;
  r.value = res;
  return res ? 0 : -EINVAL;
}

/** `of_translate_address` of the index-th `reg` entry: the CPU physical address, or null (OF_BAD_ADDR). */
export function of_translate_address(np: OfNode | null, index = 0): number | null {
  if (np === null) return null;
  const t = translateReg(np, index);
  return t.ok ? t.address : null;
}

/** `of_irq_get(np, index)`: the Linux irq number of the node's index-th interrupt, -EPROBE_DEFER when its controller has no irq domain, -EINVAL for a bad specifier, -ENXIO when there is none. */
export function of_irq_get(np: OfNode | null, index: number): number {
  const k = kernelFor('of_irq_get');
  if (np === null) return -EINVAL;
  const spec = parseInterrupts(np)[index];
  if (spec === undefined) return -ENXIO;
  const m = mapSpecifier(driverCore(k), spec, index);
  return m.virq > 0 ? m.virq : m.defer ? -EPROBE_DEFER : -EINVAL;
}

/** genirq's lightweight node form (flattened `interrupts` and the parent's `#interrupt-cells`), also accepted. */
export interface OfIrqCells {
  readonly name: string;
  readonly interrupts: readonly number[];
  readonly interruptCells?: number;
}

/**
 * `irq_of_parse_and_map(np, index)`: the Linux irq number of the node's index-th interrupt, or 0
 * (powerpc's NO_IRQ) on failure. Takes a tree node (its interrupt parent found as Linux does), or
 * genirq's {@link OfIrqCells} form mapped in the default domain.
 */
export function irq_of_parse_and_map(np: OfNode | OfIrqCells | null, index: number): number {
  if (np !== null && !('properties' in np)) {
    const k = kernelFor('irq_of_parse_and_map');
    const n = np.interruptCells ?? 4;
    const cells = np.interrupts.slice(index * n, index * n + n);
    return cells.length === n ? k.irq.mapper.createOfMapping(cells, np.name) : 0;
  }
  const v = of_irq_get(np, index);
  return v > 0 ? v : 0;
}
