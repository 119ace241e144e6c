/**
 * One simulated machine, assembled: clock and event queue, seeded randomness, trace bus, sparse
 * RAM, the bus, the e500-class core with its L1 data cache and MMU. Boards build one of these;
 * the kernel runs on it.
 */
import { EventQueue } from '../sim/events.js';
import { Prng } from '../sim/prng.js';
import { TraceBus } from '../sim/trace.js';
import { Bus } from './bus.js';
import { DataCache, E500V2_L1D, type CacheGeometry, type EvictionPolicy, type Replacement } from './cache.js';
import { Cpu } from './cpu.js';
import { Mmu } from './mmu.js';
import { RamStore } from './ram.js';

/** What a machine is made of. */
export interface MachineConfig {
  /** RAM banks in physical address space (36-bit addresses allowed). */
  readonly ram: readonly { base: number; size: number }[];
  /** L1 data cache shape; default e500v2 (32 KiB, 8-way, 32-byte lines). */
  readonly cache?: CacheGeometry;
  /** Replacement policy; default pseudo-LRU. */
  readonly replacement?: Replacement;
  /** Eviction knob for tests; default `hardware`. */
  readonly eviction?: EvictionPolicy;
  /** Whether bus masters are snooped by default (a coherent board). Default false. */
  readonly coherent?: boolean;
  /** Seed for everything random in the run. Default 1. */
  readonly seed?: number;
}

/** The assembled hardware. */
export class Machine {
  readonly seed: number;
  readonly coherent: boolean;
  readonly events = new EventQueue();
  readonly trace = new TraceBus();
  readonly prng: Prng;
  readonly store: RamStore;
  readonly bus: Bus;
  readonly cache: DataCache;
  readonly mmu = new Mmu();
  readonly cpu: Cpu;

  constructor(config: MachineConfig) {
    this.seed = config.seed ?? 1;
    this.coherent = config.coherent ?? false;
    this.prng = new Prng(this.seed);
    const geometry = config.cache ?? E500V2_L1D;
    const now = (): number => this.events.now;
    this.store = new RamStore(config.ram, geometry.lineSize);
    this.bus = new Bus(this.store, { trace: this.trace, now });
    this.cache = new DataCache(this.store, geometry, {
      replacement: config.replacement ?? 'plru',
      policy: config.eviction ?? 'hardware',
      prng: this.prng.fork(),
      trace: this.trace,
      now,
    });
    this.bus.attachCache(this.cache);
    this.cpu = new Cpu(this.store, this.cache, this.bus, this.mmu);
  }

  /** Simulated time in ns. */
  get now(): number {
    return this.events.now;
  }
}
