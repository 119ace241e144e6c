/**
 * The scheduler's and lock debugging's reports in the kernel's words: "BUG: sleeping function
 * called from invalid context", "BUG: scheduling while atomic", the soft-lockup watchdog, the hung
 * task detector, spinlock debugging and lockdep findings, plus the throw that unwinds a path that
 * can never go on (a deadlock, a lockup) to its dispatch boundary instead of hanging the run.
 */
import type { Kernel } from '../kernel.js';
import { hex8 } from '../report/hash.js';
import { KernelOops } from '../report/reporter.js';
import type { Report } from '../report/types.js';
import { HZ, jiffiesAt, time_before } from '../time/jiffies.js';
import { ipLine, KERNEL_IDENT, siteFrame, type LockdepFinding } from './lockdep.js';

/** A source location the kernel's own might_sleep() sits at (file and line of Linux 6.6, approximate). */
export interface KernelSite {
  readonly file: string;
  readonly line: number;
}

/** Where Linux's sleeping primitives call might_sleep() (6.6 sources with lockdep; lines approximate where marked). */
export const MIGHT_SLEEP_SITES = {
  /** mutex_lock → __mutex_lock_common (lockdep build). */
  mutex: { file: 'kernel/locking/mutex.c', line: 580 },
  /** kmalloc(GFP_KERNEL) → might_alloc(). */
  alloc: { file: 'include/linux/sched/mm.h', line: 306 },
  /** wait_for_completion → __wait_for_common (approximate line). */
  completion: { file: 'kernel/sched/completion.c', line: 101 },
  /** synchronize_irq → wait_event (approximate line). */
  synchronizeIrq: { file: 'kernel/irq/manage.c', line: 137 },
  /** disable_irq (approximate line). */
  disableIrq: { file: 'kernel/irq/manage.c', line: 760 },
  /** flush_work / cancel_work_sync → __flush_work (approximate line). */
  flushWork: { file: 'kernel/workqueue.c', line: 3345 },
  /** wait_event* (approximate line). */
  waitEvent: { file: 'include/linux/wait.h', line: 332 },
  /** read_poll_timeout with a sleep (approximate line). */
  pollTimeout: { file: 'include/linux/iopoll.h', line: 48 },
} as const satisfies Record<string, KernelSite>;

/** Where preemption was last disabled, for "Preemption disabled at:". */
export interface PreemptOffSite {
  readonly site: import('../report/stack.js').LazyStack | null;
  readonly api: string;
}

/** Throw this to unwind a path that cannot continue (deadlock, lockup) after its report. */
export function unwind(report: Report): never {
  throw new KernelOops(report, false, 0);
}

let prevJiffy = new WeakMap<Kernel, number>();

/** Forget the once-a-second rate limit of might_sleep splats (tests that boot many boards do not need it). */
export function resetMightSleepRatelimit(): void {
  prevJiffy = new WeakMap();
}

/**
 * `__might_resched()`: report sleeping in atomic context, at most once a second (per board) as
 * Linux rate-limits it. `expected` is the preempt count the caller legitimately holds.
 */
export function mightSleep(k: Kernel, where: KernelSite, expected = 0): Report | null {
  const ctx = k.ctx;
  if (ctx.preemptCount === expected && !ctx.irqsDisabled) return null;
  const j = jiffiesAt(k.machine.now);
  const prev = prevJiffy.get(k);
  if (prev !== undefined && time_before(j, (prev + HZ) >>> 0)) return null;
  prevJiffy.set(k, j);
  const task = ctx.task;
  const lockdep = k.sched.lockdep;
  const body = [
    `in_atomic(): ${ctx.inAtomic() ? 1 : 0}, irqs_disabled(): ${ctx.irqsDisabled ? 1 : 0}, non_block: 0, pid: ${task.pid}, name: ${task.comm}`,
    `preempt_count: ${ctx.preemptCount.toString(16)}, expected: ${expected.toString(16)}`,
    'RCU nest depth: 0, expected: 0',
    ...lockdep.heldLockLines(task),
    ...(ctx.irqsDisabled ? lockdep.irqTraceLines() : []),
    ...preemptionDisabledAt(k, ctx.preemptCount > expected),
  ];
  const r = k.reporter.report({
    kind: 'bug',
    id: 'sched.might-sleep',
    title: `BUG: sleeping function called from invalid context at ${where.file}:${where.line}`,
    body,
    details: { file: where.file, line: where.line, inAtomic: ctx.inAtomic(), irqsDisabled: ctx.irqsDisabled, preemptCount: ctx.preemptCount, pid: task.pid, comm: task.comm },
  });
  k.reporter.addTaint('W');
  return r;
}

function preemptionDisabledAt(k: Kernel, show: boolean): string[] {
  const at = k.sched.preemptOffAt;
  if (!show || !at) return [];
  return ['Preemption disabled at:', ipLine(siteFrame(at.site, at.api))];
}

/** `might_alloc(gfp)`: an allocation that may block (`__GFP_DIRECT_RECLAIM`, e.g. GFP_KERNEL) might sleep. */
export function mightAlloc(k: Kernel, gfp: number): void {
  if (typeof gfp === 'number' && (gfp & 0x400) !== 0) mightSleep(k, MIGHT_SLEEP_SITES.alloc);
}

/** `__schedule_bug()`: the task schedules with preemption disabled. */
export function schedulingWhileAtomic(k: Kernel): Report {
  const ctx = k.ctx;
  const task = ctx.task;
  const count = ctx.preemptCount + 1; // __schedule's own preempt_disable
  const lockdep = k.sched.lockdep;
  const r = k.reporter.report({
    kind: 'bug',
    id: 'sched.scheduling-while-atomic',
    title: `BUG: scheduling while atomic: ${task.comm}/${task.pid}/0x${hex8(count)}`,
    body: [...lockdep.heldLockLines(task), 'Modules linked in:', ...(ctx.irqsDisabled ? lockdep.irqTraceLines() : []), ...preemptionDisabledAt(k, true)],
    details: { preemptCount: count, pid: task.pid, comm: task.comm },
  });
  k.reporter.addTaint('W');
  return r;
}

/** The soft-lockup watchdog's report; the caller unwinds the stuck path with the result. */
export function softLockup(k: Kernel, seconds: number): KernelOops {
  const task = k.ctx.task;
  const r = k.reporter.report({
    kind: 'bug',
    id: 'sched.soft-lockup',
    title: `watchdog: BUG: soft lockup - CPU#0 stuck for ${seconds}s! [${task.comm}:${task.pid}]`,
    body: ['Modules linked in:', ...(k.ctx.irqsDisabled ? k.sched.lockdep.irqTraceLines() : [])],
    details: { seconds, pid: task.pid, comm: task.comm, irqsDisabled: k.ctx.irqsDisabled, inInterrupt: k.ctx.inInterrupt() },
  });
  k.reporter.addTaint('L');
  return new KernelOops(r, false, 0);
}

/** The hung-task detector's report for `task`, blocked since `since`; the caller unwinds with the result. */
export function hungTask(k: Kernel, seconds: number): KernelOops {
  const task = k.ctx.task;
  const r = k.reporter.report({
    kind: 'bug',
    id: 'sched.hung-task',
    title: `INFO: task ${task.comm}:${task.pid} blocked for more than ${seconds} seconds.`,
    body: [
      `      ${k.reporter.taintText()} ${KERNEL_IDENT}`,
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      `task:${task.comm.slice(0, 15).padEnd(15)} state:D stack:0     pid:${String(task.pid).padEnd(5)} ppid:${String(task.pid <= 1 ? 0 : 2).padEnd(6)} flags:0x00000000`,
    ],
    details: { seconds, pid: task.pid, comm: task.comm },
  });
  return new KernelOops(r, false, 0);
}

/** Print a lockdep finding (the stack backtrace follows, as lockdep ends with dump_stack()). */
export function lockdepReport(k: Kernel, f: LockdepFinding): Report {
  return k.reporter.report({ kind: 'bug', id: f.id, title: f.title, body: f.body, details: f.details });
}

/** A CONFIG_DEBUG_SPINLOCK `spin_dump()`: `BUG: spinlock recursion on CPU#0, swapper/1` and the lock line. */
export function spinBug(
  k: Kernel,
  msg: 'recursion' | 'cpu recursion' | 'already unlocked' | 'wrong owner' | 'bad magic',
  lock: { readonly addr: number; readonly magic: number; readonly ownerComm: string | null; readonly ownerPid: number; readonly ownerCpu: number; readonly name: string },
): Report {
  const task = k.ctx.task;
  return k.reporter.report({
    kind: 'bug',
    id: `spinlock.${msg.replace(/ /g, '-')}`,
    title: `BUG: spinlock ${msg} on CPU#0, ${task.comm}/${task.pid}`,
    body: [` lock: 0x${hex8(lock.addr)}, .magic: ${hex8(lock.magic)}, .owner: ${lock.ownerComm ?? '<none>'}/${lock.ownerPid}, .owner_cpu: ${lock.ownerCpu}`],
    details: { lock: lock.name, addr: lock.addr },
  });
}

/** A driverlab check for a wait that can never end (Linux would just hang there); the caller unwinds. */
export function selfDeadlock(k: Kernel, id: string, title: string, body: readonly string[] = []): KernelOops {
  const r = k.reporter.report({ kind: 'check', id, title, body });
  return new KernelOops(r, false, 0);
}
