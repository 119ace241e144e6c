/**
 * A full-duplex Ethernet link between two wire ports (or a loopback plug on one): propagation
 * delay, capture taps, link down/up (the ports' carrier, hence their PHYs' link bit) and faults on
 * demand or at seeded random rates (drops, CRC errors, runts, oversize frames); delivery is
 * scheduled on the receiver's own clock, so the two ends may live on two boards with two queues.
 * The cable carries one frame at a time per direction: a frame a fault lengthened delays the next.
 * Not modelled: bit errors inside frames, collisions, autonegotiation, PAUSE, rate mismatch.
 */
import { Prng } from '../../sim/prng.js';
import type { SimEvent } from '../../sim/events.js';
import type { TraceBus } from '../../sim/trace.js';
import { BAD_CRC_FRAME, GOOD_FRAME, wireTimeNs, type FrameInfo, type FrameSink, type WirePort } from './wire.js';

/** One end of a link. */
export type LinkSide = 'a' | 'b';

/** A fault that can be injected into the next frames of one direction. */
export type LinkFaultKind = 'drop' | 'crc' | 'runt' | 'oversize';

/** What one direction of a link carried and did to frames. */
export interface LinkCounters {
  /** Frames handed to the wire by the sender (before faults). */
  sent: number;
  /** Frames delivered to the receiver. */
  delivered: number;
  /** Bytes delivered (no FCS). */
  bytes: number;
  /** Dropped by a fault. */
  dropped: number;
  /** Lost because the link was down. */
  lostDown: number;
  /** Delivered with a corrupted FCS by a fault. */
  crcErrors: number;
  /** Cut short by a fault. */
  runts: number;
  /** Lengthened by a fault. */
  oversize: number;
  /** Deliveries that had to be clamped to the receiver's clock (it was already past the due time). */
  late: number;
}

/** Called for every frame that goes on the cable (after faults, dropped frames excluded). */
export type LinkTap = (tNs: number, bytes: Uint8Array, length: number, info: FrameInfo, from: LinkSide) => void;

/** Options of a link. */
export interface LinkOptions {
  /** Name for traces ("wire0"). */
  readonly name?: string;
  /** One-way propagation delay in ns (default 0; 5 ns per metre of copper). */
  readonly propagationNs?: number;
  /** Seed of the random fault draws (default 1). */
  readonly seed?: number;
  /** Start with the link up (default true). */
  readonly up?: boolean;
  /** Trace sink. */
  readonly trace?: TraceBus;
}

interface PendingFault {
  kind: LinkFaultKind;
  remaining: number;
  length: number;
}

/** Plain state of one direction. */
export interface LinkDirectionState {
  readonly counters: LinkCounters;
  readonly dropRate: number;
  readonly crcErrorRate: number;
  readonly faults: { kind: LinkFaultKind; remaining: number; length: number }[];
  /** Cable free time relative to the sender's now. */
  readonly cableFreeIn: number;
  /** Frames in the delay line: bytes, bad FCS, due time relative to the receiver's now. */
  readonly inFlight: { bytes: number[]; crcError: boolean; dueIn: number }[];
}

/** Plain state of a link. */
export interface LinkState {
  readonly version: 1;
  readonly up: boolean;
  readonly prng: [number, number, number, number];
  readonly ab: LinkDirectionState;
  readonly ba: LinkDirectionState | null;
}

interface InFlight {
  buf: Uint8Array;
  len: number;
  info: FrameInfo;
  at: number;
}

/** One direction of a link: the sink the sending port transmits into. */
export class LinkDirection implements FrameSink {
  readonly counters: LinkCounters = { sent: 0, delivered: 0, bytes: 0, dropped: 0, lostDown: 0, crcErrors: 0, runts: 0, oversize: 0, late: 0 };
  /** Probability that a frame is dropped (seeded). */
  dropRate = 0;
  /** Probability that a frame arrives with a bad FCS (seeded). */
  crcErrorRate = 0;
  private readonly faults: PendingFault[] = [];
  private scratch = new Uint8Array(16384);
  private readonly pool: InFlight[] = [];
  private head = 0;
  private count = 0;
  /** Sender-clock time at which the cable is free again (a frame lengthened by a fault pushes later ones back). */
  private cableFreeAt = 0;
  /** Scheduled deliveries, oldest first (kept so a restore can cancel them). */
  private readonly pending: SimEvent[] = [];
  private readonly deliverBound = (): void => this.deliverNext();

  constructor(
    private readonly link: Link,
    /** Which end sends into this direction. */
    readonly from: LinkSide,
    private readonly to: WirePort,
    private readonly sender: WirePort,
  ) {}

  /**
   * Apply `kind` to the next `count` frames: drop them, corrupt their FCS, cut them to `length`
   * bytes (runt, default 40: 44 with the FCS, under the 64-byte minimum) or pad them with zeros to
   * `length` bytes (oversize, default 2000).
   */
  inject(kind: LinkFaultKind, count = 1, opts: { length?: number } = {}): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`link fault count must be a positive integer, got ${count}`);
    const length = opts.length ?? (kind === 'runt' ? 40 : 2000);
    this.faults.push({ kind, remaining: count, length });
  }

  /** Frames still to be hit by injected faults. */
  get pendingFaults(): number {
    return this.faults.reduce((n, f) => n + f.remaining, 0);
  }

  /** The sender puts a frame on the cable. */
  receiveFrame(bytes: Uint8Array, info: FrameInfo = GOOD_FRAME, length: number = bytes.length): void {
    const c = this.counters;
    c.sent++;
    const link = this.link;
    if (!link.up) {
      c.lostDown++;
      return;
    }
    let kind: LinkFaultKind | null = null;
    let faultLen = 0;
    const f = this.faults[0];
    if (f !== undefined) {
      kind = f.kind;
      faultLen = f.length;
      if (--f.remaining === 0) this.faults.shift();
    } else if (this.dropRate > 0 && link.prng.nextFloat() < this.dropRate) {
      kind = 'drop';
    } else if (this.crcErrorRate > 0 && link.prng.nextFloat() < this.crcErrorRate) {
      kind = 'crc';
    }
    let buf = bytes;
    let len = length;
    if (kind !== null) {
      if (kind === 'drop') {
        c.dropped++;
        link.note('drop', this.from, length);
        return;
      }
      if (kind === 'crc') {
        info = BAD_CRC_FRAME;
        c.crcErrors++;
      } else {
        const n = kind === 'runt' ? Math.min(faultLen, length) : Math.max(faultLen, length);
        if (this.scratch.length < n) this.scratch = new Uint8Array(n);
        buf = this.scratch;
        buf.set(length === bytes.length ? bytes : bytes.subarray(0, length));
        if (n > length) buf.fill(0, length, n);
        len = n;
        if (kind === 'runt') c.runts++;
        else c.oversize++;
      }
      link.note(kind, this.from, len);
    }
    const now = this.sender.events.now;
    const start = this.cableFreeAt > now ? this.cableFreeAt : now;
    this.cableFreeAt = start + wireTimeNs(len + 4, this.to.lineRateBps);
    link.tapFrame(start, buf, len, info, this.from);
    const delay = link.propagationNs;
    if (delay === 0 && start === now && this.to.events === this.sender.events) {
      c.delivered++;
      c.bytes += len;
      this.to.receiveFrame(buf, info, len);
      return;
    }
    this.enqueue(buf, len, info, start + delay);
  }

  /** Frames in the delay line. */
  get inFlight(): number {
    return this.count;
  }

  private enqueue(bytes: Uint8Array, len: number, info: FrameInfo, at: number): void {
    if (this.count === this.pool.length) this.growPool();
    const slot = this.pool[(this.head + this.count) % this.pool.length]!;
    if (slot.buf.length < len) slot.buf = new Uint8Array(Math.max(len, slot.buf.length * 2));
    slot.buf.set(len === bytes.length ? bytes : bytes.subarray(0, len));
    slot.len = len;
    slot.info = info;
    this.count++;
    const q = this.to.events;
    if (at < q.now) {
      this.counters.late++;
      at = q.now;
    }
    slot.at = at;
    this.pending.push(q.scheduleAt(at, `${this.link.name} ${this.from}->`, this.deliverBound));
  }

  /** Plain state (frames in the delay line included). */
  save(): LinkDirectionState {
    const inFlight = [];
    for (let i = 0; i < this.count; i++) {
      const slot = this.pool[(this.head + i) % this.pool.length]!;
      inFlight.push({ bytes: Array.from(slot.buf.subarray(0, slot.len)), crcError: slot.info.crcError === true, dueIn: slot.at - this.to.events.now });
    }
    return {
      counters: { ...this.counters }, dropRate: this.dropRate, crcErrorRate: this.crcErrorRate, faults: this.faults.map((f) => ({ ...f })),
      cableFreeIn: Math.max(0, this.cableFreeAt - this.sender.events.now), inFlight,
    };
  }

  /** Load a {@link save} state: the delay line is refilled and re-scheduled on the receiver's clock. */
  restore(st: LinkDirectionState): void {
    for (const ev of this.pending) this.to.events.cancel(ev);
    this.pending.length = 0;
    this.head = 0;
    this.count = 0;
    Object.assign(this.counters, st.counters);
    this.dropRate = st.dropRate;
    this.crcErrorRate = st.crcErrorRate;
    this.faults.length = 0;
    for (const f of st.faults) this.faults.push({ ...f });
    this.cableFreeAt = this.sender.events.now + st.cableFreeIn;
    const late = this.counters.late;
    for (const f of st.inFlight) this.enqueue(Uint8Array.from(f.bytes), f.bytes.length, f.crcError ? BAD_CRC_FRAME : GOOD_FRAME, this.to.events.now + f.dueIn);
    this.counters.late = late;
  }

  private growPool(): void {
    // Keep FIFO order: unroll the ring into a larger one.
    const old = this.pool.splice(0);
    for (let i = 0; i < old.length; i++) this.pool.push(old[(this.head + i) % old.length]!);
    this.head = 0;
    const add = Math.max(4, old.length);
    for (let i = 0; i < add; i++) this.pool.push({ buf: new Uint8Array(2048), len: 0, info: GOOD_FRAME, at: 0 });
  }

  private deliverNext(): void {
    this.pending.shift();
    const slot = this.pool[this.head]!;
    this.head = (this.head + 1) % this.pool.length;
    this.count--;
    if (!this.link.up) {
      this.counters.lostDown++;
      return;
    }
    this.counters.delivered++;
    this.counters.bytes += slot.len;
    this.to.receiveFrame(slot.buf, slot.info, slot.len);
  }
}

/** A cable between two ports (or, built with {@link Link.loopback}, a plug that returns what a port sends). */
export class Link {
  readonly name: string;
  readonly propagationNs: number;
  /** The ends. For a loopback plug both are the same port. */
  readonly a: WirePort;
  readonly b: WirePort;
  /** Frames sent by `a` (towards `b`). */
  readonly ab: LinkDirection;
  /** Frames sent by `b` (towards `a`); the same object as `ab` for a loopback plug. */
  readonly ba: LinkDirection;
  /** @internal random fault draws */
  readonly prng: Prng;
  private isUp: boolean;
  private readonly taps: LinkTap[] = [];
  private readonly traceBus: TraceBus | undefined;
  private attached = true;

  /** A cable from `a` to `b` (two different ports, possibly on two boards). */
  constructor(a: WirePort, b: WirePort, opts: LinkOptions = {}, /** @internal */ plug = false) {
    if (a === b && !plug) throw new RangeError('Link: both ends are the same port; use Link.loopback(port) for a loopback plug');
    this.name = opts.name ?? `${a.name}<->${b.name}`;
    this.propagationNs = opts.propagationNs ?? 0;
    if (!(this.propagationNs >= 0)) throw new RangeError(`Link: propagationNs must be >= 0, got ${this.propagationNs}`);
    this.prng = new Prng(opts.seed ?? 1);
    this.traceBus = opts.trace;
    this.a = a;
    this.b = b;
    this.ab = new LinkDirection(this, 'a', b, a);
    this.ba = plug ? this.ab : new LinkDirection(this, 'b', a, b);
    this.isUp = opts.up ?? true;
    a.connect(this.ab);
    a.setCarrier(this.isUp);
    if (!plug) {
      b.connect(this.ba);
      b.setCarrier(this.isUp);
    }
  }

  /** A loopback plug: what `port` sends comes back to it after the propagation delay. */
  static loopback(port: WirePort, opts: LinkOptions = {}): Link {
    return new Link(port, port, { name: `${port.name} loopback plug`, ...opts }, true);
  }

  /** Whether the link is up. */
  get up(): boolean {
    return this.isUp;
  }

  /** The direction `side` sends into. */
  direction(from: LinkSide): LinkDirection {
    return from === 'a' ? this.ab : this.ba;
  }

  /** Take the link down or bring it back: both ports see the carrier change (their PHYs report it). */
  setUp(up: boolean): void {
    if (up === this.isUp || !this.attached) return;
    this.isUp = up;
    this.note(up ? 'up' : 'down', 'a', 0);
    this.a.setCarrier(up);
    if (this.b !== this.a) this.b.setCarrier(up);
  }

  /** Watch every frame that goes on the cable. Returns a function that removes the tap. */
  addTap(tap: LinkTap): () => void {
    this.taps.push(tap);
    return () => {
      const i = this.taps.indexOf(tap);
      if (i >= 0) this.taps.splice(i, 1);
    };
  }

  /** Unplug: the ports lose their carrier and their transmit sink. */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.isUp = false;
    this.a.connect(null);
    this.a.setCarrier(false);
    if (this.b !== this.a) {
      this.b.connect(null);
      this.b.setCarrier(false);
    }
  }

  /** Plain state: up/down, the fault PRNG, both directions with their delay lines. */
  save(): LinkState {
    return { version: 1, up: this.isUp, prng: this.prng.save(), ab: this.ab.save(), ba: this.ba === this.ab ? null : this.ba.save() };
  }

  /** Load a {@link save} state into a link joining equivalent ports; carrier is re-announced. */
  restore(st: LinkState): void {
    if (st.version !== 1) throw new RangeError(`link snapshot: unsupported version ${String(st.version)}`);
    if ((st.ba === null) !== (this.ba === this.ab)) throw new RangeError('link snapshot: a loopback plug and a cable do not restore into each other');
    this.prng.restore(st.prng);
    this.ab.restore(st.ab);
    if (st.ba !== null) this.ba.restore(st.ba);
    this.isUp = st.up;
    this.a.setCarrier(st.up);
    if (this.b !== this.a) this.b.setCarrier(st.up);
  }

  /** @internal */
  tapFrame(t: number, bytes: Uint8Array, len: number, info: FrameInfo, from: LinkSide): void {
    for (let i = 0; i < this.taps.length; i++) this.taps[i]!(t, bytes, len, info, from);
  }

  /** @internal */
  note(what: string, from: LinkSide, length: number): void {
    if (this.traceBus?.enabled) this.traceBus.emit({ kind: 'custom', t: (from === 'a' ? this.a : this.b).events.now, name: 'link.fault', data: { link: this.name, what, from, length } });
  }
}
