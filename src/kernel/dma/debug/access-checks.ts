/**
 * The checks no peer makes: ownership kept in per-line shadow state (watch bits on the RAM
 * lines of every streaming buffer), so the CPU touching a buffer the device owns, the CPU writing
 * a FROM_DEVICE buffer, the device touching memory it has not mapped (or mapped the other way, or
 * handed back to the CPU), a cache line shared between a receive buffer and other data, frees of
 * mapped memory and unmaps with a transfer in flight are reported at the access or call itself —
 * and the data symptoms that really happened are attached to the rule that explains them.
 */
import type { BusMasterPort } from '../../../hw/bus.js';
import type { Machine } from '../../../hw/machine.js';
import { FRAME_SIZE, LINE_DIRTY, LINE_VALID, WATCH_DMA_CPU, WATCH_DMA_DEVICE, WATCH_DMA_EDGE } from '../../../hw/ram.js';
import type { Device } from '../../device.js';
import { describeSymptom, type Symptom } from '../../symptoms.js';
import { DMA_FROM_DEVICE, DMA_TO_DEVICE, dirName, hex16, hex8 } from '../types.js';
import type { DmaEntry, DmaEntryTable } from './entries.js';
import { unmappedAt, type DmaReporter } from './report.js';
import type { LazyStack } from '../../report/stack.js';

const DMA_BITS = WATCH_DMA_DEVICE | WATCH_DMA_CPU | WATCH_DMA_EDGE;

/** Ownership and access checks. */
export class DmaAccessChecks {
  private readonly scratch: DmaEntry[] = [];
  private readonly scratch2: DmaEntry[] = [];
  /** A stale read seen at the access now being checked, waiting for its rule report. */
  private pendingSymptom: Symptom | null = null;
  /** Entries already reported for a CPU access in their current ownership period. */
  private readonly reportedThisPeriod = new WeakSet<DmaEntry>();
  /** Recently removed entries with where they were unmapped, to say "Unmapped at:" for late device accesses. */
  private readonly recent: { readonly e: DmaEntry; readonly unmappedAt: LazyStack | null }[] = [];

  constructor(
    private readonly table: DmaEntryTable,
    private readonly out: DmaReporter,
    private readonly machine: Machine,
    private readonly deviceOf: (port: BusMasterPort) => Device | undefined,
  ) {}

  // ---- ownership transitions ----------------------------------------------------------------

  /** A streaming mapping was made or synced for the device: the device owns it. */
  toDevice(e: DmaEntry): void {
    e.owner = 'device';
    e.cpuWrote = false;
    this.reportedThisPeriod.delete(e);
    this.refreshWatch(e.pa, e.size);
  }

  /** A streaming mapping was synced for the CPU: the CPU owns it (still mapped). */
  toCpu(e: DmaEntry, dir: number): void {
    e.owner = 'cpu';
    e.cpuWrote = false;
    e.lastCpuSyncDir = dir;
    this.reportedThisPeriod.delete(e);
    this.refreshWatch(e.pa, e.size);
  }

  /** A mapping is gone: recompute the lines it covered from what is still mapped there. `unmappedAt` is the unmap's stack, when stacks are recorded. */
  removed(e: DmaEntry, unmappedAt: LazyStack | null = null): void {
    this.refreshWatch(e.pa, e.size);
    this.recent.push({ e, unmappedAt });
    if (this.recent.length > 64) this.recent.shift();
  }

  /**
   * At map time, for FROM_DEVICE/BIDIRECTIONAL buffers whose first or last line is shared with
   * other memory: "can corrupt" — nothing has gone wrong yet, but any CPU write to the neighbour
   * while the device owns the buffer will (reported as "will corrupt" at that write).
   */
  mapEdges(e: DmaEntry, neighbourOwner: (pa: number, len: number) => string | null): void {
    if (e.dir === DMA_TO_DEVICE || e.type === 'coherent' || e.dev.dmaCoherent) return;
    const ls = this.machine.store.lineSize;
    const head = e.pa % ls;
    const tailEnd = (e.pa + e.size) % ls;
    const parts: string[] = [];
    if (head !== 0) {
      const who = neighbourOwner(e.pa - head, head);
      if (who) parts.push(`${head} byte(s) before it (${who})`);
    }
    if (tailEnd !== 0) {
      const who = neighbourOwner(e.pa + e.size, ls - tailEnd);
      if (who) parts.push(`${ls - tailEnd} byte(s) after it (${who})`);
    }
    if (parts.length === 0) return;
    this.out.check(
      'dma.cacheline-shared',
      'check',
      e.dev,
      `${dirName(e.dir)} mapping shares a cache line with other memory (can corrupt) [device address=${hex16(e.dmaAddr)}] [size=${e.size} bytes]`,
      [
        `The buffer at phys ${hex8(e.pa)} is not cache-line aligned at both ends (line size ${ls}): ${parts.join('; ')}.`,
        'A CPU write to those bytes while the device owns the buffer dirties the shared line; its write-back or the unaligned flush at sync/unmap then overwrites data the device wrote.',
      ],
      e,
      { pa: e.pa },
    );
  }

  // ---- CPU side -----------------------------------------------------------------------------

  /** The CPU touched watched lines (called from the core's watch hook). */
  cpuAccess(va: number, pa: number, len: number, write: boolean, bits: number): void {
    if ((bits & DMA_BITS) === 0) return;
    const entries = this.table.overlappingPhys(pa, len, this.scratch);
    let inside = false;
    for (const e of entries) {
      if (e.type === 'coherent') continue;
      const lo = Math.max(pa, e.pa);
      const hi = Math.min(pa + len, e.pa + e.size);
      if (lo >= hi) continue; // only the device-side (bounce) range or an edge line matched
      inside = true;
      if (this.reportedThisPeriod.has(e)) {
        // The rule was reported at an earlier access of this period; a symptom now is its consequence.
        const late = this.takeSymptom(lo, hi);
        if (late) {
          this.out.check(
            'dma.stale-read',
            'check',
            e.dev,
            'stale data read by the CPU',
            [`Symptom: ${describeSymptom(late)}`, `Cause: no dma_sync_single_for_cpu() after the device wrote; the CPU accesses the buffer while the device owns it (reported as dma.cpu-access-device-owned).`],
            e,
            { symptom: late },
          );
        }
        continue;
      }
      const where = `${write ? 'write to' : 'read of'} ${hi - lo} byte(s) at ${hex8(va + (lo - pa))}`;
      if (write && e.owner === 'cpu') e.cpuWrote = true;
      if (e.owner === 'device') {
        this.reportedThisPeriod.add(e);
        const symptom = this.takeSymptom(lo, hi);
        const cause =
          e.dir === DMA_TO_DEVICE
            ? write
              ? 'The device may already have read the old bytes (and with a bounce buffer it never sees these).'
              : 'Reading is harmless on this board, but the buffer belongs to the device until dma_sync_single_for_cpu() or dma_unmap_single().'
            : write
              ? 'The write dirties cache lines the device is writing behind them; a later write-back overwrites the received data.'
              : 'The CPU may read stale data: the device writes RAM behind the cache until dma_sync_single_for_cpu() or dma_unmap_single().';
        this.out.check(
          'dma.cpu-access-device-owned',
          'check',
          e.dev,
          `CPU ${where} while the device owns the buffer [device address=${hex16(e.dmaAddr)}] [size=${e.size} bytes] [mapped with ${dirName(e.dir)}]`,
          [cause, ...(symptom ? [`Symptom: ${describeSymptom(symptom)}; cause: no dma_sync_single_for_cpu() after the device wrote.`] : [])],
          e,
          { va: va + (lo - pa), len: hi - lo, write, ...(symptom ? { symptom } : {}) },
        );
      } else if (write && e.dir === DMA_FROM_DEVICE) {
        this.reportedThisPeriod.add(e);
        this.out.check(
          'dma.cpu-write-from-device',
          'check',
          e.dev,
          `CPU ${where} of a DMA_FROM_DEVICE buffer [device address=${hex16(e.dmaAddr)}] [size=${e.size} bytes]`,
          ['A DMA_FROM_DEVICE buffer is read-only for the driver even while the CPU owns it; a buffer the driver writes must be mapped DMA_BIDIRECTIONAL.'],
          e,
          { va: va + (lo - pa), len: hi - lo },
        );
      }
    }
    if (write && !inside && bits & WATCH_DMA_EDGE) {
      const ls = this.machine.store.lineSize;
      const lineStart = pa - (pa % ls);
      this.edgeWrite(va, pa, len, this.table.overlappingPhys(lineStart, Math.ceil((pa + len - lineStart) / ls) * ls, this.scratch2));
    }
    this.pendingSymptom = null;
  }

  /** A write to bytes outside any mapping, in a line a FROM_DEVICE/BIDIRECTIONAL mapping shares: will corrupt. */
  private edgeWrite(va: number, pa: number, len: number, entries: readonly DmaEntry[]): void {
    const ls = this.machine.store.lineSize;
    for (const e of entries) {
      if (e.type === 'coherent' || e.dir === DMA_TO_DEVICE || e.owner !== 'device') continue;
      const first = e.pa - (e.pa % ls);
      const end = Math.ceil((e.pa + e.size) / ls) * ls;
      if (pa >= end || pa + len <= first) continue;
      this.out.check(
        'dma.cacheline-written',
        'check',
        e.dev,
        `CPU write to ${len} byte(s) at ${hex8(va)} shares a cache line with a ${dirName(e.dir)} buffer the device owns (will corrupt) [device address=${hex16(e.dmaAddr)}] [size=${e.size} bytes]`,
        [
          `The line at phys ${hex8(Math.max(first, pa - (pa % ls)))} is now dirty; when it is written back (eviction, or the flush at sync/unmap) its stale copy of the buffer's bytes overwrites what the device wrote.`,
          'Align DMA buffers to dma_get_cache_alignment() and do not put CPU-written fields in their cache lines.',
        ],
        e,
        { va, len },
      );
      return;
    }
  }

  /** A stale read the core just saw (the watch hook for the same access follows). */
  symptom(s: Symptom): void {
    const entries = this.table.overlappingPhys(s.pa, s.bytes, this.scratch2);
    if (s.kind === 'stale-read') {
      if (entries.some((e) => e.type !== 'coherent' && e.owner === 'device' && s.pa >= e.pa && s.pa < e.pa + e.size)) {
        this.pendingSymptom = s; // the rule report at this same access explains it
        return;
      }
      const e = entries.find((x) => x.type !== 'coherent');
      const cause = !e
        ? 'no live mapping covers these bytes: the device wrote memory that was not mapped for it, or the buffer was unmapped with DMA_ATTR_SKIP_CPU_SYNC'
        : e.lastCpuSyncDir === DMA_TO_DEVICE && e.dir !== DMA_TO_DEVICE
          ? `the last dma_sync_single_for_cpu() used DMA_TO_DEVICE (a clean, no invalidate) on a ${dirName(e.dir)} mapping`
          : 'the cache kept lines the device wrote behind (no invalidate before the read)';
      this.out.check('dma.stale-read', 'check', e?.dev ?? null, `stale data read by the CPU`, [`Symptom: ${describeSymptom(s)}`, `Cause: ${cause}.`], e ?? null, { symptom: s });
    } else {
      const e = entries.find((x) => x.type !== 'coherent') ?? null;
      this.out.check(
        'dma.lost-write',
        'check',
        e?.dev ?? null,
        'a cache write-back destroyed data a device had written',
        [
          `Symptom: ${describeSymptom(s)}`,
          'Cause: the CPU dirtied this line (a write to the buffer while the device owned it, or to a neighbour sharing the line) and the line was written back after the device wrote.',
        ],
        e,
        { symptom: s },
      );
    }
  }

  private takeSymptom(lo: number, hi: number): Symptom | null {
    const s = this.pendingSymptom;
    if (!s || s.pa >= hi || s.pa + s.bytes <= lo) return null;
    this.pendingSymptom = null;
    return s;
  }

  // ---- device side --------------------------------------------------------------------------

  /** Every bus-master access, before it happens. */
  deviceAccess(port: BusMasterPort, pa: number, len: number, write: boolean): void {
    const dev = this.deviceOf(port);
    if (!dev) return;
    const entries = this.table.overlappingPhys(pa, len, this.scratch);
    // Find this device's mapping(s) covering the device-side range.
    let covered = 0;
    let hit: DmaEntry | null = null;
    for (const e of entries) {
      if (e.dev !== dev) continue;
      const lo = Math.max(pa, e.devPa);
      const hi = Math.min(pa + len, e.devPa + e.size);
      if (lo >= hi) continue;
      covered += hi - lo;
      hit ??= e;
    }
    const what = `${write ? 'wrote' : 'read'} ${len} byte(s) at phys ${hex8(pa)}`;
    if (!hit || covered < len) {
      let goneAt: LazyStack | null = null;
      let gone: DmaEntry | null = null;
      // The newest unmapped entry the access falls in: the buffer most likely handed out last.
      for (let i = this.recent.length - 1; i >= 0; i--) {
        const r = this.recent[i]!;
        if (r.e.dev === dev && pa < r.e.devPa + r.e.size && r.e.devPa < pa + len) {
          gone = r.e;
          goneAt = r.unmappedAt;
          break;
        }
      }
      this.out.deviceCheck(
        'dma.device-access-unmapped',
        dev,
        `device ${what} outside every live DMA mapping of the device`,
        [
          gone
            ? `Those bytes were mapped (handle ${hex16(gone.dmaAddr)}, ${gone.size} bytes, ${dirName(gone.dir)}) and unmapped before the device used them: DMA to unmapped (possibly reused or freed) memory.`
            : 'The device was given an address that no dma_map_*() or dma_alloc_coherent() of this device returned.',
        ],
        gone,
        { pa, len, write },
        unmappedAt(goneAt),
      );
      return;
    }
    if (hit.type === 'coherent') return;
    if (write && hit.dir === DMA_TO_DEVICE) {
      this.out.deviceCheck('dma.device-write-to-device-only', dev, `device ${what} into a DMA_TO_DEVICE mapping [device address=${hex16(hit.dmaAddr)}] [size=${hit.size} bytes]`, ['A DMA_TO_DEVICE buffer is read-only for the device.'], hit, { pa, len });
    } else if (!write && hit.dir === DMA_FROM_DEVICE) {
      this.out.deviceCheck('dma.device-read-from-device-only', dev, `device ${what} from a DMA_FROM_DEVICE mapping [device address=${hex16(hit.dmaAddr)}] [size=${hit.size} bytes]`, ['A DMA_FROM_DEVICE buffer is write-only for the device: what it reads is undefined.'], hit, { pa, len });
    }
    if (hit.owner === 'cpu' && !hit.cpuWrote) {
      // Handing a buffer back without a for_device sync is allowed when the CPU did not write it
      // (the HOWTO's receive example): ownership passes back to the device implicitly.
      this.toDevice(hit);
    } else if (hit.owner === 'cpu') {
      this.out.deviceCheck(
        'dma.device-access-cpu-owned',
        dev,
        `device ${what} while the CPU owns the buffer [device address=${hex16(hit.dmaAddr)}] [size=${hit.size} bytes] [mapped with ${dirName(hit.dir)}]`,
        ['The CPU wrote the buffer after dma_sync_single_for_cpu() and did not hand it back: call dma_sync_single_for_device() after the last CPU write, before giving it to the device.'],
        hit,
        { pa, len, write },
      );
    }
    if (!write && !dev.dmaCoherent) this.dirtyRead(dev, hit, pa, len);
  }

  /** Non-coherent: the device reads RAM behind lines the CPU holds dirty — it gets the old bytes. */
  private dirtyRead(dev: Device, e: DmaEntry, pa: number, len: number): void {
    const st = this.machine.store;
    const ls = st.lineSize;
    let dirty = 0;
    let firstDirty = -1;
    for (let p = pa - (pa % ls); p < pa + len; p += ls) {
      const slot = st.peekSlot(p);
      if (slot < 0) continue;
      const g = slot * st.linesPerFrame + ((p % FRAME_SIZE) >>> st.lineShift);
      if ((st.lstate[g]! & (LINE_VALID | LINE_DIRTY)) === (LINE_VALID | LINE_DIRTY)) {
        dirty++;
        if (firstDirty < 0) firstDirty = p;
      }
    }
    if (dirty === 0) return;
    this.out.deviceCheck(
      'dma.device-read-dirty',
      dev,
      `device read ${len} byte(s) at phys ${hex8(pa)} while ${dirty} cache line(s) of it are dirty in the CPU cache [device address=${hex16(e.dmaAddr)}] [mapped with ${dirName(e.dir)}]`,
      [
        `Symptom: the device reads what RAM held before the CPU's stores (first dirty line at phys ${hex8(firstDirty)}).`,
        e.dir === DMA_FROM_DEVICE
          ? 'Cause: the buffer is mapped DMA_FROM_DEVICE, so no clean is done for the device; map it DMA_TO_DEVICE or DMA_BIDIRECTIONAL.'
          : 'Cause: the CPU wrote the buffer after the last dma_map_*() or dma_sync_*_for_device(); sync for the device after the last CPU write.',
      ],
      e,
      { pa, len, dirtyLines: dirty },
    );
  }

  // ---- frees and unmaps ---------------------------------------------------------------------

  /** `kfree`/`free_pages`/`vfree`/`dma_pool_free` of [pa, pa+len): no streaming mapping may cover it. */
  free(fn: string, va: number, pa: number, len: number): void {
    for (const e of this.table.overlappingPhys(pa, len, this.scratch)) {
      if (e.type === 'coherent' || !(pa < e.pa + e.size && e.pa < pa + len)) continue;
      this.out.check(
        'dma.free-mapped',
        'check',
        e.dev,
        `${fn}() of memory under a live DMA mapping [addr=${hex8(va)}] [device address=${hex16(e.dmaAddr)}] [size=${e.size} bytes] [mapped with ${dirName(e.dir)}]`,
        ['The device may still read or write it; unmap before freeing (a reallocation would receive DMA meant for the old buffer).'],
        e,
        { va, pa, len },
      );
      // The allocator's own stores that follow (free poison, free pointer) are this bug's
      // consequence, not a second one: count them in the period already reported.
      this.reportedThisPeriod.add(e);
      return;
    }
  }

  /** An unmap (or coherent free) while the device has a transfer under way on the buffer. */
  unmapInFlight(e: DmaEntry, fn: string): void {
    const claim = e.dev.busMaster.claims.find((c) => c.pa < e.devPa + e.size && e.devPa < c.pa + c.len);
    if (!claim) return;
    this.out.check(
      'dma.unmap-in-flight',
      'check',
      e.dev,
      `${fn}() while the device still has DMA in flight on the buffer [device address=${hex16(e.dmaAddr)}] [size=${e.size} bytes] [in flight: phys ${hex8(claim.pa)}+${claim.len}]`,
      ['Make sure DMA activity has finished (the descriptor is back, the engine stopped) before unmapping.'],
      e,
      { claim },
    );
  }

  // ---- shadow state -------------------------------------------------------------------------

  /** Recompute the DMA watch bits of every line of [pa, pa+len) from the entries still there. */
  refreshWatch(pa: number, len: number): void {
    const st = this.machine.store;
    const ls = st.lineSize;
    const entries = this.table.overlappingPhys(pa - ls, len + 2 * ls, this.scratch2);
    let p = pa - (pa % ls);
    const end = pa + len;
    while (p < end) {
      // One frame at a time: one slot lookup per frame, then plain array work per line.
      const frameStart = p - (p % FRAME_SIZE);
      const frameEnd = Math.min(end, frameStart + FRAME_SIZE);
      const slot = st.slotOf(p);
      const base = slot * st.linesPerFrame - (frameStart >>> 0) / ls;
      const watch = st.watch;
      for (; p < frameEnd; p += ls) {
        let bits = 0;
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          if (e.type === 'coherent' || !(p < e.pa + e.size && e.pa < p + ls)) continue;
          bits |= e.owner === 'device' ? WATCH_DMA_DEVICE : WATCH_DMA_CPU;
          // Shared lines only corrupt where nothing snoops.
          if (e.dir !== DMA_TO_DEVICE && e.owner === 'device' && !e.dev.dmaCoherent && (p < e.pa || p + ls > e.pa + e.size)) bits |= WATCH_DMA_EDGE;
        }
        const g = base + p / ls;
        watch[g] = (watch[g]! & ~DMA_BITS) | bits;
      }
    }
  }
}
