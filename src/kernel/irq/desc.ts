/**
 * `struct irq_desc`, `struct irq_chip` and `struct irqaction` as genirq keeps them: one descriptor
 * per Linux irq number with its chip, flow handler, disable depth, state bits (irqd_* and istate),
 * actions in request order, the per-CPU count and the unhandled-interrupt counters. Data only;
 * the mechanisms are in flow.ts, manage.ts, spurious.ts. Left out: affinity, wake, NMI, percpu_devid.
 */
import type { KThread } from '../sched/scheduler.js';
import type { LazyStack } from '../report/stack.js';
import { IRQ_TYPE_NONE, type irqreturn_t } from './constants.js';
import type { IrqDomain } from './domain.js';

/** `irq_handler_t`: a primary or threaded handler, called with the Linux irq number and dev_id. */
export type irq_handler_t = (irq: number, dev_id: any) => irqreturn_t;

/** A flow handler (`irq_flow_handler_t`). */
export type FlowHandler = (desc: IrqDesc) => void;

/** `struct irq_chip`: how genirq drives one interrupt controller. */
export interface IrqChip {
  /** Printed in /proc/interrupts (`%8s`). */
  readonly name: string;
  /** IRQCHIP_* flags. */
  readonly flags: number;
  /** Mask the source at the controller. */
  irq_mask?(d: IrqDesc): void;
  /** Unmask it. */
  irq_unmask?(d: IrqDesc): void;
  /** End of interrupt. */
  irq_eoi?(d: IrqDesc): void;
  /** Acknowledge (edge/level flows). */
  irq_ack?(d: IrqDesc): void;
  /** Mask and acknowledge in one step. */
  irq_mask_ack?(d: IrqDesc): void;
  /** Disable at once (makes disable_irq non-lazy). */
  irq_disable?(d: IrqDesc): void;
  /** Program the trigger; 0 / IRQ_SET_MASK_OK_NOCOPY on success, a negative errno on failure. */
  irq_set_type?(d: IrqDesc, type: number): number;
  /** Re-raise a lost edge in hardware; nonzero on success. */
  irq_retrigger?(d: IrqDesc): number;
}

/** `no_irq_chip`: what a descriptor has before an irq_domain maps it. */
export const no_irq_chip: IrqChip = { name: 'none', flags: 0 };

/** `struct irqaction`: one request_irq() on a line. */
export class IrqAction {
  /** The thread of a threaded handler. */
  thread: KThread | null = null;
  /** Bit in desc.threadsOneshot (ONESHOT sharers). */
  threadMask = 0;
  /** IRQTF_RUNTHREAD. */
  runThread = false;
  /** "returned IRQ_WAKE_THREAD but no thread function" was printed. */
  warnedNoThread = false;
  /** Where it was requested (the driver's call), for messages. */
  site: LazyStack | null = null;
  /** Requested through devm. */
  managed = false;

  constructor(
    /** The Linux irq number. */
    readonly irq: number,
    /** Primary handler (`irq_default_primary_handler` when the driver passed NULL). */
    readonly handler: irq_handler_t,
    /** Threaded handler, or null. */
    readonly threadFn: irq_handler_t | null,
    /** IRQF_* flags (trigger bits filled in from the line's type when none were given). */
    public flags: number,
    /** The name (`devname`) shown in /proc/interrupts. */
    readonly name: string,
    /** dev_id cookie. */
    readonly devId: unknown,
    /** True when `handler` is the default primary handler (the driver passed NULL). */
    readonly defaultPrimary: boolean,
  ) {}
}

/** `struct irq_desc`. */
export class IrqDesc {
  /** Hardware irq number in its domain. */
  hwirq = 0;
  /** The domain that mapped it. */
  domain: IrqDomain | null = null;
  /** The chip. */
  chip: IrqChip = no_irq_chip;
  /** Chip-private data. */
  chipData: unknown = null;
  /** Flow handler. */
  handleIrq: FlowHandler;
  /** Flow handler's name (`desc->name`), printed after the trigger in /proc/interrupts when set. */
  flowName: string | null = null;
  /** Disable depth: 0 = enabled. */
  depth = 1;
  /** IRQD_IRQ_DISABLED. */
  disabled = true;
  /** IRQD_IRQ_MASKED. */
  masked = true;
  /** IRQD_IRQ_INPROGRESS: a hard handler runs now. */
  inProgress = false;
  /** IRQD_IRQ_STARTED. */
  started = false;
  /** IRQD_TRIGGER_MASK bits. */
  triggerType = IRQ_TYPE_NONE;
  /** IRQD_DEFAULT_TRIGGER_SET: a trigger type was recorded. */
  triggerSet = false;
  /** IRQS_PENDING: an interrupt came while it could not be handled. */
  pending = false;
  /** IRQS_REPLAY: a resend is in flight. */
  replay = false;
  /** IRQS_ONESHOT. */
  oneshot = false;
  /** IRQS_SPURIOUS_DISABLED: killed by the unhandled-interrupt detector. */
  spuriousDisabled = false;
  /** IRQS_POLL_INPROGRESS. */
  polling = false;
  /** IRQ_NOREQUEST. */
  noRequest = false;
  /** The actions, in request order. */
  actions: IrqAction[] = [];
  /** Interrupts handled on CPU0 (`kstat_irqs_cpu`). */
  kstat = 0;
  /** Spurious-detector counter of interrupts while unhandled ones are seen. */
  irqCount = 0;
  /** Unhandled interrupts in the current window. */
  irqsUnhandled = 0;
  /** jiffies of the last unhandled interrupt. */
  lastUnhandled = 0;
  /** Unhandled interrupts in total (/proc/irq/N/spurious). */
  unhandledTotal = 0;
  /** ONESHOT thread bits still running. */
  threadsOneshot = 0;
  /** Woken threads not yet finished. */
  threadsActive = 0;
  /** Threads that returned IRQ_HANDLED. */
  threadsHandled = 0;
  /** Spurious-detector bookkeeping of threaded handling (`threads_handled_last`). */
  threadsHandledLast = 0;
  /** enable_irq_wake() depth. */
  wakeDepth = 0;

  constructor(
    /** The Linux irq number (`virq`). */
    readonly irq: number,
    handleBad: FlowHandler,
  ) {
    this.handleIrq = handleBad;
  }

  /** `irqd_is_level_type()`. */
  get isLevel(): boolean {
    return (this.triggerType & 0xc) !== 0;
  }
}
