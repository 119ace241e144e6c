/**
 * A board: a machine plus the kernel booted on it. Boards are described by a {@link BoardSpec}
 * (RAM, cache geometry, coherence, command line, seed); the device-tree front end builds the
 * same spec from a `.dts` file. The default board is an e500v2-class router SoC with 256 MiB of
 * RAM, deliberately non-coherent.
 */
import type { CacheGeometry, EvictionPolicy, Replacement } from '../hw/cache.js';
import { Machine } from '../hw/machine.js';
import { Kernel, type RunResult } from '../kernel/kernel.js';
import type { Report } from '../kernel/report/types.js';
import type { PhysRange } from '../kernel/mm/memblock.js';
import { driverCore } from '../kernel/driver/core.js';
import type { PlatformBus } from '../kernel/driver/platform-bus.js';
import { attachTree } from './assembly/attach.js';
import { loadBoardSpec, shippedBoard } from './assembly/spec-file.js';
import type { DeviceModelFactory } from './devices.js';
import type { DtTree } from './dts/index.js';
import './models/etsec.js'; // registers the gianfar / fsl,etsec2 model

/** Everything needed to build and boot a board. */
export interface BoardSpec {
  /** Board name (`model`), printed in boot logs and oops config lines. */
  readonly name: string;
  /** RAM banks (physical). */
  readonly ram: readonly { base: number; size: number }[];
  /** L1 data cache geometry. */
  readonly cache: CacheGeometry;
  /** DMA coherence of the SoC's bus masters (`dma-coherent` in the device tree). */
  readonly coherent: boolean;
  /** Kernel command line. */
  readonly bootargs: string;
  /** The device tree the board is assembled from (models, platform devices); absent for a bare spec. */
  readonly tree?: DtTree;
  /** `/memreserve/` ranges. */
  readonly memreserve?: readonly PhysRange[];
  /** Boot-log notes from deriving the spec from the tree (defaults taken). */
  readonly notes?: readonly string[];
}

/** Knobs a test or a user run may set without changing the board description. */
export interface BootKnobs {
  /** Seed for everything random. Default 1. */
  readonly seed?: number;
  /** Cache replacement. Default pseudo-LRU. */
  readonly replacement?: Replacement;
  /** Eviction policy knob (`expose` keeps lines). Default `hardware`. */
  readonly eviction?: EvictionPolicy;
  /** Extra command-line words appended to the board's bootargs. */
  readonly bootargs?: string;
  /** Strict mode: any report fails `assertClean()`. */
  readonly strict?: boolean;
  /** Extra hardware models for this board, by compatible (for a tree-assembled board). */
  readonly models?: Readonly<Record<string, DeviceModelFactory>>;
  /** Exploration mode: each interrupt reaches the core 1..N CPU accesses late, drawn from the seed (docs/interrupts.md). */
  readonly exploreMaxDelay?: number;
}

/**
 * The default board as boards/default.dts describes it — an e500v2-class router SoC, 32 KiB 8-way
 * L1D with 32-byte lines, 256 MiB, non-coherent on purpose — with its device tree: booting it
 * puts the MPIC and the tree's platform devices on the board.
 */
export const DEFAULT_DT_BOARD: BoardSpec = loadBoardSpec(shippedBoard('default'));

/** The default board's coherent twin (boards/default-coherent.dts), with its device tree. */
export const COHERENT_DT_BOARD: BoardSpec = loadBoardSpec(shippedBoard('default-coherent'));

/**
 * The default board's description from boards/default.dts, without its device tree: the same
 * name, RAM, cache, coherence and command line, but no platform devices (code that creates its
 * own devices by name, as many tests do, boots this one).
 */
export const DEFAULT_BOARD: BoardSpec = withoutTree(DEFAULT_DT_BOARD);

/** The default board's coherent twin without its device tree: the same SoC with snooped DMA, as real MPC85xx parts are. */
export const COHERENT_BOARD: BoardSpec = withoutTree(COHERENT_DT_BOARD);

function withoutTree(spec: BoardSpec): BoardSpec {
  const { tree: _tree, notes: _notes, ...rest } = spec;
  return rest;
}

/** A booted board. */
export class Board {
  readonly spec: BoardSpec;
  readonly machine: Machine;
  readonly kernel: Kernel;

  constructor(spec: BoardSpec = DEFAULT_BOARD, knobs: BootKnobs = {}) {
    this.spec = spec;
    this.machine = new Machine({
      ram: spec.ram,
      cache: spec.cache,
      coherent: spec.coherent,
      seed: knobs.seed ?? 1,
      replacement: knobs.replacement ?? 'plru',
      eviction: knobs.eviction ?? 'hardware',
    });
    const cmdline = [spec.bootargs, knobs.bootargs ?? ''].filter((s) => s.length > 0).join(' ');
    this.kernel = new Kernel(this.machine, { cmdline, platform: spec.name, ...(knobs.strict !== undefined ? { strict: knobs.strict } : {}), ...(knobs.exploreMaxDelay !== undefined ? { exploreMaxDelay: knobs.exploreMaxDelay } : {}), ...(spec.memreserve ? { memreserve: spec.memreserve } : {}) });
    if (spec.tree) attachTree(this, spec.tree, { notes: spec.notes ?? [], ...(knobs.models ? { models: knobs.models } : {}) });
  }

  /** The platform bus: devices (from the tree or registered by code), drivers, binding, unbind and bind. */
  get platform(): PlatformBus {
    return driverCore(this.kernel).bus;
  }

  /** Run driver code on this board (see {@link Kernel.run}). */
  run<T>(fn: () => T, opts: { readonly owner?: string } = {}): RunResult<T> {
    return this.kernel.run(fn, opts);
  }

  /** Let `ns` of simulated time pass with the CPU idle: device events, interrupts, timers, work (see {@link Kernel.idle}). */
  idle(ns: number): RunResult<void> {
    return this.kernel.idle(ns);
  }

  /** Every report made on this board. */
  get reports(): readonly Report[] {
    return this.kernel.reports;
  }

  /** The kernel log. */
  dmesg(): string {
    return this.kernel.dmesg();
  }
}

/** Boot a board (the default one unless a spec is given). */
export function bootBoard(spec: BoardSpec = DEFAULT_BOARD, knobs: BootKnobs = {}): Board {
  return new Board(spec, knobs);
}
