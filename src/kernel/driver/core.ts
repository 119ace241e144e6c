/**
 * The driver core's state for one kernel — the platform bus, the ioremap area, the claimed iomem
 * regions, barrier counters and the hook that maps device-tree interrupts — and the built-in
 * unbind checks (kmalloc/page/vmalloc memory, ioremap mappings, claimed regions, DMA).
 */
import type { Device } from '../device.js';
import type { Kernel } from '../kernel.js';
import { formatTimestamp } from '../report/log.js';
import { IoremapSpace } from './ioremap.js';
import type { OfNode } from './of-node.js';
import { PlatformBus } from './platform-bus.js';
import { formatResource, IomemRegions } from './resource.js';
import { afterWhat, onUnbind, type UnbindLeak } from './unbind-checks.js';

/** What mapping one interrupt specifier gave. */
export type IrqMapping =
  | { readonly virq: number; readonly hwirq: number; readonly type: number }
  | { readonly error: string; readonly defer?: boolean };

/**
 * Maps an interrupt specifier of `controller` to a Linux irq number (`irq_create_of_mapping`).
 * The board installs one for its interrupt controllers; the genirq layer's irq_domain is behind it.
 */
export type IrqMapper = (controller: OfNode, cells: readonly number[]) => IrqMapping;

/** Memory barriers the driver API counts (they order nothing in this in-order model, but may be observed). */
export type BarrierKind = 'mb' | 'rmb' | 'wmb' | 'dma_rmb' | 'dma_wmb' | 'eieio' | 'iobarrier';

/** The driver core of one kernel. */
export class DriverCore {
  readonly bus: PlatformBus;
  readonly ioremap: IoremapSpace;
  readonly iomem = new IomemRegions();
  /** Barriers executed, by kind. */
  readonly barriers: Record<BarrierKind, number> = { mb: 0, rmb: 0, wmb: 0, dma_rmb: 0, dma_wmb: 0, eieio: 0, iobarrier: 0 };
  /** Called for every barrier (a checker may watch ordering); null when nobody watches. */
  onBarrier: ((kind: BarrierKind) => void) | null = null;
  /** The interrupt mapping hook; null until the board installs its controllers. */
  irqMapper: IrqMapper | null = null;

  constructor(readonly kernel: Kernel) {
    this.bus = new PlatformBus(kernel);
    this.ioremap = new IoremapSpace(kernel.machine.mmu);
  }

  /** Count (and report to the hook) one barrier. */
  barrier(kind: BarrierKind): void {
    this.barriers[kind]++;
    if (this.onBarrier !== null) this.onBarrier(kind);
  }
}

const cores = new WeakMap<Kernel, DriverCore>();

/** The driver core of `kernel`, created on first use. */
export function driverCore(kernel: Kernel): DriverCore {
  let c = cores.get(kernel);
  if (c === undefined) {
    c = new DriverCore(kernel);
    cores.set(kernel, c);
  }
  return c;
}

function hex(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}

// ---- built-in unbind checks ---------------------------------------------------------------

onUnbind('memory', (dev: Device, ctx): UnbindLeak[] => {
  const { kernel } = ctx;
  // Pages behind live coherent DMA allocations are dma-debug's to report (see the 'dma' check).
  const coherent = (kernel.dma.debug?.table.ofDevice(dev) ?? []).filter((e) => e.type === 'coherent');
  const isCoherent = (pa: number, size: number): boolean => coherent.some((e) => pa < e.pa + e.size && e.pa < pa + size);
  const records = kernel.mm.leaks(dev.name).filter((r) => r.kind !== 'pages' || !isCoherent(kernel.mm.page_to_phys(r.address), r.size));
  const groups: Record<string, typeof records> = {};
  for (const r of records) (groups[r.kind === 'kmem_cache' ? 'kmalloc' : r.kind] ??= []).push(r);
  const out: UnbindLeak[] = [];
  for (const [kind, list] of Object.entries(groups)) {
    const bytes = list.reduce((n, r) => n + r.size, 0);
    const what = kind === 'pages' ? 'page block(s)' : kind === 'vmalloc' ? 'vmalloc area(s)' : 'kmalloc object(s)';
    out.push({
      kind,
      key: `${kind}:${list.map((r) => r.address).join(',')}`,
      text: `${list.length} ${what} (${bytes} bytes) allocated by the driver still live ${afterWhat(ctx)}`,
      body: list.map((r) => `unreferenced object ${hex(r.address)} (size ${r.size}): ${r.cache ?? kind}, allocated at ${formatTimestamp(r.time)}`),
      details: { objects: list.map((r) => ({ address: r.address, size: r.size, cache: r.cache ?? null, time: r.time })) },
    });
  }
  return out;
});

onUnbind('ioremap', (dev: Device, ctx): UnbindLeak[] => {
  const left = driverCore(ctx.kernel).ioremap.list().filter((a) => a.owner === dev.name && !a.managed);
  return left.map((a) => ({
    kind: 'ioremap',
    key: `ioremap:${a.va}`,
    text: `ioremap of ${formatResource({ start: a.physAddr, end: a.physAddr + a.physSize - 1, flags: 0x200, name: '' })} at ${hex(a.cookie)} still mapped ${afterWhat(ctx)} (missing iounmap)`,
    details: { va: a.cookie, pa: a.physAddr, size: a.physSize },
  }));
});

onUnbind('iomem', (dev: Device, ctx): UnbindLeak[] =>
  driverCore(ctx.kernel)
    .iomem.ownedBy(dev.name)
    .map((r) => ({
      kind: 'iomem',
      key: `iomem:${r.start}`,
      text: `memory region ${formatResource(r)} "${r.name}" still requested ${afterWhat(ctx)} (missing release_mem_region)`,
      details: { start: r.start, end: r.end },
    })),
);

onUnbind('timer', (dev: Device, { kernel }): UnbindLeak[] =>
  kernel.time.timers.pendingOwnedBy(dev.name).map((t) => {
    const what = t._label ?? `timer ${t.function?.name || '<anonymous>'}`;
    const fix = t._label ? 'cancel_delayed_work_sync' : 'del_timer_sync';
    return {
      kind: 'timer',
      key: `timer:${what}:${t.expires}`,
      text: `${what} set up by the driver is still pending after unbind (missing ${fix}): it will run after the driver's data is gone`,
      details: { what, expires: t.expires },
    };
  }),
);

onUnbind('work', (dev: Device, { kernel }): UnbindLeak[] =>
  kernel.time.workqueues.pendingOwnedBy(dev.name).map((w) => {
    const fn = w.func?.name || '<anonymous>';
    return {
      kind: 'work',
      key: `work:${fn}`,
      text: `work item ${fn} initialised by the driver is still queued after unbind (missing cancel_work_sync): it will run after the driver's data is gone`,
      details: { function: fn },
    };
  }),
);

onUnbind('dma', (dev: Device, ctx): UnbindLeak[] => {
  const { kernel } = ctx;
  // dma-debug prints its own "pending DMA allocations while released from device" report.
  const before = kernel.reports.length;
  const n = kernel.dma.checker.pendingAtUnbind(dev);
  if (n <= 0) return [];
  return [{ kind: 'dma', text: `${n} DMA mapping(s) still live ${afterWhat(ctx)}`, report: kernel.reports[before] ?? null, details: { count: n } }];
});

onUnbind('irq', (dev: Device, ctx): UnbindLeak[] => {
  const { kernel, pdev, drvdata } = ctx;
  // An action on one of the device's own lines is the driver's when the line is not shared, or
  // when its dev_id is one of the cookies drivers pass (the platform device, its dev, the drvdata).
  if (!pdev) return [];
  const cookies = new Set<unknown>([pdev, dev, ...(drvdata !== null && drvdata !== undefined ? [drvdata] : [])]);
  const out: UnbindLeak[] = [];
  for (const virq of new Set(pdev.irqs.map((i) => i.virq).filter((v) => v > 0))) {
    const actions = kernel.irq.descs.get(virq)?.actions ?? [];
    for (const a of actions) {
      if (actions.length > 1 && !cookies.has(a.devId)) continue;
      out.push({ kind: 'irq', key: `irq:${virq}:${a.name}`, text: `irq ${virq} ("${a.name}") still requested ${afterWhat(ctx)} (missing free_irq)`, details: { irq: virq, name: a.name } });
    }
  }
  return out;
});
