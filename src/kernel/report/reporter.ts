/**
 * The board's reporter: turns what subsystems find into {@link Report}s (call trace, seed, simulated
 * time, Linux text), applies the report policy, writes the text to the kernel log, keeps the
 * reports for tests and streams them; builds oopses and panics and tracks taint and the oops count.
 */
import { Subject, type Observable } from 'rxjs';
import type { TraceBus } from '../../sim/trace.js';
import { PAGE_SIZE } from '../layout.js';
import { formatReport, type FaultInfo, type FormatContext, type FormattedReport } from './format.js';
import { KERN_EMERG, KERN_ERR, KERN_WARNING, KernelLog, type LogLevel } from './log.js';
import { ReportPolicy } from './policy.js';
import { DEFAULT_STACK_LIMIT, LazyStack, captureStack, parseStack, type CaptureOptions } from './stack.js';
import { formatSymbol, kernelSymbols, type SymbolTable } from './symbols.js';
import { formatTaint, type TaintFlag } from './taint.js';
import type { Report, ReportInput, ReportKind, ReportSink, StackFrame } from './types.js';

/** The task a report blames: `current->pid` and `current->comm`. */
export interface TaskInfo {
  readonly pid: number;
  readonly comm: string;
}

/** Execution context at the moment of a report. */
export interface ContextInfo {
  /** In hardirq or softirq context (`in_interrupt()`): an oops here panics. */
  readonly inInterrupt: boolean;
  /** Local interrupts disabled. */
  readonly irqsDisabled: boolean;
}

/** Options of a {@link Reporter}. */
export interface ReporterOptions {
  /** Seed of the run, quoted by every report. */
  readonly seed: number;
  /** Simulated time in ns (default: always 0). */
  readonly clock?: () => number;
  /** `ppc_md.name` for the oops config line (default `driverlab e500`). */
  readonly platform?: string;
  /** `Hardware name:` line; omitted when absent. */
  readonly hardware?: string;
  /** Kernel release (default `6.6.0-driverlab`). */
  readonly version?: string;
  /** Who `current` is (default PID 1, `swapper`). */
  readonly task?: () => TaskInfo;
  /** Interrupt context and IRQ state (default: process context, interrupts on). */
  readonly context?: () => ContextInfo;
  /** Modules listed in `Modules linked in:` (default none). */
  readonly modules?: () => readonly string[];
  /** `panic_on_oops`: every oops panics the board. */
  readonly panicOnOops?: boolean;
  /** Strict mode: {@link Reporter.assertClean} fails on any report, not only oops/BUG/panic. */
  readonly strict?: boolean;
  /** The kernel log to print into (default: a new one on the same clock). */
  readonly log?: KernelLog;
  /** Ring size of the log created when `log` is absent. */
  readonly logCapacity?: number;
  /** Symbol table (default: the process-wide `kernelSymbols`). */
  readonly symbols?: SymbolTable;
  /** Trace bus to publish `report` events on. */
  readonly trace?: TraceBus;
  /** Raw frames recorded per capture (default `DEFAULT_STACK_LIMIT`, 32). */
  readonly stackLimit?: number;
}

/** Where a WARN or BUG fires, as `file:line`. */
export interface SourceSite {
  readonly file: string;
  readonly line: number;
}

/** Options shared by every way of making a report: how its call trace is obtained and extra text. */
export interface TraceOptions {
  /** Synthetic kernel frames ({@link kernelFrame}) put innermost, above the captured JavaScript stack. */
  readonly frames?: readonly StackFrame[];
  /** Use this trace (or lazily captured stack) instead of capturing one now. */
  readonly trace?: readonly StackFrame[] | LazyStack;
  /** Drop the frame of this function and all above it from the capture (hides a subsystem's helpers). */
  readonly below?: Function;
  /** Drop this many innermost captured frames. */
  readonly skip?: number;
  /** Drop leading driverlab (`src/`) frames so the trace starts in user code. */
  readonly userFirst?: boolean;
  /** Lines printed after the report's block (e.g. `DMA-API: Mapped at:` and a stack). */
  readonly after?: readonly string[];
  /** Explicit GPR values for the register dump, e.g. `{ 3: handle, 4: size, 5: dir }`. */
  readonly gpr?: Readonly<Record<number, number>>;
}

/** A report request: the {@link ReportInput} contract plus trace and layout options. */
export interface ReportRequest extends ReportInput, TraceOptions {
  /** Source location a WARN or dying BUG names; default the innermost frame. */
  readonly site?: SourceSite;
  /** For `bug` reports: `true` makes it a dying `kernel BUG at ...!` (see {@link Reporter.bug} for the oops form). */
  readonly die?: boolean;
}

/** What {@link Reporter.oops} needs. */
export interface OopsRequest extends TraceOptions {
  /** Check id (default `oops.null-deref`, `oops.bad-area`, `oops.machine-check` or `oops.exception`). */
  readonly id?: string;
  /** The storage fault or machine check; absent: a program check (`Exception in kernel mode`, sig 5). */
  readonly fault?: FaultInfo;
  /** Headline for a fault-less oops (printed before the `Oops:` line). */
  readonly title?: string;
  /** Lines printed after the fault lines. */
  readonly body?: readonly string[];
  /** Driver name, when known. */
  readonly driver?: string;
  /** Device name, when known. */
  readonly device?: string;
  /** Structured data for tests. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Override the context's `in_interrupt()`. */
  readonly inInterrupt?: boolean;
}

/** What {@link Reporter.bug} needs: a `kernel BUG at file:line!`. */
export interface BugRequest extends Omit<OopsRequest, 'fault' | 'title'> {
  /** The BUG_ON's file and line (default: the innermost frame's). */
  readonly site?: SourceSite;
}

/**
 * Thrown to unwind a driver path after an oops: the dispatch boundary catches it, and the board
 * carries on unless {@link KernelOops.fatal}.
 */
export class KernelOops extends Error {
  override readonly name = 'KernelOops';
  constructor(
    /** The oops report (already logged and stored). */
    readonly report: Report,
    /** The oops ended in a panic (interrupt context or panic_on_oops). */
    readonly fatal: boolean,
    /** Signal `die()` used: 11 (SIGSEGV), 7 (SIGBUS) or 5 (SIGTRAP). */
    readonly signal: number,
  ) {
    super(report.text);
  }
}

/** True for a {@link KernelOops}. */
export function isKernelOops(e: unknown): e is KernelOops {
  return e instanceof KernelOops;
}

/** Kinds {@link Reporter.assertClean} fails on outside strict mode. */
const SEVERE: ReadonlySet<ReportKind> = new Set<ReportKind>(['oops', 'bug', 'panic']);

const LEVEL: Record<ReportKind, LogLevel> = { oops: KERN_EMERG, bug: KERN_EMERG, panic: KERN_EMERG, warn: KERN_WARNING, check: KERN_ERR };

/** The default `current`: PID 1 during boot and driver probing. */
const INIT_TASK: TaskInfo = { pid: 1, comm: 'swapper' };
const PROCESS_CONTEXT: ContextInfo = { inInterrupt: false, irqsDisabled: false };

/** The report sink of one board. */
export class Reporter implements ReportSink {
  /** The board's kernel log. */
  readonly log: KernelLog;
  /** Which reports are printed. */
  readonly policy = new ReportPolicy();
  /** Strict mode (see {@link ReporterOptions.strict}). */
  strict: boolean;
  /** `panic_on_oops`. */
  panicOnOops: boolean;
  private readonly stored: Report[] = [];
  private readonly subject = new Subject<Report>();
  private readonly taints = new Set<TaintFlag>();
  private oopses = 0;
  private panickedFlag = false;
  /** Every printed report, as it happens. */
  readonly reports$: Observable<Report> = this.subject.asObservable();

  /** A reporter for one board; see {@link ReporterOptions} for the defaults. */
  constructor(private readonly opts: ReporterOptions) {
    this.strict = opts.strict ?? false;
    this.panicOnOops = opts.panicOnOops ?? false;
    this.log = opts.log ?? new KernelLog({ ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logCapacity ? { capacity: opts.logCapacity } : {}), ...(opts.trace ? { trace: opts.trace } : {}) });
  }

  /** Seed of the run. */
  get seed(): number {
    return this.opts.seed;
  }

  /** Printed reports, oldest first. */
  get reports(): readonly Report[] {
    return this.stored;
  }

  /** True once the board panicked (a panic report, or a fatal oops). */
  get panicked(): boolean {
    return this.panickedFlag;
  }

  /** Oopses so far (the `[#N]` of the last one). */
  get oopsCount(): number {
    return this.oopses;
  }

  /** Current taint flags. */
  get taint(): ReadonlySet<TaintFlag> {
    return this.taints;
  }

  /** Set a taint flag (`B` for a bad page, `O` for an out-of-tree module...). */
  addTaint(flag: TaintFlag): void {
    this.taints.add(flag);
  }

  /** `print_tainted()` for the current flags. */
  taintText(): string {
    return formatTaint(this.taints);
  }

  // -------------------------------------------------------------------------------------------
  // Making reports

  /**
   * Record a report: apply the policy, capture the trace, format, log, store and publish it.
   * Never throws: a report whose kind is (or is overridden to) `oops` prints the oops block and
   * counts as an oops, but only {@link Reporter.oops} returns the error that unwinds a path.
   */
  report(input: ReportRequest): Report {
    const verdict = this.policy.decide(input.id);
    const kind = this.policy.kindOf(input.id, input.kind);
    if (verdict !== 'report') return this.unprinted(input, kind, verdict);
    const trace = this.traceFor(input);
    const ctx = this.context();
    const f = formatReport({
      ...this.common(trace),
      kind,
      id: input.id,
      title: input.title,
      ...(input.body ? { body: input.body } : {}),
      ...(input.after ? { after: input.after } : {}),
      ...(input.site ? { site: input.site } : {}),
      ...(input.die !== undefined ? { die: input.die } : {}),
      ...(input.gpr ? { gpr: input.gpr } : {}),
      irqsDisabled: ctx.irqsDisabled,
      ...(kind === 'oops' || (kind === 'bug' && input.die) ? { oopsNumber: ++this.oopses } : {}),
    });
    const r = this.publish(kind, input, trace, f, input.details);
    if (kind === 'warn') this.taints.add('W');
    if (kind === 'oops' || (kind === 'bug' && input.die)) this.taints.add('D');
    if (kind === 'panic' || f.fatal) this.panickedFlag = true;
    return r;
  }

  /** `WARN()`: a WARNING splat with registers and call trace; taints the kernel with `W`. */
  warn(input: Omit<ReportRequest, 'kind'>): Report {
    return this.report({ ...input, kind: 'warn' });
  }

  /**
   * An oops: print it (always, whatever the policy), bump `[#N]`, taint `D`, and return the
   * {@link KernelOops} the caller throws to unwind. In interrupt context or with panic_on_oops the
   * oops ends in a panic and the board is marked panicked.
   */
  oops(req: OopsRequest): KernelOops {
    const fault = req.fault;
    let id = req.id;
    if (id === undefined) {
      if (!fault) id = 'oops.exception';
      else if (fault.machineCheck) id = 'oops.machine-check';
      else id = (fault.address >>> 0) < PAGE_SIZE ? 'oops.null-deref' : 'oops.bad-area';
    }
    return this.die('oops', id, req, fault ? { fault } : { title: req.title ?? '' });
  }

  /** `BUG()` / `BUG_ON()`: `kernel BUG at file:line!`, an oops with sig 5 and TRAP 0700. */
  bug(req: BugRequest): KernelOops {
    return this.die('bug', req.id ?? 'bug.kernel-bug', req, { die: true, ...(req.site ? { site: req.site } : {}) });
  }

  /**
   * A JavaScript exception escaped driver code: report it as `kernel BUG at <where it was thrown>!`
   * with the exception in the body, using the exception's own stack. A {@link KernelOops} passes through.
   */
  exception(err: unknown, req: Omit<BugRequest, 'trace'> = {}): KernelOops {
    if (err instanceof KernelOops) return err;
    const e = err instanceof Error ? err : new Error(String(err));
    const trace = [...(req.frames ?? []), ...parseStack(e.stack ?? '')];
    const top = trace.find((f) => f.user) ?? trace[0];
    const site = req.site ?? (top ? { file: top.file, line: top.line } : undefined);
    return this.die('bug', req.id ?? 'oops.exception', { ...req, frames: [], trace, body: [`${e.name}: ${e.message}`, ...(req.body ?? [])] }, {
      die: true,
      ...(site ? { site } : {}),
    });
  }

  /** `panic(msg)`: print the panic with a stack dump, mark the board panicked, return the report. */
  panic(msg: string, opts: TraceOptions & { readonly id?: string; readonly details?: Readonly<Record<string, unknown>> } = {}): Report {
    const input: ReportRequest = { ...opts, kind: 'panic', id: opts.id ?? 'panic', title: msg };
    const trace = this.traceFor(input);
    const f = formatReport({ ...this.common(trace), kind: 'panic', id: input.id, title: msg, ...(opts.after ? { after: opts.after } : {}) });
    this.policy.decide(input.id);
    this.panickedFlag = true;
    return this.publish('panic', input, trace, f, opts.details);
  }

  private die(
    kind: 'oops' | 'bug',
    id: string,
    req: OopsRequest | BugRequest,
    extra: Partial<Pick<FormatContext, 'fault' | 'title' | 'die' | 'site'>>,
  ): KernelOops {
    this.policy.decide(id); // counted; an oops is never silenced
    const trace = this.traceFor(req);
    const ctx = this.context();
    const inInterrupt = req.inInterrupt ?? ctx.inInterrupt;
    const number = ++this.oopses;
    const f = formatReport({
      ...this.common(trace),
      kind,
      id,
      title: extra.title ?? '',
      ...extra,
      ...(req.body ? { body: req.body } : {}),
      ...(req.after ? { after: req.after } : {}),
      ...(req.gpr ? { gpr: req.gpr } : {}),
      inInterrupt,
      irqsDisabled: ctx.irqsDisabled,
      panicOnOops: this.panicOnOops,
      oopsNumber: number,
    });
    const fault = extra.fault;
    const signal = fault ? (fault.machineCheck ? 7 : 11) : 5;
    const details: Record<string, unknown> = {
      ...(req.details ?? {}),
      oops: number,
      signal,
      fatal: f.fatal,
      inInterrupt,
      ...(fault ? { address: fault.address >>> 0, access: fault.access } : {}),
      ...(f.nip ? { nip: f.nip.address, nipSymbol: formatSymbol(f.nip) } : {}),
      ...(f.lr ? { lr: f.lr.address, lrSymbol: formatSymbol(f.lr) } : {}),
    };
    const input: ReportInput = {
      kind,
      id,
      title: f.title,
      ...(req.driver !== undefined ? { driver: req.driver } : {}),
      ...(req.device !== undefined ? { device: req.device } : {}),
    };
    const report = this.publish(kind, input, trace, f, details);
    this.taints.add('D');
    if (f.fatal) this.panickedFlag = true;
    return new KernelOops(report, f.fatal, signal);
  }

  private context(): ContextInfo {
    return this.opts.context?.() ?? PROCESS_CONTEXT;
  }

  private common(trace: readonly StackFrame[]) {
    const task = this.opts.task?.() ?? INIT_TASK;
    return {
      trace,
      pid: task.pid,
      comm: task.comm,
      platform: this.opts.platform ?? 'driverlab e500',
      ...(this.opts.hardware ? { hardware: this.opts.hardware } : {}),
      version: this.opts.version ?? '6.6.0-driverlab',
      taint: this.taintText(),
      modules: this.opts.modules?.() ?? [],
      symbols: this.opts.symbols ?? kernelSymbols,
    };
  }

  private traceFor(o: TraceOptions): StackFrame[] {
    let captured: readonly StackFrame[];
    if (o.trace instanceof LazyStack) captured = o.trace.frames;
    else if (o.trace) captured = o.trace;
    else {
      const copts: { -readonly [K in keyof CaptureOptions]: CaptureOptions[K] } = { limit: this.opts.stackLimit ?? DEFAULT_STACK_LIMIT };
      if (o.below) copts.below = o.below;
      if (o.skip) copts.skip = o.skip;
      if (o.userFirst) copts.userFirst = o.userFirst;
      captured = captureStack(copts);
    }
    return o.frames && o.frames.length > 0 ? [...o.frames, ...captured] : [...captured];
  }

  private publish(kind: ReportKind, input: ReportInput, trace: readonly StackFrame[], f: FormattedReport, details: Readonly<Record<string, unknown>> | undefined): Report {
    const report: Report = {
      kind,
      id: input.id,
      title: f.title,
      text: f.text,
      ...(input.driver !== undefined ? { driver: input.driver } : {}),
      ...(input.device !== undefined ? { device: input.device } : {}),
      trace,
      seed: this.opts.seed,
      time: this.opts.clock?.() ?? 0,
      details: details ?? {},
    };
    this.stored.push(report);
    this.log.printk(LEVEL[kind], f.text);
    const bus = this.opts.trace;
    if (bus?.enabled) bus.emit({ kind: 'report', t: report.time, id: report.id, title: report.title });
    if (this.subject.observed) this.subject.next(report);
    return report;
  }

  /** The report returned for a disabled or suppressed id: counted, not printed, no trace, empty text. */
  private unprinted(input: ReportInput, kind: ReportKind, verdict: 'disabled' | 'suppressed'): Report {
    return {
      kind,
      id: input.id,
      title: input.title,
      text: '',
      ...(input.driver !== undefined ? { driver: input.driver } : {}),
      ...(input.device !== undefined ? { device: input.device } : {}),
      trace: [],
      seed: this.opts.seed,
      time: this.opts.clock?.() ?? 0,
      details: { ...(input.details ?? {}), printed: false, verdict },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Queries for tests

  /** Printed reports whose id starts with `idPrefix` (all when absent). */
  count(idPrefix?: string): number {
    return idPrefix === undefined ? this.stored.length : this.stored.filter((r) => r.id.startsWith(idPrefix)).length;
  }

  /** Reports seen with ids starting with `idPrefix`, printed or not (disabled and suppressed ones included). */
  seen(idPrefix?: string): number {
    return this.policy.seen(idPrefix);
  }

  /** Reports not printed because a "first error only" budget was used up. */
  get suppressed(): number {
    return this.policy.suppressed();
  }

  /**
   * Throw an Error whose message holds the text of every offending report. In strict mode every
   * printed report offends; otherwise only oops, BUG and panic reports do (WARNs and checks pass).
   */
  assertClean(idPrefix?: string): void {
    const bad = this.stored.filter((r) => (idPrefix === undefined || r.id.startsWith(idPrefix)) && (this.strict || SEVERE.has(r.kind)));
    if (bad.length === 0) return;
    const head = `driverlab: ${bad.length} report(s) (seed ${this.opts.seed}): ${bad.map((r) => r.id).join(', ')}`;
    throw new Error(`${head}\n\n${bad.map((r) => r.text).join('\n\n')}`);
  }

  /** Forget printed reports and counters and refill budgets. Taint, the oops count and `panicked` are board state and stay. */
  clear(): void {
    this.stored.length = 0;
    this.policy.reset();
  }
}
