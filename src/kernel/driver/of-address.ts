/**
 * Device-tree address translation (`of_translate_address`, `of_address_to_resource`): a `reg` entry
 * walked up through each bus's `ranges` to a CPU physical address, with the default bus and the
 * PCI bus (3-cell addresses whose first cell names the space). ISA buses and `dma-ranges` are not
 * modelled.
 */
import { findProp, nodeBaseName, deviceType, propCells, propStrings, type OfNode } from './of-node.js';
import { IORESOURCE_MEM, type Resource } from './resource.js';

/** How a bus encodes its children's addresses. */
interface BusKind {
  readonly name: 'default' | 'pci';
  /** Cells of an address (`#address-cells`). */
  addressCells(bus: OfNode): number;
  /** Offset of `addr` inside the range, or null when the range does not cover it. */
  map(addr: readonly number[], range: readonly number[], na: number, ns: number, pna: number): bigint | null;
  /** The address as a number for the parent's translation (flags cells dropped). */
  value(addr: readonly number[], na: number): bigint;
}

function cellsToBig(cells: readonly number[], from: number, count: number): bigint {
  let v = 0n;
  for (let i = 0; i < count; i++) v = (v << 32n) | BigInt(cells[from + i] ?? 0);
  return v;
}

/** `#address-cells` of a bus node; 2 when absent, as the spec and Linux's `of_n_addr_cells` say. */
export function busAddressCells(bus: OfNode): number {
  const p = findProp(bus, '#address-cells');
  return p && p.value.length === 4 ? propCells(p)[0]! : 2;
}

/** `#size-cells` of a bus node; 1 when absent. */
export function busSizeCells(bus: OfNode): number {
  const p = findProp(bus, '#size-cells');
  return p && p.value.length === 4 ? propCells(p)[0]! : 1;
}

const DEFAULT_BUS: BusKind = {
  name: 'default',
  addressCells: busAddressCells,
  map(addr, range, na, ns, pna) {
    const cp = cellsToBig(range, 0, na);
    const s = cellsToBig(range, na + pna, ns);
    const da = cellsToBig(addr, 0, na);
    if (da < cp || da >= cp + s) return null;
    return da - cp;
  },
  value: (addr, na) => cellsToBig(addr, 0, na),
};

/** PCI space code (bits 24-25 of phys.hi): 0 config, 1 I/O, 2 mem32, 3 mem64. */
function pciSpace(hi: number): 'config' | 'io' | 'mem' {
  const ss = (hi >>> 24) & 3;
  return ss === 0 ? 'config' : ss === 1 ? 'io' : 'mem';
}

const PCI_BUS: BusKind = {
  name: 'pci',
  addressCells: () => 3,
  map(addr, range, na, ns, pna) {
    const as = pciSpace(addr[0]!);
    const rs = pciSpace(range[0]!);
    if (as === 'config' || as !== rs) return null;
    const cp = cellsToBig(range, 1, na - 1);
    const s = cellsToBig(range, na + pna, ns);
    const da = cellsToBig(addr, 1, na - 1);
    if (da < cp || da >= cp + s) return null;
    return da - cp;
  },
  value: (addr, na) => cellsToBig(addr, 1, na - 1),
};

/** The bus kind of a bus node: PCI for `device_type` "pci"/"pciex", the default bus otherwise. */
function busOf(bus: OfNode): BusKind {
  const t = deviceType(bus);
  return t === 'pci' || t === 'pciex' ? PCI_BUS : DEFAULT_BUS;
}

/** Why a translation failed, for messages. */
export type TranslateFailure = 'no-reg' | 'bad-reg' | 'no-ranges' | 'no-match';

/** The result of {@link translateReg}. */
export type TranslateResult =
  | { readonly ok: true; readonly address: number; readonly size: number }
  | { readonly ok: false; readonly why: TranslateFailure; readonly at: string };

/**
 * Translate `reg` entry `index` of `np` to a CPU physical address (`of_translate_address` plus the
 * size `of_get_address` reads). Each bus on the way maps the address through its `ranges`: an
 * empty `ranges` is a 1:1 mapping, a missing one stops translation (as Linux's "no ranges; cannot
 * translate").
 */
export function translateReg(np: OfNode, index: number): TranslateResult {
  const reg = findProp(np, 'reg');
  if (reg === undefined) return { ok: false, why: 'no-reg', at: np.path };
  if (np.parent === undefined) return { ok: false, why: 'bad-reg', at: np.path };
  let bus: OfNode = np.parent;
  let kind = busOf(bus);
  let na = kind.addressCells(bus);
  let ns = busSizeCells(bus);
  const cells = propCells(reg);
  const per = na + ns;
  if (per === 0 || (index + 1) * per > cells.length) return { ok: false, why: 'bad-reg', at: np.path };
  let addr = cells.slice(index * per, index * per + na);
  const size = Number(cellsToBig(cells, index * per + na, ns));
  for (;;) {
    const parent: OfNode | undefined = bus.parent;
    if (parent === undefined) {
      const value = kind.value(addr, na);
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, why: 'bad-reg', at: np.path };
      return { ok: true, address: Number(value), size };
    }
    const pkind = busOf(parent);
    const pna = pkind.addressCells(parent);
    const pns = busSizeCells(parent);
    const ranges = findProp(bus, 'ranges');
    if (ranges === undefined) return { ok: false, why: 'no-ranges', at: bus.path };
    let out: number[] | null = null;
    if (ranges.value.length === 0) {
      out = bigToCells(kind.value(addr, na), pna);
    } else {
      const rc = propCells(ranges);
      const rone = na + pna + ns;
      for (let i = 0; i + rone <= rc.length; i += rone) {
        const range = rc.slice(i, i + rone);
        const offset = kind.map(addr, range, na, ns, pna);
        if (offset === null) continue;
        const parentAddr = pkind.value(range.slice(na, na + pna), pna) + offset;
        out = bigToCells(parentAddr, pna, pkind === PCI_BUS ? range[na] : undefined);
        break;
      }
    }
    if (out === null) return { ok: false, why: 'no-match', at: bus.path };
    addr = out;
    na = pna;
    ns = pns;
    kind = pkind;
    bus = parent;
  }
}

function bigToCells(v: bigint, n: number, pciHi?: number): number[] {
  const out = new Array<number>(n).fill(0);
  const first = pciHi !== undefined ? 1 : 0;
  if (pciHi !== undefined) out[0] = pciHi;
  for (let i = n - 1; i >= first; i--) {
    out[i] = Number(v & 0xffff_ffffn);
    v >>= 32n;
  }
  return out;
}

/** Number of `reg` entries of `np` (by its parent's cell counts). */
export function regCount(np: OfNode): number {
  const reg = findProp(np, 'reg');
  const bus = np.parent;
  if (reg === undefined || bus === undefined) return 0;
  const per = busOf(bus).addressCells(bus) + busSizeCells(bus);
  return per === 0 ? 0 : Math.floor(reg.value.length / 4 / per);
}

/**
 * `of_address_to_resource(np, index)`: the IORESOURCE_MEM resource of `reg` entry `index`,
 * named by `reg-names` when present, else by the node's name; null when it cannot be translated.
 */
export function addressToResource(np: OfNode, index: number): Resource | null {
  const t = translateReg(np, index);
  if (!t.ok || t.size === 0) return null;
  const names = findProp(np, 'reg-names');
  const name = (names && propStrings(names)[index]) || np.name || nodeBaseName(np);
  return { start: t.address, end: t.address + t.size - 1, flags: IORESOURCE_MEM, name };
}
