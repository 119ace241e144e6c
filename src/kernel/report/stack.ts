/**
 * Captures the JavaScript call stack as {@link StackFrame}s from V8's structured call sites, maps
 * generated positions back to TypeScript lines (Node source maps, or the source-mapping formatter a
 * test runner installs), and sorts frames into driverlab's own (`src/`) and user code.
 */
import { existsSync } from 'node:fs';
import { findSourceMap, type SourceMap } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackFrame } from './types.js';

type CallSite = NodeJS.CallSite;
type PrepareStackTrace = (err: Error, sites: CallSite[]) => unknown;

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
}

/** Absolute path of the project root: the nearest directory above this module holding `package.json` and `src/`. */
export const PROJECT_ROOT: string = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

const SRC_PREFIX = 'src/';
const REPORT_PREFIX = 'src/kernel/report/';

/** How many raw frames V8 records per capture unless told otherwise. */
export const DEFAULT_STACK_LIMIT = 32;

/** Options for {@link captureStack} and {@link captureStackLazy}. */
export interface CaptureOptions {
  /** Drop the frame of this function and every frame above it (V8's `constructorOpt`). */
  readonly below?: Function;
  /** Drop this many innermost frames after filtering. */
  readonly skip?: number;
  /** Drop leading sandbox (`src/`) frames so the innermost user frame comes first. */
  readonly userFirst?: boolean;
  /** Keep frames of the report subsystem itself (`src/kernel/report/`); they are dropped by default. */
  readonly keepReporter?: boolean;
  /** Most raw frames V8 records (default {@link DEFAULT_STACK_LIMIT}). */
  readonly limit?: number;
}

/** Where a source path sits: driverlab's own modules, user code, or somewhere never shown (node internals, node_modules). */
export type FrameOrigin = 'kernel' | 'user' | 'hidden';

/**
 * Classify a file name as V8 reports it (path or `file:` URL) and make it relative to
 * {@link PROJECT_ROOT} when it lies inside. `src/` is kernel; `node:` and `node_modules` are hidden
 * (unless they are this package's own `src/`); everything else (drivers, tests, user files) is user.
 */
export function classifyFile(fileName: string | null | undefined): { readonly file: string; readonly origin: FrameOrigin } {
  if (!fileName || fileName.startsWith('node:')) return { file: fileName ?? '', origin: 'hidden' };
  let c = classified.get(fileName);
  if (c === undefined) {
    c = classifyUncached(fileName);
    if (classified.size >= 4096) classified.clear();
    classified.set(fileName, c);
  }
  return c;
}

const classified = new Map<string, { readonly file: string; readonly origin: FrameOrigin }>();

function classifyUncached(fileName: string): { file: string; origin: FrameOrigin } {
  let abs = fileName;
  if (abs.startsWith('file://')) {
    try {
      abs = fileURLToPath(abs);
    } catch {
      return { file: fileName, origin: 'hidden' };
    }
  }
  if (!isAbsolute(abs)) return { file: abs, origin: 'hidden' };
  const rel = relative(PROJECT_ROOT, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  const file = inside ? rel.split(sep).join('/') : abs;
  if (inside && file.startsWith(SRC_PREFIX)) return { file, origin: 'kernel' };
  if (abs.includes(`${sep}node_modules${sep}`)) return { file, origin: 'hidden' };
  return { file, origin: 'user' };
}

// ---------------------------------------------------------------------------------------------
// Reading structured call sites

const returnSites: PrepareStackTrace = (_err, sites) => sites;

/** Read the call sites V8 recorded on `holder` (by `Error.captureStackTrace`), restoring the previous formatter. */
function readSites(holder: { stack?: unknown }): CallSite[] | string {
  const prev = Error.prepareStackTrace;
  Error.prepareStackTrace = returnSites;
  let value: unknown;
  try {
    value = holder.stack;
  } finally {
    Error.prepareStackTrace = prev;
  }
  if (Array.isArray(value)) return value as CallSite[];
  return typeof value === 'string' ? value : [];
}

// ---------------------------------------------------------------------------------------------
// Mapping generated positions back to sources

const sourceMaps = new Map<string, SourceMap | null>();

function cachedSourceMap(fileName: string): SourceMap | null {
  let sm = sourceMaps.get(fileName);
  if (sm === undefined) {
    try {
      sm = findSourceMap(fileName) ?? null;
    } catch {
      sm = null;
    }
    sourceMaps.set(fileName, sm);
  }
  return sm;
}

interface Pending {
  fn: string;
  fileName: string;
  line: number;
  column: number;
  site: CallSite;
  mapped: boolean;
}

const mappedPositions = new Map<string, { readonly fileName: string; readonly line: number; readonly column: number }>();

function positionKey(p: Pending): string {
  return `${p.fileName}:${p.line}:${p.column}`;
}

const AT_LINE = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/;

/**
 * Map positions that Node has no source map for through the formatter currently installed as
 * `Error.prepareStackTrace` (vitest/vite install one that applies their source maps). Its output has
 * one `at` line per call site, in order; if the shape is not as expected the raw positions stay.
 */
function mapThroughFormatter(all: Pending[]): void {
  const fmt = Error.prepareStackTrace as PrepareStackTrace | undefined;
  if (typeof fmt !== 'function' || fmt === returnSites || all.length === 0) return;
  // A generated position always maps to the same source position: answer repeats from the cache.
  const pending: Pending[] = [];
  for (const p of all) {
    const hit = mappedPositions.get(positionKey(p));
    if (hit) {
      p.fileName = hit.fileName;
      p.line = hit.line;
      p.column = hit.column;
      p.mapped = true;
    } else pending.push(p);
  }
  if (pending.length === 0) return;
  let text: unknown;
  try {
    const err = { name: 'Error', message: '' } as Error; // a plain object: no second stack walk
    text = fmt(err, pending.map((p) => p.site));
  } catch {
    return;
  }
  if (typeof text !== 'string') return;
  const lines = text.split('\n').filter((l) => /^\s*at /.test(l));
  if (lines.length !== pending.length) return;
  for (let i = 0; i < pending.length; i++) {
    const m = AT_LINE.exec(lines[i] ?? '');
    const p = pending[i];
    if (!m || !p) continue;
    const key = positionKey(p);
    p.fileName = m[1] ?? p.fileName;
    p.line = Number(m[2]);
    p.column = Number(m[3]);
    p.mapped = true;
    if (mappedPositions.size >= 16384) mappedPositions.clear();
    mappedPositions.set(key, { fileName: p.fileName, line: p.line, column: p.column });
  }
}

/** Turn raw call sites into frames: drop hidden ones, map positions to sources, classify, apply the options. */
function materialise(sites: readonly CallSite[], opts: CaptureOptions): StackFrame[] {
  const pending: Pending[] = [];
  for (const site of sites) {
    if (site.isNative()) continue;
    const fileName = site.getFileName() ?? site.getScriptNameOrSourceURL();
    if (!fileName || classifyFile(fileName).origin === 'hidden') continue;
    const p: Pending = {
      fn: site.getFunctionName() ?? '<anonymous>',
      fileName,
      line: site.getLineNumber() ?? 0,
      column: site.getColumnNumber() ?? 0,
      site,
      mapped: false,
    };
    const sm = cachedSourceMap(fileName);
    if (sm) {
      const e = sm.findEntry(p.line - 1, p.column - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
      if (e.originalSource !== undefined && e.originalLine !== undefined) {
        p.fileName = e.originalSource;
        p.line = e.originalLine + 1;
        p.column = (e.originalColumn ?? 0) + 1;
        p.mapped = true;
      }
    }
    pending.push(p);
  }
  mapThroughFormatter(pending.filter((p) => !p.mapped));
  const frames: StackFrame[] = [];
  for (const p of pending) {
    const { file, origin } = classifyFile(p.fileName);
    if (origin === 'hidden') continue;
    if (!opts.keepReporter && file.startsWith(REPORT_PREFIX)) continue;
    frames.push({ fn: p.fn, file, line: p.line, column: p.column, user: origin === 'user' });
  }
  return trim(frames, opts);
}

/**
 * What a kernel developer should see of a trace: driver and test frames, and driverlab frames only
 * where they stand for a Linux-named API function (modules under an `api/` folder or named
 * `api.ts`); the sandbox's machinery (hardware model, allocators' internals) is hidden, as inlined
 * code would be. The dispatch boundary (`withKernel`) ends the trace: what called the board is not
 * part of the kernel's stack.
 */
function visible(frames: StackFrame[]): StackFrame[] {
  const out: StackFrame[] = [];
  for (const f of frames) {
    if (f.fn === 'withKernel' && f.file === BOUNDARY_FILE) break;
    if (!f.user && !isApiModule(f.file)) continue;
    out.push(f);
  }
  return out;
}

const BOUNDARY_FILE = 'src/kernel/current.ts';

/** True for driverlab modules that implement Linux-named API functions. */
export function isApiModule(file: string): boolean {
  return file.includes('/api/') || file.endsWith('/api.ts');
}

function trim(frames: StackFrame[], opts: CaptureOptions): StackFrame[] {
  frames = visible(frames);
  let start = Math.max(0, opts.skip ?? 0);
  if (opts.userFirst) {
    while (start < frames.length && !frames[start]?.user) start++;
    if (start === frames.length) start = Math.max(0, opts.skip ?? 0); // no user frame at all: keep the kernel ones
  }
  return start === 0 ? frames : frames.slice(start);
}

// ---------------------------------------------------------------------------------------------
// Public capture API

function record(holder: object, opts: CaptureOptions, self: CaptureOptions['below']): void {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = opts.limit ?? DEFAULT_STACK_LIMIT;
  try {
    Error.captureStackTrace(holder, opts.below ?? self);
  } finally {
    Error.stackTraceLimit = saved;
  }
}

/**
 * Capture the current call stack now, innermost frame first. Frames of node internals and
 * `node_modules` are dropped, as are the report subsystem's own frames (unless `keepReporter`).
 */
export function captureStack(opts: CaptureOptions = {}): StackFrame[] {
  const holder: { stack?: unknown } = {};
  record(holder, opts, captureStack);
  const sites = readSites(holder);
  return typeof sites === 'string' ? trim(parseStack(sites, opts), opts) : materialise(sites, opts);
}

/**
 * A stack recorded cheaply (V8 keeps its raw frames; nothing is formatted, mapped or allocated
 * per frame) whose {@link StackFrame}s are built only when {@link LazyStack.frames} is first read.
 */
export class LazyStack {
  private cached: StackFrame[] | undefined;
  /** @internal */
  constructor(
    private readonly holder: { stack?: unknown },
    private readonly opts: CaptureOptions,
  ) {}

  /** The frames, innermost first; built on first access and cached. */
  get frames(): readonly StackFrame[] {
    if (this.cached === undefined) {
      const sites = readSites(this.holder);
      this.cached = typeof sites === 'string' ? trim(parseStack(sites, this.opts), this.opts) : materialise(sites, this.opts);
    }
    return this.cached;
  }

  /** True once the frames have been built. */
  get materialised(): boolean {
    return this.cached !== undefined;
  }
}

/** Record the current call stack for later: the hot-path variant of {@link captureStack}. */
export function captureStackLazy(opts: CaptureOptions = {}): LazyStack {
  const holder: { stack?: unknown } = {};
  record(holder, opts, captureStackLazy);
  return new LazyStack(holder, opts);
}

/**
 * Fallback: parse a formatted V8 stack (`err.stack`) into frames, with the same filtering and
 * classification as {@link captureStack}. Used for JavaScript errors whose stack is already text.
 */
export function parseStack(text: string, opts: Pick<CaptureOptions, 'keepReporter'> = {}): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    const m = /^at (?:async )?(?:(.*?) \((.*):(\d+):(\d+)\)|(.*):(\d+):(\d+))$/.exec(line);
    if (!m) continue;
    const fn = m[1] ?? '<anonymous>';
    const fileName = m[2] ?? m[5] ?? '';
    const ln = Number(m[3] ?? m[6]);
    const col = Number(m[4] ?? m[7]);
    const { file, origin } = classifyFile(fileName);
    if (origin === 'hidden') continue;
    if (!opts.keepReporter && file.startsWith(REPORT_PREFIX)) continue;
    frames.push({ fn: simpleName(fn), file, line: ln, column: col, user: origin === 'user' });
  }
  return visible(frames);
}

/** `Class.method` / `new Foo` / `Object.<anonymous>` as printed by V8, reduced to the function's own name. */
function simpleName(v8name: string): string {
  let n = v8name.replace(/^new /, '').replace(/ \[as [^\]]+\]$/, '');
  const dot = n.lastIndexOf('.');
  if (dot >= 0) n = n.slice(dot + 1);
  return n === '' ? '<anonymous>' : n;
}
