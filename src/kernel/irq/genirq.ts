/**
 * genirq of one kernel, composed: the descriptor table and domains, flow handlers, the
 * unhandled-interrupt detector, request/free/enable/disable, devres, the external-interrupt entry
 * from the MPIC's INT output (do_IRQ: IACK, handle, EOI by the flow, spurious count) and the
 * /proc views. Each mechanism lives in its own file; this wires them and holds the MPIC driver.
 */
import type { IrqLine } from '../../hw/irq.js';
import type { Kernel } from '../kernel.js';
import { jiffies_to_msecs } from '../time/jiffies.js';
import { IRQ_HANDLED, NR_IRQS, NR_IRQS_LEGACY } from './constants.js';
import type { IrqAction, IrqDesc } from './desc.js';
import { Devres } from './devres.js';
import { IrqDescTable, IrqMapper } from './domain.js';
import { Flow, type FlowOwner } from './flow.js';
import { IrqManager } from './manage.js';
import { MpicDriver, type MmioPort, type MpicDriverOptions } from './mpic.js';
import { formatProcInterrupts, formatProcIrqSpurious } from './proc.js';
import { Spurious, type SpuriousOwner } from './spurious.js';

/** The interrupt subsystem of one kernel. */
export class GenericIrq implements FlowOwner, SpuriousOwner {
  /** The descriptors. */
  readonly descs: IrqDescTable;
  /** Domains and mappings. */
  readonly mapper: IrqMapper;
  /** Flow handlers. */
  readonly flow: Flow;
  /** Request, free, enable, disable, synchronize. */
  readonly manage: IrqManager;
  /** The unhandled-interrupt detector. */
  readonly spurious: Spurious;
  /** Managed resources. */
  readonly devres = new Devres();
  /** The MPIC driver, once the board attached the controller. */
  mpic: MpicDriver | null = null;
  /** `noirqdebug`: the detector is off. */
  noirqdebug = false;
  /** Interrupts whose IACK gave no Linux irq (`SPU`). */
  spuriousInterrupts = 0;
  /** The level of the core's external interrupt input (the MPIC's INT output). */
  intAsserted = false;
  /** The core's external interrupt input: wire the interrupt controller's output here. */
  readonly cpuInt: IrqLine;

  constructor(private readonly k: Kernel) {
    this.flow = new Flow(k, this);
    this.descs = new IrqDescTable(this.flow.bad);
    this.mapper = new IrqMapper(k, this.descs);
    this.manage = new IrqManager(k, this.descs, this.flow);
    this.spurious = new Spurious(k, this);
    this.cpuInt = {
      set: (asserted: boolean) => {
        this.intAsserted = asserted;
        if (asserted) k.sched.interruptRaised();
      },
    };
  }

  /** Boot: print the descriptor line and register the external interrupt with the CPU. */
  start(): void {
    this.k.log.info(`NR_IRQS: ${NR_IRQS}, nr_irqs: ${NR_IRQS}, preallocated irqs: ${NR_IRQS_LEGACY}`);
    this.k.sched.addInterruptSource({ name: 'external', pending: () => this.intAsserted, take: () => this.doIRQ() });
  }

  /** Probe and initialise an MPIC whose registers `io` reaches; it becomes the default domain. */
  attachMpic(io: MmioPort, opts: MpicDriverOptions): MpicDriver {
    const m = new MpicDriver(this.k, io, this.mapper, this.flow, opts);
    m.init();
    this.mapper.defaultDomain = m.domain;
    this.mpic = m;
    return m;
  }

  /** powerpc `do_IRQ()` / `__do_irq()`: fetch the interrupt from the controller and handle it. */
  private doIRQ(): void {
    this.k.sched.hardirq(() => {
      const virq = this.mpic ? this.mpic.getIrq() : 0;
      if (virq === 0) this.spuriousInterrupts++;
      else this.genericHandleIrq(virq);
    });
  }

  /** `generic_handle_irq()`. */
  genericHandleIrq(virq: number): number {
    const desc = this.descs.get(virq);
    if (!desc) return -22;
    desc.handleIrq(desc);
    return 0;
  }

  // ---- FlowOwner / SpuriousOwner --------------------------------------------------------------

  /** {@link FlowOwner.noteInterrupt}. */
  noteInterrupt(desc: IrqDesc, ret: number): void {
    this.spurious.note(desc, ret);
  }

  /** {@link FlowOwner.wakeThread}. */
  wakeThread(desc: IrqDesc, action: IrqAction): void {
    this.manage.wakeThread(desc, action);
  }

  /** {@link SpuriousOwner.all}. */
  all(): IterableIterator<IrqDesc> {
    return this.descs.all();
  }

  /** {@link SpuriousOwner.disableLine}. */
  disableLine(desc: IrqDesc): void {
    this.flow.disable(desc, false);
  }

  /** {@link SpuriousOwner.pollLine}: `try_one_irq()`. */
  pollLine(desc: IrqDesc): boolean {
    if (desc.inProgress || desc.actions.length === 0) return false;
    if (desc.disabled && !desc.spuriousDisabled) return false;
    const ctx = this.k.ctx;
    const saved = ctx.irqsDisabled;
    ctx.irqsDisabled = true;
    desc.polling = true;
    let handled = false;
    try {
      desc.inProgress = true;
      for (const a of desc.actions) if (a.handler(desc.irq, a.devId) & IRQ_HANDLED) handled = true;
    } finally {
      desc.inProgress = false;
      desc.polling = false;
      ctx.irqsDisabled = saved;
    }
    return handled;
  }

  // ---- views ----------------------------------------------------------------------------------

  /** `/proc/interrupts`. */
  procInterrupts(): string {
    return formatProcInterrupts(this.descs.all(), this.descs.nrIrqs, {
      localTimer: this.k.time.timers.localTimerInterrupts,
      localTimerOthers: 0,
      spurious: this.spuriousInterrupts,
      pmu: 0,
      mce: 0,
    });
  }

  /** `/proc/irq/N/spurious`, or null for an unknown number. */
  procIrqSpurious(irq: number): string | null {
    const d = this.descs.get(irq);
    return d ? formatProcIrqSpurious(d, jiffies_to_msecs) : null;
  }
}
