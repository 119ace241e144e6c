/**
 * A traffic endpoint written in TypeScript: a wire port that sends frames back to back at its line
 * rate (queued frames, then frame sources such as floods and size sweeps), counts and publishes
 * what it receives as an rxjs stream, and can answer frames through a responder hook; it has no
 * protocol stack of its own (no ARP, no IP) and never drops a received frame.
 */
import { Subject, type Observable } from 'rxjs';
import type { EventQueue, SimEvent } from '../../sim/events.js';
import type { FrameSource } from './generators.js';
import { BAD_CRC_FRAME, DEFAULT_LINE_RATE_BPS, GOOD_FRAME, wireTimeNs, type FrameInfo, type FrameSink, type WirePort } from './wire.js';

/** A frame the endpoint received. */
export interface ReceivedFrame {
  /** Time the first bit arrived (ns). */
  readonly t: number;
  /** A copy of the frame (no FCS). */
  readonly bytes: Uint8Array;
  /** The FCS was bad. */
  readonly crcError: boolean;
}

/** Answer a received frame: return the reply to send, or null. */
export type Responder = (frame: ReceivedFrame, endpoint: TrafficEndpoint) => Uint8Array | null;

/** What the endpoint counted. */
export interface EndpointCounters {
  txFrames: number;
  txBytes: number;
  /** Frames not sent because there was no carrier or nothing connected. */
  txLost: number;
  rxFrames: number;
  rxBytes: number;
  rxCrcErrors: number;
}

/** Options of an endpoint. */
export interface TrafficEndpointOptions {
  readonly name: string;
  /** The clock it runs on. */
  readonly events: EventQueue;
  /** Its own address (informational; frames are sent as given). */
  readonly mac?: Uint8Array;
  /** Line rate (default 1 Gbit/s). */
  readonly lineRateBps?: number;
  /** Keep every received frame in `received` (default false: count and stream only). */
  readonly keep?: boolean;
}

/** The endpoint. */
export class TrafficEndpoint implements WirePort {
  readonly name: string;
  readonly events: EventQueue;
  readonly lineRateBps: number;
  readonly mac: Uint8Array;
  readonly counters: EndpointCounters = { txFrames: 0, txBytes: 0, txLost: 0, rxFrames: 0, rxBytes: 0, rxCrcErrors: 0 };
  /** Received frames, when `keep` was set. */
  readonly received: ReceivedFrame[] = [];
  private readonly subject = new Subject<ReceivedFrame>();
  /** Frames as they arrive (copies; emitted only while someone subscribes, or `keep` is set). */
  readonly frames$: Observable<ReceivedFrame> = this.subject.asObservable();
  private sink: FrameSink | null = null;
  private carrier = false;
  private readonly keep: boolean;
  private readonly queue: { bytes: Uint8Array; info: FrameInfo }[] = [];
  private readonly sources: FrameSource[] = [];
  private buf = new Uint8Array(16384);
  private busyUntil = 0;
  private timer: SimEvent | null = null;
  private responder: Responder | null = null;
  private readonly pumpBound = (): void => this.pump();

  constructor(opts: TrafficEndpointOptions) {
    this.name = opts.name;
    this.events = opts.events;
    this.lineRateBps = opts.lineRateBps ?? DEFAULT_LINE_RATE_BPS;
    this.mac = opts.mac ?? Uint8Array.of(0x02, 0, 0, 0, 0xee, 0x01);
    this.keep = opts.keep ?? false;
  }

  // ---- WirePort ----------------------------------------------------------------------------------

  connect(sink: FrameSink | null): void {
    this.sink = sink;
  }

  setCarrier(up: boolean): void {
    this.carrier = up;
  }

  /** Whether the link under it is up. */
  get linkUp(): boolean {
    return this.carrier;
  }

  receiveFrame(bytes: Uint8Array, info: FrameInfo = GOOD_FRAME, length: number = bytes.length): void {
    const c = this.counters;
    const bad = info.crcError === true;
    c.rxFrames++;
    c.rxBytes += length;
    if (bad) c.rxCrcErrors++;
    const wanted = this.keep || this.subject.observed || this.responder !== null;
    if (!wanted) return;
    const frame: ReceivedFrame = { t: this.events.now, bytes: bytes.slice(0, length), crcError: bad };
    if (this.keep) this.received.push(frame);
    this.subject.next(frame);
    if (this.responder !== null) {
      const reply = this.responder(frame, this);
      if (reply !== null) this.send(reply);
    }
  }

  // ---- sending -----------------------------------------------------------------------------------

  /**
   * Queue a frame (no FCS, sent as given: shorter than 60 bytes is a runt); `crcError` sends it
   * with a bad FCS. Single frames go ahead of frame sources, so replies interleave with a flood.
   */
  send(frame: Uint8Array, opts: { crcError?: boolean } = {}): void {
    this.queue.push({ bytes: frame.slice(), info: opts.crcError ? BAD_CRC_FRAME : GOOD_FRAME });
    this.wake();
  }

  /** Send every frame `source` produces, back to back, after earlier sources (single frames go first). */
  sendFrom(source: FrameSource): void {
    this.sources.push(source);
    this.wake();
  }

  /** Answer received frames through `hook` (null to stop). */
  respond(hook: Responder | null): void {
    this.responder = hook;
  }

  /** Nothing queued and nothing on the wire. */
  get idle(): boolean {
    return this.queue.length === 0 && this.sources.length === 0 && this.events.now >= this.busyUntil;
  }

  /** Stop sending: drop queued frames and sources. */
  stop(): void {
    this.queue.length = 0;
    this.sources.length = 0;
    if (this.timer !== null) this.events.cancel(this.timer);
    this.timer = null;
  }

  private wake(): void {
    if (this.timer !== null) return;
    const now = this.events.now;
    this.timer = this.events.scheduleAt(this.busyUntil > now ? this.busyUntil : now, `${this.name} tx`, this.pumpBound);
  }

  /** Send one frame if there is one, then come back when the wire is free. */
  private pump(): void {
    this.timer = null;
    let len = -1;
    let info: FrameInfo = GOOD_FRAME;
    let bytes: Uint8Array = this.buf;
    const q = this.queue.shift();
    if (q !== undefined) {
      bytes = q.bytes;
      len = q.bytes.length;
      info = q.info;
    } else {
      while (this.sources.length > 0) {
        len = this.sources[0]!.next(this.buf);
        if (len >= 0) break;
        this.sources.shift();
      }
    }
    if (len < 0) return;
    const c = this.counters;
    if (this.sink === null || !this.carrier) {
      c.txLost++;
    } else {
      c.txFrames++;
      c.txBytes += len;
      this.sink.receiveFrame(bytes, info, len);
    }
    this.busyUntil = this.events.now + wireTimeNs(len + 4, this.lineRateBps);
    if (this.queue.length > 0 || this.sources.length > 0) this.timer = this.events.scheduleAt(this.busyUntil, `${this.name} tx`, this.pumpBound);
  }
}
