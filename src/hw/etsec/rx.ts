/**
 * The receive ring engine for ring 0: takes a frame from the wire, filters it, fetches the RxBD at
 * RBPTR0 when the frame starts and each further one as the previous buffer fills (MRBLR bytes),
 * holds the buffer as an in-flight DMA claim until it closes the BD, writes FIRST/LAST, the
 * whole-frame length (FCB, padding and FCS included) and error bits in the LAST BD, and raises
 * RXB/RXF; with no EMPTY BD the frame is dropped, BSY raised and the queue halted (QHLT).
 * Not modelled: rings 1-7, the filer, parsing and checksum results in the FCB (it is zeros),
 * lossless flow control, non-octet frames.
 */
import type { SimEvent } from '../../sim/events.js';
import { BusError } from '../errors.js';
import { crc32 as crc32_ } from '../net/crc32.js';
import { PREAMBLE_BYTES as PREAMBLE_BYTES_, type FrameInfo } from '../net/wire.js';
import { BdAccess } from './bd.js';
import type { EngineHost } from './host.js';
import * as L from './layout.js';
import { filterFrame as filterFrame_ } from './mac.js';
import { SLOT } from './registers.js';
import { countRx as countRx_, countRxDrop as countRxDrop_ } from './rmon.js';

// Module-local copies of everything used per frame (imported bindings are getters under vitest and tsx).
const crc32 = crc32_;
const filterFrame = filterFrame_;
const countRx = countRx_;
const countRxDrop = countRxDrop_;
const S_MACCFG1 = SLOT.MACCFG1;
const S_MACCFG2 = SLOT.MACCFG2;
const S_RQUEUE = SLOT.RQUEUE;
const S_DMACTRL = SLOT.DMACTRL;
const S_RSTAT = SLOT.RSTAT;
const S_RCTRL = SLOT.RCTRL;
const S_RBPTR0 = SLOT.RBPTR0;
const S_RBASE0 = SLOT.RBASE0;
const S_RBASEH = SLOT.RBASEH;
const S_RBDBPH = SLOT.RBDBPH;
const S_MRBLR = SLOT.MRBLR;
const S_MAXFRM = SLOT.MAXFRM;
const S_MINFLR = SLOT.MINFLR;
const RX_EN = L.MACCFG1_RX_EN;
const SOFT_RESET = L.MACCFG1_SOFT_RESET;
const RQUEUE_EN0 = L.RQUEUE_EN0;
const GRS = L.DMACTRL_GRS;
const QHLT0 = L.RSTAT_QHLT0;
const RSTAT_RXF0 = L.RSTAT_RXF0;
const EMPTY = L.RXBD_EMPTY;
const WRAP = L.RXBD_WRAP;
const INTERRUPT = L.RXBD_INTERRUPT;
const FIRST = L.RXBD_FIRST;
const LAST = L.RXBD_LAST;
const SW_KEEP = L.RXBD_SW_KEEP;
const LARGE = L.RXBD_LARGE;
const SHORT = L.RXBD_SHORT;
const CRCERR = L.RXBD_CRCERR;
const OVERRUN = L.RXBD_OVERRUN;
const TRUNCATED = L.RXBD_TRUNCATED;
const PAL_MASK = L.RCTRL_PAL_MASK;
const PAL_SHIFT = L.RCTRL_PAL_SHIFT;
const PRSDEP_MASK = L.RCTRL_PRSDEP_MASK;
const MAC_HUGE = L.MACCFG2_HUGEFRAME;
const IEVENT_BSY = L.IEVENT_BSY;
const IEVENT_RXB0 = L.IEVENT_RXB0;
const IEVENT_GRSC = L.IEVENT_GRSC;
const IEVENT_EBERR = L.IEVENT_EBERR;
const IEVENT_BABR = L.IEVENT_BABR;
const FCB_BYTES = L.FCB_BYTES;
const PREAMBLE_BYTES = PREAMBLE_BYTES_;
const TWO32 = 0x1_0000_0000;
const ACCEPT = 0x1_0000;

/** Plain state of the RX engine. */
export interface RxState {
  /** A frame is being stored. */
  readonly active: boolean;
  /** Bytes of the frame as stored (prefix, frame, FCS). */
  readonly stream: number[];
  readonly prefix: number;
  readonly wireBytes: number;
  readonly stored: number;
  readonly flags: number;
  readonly first: boolean;
  /** Start of the frame relative to now (≤ 0). */
  readonly startedIn: number;
  /** The BD the engine holds: address, its status and buffer address. */
  readonly bd: { addr: number; status: number; buffer: number; claim: number } | null;
  readonly eventIn: number;
  readonly grsPending: boolean;
}

/** The RX engine. */
export class RxEngine {
  private readonly bd: BdAccess;
  private buf = new Uint8Array(16384);
  /** Bytes in `buf`: prefix (FCB + padding) + frame + FCS, possibly truncated. */
  private streamLen = 0;
  private prefix = 0;
  /** Frame bytes on the wire, FCS included. */
  private wireBytes = 0;
  /** Stream bytes already written to closed BDs. */
  private stored = 0;
  /** BROADCAST/MULTICAST/MISS and error bits for the LAST BD. */
  private flags = 0;
  private first = true;
  private active = false;
  private startAt = 0;
  private bdPa = 0;
  private bdStatus = 0;
  private bufPa = 0;
  private claimLen = 0;
  private event: SimEvent | null = null;
  private grsPending = false;
  private readonly fillBound = (): void => this.fill();

  constructor(private readonly host: EngineHost) {
    this.bd = new BdAccess(host.bus);
  }

  /** A frame is being received and stored. */
  get busy(): boolean {
    return this.active;
  }

  /** The first bit of a frame arrives from the wire now. */
  receive(bytes: Uint8Array, info: FrameInfo | undefined, length: number): void {
    const host = this.host;
    const r = host.regs;
    if (this.active) {
      // The previous frame is still coming in: the FIFO overflows, this one is lost.
      this.flags |= OVERRUN;
      countRxDrop(r);
      host.count('rxOverruns');
      if (host.tracing) host.trace('etsec.rx.overrun', { length });
      return;
    }
    if ((r[S_MACCFG1]! & (RX_EN | SOFT_RESET)) !== RX_EN) {
      host.count('rxDisabledDrops');
      return;
    }
    const crcError = info !== undefined && info.crcError === true;
    const wire = length + 4;
    const minLen = r[S_MINFLR]!;
    const maxLen = r[S_MAXFRM]!;
    countRx(r, bytes, wire, crcError, minLen, maxLen);
    const addr = length >= 6 ? filterFrame(r, bytes) : 0;
    if ((addr & ACCEPT) === 0) {
      host.count('rxFiltered');
      return;
    }
    if ((r[S_DMACTRL]! & GRS) !== 0 || (r[S_RQUEUE]! & RQUEUE_EN0) === 0) {
      countRxDrop(r);
      host.count('rxStoppedDrops');
      return;
    }
    if (r[S_RSTAT]! & QHLT0) {
      countRxDrop(r);
      host.count('rxHaltedDrops');
      host.raise(IEVENT_BSY);
      return;
    }
    if ((r[S_MRBLR]! & 0xffc0) === 0) {
      countRxDrop(r);
      host.count('rxNoBufferSize');
      if (host.tracing) host.trace('etsec.rx.note', { text: 'MRBLR is 0: no buffer size, frame dropped' });
      return;
    }
    // Build what the DMA will store: [FCB][PAL padding][frame][FCS].
    const rctrl = r[S_RCTRL]!;
    const prefix = (rctrl & PRSDEP_MASK ? FCB_BYTES : 0) + ((rctrl & PAL_MASK) >>> PAL_SHIFT);
    this.ensure(prefix + wire);
    const b = this.buf;
    if (prefix > 0) b.fill(0, 0, prefix);
    b.set(length === bytes.length ? bytes : bytes.subarray(0, length), prefix);
    let fcs = host.computeFcs ? crc32(b, prefix, length) : 0;
    if (crcError) fcs = ~fcs >>> 0;
    const e = prefix + length;
    b[e] = fcs & 0xff;
    b[e + 1] = (fcs >>> 8) & 0xff;
    b[e + 2] = (fcs >>> 16) & 0xff;
    b[e + 3] = fcs >>> 24;
    let flags = addr & 0xffff;
    let stream = prefix + wire;
    if (crcError) flags |= CRCERR;
    if (wire < minLen) flags |= SHORT;
    if (wire > maxLen) {
      flags |= LARGE;
      host.raise(IEVENT_BABR);
      if ((r[S_MACCFG2]! & MAC_HUGE) === 0) {
        flags |= TRUNCATED;
        stream = prefix + maxLen;
      }
    }
    this.prefix = prefix;
    this.streamLen = stream;
    this.wireBytes = wire;
    this.stored = 0;
    this.flags = flags;
    this.first = true;
    this.active = true;
    this.startAt = host.events.now;
    if (this.takeBd()) this.scheduleFill();
  }

  /** DMACTRL.GRS went 0→1: finish the frame being stored (GRSC then), or GRSC at once. */
  gracefulStop(): void {
    if (this.active) this.grsPending = true;
    else this.host.raise(IEVENT_GRSC);
  }

  /** Soft reset or device reset: drop the frame being stored and give up its buffer. */
  abort(): void {
    if (this.event !== null) {
      this.host.events.cancel(this.event);
      this.event = null;
    }
    if (this.active) {
      this.releaseClaim();
      countRxDrop(this.host.regs);
    }
    this.active = false;
    this.grsPending = false;
  }

  /** Plain-data state (pending times relative to now). */
  save(): RxState {
    const ev = this.event;
    return {
      active: this.active, stream: Array.from(this.buf.subarray(0, this.active ? this.streamLen : 0)), prefix: this.prefix, wireBytes: this.wireBytes,
      stored: this.stored, flags: this.flags, first: this.first, startedIn: this.startAt - this.host.events.now,
      bd: this.claimLen > 0 ? { addr: this.bdPa, status: this.bdStatus, buffer: this.bufPa, claim: this.claimLen } : null,
      eventIn: ev && !ev.cancelled ? ev.at - this.host.events.now : -1, grsPending: this.grsPending,
    };
  }

  /** Load a state taken with `save()`; pending events are re-armed on this clock. */
  restore(s: RxState): void {
    this.abortSilently();
    this.active = s.active;
    this.ensure(s.stream.length);
    this.buf.set(s.stream);
    this.streamLen = s.stream.length;
    this.prefix = s.prefix;
    this.wireBytes = s.wireBytes;
    this.stored = s.stored;
    this.flags = s.flags;
    this.first = s.first;
    this.startAt = this.host.events.now + s.startedIn;
    this.grsPending = s.grsPending;
    if (s.bd) {
      this.bdPa = s.bd.addr;
      this.bdStatus = s.bd.status;
      this.bufPa = s.bd.buffer;
      this.claimLen = s.bd.claim;
      this.host.bus.claim(this.bufPa, this.claimLen);
    }
    if (s.eventIn >= 0) this.event = this.host.events.scheduleIn(s.eventIn, 'etsec rx fill', this.fillBound);
  }

  // ---- mechanism ---------------------------------------------------------------------------------

  private abortSilently(): void {
    if (this.event !== null) this.host.events.cancel(this.event);
    this.event = null;
    this.releaseClaim();
    this.active = false;
  }

  private mrblr(): number {
    return this.host.regs[S_MRBLR]! & 0xffc0;
  }

  /** Fetch the RxBD at RBPTR0 for the next part of the frame; false when the frame is lost. */
  private takeBd(): boolean {
    const host = this.host;
    const r = host.regs;
    const pa = (r[S_RBASEH]! & 0xf) * TWO32 + r[S_RBPTR0]!;
    try {
      this.bd.fetch(pa, host.bdLayout());
    } catch (e) {
      this.busError(e, pa);
      return false;
    }
    if ((this.bd.status & EMPTY) === 0) {
      // No buffer: the frame (or what is left of it) is discarded and the queue halts.
      this.active = false;
      r[S_RSTAT] = (r[S_RSTAT]! | QHLT0) >>> 0;
      countRxDrop(r);
      host.count('rxBusy');
      if (this.stored > 0) host.count('rxCutFrames');
      if (host.tracing) host.trace('etsec.rx.busy', { bd: pa, stored: this.stored, text: this.stored > 0 ? 'no EMPTY RxBD in the middle of a frame: its LAST BD will never come' : 'no EMPTY RxBD: frame dropped, queue halted' });
      host.raise(IEVENT_BSY);
      this.stopped();
      return false;
    }
    this.bdPa = pa;
    this.bdStatus = this.bd.status;
    this.bufPa = (r[S_RBDBPH]! & 0xf) * TWO32 + this.bd.pointer;
    this.claimLen = Math.min(this.mrblr(), this.streamLen - this.stored);
    host.bus.claim(this.bufPa, this.claimLen);
    return true;
  }

  /** Schedule the moment the current buffer is full (or the frame ends). */
  private scheduleFill(): void {
    const host = this.host;
    const chunk = Math.min(this.mrblr(), this.streamLen - this.stored);
    const last = this.stored + chunk >= this.streamLen;
    // Bytes of the frame on the wire by then: the prefix is not on the wire; the LAST BD closes at the frame's end.
    const onWire = last ? this.wireBytes : Math.max(0, this.stored + chunk - this.prefix);
    const at = this.startAt + Math.round((PREAMBLE_BYTES + onWire) * host.nsPerByte);
    const now = host.events.now;
    this.event = host.events.scheduleAt(at > now ? at : now, 'etsec rx fill', this.fillBound);
  }

  /** The current buffer is full or the frame is over: store, close the BD, go on. */
  private fill(): void {
    this.event = null;
    const host = this.host;
    const r = host.regs;
    const chunk = Math.min(this.mrblr(), this.streamLen - this.stored);
    const last = this.stored + chunk >= this.streamLen;
    const layout = host.bdLayout();
    const bdStatus = this.bdStatus;
    try {
      host.bus.write(this.bufPa, this.buf, this.stored, chunk);
      this.releaseClaim();
      let status = (bdStatus & SW_KEEP) | (this.first ? FIRST : 0);
      let length = chunk;
      if (last) {
        status |= LAST | this.flags;
        length = this.streamLen;
      }
      this.bd.writeStatusLength(this.bdPa, layout, status, length);
    } catch (e) {
      this.busError(e, this.bdPa);
      return;
    }
    r[S_RBPTR0] = bdStatus & WRAP ? r[S_RBASE0]! : (r[S_RBPTR0]! + 8) >>> 0;
    this.stored += chunk;
    this.first = false;
    if (!last) {
      if (bdStatus & INTERRUPT) host.raise(IEVENT_RXB0);
      if (this.takeBd()) this.scheduleFill();
      return;
    }
    this.active = false;
    r[S_RSTAT] = (r[S_RSTAT]! | RSTAT_RXF0) >>> 0;
    host.count('rxFrames');
    if (host.tracing) host.trace('etsec.rx.frame', { length: this.streamLen, flags: this.flags });
    if (bdStatus & INTERRUPT) host.rxFrameEvent();
    this.stopped();
  }

  /** The engine is between frames: complete a pending graceful stop. */
  private stopped(): void {
    if (this.grsPending) {
      this.grsPending = false;
      this.host.raise(IEVENT_GRSC);
    }
  }

  private releaseClaim(): void {
    if (this.claimLen > 0) {
      this.host.bus.release(this.bufPa, this.claimLen);
      this.claimLen = 0;
    }
  }

  private busError(e: unknown, pa: number): void {
    if (!(e instanceof BusError)) throw e;
    const host = this.host;
    this.releaseClaim();
    this.active = false;
    host.regs[S_RSTAT] = (host.regs[S_RSTAT]! | QHLT0) >>> 0;
    countRxDrop(host.regs);
    host.count('busErrors');
    if (host.tracing) host.trace('etsec.rx.bus-error', { pa, text: e.message });
    host.raise(IEVENT_EBERR);
    this.stopped();
  }

  private ensure(n: number): void {
    if (n <= this.buf.length) return;
    let size = this.buf.length;
    while (size < n) size *= 2;
    this.buf = new Uint8Array(size);
  }
}
