/**
 * Linux-formatted report text for 32-bit PowerPC (e500): oops, kernel BUG, WARN, panic, BUG-style
 * messages with a stack dump, and driverlab's own named checks. Pure: it takes plain data and
 * returns text, so it is testable without a board.
 */
import { PAGE_SIZE } from '../layout.js';
import { hex8 } from './hash.js';
import {
  INSN,
  formatGprs,
  formatInstructionDump,
  formatMsr,
  frameStackPointers,
  instructionDump,
  syntheticRegs,
} from './regs.js';
import { formatSymbol, kernelFrame, kernelSymbols, type ResolvedFrame, type SymbolTable } from './symbols.js';
import type { ReportKind, StackFrame } from './types.js';

/** How the faulting access went: a load, a store, or an instruction fetch. */
export type FaultAccess = 'read' | 'write' | 'exec';

/** The machine-level cause of an oops. */
export interface FaultInfo {
  /** Effective address of the access (DEAR), or the bad NIP for an instruction fetch. */
  readonly address: number;
  /** Load, store or instruction fetch (dcbst/dcbf count as loads, dcbi/dcbz as stores). */
  readonly access: FaultAccess;
  /** A machine check (the access reached the bus and nothing answered) instead of a storage exception. */
  readonly machineCheck?: boolean;
  /** MCSR for a machine check; default: the bus read/write data error bit for the access. */
  readonly mcsr?: number;
  /** Print the KUAP line first: the kernel touched a user-space address (below TASK_SIZE). */
  readonly kuap?: boolean;
  /** The instruction word at NIP for the instruction dump; default: a load or store through r3. */
  readonly insn?: number;
}

/** e500 MCSR bits for bus data errors (the ones a DMA-less CPU access to a hole raises). */
export const MCSR_BUS_RBERR = 0x0000_0008;
/** e500 MCSR: bus write data error. */
export const MCSR_BUS_WBERR = 0x0000_0004;

/** Everything the formatter needs, as plain data. */
export interface FormatContext {
  /** Report kind; decides the layout. */
  readonly kind: ReportKind;
  /** Check id (printed by `check` reports). */
  readonly id: string;
  /**
   * Headline: the WARN message, the `BUG: ...` line, the check's title, or the panic message.
   * Ignored for oopses (the fault line is the headline) and for a dying BUG (`kernel BUG at ...!`).
   */
  readonly title: string;
  /** Extra lines printed after the headline. */
  readonly body?: readonly string[];
  /** Lines printed after the whole block (e.g. `DMA-API: Mapped at:` and its stack). */
  readonly after?: readonly string[];
  /** Call trace, innermost first. `trace[0]` is where NIP points, `trace[1]` the LR. */
  readonly trace: readonly StackFrame[];
  /** For oopses: the fault. Absent on an oops means a program check (BUG-like). */
  readonly fault?: FaultInfo;
  /** For `bug` reports: `true` for `kernel BUG at ...!` (an oops, sig 5), `false` for a `BUG: ...` message with a stack dump. */
  readonly die?: boolean;
  /** Source location a WARN or BUG names (`kernel/dma/debug.c:1234`); default: the NIP frame's file and line. */
  readonly site?: { readonly file: string; readonly line: number };
  /** The oops happened in interrupt context (it becomes a panic). */
  readonly inInterrupt?: boolean;
  /** Local interrupts were off (MSR[EE] clear in the register dump). */
  readonly irqsDisabled?: boolean;
  /** `panic_on_oops` is set. */
  readonly panicOnOops?: boolean;
  /** `current->pid`. */
  readonly pid: number;
  /** `current->comm`. */
  readonly comm: string;
  /** `ppc_md.name`, printed in the oops config line: `BE PAGE_SIZE=4K <platform>`. */
  readonly platform: string;
  /** `Hardware name:` line (model, CPU, PVR, platform); omitted when absent. */
  readonly hardware?: string;
  /** Kernel release, e.g. `6.6.0-driverlab`. */
  readonly version: string;
  /** Build number printed after the release (`#1`). */
  readonly build?: number;
  /** Oops number for `[#N]`. */
  readonly oopsNumber?: number;
  /** `print_tainted()` text: `Not tainted` (default) or `Tainted: G        W  ...`. */
  readonly taint?: string;
  /** `Modules linked in:` list. */
  readonly modules?: readonly string[];
  /** Explicit GPR values by register number (others are synthetic). */
  readonly gpr?: Readonly<Record<number, number>>;
  /** Symbol table (default: the process-wide one). */
  readonly symbols?: SymbolTable;
}

/** The formatter's result. */
export interface FormattedReport {
  /** Headline as the report's `title`. */
  readonly title: string;
  /** All lines. */
  readonly lines: readonly string[];
  /** `lines` joined with newlines. */
  readonly text: string;
  /** The report ends in a panic (oops in interrupt context, or panic_on_oops, or a panic report). */
  readonly fatal: boolean;
  /** Where NIP points (register-block reports only). */
  readonly nip?: ResolvedFrame;
  /** Where LR points (register-block reports only). */
  readonly lr?: ResolvedFrame;
}

/** The `cut here` line that opens WARN and BUG splats. */
export const CUT_HERE = '------------[ cut here ]------------';
/** The end-of-trace marker (kernels ≥ 6.0 always print zeros). */
export const END_TRACE = '---[ end trace 0000000000000000 ]---';

/** The `Kernel panic - not syncing: ...` line. */
export function panicLine(msg: string): string {
  return `Kernel panic - not syncing: ${msg}`;
}

/** The `---[ end Kernel panic - not syncing: ... ]---` line. */
export function panicEndLine(msg: string): string {
  return `---[ end Kernel panic - not syncing: ${msg} ]---`;
}

/** A hex address as `%lx` prints it (no padding). */
function hx(n: number): string {
  return (n >>> 0).toString(16);
}

/**
 * The fault line(s) of a bad-area oops in the ≥ 5.6 wording: optional KUAP line, then
 * `BUG: Kernel NULL pointer dereference on read at 0x...` below PAGE_SIZE, else
 * `BUG: Unable to handle kernel data access on write at 0x...`; instruction fetches say so.
 */
export function faultLines(fault: FaultInfo, uid = 0): string[] {
  const lines: string[] = [];
  const addr = fault.address >>> 0;
  if (fault.machineCheck) {
    const mcsr = fault.mcsr ?? (fault.access === 'write' ? MCSR_BUS_WBERR : MCSR_BUS_RBERR);
    lines.push('Machine check in kernel mode.');
    const causes: string[] = [];
    if (mcsr & 0x80) causes.push('Bus - Instruction Address Error');
    if (mcsr & 0x40) causes.push('Bus - Read Address Error');
    if (mcsr & 0x20) causes.push('Bus - Write Address Error');
    if (mcsr & 0x10) causes.push('Bus - Instruction Data Error');
    if (mcsr & MCSR_BUS_RBERR) causes.push('Bus - Read Data Bus Error');
    if (mcsr & MCSR_BUS_WBERR) causes.push('Bus - Write Data Bus Error');
    lines.push(`Caused by (from MCSR=${hx(mcsr)}): ${causes[0] ?? ''}`.trimEnd(), ...causes.slice(1));
    return lines;
  }
  if (fault.kuap) {
    const verb = fault.access === 'write' ? 'write' : 'read';
    lines.push(`Kernel attempted to ${verb} user page (${hx(addr)}) - exploit attempt? (uid: ${uid})`);
  }
  if (fault.access === 'exec') {
    lines.push(`BUG: Unable to handle kernel instruction fetch${addr < PAGE_SIZE ? ' (NULL pointer?)' : ''}`);
  } else {
    const what = addr < PAGE_SIZE ? 'Kernel NULL pointer dereference' : 'Unable to handle kernel data access';
    lines.push(`BUG: ${what} on ${fault.access} at 0x${hex8(addr)}`);
  }
  return lines;
}

/** `CPU: 0 PID: 1 Comm: swapper Not tainted 6.6.0-driverlab #1`, then `Hardware name:` when known. */
function cpuLines(ctx: FormatContext, taint: string): string[] {
  const lines = [`CPU: 0 PID: ${ctx.pid} Comm: ${ctx.comm.slice(0, 15)} ${taint} ${ctx.version} #${ctx.build ?? 1}`];
  if (ctx.hardware) lines.push(`Hardware name: ${ctx.hardware}`);
  return lines;
}

/** `Call Trace:` lines for `frames`, the first marked `(unreliable)`. */
function callTrace(frames: readonly ResolvedFrame[], sp: number): string[] {
  const sps = frameStackPointers(sp, frames.map((f) => f.address));
  const lines = ['Call Trace:'];
  frames.forEach((f, i) => {
    lines.push(`[${hex8(sps[i] ?? 0)}] [${hex8(f.address)}] ${formatSymbol(f)}${i === 0 ? ' (unreliable)' : ''}`);
  });
  return lines;
}

/** What a `dump_stack()` prints: the CPU line, hardware name and call trace of the current task. */
function dumpStack(ctx: FormatContext, taint: string, table: SymbolTable): string[] {
  const frames = ctx.trace.map((f) => table.resolve(f));
  const sp = syntheticRegs({ nip: frames[0]?.address ?? 0, lr: frames[1]?.address ?? 0, pid: ctx.pid }).gpr[1] ?? 0;
  return [...cpuLines(ctx, taint), ...callTrace(frames, sp)];
}

interface RegBlock {
  readonly lines: string[];
  readonly nip?: ResolvedFrame;
  readonly lr: ResolvedFrame;
}

/** From `CPU:` to the instruction dump: what `show_regs()` prints for a kernel-mode exception. */
function registerBlock(ctx: FormatContext, taint: string, table: SymbolTable, trap: number): RegBlock {
  const fault = ctx.fault;
  const fetch = fault?.access === 'exec' && !fault.machineCheck;
  const frames = ctx.trace.length > 0 ? ctx.trace : [kernelFrame('<unknown>')];
  // An instruction fetch fault has NIP at the bad address itself; the function that branched there is in LR.
  const nipFrame = fetch ? undefined : table.resolve(frames[0] ?? kernelFrame('<unknown>'));
  const rest = fetch ? frames : frames.slice(1);
  const lrFrame = table.resolve(rest[0] ?? frames[0] ?? kernelFrame('<unknown>'));
  const nip = nipFrame ? nipFrame.address : (fault?.address ?? 0) >>> 0;
  const regs = syntheticRegs({
    nip,
    lr: lrFrame.address,
    pid: ctx.pid,
    ...(fault ? { fault: fault.address } : {}),
    ...(ctx.irqsDisabled ? { irqsDisabled: true } : {}),
    ...(ctx.gpr ? { gpr: ctx.gpr } : {}),
  });
  const lines = [...cpuLines(ctx, taint)];
  lines.push(`NIP:  ${hex8(nip)} LR: ${hex8(lrFrame.address)} CTR: ${hex8(regs.ctr)}`);
  lines.push(`REGS: ${hex8(regs.regs)} TRAP: ${trap.toString(16).padStart(4, '0')}   ${taint}  (${ctx.version})`);
  lines.push(`MSR:  ${formatMsr(regs.msr)}  CR: ${hex8(regs.cr)}  XER: ${hex8(regs.xer)}`);
  if (trap === 0x300 || trap === 0x200 || trap === 0x600) {
    const esr = fault?.access === 'write' && trap === 0x300 ? 0x0080_0000 : 0;
    lines.push(`DEAR: ${hex8(fault?.address ?? 0)} ESR: ${hex8(esr)}`);
  }
  lines.push(...formatGprs(regs.gpr));
  lines.push(`NIP [${hex8(nip)}] ${nipFrame ? formatSymbol(nipFrame) : `0x${hx(nip)}`}`);
  lines.push(`LR [${hex8(lrFrame.address)}] ${formatSymbol(lrFrame)}`);
  const traceFrames = (rest.length > 0 ? rest : frames).map((f) => table.resolve(f));
  lines.push(...callTrace(traceFrames, regs.gpr[1] ?? 0));
  let word: number | null;
  if (fetch) word = null;
  else if (fault) word = fault.insn ?? (fault.access === 'write' ? INSN.STORE : INSN.LOAD);
  else word = INSN.TRAP;
  lines.push('Instruction dump:', ...formatInstructionDump(instructionDump(nip, word)));
  return nipFrame ? { lines, nip: nipFrame, lr: lrFrame } : { lines, lr: lrFrame };
}

/** `BE PAGE_SIZE=4K <platform>`: the configuration line `__die` prints after the Oops line. */
function configLine(ctx: FormatContext): string {
  return `BE PAGE_SIZE=${PAGE_SIZE / 1024}K ${ctx.platform}`.trimEnd();
}

function modulesLine(ctx: FormatContext): string {
  const mods = ctx.modules ?? [];
  return mods.length > 0 ? `Modules linked in: ${mods.join(' ')}` : 'Modules linked in:';
}

/** What `die()` prints around the register block, and the fate line(s) after it. */
function dieBlock(ctx: FormatContext, taint: string, table: SymbolTable, reason: string, sig: number, trap: number) {
  const block = registerBlock(ctx, taint, table, trap);
  const lines = [`Oops: ${reason}, sig: ${sig} [#${ctx.oopsNumber ?? 1}]`, configLine(ctx), modulesLine(ctx), ...block.lines, END_TRACE];
  let fatal = false;
  let msg: string | undefined;
  if (ctx.inInterrupt) msg = 'Fatal exception in interrupt';
  else if (ctx.panicOnOops) msg = 'Fatal exception';
  if (msg !== undefined) {
    fatal = true;
    lines.push(panicLine(msg), panicEndLine(msg));
  }
  return { lines, fatal, block };
}

function siteOf(ctx: FormatContext): { file: string; line: number } {
  if (ctx.site) return ctx.site;
  const f = ctx.trace[0];
  return f ? { file: f.file || f.fn, line: f.line } : { file: '<unknown>', line: 0 };
}

function done(title: string, lines: string[], fatal: boolean, block?: { nip?: ResolvedFrame; lr?: ResolvedFrame }): FormattedReport {
  const all = [...lines];
  const out: { -readonly [K in keyof FormattedReport]: FormattedReport[K] } = { title, lines: all, text: all.join('\n'), fatal };
  if (block?.nip) out.nip = block.nip;
  if (block?.lr) out.lr = block.lr;
  return out;
}

/** Format a report as the kernel would print it (without printk timestamps). */
export function formatReport(ctx: FormatContext): FormattedReport {
  const table = ctx.symbols ?? kernelSymbols;
  const taint = ctx.taint ?? 'Not tainted';
  const body = ctx.body ?? [];
  const after = ctx.after ?? [];

  switch (ctx.kind) {
    case 'oops': {
      const fault = ctx.fault;
      if (!fault) {
        // An oops without a storage fault is a program check: the same block as a dying BUG.
        const d = dieBlock(ctx, taint, table, 'Exception in kernel mode', 5, 0x700);
        const title = ctx.title || 'Oops: Exception in kernel mode';
        return done(title, [...(ctx.title ? [ctx.title] : []), ...body, ...d.lines, ...after], d.fatal, d.block);
      }
      const head = faultLines(fault);
      if (fault.machineCheck) {
        const d = dieBlock(ctx, taint, table, 'Machine check', 7, 0x200);
        return done(head[0] ?? '', [...head, ...body, ...d.lines, ...after], d.fatal, d.block);
      }
      const fetch = fault.access === 'exec';
      const d = dieBlock(ctx, taint, table, 'Kernel access of bad area', 11, fetch ? 0x400 : 0x300);
      const nip = d.block.nip?.address ?? fault.address;
      const lines = [...head, `Faulting instruction address: 0x${hex8(nip)}`, ...body, ...d.lines, ...after];
      return done(head[head.length - 1] ?? '', lines, d.fatal, d.block);
    }
    case 'bug': {
      if (!ctx.die) {
        const lines = [ctx.title, ...body, ...dumpStack(ctx, taint, table), ...after];
        return done(ctx.title, lines, false);
      }
      const site = siteOf(ctx);
      const title = `kernel BUG at ${site.file}:${site.line}!`;
      const d = dieBlock(ctx, taint, table, 'Exception in kernel mode', 5, 0x700);
      return done(title, [CUT_HERE, title, ...body, ...d.lines, ...after], d.fatal, d.block);
    }
    case 'warn': {
      const site = siteOf(ctx);
      const block = registerBlock(ctx, taint, table, 0x700);
      const where = block.nip ? formatSymbol({ ...block.nip, frame: { ...block.nip.frame, user: false } }) : '';
      const warning = `WARNING: CPU: 0 PID: ${ctx.pid} at ${site.file}:${site.line} ${where}`.trimEnd();
      const lines = [CUT_HERE, ...(ctx.title ? [ctx.title] : []), ...body, warning, modulesLine(ctx), ...block.lines, END_TRACE, ...after];
      return done(ctx.title || warning, lines, false, block);
    }
    case 'panic': {
      const msg = ctx.title.replace(/^Kernel panic - not syncing: /, '');
      const lines = [panicLine(msg), ...body, ...dumpStack(ctx, taint, table), panicEndLine(msg), ...after];
      return done(panicLine(msg), lines, true);
    }
    case 'check': {
      const head = `driverlab: ${ctx.id}: ${ctx.title}`;
      return done(head, [head, ...body, ...dumpStack(ctx, taint, table), ...after], false);
    }
  }
}
