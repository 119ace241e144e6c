/**
 * Execution context of the simulated CPU: the current task, Linux's preempt_count layout
 * (preempt, softirq, hardirq and NMI fields) and the interrupt-enable state, so the kernel can
 * answer in_interrupt()/in_atomic()/irqs_disabled() as Linux does. Scheduling is not modelled:
 * one task runs driver code at a time.
 */

/** preempt_count field layout (Linux's). */
export const PREEMPT_OFFSET = 1 << 0;
/** One softirq level: what serving softirqs adds (`in_serving_softirq()`). */
export const SOFTIRQ_OFFSET = 1 << 8;
/** What `local_bh_disable()` adds: twice SOFTIRQ_OFFSET, so serving and disabling can be told apart. */
export const SOFTIRQ_DISABLE_OFFSET = 2 * SOFTIRQ_OFFSET;
/** One hardirq nesting level. */
export const HARDIRQ_OFFSET = 1 << 16;
/** NMI level. */
export const NMI_OFFSET = 1 << 20;
const SOFTIRQ_MASK = 0xff << 8;
const HARDIRQ_MASK = 0xf << 16;
const NMI_MASK = 0xf << 20;

/** A kernel task: a pid, a name and a kernel stack in lowmem. */
export interface Task {
  readonly pid: number;
  comm: string;
  /** Lowest address of the THREAD_SIZE stack area. */
  readonly stackBase: number;
  /** One past the highest address; the stack grows down from here. */
  readonly stackTop: number;
  /** Current stack pointer for stack buffers handed out by {@link ExecContext.stackAlloc}. */
  sp: number;
}

/** The CPU's execution state. */
export class ExecContext {
  /** Linux's preempt_count. */
  preemptCount = 0;
  /** MSR[EE] clear: external interrupts disabled. */
  irqsDisabled = false;

  constructor(public task: Task) {}

  /** `in_interrupt()`: hardirq, softirq or NMI context. */
  inInterrupt(): boolean {
    return (this.preemptCount & (HARDIRQ_MASK | SOFTIRQ_MASK | NMI_MASK)) !== 0;
  }

  /** `in_irq()` / `in_hardirq()`. */
  inHardirq(): boolean {
    return (this.preemptCount & HARDIRQ_MASK) !== 0;
  }

  /** `in_softirq()`. */
  inSoftirq(): boolean {
    return (this.preemptCount & SOFTIRQ_MASK) !== 0;
  }

  /** `in_serving_softirq()`: running a softirq handler (not merely bottom halves disabled). */
  inServingSoftirq(): boolean {
    return (this.preemptCount & SOFTIRQ_OFFSET) !== 0;
  }

  /** `softirq_count()`: the softirq field of preempt_count. */
  softirqCount(): number {
    return this.preemptCount & SOFTIRQ_MASK;
  }

  /** `hardirq_count()`: the hardirq field of preempt_count. */
  hardirqCount(): number {
    return this.preemptCount & HARDIRQ_MASK;
  }

  /** `in_atomic()`: preemption disabled for any reason. */
  inAtomic(): boolean {
    return this.preemptCount !== 0;
  }

  /** Carve `size` bytes (8-byte aligned) off the current task's kernel stack; -1 when it would overflow. */
  stackAlloc(size: number): number {
    if (!(size > 0) || !Number.isInteger(size)) return -1;
    const sp = Math.floor((this.task.sp - size) / 8) * 8; // addresses exceed 2^31: no bitwise ops
    if (sp < this.task.stackBase + 256) return -1; // keep room for the "frames" below
    this.task.sp = sp;
    return sp;
  }
}
