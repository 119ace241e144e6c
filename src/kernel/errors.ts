/**
 * Sandbox errors: what driverlab says when driver code passes something the kernel would never
 * accept (a pointer that is not a number, a NaN size) or uses the API with no board running.
 * The kernel proper reports through oops/WARN/BUG instead; these name the argument at fault.
 */

/** A bad argument from driver code, named, with the value received. */
export class SandboxArgumentError extends Error {
  override readonly name = 'SandboxArgumentError';
  constructor(
    /** The API function called. */
    readonly fn: string,
    /** The parameter at fault. */
    readonly arg: string,
    /** What was expected. */
    readonly expected: string,
    /** What was received (printed). */
    readonly got: unknown,
  ) {
    super(`${fn}: ${arg} must be ${expected}, got ${describe(got)}`);
  }
}

/** The driver-facing API was called with no board running it. */
export class NoBoardError extends Error {
  override readonly name = 'NoBoardError';
  constructor(fn: string) {
    super(`${fn}: no board is running; call it from driver code the board runs (board.run(...), probe, an interrupt handler)`);
  }
}

function describe(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? `0x${v.toString(16)}` : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  return typeof v;
}
