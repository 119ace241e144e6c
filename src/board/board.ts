/**
 * A board: a machine plus the kernel booted on it. Boards are described by a {@link BoardSpec}
 * (RAM, cache geometry, coherence, command line, seed); the device-tree front end builds the
 * same spec from a `.dts` file. The default board is an e500v2-class router SoC with 256 MiB of
 * RAM, deliberately non-coherent.
 */
import { E500V2_L1D, type CacheGeometry, type EvictionPolicy, type Replacement } from '../hw/cache.js';
import { Machine } from '../hw/machine.js';
import { Kernel, type RunResult } from '../kernel/kernel.js';
import type { Report } from '../kernel/report/types.js';

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
}

const MiB = 1024 * 1024;

/** The default board: e500v2-class core, 32 KiB 8-way L1D with 32-byte lines, 256 MiB, non-coherent. */
export const DEFAULT_BOARD: BoardSpec = {
  name: 'driverlab e500v2 router (non-coherent)',
  ram: [{ base: 0, size: 256 * MiB }],
  cache: E500V2_L1D,
  coherent: false,
  bootargs: '',
};

/** The default board's coherent twin: the same SoC with snooped DMA, as real MPC85xx parts are. */
export const COHERENT_BOARD: BoardSpec = { ...DEFAULT_BOARD, name: 'driverlab e500v2 router (coherent)', coherent: true };

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
    this.kernel = new Kernel(this.machine, { cmdline, platform: spec.name, ...(knobs.strict !== undefined ? { strict: knobs.strict } : {}) });
  }

  /** Run driver code on this board (see {@link Kernel.run}). */
  run<T>(fn: () => T, opts: { readonly owner?: string } = {}): RunResult<T> {
    return this.kernel.run(fn, opts);
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
