/**
 * What every part of the memory manager shares: the machine port, the report sink, the page
 * descriptors, the lowmem linear-map arithmetic, the current task (for `comm`/`pid` in messages),
 * the kernel's taint state and the owner-tag table. No allocation policy lives here.
 */
import { PAGE_OFFSET } from '../layout.js';
import type { Report, ReportInput, ReportSink } from '../report/types.js';
import type { MmMachine } from './machine.js';
import type { PageArray } from './page.js';

/** A report as the memory manager builds it: the sink contract plus lines printed after the block. */
export type MmReportInput = ReportInput & {
  /** Lines after the stack dump (SLUB's `FIX ...` lines, driverlab's explanations). */
  readonly after?: readonly string[];
};

/** What a sink that keeps the kernel's taint offers (driverlab's Reporter). */
interface TaintAwareSink {
  taintText(): string;
  addTaint(flag: 'B'): void;
}

/** The task the kernel is running on behalf of (`current`). */
export interface TaskInfo {
  /** `current->comm`. */
  readonly comm: string;
  /** `current->pid`. */
  readonly pid: number;
}

/** Owner tags interned to small integers so hot paths store an Int32. */
export class OwnerTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private lastName = '';
  private lastId = -1;

  /** Id for a tag (allocated on first use). */
  id(name: string): number {
    if (name === this.lastName) return this.lastId;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    this.lastName = name;
    this.lastId = id;
    return id;
  }

  /** Id for a tag, or -1 if it was never used. */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  /** Tag for an id. */
  name(id: number): string {
    return this.names[id] ?? '?';
  }
}

/** Shared state of one memory manager instance. */
export class MmContext {
  /** Set after the first slab/page BUG from mm (`TAINT_BAD_PAGE`, 'B'). */
  taintedBadPage = false;
  /** Set after the first WARN from mm (`TAINT_WARN`, 'W'). */
  taintedWarn = false;
  /** Owner tags. */
  readonly owners = new OwnerTable();

  constructor(
    /** The machine port. */
    readonly machine: MmMachine,
    /** Where reports go. */
    readonly sink: ReportSink,
    /** Page descriptors. */
    readonly pages: PageArray,
    /** Physical address the linear map starts at (`memstart_addr`). */
    readonly memstart: number,
    /** Bytes of RAM covered by the linear map (lowmem). */
    readonly lowmemSize: number,
    /** `current`. */
    readonly current: () => TaskInfo,
    /** `HZ`, for jiffies ages in slab tracking lines. */
    readonly hz: number,
  ) {}

  /** `high_memory`: first VA past the linear map. */
  get highMemory(): number {
    return PAGE_OFFSET + this.lowmemSize;
  }

  /** True when `va` is in the linear map of lowmem (`virt_addr_valid`). */
  isLowmemVa(va: number): boolean {
    return va >= PAGE_OFFSET && va < PAGE_OFFSET + this.lowmemSize;
  }

  /** True when physical `pa` is in lowmem. */
  isLowmemPa(pa: number): boolean {
    return pa >= this.memstart && pa < this.memstart + this.lowmemSize;
  }

  /** `__va` for lowmem. */
  lowmemVa(pa: number): number {
    return PAGE_OFFSET + (pa - this.memstart);
  }

  /** `__pa` for a linear-map address. */
  lowmemPa(va: number): number {
    return va - PAGE_OFFSET + this.memstart;
  }

  /** Simulated time in ns. */
  now(): number {
    return this.machine.now();
  }

  /**
   * `print_tainted()`. When the sink keeps the kernel's taint (driverlab's Reporter does), its text
   * is used; otherwise the memory manager's own B/W flags in Linux 6.6 columns.
   */
  taintText(): string {
    const sink = this.sink as Partial<TaintAwareSink>;
    if (typeof sink.taintText === 'function') return sink.taintText();
    if (!this.taintedBadPage && !this.taintedWarn) return 'Not tainted';
    const cols = 'G                  '.split('');
    if (this.taintedBadPage) cols[5] = 'B';
    if (this.taintedWarn) cols[9] = 'W';
    return `Tainted: ${cols.join('')}`;
  }

  /**
   * Send a report. `badPage` adds TAINT_BAD_PAGE (B) after printing, as slab_bug and bad_page do;
   * a WARN taints W (the Reporter does that itself; the local flag mirrors it).
   */
  report(input: MmReportInput, badPage = false): Report {
    const r = this.sink.report(input);
    if (badPage) {
      this.taintedBadPage = true;
      (this.sink as Partial<TaintAwareSink>).addTaint?.('B');
    }
    if (input.kind === 'warn') this.taintedWarn = true;
    return r;
  }

}
