/**
 * The driver-facing mechanics of genirq (kernel/irq/manage.c): __setup_irq with every check of the
 * request path, free_irq, enable/disable with their depth, synchronize_irq, trigger setting, and
 * IRQ threads (waking, running the thread function in process context, ONESHOT finalisation).
 * Waits that could never end on this one CPU (synchronizing with the handler that is running the
 * call) are reported and unwound instead of hanging. Left out: affinity, wake-up sources, NMIs,
 * per-CPU interrupts, nested threads, forced threading.
 */
import type { Kernel } from '../kernel.js';
import { captureStackLazy } from '../report/stack.js';
import { kernelFrame } from '../report/symbols.js';
import { hex8 } from '../report/hash.js';
import { MIGHT_SLEEP_SITES, mightSleep, selfDeadlock } from '../sched/splats.js';
import {
  EBUSY, EINVAL, ENOSYS, ENOTCONN, IRQ_HANDLED, IRQ_NOTCONNECTED, IRQ_SET_MASK_OK, IRQ_SET_MASK_OK_NOCOPY,
  IRQ_TYPE_LEVEL_MASK, IRQ_TYPE_SENSE_MASK, IRQCHIP_EOI_THREADED, IRQCHIP_ONESHOT_SAFE, IRQF_COND_SUSPEND,
  IRQF_NO_AUTOEN, IRQF_NO_SUSPEND, IRQF_ONESHOT, IRQF_PERCPU, IRQF_PROBE_SHARED, IRQF_SHARED, IRQF_TRIGGER_MASK,
} from './constants.js';
import { IrqAction, IrqDesc, no_irq_chip, type irq_handler_t } from './desc.js';
import type { IrqDescTable } from './domain.js';
import { irq_default_primary_handler, type Flow } from './flow.js';

/** `TASK_COMM_LEN - 1`: thread names are cut to 15 characters. */
const COMM_MAX = 15;

/** Approximate manage.c line numbers of the WARNs (Linux 6.6). */
const SITES = {
  unbalancedEnable: { file: 'kernel/irq/manage.c', line: 774 },
  enableBeforeSetup: { file: 'kernel/irq/manage.c', line: 804 },
  freeFromIrq: { file: 'kernel/irq/manage.c', line: 1870 },
  alreadyFree: { file: 'kernel/irq/manage.c', line: 1893 },
  wakeDisable: { file: 'kernel/irq/manage.c', line: 872 },
};

/** Interrupt management of one kernel. */
export class IrqManager {
  constructor(
    private readonly k: Kernel,
    private readonly descs: IrqDescTable,
    private readonly flow: Flow,
  ) {}

  /**
   * `raw_spin_lock_irqsave(&desc->lock)` ... unlock: interrupts are off while the descriptor and
   * the chip change, and one that became pending is taken when they come back on.
   */
  private locked<T>(fn: () => T): T {
    const ctx = this.k.ctx;
    const saved = ctx.irqsDisabled;
    ctx.irqsDisabled = true;
    let v: T;
    try {
      v = fn();
    } finally {
      ctx.irqsDisabled = saved;
    }
    if (!saved) this.k.sched.irqsEnabledPoint();
    return v;
  }

  // ---- request -------------------------------------------------------------------------------

  /**
   * `request_threaded_irq()`: validate, allocate the action (may sleep), then __setup_irq. Returns
   * 0 or a negative errno, as Linux does; the checks Linux prints for are reported.
   */
  request(irq: number, handler: irq_handler_t | null, threadFn: irq_handler_t | null, flags: number, name: string, devId: unknown, managed = false): number {
    if (irq === IRQ_NOTCONNECTED) return -ENOTCONN;
    if (flags & IRQF_SHARED && !devId) return -EINVAL;
    if (flags & IRQF_SHARED && flags & IRQF_NO_AUTOEN) return -EINVAL;
    if (flags & IRQF_COND_SUSPEND && (!(flags & IRQF_SHARED) || flags & IRQF_NO_SUSPEND)) return -EINVAL;
    const desc = this.descs.get(irq);
    if (!desc || desc.noRequest) return -EINVAL;
    let primary = handler;
    let defaultPrimary = false;
    if (!primary) {
      if (!threadFn) return -EINVAL;
      primary = irq_default_primary_handler;
      defaultPrimary = true;
    }
    mightSleep(this.k, MIGHT_SLEEP_SITES.alloc); // kzalloc(sizeof(struct irqaction), GFP_KERNEL)
    const action = new IrqAction(irq, primary, threadFn, flags >>> 0, name, devId, defaultPrimary);
    action.managed = managed;
    action.site = captureStackLazy({ limit: 12 });
    mightSleep(this.k, MIGHT_SLEEP_SITES.mutex); // mutex_lock(&desc->request_mutex)
    return this.locked(() => this.setup(desc, action));
  }

  /** `__setup_irq()`. */
  private setup(desc: IrqDesc, nw: IrqAction): number {
    const k = this.k;
    const chip = desc.chip;
    if (chip === no_irq_chip) return -ENOSYS;
    if (!(nw.flags & IRQF_TRIGGER_MASK)) nw.flags |= desc.triggerType & IRQF_TRIGGER_MASK;
    if (chip.flags & IRQCHIP_ONESHOT_SAFE) nw.flags &= ~IRQF_ONESHOT;
    let threadMask = 0;
    let shared = false;
    const old = desc.actions[0];
    if (old) {
      let oldtype: number;
      if (desc.triggerSet) oldtype = desc.triggerType;
      else {
        oldtype = nw.flags & IRQF_TRIGGER_MASK;
        desc.triggerType = oldtype;
        desc.triggerSet = true;
      }
      const mismatch =
        !(old.flags & nw.flags & IRQF_SHARED) ||
        oldtype !== (nw.flags & IRQF_TRIGGER_MASK) ||
        (old.flags & IRQF_ONESHOT) !== (nw.flags & IRQF_ONESHOT) ||
        (old.flags & IRQF_PERCPU) !== (nw.flags & IRQF_PERCPU);
      if (mismatch) {
        if (!(nw.flags & IRQF_PROBE_SHARED)) {
          k.reporter.report({
            kind: 'bug',
            id: 'irq.flags-mismatch',
            title: `genirq: Flags mismatch irq ${desc.irq}. ${hex8(nw.flags)} (${nw.name}) vs. ${hex8(old.flags)} (${old.name})`,
            details: { irq: desc.irq, flags: nw.flags, name: nw.name, oldFlags: old.flags, oldName: old.name },
          });
        }
        return -EBUSY;
      }
      for (const a of desc.actions) threadMask |= a.threadMask;
      shared = true;
    }
    if (nw.flags & IRQF_ONESHOT) {
      if (threadMask === 0xffff_ffff) return -EBUSY;
      let bit = 0;
      while (threadMask & (1 << bit)) bit++;
      nw.threadMask = (1 << bit) >>> 0;
    } else if (nw.defaultPrimary && !(chip.flags & IRQCHIP_ONESHOT_SAFE)) {
      k.reporter.report({
        kind: 'bug',
        id: 'irq.threaded-null-no-oneshot',
        title: `genirq: Threaded irq requested with handler=NULL and !ONESHOT for ${nw.name} (irq ${desc.irq})`,
        details: { irq: desc.irq, name: nw.name },
      });
      return -EINVAL;
    }
    if (!shared) {
      if (nw.flags & IRQF_TRIGGER_MASK) {
        const ret = this.setTrigger(desc, nw.flags & IRQF_TRIGGER_MASK);
        if (ret) return ret;
      }
      desc.spuriousDisabled = false;
      desc.oneshot = (nw.flags & IRQF_ONESHOT) !== 0;
      desc.inProgress = false;
      desc.actions.push(nw);
      if (!(nw.flags & IRQF_NO_AUTOEN)) this.flow.startup(desc, true);
      else desc.depth = 1;
    } else {
      const nmsk = nw.flags & IRQF_TRIGGER_MASK;
      const omsk = desc.triggerType;
      if (nmsk && nmsk !== omsk) k.log.warn(`genirq: irq ${desc.irq} uses trigger mode ${omsk}; requested ${nmsk}`);
      desc.actions.push(nw);
    }
    if (nw.threadFn) this.createThread(desc, nw);
    desc.irqCount = 0;
    desc.irqsUnhandled = 0;
    if (shared && desc.spuriousDisabled) {
      desc.spuriousDisabled = false;
      this.enableDesc(desc);
    }
    return 0;
  }

  /** `__irq_set_trigger()`: program the chip; the line's recorded type follows. */
  setTrigger(desc: IrqDesc, type: number): number {
    const chip = desc.chip;
    if (!chip.irq_set_type) return 0;
    const t = type & IRQ_TYPE_SENSE_MASK;
    const ret = chip.irq_set_type(desc, t);
    if (ret === IRQ_SET_MASK_OK || ret === IRQ_SET_MASK_OK_NOCOPY) {
      if (ret === IRQ_SET_MASK_OK) desc.triggerType = t;
      desc.triggerSet = true;
      return 0;
    }
    this.k.log.err(`genirq: Setting trigger mode ${t} for irq ${desc.irq} failed (${chip.name}.irq_set_type)`);
    return ret;
  }

  // ---- threads -------------------------------------------------------------------------------

  private createThread(desc: IrqDesc, action: IrqAction): void {
    const comm = `irq/${desc.irq}-${action.name}`.slice(0, COMM_MAX);
    action.thread = this.k.sched.createKthread(comm, {
      fifo: true,
      body: () => this.threadBody(desc, action),
      onOops: () => this.threadDied(desc, action),
    });
  }

  /** `__irq_wake_thread()`. */
  wakeThread(desc: IrqDesc, action: IrqAction): void {
    const t = action.thread;
    if (!t || t.dead) return;
    if (action.runThread) return;
    action.runThread = true;
    desc.threadsOneshot = (desc.threadsOneshot | action.threadMask) >>> 0;
    desc.threadsActive++;
    this.k.sched.wake(t);
  }

  /** `irq_thread()`: run the thread function while woken, then finalise ONESHOT and drop threads_active. */
  private threadBody(desc: IrqDesc, action: IrqAction): void {
    const fn = action.threadFn!;
    while (action.runThread) {
      action.runThread = false;
      const ret = fn(desc.irq, action.devId);
      if (ret === IRQ_HANDLED) desc.threadsHandled = (desc.threadsHandled + 1) >>> 0;
      this.finalizeOneshot(desc, action);
      desc.threadsActive--;
    }
  }

  /** The thread died of an oops: `irq_thread_dtor()`. */
  private threadDied(desc: IrqDesc, action: IrqAction): void {
    const t = action.thread!;
    this.k.log.err(`genirq: exiting task "${t.task.comm}" (${t.task.pid}) is an active IRQ thread (irq ${desc.irq})`);
    if (action.runThread) {
      action.runThread = false;
      desc.threadsActive--;
    }
    this.finalizeOneshot(desc, action);
    t.dead = true;
  }

  /** `irq_finalize_oneshot()`: the last finished thread of a ONESHOT line unmasks it. */
  private finalizeOneshot(desc: IrqDesc, action: IrqAction): void {
    if (!desc.oneshot) return;
    if (action.runThread) return;
    desc.threadsOneshot = (desc.threadsOneshot & ~action.threadMask) >>> 0;
    if (desc.threadsOneshot === 0 && !desc.disabled && desc.masked) {
      if (desc.chip.flags & IRQCHIP_EOI_THREADED) desc.chip.irq_eoi?.(desc);
      this.flow.unmask(desc);
    }
  }

  // ---- free ----------------------------------------------------------------------------------

  /** `free_irq()`: returns the freed action's name, or null. */
  free(irq: number, devId: unknown): string | null {
    const desc = this.descs.get(irq);
    if (!desc) return null;
    const k = this.k;
    if (k.ctx.inInterrupt()) {
      k.reporter.warn({ id: 'irq.free-in-irq', title: `Trying to free IRQ ${irq} from IRQ context!`, site: SITES.freeFromIrq, frames: [kernelFrame('__free_irq')], details: { irq } });
    }
    mightSleep(k, MIGHT_SLEEP_SITES.mutex); // mutex_lock(&desc->request_mutex)
    const i = desc.actions.findIndex((a) => a.devId === devId);
    if (i < 0) {
      k.reporter.warn({ id: 'irq.free-already-free', title: `Trying to free already-free IRQ ${irq}`, site: SITES.alreadyFree, frames: [kernelFrame('__free_irq')], details: { irq } });
      return null;
    }
    const action = desc.actions[i]!;
    this.locked(() => {
      desc.actions.splice(i, 1);
      if (desc.actions.length === 0) this.flow.shutdown(desc);
    });
    this.synchronize(desc, 'free_irq');
    if (action.flags & IRQF_SHARED) {
      // CONFIG_DEBUG_SHIRQ: the driver must cope with an interrupt even while it is being freed.
      const ctx = k.ctx;
      const saved = ctx.irqsDisabled;
      ctx.irqsDisabled = true;
      try {
        action.handler(irq, devId);
      } finally {
        ctx.irqsDisabled = saved;
      }
    }
    if (action.thread) {
      this.k.sched.stopKthread(action.thread);
      if (action.runThread) desc.threadsActive--;
    }
    return action.name;
  }

  // ---- enable / disable / synchronize --------------------------------------------------------

  /** `__disable_irq()`: depth++, lazily disabled on 0 → 1. */
  disableDesc(desc: IrqDesc): void {
    if (desc.depth++ === 0) this.flow.disable(desc, false);
  }

  /** `__enable_irq()`: depth--, started again (with a pending edge resent) on 1 → 0. */
  enableDesc(desc: IrqDesc): void {
    if (desc.depth === 0) {
      this.k.reporter.warn({ id: 'irq.unbalanced-enable', title: `Unbalanced enable for IRQ ${desc.irq}`, site: SITES.unbalancedEnable, frames: [kernelFrame('__enable_irq')], details: { irq: desc.irq } });
      return;
    }
    if (desc.depth === 1) this.flow.startup(desc, true);
    else desc.depth--;
  }

  /** `enable_irq()`. */
  enable(irq: number): void {
    const desc = this.descs.get(irq);
    if (!desc) return;
    if (desc.chip === no_irq_chip) {
      this.k.reporter.warn({ id: 'irq.enable-before-setup', title: `enable_irq before setup/request_irq: irq ${irq}`, site: SITES.enableBeforeSetup, frames: [kernelFrame('enable_irq')], details: { irq } });
      return;
    }
    this.locked(() => this.enableDesc(desc));
  }

  /** `disable_irq_nosync()`: 0, or -EINVAL for an unknown number. */
  disableNosync(irq: number): number {
    const desc = this.descs.get(irq);
    if (!desc) return -EINVAL;
    this.locked(() => this.disableDesc(desc));
    return 0;
  }

  /** `disable_irq()`: disable, then wait for running handlers (may sleep). */
  disable(irq: number): void {
    const desc = this.descs.get(irq);
    if (!desc) return;
    this.locked(() => this.disableDesc(desc));
    this.synchronize(desc, 'disable_irq');
  }

  /** `disable_hardirq()`: disable and wait for the hard handler only; false if a thread is active. */
  disableHardirq(irq: number): boolean {
    const desc = this.descs.get(irq);
    if (!desc) return false;
    this.locked(() => this.disableDesc(desc));
    this.synchronizeHard(desc, 'disable_hardirq');
    return desc.threadsActive === 0;
  }

  /** `synchronize_hardirq()`. */
  synchronizeHardirq(irq: number): boolean {
    const desc = this.descs.get(irq);
    if (!desc) return true;
    this.synchronizeHard(desc, 'synchronize_hardirq');
    return desc.threadsActive === 0;
  }

  /** `synchronize_irq()`. */
  synchronizeIrq(irq: number): void {
    const desc = this.descs.get(irq);
    if (desc) this.synchronize(desc, 'synchronize_irq');
  }

  /**
   * `__synchronize_hardirq()`: wait while a hard handler of the line runs. On one CPU it can only
   * be running below the caller, so it would never finish: Linux spins forever there; here it is
   * reported and the path unwound.
   */
  private synchronizeHard(desc: IrqDesc, who: string): void {
    if (!desc.inProgress) return;
    throw selfDeadlock(this.k, 'irq.sync-self', `${who}(${desc.irq}) called from the handler of IRQ ${desc.irq}: it waits for that handler to return, which never happens`, [
      'Linux spins in __synchronize_hardirq() forever here (only the lockup detectors would speak).',
      'Use disable_irq_nosync() in the handler.',
    ]);
  }

  /** `__synchronize_irq()`: the hard handler, then the threads (a sleeping wait). */
  private synchronize(desc: IrqDesc, who: string): void {
    this.synchronizeHard(desc, who);
    mightSleep(this.k, MIGHT_SLEEP_SITES.synchronizeIrq);
    if (desc.threadsActive === 0) return;
    const cur = this.k.sched.current;
    if (cur && desc.actions.some((a) => a.thread === cur)) {
      throw selfDeadlock(this.k, 'irq.sync-self-thread', `${who}(${desc.irq}) called from the IRQ thread of IRQ ${desc.irq}: it waits for that thread to finish, which never happens`, [
        'Linux sleeps in wait_event() forever here (the hung task detector would speak).',
      ]);
    }
    this.k.sched.sleep({ done: () => desc.threadsActive <= 0 });
  }

  /** `irq_set_irq_type()`. */
  setType(irq: number, type: number): number {
    const desc = this.descs.get(irq);
    if (!desc) return -EINVAL;
    return this.locked(() => this.setTrigger(desc, type));
  }

  /** `irq_set_irq_wake()`. */
  setWake(irq: number, on: boolean): number {
    const desc = this.descs.get(irq);
    if (!desc) return -EINVAL;
    if (on) desc.wakeDepth++;
    else if (desc.wakeDepth === 0) {
      this.k.reporter.warn({ id: 'irq.unbalanced-wake-disable', title: `Unbalanced IRQ ${irq} wake disable`, site: SITES.wakeDisable, frames: [kernelFrame('irq_set_irq_wake')], details: { irq } });
    } else desc.wakeDepth--;
    return 0;
  }

  /** True when the line's recorded trigger is a level. */
  isLevel(irq: number): boolean {
    const d = this.descs.get(irq);
    return d !== undefined && (d.triggerType & IRQ_TYPE_LEVEL_MASK) !== 0;
  }
}
