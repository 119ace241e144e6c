/**
 * From a device tree to the board's description ({@link BoardSpec}): `/memory` → RAM banks,
 * `/cpus` → L1 data-cache geometry, the SoC bus's `dma-coherent` → coherence, `/chosen/bootargs`
 * → command line, `/memreserve/` → reserved ranges. What the tree leaves out (real trees leave the
 * memory size to U-Boot) gets a default, and a note saying so for the boot log.
 */
import { E500V2_L1D, type CacheGeometry } from '../../hw/cache.js';
import { busAddressCells, busSizeCells } from '../../kernel/driver/of-address.js';
import { compatibles, deviceType, findProp, propCells, propStrings, propU32, type OfNode } from '../../kernel/driver/of-node.js';
import type { DtTree } from '../dts/index.js';
import type { BoardSpec } from '../board.js';
import { treeCoherence } from './coherence.js';

const MiB = 1024 * 1024;

/** Default RAM when `/memory` has no usable `reg`: 256 MiB at 0. */
export const DEFAULT_RAM_SIZE = 256 * MiB;

/** Choices the tree may not make. */
export interface SpecOptions {
  /** RAM size used when the tree gives none (default {@link DEFAULT_RAM_SIZE}). */
  readonly defaultRamSize?: number;
  /** Force coherence (overrides the tree). */
  readonly coherent?: boolean;
  /** Replace the tree's `chosen/bootargs`. */
  readonly bootargs?: string;
}

/** A board spec plus the notes the boot log prints about how it was derived. */
export interface SpecFromTree {
  readonly spec: BoardSpec;
  /** Lines for the boot log (defaults taken, values ignored). */
  readonly notes: readonly string[];
}

function hex(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}

function cells(v: readonly number[], from: number, n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = x * 0x1_0000_0000 + (v[from + i] ?? 0);
  return x;
}

/** RAM banks from every `device_type = "memory"` node. */
function memoryBanks(root: OfNode, notes: string[], defaultSize: number): { base: number; size: number }[] {
  const ac = busAddressCells(root);
  const sc = busSizeCells(root);
  const banks: { base: number; size: number }[] = [];
  for (const n of root.children) {
    if (deviceType(n) !== 'memory') continue;
    const reg = findProp(n, 'reg');
    const v = reg ? propCells(reg) : [];
    for (let i = 0; i + ac + sc <= v.length; i += ac + sc) {
      const base = cells(v, i, ac);
      const size = cells(v, i + ac, sc);
      if (size > 0) banks.push({ base, size });
    }
  }
  if (banks.length === 0) {
    notes.push(`driverlab: /memory has no reg (on real boards U-Boot fills it in); assuming ${defaultSize / MiB} MiB at 0x0 (knob: defaultRamSize)`);
    banks.push({ base: 0, size: defaultSize });
  }
  return banks.sort((a, b) => a.base - b.base);
}

function isPow2(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** L1 data-cache geometry from the first `/cpus` cpu node; missing values come from the e500v2 L1D. */
function cacheGeometry(root: OfNode, notes: string[]): CacheGeometry {
  const cpus = root.children.find((c) => c.name === 'cpus');
  const cpu = cpus?.children.find((c) => deviceType(c) === 'cpu');
  if (cpu === undefined) {
    notes.push('driverlab: no /cpus cpu node; using the e500v2 L1 data cache (32 KiB, 8-way, 32-byte lines)');
    return E500V2_L1D;
  }
  const line = propU32(cpu, 'd-cache-line-size') ?? propU32(cpu, 'd-cache-block-size') ?? propU32(cpu, 'cache-line-size');
  const size = propU32(cpu, 'd-cache-size');
  const sets = propU32(cpu, 'd-cache-sets');
  const ways = propU32(cpu, 'd-cache-ways');
  if (line === undefined && size === undefined) return E500V2_L1D;
  const g = { lineSize: line ?? E500V2_L1D.lineSize, size: size ?? E500V2_L1D.size, ways: E500V2_L1D.ways };
  if (sets !== undefined && sets > 0) g.ways = g.size / (g.lineSize * sets);
  else if (ways !== undefined) g.ways = ways;
  const lineOk = [16, 32, 64, 128].includes(g.lineSize);
  if (!lineOk || !isPow2(g.ways) || g.ways > 32 || !isPow2(g.size / (g.lineSize * g.ways))) {
    notes.push(`driverlab: ${cpu.path}: L1D of ${g.size} bytes, ${g.lineSize}-byte lines, ${g.ways} ways cannot be modelled; using the e500v2 L1D`);
    return E500V2_L1D;
  }
  return g;
}

/** The bus node DMA coherence is read from: the first `soc` / simple-bus child of the root, else the root. */
function socNode(root: OfNode): OfNode {
  return (
    root.children.find((c) => deviceType(c) === 'soc' || c.name === 'soc' || c.name.startsWith('soc@')) ??
    root.children.find((c) => compatibles(c).includes('simple-bus')) ??
    root
  );
}

/** Derive a board spec from a parsed tree. */
export function specFromTree(tree: DtTree, opts: SpecOptions = {}): SpecFromTree {
  const notes: string[] = [];
  const root = tree.root;
  const model = findProp(root, 'model');
  const name = (model && propStrings(model)[0]) || compatibles(root)[0] || 'driverlab board';
  const ram = memoryBanks(root, notes, opts.defaultRamSize ?? DEFAULT_RAM_SIZE);
  const cache = cacheGeometry(root, notes);
  const soc = socNode(root);
  const said = treeCoherence(soc);
  const coherent = opts.coherent ?? said ?? false;
  if (opts.coherent !== undefined) notes.push(`driverlab: DMA coherence forced ${opts.coherent ? 'on' : 'off'} (knob: coherent)`);
  else if (said === undefined) {
    // Linux takes 85xx coherence from Kconfig, not the tree, so such trees never say; 4xx/8xx really are non-coherent.
    const freescale = [soc, ...soc.children].some((n) => compatibles(n).some((c) => c.startsWith('fsl,')));
    notes.push(`driverlab: no dma-coherent/dma-noncoherent on ${soc.path}: devices are non-coherent (driverlab's default${freescale ? '; real MPC85xx parts snoop' : ''})`);
  }
  else notes.push(`driverlab: ${soc.path} is ${said ? 'dma-coherent: bus masters are snooped' : 'dma-noncoherent: nothing snoops the L1 data cache'}`);
  const chosen = root.children.find((c) => c.name === 'chosen');
  const ba = chosen ? findProp(chosen, 'bootargs') : undefined;
  const bootargs = opts.bootargs ?? (ba ? (propStrings(ba)[0] ?? '') : '');
  const memreserve = tree.memreserves.map((m) => ({ base: Number(m.address), size: Number(m.size) })).filter((m) => m.size > 0);
  for (const m of memreserve) notes.push(`driverlab: /memreserve/ ${hex(m.base)} + ${hex(m.size)}`);
  return { spec: { name, ram, cache, coherent, bootargs, tree, ...(memreserve.length ? { memreserve } : {}) }, notes };
}
