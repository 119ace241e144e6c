/** The report subsystem's public face: reports, call traces, synthetic symbols, Linux text, the kernel log. */
export type { Report, ReportInput, ReportKind, ReportSink, StackFrame } from './types.js';
export {
  PROJECT_ROOT,
  DEFAULT_STACK_LIMIT,
  LazyStack,
  captureStack,
  captureStackLazy,
  classifyFile,
  parseStack,
  type CaptureOptions,
  type FrameOrigin,
} from './stack.js';
export {
  SymbolTable,
  kernelSymbols,
  kernelFrame,
  isSyntheticFrame,
  formatSymbol,
  symbolize,
  SYMBOL_TEXT_START,
  SYMBOL_SLOT,
  type KernelSymbol,
  type KernelFrameOptions,
  type ResolvedFrame,
} from './symbols.js';
export {
  formatReport,
  faultLines,
  panicLine,
  panicEndLine,
  CUT_HERE,
  END_TRACE,
  MCSR_BUS_RBERR,
  MCSR_BUS_WBERR,
  type FaultAccess,
  type FaultInfo,
  type FormatContext,
  type FormattedReport,
} from './format.js';
export { INSN, MSR_E500_KERNEL, formatMsr } from './regs.js';
export { TAINT_LETTERS, formatTaint, type TaintFlag } from './taint.js';
export {
  KernelLog,
  formatTimestamp,
  devPrefix,
  DEFAULT_LOG_LINES,
  KERN_EMERG,
  KERN_ALERT,
  KERN_CRIT,
  KERN_ERR,
  KERN_WARNING,
  KERN_NOTICE,
  KERN_INFO,
  KERN_DEBUG,
  type LogLevel,
  type LogLine,
  type DevName,
  type KernelLogOptions,
} from './log.js';
export { ReportPolicy, idMatches, type Verdict } from './policy.js';
export {
  Reporter,
  KernelOops,
  isKernelOops,
  type ReporterOptions,
  type ReportRequest,
  type OopsRequest,
  type BugRequest,
  type TraceOptions,
  type SourceSite,
  type TaskInfo,
  type ContextInfo,
} from './reporter.js';
