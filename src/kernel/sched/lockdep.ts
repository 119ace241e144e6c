/**
 * lockdep, the part driver bugs meet: lock classes with their irq-usage state ({IN-HARDIRQ-W},
 * {HARDIRQ-ON-W}, and the softirq pair), the held-lock stack of each task, the irq event stamps,
 * and the reports "inconsistent lock state", "possible recursive locking detected" and "bad unlock
 * balance detected!". Like Linux it turns itself off after its first report. Left out: lock
 * dependency chains (AB-BA inversion), read locks, nesting annotations.
 */
import type { Task } from '../context.js';
import { hex8 } from '../report/hash.js';
import { captureStackLazy, type LazyStack } from '../report/stack.js';
import { kernelFrame, kernelSymbols, formatSymbol } from '../report/symbols.js';
import type { StackFrame } from '../report/types.js';

/** Usage bit: taken in hardirq context. */
export const USED_IN_HARDIRQ = 0;
/** Usage bit: taken with hardirqs enabled. */
export const ENABLED_HARDIRQ = 1;
/** Usage bit: taken in softirq context. */
export const USED_IN_SOFTIRQ = 2;
/** Usage bit: taken with softirqs enabled. */
export const ENABLED_SOFTIRQ = 3;
const USAGE_STR = ['IN-HARDIRQ-W', 'HARDIRQ-ON-W', 'IN-SOFTIRQ-W', 'SOFTIRQ-ON-W'] as const;
/** The bit each usage bit must not meet. */
const EXCLUSIVE = [ENABLED_HARDIRQ, USED_IN_HARDIRQ, ENABLED_SOFTIRQ, USED_IN_SOFTIRQ] as const;

/** Call sites recorded per lock class (see {@link LockClass.sitesLeft}). */
export const SITES_PER_CLASS = 256;

/** Kernel release printed by `print_kernel_ident()`. */
export const KERNEL_IDENT = '6.6.0-driverlab #1';

/** `lockdep_wait_type` numbers printed as `-{outer:inner}`: spinlock_t 2 (LD_WAIT_SPIN), mutex 3 (LD_WAIT_SLEEP). */
export const LD_WAIT_SPIN = 2;
/** Sleeping locks. */
export const LD_WAIT_SLEEP = 3;

/** A lock class: every lock initialised at one place shares it, as lockdep keys classes by init site. */
export class LockClass {
  /** Usage bits seen so far. */
  usage = 0;
  /**
   * Acquisitions whose call site is still recorded for this class. A capture costs microseconds, so
   * after this many a hot lock (one per packet) stops paying; messages then name the lock API.
   */
  sitesLeft = SITES_PER_CLASS;
  /** Where each usage bit was first seen. */
  readonly traces: (LazyStack | null)[] = [null, null, null, null];
  constructor(
    /** Printed name, e.g. `&priv->lock`. */
    readonly name: string,
    /** Wait type: {@link LD_WAIT_SPIN} or {@link LD_WAIT_SLEEP}. */
    readonly waitType: number,
  ) {}

  /** `{-.-.}`: per state (hardirq, softirq) a write and a read character. */
  usageChars(): string {
    const c = (usedIn: number, enabled: number): string => {
      const u = (this.usage >> usedIn) & 1;
      const e = (this.usage >> enabled) & 1;
      return u && e ? '?' : u ? '-' : e ? '+' : '.';
    };
    return `${c(USED_IN_HARDIRQ, ENABLED_HARDIRQ)}.${c(USED_IN_SOFTIRQ, ENABLED_SOFTIRQ)}.`;
  }
}

/** What lockdep knows of one lock instance. */
export interface LockInstance {
  /** Its class. */
  readonly cls: LockClass;
  /** A stable made-up kernel address for messages (`%px` of the lock). */
  readonly addr: number;
}

/** One entry of a task's held-lock stack. */
export interface HeldLock {
  readonly lock: LockInstance;
  /** Where it was taken (when sites are recorded). */
  readonly site: LazyStack | null;
  /** Name of the API used (`_raw_spin_lock_irqsave`), printed when no site was recorded. */
  readonly api: string;
}

/** The execution state lockdep reads when a lock is taken. */
export interface LockContext {
  readonly task: Task;
  readonly hardirq: boolean;
  readonly hardirqCount: number;
  readonly servingSoftirq: boolean;
  readonly softirqCount: number;
  readonly irqsEnabled: boolean;
  readonly softirqsEnabled: boolean;
}

/** A lockdep finding, ready for the reporter. */
export interface LockdepFinding {
  readonly id: string;
  readonly title: string;
  readonly body: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

interface IrqTraceEvent {
  event: number;
  fn: string;
}

let nextLockAddr = 0xc07a_0000;

/** A made-up kernel data address for a new lock, 32-byte apart so messages tell locks apart. */
export function allocLockAddress(): number {
  const a = nextLockAddr;
  nextLockAddr += 0x20;
  if (nextLockAddr >= 0xc07f_ff00) nextLockAddr = 0xc07a_0000;
  return a;
}

/** `[<c0123456>] sym+0x../0x..` for a frame. */
export function ipLine(frame: StackFrame): string {
  const r = kernelSymbols.resolve(frame);
  return `[<${hex8(r.address)}>] ${formatSymbol(r)}`;
}

/** The frame a recorded site stands for: the first driver frame, else the innermost one. */
export function siteFrame(site: LazyStack | null, api: string): StackFrame {
  if (site) {
    const frames = site.frames;
    const f = frames.find((x) => x.user) ?? frames[0];
    if (f) return f;
  }
  return kernelFrame(api);
}

/** lockdep for one kernel. */
export class Lockdep {
  /** `debug_locks`: cleared by the first report, as lockdep turns itself off after one splat. */
  debugLocks = true;
  /** Record where locks are taken (one cheap lazy stack capture per acquisition). */
  recordSites = true;
  private readonly heldBy = new WeakMap<Task, HeldLock[]>();
  private irqEvents = 0;
  private readonly hardOn: IrqTraceEvent = { event: 0, fn: '0x0' };
  private readonly hardOff: IrqTraceEvent = { event: 0, fn: '0x0' };
  private readonly softOn: IrqTraceEvent = { event: 0, fn: '0x0' };
  private readonly softOff: IrqTraceEvent = { event: 0, fn: '0x0' };

  /** The held-lock stack of `task`. */
  held(task: Task): HeldLock[] {
    let h = this.heldBy.get(task);
    if (!h) {
      h = [];
      this.heldBy.set(task, h);
    }
    return h;
  }

  /** True when `task` holds `lock` (`lockdep_is_held`). */
  isHeld(task: Task, lock: LockInstance): boolean {
    const h = this.heldBy.get(task);
    return h !== undefined && h.some((x) => x.lock === lock);
  }

  /** Forget what a dead task held (its locks stay locked). */
  forget(task: Task): void {
    this.heldBy.delete(task);
  }

  /** Record a hardirq enable/disable or softirq enable/disable transition (the irq event stamps). */
  irqTrace(kind: 'hardirqs-on' | 'hardirqs-off' | 'softirqs-on' | 'softirqs-off', fn: string): void {
    const e = kind === 'hardirqs-on' ? this.hardOn : kind === 'hardirqs-off' ? this.hardOff : kind === 'softirqs-on' ? this.softOn : this.softOff;
    e.event = ++this.irqEvents;
    e.fn = fn;
  }

  /** `print_irqtrace_events()`. */
  irqTraceLines(): string[] {
    const line = (label: string, e: IrqTraceEvent): string =>
      e.event === 0 ? `${label} (0): [<00000000>] 0x0` : `${label} (${e.event}): ${ipLine(kernelFrame(e.fn))}`;
    return [
      `irq event stamp: ${this.irqEvents}`,
      line('hardirqs last  enabled at', this.hardOn),
      line('hardirqs last disabled at', this.hardOff),
      line('softirqs last  enabled at', this.softOn),
      line('softirqs last disabled at', this.softOff),
    ];
  }

  /** `lockdep_print_held_locks()` for `task`. */
  heldLockLines(task: Task): string[] {
    const h = this.heldBy.get(task) ?? [];
    if (h.length === 0) return [`no locks held by ${task.comm}/${task.pid}.`];
    return [`${h.length} lock${h.length > 1 ? 's' : ''} held by ${task.comm}/${task.pid}:`, ...h.map((x, i) => ` #${i}: ${this.lockLine(x)}`)];
  }

  /** `print_lock()`: `c07a0020 (&priv->lock){-.-.}-{2:2}, at: toy_xmit+0x30/0x100 (drivers/toy.ts:42)`. */
  lockLine(h: HeldLock): string {
    const cls = h.lock.cls;
    const r = kernelSymbols.resolve(siteFrame(h.site, h.api));
    return `${hex8(h.lock.addr)} (${cls.name}){${cls.usageChars()}}-{${cls.waitType}:${cls.waitType}}, at: ${formatSymbol(r)}`;
  }

  /**
   * Record the call site of an acquisition now (or nothing when sites are off): the caller of
   * `api`, the driver-facing function, so one cheap two-frame capture serves the held-lock list and
   * "Preemption disabled at:".
   */
  site(api?: Function): LazyStack | null {
    if (!this.recordSites) return null;
    return api ? captureStackLazy({ limit: 2, below: api }) : captureStackLazy({ limit: 8 });
  }

  /** {@link site} for an acquisition of a lock of class `cls`, within the class's budget. */
  siteFor(cls: LockClass, api: Function): LazyStack | null {
    if (!this.recordSites || cls.sitesLeft <= 0) return null;
    cls.sitesLeft--;
    return captureStackLazy({ limit: 2, below: api });
  }

  /**
   * Mark the usage implied by taking `lock` in context `c` and check it against the class's past
   * (`mark_usage`). Returns the "inconsistent lock state" finding, or null.
   */
  markUsage(lock: LockInstance, c: LockContext, held: HeldLock): LockdepFinding | null {
    const bits: number[] = [];
    if (c.hardirq) bits.push(USED_IN_HARDIRQ);
    if (c.servingSoftirq) bits.push(USED_IN_SOFTIRQ);
    if (c.irqsEnabled) {
      bits.push(ENABLED_HARDIRQ);
      if (c.softirqsEnabled) bits.push(ENABLED_SOFTIRQ);
    }
    return this.markBits(lock, bits, c, held);
  }

  /** Locks held while interrupts (or softirqs) get enabled now count as taken with them enabled. */
  markHeldEnabled(c: LockContext, which: 'hardirq' | 'softirq'): LockdepFinding | null {
    const h = this.heldBy.get(c.task);
    if (!h) return null;
    for (const x of h) {
      const bits = which === 'hardirq' ? (c.softirqsEnabled ? [ENABLED_HARDIRQ, ENABLED_SOFTIRQ] : [ENABLED_HARDIRQ]) : [ENABLED_SOFTIRQ];
      const f = this.markBits(x.lock, bits, c, x);
      if (f) return f;
    }
    return null;
  }

  private markBits(lock: LockInstance, bits: readonly number[], c: LockContext, held: HeldLock): LockdepFinding | null {
    const cls = lock.cls;
    for (const bit of bits) {
      const mask = 1 << bit;
      if (cls.usage & mask) continue;
      cls.usage |= mask;
      cls.traces[bit] = captureStackLazy({ limit: 12 }); // once per class and bit: a full trace
      const prev = EXCLUSIVE[bit]!;
      if (this.debugLocks && cls.usage & (1 << prev)) return this.usageBug(held, prev, bit, c);
    }
    return null;
  }

  private header(title: string): string[] {
    return [KERNEL_IDENT, '-'.repeat(title.length)];
  }

  private usageBug(held: HeldLock, prevBit: number, newBit: number, c: LockContext): LockdepFinding {
    this.debugLocks = false;
    const title = 'WARNING: inconsistent lock state';
    const cls = held.lock.cls;
    const trace = cls.traces[prevBit]?.frames ?? [];
    const body = [
      ...this.header(title),
      `inconsistent {${USAGE_STR[prevBit]}} -> {${USAGE_STR[newBit]}} usage.`,
      `${c.task.comm}/${c.task.pid} [HC${c.hardirq ? 1 : 0}[${c.hardirqCount}]:SC${c.servingSoftirq ? 1 : 0}[${c.softirqCount}]:HE${c.irqsEnabled ? 1 : 0}:SE${c.softirqsEnabled ? 1 : 0}] takes:`,
      this.lockLine(held),
      `{${USAGE_STR[prevBit]}} state was registered at:`,
      ...trace.map((f) => `  ${formatSymbol(kernelSymbols.resolve(f))}`),
      ...this.irqTraceLines(),
      '',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0',
      '       ----',
      `  lock(${cls.name});`,
      '  <Interrupt>',
      `    lock(${cls.name});`,
      '',
      ' *** DEADLOCK ***',
      '',
      ...this.heldLockLines(c.task),
      '',
      'stack backtrace:',
    ];
    return { id: 'lockdep.inconsistent-lock-state', title, body, details: { lock: cls.name, from: USAGE_STR[prevBit], to: USAGE_STR[newBit] } };
  }

  /** "possible recursive locking detected": `task` takes `held.lock` while already holding it. */
  recursiveLocking(task: Task, attempt: HeldLock, holding: HeldLock): LockdepFinding {
    this.debugLocks = false;
    const title = 'WARNING: possible recursive locking detected';
    const name = attempt.lock.cls.name;
    const body = [
      ...this.header(title),
      `${task.comm}/${task.pid} is trying to acquire lock:`,
      this.lockLine(attempt),
      '',
      'but task is already holding lock:',
      this.lockLine(holding),
      '',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0',
      '       ----',
      `  lock(${name});`,
      `  lock(${name});`,
      '',
      ' *** DEADLOCK ***',
      '',
      ' May be due to missing lock nesting notation',
      '',
      ...this.heldLockLines(task),
      '',
      'stack backtrace:',
    ];
    return { id: 'lockdep.recursive-locking', title, body, details: { lock: name } };
  }

  /** "bad unlock balance detected!": `task` releases a lock it does not hold. */
  badUnlock(task: Task, lock: LockInstance, site: StackFrame): LockdepFinding {
    this.debugLocks = false;
    const title = 'WARNING: bad unlock balance detected!';
    const body = [
      ...this.header(title),
      `${task.comm}/${task.pid} is trying to release lock (${lock.cls.name}) at:`,
      ipLine(site),
      'but there are no more locks to release!',
      '',
      'other info that might help us debug this:',
      ...this.heldLockLines(task),
      '',
      'stack backtrace:',
    ];
    return { id: 'lockdep.bad-unlock-balance', title, body, details: { lock: lock.cls.name } };
  }
}
