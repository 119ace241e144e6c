/**
 * The kernel log (dmesg): printk levels, lines stamped with simulated time as `[    1.234567] `, a
 * bounded ring of the most recent lines, `dev_printk`-style device prefixes and a stream of lines.
 */
import { Subject, type Observable } from 'rxjs';
import type { TraceBus } from '../../sim/trace.js';

/** System is unusable. */
export const KERN_EMERG = 0;
/** Action must be taken immediately. */
export const KERN_ALERT = 1;
/** Critical conditions. */
export const KERN_CRIT = 2;
/** Error conditions. */
export const KERN_ERR = 3;
/** Warning conditions. */
export const KERN_WARNING = 4;
/** Normal but significant condition. */
export const KERN_NOTICE = 5;
/** Informational. */
export const KERN_INFO = 6;
/** Debug-level messages. */
export const KERN_DEBUG = 7;

/** A printk level, 0 (`KERN_EMERG`) .. 7 (`KERN_DEBUG`). */
export type LogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** One line of the kernel log. */
export interface LogLine {
  /** Simulated time in ns when it was printed. */
  readonly time: number;
  /** printk level. */
  readonly level: LogLevel;
  /** The text, without timestamp and without newline. */
  readonly text: string;
}

/** What `dev_printk` needs of a device: `dev_driver_string()` and `dev_name()`. */
export interface DevName {
  /** Bound driver's name (`gianfar`); empty or absent prints just the device name. */
  readonly driver?: string;
  /** Device name (`ffe24000.ethernet`). */
  readonly name: string;
}

/** Default ring size in lines. */
export const DEFAULT_LOG_LINES = 10_000;

/** `[    1.234567]`: seconds (at least 5 wide) and microseconds of a simulated time in ns. */
export function formatTimestamp(ns: number): string {
  const us = Math.floor(Math.max(0, ns) / 1000);
  const sec = Math.floor(us / 1_000_000);
  const frac = us % 1_000_000;
  return `[${String(sec).padStart(5, ' ')}.${String(frac).padStart(6, '0')}]`;
}

/** `<driver> <device>: <message>`, the prefix `dev_printk` and `dev_err` put on a message. */
export function devPrefix(dev: DevName | null | undefined): string {
  if (!dev) return '(NULL device *): ';
  return dev.driver ? `${dev.driver} ${dev.name}: ` : `${dev.name}: `;
}

/** Options for {@link KernelLog}. */
export interface KernelLogOptions {
  /** Simulated time in ns (default: always 0). */
  readonly clock?: () => number;
  /** Lines kept (default {@link DEFAULT_LOG_LINES}); older lines drop off. */
  readonly capacity?: number;
  /** Where to also publish `log` trace events. */
  readonly trace?: TraceBus;
}

/** The kernel log buffer of one board. */
export class KernelLog {
  private readonly ring: (LogLine | undefined)[];
  private head = 0;
  private size = 0;
  private droppedLines = 0;
  private readonly subject = new Subject<LogLine>();
  private readonly clock: () => number;
  private readonly trace: TraceBus | undefined;
  /** Most lines kept. */
  readonly capacity: number;
  /** Every line as it is printed. */
  readonly lines$: Observable<LogLine> = this.subject.asObservable();

  /** An empty log; see {@link KernelLogOptions}. */
  constructor(opts: KernelLogOptions = {}) {
    this.capacity = Math.max(1, Math.floor(opts.capacity ?? DEFAULT_LOG_LINES));
    this.ring = new Array<LogLine | undefined>(this.capacity);
    this.clock = opts.clock ?? (() => 0);
    this.trace = opts.trace;
  }

  /** Print `text` at `level`; a multi-line text becomes one log line per line, all with the same time stamp. */
  printk(level: LogLevel, text: string): void {
    const time = this.clock();
    for (const part of text.split('\n')) this.push({ time, level, text: part });
  }

  /** `dev_printk`: print with the `<driver> <device>: ` prefix. */
  dev_printk(level: LogLevel, dev: DevName | null | undefined, msg: string): void {
    this.printk(level, devPrefix(dev) + msg);
  }

  /** `pr_emerg`. */
  emerg(msg: string): void {
    this.printk(KERN_EMERG, msg);
  }
  /** `pr_alert`. */
  alert(msg: string): void {
    this.printk(KERN_ALERT, msg);
  }
  /** `pr_crit`. */
  crit(msg: string): void {
    this.printk(KERN_CRIT, msg);
  }
  /** `pr_err`. */
  err(msg: string): void {
    this.printk(KERN_ERR, msg);
  }
  /** `pr_warn`. */
  warn(msg: string): void {
    this.printk(KERN_WARNING, msg);
  }
  /** `pr_notice`. */
  notice(msg: string): void {
    this.printk(KERN_NOTICE, msg);
  }
  /** `pr_info`. */
  info(msg: string): void {
    this.printk(KERN_INFO, msg);
  }
  /** `pr_debug`. */
  debug(msg: string): void {
    this.printk(KERN_DEBUG, msg);
  }

  private push(line: LogLine): void {
    const tail = (this.head + this.size) % this.capacity;
    this.ring[tail] = line;
    if (this.size < this.capacity) this.size++;
    else {
      this.head = (this.head + 1) % this.capacity;
      this.droppedLines++;
    }
    if (this.subject.observed) this.subject.next(line);
    if (this.trace?.enabled) this.trace.emit({ kind: 'log', t: line.time, level: line.level, text: line.text });
  }

  /** Lines currently kept, oldest first. */
  lines(): LogLine[] {
    const out: LogLine[] = [];
    for (let i = 0; i < this.size; i++) {
      const l = this.ring[(this.head + i) % this.capacity];
      if (l) out.push(l);
    }
    return out;
  }

  /** Number of lines currently kept. */
  get length(): number {
    return this.size;
  }

  /** Lines that fell off the ring because it was full. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** The log as `dmesg` prints it: one `[    s.uuuuuu] text` line each, up to `maxLevel` (default: all). */
  dmesg(opts: { readonly maxLevel?: LogLevel } = {}): string {
    const max = opts.maxLevel ?? KERN_DEBUG;
    return this.lines()
      .filter((l) => l.level <= max)
      .map((l) => `${formatTimestamp(l.time)} ${l.text}`)
      .join('\n');
  }

  /** Empty the buffer (`dmesg -C`). */
  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
  }
}
