/**
 * Argument checking for the memory API: turns a bad argument from driver code (a negative or
 * fractional size, NaN, a pointer that is not a number) into the kernel layer's
 * {@link SandboxArgumentError} naming the call and the argument. Kernel-detected misuse (double
 * free, bad pointers) is not handled here: that goes to the report sink in the kernel's words.
 */
import { SandboxArgumentError } from '../errors.js';

export { SandboxArgumentError };

/** A size_t argument: a non-negative safe integer. */
export function checkSize(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new SandboxArgumentError(fn, arg, 'a non-negative integer', v);
  return v;
}

/** A page order: a non-negative integer (the allocator reports orders that are too large). */
export function checkOrder(fn: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new SandboxArgumentError(fn, 'order', 'a non-negative integer page order', v);
  return v;
}

/** A gfp_t argument: an unsigned 32-bit integer. */
export function checkGfp(fn: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new SandboxArgumentError(fn, 'gfp', 'a gfp_t flag mask (GFP_KERNEL, GFP_ATOMIC, ...)', v);
  }
  return v;
}

/** A kernel pointer argument: an integer in [0, 2^32). `null`/`undefined` are NULL (0). */
export function checkPtr(fn: string, arg: string, v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new SandboxArgumentError(fn, arg, 'a kernel pointer (an integer address) or null', v);
  }
  return v;
}

/** An owner tag: a non-empty string (default `kernel`). */
export function checkOwner(fn: string, v: unknown): string {
  if (v === undefined) return 'kernel';
  if (typeof v !== 'string' || v.length === 0) throw new SandboxArgumentError(fn, 'owner', 'a non-empty string', v);
  return v;
}
