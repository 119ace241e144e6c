/** Find the full kernel behind the current-kernel slot, for API functions that need more than the CPU. */
import { currentKernel } from '../current.js';
import { Kernel } from '../kernel.js';
import { NoBoardError } from '../errors.js';

/** The running {@link Kernel}; a clear error when none runs (or only a bare CPU harness does). */
export function kernelFor(fn: string): Kernel {
  const k = currentKernel(fn);
  if (!(k instanceof Kernel)) throw new NoBoardError(fn);
  return k;
}
