/**
 * The scheduler of the board's one CPU, as driver code meets it: the dispatch boundary's task,
 * kernel threads (IRQ threads, kworkers, ksoftirqd) that run when the CPU schedules or is
 * preempted, sleeping (time passes, other work and interrupts run), the idle loop, busy-waiting,
 * hardirq entry and exit, and interrupt delivery at the CPU's checkpoints. Every task runs on the
 * one JavaScript stack, so a task that sleeps holds up whatever it preempted until it returns.
 * Left out: more CPUs, CFS fairness and priorities beyond "SCHED_FIFO threads preempt".
 */
import type { Cpu } from '../../hw/cpu.js';
import type { EventQueue } from '../../sim/events.js';
import { Prng } from '../../sim/prng.js';
import { HARDIRQ_OFFSET, type Task } from '../context.js';
import type { Kernel } from '../kernel.js';
import { THREAD_SIZE } from '../layout.js';
import { GFP_KERNEL } from '../mm/gfp.js';
import { KernelOops } from '../report/reporter.js';
import { API_CALL, CpuClock, type ClockOwner } from './cpu-clock.js';
import { Lockdep } from './lockdep.js';
import { hungTask, schedulingWhileAtomic, softLockup, type PreemptOffSite } from './splats.js';
import { HUNG_TASK_TIMEOUT_S, SoftLockupWatchdog, hungTaskDeadline } from './watchdog.js';

/** Accesses an interrupt entry and exit cost (exception, IACK, EOI: about 200 ns). */
const IRQ_ENTRY_ACCESSES = 50;
/** Accesses a context switch costs. */
const SWITCH_ACCESSES = 50;
/** Most kernel-thread runs one schedule() call makes before returning (a thread that keeps waking itself cannot hang the run). */
const SCHEDULE_BATCH = 1000;

/** Something that interrupts the CPU (the MPIC's INT output, the local timer). */
export interface InterruptSource {
  readonly name: string;
  /** True while it wants the CPU. */
  pending(): boolean;
  /** Take the interrupt (runs the hardirq path; must make `pending()` false or progress towards it). */
  take(): void;
}

/** A kernel thread. */
export interface KThread {
  readonly task: Task;
  /** SCHED_FIFO threads (IRQ threads) preempt the running task at the next preemption point. */
  readonly fifo: boolean;
  /** Woken and not yet run. */
  runnable: boolean;
  /** On the stack now (running, or preempted, or sleeping). */
  running: boolean;
  /** Exited (after an oops, or stopped). */
  dead: boolean;
  /** Run until there is nothing left to do. */
  readonly body: () => void;
  /** Called when the thread dies of an oops (after the oops report). */
  readonly onOops?: (oops: KernelOops) => void;
}

/** How to sleep. */
export interface SleepRequest {
  /** Wake at this simulated time (ns) at the latest. */
  readonly until?: number;
  /** Wake as soon as this holds (checked whenever something ran). */
  readonly done?: () => boolean;
}

/** Execution state saved across a context switch. */
interface Saved {
  readonly task: Task;
  readonly preempt: number;
  readonly irqsDisabled: boolean;
}

/** The scheduler of CPU 0. */
export class Scheduler implements ClockOwner {
  /** The CPU's clock and checkpoints. */
  readonly clock: CpuClock;
  /** The soft-lockup watchdog. */
  readonly watchdog = new SoftLockupWatchdog();
  /** Lock validator. */
  readonly lockdep = new Lockdep();
  /** The idle task, `swapper/0` (PID 0): current while the CPU idles or a task sleeps. */
  readonly idleTask: Task;
  /**
   * Exploration mode: when > 0, each interrupt reaches the core a seeded random number of CPU
   * accesses (1..exploreMaxDelay) after the device raised it, so over many seeds it lands at
   * different points of the driver code. 0 (default): one access later, always.
   */
  exploreMaxDelay = 0;
  /** Where preemption was last disabled (for "Preemption disabled at:"). */
  preemptOffAt: PreemptOffSite | null = null;
  /** Interrupts taken so far. */
  interruptsTaken = 0;
  private readonly k: Kernel;
  private readonly cpu: Cpu;
  private readonly events: EventQueue;
  private readonly jitter: Prng;
  private readonly sources: InterruptSource[] = [];
  private readonly threads: KThread[] = [];
  private nextPid = 10;
  private dueAt = -1;
  private fifoWoken = false;
  private currentThread: KThread | null = null;

  constructor(k: Kernel) {
    this.k = k;
    this.cpu = k.machine.cpu;
    this.events = k.machine.events;
    this.jitter = new Prng((k.machine.seed ^ 0x5eed_1e55) >>> 0);
    this.idleTask = this.newTask(0, 'swapper/0');
    this.clock = new CpuClock(this.cpu, this.events, this);
    this.clock.install();
  }

  // ---- tasks and kernel threads ----------------------------------------------------------------

  private newTask(pid: number, comm: string): Task {
    const base = this.k.mm.__get_free_pages(GFP_KERNEL, Math.log2(THREAD_SIZE / 4096), 'kernel');
    return { pid, comm, stackBase: base, stackTop: base + THREAD_SIZE, sp: base + THREAD_SIZE };
  }

  /** Create a kernel thread (not yet runnable). */
  createKthread(comm: string, opts: { readonly fifo: boolean; readonly body: () => void; readonly onOops?: (oops: KernelOops) => void }): KThread {
    const t: KThread = { task: this.newTask(this.nextPid++, comm), fifo: opts.fifo, runnable: false, running: false, dead: false, body: opts.body, ...(opts.onOops ? { onOops: opts.onOops } : {}) };
    this.threads.push(t);
    return t;
  }

  /** `kthread_stop()`: the thread exits; its stack is freed. */
  stopKthread(t: KThread): void {
    t.dead = true;
    t.runnable = false;
    const i = this.threads.indexOf(t);
    if (i >= 0) this.threads.splice(i, 1);
    this.lockdep.forget(t.task);
    if (!t.running) this.k.mm.free_pages(t.task.stackBase, Math.log2(THREAD_SIZE / 4096));
  }

  /** `wake_up_process()`. */
  wake(t: KThread): void {
    if (t.dead) return;
    t.runnable = true;
    if (t.fifo) this.fifoWoken = true;
  }

  /** The kernel thread running now (innermost), or null for the dispatch task / idle. */
  get current(): KThread | null {
    return this.currentThread;
  }

  /** All kernel threads. */
  get kthreads(): readonly KThread[] {
    return this.threads;
  }

  private save(): Saved {
    const ctx = this.k.ctx;
    return { task: ctx.task, preempt: ctx.preemptCount, irqsDisabled: ctx.irqsDisabled };
  }

  private restore(s: Saved): void {
    const ctx = this.k.ctx;
    ctx.task = s.task;
    ctx.preemptCount = s.preempt;
    ctx.irqsDisabled = s.irqsDisabled;
  }

  private enter(task: Task): void {
    const ctx = this.k.ctx;
    ctx.task = task;
    ctx.preemptCount = 0;
    ctx.irqsDisabled = false;
  }

  /** The CPU scheduled: touch the soft-lockup watchdog. */
  touch(): void {
    this.watchdog.touch(this.events.now, this.cpu.accesses);
  }

  /** Run one kernel thread in its own context; an oops in it kills only it. Returns false if it could not run. */
  runKthread(t: KThread): boolean {
    if (t.running || t.dead) return false;
    t.runnable = false;
    t.running = true;
    const saved = this.save();
    const prev = this.currentThread;
    this.currentThread = t;
    this.cpu.accesses += SWITCH_ACCESSES;
    this.clock.charge();
    this.enter(t.task);
    this.touch();
    try {
      t.body();
    } catch (e) {
      const oops = this.dying(e);
      if (oops.fatal) throw oops;
      t.onOops?.(oops);
    } finally {
      this.restore(saved);
      this.currentThread = prev;
      t.running = false;
      if (t.dead && !this.threads.includes(t)) this.k.mm.free_pages(t.task.stackBase, Math.log2(THREAD_SIZE / 4096));
    }
    return true;
  }

  /** What `make_task_dead()` notes for a task dying of an oops; returns the oops. */
  private dying(e: unknown): KernelOops {
    const k = this.k;
    const oops = e instanceof KernelOops ? e : k.oopsFor(e);
    const ctx = k.ctx;
    const t = ctx.task;
    if (ctx.irqsDisabled) k.log.info(`note: ${t.comm}[${t.pid}] exited with irqs disabled`);
    if (ctx.inAtomic()) k.log.info(`note: ${t.comm}[${t.pid}] exited with preempt_count ${ctx.preemptCount}`);
    return oops;
  }

  private pick(fifoOnly: boolean): KThread | null {
    for (const t of this.threads) if (t.fifo && t.runnable && !t.running && !t.dead) return t;
    if (fifoOnly) return null;
    for (const t of this.threads) if (t.runnable && !t.running && !t.dead) return t;
    return null;
  }

  /** Preemption point: woken SCHED_FIFO threads (IRQ threads) run now if the CPU is preemptible. */
  preemptionPoint(): void {
    if (!this.fifoWoken) return;
    const ctx = this.k.ctx;
    if (ctx.preemptCount !== 0 || ctx.irqsDisabled) return;
    this.fifoWoken = false;
    for (let n = 0; n < SCHEDULE_BATCH; n++) {
      const t = this.pick(true);
      if (!t) return;
      this.runKthread(t);
    }
  }

  /** `schedule()` from a point where the current task gives up the CPU: run what is runnable. Returns true if something ran. */
  schedule(): boolean {
    let ran = false;
    for (let n = 0; n < SCHEDULE_BATCH; n++) {
      const t = this.pick(false);
      if (!t) break;
      if (this.runKthread(t)) ran = true;
    }
    this.fifoWoken = this.pick(true) !== null;
    this.touch();
    return ran;
  }

  // ---- the dispatch boundary ------------------------------------------------------------------

  /**
   * Run driver code as the current task. At its end the task schedules (kernel threads woken by it
   * run); an escaping exception becomes an oops made in the context it happened in.
   */
  dispatch<T>(fn: () => T): T {
    const saved = this.save();
    this.touch();
    this.clock.resetSpin();
    try {
      const v = fn();
      this.clock.charge();
      if (this.k.ctx.preemptCount !== saved.preempt) {
        schedulingWhileAtomic(this.k);
        this.restore(saved);
      }
      this.schedule();
      return v;
    } catch (e) {
      throw this.dying(e);
    } finally {
      this.restore(saved);
    }
  }

  /** Let `ns` of simulated time pass with the CPU idle: device events, interrupts, softirqs, kernel threads. */
  idle(ns: number): void {
    const saved = this.save();
    this.clock.charge();
    const end = this.events.now + Math.max(0, ns);
    this.enter(this.idleTask);
    try {
      for (;;) {
        const r = this.waitLoop(end, null);
        if (r !== 'stuck') break;
        this.events.advanceTo(end);
      }
    } finally {
      this.restore(saved);
    }
  }

  /**
   * The current task sleeps until `req.until` or `req.done()`. Interrupts, softirqs and kernel
   * threads run meanwhile, with `swapper/0` as current. Sleeping in atomic context is reported
   * ("scheduling while atomic") and then proceeds as Linux would. A sleep nothing can ever end is
   * reported by the hung-task detector at 120 s and unwound.
   */
  sleep(req: SleepRequest): 'done' | 'timeout' {
    const k = this.k;
    const ev = this.events;
    this.clock.charge();
    if (k.ctx.inAtomic()) schedulingWhileAtomic(k);
    const saved = this.save();
    const since = ev.now;
    const until = req.until ?? Infinity;
    const hung = hungTaskDeadline(since);
    const done = req.done ?? null;
    if (done?.()) return 'done';
    this.touch();
    this.enter(this.idleTask);
    try {
      for (;;) {
        const r = this.waitLoop(Math.min(until, hung), done);
        if (r === 'done') return 'done';
        if (ev.now >= until) return 'timeout';
        if (r === 'stuck') {
          if (until < hung) {
            ev.advanceTo(until);
            continue;
          }
          ev.advanceTo(hung);
        }
        if (ev.now >= hung) {
          this.restore(saved);
          throw hungTask(k, HUNG_TASK_TIMEOUT_S);
        }
      }
    } finally {
      this.restore(saved);
      this.touch();
    }
  }

  /**
   * Step simulated time to `deadline` or until `done()`: deliver interrupts, run kernel threads,
   * advance to the next event. Returns 'stuck' when nothing is left that could ever happen.
   */
  private waitLoop(deadline: number, done: (() => boolean) | null): 'done' | 'deadline' | 'stuck' {
    const ev = this.events;
    for (;;) {
      this.clock.charge();
      this.deliverPending(true);
      if (done?.()) return 'done';
      if (this.schedule()) continue;
      if (done?.()) return 'done';
      if (ev.now >= deadline) return 'deadline';
      if (!this.k.ctx.irqsDisabled && this.pendingSource()) continue;
      let next = ev.nextDue;
      if (next === Infinity) return 'stuck';
      if (next > deadline) next = deadline;
      ev.advanceTo(next);
      this.touch();
    }
  }

  /**
   * Busy-wait `ns` (udelay, mdelay): time passes, device events run, interrupts are taken when
   * enabled; the CPU does not schedule, so the soft-lockup watchdog keeps counting.
   */
  busyWait(ns: number): void {
    const ev = this.events;
    this.clock.charge();
    const end = ev.now + Math.max(0, ns);
    for (;;) {
      this.watchdogCheck();
      if (!this.k.ctx.irqsDisabled) this.deliverPending(true);
      if (ev.now >= end) break;
      ev.advanceTo(Math.min(ev.nextDue, end, this.watchdog.nextSample));
    }
    this.clock.rearm();
  }

  // ---- interrupts ------------------------------------------------------------------------------

  /** Register something that interrupts the CPU. */
  addInterruptSource(s: InterruptSource): void {
    this.sources.push(s);
  }

  /** A source became pending: make the CPU look soon (after the exploration delay, if any). */
  interruptRaised(): void {
    if (this.dueAt < 0) this.dueAt = this.cpu.accesses + this.delay();
    this.clock.poke(this.dueAt - this.cpu.accesses);
  }

  private delay(): number {
    return this.exploreMaxDelay > 0 ? 1 + this.jitter.below(this.exploreMaxDelay) : 1;
  }

  private pendingSource(): InterruptSource | null {
    for (const s of this.sources) if (s.pending()) return s;
    return null;
  }

  /** {@link ClockOwner.interruptDueAt}. */
  interruptDueAt(): number {
    if (this.k.ctx.irqsDisabled) return -1;
    if (!this.pendingSource()) {
      this.dueAt = -1;
      return -1;
    }
    if (this.dueAt < 0) this.dueAt = this.cpu.accesses + this.delay();
    return this.dueAt;
  }

  /**
   * Take pending interrupts if local interrupts are enabled (`immediate`: ignore the exploration
   * delay, as in the idle loop), then let woken IRQ threads preempt if the CPU is preemptible.
   */
  deliverPending(immediate = false): void {
    const ctx = this.k.ctx;
    while (!ctx.irqsDisabled) {
      const src = this.pendingSource();
      if (!src) {
        this.dueAt = -1;
        break;
      }
      if (!immediate) {
        if (this.dueAt < 0) this.dueAt = this.cpu.accesses + this.delay();
        if (this.cpu.accesses < this.dueAt) {
          this.clock.rearm();
          return;
        }
      }
      this.dueAt = -1;
      this.interruptsTaken++;
      src.take();
    }
    if (this.fifoWoken && ctx.preemptCount === 0 && !ctx.irqsDisabled) this.preemptionPoint();
  }

  /** Local interrupts were just enabled: take what is pending (as the core does when MSR[EE] is set). */
  irqsEnabledPoint(): void {
    this.clock.charge();
    this.deliverPending(false);
    this.clock.rearm();
  }

  /**
   * Hardirq context around `fn`: `irq_enter()` (interrupts off, HARDIRQ_OFFSET), then `irq_exit()`
   * running pending softirqs when not nested in another interrupt. An exception escaping is an oops
   * in interrupt context, which panics.
   */
  hardirq(fn: () => void): void {
    const k = this.k;
    const ctx = k.ctx;
    const savedIrqs = ctx.irqsDisabled;
    this.cpu.accesses += IRQ_ENTRY_ACCESSES;
    this.clock.charge();
    ctx.irqsDisabled = true;
    if (!savedIrqs) this.lockdep.irqTrace('hardirqs-off', 'do_IRQ');
    if (ctx.preemptCount === 0) this.preemptOffAt = { site: null, api: 'irq_enter_rcu' };
    ctx.preemptCount += HARDIRQ_OFFSET;
    try {
      fn();
    } catch (e) {
      throw e instanceof KernelOops ? e : k.oopsFor(e);
    } finally {
      ctx.preemptCount -= HARDIRQ_OFFSET;
    }
    if (!ctx.inInterrupt()) k.time.softirq.irqExit();
    ctx.irqsDisabled = savedIrqs;
    if (!savedIrqs) this.lockdep.irqTrace('hardirqs-on', 'interrupt_exit_kernel_prepare');
  }

  // ---- kernel API hooks ------------------------------------------------------------------------

  /** A kernel API call: a little time passes and it is a point where interrupts may land. */
  tick(): void {
    const cpu = this.cpu;
    cpu.accesses++;
    if (--cpu.checkpointIn <= 0) this.clock.checkpoint(API_CALL);
  }

  /** `preempt_count_add()` with DEBUG_PREEMPT's record of where preemption got disabled (`site`: the caller). */
  preemptAdd(val: number, api: string, site: import('../report/stack.js').LazyStack | null): void {
    const ctx = this.k.ctx;
    if (ctx.preemptCount === 0) this.preemptOffAt = { site, api };
    ctx.preemptCount += val;
  }

  /** `preempt_count_sub()`; reaching zero with interrupts on is a preemption point. */
  preemptSub(val: number): void {
    const ctx = this.k.ctx;
    ctx.preemptCount -= val;
    if (ctx.preemptCount === 0 && !ctx.irqsDisabled && this.fifoWoken) this.preemptionPoint();
  }

  // ---- ClockOwner ------------------------------------------------------------------------------

  /** {@link ClockOwner.watchdogCheck}: a stuck CPU gets the soft-lockup report and its path is unwound. */
  watchdogCheck(): void {
    const now = this.events.now;
    if (now < this.watchdog.nextSample) return;
    const seconds = this.watchdog.sample(now);
    if (seconds > 0) {
      this.touch();
      throw softLockup(this.k, seconds);
    }
  }

  /** {@link ClockOwner.watchdogNextSample}. */
  get watchdogNextSample(): number {
    return this.watchdog.nextSample;
  }

  /** {@link ClockOwner.watchdogTouchAccesses}. */
  get watchdogTouchAccesses(): number {
    return this.watchdog.touchAccesses;
  }
}
