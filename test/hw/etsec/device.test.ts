/** eTSEC device-level behaviour: IRQ lines derived from IEVENT & IMASK, coalescing, soft reset, MDIO and the PHY, snapshots. */
import { describe, expect, it } from 'vitest';
import * as L from '../../../src/hw/etsec/layout.js';
import { encodeCoalescing, Etsec, mii } from '../../../src/hw/etsec/index.js';
import { Bench, frame, OUR_MAC, PEER_MAC, RX_RING, TX_RING } from './helpers.js';

describe('interrupt lines', () => {
  it('derives TX, RX and ER from IEVENT & IMASK in gianfar groups (BSY on RX and ER)', () => {
    const b = new Bench();
    const levels = () => [b.irq.tx.level, b.irq.rx.level, b.irq.err.level];
    const cases: [number, boolean[]][] = [
      [L.IEVENT_TXF, [true, false, false]], [L.IEVENT_TXB, [true, false, false]],
      [L.IEVENT_RXF0, [false, true, false]], [L.IEVENT_RXB0, [false, true, false]],
      [L.IEVENT_BSY, [false, true, true]], [L.IEVENT_EBERR, [false, false, true]],
      [L.IEVENT_BABR, [false, false, true]], [L.IEVENT_XFUN, [false, false, true]], [L.IEVENT_GRSC, [false, false, true]],
    ];
    for (const [bit, want] of cases) {
      b.nic.raise(bit);
      expect(levels(), `masked 0x${bit.toString(16)}`).toEqual([false, false, false]);
      b.w(L.IMASK, bit);
      expect(levels(), `0x${bit.toString(16)}`).toEqual(want);
      b.w(L.IMASK, 0);
      expect(levels()).toEqual([false, false, false]);
      b.w(L.IMASK, bit);
      b.w(L.IEVENT, bit);
      expect(levels()).toEqual([false, false, false]);
      b.w(L.IMASK, 0);
    }
  });

  it('drives a line only when its level changes', () => {
    const b = new Bench();
    b.w(L.IMASK, L.IEVENT_RXF0 | L.IEVENT_RXB0);
    b.nic.raise(L.IEVENT_RXF0);
    b.nic.raise(L.IEVENT_RXB0);
    b.w(L.IEVENT, L.IEVENT_RXF0);
    expect(b.irq.rx.history).toEqual([false, true]);
    b.w(L.IEVENT, L.IEVENT_RXB0);
    expect(b.irq.rx.history).toEqual([false, true, false]);
  });

  it('matches gianfar masks: RX 0x20008080, TX 0x00300000, ERR 0xf5c70803', () => {
    expect(L.IEVENT_RX_MASK).toBe(0x2000_8080);
    expect(L.IEVENT_TX_MASK).toBe(0x0030_0000);
    expect(L.IEVENT_ERR_MASK).toBe(0xf5c7_0803);
  });
});

describe('coalescing', () => {
  it('holds RXF until ICFT frames have arrived', () => {
    const b = new Bench().start({ rxN: 8 });
    b.w(L.RXIC, 0);
    b.w(L.RXIC, encodeCoalescing(3, 0xffff));
    for (let n = 0; n < 2; n++) {
      b.nic.port.receiveFrame(frame(64));
      b.settle(1000);
    }
    expect(b.r(L.IEVENT) & L.IEVENT_RXF0).toBe(0);
    expect(b.nic.coalesced.rx).toBe(2);
    expect(b.irq.rx.level).toBe(false);
    b.nic.port.receiveFrame(frame(64));
    b.settle(1000);
    expect(b.r(L.IEVENT) & L.IEVENT_RXF0).toBe(L.IEVENT_RXF0);
    expect(b.irq.rx.level).toBe(true);
    expect(b.nic.coalesced.rx).toBe(0);
  });

  it('fires TXF when the timer (ICTT × 64 interface clocks after the first held frame) runs out', () => {
    const b = new Bench().start();
    b.w(L.TXIC, encodeCoalescing(16, 21)); // gianfar's default: 16 frames / 21 ticks = 10.752 µs at 1 Gbit/s
    b.queueTx(0, frame(60, PEER_MAC)); // 64 bytes with the FCS: 672 ns on the wire
    const t0 = b.events.now;
    b.run(672); // frame done: the timer starts
    expect(b.r(L.IEVENT) & L.IEVENT_TXF).toBe(0);
    b.run(21 * 512 - 1);
    expect(b.r(L.IEVENT) & L.IEVENT_TXF).toBe(0);
    b.run(1);
    expect(b.events.now - t0).toBe(672 + 10_752);
    expect(b.r(L.IEVENT) & L.IEVENT_TXF).toBe(L.IEVENT_TXF);
    expect(b.irq.tx.level).toBe(true);
  });

  it('uses 64 × 40 ns ticks at 100 Mbit/s and signals held frames when the register is rewritten', () => {
    const b = new Bench({ lineRateBps: 1e8 }).start();
    b.w(L.RXIC, encodeCoalescing(10, 1));
    b.nic.port.receiveFrame(frame(64));
    b.run((8 + 68) * 80);
    expect(b.nic.coalesced.rx).toBe(1);
    b.run(2559);
    expect(b.r(L.IEVENT) & L.IEVENT_RXF0).toBe(0);
    b.run(1);
    expect(b.r(L.IEVENT) & L.IEVENT_RXF0).toBe(L.IEVENT_RXF0);
    b.w(L.IEVENT, 0xffff_ffff);
    b.nic.port.receiveFrame(frame(64));
    b.run((8 + 68) * 80);
    b.w(L.RXIC, 0);
    expect(b.r(L.IEVENT) & L.IEVENT_RXF0).toBe(L.IEVENT_RXF0);
  });
});

describe('MACCFG1', () => {
  it('reports SYNCD_RX_EN/SYNCD_TX_EN while enabled and not in soft reset', () => {
    const b = new Bench();
    b.w(L.MACCFG1, L.MACCFG1_RX_EN | L.MACCFG1_TX_EN);
    expect(b.r(L.MACCFG1)).toBe(L.MACCFG1_RX_EN | L.MACCFG1_TX_EN | L.MACCFG1_SYNCD_RX_EN | L.MACCFG1_SYNCD_TX_EN);
    b.w(L.MACCFG1, L.MACCFG1_SOFT_RESET | L.MACCFG1_RX_EN);
    expect(b.r(L.MACCFG1) >>> 0).toBe((L.MACCFG1_SOFT_RESET | L.MACCFG1_RX_EN) >>> 0); // not self-clearing
  });

  it('soft reset aborts the frames in flight and releases their buffers; the rings resume after it clears', () => {
    const b = new Bench().start();
    b.queueTx(0, frame(1500, PEER_MAC));
    b.nic.port.receiveFrame(frame(1500));
    b.run(1000);
    expect(b.nic.bus.claims.length).toBe(2); // the TX buffer streaming out, the RX buffer filling
    b.w(L.MACCFG1, L.MACCFG1_SOFT_RESET);
    expect(b.nic.bus.claims).toEqual([]);
    b.settle();
    expect(b.readBd(TX_RING).status & L.TXBD_READY).toBe(L.TXBD_READY); // never closed
    expect(b.readBd(RX_RING).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
    expect(b.nic.counters.txAborted).toBe(1);
    b.w(L.MACCFG1, 0);
    b.w(L.MACCFG1, L.MACCFG1_RX_EN | L.MACCFG1_TX_EN);
    b.w(L.TSTAT, L.TSTAT_THLT0);
    b.settle();
    expect(b.readBd(TX_RING).status & L.TXBD_READY).toBe(0); // the same BD goes again
    expect(b.wire.frames.length).toBe(2);
  });
});

describe('MDIO and the PHY', () => {
  const mdioRead = (b: Bench, phy: number, reg: number): number => {
    b.w(L.MIIMADD, (phy << 8) | reg);
    b.w(L.MIIMCOM, 0);
    b.w(L.MIIMCOM, L.MIIMCOM_READ_CYCLE);
    while (b.r(L.MIIMIND) & (L.MIIMIND_BUSY | L.MIIMIND_NOT_VALID)) b.run(1000);
    return b.r(L.MIIMSTAT);
  };
  const mdioWrite = (b: Bench, phy: number, reg: number, value: number): void => {
    b.w(L.MIIMADD, (phy << 8) | reg);
    b.w(L.MIIMCON, value);
    while (b.r(L.MIIMIND) & L.MIIMIND_BUSY) b.run(1000);
  };

  it('reads the PHY IDs and 0xffff where no PHY answers; a cycle keeps BUSY/NOT_VALID for its length', () => {
    const b = new Bench({ mdioCycleNs: 25_600 });
    b.w(L.MIIMADD, (1 << 8) | mii.MII_PHYSID1);
    b.w(L.MIIMCOM, L.MIIMCOM_READ_CYCLE);
    expect(b.r(L.MIIMIND)).toBe(L.MIIMIND_BUSY | L.MIIMIND_NOT_VALID);
    b.run(25_599);
    expect(b.r(L.MIIMIND)).toBe(L.MIIMIND_BUSY | L.MIIMIND_NOT_VALID);
    b.run(1);
    expect(b.r(L.MIIMIND)).toBe(0);
    expect(b.r(L.MIIMSTAT)).toBe(0x0141);
    expect(mdioRead(b, 1, mii.MII_PHYSID2)).toBe(0x0cc2);
    expect(mdioRead(b, 5, mii.MII_PHYSID1)).toBe(0xffff);
  });

  it('reports link in BMSR following the carrier, latched low until read', () => {
    const b = new Bench();
    const link = () => (mdioRead(b, 1, mii.MII_BMSR) & mii.BMSR_LSTATUS) !== 0;
    expect(link()).toBe(false); // latched from power-on
    expect(link()).toBe(true);
    b.nic.port.setCarrier(false);
    b.nic.port.setCarrier(true);
    expect(link()).toBe(false); // the drop is remembered once
    expect(link()).toBe(true);
    expect(mdioRead(b, 1, mii.MII_STAT1000) & 0x0800).toBe(0x0800); // link partner 1000 full
    b.nic.port.setCarrier(false);
    expect(link()).toBe(false);
    expect(mdioRead(b, 1, mii.MII_BMSR) & mii.BMSR_ANEGCOMPLETE).toBe(0);
  });

  it('writes PHY registers; BMCR reset self-clears and power-down takes the link down', () => {
    const b = new Bench();
    mdioWrite(b, 1, mii.MII_ADVERTISE, 0x0061);
    expect(mdioRead(b, 1, mii.MII_ADVERTISE)).toBe(0x0061);
    mdioWrite(b, 1, mii.MII_BMCR, mii.BMCR_RESET);
    expect(mdioRead(b, 1, mii.MII_BMCR)).toBe(0x1140);
    expect(mdioRead(b, 1, mii.MII_ADVERTISE)).toBe(0x01e1);
    mdioRead(b, 1, mii.MII_BMSR);
    mdioWrite(b, 1, mii.MII_BMCR, 0x1140 | mii.BMCR_PDOWN);
    expect(b.nic.phy.linkUp).toBe(false);
    expect(mdioRead(b, 1, mii.MII_BMSR) & mii.BMSR_LSTATUS).toBe(0);
  });

  it('follows the register live in a scan cycle', () => {
    const b = new Bench();
    b.w(L.MIIMADD, (1 << 8) | mii.MII_BMSR);
    b.w(L.MIIMCOM, L.MIIMCOM_SCAN_CYCLE);
    expect(b.r(L.MIIMIND) & L.MIIMIND_SCAN).toBe(L.MIIMIND_SCAN);
    b.r(L.MIIMSTAT);
    expect(b.r(L.MIIMSTAT) & mii.BMSR_LSTATUS).toBe(mii.BMSR_LSTATUS);
    b.nic.port.setCarrier(false);
    expect(b.r(L.MIIMSTAT) & mii.BMSR_LSTATUS).toBe(0);
  });
});

describe('snooping', () => {
  it('records DMACTRL/ATTR snoop bits; whether DMA snoops is the board\'s port setting', () => {
    const nc = new Bench().start();
    nc.w(L.ATTR, L.ATTR_RDSEN | L.ATTR_RBDSEN);
    expect(nc.nic.snooping).toEqual({ port: false, txData: true, txBd: true, rxData: true, rxBd: true });
    const co = new Bench({ coherent: true });
    expect(co.nic.snooping).toEqual({ port: true, txData: false, txBd: false, rxData: false, rxBd: false });
  });
});

describe('station address at power-on, reset and snapshots', () => {
  it('loads the power-on MAC into MACSTNADDR1/2 and back on reset()', () => {
    const b = new Bench({ mac: Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc) });
    expect([b.r(L.MACSTNADDR1) >>> 0, b.r(L.MACSTNADDR2) >>> 0]).toEqual([0xbc9a7856, 0x34120000]);
    b.w(L.MACSTNADDR1, 0);
    b.nic.reset();
    expect(b.r(L.MACSTNADDR1) >>> 0).toBe(0xbc9a7856);
  });

  it('saves plain data mid-frame and a twin restored from it finishes the same way', () => {
    const a = new Bench().start({ mrblr: 128 });
    a.w(L.RXIC, encodeCoalescing(4, 100));
    a.queueTx(0, frame(700, PEER_MAC));
    a.nic.port.receiveFrame(frame(300));
    a.run(1500);
    const snap = JSON.parse(JSON.stringify(a.nic.save()));
    // Twin: same RAM contents, same time.
    const b = new Bench().start({ mrblr: 128 });
    b.events.advanceTo(a.events.now);
    const span = (bench: Bench) => Buffer.from(bench.peek(0, 0x30_0000));
    b.poke(0, span(a));
    b.nic.restore(snap);
    expect(b.nic.bus.claims).toEqual(a.nic.bus.claims);
    a.settle();
    b.settle();
    expect(span(b).equals(span(a))).toBe(true);
    expect(b.nic.save()).toEqual(a.nic.save());
    expect(b.irq.rx.level).toBe(a.irq.rx.level);
  });

  it('refuses a snapshot of another version or with unknown registers', () => {
    const b = new Bench();
    const s = b.nic.save();
    expect(() => b.nic.restore({ ...s, version: 2 as 1 })).toThrow(/version/);
    expect(() => b.nic.restore({ ...s, registers: { ...s.registers, NOPE: 1 } })).toThrow(/NOPE/);
  });

  it('checks its options', () => {
    const b = new Bench();
    const base = { name: 'x', busMaster: b.nic.bus, irqs: b.irq, events: b.events };
    expect(() => new Etsec({ ...base, mac: new Uint8Array(5) })).toThrow(/6 bytes/);
    expect(() => new Etsec({ ...base, lineRateBps: 0 })).toThrow(/lineRateBps/);
    expect(() => new Etsec({ ...base, phyAddress: 32 })).toThrow(/0\.\.31/);
    void OUR_MAC;
  });
});
