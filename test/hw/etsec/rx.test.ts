/** RX ring engine at register level: ownership, WRAP, multi-BD frames with the whole-frame length, BSY/QHLT and resume, error bits, filtering, FCB/padding, claims, graceful stop, bus errors. */
import { describe, expect, it } from 'vitest';
import * as L from '../../../src/hw/etsec/layout.js';
import { encodeStationAddress, hashPosition, hashRegisterName, decodeStationAddress } from '../../../src/hw/etsec/index.js';
import { crc32 } from '../../../src/hw/net/crc32.js';
import { BAD_CRC_FRAME } from '../../../src/hw/net/wire.js';
import { Bench, BROADCAST, BUF_STRIDE, frame, OUR_MAC, PEER_MAC, RX_BUFS, RX_RING } from './helpers.js';

const rxBd = (b: Bench, i: number) => b.readBd(RX_RING + 8 * i);
const rearm = (b: Bench, i: number, wrap = false): void =>
  b.writeBd(RX_RING + 8 * i, { status: L.RXBD_EMPTY | L.RXBD_INTERRUPT | (wrap ? L.RXBD_WRAP : 0), length: 0, pointer: RX_BUFS + BUF_STRIDE * i });
const fcsBytes = (f: Uint8Array): number[] => {
  const c = crc32(f);
  return [c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24];
};

describe('RX: one frame, one BD', () => {
  it('stores frame + FCS, clears EMPTY, sets FIRST|LAST with the whole length at the end of the frame, raises RXF0', () => {
    const b = new Bench().start();
    const f = frame(100);
    const t0 = b.events.now;
    b.nic.port.receiveFrame(f);
    expect(rxBd(b, 0).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
    b.run((8 + 104) * 8 - 1);
    expect(rxBd(b, 0).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY); // still being received
    b.run(1);
    expect(b.events.now - t0).toBe(896);
    expect(rxBd(b, 0)).toEqual({ status: L.RXBD_FIRST | L.RXBD_LAST | L.RXBD_INTERRUPT, length: 104, pointer: RX_BUFS });
    expect(Array.from(b.peek(RX_BUFS, 104))).toEqual([...f, ...fcsBytes(f)]);
    expect(b.r(L.IEVENT) & L.IEVENT_RXF0).toBe(L.IEVENT_RXF0);
    expect(b.r(L.RSTAT) & L.RSTAT_RXF0).toBe(L.RSTAT_RXF0);
    expect(b.irq.rx.level).toBe(true);
    expect(b.r(L.RBPTR0)).toBe(RX_RING + 8);
  });

  it('wraps at the BD with WRAP back to RBASE0', () => {
    const b = new Bench().start({ rxN: 2 });
    for (let n = 0; n < 5; n++) {
      b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, n));
      b.settle();
      const i = n % 2;
      expect(rxBd(b, i).status & (L.RXBD_EMPTY | L.RXBD_LAST), `frame ${n}`).toBe(L.RXBD_LAST);
      expect(b.peek(RX_BUFS + BUF_STRIDE * i + 14, 1)[0]).toBe((n + 14) & 0xff);
      rearm(b, i, i === 1);
    }
    expect(b.r(L.RBPTR0)).toBe(RX_RING + 8);
  });

  it('counts received frames, bytes, broadcasts and size buckets in RMON', () => {
    const b = new Bench().start();
    b.nic.port.receiveFrame(frame(60));
    b.settle();
    b.nic.port.receiveFrame(frame(200, BROADCAST));
    b.settle();
    const rmon = (n: string): number => b.r(b.nic.registers.named(n).offset);
    expect([rmon('RPKT'), rmon('RBYT'), rmon('RBCA'), rmon('TR64'), rmon('TR255')]).toEqual([2, 64 + 204, 1, 1, 1]);
  });
});

describe('RX: multi-BD frames', () => {
  it('splits at MRBLR: FIRST on the first BD, per-buffer lengths, LAST with the whole-frame length; RXB0 for the others', () => {
    const b = new Bench().start({ mrblr: 128 });
    const f = frame(300);
    b.nic.port.receiveFrame(f);
    b.run((8 + 128) * 8);
    expect(rxBd(b, 0)).toEqual({ status: L.RXBD_FIRST | L.RXBD_INTERRUPT, length: 128, pointer: RX_BUFS });
    expect(rxBd(b, 1).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
    expect(b.r(L.IEVENT) & (L.IEVENT_RXB0 | L.IEVENT_RXF0)).toBe(L.IEVENT_RXB0);
    b.settle();
    expect(rxBd(b, 1)).toEqual({ status: L.RXBD_INTERRUPT, length: 128, pointer: RX_BUFS + BUF_STRIDE });
    expect(rxBd(b, 2)).toEqual({ status: L.RXBD_LAST | L.RXBD_INTERRUPT, length: 304, pointer: RX_BUFS + 2 * BUF_STRIDE });
    const stored = [...b.peek(RX_BUFS, 128), ...b.peek(RX_BUFS + BUF_STRIDE, 128), ...b.peek(RX_BUFS + 2 * BUF_STRIDE, 48)];
    expect(stored).toEqual([...f, ...fcsBytes(f)]);
    expect(b.r(L.IEVENT) & L.IEVENT_RXF0).toBe(L.IEVENT_RXF0);
  });

  it('claims each buffer while it fills and releases it when the BD closes', () => {
    const b = new Bench().start({ mrblr: 128 });
    const claims = b.nic.bus.claims;
    b.nic.port.receiveFrame(frame(300));
    expect(claims).toEqual([{ pa: RX_BUFS, len: 128 }]);
    b.run((8 + 128) * 8);
    expect(claims).toEqual([{ pa: RX_BUFS + BUF_STRIDE, len: 128 }]);
    b.settle();
    expect(claims).toEqual([]);
  });

  it('prepends the 8-byte FCB (PRSDEP) and RCTRL.PAL padding, counted in the lengths', () => {
    const b = new Bench().start();
    b.w(L.RCTRL, L.RCTRL_PRSDEP_MASK | (2 << L.RCTRL_PAL_SHIFT));
    const f = frame(64);
    b.nic.port.receiveFrame(f);
    b.settle();
    expect(rxBd(b, 0).length).toBe(8 + 2 + 68);
    expect(Array.from(b.peek(RX_BUFS, 10))).toEqual(new Array(10).fill(0));
    expect(Array.from(b.peek(RX_BUFS + 10, 64))).toEqual(Array.from(f));
  });
});

describe('RX: ring exhaustion', () => {
  it('drops a frame with no EMPTY BD: BSY on RX and ER lines, QHLT, RDRP; writing RSTAT.QHLT resumes', () => {
    const b = new Bench().start({ rxN: 2 });
    for (let n = 0; n < 2; n++) {
      b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, n));
      b.settle();
    }
    b.w(L.IEVENT, 0xffff_ffff);
    b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, 2));
    b.settle();
    expect(b.r(L.IEVENT) & L.IEVENT_BSY).toBe(L.IEVENT_BSY);
    expect(b.r(L.RSTAT) & L.RSTAT_QHLT0).toBe(L.RSTAT_QHLT0);
    expect(b.irq.rx.level && b.irq.err.level).toBe(true);
    expect(b.r(b.nic.registers.named('RDRP').offset)).toBe(1);
    b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, 3)); // halted: dropped even once BDs come back
    rearm(b, 0);
    b.settle();
    expect(b.nic.counters.rxHaltedDrops).toBe(1);
    expect(rxBd(b, 0).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
    b.w(L.RSTAT, L.RSTAT_QHLT0);
    expect(b.r(L.RSTAT) & L.RSTAT_QHLT0).toBe(0);
    b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, 4));
    b.settle();
    expect(rxBd(b, 0).status & L.RXBD_LAST).toBe(L.RXBD_LAST);
    expect(b.peek(RX_BUFS + 14, 1)[0]).toBe(18);
  });

  it('leaves a frame cut in the middle with FIRST but no LAST when the ring runs out mid-frame', () => {
    const b = new Bench().start({ rxN: 2, mrblr: 128 });
    b.nic.port.receiveFrame(frame(400));
    b.settle();
    expect(rxBd(b, 0).status & (L.RXBD_FIRST | L.RXBD_LAST)).toBe(L.RXBD_FIRST);
    expect(rxBd(b, 1).status & (L.RXBD_FIRST | L.RXBD_LAST | L.RXBD_EMPTY)).toBe(0);
    expect(b.r(L.IEVENT) & L.IEVENT_BSY).toBe(L.IEVENT_BSY);
    expect(b.nic.counters.rxCutFrames).toBe(1);
    expect(b.nic.bus.claims).toEqual([]);
  });
});

describe('RX: error bits in the LAST BD', () => {
  it('sets CRCERR for a bad FCS from the wire (and stores the corrupted FCS)', () => {
    const b = new Bench().start();
    const f = frame(100);
    b.nic.port.receiveFrame(f, BAD_CRC_FRAME);
    b.settle();
    expect(rxBd(b, 0).status & L.RXBD_ERR).toBe(L.RXBD_CRCERR);
    expect(Array.from(b.peek(RX_BUFS + 100, 4))).not.toEqual(fcsBytes(f));
    expect(b.r(b.nic.registers.named('RFCS').offset)).toBe(1);
  });

  it('sets SHORT below MINFLR', () => {
    const b = new Bench().start();
    b.nic.port.receiveFrame(frame(40));
    b.settle();
    expect(rxBd(b, 0).status & L.RXBD_ERR).toBe(L.RXBD_SHORT);
    expect(rxBd(b, 0).length).toBe(44);
    expect(b.r(b.nic.registers.named('RUND').offset)).toBe(1);
  });

  it('sets LARGE above MAXFRM with BABR; TRUNCATED and cut at MAXFRM unless MACCFG2.HUGEFRAME', () => {
    const b = new Bench().start({ mrblr: 2048 });
    b.nic.port.receiveFrame(frame(1600));
    b.settle();
    expect(rxBd(b, 0).status & L.RXBD_ERR).toBe(L.RXBD_LARGE | L.RXBD_TRUNCATED);
    expect(rxBd(b, 0).length).toBe(1536);
    expect(b.r(L.IEVENT) >>> 31).toBe(1); // BABR
    b.w(L.MACCFG2, b.r(L.MACCFG2) | L.MACCFG2_HUGEFRAME);
    b.nic.port.receiveFrame(frame(1600));
    b.settle();
    expect(rxBd(b, 1).status & L.RXBD_ERR).toBe(L.RXBD_LARGE);
    expect(rxBd(b, 1).length).toBe(1604);
  });

  it('sets OVERRUN on a frame still being stored when another arrives on top of it, which is dropped', () => {
    const b = new Bench().start();
    b.nic.port.receiveFrame(frame(1000));
    b.run(100);
    b.nic.port.receiveFrame(frame(64));
    b.settle();
    expect(rxBd(b, 0).status & L.RXBD_ERR).toBe(L.RXBD_OVERRUN);
    expect(rxBd(b, 1).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
    expect(b.nic.counters.rxOverruns).toBe(1);
  });
});

describe('RX: address filter', () => {
  it('encodes the station address in reversed byte order (12:34:56:78:9a:bc → 0xbc9a7856, 0x34120000)', () => {
    const mac = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc);
    expect(encodeStationAddress(mac)).toEqual([0xbc9a7856, 0x34120000]);
    expect(Array.from(decodeStationAddress(0xbc9a7856, 0x34120000))).toEqual(Array.from(mac));
    const b = new Bench().start();
    b.w(L.MACSTNADDR1, 0xbc9a7856);
    b.w(L.MACSTNADDR2, 0x34120000);
    b.nic.port.receiveFrame(frame(64, mac));
    b.settle();
    b.nic.port.receiveFrame(frame(64, OUR_MAC)); // no longer ours
    b.settle();
    expect(b.nic.counters.rxFrames).toBe(1);
    expect(b.nic.counters.rxFiltered).toBe(1);
  });

  it('accepts own address and broadcast (BROADCAST bit), drops other unicast', () => {
    const b = new Bench().start();
    b.nic.port.receiveFrame(frame(64, BROADCAST));
    b.settle();
    b.nic.port.receiveFrame(frame(64, Uint8Array.of(2, 0, 0, 0, 0, 9)));
    b.settle();
    expect(rxBd(b, 0).status & L.RXBD_STATS).toBe(L.RXBD_BROADCAST);
    expect(b.nic.counters.rxFiltered).toBe(1);
  });

  it('accepts a multicast whose hash bit is set (8-bit GADDR and 9-bit extended hash), MULTICAST bit', () => {
    const group = Uint8Array.of(0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb);
    for (const width of [8, 9] as const) {
      const b = new Bench().start();
      if (width === 9) b.w(L.RCTRL, L.RCTRL_GHTX);
      b.nic.port.receiveFrame(frame(64, group));
      b.settle();
      expect(b.nic.counters.rxFiltered).toBe(1);
      const pos = hashPosition(group, width);
      b.w(b.nic.registers.named(hashRegisterName(pos.register, width)).offset, pos.mask);
      b.nic.port.receiveFrame(frame(64, group));
      b.settle();
      expect(b.nic.counters.rxFrames, `width ${width}`).toBe(1);
      expect(rxBd(b, 0).status & L.RXBD_STATS).toBe(L.RXBD_MULTICAST);
    }
  });

  it('accepts an exact-match entry', () => {
    const b = new Bench().start();
    const other = Uint8Array.of(2, 0, 0, 0, 0, 0x42);
    const [a1, a2] = encodeStationAddress(other);
    b.w(b.nic.registers.named('MAC07ADDR1').offset, a1);
    b.w(b.nic.registers.named('MAC07ADDR2').offset, a2);
    b.nic.port.receiveFrame(frame(64, other));
    b.settle();
    expect(b.nic.counters.rxFrames).toBe(1);
  });

  it('accepts everything in RCTRL.PROM, marking what matched nothing with MISS', () => {
    const b = new Bench().start();
    b.w(L.RCTRL, L.RCTRL_PROM);
    b.nic.port.receiveFrame(frame(64, Uint8Array.of(2, 0, 0, 0, 0, 9)));
    b.settle();
    b.nic.port.receiveFrame(frame(64));
    b.settle();
    expect(rxBd(b, 0).status & L.RXBD_STATS).toBe(L.RXBD_MISS);
    expect(rxBd(b, 1).status & L.RXBD_STATS).toBe(0);
  });
});

describe('RX: stops and faults', () => {
  it('completes a graceful receive stop after the frame in progress (GRSC) and refuses frames while GRS is set', () => {
    const b = new Bench().start();
    b.nic.port.receiveFrame(frame(1000));
    b.run(100);
    b.w(L.DMACTRL, b.r(L.DMACTRL) | L.DMACTRL_GRS);
    expect(b.r(L.IEVENT) & L.IEVENT_GRSC).toBe(0);
    b.settle();
    expect(b.r(L.IEVENT) & L.IEVENT_GRSC).toBe(L.IEVENT_GRSC);
    expect(rxBd(b, 0).status & L.RXBD_LAST).toBe(L.RXBD_LAST);
    b.nic.port.receiveFrame(frame(64));
    b.settle();
    expect(b.nic.counters.rxStoppedDrops).toBe(1);
    b.w(L.DMACTRL, b.r(L.DMACTRL) & ~L.DMACTRL_GRS);
    b.nic.port.receiveFrame(frame(64));
    b.settle();
    expect(rxBd(b, 1).status & L.RXBD_LAST).toBe(L.RXBD_LAST);
  });

  it('ignores the wire while RX_EN is clear or the MAC is in soft reset', () => {
    const b = new Bench().start();
    b.w(L.MACCFG1, L.MACCFG1_TX_EN);
    b.nic.port.receiveFrame(frame(64));
    b.w(L.MACCFG1, L.MACCFG1_SOFT_RESET | L.MACCFG1_RX_EN);
    b.nic.port.receiveFrame(frame(64));
    b.settle();
    expect(b.nic.counters.rxDisabledDrops).toBe(2);
    expect(rxBd(b, 0).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
  });

  it('raises EBERR and halts the queue when the RX ring sits in a bus hole', () => {
    const b = new Bench().start();
    b.w(L.RBASE0, 0x4000_0000);
    b.nic.port.receiveFrame(frame(64));
    expect(b.r(L.IEVENT) & L.IEVENT_EBERR).toBe(L.IEVENT_EBERR);
    expect(b.r(L.RSTAT) & L.RSTAT_QHLT0).toBe(L.RSTAT_QHLT0);
    expect(b.irq.err.level).toBe(true);
  });

  it('drops a frame whose buffer pointer is a hole mid-way with EBERR and releases its claim', () => {
    const b = new Bench().start();
    b.writeBd(RX_RING, { status: L.RXBD_EMPTY | L.RXBD_INTERRUPT, length: 0, pointer: 0x4000_0000 });
    b.nic.port.receiveFrame(frame(64));
    b.settle();
    expect(b.r(L.IEVENT) & L.IEVENT_EBERR).toBe(L.IEVENT_EBERR);
    expect(b.nic.bus.claims).toEqual([]);
  });
});

describe('RX: the device really races the driver', () => {
  it('writes into the stale buffer when EMPTY is set before the new buffer pointer', () => {
    const b = new Bench().start({ rxN: 2 });
    b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, 1)); // fills BD0
    b.settle();
    // Recycle BD0 the wrong way round: EMPTY first (old pointer still there), pointer later.
    b.writeLstatus(RX_RING, L.RXBD_EMPTY | L.RXBD_INTERRUPT, 0);
    b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, 2)); // BD1
    b.settle();
    b.nic.port.receiveFrame(frame(64, OUR_MAC, PEER_MAC, 3)); // wraps to BD0 before the pointer store
    b.run(10);
    b.writePointer(RX_RING, 0x38_0000);
    b.settle();
    expect(b.peek(RX_BUFS + 14, 1)[0]).toBe(3 + 14); // landed in the old buffer (the one the stack may still hold)
    expect(b.peek(0x38_0000 + 14, 1)[0]).toBe(0);
  });
});
