/**
 * A fake MmMachine for memory-manager tests: sparse RAM (4 KiB frames created on first write,
 * zero until then), the lowmem linear map plus a page table for everything else, no cache. Also a
 * recording ReportSink that keeps every report with a text made of title, body and after lines.
 */
import { LOWMEM_MAX, PAGE_OFFSET, PAGE_SIZE } from '../../../src/kernel/layout.js';
import type { MmMachine, PageAttrs, RamBank } from '../../../src/kernel/mm/machine.js';
import type { Report, ReportInput, ReportSink } from '../../../src/kernel/report/types.js';

/** How to build a fake machine. */
export interface FakeMachineOptions {
  /** RAM banks (default one bank of 64 MiB at 0). */
  readonly banks?: readonly RamBank[];
  /** Cache line size (default 32). */
  readonly lineSize?: number;
  /** Coherent board (default false). */
  readonly coherent?: boolean;
  /** Provide cpuCopy (default true). */
  readonly withCopy?: boolean;
}

/** Thrown for a CPU access no mapping covers. */
export class FakeFault extends Error {}

/** The fake machine. */
export class FakeMachine implements MmMachine {
  readonly ramBanks: readonly RamBank[];
  readonly cacheLineSize: number;
  readonly coherent: boolean;
  /** Simulated time; tests advance it. */
  time = 0;
  /** CPU operations performed (fill/find/read/copy calls). */
  ops = 0;
  private readonly frames = new Map<number, Uint8Array>();
  private readonly pt = new Map<number, { pa: number; attrs: PageAttrs }>();
  private readonly lowmemSize: number;
  private readonly memstart: number;
  cpuCopy?: (dst: number, src: number, len: number) => void;

  constructor(opts: FakeMachineOptions = {}) {
    this.ramBanks = opts.banks ?? [{ base: 0, size: 64 << 20 }];
    this.cacheLineSize = opts.lineSize ?? 32;
    this.coherent = opts.coherent ?? false;
    this.memstart = this.ramBanks[0]!.base;
    const last = this.ramBanks[this.ramBanks.length - 1]!;
    this.lowmemSize = Math.min(LOWMEM_MAX, last.base + last.size - this.memstart);
    if (opts.withCopy ?? true) {
      this.cpuCopy = (dst, src, len) => {
        const bytes = this.cpuRead(src, len);
        this.write(dst, bytes);
      };
    }
  }

  now(): number {
    return this.time;
  }

  translate(va: number): number {
    const off = va - PAGE_OFFSET;
    if (off >= 0 && off < this.lowmemSize) return this.memstart + off;
    const e = this.pt.get(Math.floor(va / PAGE_SIZE));
    return e ? e.pa + (va % PAGE_SIZE) : -1;
  }

  mapPage(va: number, pa: number, attrs: PageAttrs): void {
    if (va % PAGE_SIZE !== 0 || pa % PAGE_SIZE !== 0) throw new Error(`fake mapPage: unaligned ${va.toString(16)} -> ${pa.toString(16)}`);
    this.pt.set(va / PAGE_SIZE, { pa, attrs });
  }

  unmapPage(va: number): void {
    this.pt.delete(Math.floor(va / PAGE_SIZE));
  }

  /** Number of page-table mappings (not counting the linear map). */
  get mappedPages(): number {
    return this.pt.size;
  }

  private frame(pa: number, create: boolean): Uint8Array | undefined {
    const pfn = Math.floor(pa / PAGE_SIZE);
    let f = this.frames.get(pfn);
    if (!f && create) {
      if (!this.ramBanks.some((b) => pa >= b.base && pa < b.base + b.size)) throw new FakeFault(`fake: pa 0x${pa.toString(16)} is not RAM`);
      f = new Uint8Array(PAGE_SIZE);
      this.frames.set(pfn, f);
    }
    return f;
  }

  /** Walk [va, va+len) page by page: fn(frame or undefined, offset in frame, chunk length, offset in range). */
  private walk(va: number, len: number, create: boolean, fn: (f: Uint8Array | undefined, off: number, n: number, pos: number) => boolean | void): void {
    let pos = 0;
    while (pos < len) {
      const a = va + pos;
      const pa = this.translate(a);
      if (pa < 0) throw new FakeFault(`fake: CPU access to unmapped va 0x${a.toString(16)}`);
      const off = pa % PAGE_SIZE;
      const n = Math.min(len - pos, PAGE_SIZE - off);
      if (fn(this.frame(pa, create), off, n, pos) === true) return;
      pos += n;
    }
  }

  cpuFill(va: number, byte: number, len: number): void {
    this.ops++;
    this.walk(va, len, true, (f, off, n) => {
      f!.fill(byte, off, off + n);
    });
  }

  cpuFindNot(va: number, byte: number, len: number): number {
    this.ops++;
    let found = -1;
    this.walk(va, len, false, (f, off, n, pos) => {
      if (!f) {
        if (byte !== 0) {
          found = pos;
          return true;
        }
        return;
      }
      for (let i = 0; i < n; i++) {
        if (f[off + i] !== byte) {
          found = pos + i;
          return true;
        }
      }
      return;
    });
    return found;
  }

  cpuRead(va: number, len: number): Uint8Array {
    this.ops++;
    const out = new Uint8Array(len);
    this.walk(va, len, false, (f, off, n, pos) => {
      if (f) out.set(f.subarray(off, off + n), pos);
    });
    return out;
  }

  /** A driver's stores (test helper): write bytes at va. */
  write(va: number, bytes: ArrayLike<number>): void {
    const src = Uint8Array.from(bytes);
    this.walk(va, src.length, true, (f, off, n, pos) => {
      f!.set(src.subarray(pos, pos + n), off);
    });
  }

  /** One byte as the CPU sees it (test helper). */
  peek(va: number): number {
    return this.cpuRead(va, 1)[0]!;
  }
}

/** A ReportSink that records everything. */
export class RecordingSink implements ReportSink {
  readonly reports: Report[] = [];

  report(input: ReportInput & { after?: readonly string[] }): Report {
    const lines = [input.title, ...(input.body ?? []), ...(input.after ?? [])];
    const r: Report = {
      kind: input.kind,
      id: input.id,
      title: input.title,
      text: lines.join('\n'),
      trace: [],
      seed: 0,
      time: 0,
      details: input.details ?? {},
      ...(input.driver ? { driver: input.driver } : {}),
      ...(input.device ? { device: input.device } : {}),
    };
    this.reports.push(r);
    return r;
  }

  /** Reports with this id. */
  byId(id: string): Report[] {
    return this.reports.filter((r) => r.id === id);
  }

  /** Ids in order. */
  get ids(): string[] {
    return this.reports.map((r) => r.id);
  }

  /** Forget everything. */
  clear(): void {
    this.reports.length = 0;
  }
}
