/**
 * Local interrupt and bottom-half state as the CPU changes it: MSR[EE] save/restore/disable/enable
 * with lockdep's irq tracing (and taking interrupts that were waiting when EE comes back on),
 * local_bh_disable/enable (running pending softirqs on the last enable), preempt_disable/enable.
 * Flags are the MSR value, as on PowerPC. Left out: hard vs soft irq masking (64-bit lazy EE).
 */
import { SOFTIRQ_DISABLE_OFFSET } from '../context.js';
import type { Kernel } from '../kernel.js';
import type { LazyStack } from '../report/stack.js';
import { kernelFrame } from '../report/symbols.js';
import type { LockContext } from './lockdep.js';
import { lockdepReport } from './splats.js';

/** MSR of the e500 kernel with external interrupts enabled (CE, EE, ME). */
export const MSR_IRQS_ON = 0x0002_9000;
/** MSR_EE: the external interrupt enable bit. */
export const MSR_EE = 0x0000_8000;

/** `irqs_disabled_flags(flags)`. */
export function irqsDisabledFlags(flags: number): boolean {
  return (flags & MSR_EE) === 0;
}

/** The lock context lockdep sees now. */
export function lockContext(k: Kernel): LockContext {
  const ctx = k.ctx;
  return {
    task: ctx.task,
    hardirq: ctx.inHardirq(),
    hardirqCount: ctx.hardirqCount() >>> 16,
    servingSoftirq: ctx.inServingSoftirq(),
    softirqCount: ctx.softirqCount() >>> 8,
    irqsEnabled: !ctx.irqsDisabled,
    softirqsEnabled: ctx.softirqCount() === 0,
  };
}

/** Local interrupts go off (`raw_local_irq_disable` + `trace_hardirqs_off`). */
export function irqsOff(k: Kernel, fn: string): void {
  const ctx = k.ctx;
  if (ctx.irqsDisabled) return;
  ctx.irqsDisabled = true;
  k.sched.lockdep.irqTrace('hardirqs-off', fn);
}

/** Local interrupts come on: lockdep marks held locks, then waiting interrupts are taken. */
export function irqsOn(k: Kernel, fn: string): void {
  const ctx = k.ctx;
  if (!ctx.irqsDisabled) return;
  const lockdep = k.sched.lockdep;
  ctx.irqsDisabled = false;
  lockdep.irqTrace('hardirqs-on', fn);
  if (lockdep.debugLocks) {
    const f = lockdep.markHeldEnabled(lockContext(k), 'hardirq');
    if (f) lockdepReport(k, f);
  }
  k.sched.irqsEnabledPoint();
}

/** `local_irq_save()`: the MSR before, interrupts off. */
export function irqSave(k: Kernel, fn: string): number {
  const flags = k.ctx.irqsDisabled ? MSR_IRQS_ON & ~MSR_EE : MSR_IRQS_ON;
  irqsOff(k, fn);
  return flags;
}

let warnedRestore = new WeakSet<Kernel>();

/** `local_irq_restore(flags)`, with CONFIG_DEBUG_IRQFLAGS' check that interrupts are off when it is called. */
export function irqRestore(k: Kernel, flags: number, fn: string): void {
  if (!k.ctx.irqsDisabled && !warnedRestore.has(k)) {
    warnedRestore.add(k);
    k.reporter.warn({
      id: 'irqflags.restore-with-irqs-enabled',
      title: 'raw_local_irq_restore() called with IRQs enabled',
      site: { file: 'kernel/locking/irqflag-debug.c', line: 10 },
      frames: [kernelFrame('warn_bogus_irq_restore')],
    });
  }
  if (irqsDisabledFlags(flags)) irqsOff(k, fn);
  else irqsOn(k, fn);
}

/** Forget which kernels were warned (tests). */
export function resetIrqflagsWarnings(): void {
  warnedRestore = new WeakSet();
}

/** `local_bh_disable()` (plus `extra` preempt counts, 1 for spin_lock_bh). */
export function bhDisable(k: Kernel, fn: string, extra: number, site: LazyStack | null): void {
  const ctx = k.ctx;
  const wasEnabled = ctx.softirqCount() === 0;
  k.sched.preemptAdd(SOFTIRQ_DISABLE_OFFSET + extra, fn, site);
  if (wasEnabled) k.sched.lockdep.irqTrace('softirqs-off', fn);
}

let warnedBhInHardirq = new WeakSet<Kernel>();

/** `__local_bh_enable_ip()`: the last enable outside interrupt context runs pending softirqs. */
export function bhEnable(k: Kernel, fn: string, extra = 0): void {
  const ctx = k.ctx;
  if (ctx.inHardirq() && !warnedBhInHardirq.has(k)) {
    warnedBhInHardirq.add(k);
    k.reporter.warn({ id: 'softirq.bh-enable-in-hardirq', title: '', site: { file: 'kernel/softirq.c', line: 364 }, frames: [kernelFrame('__local_bh_enable_ip')] });
  }
  const lockdep = k.sched.lockdep;
  ctx.preemptCount -= SOFTIRQ_DISABLE_OFFSET + extra - 1; // keep preemption off while softirqs run
  if (ctx.softirqCount() === 0) {
    lockdep.irqTrace('softirqs-on', fn);
    if (lockdep.debugLocks && !ctx.irqsDisabled) {
      const f = lockdep.markHeldEnabled(lockContext(k), 'softirq');
      if (f) lockdepReport(k, f);
    }
    if (!ctx.inInterrupt() && k.time.softirq.pending !== 0) k.time.softirq.runFromProcess();
  }
  k.sched.preemptSub(1);
}
