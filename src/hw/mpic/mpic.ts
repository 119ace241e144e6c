/**
 * The Freescale MPIC (OpenPIC) of an MPC85xx/P1020/P2020 with one e500 core: register dispatch
 * from the declarative table, source sensing, priority delivery to CPU 0's INT with nesting,
 * IACK/EOI, IPIs and global timers; not modelled are other CPUs, MSI banks, message registers,
 * critical/machine-check routing and coreint (external proxy) delivery.
 */
import type { EventQueue } from '../../sim/events.js';
import type { TraceBus } from '../../sim/trace.js';
import type { MmioDevice } from '../bus.js';
import type { IrqLine } from '../irq.js';
import { priorityOf, selectDeliverable, type DeliveryMap } from './delivery.js';
import {
  DEFAULT_TIMER_HZ, GCR_MODE_MASK as GCR_MODE_MASK_, GCR_MODE_SHIFT as GCR_MODE_SHIFT_, GCR_RST, IPI_BASE,
  MODE_PASS_THROUGH as MODE_PASS_THROUGH_, MODE_PROXY, NUM_IRQS, NUM_SOURCES as NUM_SOURCES_, VPR_A as VPR_A_,
  VPR_POLARITY as VPR_POLARITY_, VPR_SENSE as VPR_SENSE_, DEST_P0, TIMER_BASE, VPR_MSK,
} from './layout.js';
import { buildMpicRegisters, type MpicReadHook, type MpicRegisterTable, type MpicWriteHook } from './registers.js';
import type { RegisterDef } from './regtable.js';
import { IrqState, type IrqStateData } from './state.js';
import { GlobalTimers, type TimerData } from './timers.js';

// Module-local copies of constants used on the interrupt path (imported bindings are getters under vitest).
const NUM_SOURCES = NUM_SOURCES_;
const VPR_SENSE = VPR_SENSE_;
const VPR_POLARITY = VPR_POLARITY_;
const VPR_A = VPR_A_;
const GCR_MODE_MASK = GCR_MODE_MASK_;
const GCR_MODE_SHIFT = GCR_MODE_SHIFT_;
const MODE_PASS_THROUGH = MODE_PASS_THROUGH_;

type Def = RegisterDef<MpicReadHook, MpicWriteHook>;

/** Ports and options of the controller. */
export interface MpicOptions {
  /** The core's external interrupt input (INT). */
  readonly cpuInt: IrqLine;
  /** Simulated time, for the global timers. */
  readonly events: EventQueue;
  /** Trace sink (register names, ignored accesses, INT changes). */
  readonly trace?: TraceBus;
  /** Vector field width: 11 (FSL large vectors, default) or 8 (classic OpenPIC). */
  readonly vectorBits?: 8 | 11;
  /** Timer clock in Hz, loaded into TIMER_FREQ at reset (default 50 MHz). */
  readonly timerFrequencyHz?: number;
}

/** Accesses that did nothing on the bus but were recorded (hardware does not fault on them). */
export interface MpicCounters {
  /** Reads or writes at offsets with no register. */
  unimplemented: number;
  /** 8- or 16-bit accesses to the 32-bit-only registers. */
  badSize: number;
  /** Writes to read-only registers. */
  readOnlyWrites: number;
  /** IACK reads that returned the spurious vector. */
  spuriousAcks: number;
  /** EOI writes with nothing in service. */
  strayEois: number;
}

/** A source's configuration and state as `/proc/interrupts`-like views and tests want them. */
export interface MpicSourceConfig {
  readonly masked: boolean;
  readonly sense: 'level' | 'edge';
  /** For level sources the active level; for edge sources 'high' = rising, 'low' = falling. */
  readonly polarity: 'high' | 'low';
  readonly priority: number;
  readonly vector: number;
  /** Destination CPU bitmask. */
  readonly destination: number;
  readonly pending: boolean;
  readonly inService: boolean;
  /** Electrical level of the input pin. */
  readonly input: 'high' | 'low';
}

/** Plain-data snapshot of the controller. */
export interface MpicState {
  readonly version: 1;
  readonly vectorBits: 8 | 11;
  /** Stored value of every register by name (aliases excluded). */
  readonly registers: Record<string, number>;
  readonly irq: IrqStateData;
  readonly timers: TimerData[];
  readonly counters: MpicCounters;
}

/** The MPIC. The board maps it at CCSR+0x40000 with size 0x40000 (`MPIC_WINDOW_SIZE`); offsets here are relative to that base. */
export class Mpic implements MmioDevice {
  readonly name = 'mpic';
  /** The register table this instance was built from (reset values, names, fields). */
  readonly registers: MpicRegisterTable;
  /** Recorded no-op accesses and protocol oddities. */
  readonly counters: MpicCounters = { unimplemented: 0, badSize: 0, readOnlyWrites: 0, spuriousAcks: 0, strayEois: 0 };
  /** Vector field width. */
  readonly vectorBits: 8 | 11;

  private readonly regs: Uint32Array;
  private readonly st = new IrqState();
  private readonly map: DeliveryMap;
  private readonly timers: GlobalTimers;
  private readonly cpuInt: IrqLine;
  private readonly events: EventQueue;
  private readonly trace: TraceBus | undefined;
  private readonly vectorMask: number;
  private readonly slot: { gcr: number; ctpr: number; svr: number; tfrr: number; gtbcr: Int32Array };
  private readonly lines: (IrqLine | undefined)[] = new Array<IrqLine | undefined>(NUM_SOURCES);
  private out = false;
  private proxyNoted = false;

  constructor(opts: MpicOptions) {
    const vectorBits = opts.vectorBits ?? 11;
    if (vectorBits !== 8 && vectorBits !== 11) throw new RangeError(`MPIC: vectorBits must be 8 or 11, got ${String(vectorBits)}`);
    const hz = opts.timerFrequencyHz ?? DEFAULT_TIMER_HZ;
    if (!Number.isInteger(hz) || hz < 0 || hz > 0xffff_ffff) throw new RangeError(`MPIC: timerFrequencyHz must be an integer in 0..4294967295, got ${hz}`);
    this.vectorBits = vectorBits;
    this.vectorMask = (1 << vectorBits) - 1;
    this.cpuInt = opts.cpuInt;
    this.events = opts.events;
    this.trace = opts.trace;
    this.registers = buildMpicRegisters({ vectorBits, timerFrequencyHz: hz });
    this.regs = new Uint32Array(this.registers.slots);
    const vprSlot = new Int32Array(NUM_IRQS).fill(-1);
    const destSlot = new Int32Array(NUM_IRQS).fill(-1);
    const gtbcr = new Int32Array(8);
    for (const d of this.registers.storage()) {
      if (d.onWrite === 'vpr') vprSlot[d.unit] = d.slot;
      else if (d.onWrite === 'destination') destSlot[d.unit] = d.slot;
      else if (d.onWrite === 'timerBase') gtbcr[d.unit] = d.slot;
    }
    this.map = { vprSlot, destSlot };
    const r = this.registers;
    this.slot = { gcr: r.named('GLOBAL_CONF0').slot, ctpr: r.named('CPU0_CTPR').slot, svr: r.named('SPURIOUS').slot, tfrr: r.named('TIMER_FREQ').slot, gtbcr };
    this.timers = new GlobalTimers({
      events: this.events,
      frequencyHz: () => this.regs[this.slot.tfrr]!,
      baseRegister: (t) => this.regs[this.slot.gtbcr[t]!]!,
      expired: (t) => this.latch(TIMER_BASE + t),
    });
    this.cpuInt.set(false);
    this.reset();
  }

  // ---- ports -------------------------------------------------------------------------------------

  /**
   * The input pin of source `source` (external IRQ k = source k, internal n = 16 + n). `set(true)`
   * drives the pin high. Internal sources are active-high, so a device's "asserted" is high; wire an
   * active-low device output through {@link activeLowPin}. The same object is returned every time.
   */
  input(source: number): IrqLine {
    checkSource(source);
    let line = this.lines[source];
    if (!line) {
      line = { set: (high: boolean) => this.setInput(source, high) };
      this.lines[source] = line;
    }
    return line;
  }

  /** Current level of the INT output to the core. */
  get intAsserted(): boolean {
    return this.out;
  }

  // ---- MMIO --------------------------------------------------------------------------------------

  /** Register read; unimplemented offsets and non-32-bit sizes read 0 and are counted. */
  read(offset: number, size: 1 | 2 | 4): number {
    const d = this.registers.lookup(offset);
    if (d === undefined || size !== 4) {
      this.ignored('read', offset, size);
      return 0;
    }
    const t = d.target;
    let v = this.regs[t.slot]! & t.readMask;
    if (t.onRead !== undefined) v = this.readHooks[t.onRead](t, v);
    v >>>= 0;
    if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.read', data: { reg: d.name, offset, value: v } });
    return v;
  }

  /** Register write; unimplemented offsets, non-32-bit sizes and read-only registers are ignored and counted. */
  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const d = this.registers.lookup(offset);
    if (d === undefined || size !== 4) {
      this.ignored('write', offset, size);
      return;
    }
    const t = d.target;
    if (t.access === 'ro') {
      this.ignored('write', offset, size, true);
      return;
    }
    value >>>= 0;
    if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.write', data: { reg: d.name, offset, value } });
    const old = this.regs[t.slot]!;
    this.regs[t.slot] = (old & ~t.storeMask) | (value & t.storeMask);
    if (t.onWrite !== undefined) this.writeHooks[t.onWrite](t, old, value);
  }

  // ---- control -----------------------------------------------------------------------------------

  /** Reset every register to its table value, drop pending/in-service state, stop timers. Input pins keep their levels. */
  reset(): void {
    this.registers.resetInto(this.regs);
    this.st.reset();
    this.timers.reset();
    this.proxyNoted = false;
    this.recomputeAllPending();
    if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.reset', data: null });
    this.updateOutput();
  }

  /** Configuration and state of source `n`. */
  sourceConfig(n: number): MpicSourceConfig {
    checkSource(n);
    const vpr = this.regs[this.map.vprSlot[n]!]!;
    return {
      masked: (vpr & VPR_MSK) !== 0,
      sense: vpr & VPR_SENSE ? 'level' : 'edge',
      polarity: vpr & VPR_POLARITY ? 'high' : 'low',
      priority: priorityOf(vpr),
      vector: vpr & this.vectorMask,
      destination: this.regs[this.map.destSlot[n]!]!,
      pending: this.st.isPending(n),
      inService: this.st.inService[n] === 1,
      input: this.st.input[n] ? 'high' : 'low',
    };
  }

  /** In-service interrupts (flat index: sources 0-255, IPIs 256-259, timers 260-267), oldest first. */
  inService(): { irq: number; priority: number }[] {
    return this.st.inServiceList();
  }

  /** Plain-data snapshot. */
  save(): MpicState {
    const registers: Record<string, number> = {};
    for (const d of this.registers.storage()) registers[d.name] = this.regs[d.slot]!;
    return { version: 1, vectorBits: this.vectorBits, registers, irq: this.st.save(), timers: this.timers.save(), counters: { ...this.counters } };
  }

  /** Restore a {@link save} snapshot; pending bits and the INT level are recomputed, timers re-armed. */
  restore(s: MpicState): void {
    if (s.version !== 1) throw new RangeError(`MPIC snapshot: unsupported version ${String(s.version)}`);
    if (s.vectorBits !== this.vectorBits) throw new RangeError(`MPIC snapshot: taken with ${s.vectorBits}-bit vectors, this controller has ${this.vectorBits}`);
    const regs = new Uint32Array(this.regs.length);
    const seen = new Set<string>();
    for (const [name, value] of Object.entries(s.registers)) {
      const d = this.registers.has(name) ? this.registers.named(name) : undefined;
      if (d === undefined || d.target !== d) throw new RangeError(`MPIC snapshot: unknown register ${name}`);
      regs[d.slot] = value;
      seen.add(name);
    }
    for (const d of this.registers.storage()) if (!seen.has(d.name)) throw new RangeError(`MPIC snapshot: register ${d.name} is missing`);
    this.regs.set(regs);
    this.st.restore(s.irq);
    this.timers.restore(s.timers);
    Object.assign(this.counters, s.counters);
    this.proxyNoted = false;
    this.recomputeAllPending();
    this.updateOutput();
  }

  // ---- hooks -------------------------------------------------------------------------------------

  private readonly readHooks: Record<MpicReadHook, (d: Def, stored: number) => number> = {
    activity: (d, v) => (this.st.isPending(d.unit) || this.st.inService[d.unit] ? v | VPR_A : v),
    timerCount: (d) => this.timers.currentRegister(d.unit),
    iack: () => this.acknowledge(),
  };

  private readonly writeHooks: Record<MpicWriteHook, (d: Def, old: number, value: number) => void> = {
    gconf0: (_d, _old, value) => {
      if (value & GCR_RST) {
        this.reset(); // RST self-clears: the reset completes before the next access
        return;
      }
      if (this.mode() === MODE_PROXY && !this.proxyNoted) {
        this.proxyNoted = true;
        this.note('external proxy (coreint) mode is not modelled; delivery works as in mixed mode, take vectors from IACK');
      }
      this.updateOutput();
    },
    processorInit: (_d, _old, value) => {
      if (value & 1) this.note('PROCESSOR_INIT P0 set: core reset is not modelled');
    },
    vpr: (d, old) => {
      const i = d.unit;
      if (i < NUM_SOURCES) {
        const now = this.regs[d.slot]!;
        if ((old ^ now) & VPR_SENSE) this.st.latch[i] = 0; // a latched edge does not survive a sense change
        this.recomputeSource(i);
      }
      this.updateOutput();
    },
    destination: () => this.updateOutput(),
    ctpr: () => this.updateOutput(),
    timerFreq: (_d, old) => this.timers.frequencyChanged(old),
    timerBase: (d, old) => this.timers.baseWritten(d.unit, old, this.regs[d.slot]!),
    ipiDispatch: (d, _old, value) => {
      if (value & DEST_P0) this.latch(IPI_BASE + d.unit);
    },
    eoi: () => {
      const irq = this.st.retireHighest();
      if (irq < 0) this.counters.strayEois++;
      if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.eoi', data: { irq } });
      this.updateOutput();
    },
  };

  // ---- mechanism ---------------------------------------------------------------------------------

  /** A source pin changed level: latch an active edge, or follow the level. */
  private setInput(n: number, high: boolean): void {
    const v = high ? 1 : 0;
    const st = this.st;
    if (st.input[n] === v) return;
    st.input[n] = v;
    const vpr = this.regs[this.map.vprSlot[n]!]!;
    const active = vpr & VPR_POLARITY ? 1 : 0;
    let changed = false;
    if (vpr & VPR_SENSE) {
      changed = st.setPending(n, v === active);
    } else if (v === active) {
      st.latch[n] = 1;
      changed = st.setPending(n, true);
    }
    if (changed || n === 0) this.updateOutput(); // IRQ0 also feeds INT directly in pass-through mode
  }

  /** Latch an edge-type event (IPI dispatch, timer expiry) for interrupt i. */
  private latch(i: number): void {
    this.st.latch[i] = 1;
    if (this.st.setPending(i, true)) this.updateOutput();
  }

  /** Derive source n's pending bit from its sense: the input level for level sources, the latch for edge. */
  private recomputeSource(n: number): void {
    const vpr = this.regs[this.map.vprSlot[n]!]!;
    const on = vpr & VPR_SENSE ? this.st.input[n] === (vpr & VPR_POLARITY ? 1 : 0) : this.st.latch[n] === 1;
    this.st.setPending(n, on);
  }

  private recomputeAllPending(): void {
    for (let n = 0; n < NUM_SOURCES; n++) this.recomputeSource(n);
    for (let i = NUM_SOURCES; i < NUM_IRQS; i++) this.st.setPending(i, this.st.latch[i] === 1);
  }

  private mode(): number {
    return (this.regs[this.slot.gcr]! & GCR_MODE_MASK) >>> GCR_MODE_SHIFT;
  }

  private threshold(): number {
    const ctpr = this.regs[this.slot.ctpr]! & 0xf;
    const isp = this.st.highestInServicePriority();
    return isp > ctpr ? isp : ctpr;
  }

  /** The one place INT is derived: pass-through follows IRQ0, otherwise "is something deliverable". */
  private updateOutput(): void {
    const level = this.mode() === MODE_PASS_THROUGH ? this.st.input[0] === 1 : selectDeliverable(this.st, this.regs, this.map, this.threshold()) >= 0;
    if (level === this.out) return;
    this.out = level;
    if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.int', data: { asserted: level } });
    this.cpuInt.set(level);
  }

  /** IACK: hand the winning interrupt's vector to the CPU and put it in service, or return the spurious vector. */
  private acknowledge(): number {
    const i = this.mode() === MODE_PASS_THROUGH ? -1 : selectDeliverable(this.st, this.regs, this.map, this.threshold());
    if (i < 0) {
      this.counters.spuriousAcks++;
      const spurious = this.regs[this.slot.svr]! & this.vectorMask;
      if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.iack', data: { irq: -1, vector: spurious } });
      return spurious;
    }
    const vpr = this.regs[this.map.vprSlot[i]!]!;
    const isLevelSource = i < NUM_SOURCES && (vpr & VPR_SENSE) !== 0;
    if (!isLevelSource) {
      this.st.latch[i] = 0; // the edge is consumed; a new edge may latch while in service
      this.st.setPending(i, false);
    }
    this.st.pushInService(i, priorityOf(vpr));
    const vector = vpr & this.vectorMask;
    if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.iack', data: { irq: i, vector } });
    this.updateOutput();
    return vector;
  }

  /** Record an access the hardware drops: read-only target, a sub-word access inside a register, or no register at all. */
  private ignored(op: 'read' | 'write', offset: number, size: number, readOnly = false): void {
    const reason = readOnly ? 'read-only' : size !== 4 && this.registers.lookup(offset - (offset & 3)) !== undefined ? 'size' : 'unimplemented';
    if (reason === 'unimplemented') this.counters.unimplemented++;
    else if (reason === 'size') this.counters.badSize++;
    else this.counters.readOnlyWrites++;
    if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.ignored', data: { op, offset, size, reason } });
  }

  private note(text: string): void {
    if (this.trace?.enabled) this.trace.emit({ kind: 'custom', t: this.events.now, name: 'mpic.note', data: { text } });
  }
}

function checkSource(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n >= NUM_SOURCES) {
    throw new RangeError(`MPIC: source ${n} does not exist (sources are 0..${NUM_SOURCES - 1}: external IRQ k = k, internal n = 16 + n)`);
  }
}
