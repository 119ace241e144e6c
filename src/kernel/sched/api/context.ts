/**
 * Execution-context queries and controls as drivers call them: in_interrupt() and friends,
 * local_irq_save/restore/disable/enable, local_bh_disable/enable, preempt_disable/enable,
 * might_sleep(), current, schedule(), cond_resched() and cpu_relax(). Each call is a point where
 * a little simulated time passes and a pending interrupt may land.
 */
import { kernelFor } from '../../api/kernel-of.js';
import { captureStack } from '../../report/stack.js';
import { bhDisable, bhEnable, irqRestore, irqSave, irqsOff, irqsOn } from '../irqflags.js';
import { mightSleep } from '../splats.js';

/** `in_interrupt()`: hardirq, softirq (or bottom halves disabled) or NMI context. */
export function in_interrupt(): boolean {
  return kernelFor('in_interrupt').ctx.inInterrupt();
}
/** `in_irq()`: in a hard interrupt handler. */
export function in_irq(): boolean {
  return kernelFor('in_irq').ctx.inHardirq();
}
/** `in_hardirq()`. */
export function in_hardirq(): boolean {
  return kernelFor('in_hardirq').ctx.inHardirq();
}
/** `in_softirq()`: serving a softirq or bottom halves disabled. */
export function in_softirq(): boolean {
  return kernelFor('in_softirq').ctx.inSoftirq();
}
/** `in_serving_softirq()`. */
export function in_serving_softirq(): boolean {
  return kernelFor('in_serving_softirq').ctx.inServingSoftirq();
}
/** `in_task()`: process context (including IRQ threads and kworkers). */
export function in_task(): boolean {
  return !kernelFor('in_task').ctx.inInterrupt();
}
/** `in_atomic()`: preemption disabled for any reason. */
export function in_atomic(): boolean {
  return kernelFor('in_atomic').ctx.inAtomic();
}
/** `irqs_disabled()`. */
export function irqs_disabled(): boolean {
  return kernelFor('irqs_disabled').ctx.irqsDisabled;
}
/** `preempt_count()`. */
export function preempt_count(): number {
  return kernelFor('preempt_count').ctx.preemptCount;
}
/** `preemptible()`: preempt count 0 and interrupts on. */
export function preemptible(): boolean {
  const ctx = kernelFor('preemptible').ctx;
  return ctx.preemptCount === 0 && !ctx.irqsDisabled;
}

/** `current`: the running task's pid and comm. */
export function current(): { readonly pid: number; readonly comm: string } {
  const t = kernelFor('current').ctx.task;
  return { pid: t.pid, comm: t.comm };
}

/** `local_irq_disable()`. */
export function local_irq_disable(): void {
  const k = kernelFor('local_irq_disable');
  k.sched.tick();
  irqsOff(k, 'local_irq_disable');
}
/** `local_irq_enable()`: interrupts waiting are taken at once. */
export function local_irq_enable(): void {
  const k = kernelFor('local_irq_enable');
  k.sched.tick();
  irqsOn(k, 'local_irq_enable');
}
/** `local_irq_save(flags)`: returns the flags (the MSR) to hand to local_irq_restore(). */
export function local_irq_save(): number {
  const k = kernelFor('local_irq_save');
  k.sched.tick();
  return irqSave(k, 'local_irq_save');
}
/** `local_irq_restore(flags)`. */
export function local_irq_restore(flags: number): void {
  const k = kernelFor('local_irq_restore');
  k.sched.tick();
  irqRestore(k, flags, 'local_irq_restore');
}
/** `irqs_disabled_flags(flags)`. */
export function irqs_disabled_flags(flags: number): boolean {
  return (flags & 0x8000) === 0;
}

/** `local_bh_disable()`. */
export function local_bh_disable(): void {
  const k = kernelFor('local_bh_disable');
  k.sched.tick();
  bhDisable(k, 'local_bh_disable', 0, k.sched.lockdep.site(local_bh_disable));
}
/** `local_bh_enable()`: runs pending softirqs when it is the last one. */
export function local_bh_enable(): void {
  const k = kernelFor('local_bh_enable');
  k.sched.tick();
  bhEnable(k, 'local_bh_enable');
}

/** `preempt_disable()`. */
export function preempt_disable(): void {
  const k = kernelFor('preempt_disable');
  k.sched.tick();
  k.sched.preemptAdd(1, 'preempt_disable', k.sched.lockdep.site(preempt_disable));
}
/** `preempt_enable()`: a preemption point. */
export function preempt_enable(): void {
  const k = kernelFor('preempt_enable');
  k.sched.tick();
  k.sched.preemptSub(1);
}

/**
 * `might_sleep()`: report ("BUG: sleeping function called from invalid context at FILE:LINE")
 * when called in atomic context or with interrupts off. The location is the driver's own line.
 */
export function might_sleep(): void {
  const k = kernelFor('might_sleep');
  k.sched.tick();
  const f = captureStack({ limit: 4, below: might_sleep })[0];
  mightSleep(k, { file: f?.file ?? '<unknown>', line: f?.line ?? 0 });
}
/** `might_sleep_if(cond)`. */
export function might_sleep_if(cond: unknown): void {
  if (cond) {
    const k = kernelFor('might_sleep_if');
    const f = captureStack({ limit: 4, below: might_sleep_if })[0];
    mightSleep(k, { file: f?.file ?? '<unknown>', line: f?.line ?? 0 });
  }
}

/** `schedule()`: give up the CPU; other runnable work runs. */
export function schedule(): void {
  const k = kernelFor('schedule');
  k.sched.tick();
  k.sched.sleep({ until: k.sched.clock.now() });
}
/** `cond_resched()`: a voluntary preemption point; returns 1 if something else ran. */
export function cond_resched(): number {
  const k = kernelFor('cond_resched');
  k.sched.tick();
  const f = captureStack({ limit: 4, below: cond_resched })[0];
  mightSleep(k, { file: f?.file ?? '<unknown>', line: f?.line ?? 0 });
  if (k.ctx.inAtomic() || k.ctx.irqsDisabled) return 0;
  return k.sched.schedule() ? 1 : 0;
}
/** `cpu_relax()`: a pause in a polling loop (costs one API step of time). */
export function cpu_relax(): void {
  kernelFor('cpu_relax').sched.tick();
}
