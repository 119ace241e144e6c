/**
 * The DMA checker's bookkeeping: one entry per live mapping or coherent allocation (as dma-debug
 * keeps), indexed by the pages of its DMA address (for unmap and sync lookups) and by the
 * physical pages the CPU and the device touch (for access checks), so every lookup costs the
 * same however many mappings are live.
 */
import type { LazyStack } from '../../report/stack.js';
import type { Device } from '../../device.js';
import type { DmaEntryType } from '../types.js';

/** `dma map error` tracking state, as dma-debug's dump prints it. */
export const MAP_ERR_NOT_APPLICABLE = 0;
/** The mapping was never passed to dma_mapping_error(). */
export const MAP_ERR_NOT_CHECKED = 1;
/** dma_mapping_error() was called on the handle. */
export const MAP_ERR_CHECKED = 2;

/** One live mapping or allocation. */
export interface DmaEntry {
  /** Sequence number (dump order). */
  readonly id: number;
  readonly dev: Device;
  readonly type: DmaEntryType;
  /** The handle the driver got. */
  readonly dmaAddr: number;
  readonly size: number;
  readonly dir: number;
  /** Physical address of the driver's buffer (the original, when bounced). */
  readonly pa: number;
  /** Physical address the device really accesses (the bounce slot, or `pa`). */
  readonly devPa: number;
  /** CPU virtual address given at map time (or returned by dma_alloc_coherent); -1 for page maps. */
  readonly cpuVa: number;
  /** nents passed to dma_map_sg, and what it returned (sg entries only). */
  readonly sgCallEnts: number;
  readonly sgMappedEnts: number;
  /** MAP_ERR_* state. */
  mapErrState: number;
  /** Who owns the buffer now (streaming mappings): the device after map/for_device, the CPU after for_cpu. */
  owner: 'device' | 'cpu';
  /** Direction of the last sync_for_cpu, or -1 (for explaining stale reads). */
  lastCpuSyncDir: number;
  /** The CPU wrote the buffer during its current CPU-owned period (a for_device sync is then owed). */
  cpuWrote: boolean;
  /** Mapped with DMA_ATTR_SKIP_CPU_SYNC. */
  readonly skipCpuSync: boolean;
  /** Where the mapping was made ("Mapped at:"); null when stack capture is off. */
  readonly stack: LazyStack | null;
  /** Simulated time of the mapping (ns). */
  readonly time: number;
}

const PAGE = 4096;

/** Entries with their indexes. */
export class DmaEntryTable {
  private readonly byDmaPage = new Map<number, DmaEntry[]>();
  private readonly byPhysPage = new Map<number, DmaEntry[]>();
  private readonly perDevice = new Map<Device, Set<DmaEntry>>();
  private nextId = 1;
  private live = 0;

  /** Number of live entries. */
  get size(): number {
    return this.live;
  }

  /** A fresh id for a new entry. */
  allocId(): number {
    return this.nextId++;
  }

  /** Add an entry to every index. */
  add(e: DmaEntry): void {
    addSpan(this.byDmaPage, e.dmaAddr, e.size, e);
    addSpan(this.byPhysPage, e.pa, e.size, e);
    if (e.devPa !== e.pa) addSpan(this.byPhysPage, e.devPa, e.size, e);
    let set = this.perDevice.get(e.dev);
    if (!set) this.perDevice.set(e.dev, (set = new Set()));
    set.add(e);
    this.live++;
  }

  /** Remove an entry from every index. */
  remove(e: DmaEntry): void {
    removeSpan(this.byDmaPage, e.dmaAddr, e.size, e);
    removeSpan(this.byPhysPage, e.pa, e.size, e);
    if (e.devPa !== e.pa) removeSpan(this.byPhysPage, e.devPa, e.size, e);
    this.perDevice.get(e.dev)?.delete(e);
    this.live--;
  }

  /**
   * dma-debug's unmap lookup: entries of `dev` whose handle is exactly `addr`. With several,
   * the best fit by size, type, direction and sg count wins; a tie without a perfect fit finds none.
   */
  findExact(dev: Device, addr: number, ref: { size: number; type: DmaEntryType; dir: number; sgCallEnts: number }): DmaEntry | null {
    const bucket = this.byDmaPage.get(Math.floor(addr / PAGE));
    if (!bucket) return null;
    let best: DmaEntry | null = null;
    let bestScore = -1;
    let candidates = 0;
    for (const e of bucket) {
      if (e.dev !== dev || e.dmaAddr !== addr) continue;
      candidates++;
      const score = (e.size === ref.size ? 1 : 0) + (e.type === ref.type ? 1 : 0) + (e.dir === ref.dir ? 1 : 0) + (e.sgCallEnts === ref.sgCallEnts ? 1 : 0);
      if (score === 4) return e;
      if (score > bestScore) {
        best = e;
        bestScore = score;
      }
    }
    return candidates === 1 ? best : null;
  }

  /** Entries of `dev` whose handle is exactly `addr`, in mapping order. */
  exact(dev: Device, addr: number): DmaEntry[] {
    const bucket = this.byDmaPage.get(Math.floor(addr / PAGE));
    if (!bucket || bucket.length === 0) return [];
    return bucket.filter((e) => e.dev === dev && e.dmaAddr === addr).sort((a, b) => a.id - b.id);
  }

  /** dma-debug's sync lookup: a live entry of `dev` containing [addr, addr+size). */
  findContaining(dev: Device, addr: number, size: number): DmaEntry | null {
    const bucket = this.byDmaPage.get(Math.floor(addr / PAGE));
    if (!bucket) return null;
    for (const e of bucket) {
      if (e.dev === dev && e.dmaAddr <= addr && addr + size <= e.dmaAddr + e.size) return e;
    }
    return null;
  }

  /** Entries whose CPU buffer or device-side range intersects physical [pa, pa+len), into `out`. */
  overlappingPhys(pa: number, len: number, out: DmaEntry[]): DmaEntry[] {
    out.length = 0;
    const first = Math.floor(pa / PAGE);
    const last = Math.floor((pa + Math.max(len, 1) - 1) / PAGE);
    for (let p = first; p <= last; p++) {
      const bucket = this.byPhysPage.get(p);
      if (!bucket) continue;
      for (const e of bucket) {
        if (out.includes(e)) continue;
        if ((pa < e.pa + e.size && e.pa < pa + len) || (pa < e.devPa + e.size && e.devPa < pa + len)) out.push(e);
      }
    }
    return out;
  }

  /** Live entries of one device, in mapping order. */
  ofDevice(dev: Device): DmaEntry[] {
    return [...(this.perDevice.get(dev) ?? [])].sort((a, b) => a.id - b.id);
  }

  /** Every live entry, in mapping order. */
  all(): DmaEntry[] {
    const out: DmaEntry[] = [];
    for (const set of this.perDevice.values()) out.push(...set);
    return out.sort((a, b) => a.id - b.id);
  }
}

function addSpan(map: Map<number, DmaEntry[]>, base: number, size: number, e: DmaEntry): void {
  const last = Math.floor((base + Math.max(size, 1) - 1) / PAGE);
  for (let p = Math.floor(base / PAGE); p <= last; p++) {
    const b = map.get(p);
    if (b) b.push(e);
    else map.set(p, [e]);
  }
}

function removeSpan(map: Map<number, DmaEntry[]>, base: number, size: number, e: DmaEntry): void {
  const last = Math.floor((base + Math.max(size, 1) - 1) / PAGE);
  for (let p = Math.floor(base / PAGE); p <= last; p++) {
    const b = map.get(p);
    if (!b) continue;
    const i = b.indexOf(e);
    if (i >= 0) {
      b[i] = b[b.length - 1]!;
      b.pop();
    }
    // Empty buckets stay: deleting and re-adding Map keys on every map/unmap makes V8 rehash large maps.
  }
}
