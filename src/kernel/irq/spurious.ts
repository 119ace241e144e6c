/**
 * The unhandled-interrupt detector (`note_interrupt`): counts interrupts nobody handled, and when
 * more than 99,900 of 100,000 went unhandled declares the line stuck ("irq N: nobody cared"),
 * disables it and polls its handlers every HZ/10 from a timer; reports bogus handler return values;
 * and with `irqpoll` tries the other lines' handlers for an unhandled interrupt (misrouted IRQ).
 * Left out: irqfixup's "misrouted" heuristics beyond that, IRQF_IRQPOLL on irq 0.
 */
import type { Kernel } from '../kernel.js';
import { HZ, time_after } from '../time/jiffies.js';
import { timer_list } from '../time/timers.js';
import { IRQ_HANDLED, IRQ_NONE, IRQ_WAKE_THREAD, IRQF_SHARED } from './constants.js';
import type { IrqDesc } from './desc.js';
import { badActionRet, fnAddress } from './flow.js';
import { flowName, irqContextTrace } from './irq-frames.js';

/** `SPURIOUS_DEFERRED`: threaded handling's verdict comes with the next hard interrupt. */
const SPURIOUS_DEFERRED = 0x8000_0000;
/** `POLL_SPURIOUS_IRQ_INTERVAL`: HZ/10. */
const POLL_INTERVAL = HZ / 10;

/** What the detector needs from genirq. */
export interface SpuriousOwner {
  /** Every descriptor. */
  all(): IterableIterator<IrqDesc>;
  /** Lazily disable the line (`irq_disable`). */
  disableLine(desc: IrqDesc): void;
  /** Run the line's handlers once from the poller (`try_one_irq`); returns true if one handled it. */
  pollLine(desc: IrqDesc): boolean;
}

/** The detector of one kernel. */
export class Spurious {
  /** Bogus return values reported so far (Linux stops at 100, system-wide). */
  private bogusReports = 0;
  private readonly pollTimer = new timer_list();
  private pollArmed = false;

  constructor(
    private readonly k: Kernel,
    private readonly owner: SpuriousOwner,
  ) {
    this.pollTimer.function = () => this.pollSpuriousIrqs();
  }

  /** `note_interrupt(desc, action_ret)`. */
  note(desc: IrqDesc, ret: number): void {
    if (desc.polling) return;
    if (badActionRet(ret)) {
      this.reportBogus(desc, ret);
      return;
    }
    let r = ret;
    if (r & IRQ_WAKE_THREAD) {
      if (r === IRQ_WAKE_THREAD) {
        if (!(desc.threadsHandledLast & SPURIOUS_DEFERRED)) {
          desc.threadsHandledLast = (desc.threadsHandledLast | SPURIOUS_DEFERRED) >>> 0;
          return;
        }
        const handled = (desc.threadsHandled | SPURIOUS_DEFERRED) >>> 0;
        if (handled !== desc.threadsHandledLast) {
          r = IRQ_HANDLED;
          desc.threadsHandledLast = handled;
        } else r = IRQ_NONE;
      } else {
        desc.threadsHandledLast = (desc.threadsHandledLast & ~SPURIOUS_DEFERRED) >>> 0;
      }
    }
    if (r === IRQ_NONE) {
      const j = this.k.time.timers.jiffies();
      if (time_after(j, (desc.lastUnhandled + POLL_INTERVAL) >>> 0)) desc.irqsUnhandled = 1;
      else desc.irqsUnhandled++;
      desc.lastUnhandled = j;
      desc.unhandledTotal++;
      if (this.k.boot.irqpoll) {
        const ok = this.misrouted(desc);
        desc.irqsUnhandled -= ok;
      }
    }
    if (desc.irqsUnhandled === 0) return;
    desc.irqCount++;
    if (desc.irqCount < 100_000) return;
    desc.irqCount = 0;
    if (desc.irqsUnhandled > 99_900) {
      this.reportBadIrq(desc, r, 'irq.nobody-cared', `irq ${desc.irq}: nobody cared (try booting with the "irqpoll" option)`, [`Disabling IRQ #${desc.irq}`]);
      desc.spuriousDisabled = true;
      desc.depth++;
      this.owner.disableLine(desc);
      this.armPoll();
    }
    desc.irqsUnhandled = 0;
  }

  private reportBogus(desc: IrqDesc, ret: number): void {
    if (this.bogusReports >= 100) return;
    this.bogusReports++;
    this.reportBadIrq(desc, ret, 'irq.bogus-return', `irq event ${desc.irq}: bogus return value ${(ret >>> 0).toString(16)}`, []);
  }

  /** `__report_bad_irq()`: the message, dump_stack(), then the handlers of the line. */
  private reportBadIrq(desc: IrqDesc, ret: number, id: string, title: string, tail: readonly string[]): void {
    const handlers = desc.actions.map((a) => (a.threadFn ? `${fnAddress(a.handler)} threaded ${fnAddress(a.threadFn)}` : fnAddress(a.handler)));
    this.k.reporter.report({
      kind: 'bug',
      id,
      title,
      trace: irqContextTrace(this.k, ['__report_bad_irq', 'note_interrupt'], flowName(this.k, desc.handleIrq)),
      after: ['handlers:', ...handlers, ...tail],
      details: { irq: desc.irq, hwirq: desc.hwirq, ret, handlers: desc.actions.map((a) => a.handler.name) },
    });
  }

  /** `misrouted_irq()` (irqpoll): try every other line's handlers; count those that handled it. */
  private misrouted(self: IrqDesc): number {
    let ok = 0;
    for (const desc of this.owner.all()) {
      if (desc === self || desc.actions.length === 0) continue;
      if (this.owner.pollLine(desc)) ok = 1;
    }
    return ok;
  }

  private armPoll(): void {
    if (this.pollArmed) return;
    this.pollArmed = true;
    this.k.time.timers.mod(this.pollTimer, this.k.time.timers.jiffies() + POLL_INTERVAL);
  }

  /** `poll_spurious_irqs()`: run the shared handlers of killed lines, then re-arm. */
  private pollSpuriousIrqs(): void {
    this.pollArmed = false;
    let any = false;
    for (const desc of this.owner.all()) {
      if (!desc.spuriousDisabled) continue;
      any = true;
      if (desc.actions.some((a) => a.flags & IRQF_SHARED)) this.owner.pollLine(desc);
    }
    if (any) this.armPoll();
  }
}
