/**
 * The eTSEC device: a 4 KiB register block dispatched from the declarative table, three interrupt
 * outputs (TX, RX, ER) derived in one place from IEVENT & IMASK, the TX and RX ring engines, TXIC/
 * RXIC coalescing, MDIO with its PHY, and a wire port a link attaches to; a single queue and group
 * (ring 0), no offloads, filer, 1588 timer, PAUSE or half duplex.
 */
import type { EventQueue } from '../../sim/events.js';
import type { TraceBus } from '../../sim/trace.js';
import type { BusMasterPort, MmioDevice } from '../bus.js';
import type { IrqLine } from '../irq.js';
import { DEFAULT_LINE_RATE_BPS, GOOD_FRAME, nsPerByte, type FrameInfo, type FrameSink, type WirePort } from '../net/wire.js';
import { BD_BIG_ENDIAN, BD_LITTLE_ENDIAN, type BdLayout } from './bd.js';
import { Coalescer, interfaceClockNs, type CoalescerState } from './coalesce.js';
import type { EngineHost, EtsecEngineCounter } from './host.js';
import * as Layout from './layout.js';
import { encodeStationAddress } from './mac.js';
import { DEFAULT_MDIO_CYCLE_NS, Mdio, type MdioState } from './mdio.js';
import { DEFAULT_PHY_ID, Phy, type PhyState } from './phy.js';
import { ETSEC_REGISTERS, RBPTR_SLOTS, SLOT, TBPTR_SLOTS, type EtsecReadHook, type EtsecRegisterDef, type EtsecRegisterTable, type EtsecWriteHook } from './registers.js';
import { RxEngine, type RxState } from './rx.js';
import { TxEngine, type TxState } from './tx.js';

/** Plain copy of the layout constants: property loads, not module getters (vitest, tsx). */
const L = { ...Layout };
const S_IEVENT = SLOT.IEVENT;
const S_IMASK = SLOT.IMASK;
const S_DMACTRL = SLOT.DMACTRL;
const S_MACCFG1 = SLOT.MACCFG1;
const S_TXIC = SLOT.TXIC;
const S_RXIC = SLOT.RXIC;
const S_MIIMCOM = SLOT.MIIMCOM;
const S_MIIMADD = SLOT.MIIMADD;
const S_MIIMSTAT = SLOT.MIIMSTAT;
const TX_LINE = L.IEVENT_TX_MASK;
const RX_LINE = L.IEVENT_RX_MASK;
const ER_LINE = L.IEVENT_ER_LINE;
const IEVENT_TXF = L.IEVENT_TXF;
const IEVENT_RXF0 = L.IEVENT_RXF0;
const LOOPBACK = L.MACCFG1_LOOPBACK;
const DMACTRL_LE = L.DMACTRL_LE;
const BE = BD_BIG_ENDIAN;
const LE = BD_LITTLE_ENDIAN;

/** The device's ports and options. */
export interface EtsecOptions {
  /** Instance name for traces ("etsec0"). */
  readonly name: string;
  /** The DMA port the board made for it (`bus.master(name, { snoop })`: snooping follows the board's coherence). */
  readonly busMaster: BusMasterPort;
  /** The three interrupt outputs in device-tree order: TX, RX, ER. */
  readonly irqs: { readonly tx: IrqLine; readonly rx: IrqLine; readonly err: IrqLine };
  /** The clock the device runs on. */
  readonly events: EventQueue;
  /** Trace sink. */
  readonly trace?: TraceBus;
  /** Address firmware left in MACSTNADDR1/2 at power-on (as U-Boot would); none: zeros. */
  readonly mac?: Uint8Array;
  /** Line rate in bit/s (default 1 Gbit/s). */
  readonly lineRateBps?: number;
  /** MDIO address of the PHY (default 1). */
  readonly phyAddress?: number;
  /** PHYSID1 << 16 | PHYSID2 (default a Marvell 88E1111-style ID). */
  readonly phyId?: number;
  /** Length of one MDIO cycle in ns (default 25.6 µs; 0 makes MDIO instant). */
  readonly mdioCycleNs?: number;
  /** Delay from a TX kick to the first descriptor fetch (default 0: the next time the clock moves). */
  readonly dmaLatencyNs?: number;
  /** Poll period of the TX engine when DMACTRL.WOP is clear (default 4096 ns). */
  readonly txPollNs?: number;
  /**
   * Store the real FCS after each received frame (default true). False saves the CRC's cost on
   * big floods: the 4 FCS bytes are then zeros (ones for a frame with a bad FCS); CRCERR and the
   * lengths are the same either way.
   */
  readonly computeFcs?: boolean;
}

/** Model events counted beside RMON, plus accesses the hardware ignores. */
export type EtsecCounters = Record<EtsecEngineCounter | 'unimplemented' | 'badSize' | 'readOnlyWrites' | 'wireTxLost', number>;

/** Plain-data snapshot of the device. */
export interface EtsecState {
  readonly version: 1;
  /** Stored value of every register by name. */
  readonly registers: Record<string, number>;
  readonly tx: TxState;
  readonly rx: RxState;
  readonly txic: CoalescerState;
  readonly rxic: CoalescerState;
  readonly phy: PhyState;
  readonly mdio: MdioState;
  readonly counters: EtsecCounters;
}

const newCounters = (): EtsecCounters => ({
  txFrames: 0, txHalts: 0, txPolls: 0, txMidFrameHalts: 0, txAborted: 0, busErrors: 0,
  rxFrames: 0, rxBusy: 0, rxHaltedDrops: 0, rxFiltered: 0, rxStoppedDrops: 0, rxDisabledDrops: 0, rxOverruns: 0, rxCutFrames: 0, rxNoBufferSize: 0,
  unimplemented: 0, badSize: 0, readOnlyWrites: 0, wireTxLost: 0,
});

/** The wire side of an eTSEC: what a link attaches to. */
export class EtsecPort implements WirePort {
  /** Where transmitted frames go (set by a link). */
  sink: FrameSink | null = null;
  constructor(private readonly dev: Etsec) {}
  get name(): string {
    return this.dev.name;
  }
  get events(): EventQueue {
    return this.dev.events;
  }
  get lineRateBps(): number {
    return this.dev.lineRateBps;
  }
  receiveFrame(bytes: Uint8Array, info: FrameInfo = GOOD_FRAME, length: number = bytes.length): void {
    this.dev.receiveFromWire(bytes, info, length);
  }
  connect(sink: FrameSink | null): void {
    this.sink = sink;
  }
  setCarrier(up: boolean): void {
    this.dev.phy.setCarrier(up);
  }
}

/** The eTSEC. Map it at its CCSR offset with size `ETSEC_WINDOW_SIZE` (4 KiB). */
export class Etsec implements MmioDevice, EngineHost {
  readonly name: string;
  readonly events: EventQueue;
  readonly bus: BusMasterPort;
  readonly lineRateBps: number;
  readonly nsPerByte: number;
  readonly dmaLatencyNs: number;
  readonly txPollNs: number;
  readonly computeFcs: boolean;
  /** The register table (reset values, fields, names). */
  readonly registers: EtsecRegisterTable = ETSEC_REGISTERS;
  /** The register file, by table slot. */
  readonly regs: Uint32Array;
  /** The wire port. */
  readonly port: EtsecPort;
  /** The PHY on this device's MDIO bus. */
  readonly phy: Phy;
  readonly counters: EtsecCounters = newCounters();
  private readonly irqs: EtsecOptions['irqs'];
  private readonly traceBus: TraceBus | undefined;
  private readonly mdio: Mdio;
  private readonly tx: TxEngine;
  private readonly rx: RxEngine;
  private readonly txic: Coalescer;
  private readonly rxic: Coalescer;
  private readonly powerOnMac: Uint8Array | undefined;
  private lineTx = false;
  private lineRx = false;
  private lineEr = false;

  constructor(opts: EtsecOptions) {
    this.name = opts.name;
    this.events = opts.events;
    this.bus = opts.busMaster;
    this.irqs = opts.irqs;
    this.traceBus = opts.trace;
    this.lineRateBps = opts.lineRateBps ?? DEFAULT_LINE_RATE_BPS;
    if (!(this.lineRateBps > 0)) throw new RangeError(`${this.name}: lineRateBps must be positive, got ${this.lineRateBps}`);
    this.nsPerByte = nsPerByte(this.lineRateBps);
    this.dmaLatencyNs = opts.dmaLatencyNs ?? 0;
    this.txPollNs = opts.txPollNs ?? 4096;
    this.computeFcs = opts.computeFcs ?? true;
    if (opts.mac !== undefined && opts.mac.length !== 6) throw new RangeError(`${this.name}: mac must be 6 bytes, got ${opts.mac.length}`);
    this.powerOnMac = opts.mac;
    this.regs = new Uint32Array(this.registers.table.slots);
    this.phy = new Phy(opts.phyAddress ?? 1, opts.phyId ?? DEFAULT_PHY_ID, this.lineRateBps);
    this.mdio = new Mdio(this.events, this.phy, opts.mdioCycleNs ?? DEFAULT_MDIO_CYCLE_NS);
    this.port = new EtsecPort(this);
    this.tx = new TxEngine(this);
    this.rx = new RxEngine(this);
    const tick = interfaceClockNs(this.lineRateBps);
    this.txic = new Coalescer(this.events, `${this.name} txic`, () => this.regs[S_TXIC]!, tick, () => this.raise(IEVENT_TXF));
    this.rxic = new Coalescer(this.events, `${this.name} rxic`, () => this.regs[S_RXIC]!, tick, () => this.raise(IEVENT_RXF0));
    for (const l of [this.irqs.tx, this.irqs.rx, this.irqs.err]) l.set(false);
    this.reset();
  }

  // ---- MMIO --------------------------------------------------------------------------------------

  /** Register read; unimplemented offsets and 8/16-bit accesses read 0 and are counted. */
  read(offset: number, size: 1 | 2 | 4): number {
    const d = this.registers.lookup(offset);
    if (d === undefined || size !== 4) {
      this.ignored('read', offset, size);
      return 0;
    }
    const t = d.target;
    let v = this.regs[t.slot]! & t.readMask;
    if (t.onRead !== undefined) v = this.readHook(t.onRead, v);
    v >>>= 0;
    if (this.traceBus?.enabled) this.trace('etsec.read', { reg: d.name, offset, value: v });
    return v;
  }

  /** Register write; unimplemented offsets, 8/16-bit accesses and read-only registers are ignored and counted. */
  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const d = this.registers.lookup(offset);
    if (d === undefined || size !== 4) {
      this.ignored('write', offset, size);
      return;
    }
    const t = d.target;
    const w1c = this.registers.w1cMask[t.slot]!;
    if (t.storeMask === 0 && w1c === 0 && t.onWrite === undefined) {
      this.ignored('write', offset, size, true);
      return;
    }
    value >>>= 0;
    if (this.traceBus?.enabled) this.trace('etsec.write', { reg: d.name, offset, value });
    const old = this.regs[t.slot]!;
    this.regs[t.slot] = ((old & ~t.storeMask) | (value & t.storeMask)) & ~(value & w1c);
    if (t.onWrite !== undefined) this.writeHook(t, old, value);
  }

  // ---- control -----------------------------------------------------------------------------------

  /** Power-on reset: registers from the table (station address from `mac`), engines idle, lines low. */
  reset(): void {
    this.tx.abort();
    this.rx.abort();
    this.txic.reset();
    this.rxic.reset();
    this.mdio.reset();
    this.phy.reset();
    this.registers.table.resetInto(this.regs);
    if (this.powerOnMac) {
      const [a1, a2] = encodeStationAddress(this.powerOnMac);
      this.regs[SLOT.MACSTNADDR1] = a1;
      this.regs[SLOT.MACSTNADDR2] = a2;
    }
    this.updateIrq();
  }

  /** The interrupt output levels (TX, RX, ER) as last derived. */
  get irqLevels(): { tx: boolean; rx: boolean; err: boolean } {
    return { tx: this.lineTx, rx: this.lineRx, err: this.lineEr };
  }

  /** Whether the TX engine has a frame on the wire, and whether RX is storing one. */
  get activity(): { txBusy: boolean; rxBusy: boolean } {
    return { txBusy: this.tx.busy, rxBusy: this.rx.busy };
  }

  /**
   * Snoop attributes as software set them (DMACTRL.TDSEN/TBDSEN, ATTR.RDSEN/RBDSEN) beside what the
   * bus does: `port` is the board's choice for this master. The bits are recorded only: on a
   * non-coherent board nothing snoops whatever they say, on a coherent one everything does.
   */
  get snooping(): { port: boolean; txData: boolean; txBd: boolean; rxData: boolean; rxBd: boolean } {
    const d = this.regs[S_DMACTRL]!;
    const a = this.regs[SLOT.ATTR]!;
    return { port: this.bus.snoop, txData: (d & L.DMACTRL_TDSEN) !== 0, txBd: (d & L.DMACTRL_TBDSEN) !== 0, rxData: (a & L.ATTR_RDSEN) !== 0, rxBd: (a & L.ATTR_RBDSEN) !== 0 };
  }

  /** Frames held by coalescing, not yet signalled. */
  get coalesced(): { tx: number; rx: number } {
    return { tx: this.txic.pending, rx: this.rxic.pending };
  }

  /** Plain-data snapshot (pending DMA and timers relative to now). */
  save(): EtsecState {
    const registers: Record<string, number> = {};
    for (const d of this.registers.table.storage()) registers[d.name] = this.regs[d.slot]!;
    return {
      version: 1, registers, tx: this.tx.save(), rx: this.rx.save(), txic: this.txic.save(), rxic: this.rxic.save(),
      phy: this.phy.save(), mdio: this.mdio.save(), counters: { ...this.counters },
    };
  }

  /** Load a {@link save} snapshot; events are re-armed on this device's clock and the lines re-derived. */
  restore(s: EtsecState): void {
    if (s.version !== 1) throw new RangeError(`${this.name} snapshot: unsupported version ${String(s.version)}`);
    const regs = new Uint32Array(this.regs.length);
    const seen = new Set<string>();
    for (const [name, value] of Object.entries(s.registers)) {
      const d = this.registers.table.has(name) ? this.registers.named(name) : undefined;
      if (d === undefined || d.target !== d) throw new RangeError(`${this.name} snapshot: unknown register ${name}`);
      regs[d.slot] = value >>> 0;
      seen.add(name);
    }
    for (const d of this.registers.table.storage()) if (!seen.has(d.name)) throw new RangeError(`${this.name} snapshot: register ${d.name} is missing`);
    this.tx.abort();
    this.rx.abort();
    this.regs.set(regs);
    this.tx.restore(s.tx);
    this.rx.restore(s.rx);
    this.txic.restore(s.txic);
    this.rxic.restore(s.rxic);
    this.phy.restore(s.phy);
    this.mdio.restore(s.mdio, this.regs[S_MIIMSTAT]!);
    Object.assign(this.counters, s.counters);
    this.updateIrq();
  }

  // ---- EngineHost --------------------------------------------------------------------------------

  /** @internal */
  bdLayout(): BdLayout {
    return this.regs[S_DMACTRL]! & DMACTRL_LE ? LE : BE;
  }

  /** @internal Set IEVENT bits and re-derive the lines. */
  raise(bits: number): void {
    this.regs[S_IEVENT] = (this.regs[S_IEVENT]! | bits) >>> 0;
    this.updateIrq();
  }

  /** @internal */
  txFrameEvent(): void {
    this.txic.frame();
  }

  /** @internal */
  rxFrameEvent(): void {
    this.rxic.frame();
  }

  /** @internal A frame leaves the MAC: looped back, or onto the wire when there is a carrier. */
  transmit(bytes: Uint8Array, length: number, info: FrameInfo): void {
    if (this.regs[S_MACCFG1]! & LOOPBACK) {
      this.rx.receive(bytes, info, length);
      return;
    }
    const sink = this.port.sink;
    if (sink === null || !this.phy.linkUp) {
      this.counters.wireTxLost++;
      return;
    }
    sink.receiveFrame(bytes, info, length);
  }

  /** @internal */
  count(what: EtsecEngineCounter): void {
    this.counters[what]++;
  }

  /** @internal */
  get tracing(): boolean {
    return this.traceBus?.enabled === true;
  }

  /** @internal */
  trace(name: string, data: unknown): void {
    this.traceBus?.emit({ kind: 'custom', t: this.events.now, name, data: { dev: this.name, ...(data as object) } });
  }

  /** @internal The port hands a frame from the wire (loopback mode ignores the wire). */
  receiveFromWire(bytes: Uint8Array, info: FrameInfo, length: number): void {
    if (this.regs[S_MACCFG1]! & LOOPBACK) return;
    this.rx.receive(bytes, info, length);
  }

  // ---- hooks -------------------------------------------------------------------------------------

  private readHook(hook: EtsecReadHook, v: number): number {
    switch (hook) {
      case 'maccfg1': {
        const m = this.regs[S_MACCFG1]!;
        if (m & L.MACCFG1_SOFT_RESET) return v;
        return v | (m & L.MACCFG1_RX_EN ? L.MACCFG1_SYNCD_RX_EN : 0) | (m & L.MACCFG1_TX_EN ? L.MACCFG1_SYNCD_TX_EN : 0);
      }
      case 'miimind':
        return this.mdio.indicators(this.regs[S_MIIMCOM]!);
      case 'miimstat':
        return (this.regs[S_MIIMSTAT] = this.mdio.status(this.regs[S_MIIMCOM]!, this.regs[S_MIIMADD]!));
    }
  }

  private writeHook(d: EtsecRegisterDef, old: number, value: number): void {
    const hook = d.onWrite as EtsecWriteHook;
    const now = this.regs[d.slot]!;
    switch (hook) {
      case 'irq':
        this.updateIrq();
        return;
      case 'dmactrl':
        if ((now & ~old) & L.DMACTRL_GTS) this.tx.gracefulStop();
        if ((now & ~old) & L.DMACTRL_GRS) this.rx.gracefulStop();
        if ((old & ~now) & L.DMACTRL_GTS) this.tx.kick();
        return;
      case 'tstat':
        if (value & L.TSTAT_THLT0) this.tx.kick();
        return;
      case 'rstat':
        return; // QHLT cleared: the next frame is accepted
      case 'tbase':
        this.regs[TBPTR_SLOTS[d.unit]!] = now;
        return;
      case 'rbase':
        this.regs[RBPTR_SLOTS[d.unit]!] = now;
        return;
      case 'tbptr':
      case 'rbptr':
        return;
      case 'txic':
        this.txic.reconfigured();
        return;
      case 'rxic':
        this.rxic.reconfigured();
        return;
      case 'tqueue':
        this.tx.kick();
        return;
      case 'rqueue':
        return;
      case 'maccfg1':
        if ((now & ~old) & L.MACCFG1_SOFT_RESET) {
          this.tx.abort();
          this.rx.abort();
          if (this.tracing) this.trace('etsec.soft-reset', {});
        }
        this.tx.kick();
        return;
      case 'maccfg2':
        return;
      case 'miimcfg':
        if (now & L.MIIMCFG_RESET_MGMT) this.mdio.resetManagement();
        return;
      case 'miimcom':
        this.mdio.command(old, now, this.regs[S_MIIMADD]!);
        return;
      case 'miimcon':
        this.mdio.control(value, this.regs[S_MIIMADD]!);
        return;
    }
  }

  /** The one place the three lines are derived: IEVENT & IMASK, grouped as gianfar groups them. */
  private updateIrq(): void {
    const pending = this.regs[S_IEVENT]! & this.regs[S_IMASK]!;
    const tx = (pending & TX_LINE) !== 0;
    const rx = (pending & RX_LINE) !== 0;
    const er = (pending & ER_LINE) !== 0;
    if (tx !== this.lineTx) {
      this.lineTx = tx;
      this.irqs.tx.set(tx);
    }
    if (rx !== this.lineRx) {
      this.lineRx = rx;
      this.irqs.rx.set(rx);
    }
    if (er !== this.lineEr) {
      this.lineEr = er;
      this.irqs.err.set(er);
    }
  }

  private ignored(op: 'read' | 'write', offset: number, size: number, readOnly = false): void {
    const reason = readOnly ? 'read-only' : size !== 4 && this.registers.lookup(offset - (offset & 3)) !== undefined ? 'size' : 'unimplemented';
    if (reason === 'unimplemented') this.counters.unimplemented++;
    else if (reason === 'size') this.counters.badSize++;
    else this.counters.readOnlyWrites++;
    if (this.traceBus?.enabled) this.trace('etsec.ignored', { op, offset, size, reason });
  }
}
