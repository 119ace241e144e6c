/**
 * The kernel's view of a device-tree node (`struct device_node`): the shape the board's parsed tree
 * already has, plus the low-level readers the `of_*` API, address translation and matching share.
 * The kernel layer never imports the board's parser; any tree of this shape will do.
 */

/** A property: its name and the exact bytes a flattened tree holds (cells big-endian, strings NUL-terminated). */
export interface OfProperty {
  readonly name: string;
  readonly value: Uint8Array;
}

/** `struct device_node`: a node of the device tree. */
export interface OfNode {
  /** Node name with unit address (`serial@4500`); '' for the root. */
  readonly name: string;
  /** Full path (`/soc@ffe00000/serial@4500`), what `%pOF` prints. */
  readonly path: string;
  /** The node's phandle, if it has one. */
  readonly phandle?: number;
  readonly properties: readonly OfProperty[];
  readonly children: readonly OfNode[];
  readonly parent?: OfNode;
}

/** `of_find_property(np, name)` without the length out-parameter. */
export function findProp(np: OfNode, name: string): OfProperty | undefined {
  for (const p of np.properties) if (p.name === name) return p;
  return undefined;
}

/** The cells of a property as unsigned 32-bit numbers (a trailing partial cell is ignored). */
export function propCells(prop: OfProperty): number[] {
  const v = prop.value;
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= v.length; i += 4) out.push(view.getUint32(i));
  return out;
}

/** A single-cell property's value, or undefined when absent or not exactly one cell. */
export function propU32(np: OfNode, name: string): number | undefined {
  const p = findProp(np, name);
  if (p === undefined || p.value.length !== 4) return undefined;
  return new DataView(p.value.buffer, p.value.byteOffset, 4).getUint32(0);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The strings of a string-list property (empty when the value is empty or not NUL-terminated). */
export function propStrings(prop: OfProperty): string[] {
  const v = prop.value;
  if (v.length === 0 || v[v.length - 1] !== 0) return [];
  return utf8.decode(v.subarray(0, v.length - 1)).split('\0');
}

/** The node name without its unit address, as `%pOFn` prints it (`serial`). */
export function nodeBaseName(np: OfNode): string {
  const at = np.name.indexOf('@');
  return at < 0 ? np.name : np.name.slice(0, at);
}

/** The `compatible` strings of a node. */
export function compatibles(np: OfNode): string[] {
  const p = findProp(np, 'compatible');
  return p === undefined ? [] : propStrings(p);
}

/** `device_type` of a node, or undefined. */
export function deviceType(np: OfNode): string | undefined {
  const p = findProp(np, 'device_type');
  return p === undefined ? undefined : propStrings(p)[0];
}

/** `of_device_is_available`: `status` absent, `"okay"` or `"ok"`. */
export function isAvailable(np: OfNode): boolean {
  const p = findProp(np, 'status');
  if (p === undefined) return true;
  const s = propStrings(p)[0];
  return s === 'okay' || s === 'ok';
}

/**
 * `__of_device_is_compatible`: 0 for no match, else a score that is higher for a match earlier
 * in the node's `compatible` list (compared case-insensitively, as Linux's `of_compat_cmp`), plus
 * 2 for a matching `type` and 1 for a matching `name` when those are given.
 */
export function compatibleScore(np: OfNode, compat?: string, type?: string, name?: string): number {
  let score = 0;
  if (compat) {
    const want = compat.toLowerCase();
    const list = compatibles(np);
    const index = list.findIndex((c) => c.toLowerCase() === want);
    if (index < 0) return 0;
    score = 0x3fff_ffff - (index << 2);
  }
  if (type) {
    if (deviceType(np) !== type) return 0;
    score += 2;
  }
  if (name) {
    if (nodeBaseName(np) !== name) return 0;
    score++;
  }
  return score;
}

/** The node with `phandle`, searched from the root of `np`'s tree. */
export function findByPhandle(np: OfNode, phandle: number): OfNode | undefined {
  let root = np;
  while (root.parent) root = root.parent;
  const stack: OfNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.phandle === phandle) return n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return undefined;
}
