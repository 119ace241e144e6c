/**
 * Which kernel the driver-facing functions act on. Linux has one kernel per machine; the sandbox
 * may hold several boards, so the board that dispatches driver code makes its kernel current for
 * the duration (two boards talking switch back and forth at event boundaries).
 */
import type { Cpu } from '../hw/cpu.js';
import { NoBoardError } from './errors.js';

/** What the free functions of the driver API need from the running kernel. */
export interface CurrentKernel {
  readonly cpu: Cpu;
  /** Owner tag for allocations made now (the device being probed, or `kernel`). */
  readonly owner?: string;
}

let current: CurrentKernel | null = null;

/** The kernel now running driver code; throws a clear error when there is none. */
export function currentKernel(fn: string): CurrentKernel {
  if (current === null) throw new NoBoardError(fn);
  return current;
}

/** The running kernel or null. */
export function peekCurrentKernel(): CurrentKernel | null {
  return current;
}

/** Run `fn` with `k` as the current kernel, restoring the previous one afterwards. */
export function withKernel<T>(k: CurrentKernel, fn: () => T): T {
  const prev = current;
  current = k;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
