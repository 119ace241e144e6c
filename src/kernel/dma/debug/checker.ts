/**
 * The DMA checker, as the mapping code sees it: one object with a hook per API event and per
 * access, combining dma-debug parity ({@link DmaApiChecks}) and the ownership checks beyond it
 * ({@link DmaAccessChecks}). `dma_debug=off` gives the no-op {@link NULL_DMA_CHECKER}: the mapping
 * code never tests a flag, it calls whichever checker it was given.
 */
import { captureStackLazy } from '../../report/stack.js';
import type { BusMasterPort } from '../../../hw/bus.js';
import type { Machine } from '../../../hw/machine.js';
import type { Device } from '../../device.js';
import type { Reporter } from '../../report/reporter.js';
import type { Symptom } from '../../symptoms.js';
import type { DmaEntryType } from '../types.js';
import { DmaAccessChecks } from './access-checks.js';
import { DmaApiChecks, type MapRecord } from './api-checks.js';
import { DmaEntryTable, type DmaEntry } from './entries.js';
import { DmaReporter } from './report.js';

/** The hooks the mapping code calls. */
export interface DmaCheckerHooks {
  /** Pre-map area check of a CPU buffer (stack, kernel text, invalid, vmalloc). */
  mapArea(dev: Device, va: number, pa: number, size: number, area: 'stack' | 'text' | 'invalid' | 'vmalloc' | 'ok'): void;
  /** A mapping (or coherent allocation) was made. */
  map(r: MapRecord, stackFrom: Function, neighbourOwner: (pa: number, len: number) => string | null): void;
  /** `dma_mapping_error()` was called. */
  mappingError(dev: Device, addr: number): void;
  /** An unmap or coherent free. */
  unmap(dev: Device, addr: number, size: number, dir: number, type: DmaEntryType, fn: string, opts?: { sgNents?: number; cpuPa?: number }): void;
  /** A sync; `toCpu` for the *_for_cpu variants. */
  sync(dev: Device, addr: number, size: number, dir: number, toCpu: boolean, sgNents?: number): void;
  /** An sg segment is being mapped. */
  sgSegment(dev: Device, dmaAddr: number, len: number): void;
  /** Memory is being freed by `fn`. */
  free(fn: string, va: number, pa: number, len: number): void;
  /** The driver is being unbound from `dev`; returns how many entries were left. */
  pendingAtUnbind(dev: Device): number;
  /** debugfs `dump`. */
  dump(): string[];
}

/** The checker that checks nothing (`dma_debug=off`). */
export const NULL_DMA_CHECKER: DmaCheckerHooks = {
  mapArea: () => {},
  map: () => {},
  mappingError: () => {},
  unmap: () => {},
  sync: () => {},
  sgSegment: () => {},
  free: () => {},
  pendingAtUnbind: () => 0,
  dump: () => [],
};

/** Layers of the checker that can be switched separately. */
export interface DmaCheckerOptions {
  /** dma-debug parity checks (the API-call checks). Default true. */
  readonly apiChecks?: boolean;
  /** Ownership/access checks beyond dma-debug. Default true. */
  readonly accessChecks?: boolean;
  /** Record "Mapped at:" stacks. Default true. */
  readonly stacks?: boolean;
}

/** The full checker. */
export class DmaChecker implements DmaCheckerHooks {
  readonly table = new DmaEntryTable();
  readonly out: DmaReporter;
  readonly api: DmaApiChecks;
  readonly access: DmaAccessChecks;
  private readonly apiOn: boolean;
  private readonly accessOn: boolean;
  private readonly ports = new Map<BusMasterPort, Device>();

  constructor(reporter: Reporter, private readonly machine: Machine, opts: DmaCheckerOptions = {}) {
    this.out = new DmaReporter(reporter);
    this.api = new DmaApiChecks(this.table, this.out, machine.store.lineSize, () => machine.now);
    this.api.recordStacks = opts.stacks ?? true;
    this.access = new DmaAccessChecks(this.table, this.out, machine, (p) => this.ports.get(p));
    this.apiOn = opts.apiChecks ?? true;
    this.accessOn = opts.accessChecks ?? true;
    if (this.accessOn) {
      machine.cpu.onWatch = (va, pa, len, write, bits) => this.access.cpuAccess(va, pa, len, write, bits);
      machine.bus.onMasterAccess = (port, pa, len, write) => this.access.deviceAccess(port, pa, len, write);
    }
  }

  /** Let the checker know which device drives a bus-master port. */
  registerDevice(dev: Device): void {
    this.ports.set(dev.busMaster, dev);
  }

  /** Route data symptoms (stale reads, lost writes) to the rule that explains them. */
  symptom(s: Symptom): void {
    if (this.accessOn) this.access.symptom(s);
  }

  mapArea(dev: Device, va: number, pa: number, size: number, area: 'stack' | 'text' | 'invalid' | 'vmalloc' | 'ok'): void {
    if (this.apiOn && area !== 'ok') this.api.mapArea(dev, va, pa, size, area);
  }

  map(r: MapRecord, stackFrom: Function, neighbourOwner: (pa: number, len: number) => string | null): void {
    const e = this.api.map(r, stackFrom);
    if (this.accessOn && r.type !== 'coherent') {
      this.access.mapEdges(e, neighbourOwner);
      this.access.toDevice(e);
    }
  }

  mappingError(dev: Device, addr: number): void {
    this.api.mappingError(dev, addr);
  }

  unmap(dev: Device, addr: number, size: number, dir: number, type: DmaEntryType, fn: string, opts: { sgNents?: number; cpuPa?: number } = {}): void {
    if (this.accessOn) {
      const e = this.table.findExact(dev, addr, { size, type, dir, sgCallEnts: opts.sgNents ?? 0 });
      if (e) this.access.unmapInFlight(e, fn);
    }
    const removed = this.apiOn ? this.api.unmap(dev, addr, size, dir, type, opts) : this.silentRemove(dev, addr, size, dir, type, opts.sgNents ?? 0);
    // Where it was unmapped, for a device access that comes after (the bug is usually at this line).
    if (removed && this.accessOn) this.access.removed(removed, this.api.recordStacks ? captureStackLazy({ userFirst: true, limit: 8 }) : null);
  }

  sync(dev: Device, addr: number, size: number, dir: number, toCpu: boolean, sgNents?: number): void {
    const e = this.apiOn ? this.api.sync(dev, addr, size, dir, toCpu, sgNents) : this.table.findContaining(dev, addr, size);
    if (!e || !this.accessOn || e.type === 'coherent') return;
    if (toCpu) this.access.toCpu(e, dir);
    else this.access.toDevice(e);
  }

  sgSegment(dev: Device, dmaAddr: number, len: number): void {
    if (this.apiOn) this.api.sgSegment(dev, dmaAddr, len);
  }

  free(fn: string, va: number, pa: number, len: number): void {
    if (this.accessOn) this.access.free(fn, va, pa, len);
  }

  pendingAtUnbind(dev: Device): number {
    return this.apiOn ? this.api.pendingAtUnbind(dev) : this.table.ofDevice(dev).length;
  }

  dump(): string[] {
    return this.api.dump();
  }

  /** Live entries (for tests and the CLI report). */
  entries(): DmaEntry[] {
    return this.table.all();
  }

  private silentRemove(dev: Device, addr: number, size: number, dir: number, type: DmaEntryType, sg: number): DmaEntry | null {
    const e = this.table.findExact(dev, addr, { size, type, dir, sgCallEnts: sg });
    if (e) this.api.remove(e);
    return e;
  }
}
