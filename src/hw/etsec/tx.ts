/**
 * The transmit ring engine for ring 0: walks TxBDs from TBPTR0 as a bus master at the moment it
 * reaches each one, gathers a frame across BDs until LAST, puts it on the wire for its wire time,
 * then closes the BDs (READY cleared) and raises TXB/TXF; halts (THLT) at a BD without READY, or
 * polls when DMACTRL.WOP is clear. Not modelled: rings 1-7 and their scheduling, checksum and VLAN
 * insertion from the FCB (the FCB is skipped), collisions, FIFO underrun.
 */
import type { SimEvent } from '../../sim/events.js';
import { BusError } from '../errors.js';
import { crc32 as crc32_ } from '../net/crc32.js';
import { BAD_CRC_FRAME, GOOD_FRAME, IFG_BYTES, PREAMBLE_BYTES } from '../net/wire.js';
import { BdAccess } from './bd.js';
import type { EngineHost } from './host.js';
import * as L from './layout.js';
import { SLOT } from './registers.js';
import { countTx as countTx_, countTxDrop as countTxDrop_ } from './rmon.js';

// Module-local copies of everything used per frame (imported bindings are getters under vitest and tsx).
const crc32 = crc32_;
const countTx = countTx_;
const countTxDrop = countTxDrop_;
const S_MACCFG1 = SLOT.MACCFG1;
const S_MACCFG2 = SLOT.MACCFG2;
const S_TQUEUE = SLOT.TQUEUE;
const S_DMACTRL = SLOT.DMACTRL;
const S_TSTAT = SLOT.TSTAT;
const S_TBPTR0 = SLOT.TBPTR0;
const S_TBASE0 = SLOT.TBASE0;
const S_TBASEH = SLOT.TBASEH;
const S_TBDBPH = SLOT.TBDBPH;
const S_MAXFRM = SLOT.MAXFRM;
const TX_EN = L.MACCFG1_TX_EN;
const SOFT_RESET = L.MACCFG1_SOFT_RESET;
const TQUEUE_EN0 = L.TQUEUE_EN0;
const GTS = L.DMACTRL_GTS;
const WOP = L.DMACTRL_WOP;
const THLT0 = L.TSTAT_THLT0;
const READY = L.TXBD_READY;
const WRAP = L.TXBD_WRAP;
const LAST = L.TXBD_LAST;
const INTERRUPT = L.TXBD_INTERRUPT;
const TOE = L.TXBD_TOE;
const PADCRC = L.TXBD_PADCRC;
const TC = L.TXBD_CRC;
const BD_HUGE = L.TXBD_HUGEFRAME;
const HW_STATUS = L.TXBD_HW_STATUS;
const MAC_PADCRC = L.MACCFG2_PADCRC;
const MAC_CRC_EN = L.MACCFG2_CRC_EN;
const MAC_HUGE = L.MACCFG2_HUGEFRAME;
const IEVENT_TXB = L.IEVENT_TXB;
const IEVENT_GTSC = L.IEVENT_GTSC;
const IEVENT_EBERR = L.IEVENT_EBERR;
const IEVENT_BABT = L.IEVENT_BABT;
const FCB_BYTES = L.FCB_BYTES;
const TWO32 = 0x1_0000_0000;
/** Preamble + inter-frame gap around every frame. */
const WIRE_OVERHEAD = PREAMBLE_BYTES + IFG_BYTES;

/** Most BDs one frame may span before the engine gives up on it. */
export const MAX_TX_BDS_PER_FRAME = 64;

/** Plain state of the TX engine. */
export interface TxState {
  /** BDs gathered for the frame in progress (fetched, not yet closed). */
  readonly bds: readonly { addr: number; status: number; length: number; buffer: number }[];
  /** Bytes gathered so far. */
  readonly data: number[];
  /** The frame is on the wire; completion is due in `eventIn` ns. */
  readonly sending: boolean;
  /** A step (fetch, poll or completion) is due in this many ns, or -1. */
  readonly eventIn: number;
  readonly gtsPending: boolean;
}

/** The TX engine. */
export class TxEngine {
  private readonly bd: BdAccess;
  private buf = new Uint8Array(16384);
  private len = 0;
  private bdCount = 0;
  private readonly bdAddr = new Float64Array(MAX_TX_BDS_PER_FRAME);
  private readonly bdStatus = new Uint16Array(MAX_TX_BDS_PER_FRAME);
  private readonly bdLength = new Uint16Array(MAX_TX_BDS_PER_FRAME);
  /** Buffer address of each gathered BD (claimed on the bus until the BD is closed). */
  private readonly bdBuf = new Float64Array(MAX_TX_BDS_PER_FRAME);
  private event: SimEvent | null = null;
  private sending = false;
  private gtsPending = false;
  private readonly stepBound = (): void => this.step();
  private readonly doneBound = (): void => this.done();

  constructor(private readonly host: EngineHost) {
    this.bd = new BdAccess(host.bus);
  }

  /** A frame is on the wire. */
  get busy(): boolean {
    return this.sending;
  }

  /** Whether the engine may fetch now: TX enabled, MAC out of reset, queue on, no graceful stop, not halted. */
  canRun(): boolean {
    const r = this.host.regs;
    return (r[S_MACCFG1]! & (TX_EN | SOFT_RESET)) === TX_EN && (r[S_TQUEUE]! & TQUEUE_EN0) !== 0 && (r[S_DMACTRL]! & GTS) === 0 && (r[S_TSTAT]! & THLT0) === 0;
  }

  /** Something may have let the engine run (THLT cleared, enable set, GTS cleared): start fetching soon. */
  kick(): void {
    if (this.sending || !this.canRun()) return;
    if (this.event !== null) {
      // A poll waiting for READY: a kick makes it look now-ish instead.
      this.host.events.cancel(this.event);
    }
    this.event = this.host.events.scheduleIn(this.host.dmaLatencyNs, 'etsec tx fetch', this.stepBound);
  }

  /** DMACTRL.GTS went 0→1: stop after the frame on the wire (GTSC then), or at once when idle. */
  gracefulStop(): void {
    if (this.sending) {
      this.gtsPending = true;
      return;
    }
    this.cancelEvent();
    this.host.raise(IEVENT_GTSC);
  }

  /** MACCFG1.SOFT_RESET or a device reset: drop the frame being gathered or sent, stop fetching. */
  abort(): void {
    if (this.sending || this.bdCount > 0) {
      countTxDrop(this.host.regs);
      this.host.count('txAborted');
      this.rewind();
    }
    this.cancelEvent();
    this.sending = false;
    this.gtsPending = false;
    this.bdCount = 0;
    this.len = 0;
  }

  /** Plain-data state (pending times relative to now). */
  save(): TxState {
    const bds = [];
    for (let i = 0; i < this.bdCount; i++) bds.push({ addr: this.bdAddr[i]!, status: this.bdStatus[i]!, length: this.bdLength[i]!, buffer: this.bdBuf[i]! });
    const ev = this.event;
    return { bds, data: Array.from(this.buf.subarray(0, this.len)), sending: this.sending, eventIn: ev && !ev.cancelled ? ev.at - this.host.events.now : -1, gtsPending: this.gtsPending };
  }

  /** Load a state taken with `save()`; pending events are re-armed on this clock. */
  restore(s: TxState): void {
    this.cancelEvent();
    this.bdCount = s.bds.length;
    s.bds.forEach((b, i) => {
      this.bdAddr[i] = b.addr;
      this.bdStatus[i] = b.status;
      this.bdLength[i] = b.length;
      this.bdBuf[i] = b.buffer;
      if (b.length > 0) this.host.bus.claim(b.buffer, b.length);
    });
    this.ensure(s.data.length);
    this.buf.set(s.data);
    this.len = s.data.length;
    this.sending = s.sending;
    this.gtsPending = s.gtsPending;
    if (s.eventIn >= 0) this.event = this.host.events.scheduleIn(s.eventIn, this.sending ? 'etsec tx done' : 'etsec tx fetch', this.sending ? this.doneBound : this.stepBound);
  }

  // ---- mechanism ---------------------------------------------------------------------------------

  private cancelEvent(): void {
    if (this.event !== null) {
      this.host.events.cancel(this.event);
      this.event = null;
    }
  }

  private currentBd(): number {
    const r = this.host.regs;
    return (r[S_TBASEH]! & 0xf) * TWO32 + r[S_TBPTR0]!;
  }

  /**
   * The frame being gathered or sent was given up: its BDs were never closed (READY still set), so
   * TBPTR0 goes back to its first BD and a restart sends it again.
   */
  private rewind(): void {
    if (this.bdCount > 0) this.host.regs[S_TBPTR0] = this.bdAddr[0]! % TWO32;
    this.releaseAll(0);
    this.bdCount = 0;
    this.len = 0;
  }

  private releaseAll(from: number): void {
    for (let i = from; i < this.bdCount; i++) if (this.bdLength[i]! > 0) this.host.bus.release(this.bdBuf[i]!, this.bdLength[i]!);
  }

  private advance(status: number): void {
    const r = this.host.regs;
    r[S_TBPTR0] = status & WRAP ? r[S_TBASE0]! : (r[S_TBPTR0]! + 8) >>> 0;
  }

  /** Fetch BDs from TBPTR0 until a frame is complete, then send it. */
  private step(): void {
    this.event = null;
    const host = this.host;
    if (!this.canRun()) return;
    const layout = host.bdLayout();
    const bd = this.bd;
    for (;;) {
      const pa = this.currentBd();
      try {
        bd.fetch(pa, layout);
      } catch (e) {
        this.busError(e, pa);
        return;
      }
      const status = bd.status;
      if ((status & READY) === 0) {
        this.notReady(pa);
        return;
      }
      if (this.bdCount === MAX_TX_BDS_PER_FRAME) {
        this.busError(new RangeError(`a frame spans more than ${MAX_TX_BDS_PER_FRAME} TxBDs`), pa);
        return;
      }
      const n = bd.length;
      const bufPa = (host.regs[S_TBDBPH]! & 0xf) * TWO32 + bd.pointer;
      if (n > 0) {
        this.ensure(this.len + n);
        try {
          host.bus.read(bufPa, this.buf, this.len, n);
        } catch (e) {
          this.busError(e, bufPa);
          return;
        }
        this.len += n;
        // The buffer streams out over the frame's wire time: the device holds it until the BD closes.
        host.bus.claim(bufPa, n);
      }
      const i = this.bdCount++;
      this.bdAddr[i] = pa;
      this.bdStatus[i] = status;
      this.bdLength[i] = n;
      this.bdBuf[i] = bufPa;
      this.advance(status);
      if (status & LAST) break;
    }
    this.send();
  }

  private notReady(pa: number): void {
    const host = this.host;
    if (this.bdCount > 0) {
      host.count('txMidFrameHalts');
      if (host.tracing) host.trace('etsec.tx.mid-frame', { bd: pa, gathered: this.bdCount, text: 'the next TxBD of a frame is not READY: the engine waits with the frame half gathered' });
    }
    if (host.regs[S_DMACTRL]! & WOP) {
      host.regs[S_TSTAT] = (host.regs[S_TSTAT]! | THLT0) >>> 0;
      host.count('txHalts');
      if (host.tracing) host.trace('etsec.tx.halt', { bd: pa });
    } else {
      host.count('txPolls');
      this.event = host.events.scheduleIn(host.txPollNs, 'etsec tx poll', this.stepBound);
    }
  }

  /** The LAST BD is in: shape the frame (FCB, padding, FCS) and put it on the wire. */
  private send(): void {
    const host = this.host;
    const r = host.regs;
    const first = this.bdStatus[0]!;
    let data = this.len;
    if (first & TOE) {
      // The 8-byte FCB only carries offload requests; it never reaches the wire.
      const skip = Math.min(FCB_BYTES, data);
      this.buf.copyWithin(0, skip, data);
      data -= skip;
    }
    const maccfg2 = r[S_MACCFG2]!;
    const pad = (first & PADCRC) !== 0 || (maccfg2 & MAC_PADCRC) !== 0;
    const appendCrc = pad || (first & TC) !== 0 || (maccfg2 & MAC_CRC_EN) !== 0;
    let bad = false;
    if (appendCrc) {
      if (pad && data < 60) {
        this.ensure(60);
        this.buf.fill(0, data, 60);
        data = 60;
      }
    } else {
      // Software supplied the FCS as the last 4 bytes: it goes out as written.
      const b = this.buf;
      if (data < 4) {
        bad = true;
        data = 0;
      } else {
        data -= 4;
        const fcs = (b[data]! | (b[data + 1]! << 8) | (b[data + 2]! << 16) | (b[data + 3]! << 24)) >>> 0;
        bad = fcs !== crc32(b, 0, data);
      }
    }
    let frameLen = data + 4;
    const maxfrm = r[S_MAXFRM]!;
    if (frameLen > maxfrm && (maccfg2 & MAC_HUGE) === 0 && (first & BD_HUGE) === 0) {
      // Babbling transmit: the MAC cuts the frame at MAXFRM; what leaves has no valid FCS.
      host.raise(IEVENT_BABT);
      data = Math.max(0, maxfrm - 4);
      frameLen = data + 4;
      bad = true;
    }
    countTx(r, this.buf, frameLen, bad, maxfrm);
    host.count('txFrames');
    if (host.tracing) host.trace('etsec.tx.frame', { length: frameLen, bds: this.bdCount, crcError: bad });
    host.transmit(this.buf, data, bad ? BAD_CRC_FRAME : GOOD_FRAME);
    this.sending = true;
    this.event = host.events.scheduleIn(Math.round((WIRE_OVERHEAD + frameLen) * host.nsPerByte), 'etsec tx done', this.doneBound);
  }

  /** The frame's wire time is over: close its BDs, signal, go on with the next one. */
  private done(): void {
    this.event = null;
    this.sending = false;
    const host = this.host;
    const layout = host.bdLayout();
    const n = this.bdCount;
    this.bdCount = 0;
    this.len = 0;
    let frameEvent = false;
    for (let i = 0; i < n; i++) {
      const status = this.bdStatus[i]!;
      const pa = this.bdAddr[i]!;
      if (this.bdLength[i]! > 0) host.bus.release(this.bdBuf[i]!, this.bdLength[i]!);
      try {
        this.bd.writeStatusLength(pa, layout, status & ~HW_STATUS, this.bdLength[i]!);
      } catch (e) {
        for (let j = i + 1; j < n; j++) if (this.bdLength[j]! > 0) host.bus.release(this.bdBuf[j]!, this.bdLength[j]!);
        this.busError(e, pa);
        return;
      }
      if (status & INTERRUPT) {
        if (status & LAST) frameEvent = true;
        else host.raise(IEVENT_TXB);
      }
    }
    if (frameEvent) host.txFrameEvent();
    if (this.gtsPending) {
      this.gtsPending = false;
      host.raise(IEVENT_GTSC);
      return;
    }
    this.step();
  }

  /** A DMA hit a hole (or the frame was unworkable): EBERR, halt, drop what was gathered. */
  private busError(e: unknown, pa: number): void {
    const host = this.host;
    if (!(e instanceof BusError) && !(e instanceof RangeError)) throw e;
    host.regs[S_TSTAT] = (host.regs[S_TSTAT]! | THLT0) >>> 0;
    if (this.bdCount > 0) {
      countTxDrop(host.regs);
      this.rewind();
    }
    this.bdCount = 0;
    this.len = 0;
    host.count('busErrors');
    if (host.tracing) host.trace('etsec.tx.bus-error', { pa, text: (e as Error).message });
    host.raise(IEVENT_EBERR);
    if (this.gtsPending) {
      this.gtsPending = false;
      host.raise(IEVENT_GTSC);
    }
  }

  private ensure(n: number): void {
    if (n <= this.buf.length) return;
    let size = this.buf.length;
    while (size < n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
}
