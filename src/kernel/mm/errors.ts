/**
 * Argument checking for the memory API: turns a bad argument from driver code (a negative or
 * fractional size, NaN, a pointer that is not a number) into a clear {@link SandboxArgumentError}
 * naming the call and the argument. Kernel-detected misuse (double free, bad pointers) is not
 * handled here: that goes to the report sink in the kernel's words.
 */

/** Thrown when driver code passes an argument the sandbox cannot interpret at all. */
export class SandboxArgumentError extends Error {
  /** The kernel function that was called (`kmalloc`, `vfree`, ...). */
  readonly fn: string;
  /** The argument's name as the kernel prototype spells it. */
  readonly arg: string;

  constructor(fn: string, arg: string, message: string) {
    super(`${fn}: ${message}`);
    this.name = 'SandboxArgumentError';
    this.fn = fn;
    this.arg = arg;
  }
}

/** Render any value for an error message without throwing (symbols, objects, bigint...). */
export function describeValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return v.toString();
  return Array.isArray(v) ? 'an array' : 'an object';
}

/** A size_t argument: a non-negative safe integer. */
export function checkSize(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new SandboxArgumentError(fn, arg, `${arg} must be a non-negative integer, got ${describeValue(v)}`);
  }
  return v;
}

/** A page order: an integer (range is checked by the allocator, which reports like the kernel). */
export function checkOrder(fn: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new SandboxArgumentError(fn, 'order', `order must be a non-negative integer, got ${describeValue(v)}`);
  }
  return v;
}

/** A gfp_t argument: an unsigned 32-bit integer. */
export function checkGfp(fn: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new SandboxArgumentError(fn, 'gfp', `gfp must be a gfp_t flag mask (GFP_KERNEL, GFP_ATOMIC, ...), got ${describeValue(v)}`);
  }
  return v;
}

/** A kernel pointer argument: an integer in [0, 2^32). `null`/`undefined` are NULL (0). */
export function checkPtr(fn: string, arg: string, v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new SandboxArgumentError(fn, arg, `${arg} must be a kernel pointer (an integer address), got ${describeValue(v)}`);
  }
  return v;
}

/** An owner tag: a non-empty string. */
export function checkOwner(fn: string, v: unknown): string {
  if (v === undefined) return 'kernel';
  if (typeof v !== 'string' || v.length === 0) {
    throw new SandboxArgumentError(fn, 'owner', `owner must be a non-empty string, got ${describeValue(v)}`);
  }
  return v;
}
