/**
 * How NAPI reaches the kernel's softirqs: NET_RX is opened and raised on the kernel's softirq
 * machinery when the kernel has one; otherwise a raise runs the action at once in softirq context
 * (as irq_exit would right after the interrupt that scheduled the poll).
 */
import type { Kernel } from '../kernel.js';
import { SOFTIRQ_OFFSET } from '../context.js';
import type { NapiSoftirqPort } from './napi.js';
import { mightSleep } from '../sched/splats.js';

const NET_RX_SOFTIRQ = 3;

interface SoftirqLike {
  open(nr: number, action: () => void): void;
  raise(nr: number): void;
  runFromProcess(): void;
}

/** Build the port for `k`. */
export function napiPortFor(k: Kernel): NapiSoftirqPort {
  const s = (k as unknown as { time?: { softirq?: SoftirqLike } }).time?.softirq;
  if (s) {
    return {
      openNetRx: (a) => s.open(NET_RX_SOFTIRQ, a),
      raiseNetRx: () => s.raise(NET_RX_SOFTIRQ),
      runPending: () => s.runFromProcess(),
      mightSleep: () => void mightSleep(k, { file: 'net/core/dev.c', line: 6380 }),
    };
  }
  let action: (() => void) | null = null;
  let running = false;
  let raised = false;
  const run = (): void => {
    raised = true;
    if (running || !action) return;
    running = true;
    k.ctx.preemptCount += SOFTIRQ_OFFSET;
    try {
      // Re-run while the action raised NET_RX again (what the softirq restart loop and ksoftirqd do).
      for (let rounds = 0; raised && rounds < 100_000; rounds++) {
        raised = false;
        action();
      }
    } finally {
      k.ctx.preemptCount -= SOFTIRQ_OFFSET;
      running = false;
    }
  };
  return {
    openNetRx: (a) => void (action = a),
    raiseNetRx: run,
    runPending: run,
    mightSleep: () => {},
  };
}
