/**
 * The kernel's driver for the Freescale MPIC (arch/powerpc/sysdev/mpic.c as it applies to one
 * e500 core): the init sequence Linux runs (reset, timers/IPIs/sources programmed masked with their
 * reserved vectors, spurious vector, 8259 pass-through off, task priority 0), the irq_chip (mask and
 * unmask with read-back, EOI then WHOAMI read, set_type rewriting SENSE/POLARITY), the linear
 * irq_domain with its map and device-tree xlate, and the IACK fetch with spurious handling. Left
 * out: IPIs and global timers as Linux irqs, ISUs, HT/U3 fixups, MSI, protected sources, coreint.
 */
import { translateMpicSpecifier, type MpicTrigger } from '../../hw/mpic/dt.js';
import type { Kernel } from '../kernel.js';
import {
  EINVAL, IRQ_SET_MASK_OK_NOCOPY, IRQ_TYPE_DEFAULT, IRQ_TYPE_EDGE_BOTH, IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_EDGE_RISING,
  IRQ_TYPE_LEVEL_HIGH, IRQ_TYPE_LEVEL_LOW, IRQ_TYPE_NONE,
} from './constants.js';
import type { IrqChip, IrqDesc } from './desc.js';
import type { IrqDomain, IrqMapper } from './domain.js';
import type { Flow } from './flow.js';

/** 32-bit register access to the controller's window (the kernel's ioremap of it). */
export interface MmioPort {
  read32(offset: number): number;
  write32(offset: number, value: number): void;
}

// asm/mpic.h offsets and bits, as Linux's driver defines them.
const GREG_FEATURE_0 = 0x1000;
const GREG_GLOBAL_CONF_0 = 0x1020;
const GREG_GCONF_RESET = 0x8000_0000;
const GREG_GCONF_8259_PTHROU_DIS = 0x2000_0000;
const GREG_IPI_VECTOR_PRI_0 = 0x10a0;
const GREG_IPI_STRIDE = 0x10;
const GREG_SPURIOUS = 0x10e0;
const TIMER_BASES = [0x1100, 0x2100];
const TIMER_STRIDE = 0x40;
const TIMER_VECTOR_PRI = 0x20;
const TIMER_DESTINATION = 0x30;
const IRQ_BASE = 0x10000;
const IRQ_STRIDE = 0x20;
const IRQ_VECTOR_PRI = 0x00;
const IRQ_DESTINATION = 0x10;
const CPU_BASE = 0x20000;
const CPU_CURRENT_TASK_PRI = 0x80;
const CPU_WHOAMI = 0x90;
const CPU_INTACK = 0xa0;
const CPU_EOI = 0xb0;
const VECPRI_MASK = 0x8000_0000;
const VECPRI_POLARITY_POSITIVE = 0x0080_0000;
const VECPRI_SENSE_LEVEL = 0x0040_0000;
const VECPRI_SENSE_MASK = VECPRI_SENSE_LEVEL;
const VECPRI_POLARITY_MASK = VECPRI_POLARITY_POSITIVE;
const VECPRI_PRIORITY_SHIFT = 16;
/** mpic_mask_irq/mpic_unmask_irq poll this many times for the MASK bit to read back. */
const MASK_POLL_LOOPS = 100_000;

const TRIGGER_TYPE: Record<MpicTrigger, number> = {
  'edge-rising': IRQ_TYPE_EDGE_RISING,
  'level-low': IRQ_TYPE_LEVEL_LOW,
  'level-high': IRQ_TYPE_LEVEL_HIGH,
  'edge-falling': IRQ_TYPE_EDGE_FALLING,
};

/** Options of the MPIC driver. */
export interface MpicDriverOptions {
  /** Controller name as the platform passes it to mpic_alloc (mpc85xx: `" OpenPIC  "`). */
  readonly name?: string;
  /** Vector field width: 11 for "fsl,mpic" (large vectors), 8 for a classic OpenPIC. */
  readonly vectorBits?: 8 | 11;
  /** Skip the controller reset (device-tree `pic-no-reset`). */
  readonly noReset?: boolean;
  /** Physical address of the window (for the boot message). */
  readonly paddr: number;
}

/** The MPIC as Linux drives it: irq_chip, domain, init and IACK fetch. */
export class MpicDriver implements IrqChip {
  /** Chip name (`%8s` in /proc/interrupts). */
  readonly name: string;
  /** IRQCHIP_* flags (none: fasteoi with lazy disable). */
  readonly flags = 0;
  /** Sources (FEATURE0 last source + 1). */
  readonly numSources: number;
  /** `intvec_top`: 2047 for large vectors, 255 otherwise. */
  readonly intvecTop: number;
  /** The spurious vector (intvec_top). */
  readonly spuriousVec: number;
  /** The linear domain of the sources. */
  readonly domain: IrqDomain;
  private readonly vectorMask: number;
  private readonly vectorBits: 8 | 11;

  constructor(
    private readonly k: Kernel,
    private readonly io: MmioPort,
    mapper: IrqMapper,
    private readonly flow: Flow,
    private readonly opts: MpicDriverOptions,
  ) {
    this.name = opts.name ?? ' OpenPIC  ';
    this.vectorBits = opts.vectorBits ?? 11;
    this.intvecTop = (1 << this.vectorBits) - 1;
    this.vectorMask = this.intvecTop;
    this.spuriousVec = this.intvecTop;
    const feature = io.read32(GREG_FEATURE_0);
    this.numSources = ((feature >>> 16) & 0x7ff) + 1;
    this.domain = mapper.addLinear('pic@40000', this.intvecTop, { map: (_d, virq, hw) => this.map(virq, hw), xlate: (_d, cells) => this.xlate(cells) }, this);
  }

  private cpuRead(reg: number): number {
    return this.io.read32(CPU_BASE + reg);
  }

  private cpuWrite(reg: number, v: number): void {
    this.io.write32(CPU_BASE + reg, v);
  }

  private vprOffset(src: number): number {
    return IRQ_BASE + src * IRQ_STRIDE + IRQ_VECTOR_PRI;
  }

  /** `mpic_alloc()` + `mpic_init()`: print the banner and program the controller as Linux does. */
  init(): void {
    const io = this.io;
    const log = this.k.log;
    const feature = io.read32(GREG_FEATURE_0);
    const vers = ['<unknown>', '1.0', '1.2', '1.3'][feature & 0xff] ?? '<unknown>';
    log.info(`mpic: Setting up MPIC "${this.name}" version ${vers} at ${this.opts.paddr.toString(16)}, max 1 CPUs`);
    const isuShift = 1 + Math.floor(Math.log2(this.numSources - 1));
    log.info(`mpic: ISU size: ${this.numSources}, shift: ${isuShift}, mask: ${((1 << isuShift) - 1).toString(16)}`);
    if (!this.opts.noReset) {
      io.write32(GREG_GLOBAL_CONF_0, io.read32(GREG_GLOBAL_CONF_0) | GREG_GCONF_RESET);
      while (io.read32(GREG_GLOBAL_CONF_0) & GREG_GCONF_RESET);
    }
    log.info(`mpic: Initializing for ${this.numSources} sources`);
    this.cpuWrite(CPU_CURRENT_TASK_PRI, 0xf);
    const timerVec0 = this.intvecTop - 12;
    for (let i = 0; i < 8; i++) {
      const base = TIMER_BASES[i >> 2]! + (i & 3) * TIMER_STRIDE;
      io.write32(base + TIMER_DESTINATION, 1);
      io.write32(base + TIMER_VECTOR_PRI, VECPRI_MASK | (9 << VECPRI_PRIORITY_SHIFT) | (timerVec0 + i));
    }
    const ipiVec0 = this.intvecTop - 4;
    for (let i = 0; i < 4; i++) io.write32(GREG_IPI_VECTOR_PRI_0 + i * GREG_IPI_STRIDE, VECPRI_MASK | (10 << VECPRI_PRIORITY_SHIFT) | (ipiVec0 + i));
    for (let i = 0; i < this.numSources; i++) {
      io.write32(this.vprOffset(i), VECPRI_MASK | i | (8 << VECPRI_PRIORITY_SHIFT));
      io.write32(IRQ_BASE + i * IRQ_STRIDE + IRQ_DESTINATION, 1);
    }
    io.write32(GREG_SPURIOUS, this.spuriousVec);
    io.write32(GREG_GLOBAL_CONF_0, io.read32(GREG_GLOBAL_CONF_0) | GREG_GCONF_8259_PTHROU_DIS);
    this.cpuWrite(CPU_CURRENT_TASK_PRI, 0);
  }

  /** `mpic_host_map()`: chip, fasteoi flow, and the type read back from the hardware. */
  private map(virq: number, hwirq: number): number {
    if (hwirq === this.spuriousVec) return -EINVAL;
    if (hwirq >= this.numSources) return -EINVAL;
    const desc = this.k.irq.descs.get(virq)!;
    desc.chip = this;
    desc.chipData = this;
    desc.handleIrq = this.flow.fasteoi;
    this.irq_set_type(desc, IRQ_TYPE_DEFAULT);
    return 0;
  }

  /** `mpic_host_xlate()` for "fsl,mpic" 2- and 4-cell specifiers (normal and error sources). */
  private xlate(cells: readonly number[]): { hwirq: number; type: number } | string {
    try {
      const spec = translateMpicSpecifier(cells, { vectorBits: this.vectorBits });
      if (spec.type === 'ipi' || spec.type === 'timer') return `MPIC ${spec.type} interrupts are not mapped by this kernel`;
      return { hwirq: spec.hwirq, type: TRIGGER_TYPE[spec.trigger] };
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** `mpic_mask_irq()`: set MASK and wait until it reads back. */
  irq_mask(d: IrqDesc): void {
    const off = this.vprOffset(d.hwirq);
    this.io.write32(off, this.io.read32(off) | VECPRI_MASK);
    for (let loops = MASK_POLL_LOOPS; !(this.io.read32(off) & VECPRI_MASK); ) {
      if (!loops--) {
        this.k.log.err(`mpic_mask_irq: timeout on hwirq ${d.hwirq}`);
        break;
      }
    }
  }

  /** `mpic_unmask_irq()`: clear MASK and wait until it reads back. */
  irq_unmask(d: IrqDesc): void {
    const off = this.vprOffset(d.hwirq);
    this.io.write32(off, this.io.read32(off) & ~VECPRI_MASK);
    for (let loops = MASK_POLL_LOOPS; this.io.read32(off) & VECPRI_MASK; ) {
      if (!loops--) {
        this.k.log.err(`mpic_unmask_irq: timeout on hwirq ${d.hwirq}`);
        break;
      }
    }
  }

  /** `mpic_end_irq()`: EOI, then read WHOAMI so the write has reached the controller. */
  irq_eoi(_d: IrqDesc): void {
    this.cpuWrite(CPU_EOI, 0);
    this.cpuRead(CPU_WHOAMI);
  }

  /** `mpic_set_irq_type()`: IRQ_TYPE_NONE/DEFAULT read the hardware's setting back; otherwise rewrite SENSE and POLARITY. */
  irq_set_type(d: IrqDesc, flowType: number): number {
    const src = d.hwirq;
    if (src >= this.numSources) return -EINVAL;
    const off = this.vprOffset(src);
    const vold = this.io.read32(off);
    let type = flowType === IRQ_TYPE_NONE ? IRQ_TYPE_DEFAULT : flowType;
    if (type === IRQ_TYPE_DEFAULT) {
      const ps = vold & (VECPRI_POLARITY_MASK | VECPRI_SENSE_MASK);
      if (ps === VECPRI_POLARITY_POSITIVE) type = IRQ_TYPE_EDGE_RISING;
      else if (ps === 0) type = IRQ_TYPE_EDGE_FALLING;
      else if (ps === (VECPRI_SENSE_LEVEL | VECPRI_POLARITY_POSITIVE)) type = IRQ_TYPE_LEVEL_HIGH;
      else type = IRQ_TYPE_LEVEL_LOW;
    }
    d.triggerType = type;
    d.triggerSet = true;
    let vecpri: number;
    if (type === IRQ_TYPE_EDGE_RISING) vecpri = VECPRI_POLARITY_POSITIVE;
    else if (type === IRQ_TYPE_EDGE_FALLING || type === IRQ_TYPE_EDGE_BOTH) vecpri = 0;
    else if (type === IRQ_TYPE_LEVEL_HIGH) vecpri = VECPRI_SENSE_LEVEL | VECPRI_POLARITY_POSITIVE;
    else vecpri = VECPRI_SENSE_LEVEL;
    const vnew = ((vold & ~(VECPRI_POLARITY_MASK | VECPRI_SENSE_MASK)) | vecpri) >>> 0;
    if (vnew !== vold >>> 0) this.io.write32(off, vnew);
    return IRQ_SET_MASK_OK_NOCOPY;
  }

  /** `mpic_get_irq()`: IACK; the spurious vector is 0 (no interrupt); else the Linux irq of the source (0 if unmapped). */
  getIrq(): number {
    const src = this.cpuRead(CPU_INTACK) & this.vectorMask;
    if (src === this.spuriousVec) return 0;
    return this.domain.find(src);
  }
}
