/**
 * Per-interrupt dynamic state of the MPIC for one CPU: source input levels, edge latches, the
 * pending bitmap and the in-service stack; it holds no configuration (that lives in the register
 * file) and decides nothing about delivery.
 */
import { NUM_IRQS as NUM_IRQS_, NUM_SOURCES as NUM_SOURCES_ } from './layout.js';

const NUM_IRQS = NUM_IRQS_;
const NUM_SOURCES = NUM_SOURCES_;
const WORDS = (NUM_IRQS + 31) >>> 5;

/** Plain-data form of {@link IrqState}, for snapshots. */
export interface IrqStateData {
  /** Indices of sources whose input pin is high. */
  readonly inputsHigh: number[];
  /** Indices whose edge latch is set (edge sources, IPIs, timers). */
  readonly latched: number[];
  /** In-service interrupts, oldest first, with the priority each had when acknowledged. */
  readonly inService: { irq: number; priority: number }[];
}

/** Input levels, latches, pending bits and the in-service stack, indexed by the flat interrupt index. */
export class IrqState {
  /** Electrical level of each source's input pin (1 = high). */
  readonly input = new Uint8Array(NUM_SOURCES);
  /** Edge latch (edge sources, IPIs, timers). */
  readonly latch = new Uint8Array(NUM_IRQS);
  /** Pending bitmap: bit i set while interrupt i requests service (derived for level sources). */
  readonly pending = new Uint32Array(WORDS);
  /** 1 while interrupt i is in service. */
  readonly inService = new Uint8Array(NUM_IRQS);
  /** In-service interrupts in acknowledge order, and the priority each was acknowledged at. */
  private readonly isIrq: number[] = [];
  private readonly isPrio: number[] = [];

  /** Set or clear interrupt i's pending bit; returns true when the bit changed. */
  setPending(i: number, on: boolean): boolean {
    const w = i >>> 5;
    const bit = 1 << (i & 31);
    const old = this.pending[w]!;
    const next = on ? old | bit : old & ~bit;
    if (next === old) return false;
    this.pending[w] = next;
    return true;
  }

  /** Whether interrupt i is pending. */
  isPending(i: number): boolean {
    return (this.pending[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** Number of interrupts in service (nesting depth). */
  get inServiceDepth(): number {
    return this.isIrq.length;
  }

  /** Highest priority among in-service interrupts, or -1 when none is in service. */
  highestInServicePriority(): number {
    let p = -1;
    const prio = this.isPrio;
    for (let k = 0; k < prio.length; k++) if (prio[k]! > p) p = prio[k]!;
    return p;
  }

  /** Put interrupt i in service at `priority`. */
  pushInService(i: number, priority: number): void {
    this.isIrq.push(i);
    this.isPrio.push(priority);
    this.inService[i] = 1;
  }

  /**
   * Retire the highest-priority in-service interrupt (the most recent one among equals) and
   * return its index, or -1 when nothing is in service.
   */
  retireHighest(): number {
    const prio = this.isPrio;
    if (prio.length === 0) return -1;
    let best = 0;
    for (let k = 1; k < prio.length; k++) if (prio[k]! >= prio[best]!) best = k;
    const irq = this.isIrq[best]!;
    this.isIrq.splice(best, 1);
    prio.splice(best, 1);
    this.inService[irq] = 0;
    return irq;
  }

  /** In-service interrupts, oldest first. */
  inServiceList(): { irq: number; priority: number }[] {
    return this.isIrq.map((irq, k) => ({ irq, priority: this.isPrio[k]! }));
  }

  /** Controller reset: latches, pending and in-service cleared; input pins keep their levels (they are wires). */
  reset(): void {
    this.latch.fill(0);
    this.pending.fill(0);
    this.inService.fill(0);
    this.isIrq.length = 0;
    this.isPrio.length = 0;
  }

  /** Plain data for a snapshot (pending bits are derived and not saved). */
  save(): IrqStateData {
    const inputsHigh: number[] = [];
    for (let i = 0; i < NUM_SOURCES; i++) if (this.input[i]) inputsHigh.push(i);
    const latched: number[] = [];
    for (let i = 0; i < NUM_IRQS; i++) if (this.latch[i]) latched.push(i);
    return { inputsHigh, latched, inService: this.inServiceList() };
  }

  /** Load a snapshot; the caller recomputes pending bits afterwards. */
  restore(d: IrqStateData): void {
    this.reset();
    this.input.fill(0);
    for (const i of d.inputsHigh) this.input[checkIndex(i, NUM_SOURCES, 'input')] = 1;
    for (const i of d.latched) this.latch[checkIndex(i, NUM_IRQS, 'latch')] = 1;
    for (const { irq, priority } of d.inService) {
      if (!(priority >= 0 && priority <= 15)) throw new RangeError(`MPIC snapshot: in-service priority ${priority} is outside 0..15`);
      this.pushInService(checkIndex(irq, NUM_IRQS, 'in-service'), priority);
    }
  }
}

function checkIndex(i: number, n: number, what: string): number {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`MPIC snapshot: ${what} index ${i} is outside 0..${n - 1}`);
  return i;
}
