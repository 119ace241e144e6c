/** TX ring engine at register level: ownership, WRAP, multi-BD frames, halt and restart, timing, graceful stop, bus errors, padding/FCS and the half-written-descriptor race. */
import { describe, expect, it } from 'vitest';
import * as L from '../../../src/hw/etsec/layout.js';
import { BD_LITTLE_ENDIAN } from '../../../src/hw/etsec/index.js';
import { crc32 } from '../../../src/hw/net/crc32.js';
import { Bench, BUF_STRIDE, frame, PEER_MAC, OUR_MAC, TX_BUFS, TX_RING } from './helpers.js';

const READY_LAST = L.TXBD_READY | L.TXBD_LAST | L.TXBD_INTERRUPT | L.TXBD_CRC;

describe('TX: one frame, one BD', () => {
  it('sends the buffer, clears READY at the end of its wire time, keeps WRAP, length and pointer, raises TXF', () => {
    const b = new Bench().start({ txN: 2 });
    const f = frame(60, PEER_MAC, OUR_MAC);
    const t0 = b.events.now;
    b.queueTx(1, f, { kick: false }); // BD1 carries WRAP
    b.queueTx(0, f);
    b.run(0);
    expect(b.wire.frames.length).toBe(1); // on the wire from its first bit
    expect(b.readBd(TX_RING).status & L.TXBD_READY).toBe(L.TXBD_READY); // still owned until sent
    b.run(671);
    expect(b.readBd(TX_RING).status & L.TXBD_READY).toBe(L.TXBD_READY);
    b.run(1);
    const bd0 = b.readBd(TX_RING);
    expect(bd0).toEqual({ status: L.TXBD_LAST | L.TXBD_INTERRUPT | L.TXBD_CRC, length: 60, pointer: TX_BUFS });
    expect(Array.from(b.wire.frames[0]!.bytes)).toEqual(Array.from(f));
    expect(b.wire.frames[0]!.t).toBe(t0);
    expect(b.r(L.IEVENT) & L.IEVENT_TXF).toBe(L.IEVENT_TXF);
    expect(b.irq.tx.level).toBe(true);
    // BD1 was READY too: it goes right after, then the engine wraps and halts at BD0.
    b.run(672);
    expect(b.wire.frames.length).toBe(2);
    expect(b.readBd(TX_RING + 8).status).toBe(L.TXBD_WRAP | L.TXBD_LAST | L.TXBD_INTERRUPT | L.TXBD_CRC);
    expect(b.r(L.TBPTR0)).toBe(TX_RING);
    expect(b.r(L.TSTAT) >>> 31).toBe(1);
    expect(b.nic.counters.txFrames).toBe(2);
  });

  it('takes (8 + n + 4 + 12) × 8 ns per frame at 1 Gbit/s and 10× that at 100 Mbit/s', () => {
    for (const [rate, perByte] of [[1e9, 8], [1e8, 80]] as const) {
      const b = new Bench({ lineRateBps: rate }).start({ txN: 4 });
      for (let i = 0; i < 3; i++) b.queueTx(i, frame(1000), { kick: false });
      const t0 = b.events.now;
      b.w(L.TSTAT, L.TSTAT_THLT0);
      b.settle();
      const times = b.wire.frames.map((x) => x.t - t0);
      const wire = (8 + 1004 + 12) * perByte;
      expect(times).toEqual([0, wire, 2 * wire]);
    }
  });

  it('counts transmitted frames and bytes in RMON', () => {
    const b = new Bench().start();
    b.queueTx(0, frame(100, PEER_MAC));
    b.queueTx(1, frame(60, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)));
    b.settle();
    const rmon = (n: string): number => b.r(b.nic.registers.named(n).offset);
    expect(rmon('TPKT')).toBe(2);
    expect(rmon('TBYT')).toBe(104 + 64);
    expect(rmon('TBCA')).toBe(1);
    expect(rmon('TR64')).toBe(1);
    expect(rmon('TR127')).toBe(1);
  });
});

describe('TX: ring walking', () => {
  it('wraps at the BD with WRAP back to TBASE0 and reuses the ring', () => {
    const b = new Bench().start({ txN: 2 });
    for (let n = 0; n < 5; n++) {
      b.queueTx(n % 2, frame(64, PEER_MAC, OUR_MAC, n));
      b.settle();
    }
    expect(b.wire.frames.map((f) => f.bytes[14])).toEqual([14, 15, 16, 17, 18]);
    expect(b.r(L.TBPTR0)).toBe(TX_RING + 8);
  });

  it('gathers a frame across BDs until LAST and closes every one; INTERRUPT on a middle BD gives TXB', () => {
    const b = new Bench().start({ txN: 4 });
    const f = frame(300, PEER_MAC);
    const parts = [f.subarray(0, 14), f.subarray(14, 200), f.subarray(200)];
    parts.forEach((p, i) => b.poke(TX_BUFS + BUF_STRIDE * i, p));
    // Follow-on BDs first, the first BD last (as gianfar does).
    b.writeBd(TX_RING + 16, { status: L.TXBD_READY | L.TXBD_LAST | L.TXBD_INTERRUPT, length: parts[2]!.length, pointer: TX_BUFS + 2 * BUF_STRIDE });
    b.writeBd(TX_RING + 8, { status: L.TXBD_READY | L.TXBD_INTERRUPT, length: parts[1]!.length, pointer: TX_BUFS + BUF_STRIDE });
    b.writeBd(TX_RING, { status: L.TXBD_READY | L.TXBD_CRC, length: 14, pointer: TX_BUFS });
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.settle();
    expect(b.wire.frames.length).toBe(1);
    expect(Array.from(b.wire.frames[0]!.bytes)).toEqual(Array.from(f));
    for (let i = 0; i < 3; i++) expect(b.readBd(TX_RING + 8 * i).status & L.TXBD_READY, `BD${i}`).toBe(0);
    expect(b.r(L.IEVENT) & (L.IEVENT_TXB | L.IEVENT_TXF)).toBe((L.IEVENT_TXB | L.IEVENT_TXF) >>> 0);
    expect(b.r(L.TBPTR0)).toBe(TX_RING + 24);
  });

  it('halts (THLT) at a BD without READY and restarts from TBPTR0 when TSTAT is written with THLT', () => {
    const b = new Bench().start();
    expect(b.r(L.TSTAT)).toBe(L.TSTAT_THLT0 >>> 0); // enabling TX found BD0 not ready
    b.queueTx(0, frame(64, PEER_MAC), { kick: false });
    b.run(100_000);
    expect(b.wire.frames.length).toBe(0); // halted: READY alone does nothing
    b.w(L.TSTAT, 0);
    b.run(100_000);
    expect(b.wire.frames.length).toBe(0); // writing 0 clears nothing
    b.w(L.TSTAT, L.TSTAT_THLT0);
    expect(b.r(L.TSTAT)).toBe(0);
    b.settle();
    expect(b.wire.frames.length).toBe(1);
    expect(b.r(L.TSTAT)).toBe(L.TSTAT_THLT0 >>> 0);
    expect(b.nic.counters.txHalts).toBe(2);
  });

  it('resets TBPTR0 when TBASE0 is written', () => {
    const b = new Bench().start();
    b.queueTx(0, frame(64));
    b.settle();
    expect(b.r(L.TBPTR0)).toBe(TX_RING + 8);
    b.w(L.TBASE0, 0x3_0000 | 7);
    expect(b.r(L.TBASE0)).toBe(0x3_0000); // 8-byte aligned
    expect(b.r(L.TBPTR0)).toBe(0x3_0000);
  });

  it('polls a not-ready BD when DMACTRL.WOP is clear, without a TSTAT kick', () => {
    const b = new Bench().start({ dmactrl: 0xc2 });
    expect(b.r(L.TSTAT)).toBe(0);
    b.queueTx(0, frame(64), { kick: false });
    b.run(4096);
    expect(b.wire.frames.length).toBe(1);
    expect(b.nic.counters.txPolls).toBeGreaterThan(0);
  });

  it('reads little-endian descriptors when DMACTRL.LE is set', () => {
    const b = new Bench();
    b.layout = BD_LITTLE_ENDIAN;
    b.start({ dmactrl: 0xc3 | L.DMACTRL_LE });
    b.queueTx(0, frame(80, PEER_MAC));
    b.settle();
    expect(b.wire.frames.length).toBe(1);
    expect(b.readBd(TX_RING).status & L.TXBD_READY).toBe(0);
    // lstatus is one little-endian word: length in bytes 0-1, status in 2-3.
    expect(Array.from(b.peek(TX_RING, 4))).toEqual([80, 0, 0x00, 0x1c]);
  });
});

describe('TX: the device really races the driver', () => {
  it('DMAs from the stale buffer pointer when READY is written before the pointer', () => {
    const b = new Bench().start();
    const stale = frame(64, PEER_MAC, OUR_MAC, 0x40);
    const fresh = frame(64, PEER_MAC, OUR_MAC, 0x80);
    b.poke(0x30_0000, stale);
    b.poke(0x31_0000, fresh);
    b.writeBd(TX_RING + 8, { status: 0, length: 0, pointer: 0x30_0000 }); // recycled BD: old pointer
    b.queueTx(0, frame(1500, PEER_MAC)); // the engine is busy with this one for 12.2 µs
    b.run(1000);
    // Buggy order: lstatus first (READY), pointer after. The engine finishes frame 0 in between.
    b.writeLstatus(TX_RING + 8, READY_LAST, 64);
    b.run(12_000);
    b.writePointer(TX_RING + 8, 0x31_0000);
    b.settle();
    expect(b.wire.frames.length).toBe(2);
    expect(Array.from(b.wire.frames[1]!.bytes)).toEqual(Array.from(stale));
  });

  it('finds the BD not ready when TSTAT is kicked before the descriptor is written, and sits halted', () => {
    const b = new Bench().start();
    b.poke(TX_BUFS, frame(64));
    b.w(L.TSTAT, L.TSTAT_THLT0); // kick first ...
    b.run(0); // ... the device gets there at the next clock step
    b.writeBd(TX_RING, { status: READY_LAST, length: 64, pointer: TX_BUFS }); // ... descriptor after
    b.run(1_000_000);
    expect(b.wire.frames.length).toBe(0);
    expect(b.r(L.TSTAT) >>> 31).toBe(1);
  });

  it('waits mid-frame when a follow-on BD is not READY yet (first BD made ready too early)', () => {
    const b = new Bench().start();
    const f = frame(200, PEER_MAC);
    b.poke(TX_BUFS, f.subarray(0, 100));
    b.poke(TX_BUFS + BUF_STRIDE, f.subarray(100));
    b.writeBd(TX_RING, { status: L.TXBD_READY | L.TXBD_CRC, length: 100, pointer: TX_BUFS });
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.run(10_000);
    expect(b.nic.counters.txMidFrameHalts).toBe(1);
    expect(b.wire.frames.length).toBe(0);
    b.writeBd(TX_RING + 8, { status: READY_LAST, length: 100, pointer: TX_BUFS + BUF_STRIDE });
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.settle();
    expect(Array.from(b.wire.frames[0]!.bytes)).toEqual(Array.from(f));
  });
});

describe('TX: frame shaping', () => {
  it('pads short frames to 60 bytes (64 with FCS) when PAD/CRC is on', () => {
    const b = new Bench().start();
    b.queueTx(0, frame(42, PEER_MAC));
    b.settle();
    expect(b.wire.frames[0]!.bytes.length).toBe(60);
    expect(Array.from(b.wire.frames[0]!.bytes.subarray(42))).toEqual(new Array(18).fill(0));
  });

  it('sends a software FCS as written when neither TC nor MACCFG2 append one, flagging a bad one', () => {
    const b = new Bench().start();
    b.w(L.MACCFG2, 0x7201); // no PAD/CRC, no CRC_EN
    const body = frame(100, PEER_MAC);
    const good = new Uint8Array(104);
    good.set(body);
    new DataView(good.buffer).setUint32(100, crc32(body), true);
    const bad = good.slice();
    bad[103] = bad[103]! ^ 0xff;
    b.queueTx(0, good, { status: L.TXBD_READY | L.TXBD_LAST });
    b.queueTx(1, bad, { status: L.TXBD_READY | L.TXBD_LAST });
    b.settle();
    expect(b.wire.frames.map((f) => [f.bytes.length, f.crcError])).toEqual([[100, false], [100, true]]);
  });

  it('skips the 8-byte FCB when TOE is set on the first BD', () => {
    const b = new Bench().start();
    const f = frame(80, PEER_MAC);
    const withFcb = new Uint8Array(88);
    withFcb.set(f, 8);
    b.queueTx(0, withFcb, { status: READY_LAST | L.TXBD_TOE });
    b.settle();
    expect(Array.from(b.wire.frames[0]!.bytes)).toEqual(Array.from(f));
  });

  it('cuts a frame above MAXFRM (no HUGEFRAME) and raises BABT', () => {
    const b = new Bench().start();
    b.queueTx(0, frame(1600, PEER_MAC));
    b.settle();
    expect(b.wire.frames[0]!.bytes.length).toBe(1532);
    expect(b.wire.frames[0]!.crcError).toBe(true);
    expect(b.r(L.IEVENT) & L.IEVENT_BABT).toBe(L.IEVENT_BABT);
  });
});

describe('TX: stops', () => {
  it('completes a graceful transmit stop after the frame on the wire (GTSC), and at once when idle', () => {
    const b = new Bench().start();
    b.queueTx(0, frame(1500, PEER_MAC));
    b.queueTx(1, frame(1500, PEER_MAC));
    b.run(100);
    b.w(L.DMACTRL, b.r(L.DMACTRL) | L.DMACTRL_GTS);
    expect(b.r(L.IEVENT) & L.IEVENT_GTSC).toBe(0);
    b.settle();
    expect(b.r(L.IEVENT) & L.IEVENT_GTSC).toBe(L.IEVENT_GTSC);
    expect(b.wire.frames.length).toBe(1); // BD1 waits
    expect(b.readBd(TX_RING).status & L.TXBD_READY).toBe(0);
    b.w(L.IEVENT, L.IEVENT_GTSC);
    b.w(L.DMACTRL, b.r(L.DMACTRL) & ~L.DMACTRL_GTS); // resume
    b.settle();
    expect(b.wire.frames.length).toBe(2);
    b.w(L.DMACTRL, b.r(L.DMACTRL) | L.DMACTRL_GTS);
    expect(b.r(L.IEVENT) & L.IEVENT_GTSC).toBe(L.IEVENT_GTSC);
  });

  it('sends nothing while TX_EN is clear, the MAC is in soft reset or TQUEUE.EN0 is clear', () => {
    const b = new Bench().start();
    for (const [reg, value] of [[L.MACCFG1, L.MACCFG1_RX_EN], [L.MACCFG1, L.MACCFG1_SOFT_RESET | L.MACCFG1_TX_EN], [L.TQUEUE, 0]] as const) {
      const old = b.r(reg);
      b.w(reg, value);
      b.queueTx(0, frame(64), { kick: true });
      b.run(100_000);
      expect(b.wire.frames.length, `0x${reg.toString(16)}`).toBe(0);
      b.writeBd(TX_RING, { status: 0, length: 0, pointer: 0 });
      b.w(reg, old & ~L.MACCFG1_SYNCD_RX_EN & ~L.MACCFG1_SYNCD_TX_EN);
      b.w(L.TBASE0, TX_RING);
    }
  });

  it('raises EBERR and halts when a BD or a buffer sits in a bus hole', () => {
    const b = new Bench().start();
    b.w(L.TBASE0, 0x4000_0000); // beyond the 16 MiB of RAM
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.run(10);
    expect(b.r(L.IEVENT) & L.IEVENT_EBERR).toBe(L.IEVENT_EBERR);
    expect(b.r(L.TSTAT) >>> 31).toBe(1);
    expect(b.irq.err.level).toBe(true);
    b.w(L.IEVENT, 0xffff_ffff);
    b.w(L.TBASE0, TX_RING);
    b.writeBd(TX_RING, { status: READY_LAST, length: 64, pointer: 0x4000_0000 });
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.run(10);
    expect(b.r(L.IEVENT) & L.IEVENT_EBERR).toBe(L.IEVENT_EBERR);
    expect(b.wire.frames.length).toBe(0);
    expect(b.readBd(TX_RING).status & L.TXBD_READY).toBe(L.TXBD_READY);
  });
});

describe('TX: loopback', () => {
  it('with MACCFG1.LOOPBACK returns frames to the RX ring and puts nothing on the wire', () => {
    const b = new Bench().start();
    b.w(L.MACCFG1, b.r(L.MACCFG1) | L.MACCFG1_LOOPBACK);
    const f = frame(100, OUR_MAC, PEER_MAC);
    b.queueTx(0, f);
    b.settle();
    expect(b.wire.frames.length).toBe(0);
    const rx = b.readBd(0x2_0000);
    expect(rx.status & (L.RXBD_EMPTY | L.RXBD_LAST)).toBe(L.RXBD_LAST);
    expect(rx.length).toBe(104);
    expect(Array.from(b.peek(rx.pointer, 100))).toEqual(Array.from(f));
  });
});

describe('TX: buffers held while they stream out', () => {
  it('claims each buffer of a frame from its fetch until its BD closes, and lets go on soft reset', () => {
    const b = new Bench().start();
    const f = frame(1000, PEER_MAC);
    b.poke(TX_BUFS, f.subarray(0, 400));
    b.poke(TX_BUFS + BUF_STRIDE, f.subarray(400));
    b.writeBd(TX_RING + 8, { status: READY_LAST, length: 600, pointer: TX_BUFS + BUF_STRIDE });
    b.writeBd(TX_RING, { status: L.TXBD_READY | L.TXBD_CRC, length: 400, pointer: TX_BUFS });
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.run(100);
    expect(b.nic.bus.claims).toEqual([{ pa: TX_BUFS, len: 400 }, { pa: TX_BUFS + BUF_STRIDE, len: 600 }]);
    b.settle();
    expect(b.nic.bus.claims).toEqual([]);
    b.queueTx(2, frame(1000, PEER_MAC));
    b.run(100);
    expect(b.nic.bus.claims.length).toBe(1);
    b.w(L.MACCFG1, L.MACCFG1_SOFT_RESET);
    expect(b.nic.bus.claims).toEqual([]);
  });
});

describe('TX: 36-bit addresses', () => {
  it('takes the high 4 bits of buffer addresses from TBDBPH (here beyond RAM: a bus error)', () => {
    const b = new Bench().start();
    b.w(L.TBDBPH, 0x1);
    expect(b.r(L.TBDBPH)).toBe(1);
    b.queueTx(0, frame(64, PEER_MAC));
    b.settle();
    expect(b.r(L.IEVENT) & L.IEVENT_EBERR).toBe(L.IEVENT_EBERR);
    expect(b.wire.frames.length).toBe(0);
    b.w(L.TBDBPH, 0);
    b.w(L.IEVENT, 0xffff_ffff);
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.settle();
    expect(b.wire.frames.length).toBe(1); // the same BD, now in reach
  });
});
