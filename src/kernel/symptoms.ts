/**
 * Data symptoms of cache-coherence bugs as they actually happen in the model: the CPU reading
 * bytes a device changed behind its cache (stale read), and a dirty line's write-back putting old
 * CPU bytes over what a device wrote (lost device write). Rule checkers attach these to reports.
 */
import type { Machine } from '../hw/machine.js';
import { FRAME_SIZE } from '../hw/ram.js';

/** One observed symptom. */
export interface Symptom {
  /** `stale-read`: the CPU read old bytes; `lost-write`: a write-back clobbered device data. */
  readonly kind: 'stale-read' | 'lost-write';
  /** Kernel virtual address of the access (stale reads) or -1 (write-backs have none). */
  readonly va: number;
  /** Physical address of the first differing byte. */
  readonly pa: number;
  /** How many bytes differ between what the CPU saw/wrote and RAM. */
  readonly bytes: number;
  /** The CPU's bytes (what it read, or what the write-back put in RAM), up to 16. */
  readonly cpu: readonly number[];
  /** RAM's bytes (what the device had written), up to 16. */
  readonly ram: readonly number[];
  /** Simulated time in ns. */
  readonly time: number;
}

/** Collects symptoms from the core and cache hooks. */
export class SymptomLog {
  /** Every symptom seen, oldest first (bounded). */
  readonly entries: Symptom[] = [];
  /** Called for each new symptom (checkers link them to rule reports). */
  listener: ((s: Symptom) => void) | null = null;
  private readonly limit: number;

  constructor(private readonly machine: Machine, limit = 1000) {
    this.limit = limit;
    machine.cpu.onStaleRead = (va, pa, len) => this.compare('stale-read', va, pa, len);
    machine.cache.onClobber = (linePa) => this.compare('lost-write', -1, linePa, machine.store.lineSize);
  }

  private compare(kind: Symptom['kind'], va: number, pa: number, len: number): void {
    const st = this.machine.store;
    const slot = st.peekSlot(pa);
    if (slot < 0) return;
    const ram = st.ramBase(slot) + (pa % FRAME_SIZE);
    const cpu = ram + FRAME_SIZE;
    const d = st.data;
    let first = -1;
    let count = 0;
    for (let i = 0; i < len; i++) {
      if (d[ram + i] !== d[cpu + i]) {
        if (first < 0) first = i;
        count++;
      }
    }
    if (count === 0) return;
    const n = Math.min(16, len - first);
    const s: Symptom = {
      kind,
      va: va < 0 ? -1 : va + first,
      pa: pa + first,
      bytes: count,
      cpu: Array.from(d.subarray(cpu + first, cpu + first + n)),
      ram: Array.from(d.subarray(ram + first, ram + first + n)),
      time: this.machine.now,
    };
    if (this.entries.length >= this.limit) this.entries.shift();
    this.entries.push(s);
    this.listener?.(s);
  }
}

/** One-line description of a symptom, in the words a report uses. */
export function describeSymptom(s: Symptom): string {
  const hex = (b: readonly number[]): string => b.map((x) => x.toString(16).padStart(2, '0')).join(' ');
  return s.kind === 'stale-read'
    ? `read ${s.bytes} stale byte(s) at ${fmt(s.va)} (phys ${fmt(s.pa)}): CPU saw [${hex(s.cpu)}], RAM holds [${hex(s.ram)}]`
    : `write-back of a dirty line overwrote data a device had written: ${s.bytes} byte(s) of the line differed, from phys ${fmt(s.pa)}: RAM had [${hex(s.ram)}], now [${hex(s.cpu)}]`;
}

function fmt(a: number): string {
  return '0x' + a.toString(16).padStart(8, '0');
}
