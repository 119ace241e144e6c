/**
 * genirq's flow handlers and the common core under them: handle_fasteoi_irq (what every MPIC
 * source uses), handle_level_irq, handle_edge_irq, handle_bad_irq, handle_irq_event with its
 * per-action checks, lazy disable with PENDING, and the resend of a pending edge (software resend
 * through a tasklet, as CONFIG_HARDIRQS_SW_RESEND does). Left out: per-CPU and nested flows, NMIs,
 * the irq_may_run wait for an edge moving between CPUs.
 */
import type { Kernel } from '../kernel.js';
import { kernelSymbols } from '../report/symbols.js';
import { tasklet_struct } from '../time/tasklet.js';
import { EBUSY, EINVAL, IRQCHIP_EOI_IF_HANDLED, IRQCHIP_EOI_THREADED, IRQ_HANDLED, IRQ_WAKE_THREAD } from './constants.js';
import type { IrqAction, IrqDesc } from './desc.js';
import { flowName, irqContextTrace } from './irq-frames.js';

/** What the flow core needs from the rest of genirq. */
export interface FlowOwner {
  /** `note_interrupt()`: the unhandled-interrupt detector. */
  noteInterrupt(desc: IrqDesc, ret: number): void;
  /** `__irq_wake_thread()`. */
  wakeThread(desc: IrqDesc, action: IrqAction): void;
  /** `noirqdebug`. */
  readonly noirqdebug: boolean;
}

/** `%pS` of a handler: `toy_irq+0x0/0x1a0`. */
export function fnSymbol(fn: Function): string {
  const name = fn.name || '<anonymous>';
  const sym = kernelSymbols.symbol('', name);
  return `${name}+0x0/0x${sym.size.toString(16)}`;
}

/** `[<c0123456>] toy_irq` as the "handlers:" list prints a handler. */
export function fnAddress(fn: Function): string {
  const name = fn.name || '<anonymous>';
  const sym = kernelSymbols.symbol('', name);
  return `[<${(sym.start >>> 0).toString(16).padStart(8, '0')}>] ${name}`;
}

/** The flow handlers of one kernel. */
export class Flow {
  /** `handle_fasteoi_irq`. */
  readonly fasteoi = (desc: IrqDesc): void => this.handleFasteoi(desc);
  /** `handle_level_irq`. */
  readonly level = (desc: IrqDesc): void => this.handleLevel(desc);
  /** `handle_edge_irq`. */
  readonly edge = (desc: IrqDesc): void => this.handleEdge(desc);
  /** `handle_bad_irq`. */
  readonly bad = (desc: IrqDesc): void => this.handleBad(desc);
  private warnedEnabledIrqs = false;
  private readonly resendList: IrqDesc[] = [];
  private readonly resendTasklet = new tasklet_struct();

  constructor(
    private readonly k: Kernel,
    private readonly owner: FlowOwner,
  ) {
    this.resendTasklet.callback = () => this.resendIrqs();
  }

  // ---- chip helpers ---------------------------------------------------------------------------

  /** `mask_irq()`. */
  mask(desc: IrqDesc): void {
    if (desc.masked) return;
    if (desc.chip.irq_mask) {
      desc.chip.irq_mask(desc);
      desc.masked = true;
    }
  }

  /** `unmask_irq()`. */
  unmask(desc: IrqDesc): void {
    if (!desc.masked) return;
    if (desc.chip.irq_unmask) {
      desc.chip.irq_unmask(desc);
      desc.masked = false;
    }
  }

  /** `irq_enable()`. */
  enable(desc: IrqDesc): void {
    desc.disabled = false;
    this.unmask(desc);
  }

  /** `__irq_disable()`: lazy unless the chip has irq_disable or `mask` asks for it. */
  disable(desc: IrqDesc, mask: boolean): void {
    if (desc.disabled) {
      if (mask) this.mask(desc);
      return;
    }
    desc.disabled = true;
    if (desc.chip.irq_disable) {
      desc.chip.irq_disable(desc);
      desc.masked = true;
    } else if (mask) this.mask(desc);
  }

  /** `irq_startup()`: depth 0, enabled and unmasked, a pending edge resent. */
  startup(desc: IrqDesc, resend: boolean): void {
    desc.depth = 0;
    desc.started = true;
    this.enable(desc);
    if (resend) this.checkResend(desc, false);
  }

  /** `irq_shutdown()`: masked, depth 1, not started. */
  shutdown(desc: IrqDesc): void {
    if (!desc.started) return;
    desc.depth = 1;
    this.disable(desc, true);
    desc.started = false;
  }

  private eoi(desc: IrqDesc): void {
    desc.chip.irq_eoi?.(desc);
  }

  // ---- resend ---------------------------------------------------------------------------------

  /**
   * `check_irq_resend()`: a level interrupt is never resent (the line re-asserts); a pending edge is
   * retriggered by the chip or resent in software from a tasklet.
   */
  checkResend(desc: IrqDesc, inject: boolean): number {
    if (desc.isLevel) {
      desc.pending = false;
      return -EINVAL;
    }
    if (desc.replay) return -EBUSY;
    if (!desc.pending && !inject) return 0;
    desc.pending = false;
    if (!(desc.chip.irq_retrigger && desc.chip.irq_retrigger(desc))) {
      if (!this.resendList.includes(desc)) this.resendList.push(desc);
      this.k.time.tasklets.schedule(this.resendTasklet, false);
    }
    desc.replay = true;
    return 0;
  }

  private resendIrqs(): void {
    const ctx = this.k.ctx;
    const saved = ctx.irqsDisabled;
    ctx.irqsDisabled = true;
    try {
      while (this.resendList.length > 0) {
        const desc = this.resendList.shift()!;
        desc.handleIrq(desc);
      }
    } finally {
      ctx.irqsDisabled = saved;
    }
  }

  // ---- the flow handlers ------------------------------------------------------------------------

  /** `handle_fasteoi_irq()`: one EOI per interrupt; ONESHOT lines masked until their threads finish. */
  private handleFasteoi(desc: IrqDesc): void {
    const chip = desc.chip;
    if (desc.inProgress) {
      if (!(chip.flags & IRQCHIP_EOI_IF_HANDLED)) this.eoi(desc);
      return;
    }
    desc.replay = false;
    if (desc.actions.length === 0 || desc.disabled) {
      desc.pending = true;
      this.mask(desc);
      if (!(chip.flags & IRQCHIP_EOI_IF_HANDLED)) this.eoi(desc);
      return;
    }
    desc.kstat++;
    if (desc.oneshot) this.mask(desc);
    try {
      this.handleIrqEvent(desc);
    } finally {
      this.condUnmaskEoi(desc);
    }
    if (desc.pending && !desc.disabled) this.checkResend(desc, false);
  }

  private condUnmaskEoi(desc: IrqDesc): void {
    if (!desc.oneshot) {
      this.eoi(desc);
      return;
    }
    if (!desc.disabled && desc.masked && desc.threadsOneshot === 0) {
      this.eoi(desc);
      this.unmask(desc);
    } else if (!(desc.chip.flags & IRQCHIP_EOI_THREADED)) this.eoi(desc);
  }

  /** `handle_level_irq()`: mask and ack first, unmask after the handlers unless a ONESHOT thread runs. */
  private handleLevel(desc: IrqDesc): void {
    const chip = desc.chip;
    if (chip.irq_mask_ack) chip.irq_mask_ack(desc);
    else {
      this.mask(desc);
      chip.irq_ack?.(desc);
    }
    desc.masked = true;
    if (desc.inProgress) return;
    desc.replay = false;
    if (desc.actions.length === 0 || desc.disabled) {
      desc.pending = true;
      return;
    }
    desc.kstat++;
    try {
      this.handleIrqEvent(desc);
    } finally {
      if (!desc.disabled && desc.masked && desc.threadsOneshot === 0) this.unmask(desc);
    }
  }

  /** `handle_edge_irq()`: ack first; edges that come meanwhile make one more round. */
  private handleEdge(desc: IrqDesc): void {
    const chip = desc.chip;
    desc.replay = false;
    if (desc.inProgress || desc.actions.length === 0 || desc.disabled) {
      desc.pending = true;
      this.mask(desc);
      chip.irq_ack?.(desc);
      return;
    }
    desc.kstat++;
    chip.irq_ack?.(desc);
    do {
      if (desc.actions.length === 0) {
        this.mask(desc);
        return;
      }
      if (desc.pending && !desc.disabled && desc.masked) this.unmask(desc);
      this.handleIrqEvent(desc);
    } while (desc.pending && !desc.disabled);
  }

  /** `handle_bad_irq()`: an interrupt on a number nobody set up. */
  private handleBad(desc: IrqDesc): void {
    desc.kstat++;
    this.k.log.crit(`unexpected IRQ trap at vector ${desc.irq.toString(16).padStart(2, '0')}`);
  }

  /**
   * `handle_irq_event()`: clear PENDING, mark in progress, run every action in request order (OR
   * of their returns), wake threads for IRQ_WAKE_THREAD, then the unhandled-interrupt detector.
   */
  handleIrqEvent(desc: IrqDesc): void {
    const k = this.k;
    const ctx = k.ctx;
    desc.pending = false;
    desc.inProgress = true;
    let ret = 0;
    try {
      for (const action of [...desc.actions]) {
        const res = action.handler(desc.irq, action.devId);
        if (!ctx.irqsDisabled) {
          if (!this.warnedEnabledIrqs) {
            this.warnedEnabledIrqs = true;
            k.reporter.warn({
              id: 'irq.handler-enabled-irqs',
              title: `irq ${desc.irq} handler ${fnSymbol(action.handler)} enabled interrupts`,
              site: { file: 'kernel/irq/handle.c', line: 161 },
              trace: irqContextTrace(k, ['__handle_irq_event_percpu'], flowName(k, desc.handleIrq)),
              details: { irq: desc.irq, handler: action.handler.name },
            });
          }
          ctx.irqsDisabled = true;
        }
        if (res === IRQ_WAKE_THREAD) {
          if (!action.threadFn) this.warnNoThread(desc, action);
          else this.owner.wakeThread(desc, action);
        }
        ret |= typeof res === 'number' ? res : Number(res) | 0;
      }
    } finally {
      desc.inProgress = false;
    }
    if (!this.owner.noirqdebug) this.owner.noteInterrupt(desc, ret);
  }

  private warnNoThread(desc: IrqDesc, action: IrqAction): void {
    if (action.warnedNoThread) return;
    action.warnedNoThread = true;
    this.k.reporter.report({
      kind: 'bug',
      id: 'irq.wake-no-thread',
      title: `IRQ ${desc.irq} device ${action.name} returned IRQ_WAKE_THREAD but no thread function available.`,
      details: { irq: desc.irq, name: action.name },
    });
  }
}

/** `irq_default_primary_handler`: what request_threaded_irq installs when the driver passes no primary handler. */
export function irq_default_primary_handler(_irq: number, _dev_id: unknown): number {
  return IRQ_WAKE_THREAD;
}

/** True for a return value no handler combination can produce (`bad_action_ret`). */
export function badActionRet(ret: number): boolean {
  return (ret >>> 0) > (IRQ_HANDLED | IRQ_WAKE_THREAD);
}
