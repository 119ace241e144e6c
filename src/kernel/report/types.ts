/**
 * The shape of every report the sandbox makes (oops, BUG, WARN, panic, named checker findings):
 * a structured object for tests plus the Linux-formatted text a kernel developer would read.
 */

/** What kind of event the kernel would print. */
export type ReportKind =
  /** `Oops: ...` — the faulting path is unwound to the dispatch boundary. */
  | 'oops'
  /** `kernel BUG at ...` / `BUG: ...` (slab, sleeping-in-atomic, ...). */
  | 'bug'
  /** `WARNING: CPU: 0 PID: ... at ...` with a register/stack block (DMA-API errors are WARNs). */
  | 'warn'
  /** `Kernel panic - not syncing: ...` — the board stops. */
  | 'panic'
  /** A sandbox check that Linux itself does not make (named, worded like the kernel would). */
  | 'check';

/** One frame of a call trace, taken from the JavaScript stack of driver and kernel code. */
export interface StackFrame {
  /** Function name as the driver wrote it (`gfar_clean_rx_ring`), or `<anonymous>`. */
  readonly fn: string;
  /** Source file, relative to the project root when it is inside it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** True for frames in user code (drivers, tests), false for driverlab's own modules. */
  readonly user: boolean;
}

/** A finished report, as tests see it. */
export interface Report {
  /** Kind of report. */
  readonly kind: ReportKind;
  /** Stable check id, e.g. `slab.double-free`, `dma.sync-not-allocated`, `oops.bad-area`. */
  readonly id: string;
  /** The headline line, in the kernel's words. */
  readonly title: string;
  /** The full multi-line text as the kernel would print it. */
  readonly text: string;
  /** Driver name (`dev_driver_string`) when known. */
  readonly driver?: string;
  /** Device name (`dev_name`) when known. */
  readonly device?: string;
  /** Call trace, innermost frame first. */
  readonly trace: readonly StackFrame[];
  /** Seed of the run, so the report can be replayed. */
  readonly seed: number;
  /** Simulated time in ns when it happened. */
  readonly time: number;
  /** Check-specific structured data (addresses, sizes, symptom bytes...). */
  readonly details: Readonly<Record<string, unknown>>;
}

/** What a subsystem hands to the report sink; the sink adds trace, seed, time and the text. */
export interface ReportInput {
  readonly kind: ReportKind;
  readonly id: string;
  /** Headline (first line of the kernel message). */
  readonly title: string;
  /** Extra lines printed after the headline and before the register/trace block. */
  readonly body?: readonly string[];
  readonly driver?: string;
  readonly device?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Where subsystems send reports. The kernel's reporter implements it; tests may pass a recorder. */
export interface ReportSink {
  /** Record a report (captures the call trace at this point) and return it. */
  report(input: ReportInput): Report;
}
