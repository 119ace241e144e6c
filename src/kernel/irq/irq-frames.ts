/**
 * Synthetic kernel frames for reports made on the interrupt path, so a call trace reads as on
 * powerpc: the genirq functions down to do_IRQ, then what was interrupted (driver code, or the
 * idle loop when the CPU was idle). JavaScript frames of the machinery are hidden; these stand in.
 */
import type { Kernel } from '../kernel.js';
import { captureStack } from '../report/stack.js';
import { kernelFrame } from '../report/symbols.js';
import type { StackFrame } from '../report/types.js';

/** The powerpc entry below a flow handler. */
const ENTRY = ['generic_handle_irq', '__do_irq', 'do_IRQ'];
/** What runs when the idle task is interrupted. */
const IDLE = ['arch_cpu_idle', 'default_idle_call', 'do_idle', 'cpu_startup_entry', 'kernel_init'];

/** The name of a descriptor's flow handler for traces. */
export function flowName(k: Kernel, handler: unknown): string {
  const f = k.irq.flow;
  if (handler === f.level) return 'handle_level_irq';
  if (handler === f.edge) return 'handle_edge_irq';
  return 'handle_fasteoi_irq';
}

/** A whole trace for a report made in hardirq context: `inner` functions, the flow, the entry, then the interrupted code. */
export function irqContextTrace(k: Kernel, inner: readonly string[], flow: string): StackFrame[] {
  const captured = captureStack({ limit: 24 });
  const idle = k.ctx.task === k.sched.idleTask ? IDLE.map((n) => kernelFrame(n)) : [];
  return [...[...inner, 'handle_irq_event', flow, ...ENTRY].map((n) => kernelFrame(n)), ...captured, ...idle];
}
