/** Fixtures for the eTSEC register-level tests: a real Machine with RAM, the device on it, probed IRQ lines, ring builders and a frame sink. */
import { Machine } from '../../../src/hw/machine.js';
import type { BusMasterPort } from '../../../src/hw/bus.js';
import { BD_BIG_ENDIAN, decodeBd, encodeBd, encodeStationAddress, Etsec, type Bd, type BdLayout, type EtsecOptions } from '../../../src/hw/etsec/index.js';
import * as L from '../../../src/hw/etsec/layout.js';
import type { FrameInfo, FrameSink } from '../../../src/hw/net/wire.js';
import { LineProbe } from '../../helpers/line-probe.js';

export { LineProbe };

/** A frame sink that records what arrives. */
export class FrameRecorder implements FrameSink {
  readonly frames: { t: number; bytes: Uint8Array; crcError: boolean }[] = [];
  constructor(private readonly now: () => number) {}
  receiveFrame(bytes: Uint8Array, info?: FrameInfo, length = bytes.length): void {
    this.frames.push({ t: this.now(), bytes: bytes.slice(0, length), crcError: info?.crcError === true });
  }
}

export const TX_RING = 0x1_0000;
export const RX_RING = 0x2_0000;
export const TX_BUFS = 0x10_0000;
export const RX_BUFS = 0x20_0000;
export const BUF_STRIDE = 0x800;
export const OUR_MAC = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01);
export const PEER_MAC = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x02);
export const BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/** A test bench: machine, NIC, lines, a snooping test port for RAM pokes, the wire recorder. */
export class Bench {
  readonly m: Machine;
  readonly nic: Etsec;
  readonly irq = { tx: new LineProbe(), rx: new LineProbe(), err: new LineProbe() };
  readonly ram: BusMasterPort;
  readonly wire: FrameRecorder;
  layout: BdLayout = BD_BIG_ENDIAN;

  constructor(opts: Partial<Omit<EtsecOptions, 'busMaster' | 'irqs' | 'events'>> & { coherent?: boolean } = {}) {
    this.m = new Machine({ ram: [{ base: 0, size: 16 * 1024 * 1024 }], coherent: opts.coherent ?? false });
    const { coherent: _c, ...rest } = opts;
    this.nic = new Etsec({ name: 'etsec0', busMaster: this.m.bus.master('etsec0', { snoop: this.m.coherent }), irqs: this.irq, events: this.m.events, trace: this.m.trace, mdioCycleNs: 0, ...rest });
    this.ram = this.m.bus.master('test', { snoop: true });
    this.wire = new FrameRecorder(() => this.m.events.now);
    this.nic.port.connect(this.wire);
    this.nic.port.setCarrier(true);
  }

  get events() {
    return this.m.events;
  }
  r(offset: number): number {
    return this.nic.read(offset, 4);
  }
  w(offset: number, value: number): void {
    this.nic.write(offset, 4, value >>> 0);
  }
  poke(pa: number, bytes: Uint8Array): void {
    this.ram.write(pa, bytes, 0, bytes.length);
  }
  peek(pa: number, len: number): Uint8Array {
    return this.m.bus.peek(pa, len);
  }
  writeBd(pa: number, bd: Bd): void {
    this.poke(pa, encodeBd(this.layout, bd));
  }
  readBd(pa: number): Bd {
    return decodeBd(this.layout, this.peek(pa, 8));
  }
  /** Write only the status/length word (what a driver's lstatus store does). */
  writeLstatus(pa: number, status: number, length: number): void {
    const cur = this.readBd(pa);
    this.writeBd(pa, { ...cur, status, length });
  }
  /** Write only the buffer pointer. */
  writePointer(pa: number, pointer: number): void {
    const cur = this.readBd(pa);
    this.writeBd(pa, { ...cur, pointer });
  }
  run(ns: number): void {
    this.m.events.advanceBy(ns);
  }
  /** Run until no event is left (bounded). */
  settle(maxNs = 10_000_000): void {
    const end = this.m.events.now + maxNs;
    while (this.m.events.nextDue <= end) this.m.events.runNext();
  }

  /** gianfar-style bring-up with `txN` TX BDs (not ready) and `rxN` RX BDs (EMPTY|INTERRUPT, buffers at RX_BUFS). */
  start(o: { txN?: number; rxN?: number; mrblr?: number; imask?: number; dmactrl?: number } = {}): this {
    const txN = o.txN ?? 8;
    const rxN = o.rxN ?? 8;
    this.w(L.MACCFG1, L.MACCFG1_SOFT_RESET);
    this.w(L.MACCFG1, 0);
    this.w(L.MAXFRM, 1536);
    this.w(L.MRBLR, o.mrblr ?? 1536);
    this.w(L.MINFLR, 0x40);
    this.w(L.MACCFG2, 0x7205);
    const [a1, a2] = encodeStationAddress(OUR_MAC);
    this.w(L.MACSTNADDR1, a1);
    this.w(L.MACSTNADDR2, a2);
    this.w(L.IEVENT, 0xffff_ffff);
    this.w(L.IMASK, 0);
    for (let i = 0; i < txN; i++) this.writeBd(TX_RING + 8 * i, { status: i === txN - 1 ? L.TXBD_WRAP : 0, length: 0, pointer: 0 });
    for (let i = 0; i < rxN; i++) this.writeBd(RX_RING + 8 * i, { status: L.RXBD_EMPTY | L.RXBD_INTERRUPT | (i === rxN - 1 ? L.RXBD_WRAP : 0), length: 0, pointer: RX_BUFS + BUF_STRIDE * i });
    this.w(L.TBASE0, TX_RING);
    this.w(L.RBASE0, RX_RING);
    this.w(L.DMACTRL, (this.r(L.DMACTRL) | (o.dmactrl ?? 0xc3)) & ~(L.DMACTRL_GRS | L.DMACTRL_GTS));
    this.w(L.TSTAT, L.TSTAT_THLT0);
    this.w(L.RSTAT, L.RSTAT_QHLT0);
    this.w(L.MACCFG1, L.MACCFG1_RX_EN | L.MACCFG1_TX_EN);
    this.w(L.IMASK, o.imask ?? 0xf171_0083);
    this.run(1000);
    return this;
  }

  /** Queue a single-BD frame at TX BD `i` (buffer written first, READY last), optionally kick. */
  queueTx(i: number, frame: Uint8Array, o: { kick?: boolean; status?: number; wrap?: boolean } = {}): void {
    const buf = TX_BUFS + BUF_STRIDE * i;
    this.poke(buf, frame);
    const wrap = o.wrap ?? (this.readBd(TX_RING + 8 * i).status & L.TXBD_WRAP) !== 0;
    this.writeBd(TX_RING + 8 * i, { status: o.status ?? (L.TXBD_READY | L.TXBD_LAST | L.TXBD_INTERRUPT | L.TXBD_CRC | (wrap ? L.TXBD_WRAP : 0)), length: frame.length, pointer: buf });
    if (o.kick ?? true) this.w(L.TSTAT, L.TSTAT_THLT0);
  }
}

/** An Ethernet frame: dst, src, ethertype 0x88b5 (local experimental), payload filled with (seq + i) & 0xff. */
export function frame(len: number, dst: Uint8Array = OUR_MAC, src: Uint8Array = PEER_MAC, seq = 0): Uint8Array {
  const f = new Uint8Array(len);
  f.set(dst.subarray(0, Math.min(6, len)), 0);
  if (len > 6) f.set(src.subarray(0, Math.min(6, len - 6)), 6);
  if (len > 13) {
    f[12] = 0x88;
    f[13] = 0xb5;
  }
  for (let i = 14; i < len; i++) f[i] = (seq + i) & 0xff;
  return f;
}

export const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * A minimal polling "driver" over a Bench (test harness, not the reference driver): keeps the RX
 * ring refilled and harvests frames, feeds the TX ring and reclaims sent BDs, on a periodic event.
 */
export class MiniDriver {
  private rxNext = 0;
  private txNext = 0;
  private txClean = 0;
  private txUsed = 0;
  readonly received: Uint8Array[] = [];
  rxErrors = 0;
  rxFrames = 0;
  keep = true;
  private readonly tick = (): void => {
    this.poll();
    this.b.events.scheduleIn(this.periodNs, 'mini driver', this.tick);
  };

  constructor(readonly b: Bench, readonly rxN: number, readonly txN: number, private readonly periodNs = 5000) {
    b.start({ rxN, txN, mrblr: 2048 - 64 });
    b.events.scheduleIn(periodNs, 'mini driver', this.tick);
  }

  /** Queue a frame; false when the TX ring is full. */
  xmit(f: Uint8Array): boolean {
    if (this.txUsed === this.txN - 1) return false;
    const i = this.txNext;
    this.b.queueTx(i, f, { wrap: i === this.txN - 1 });
    this.txNext = (i + 1) % this.txN;
    this.txUsed++;
    return true;
  }

  poll(): void {
    const b = this.b;
    for (;;) {
      const pa = RX_RING + 8 * this.rxNext;
      const bd = b.readBd(pa);
      if (bd.status & L.RXBD_EMPTY) break;
      if (bd.status & L.RXBD_LAST) {
        if (bd.status & L.RXBD_ERR) this.rxErrors++;
        else {
          this.rxFrames++;
          if (this.keep) this.received.push(b.peek(bd.pointer, bd.length - 4));
        }
      }
      b.writeBd(pa, { status: L.RXBD_EMPTY | L.RXBD_INTERRUPT | (this.rxNext === this.rxN - 1 ? L.RXBD_WRAP : 0), length: 0, pointer: bd.pointer });
      this.rxNext = (this.rxNext + 1) % this.rxN;
    }
    b.w(L.RSTAT, L.RSTAT_QHLT0);
    b.w(L.IEVENT, L.IEVENT_RX_MASK | L.IEVENT_TX_MASK);
    while (this.txUsed > 0 && (b.readBd(TX_RING + 8 * this.txClean).status & L.TXBD_READY) === 0) {
      this.txClean = (this.txClean + 1) % this.txN;
      this.txUsed--;
    }
  }
}
