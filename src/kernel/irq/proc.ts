/**
 * The `/proc/interrupts` view in Linux 6.x's layout (show_interrupts plus powerpc's
 * arch_show_interrupts) and `/proc/irq/N/spurious`. Only CPU0 exists. Lines carry no trailing
 * spaces. Left out: /proc/irq/N/ directories beyond `spurious`, /proc/stat.
 */
import type { IrqDesc } from './desc.js';

/** Per-CPU counters of the architecture lines. */
export interface ArchIrqStats {
  /** Local timer interrupts (`timer_irqs_event`). */
  readonly localTimer: number;
  /** Local timer interrupts for others (`timer_irqs_others`). */
  readonly localTimerOthers: number;
  /** Interrupts whose IACK gave nothing to handle (`spurious_irqs`). */
  readonly spurious: number;
  /** Performance monitor interrupts. */
  readonly pmu: number;
  /** Machine checks. */
  readonly mce: number;
}

/** `%*d` width: digits of nr_irqs, at least 3. */
export function irqPrec(nrIrqs: number): number {
  return Math.max(3, String(nrIrqs).length);
}

/** The `/proc/interrupts` text. */
export function formatProcInterrupts(descs: Iterable<IrqDesc>, nrIrqs: number, arch: ArchIrqStats): string {
  const prec = irqPrec(nrIrqs);
  const lines = [`${' '.repeat(prec + 8)}CPU0`];
  for (const d of descs) {
    if (d.actions.length === 0 && d.kstat === 0) continue;
    let s = `${String(d.irq).padStart(prec)}: ${String(d.kstat).padStart(10)}`;
    s += ` ${d.chip.name.padStart(8)}`;
    s += d.domain ? ` ${String(d.hwirq).padStart(prec)}` : ` ${''.padStart(prec)}`;
    s += ` ${(d.isLevel ? 'Level' : 'Edge').padEnd(8)}`;
    if (d.flowName) s += `-${d.flowName.padEnd(8)}`;
    if (d.actions.length > 0) s += `  ${d.actions.map((a) => a.name).join(', ')}`;
    lines.push(s.trimEnd());
  }
  const arch1 = (tag: string, n: number, text: string): string => `${tag.padStart(prec)}: ${String(n).padStart(10)}   ${text}`;
  lines.push(arch1('LOC', arch.localTimer, 'Local timer interrupts for timer event device'));
  lines.push(arch1('LOC', arch.localTimerOthers, 'Local timer interrupts for others'));
  lines.push(arch1('SPU', arch.spurious, 'Spurious interrupts'));
  lines.push(arch1('PMI', arch.pmu, 'Performance monitoring interrupts'));
  lines.push(arch1('MCE', arch.mce, 'Machine check exceptions'));
  return lines.join('\n');
}

/** `/proc/irq/N/spurious`. */
export function formatProcIrqSpurious(d: IrqDesc, jiffiesToMs: (j: number) => number): string {
  return [`count ${d.irqCount}`, `unhandled ${d.irqsUnhandled}`, `last_unhandled ${jiffiesToMs(d.lastUnhandled)} ms`].join('\n');
}
