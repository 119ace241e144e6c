/**
 * dma-debug parity: the bookkeeping and checks Linux's CONFIG_DMA_API_DEBUG makes at each DMA API
 * call — map, unmap, sync, mapping-error, coherent alloc/free, sg — with its wording, its
 * sync-direction matrix, first-cache-line overlap tracking, pending mappings at unbind and the
 * live-entry dump.
 */
import type { Device } from '../../device.js';
import { captureStackLazy } from '../../report/stack.js';
import { kernelFrame } from '../../report/symbols.js';
import { DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_MAPPING_ERROR, DMA_TO_DEVICE, dirName, hex16, hex8, type DmaEntryType } from '../types.js';
import { DmaEntryTable, MAP_ERR_CHECKED, MAP_ERR_NOT_APPLICABLE, MAP_ERR_NOT_CHECKED, type DmaEntry } from './entries.js';
import type { DmaReporter } from './report.js';

/** What a new mapping looks like to the checker: the entry's fixed fields (sg counts only for sg maps). */
export type MapRecord = Pick<DmaEntry, 'dev' | 'type' | 'dmaAddr' | 'size' | 'dir' | 'pa' | 'devPa' | 'cpuVa' | 'skipCpuSync'> &
  Partial<Pick<DmaEntry, 'sgCallEnts' | 'sgMappedEnts'>>;

/** dma-debug. */
export class DmaApiChecks {
  /** Record "Mapped at:" stacks (costs a stack capture per mapping). */
  recordStacks = true;
  /** Entries for the first cache line of each non-TO_DEVICE mapping (dma-debug's radix tree). */
  private readonly firstLines = new Map<number, number>();
  private overlapOverflowWarned = false;

  constructor(
    readonly table: DmaEntryTable,
    private readonly out: DmaReporter,
    private readonly lineSize: number,
    private readonly now: () => number,
  ) {}

  /** `debug_dma_map_page` & co: record the entry and track its first cache line. */
  map(r: MapRecord, stackFrom: Function): DmaEntry {
    const e: DmaEntry = {
      id: this.table.allocId(),
      dev: r.dev,
      type: r.type,
      dmaAddr: r.dmaAddr,
      size: r.size,
      dir: r.dir,
      pa: r.pa,
      devPa: r.devPa,
      cpuVa: r.cpuVa,
      sgCallEnts: r.sgCallEnts ?? 0,
      sgMappedEnts: r.sgMappedEnts ?? 0,
      mapErrState: r.type === 'single' ? MAP_ERR_NOT_CHECKED : MAP_ERR_NOT_APPLICABLE,
      owner: 'device',
      lastCpuSyncDir: -1,
      cpuWrote: false,
      skipCpuSync: r.skipCpuSync,
      stack: this.recordStacks ? captureStackLazy({ below: stackFrom, limit: 6 }) : null,
      time: this.now(),
    };
    this.table.add(e);
    if (e.dir !== DMA_TO_DEVICE) this.trackLine(e);
    return e;
  }

  /** `debug_dma_mapping_error`: mark the first unchecked entry with this handle as checked. */
  mappingError(dev: Device, addr: number): void {
    const e = this.table.exact(dev, addr).find((x) => x.mapErrState === MAP_ERR_NOT_CHECKED);
    if (e) e.mapErrState = MAP_ERR_CHECKED;
  }

  /**
   * `check_unmap`: find the entry by exact handle and compare everything the driver passed. The
   * entry is removed and returned, or null when there was none to remove.
   */
  unmap(dev: Device, addr: number, size: number, dir: number, type: DmaEntryType, opts: { sgNents?: number; cpuPa?: number } = {}): DmaEntry | null {
    const e = this.table.findExact(dev, addr, { size, type, dir, sgCallEnts: opts.sgNents ?? 0 });
    if (!e) {
      if (addr === DMA_MAPPING_ERROR) this.out.dmaApiError('dma.unmap-invalid', dev, 'device driver tries to free an invalid DMA memory address', null, { dmaAddr: addr });
      else
        this.out.dmaApiError('dma.unmap-unknown', dev, `device driver tries to free DMA memory it has not allocated [device address=${hex16(addr)}] [size=${size} bytes]`, null, {
          dmaAddr: addr,
          size,
        });
      return null;
    }
    if (e.size !== size) {
      this.out.dmaApiError(
        'dma.unmap-size',
        dev,
        `device driver frees DMA memory with different size [device address=${hex16(addr)}] [map size=${e.size} bytes] [unmap size=${size} bytes]`,
        e,
      );
    }
    if (e.type !== type) {
      this.out.dmaApiError(
        'dma.unmap-type',
        dev,
        `device driver frees DMA memory with wrong function [device address=${hex16(addr)}] [size=${e.size} bytes] [mapped as ${e.type}] [unmapped as ${type}]`,
        e,
      );
    } else if (e.type === 'coherent' && opts.cpuPa !== undefined && opts.cpuPa !== e.pa) {
      this.out.dmaApiError(
        'dma.free-cpu-addr',
        dev,
        `device driver frees DMA memory with different CPU address [device address=${hex16(addr)}] [size=${e.size} bytes] [cpu alloc address=${hex16(e.pa)}] [cpu free address=${hex16(opts.cpuPa)}]`,
        e,
        { allocPa: e.pa, freePa: opts.cpuPa, allocVa: e.cpuVa },
      );
    }
    if (e.type === 'scather-gather' && opts.sgNents !== undefined && opts.sgNents !== e.sgCallEnts) {
      this.out.dmaApiError('dma.unmap-sg-nents', dev, `device driver frees DMA sg list with different entry count [map count=${e.sgCallEnts}] [unmap count=${opts.sgNents}]`, e);
    }
    if (e.dir !== dir) {
      this.out.dmaApiError(
        'dma.unmap-dir',
        dev,
        `device driver frees DMA memory with different direction [device address=${hex16(addr)}] [size=${e.size} bytes] [mapped with ${dirName(e.dir)}] [unmapped with ${dirName(dir)}]`,
        e,
      );
    }
    if (e.mapErrState === MAP_ERR_NOT_CHECKED) {
      this.out.dmaApiError(
        'dma.map-err-unchecked',
        dev,
        `device driver failed to check map error[device address=${hex16(addr)}] [size=${e.size} bytes] [mapped as ${e.type}]`,
        e,
      );
    }
    this.remove(e);
    return e;
  }

  /** `check_sync`: a containing entry must exist, and the direction must fit the mapping. */
  sync(dev: Device, addr: number, size: number, dir: number, toCpu: boolean, sgNents?: number): DmaEntry | null {
    const e = this.table.findContaining(dev, addr, size);
    if (!e) {
      this.out.dmaApiError('dma.sync-unknown', dev, `device driver tries to sync DMA memory it has not allocated [device address=${hex16(addr)}] [size=${size} bytes]`, null, {
        dmaAddr: addr,
        size,
      });
      return null;
    }
    if (sgNents !== undefined && e.type === 'scather-gather' && sgNents !== e.sgCallEnts) {
      this.out.dmaApiError('dma.sync-sg-nents', dev, `device driver syncs DMA sg list with different entry count [map count=${e.sgCallEnts}] [sync count=${sgNents}]`, e);
    }
    if (e.dir === DMA_BIDIRECTIONAL) return e;
    const fields = `[device address=${hex16(addr)}] [size=${size} bytes] [mapped with ${dirName(e.dir)}] [synced with ${dirName(dir)}]`;
    if (dir !== e.dir) this.out.dmaApiError('dma.sync-dir', dev, `device driver syncs DMA memory with different direction ${fields}`, e);
    if (toCpu && e.dir === DMA_TO_DEVICE && (dir === DMA_FROM_DEVICE || dir === DMA_BIDIRECTIONAL)) {
      this.out.dmaApiError('dma.sync-cpu-readonly', dev, `device driver syncs device read-only DMA memory for cpu ${fields}`, e);
    }
    if (!toCpu && e.dir === DMA_FROM_DEVICE && (dir === DMA_TO_DEVICE || dir === DMA_BIDIRECTIONAL)) {
      this.out.dmaApiError('dma.sync-dev-writeonly', dev, `device driver syncs device write-only DMA memory to device ${fields}`, e);
    }
    return e;
  }

  /** `check_for_stack` / `check_for_illegal_area` / the map_single area checks, before mapping. */
  mapArea(dev: Device, va: number, pa: number, size: number, area: 'stack' | 'text' | 'invalid' | 'vmalloc' | 'ok'): void {
    switch (area) {
      case 'stack':
        this.out.dmaApiError('dma.map-stack', dev, `device driver maps memory from stack [addr=${hex8(va)}]`, null, { va, pa, size });
        return;
      case 'text':
        this.out.dmaApiError('dma.map-text-rodata', dev, `device driver maps memory from kernel text or rodata [addr=${hex8(va)}] [len=${size}]`, null, { va, pa, size });
        return;
      case 'invalid':
        this.out.dmaApiError('dma.map-invalid-area', dev, `device driver maps memory from invalid area [addr=${hex8(va)}] [len=${size}]`, null, { va, size });
        return;
      case 'vmalloc':
        this.out.dmaApiError('dma.map-vmalloc', dev, `device driver maps memory from vmalloc area [addr=${hex8(va)}] [len=${size}]`, null, { va, size });
        return;
    }
  }

  /** The sg segment checks of CONFIG_DMA_API_DEBUG_SG. */
  sgSegment(dev: Device, dmaAddr: number, len: number): void {
    if (len > dev.maxSegmentSize) {
      this.out.dmaApiError('dma.sg-seg-long', dev, `mapping sg segment longer than device claims to support [len=${len}] [max=${dev.maxSegmentSize}]`, null, { len });
    }
    const b = dev.segBoundaryMask;
    const start = dmaAddr;
    const end = dmaAddr + len - 1;
    if (b !== 0xffff_ffff && Math.floor(start / (b + 1)) !== Math.floor(end / (b + 1))) {
      this.out.dmaApiError('dma.sg-seg-boundary', dev, `mapping sg segment across boundary [start=${hex16(start)}] [end=${hex16(end)}] [boundary=${hex16(b)}]`, null, { start, end });
    }
  }

  /** At driver unbind: "pending DMA allocations while released from device". Returns the count. */
  pendingAtUnbind(dev: Device): number {
    const left = this.table.ofDevice(dev);
    if (left.length === 0) return 0;
    const e = left[0]!;
    this.out.dmaApiError(
      'dma.pending-at-unbind',
      dev,
      `device driver has pending DMA allocations while released from device [count=${left.length}]`,
      e, // dma_debug_device_change passes the entry: "Mapped at:" follows
      { count: left.length, entries: left.map((x) => ({ type: x.type, dmaAddr: x.dmaAddr, size: x.size, dir: x.dir })) },
      [`One of leaked entries details: [device address=${hex16(e.dmaAddr)}] [size=${e.size} bytes] [mapped with ${dirName(e.dir)}] [mapped as ${e.type}]`],
    );
    return left.length;
  }

  /** The debugfs `dump` file: one line per live entry. */
  dump(): string[] {
    return this.table.all().map((e, i) => {
      const err = ['dma map error check not applicable', 'dma map error not checked', 'dma map error checked'][e.mapErrState];
      return `${e.dev.driverString} ${e.dev.name} ${e.type} idx ${i} P=${e.pa.toString(16)} N=${Math.floor(e.pa / 4096).toString(16)} D=${e.dmaAddr.toString(16)} L=${e.size.toString(16)} cln=${Math.floor(e.pa / this.lineSize).toString(16)} ${dirName(e.dir)} ${err}`;
    });
  }

  /** Forget an entry (after unmap, or when a coherent allocation is freed). */
  remove(e: DmaEntry): void {
    this.table.remove(e);
    if (e.dir !== DMA_TO_DEVICE) {
      const key = Math.floor(e.pa / this.lineSize);
      const n = (this.firstLines.get(key) ?? 1) - 1;
      if (n <= 0) this.firstLines.delete(key);
      else this.firstLines.set(key, n);
    }
  }

  private trackLine(e: DmaEntry): void {
    const key = Math.floor(e.pa / this.lineSize);
    const n = this.firstLines.get(key) ?? 0;
    if (n > 0 && !e.skipCpuSync) this.out.dmaApiError('dma.cacheline-overlap', e.dev, "cacheline tracking EEXIST, overlapping mappings aren't supported", e);
    if (n + 1 > 7) {
      if (!this.overlapOverflowWarned) {
        this.overlapOverflowWarned = true;
        this.out.kernelReporter.warn({ id: 'dma.overlap-overflow', title: `DMA-API: exceeded 7 overlapping mappings of cacheline ${hex8(key)}`, site: { file: 'kernel/dma/debug.c', line: 506 }, frames: [kernelFrame('active_cacheline_inc_overlap')], details: { cln: key, pa: key * this.lineSize } }); // %pa of the line number, as the dump's cln=
      }
      return;
    }
    this.firstLines.set(key, n + 1);
  }
}
