/**
 * How the DMA checker speaks: dma-debug's `DMA-API: <driver> <device>: <message>` WARN splats
 * with the "Mapped at:" stack of the mapping, the driver filter, and the sandbox's own named
 * checks in the same voice. Every report carries the check id and structured details.
 */
import type { Reporter } from '../../report/reporter.js';
import { kernelFrame, symbolize } from '../../report/symbols.js';
import type { Report, ReportKind } from '../../report/types.js';
import type { Device } from '../../device.js';
import type { DmaEntry } from './entries.js';
import type { LazyStack } from '../../report/stack.js';

const DEVICE_TRACE_NOTE = 'The device made this access; the call trace is only where the CPU happened to be (the driver code involved is under "Mapped at:").';

/** The checker's voice. */
export class DmaReporter {
  /** dma-debug's `error_count`: every DMA-API error, printed or not. */
  errorCount = 0;
  /** `driver_filter`: when set, only this driver's errors are printed. */
  driverFilter: string | null = null;

  constructor(private readonly reporter: Reporter) {}

  /**
   * A dma-debug error (a WARN in Linux): `DMA-API: <drv> <dev>: <msg>`, followed by the
   * mapping's "Mapped at:" stack when the entry is known.
   */
  dmaApiError(id: string, dev: Device | null, msg: string, entry: DmaEntry | null, details: Record<string, unknown> = {}, extraBody: readonly string[] = []): Report | null {
    this.errorCount++;
    if (this.driverFilter !== null && dev?.driverName !== this.driverFilter) return null;
    const drv = dev ? dev.driverString : 'NULL';
    const name = dev ? dev.name : 'NULL';
    return this.reporter.warn({
      id,
      title: `DMA-API: ${drv} ${name}: ${msg}`,
      body: extraBody,
      ...(dev ? { driver: dev.driverString, device: dev.name } : {}),
      after: entry ? mappedAt(entry) : [],
      site: { file: 'kernel/dma/debug.c', line: SITE_LINE[id] ?? 1000 },
      // NIP in the debug.c function that WARNs (check_unmap, check_sync, ...), LR in the API call.
      ...(CHECK_FN[id] ? { frames: [kernelFrame(CHECK_FN[id])] } : {}),
      details: { ...details, ...(entry ? { entry: entrySummary(entry) } : {}) },
    });
  }

  /** A sandbox check beyond dma-debug, worded like the kernel, with the mapping's stack when known. */
  check(id: string, kind: ReportKind, dev: Device | null, msg: string, body: readonly string[], entry: DmaEntry | null, details: Record<string, unknown> = {}, extraAfter: readonly string[] = []): Report | null {
    this.errorCount++;
    if (this.driverFilter !== null && dev?.driverName !== this.driverFilter) return null;
    const prefix = dev ? `DMA-API: ${dev.driverString} ${dev.name}: ` : 'DMA-API: ';
    return this.reporter.report({
      kind,
      id,
      title: prefix + msg,
      body,
      ...(dev ? { driver: dev.driverString, device: dev.name } : {}),
      after: [...(entry ? mappedAt(entry) : []), ...extraAfter],
      details: { ...details, ...(entry ? { entry: entrySummary(entry) } : {}) },
    });
  }

  /**
   * A check on an access the device made (as a bus master): a {@link check} whose body says the call
   * trace is only where the CPU was — a device access has no driver line of its own — and whose
   * details carry `actor: 'device'` for tools that summarise reports.
   */
  deviceCheck(id: string, dev: Device, msg: string, body: readonly string[], entry: DmaEntry | null, details: Record<string, unknown> = {}, extraAfter: readonly string[] = []): Report | null {
    return this.check(id, 'check', dev, msg, [...body, DEVICE_TRACE_NOTE], entry, { ...details, actor: 'device' }, extraAfter);
  }

  /** The underlying reporter. */
  get kernelReporter(): Reporter {
    return this.reporter;
  }
}

/** `DMA-API: Mapped at:` and the mapping's stack, one symbol a line. */
export function mappedAt(e: DmaEntry): string[] {
  if (!e.stack) return ['DMA-API: Mapped at:', ' (stack not recorded)'];
  return ['DMA-API: Mapped at:', ...e.stack.frames.slice(0, 5).map((f) => ' ' + symbolize(f))];
}

/** `DMA-API: Unmapped at:` and the stack of the unmap, one symbol a line (a sandbox addition: dma-debug forgets unmapped entries). */
export function unmappedAt(stack: LazyStack | null): string[] {
  if (!stack) return [];
  return ['DMA-API: Unmapped at:', ...stack.frames.slice(0, 5).map((f) => ' ' + symbolize(f))];
}

/** The entry as plain data for report details. */
export function entrySummary(e: DmaEntry): Record<string, unknown> {
  return { type: e.type, dmaAddr: e.dmaAddr, size: e.size, dir: e.dir, pa: e.pa, devPa: e.devPa, owner: e.owner };
}

// The kernel/dma/debug.c function whose err_printk() WARNs, per check.
const CHECK_FN: Record<string, string> = {
  'dma.unmap-invalid': 'check_unmap',
  'dma.unmap-unknown': 'check_unmap',
  'dma.unmap-size': 'check_unmap',
  'dma.unmap-type': 'check_unmap',
  'dma.free-cpu-addr': 'check_unmap',
  'dma.unmap-sg-nents': 'check_unmap',
  'dma.unmap-dir': 'check_unmap',
  'dma.map-err-unchecked': 'check_unmap',
  'dma.sync-unknown': 'check_sync',
  'dma.sync-overrun': 'check_sync',
  'dma.sync-dir': 'check_sync',
  'dma.sync-cpu-readonly': 'check_sync',
  'dma.sync-dev-writeonly': 'check_sync',
  'dma.sync-sg-nents': 'check_sync',
  'dma.map-stack': 'check_for_stack',
  'dma.map-text-rodata': 'check_for_illegal_area',
  'dma.map-invalid-area': 'debug_dma_map_single',
  'dma.map-vmalloc': 'debug_dma_map_single',
  'dma.cacheline-overlap': 'add_dma_entry',
  'dma.pending-at-unbind': 'dma_debug_device_change',
  'dma.sg-seg-long': 'check_sg_segment',
  'dma.sg-seg-boundary': 'check_sg_segment',
};

// Plausible kernel/dma/debug.c line numbers for the WARNING line (synthetic but stable per check).
const SITE_LINE: Record<string, number> = {
  'dma.unmap-invalid': 1040,
  'dma.unmap-unknown': 1048,
  'dma.unmap-size': 1060,
  'dma.unmap-type': 1068,
  'dma.free-cpu-addr': 1077,
  'dma.unmap-sg-nents': 1087,
  'dma.unmap-dir': 1095,
  'dma.map-err-unchecked': 1110,
  'dma.map-stack': 1150,
  'dma.map-text-rodata': 1180,
  'dma.sync-unknown': 1205,
  'dma.sync-overrun': 1213,
  'dma.sync-dir': 1223,
  'dma.sync-cpu-readonly': 1232,
  'dma.sync-dev-writeonly': 1241,
  'dma.sync-sg-nents': 1251,
  'dma.map-invalid-area': 1290,
  'dma.map-vmalloc': 1293,
  'dma.cacheline-overlap': 598,
  'dma.overlap-overflow': 506,
  'dma.pending-at-unbind': 893,
  'dma.sg-seg-long': 1275,
  'dma.sg-seg-boundary': 1281,
};
