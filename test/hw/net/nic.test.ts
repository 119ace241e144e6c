/** The eTSEC on a link: an endpoint peer, two NICs on two machines in lockstep, a loopback plug, wire faults as the NIC reports them, link state in the PHY. */
import { describe, expect, it } from 'vitest';
import * as L from '../../../src/hw/etsec/layout.js';
import { encodeStationAddress } from '../../../src/hw/etsec/index.js';
import { flood, Link, Lockstep, randomSizes, testFrame, testFrameIntact, testFrameSeq, TrafficEndpoint } from '../../../src/hw/net/index.js';
import { Bench, MiniDriver, OUR_MAC, PEER_MAC, RX_RING } from '../etsec/helpers.js';

const rmon = (b: Bench, name: string): number => b.r(b.nic.registers.named(name).offset);

describe('NIC and a traffic endpoint', () => {
  it('receives a seeded flood of random sizes intact, in order, with counters that balance', () => {
    const b = new Bench();
    const drv = new MiniDriver(b, 64, 8);
    const peer = new TrafficEndpoint({ name: 'peer', events: b.events, mac: PEER_MAC });
    new Link(b.nic.port, peer, { propagationNs: 25 });
    peer.sendFrom(randomSizes({ dst: OUR_MAC, src: PEER_MAC, seed: 42, count: 2000 }));
    b.run(50_000_000);
    expect(drv.rxFrames).toBe(2000);
    expect(drv.received.map((f) => testFrameSeq(f))).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(drv.received.every((f) => testFrameIntact(f))).toBe(true);
    expect(rmon(b, 'RPKT')).toBe(2000);
    expect(rmon(b, 'RBYT')).toBe(peer.counters.txBytes + 4 * 2000);
    expect(rmon(b, 'RDRP')).toBe(0);
  });

  it('transmits to the endpoint in order at line rate', () => {
    const b = new Bench();
    const drv = new MiniDriver(b, 8, 32);
    const peer = new TrafficEndpoint({ name: 'peer', events: b.events, keep: true });
    new Link(b.nic.port, peer);
    for (let i = 0; i < 20; i++) expect(drv.xmit(testFrame({ dst: PEER_MAC, src: OUR_MAC, length: 1000, seq: i }))).toBe(true);
    b.run(1_000_000);
    expect(peer.received.map((f) => testFrameSeq(f.bytes))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const gaps = peer.received.slice(1).map((f, i) => f.t - peer.received[i]!.t);
    expect(new Set(gaps)).toEqual(new Set([(8 + 1004 + 12) * 8]));
  });

  it('drops frames when the driver does not keep up: BSY, QHLT, RDRP, and every frame accounted for', () => {
    const b = new Bench();
    const drv = new MiniDriver(b, 4, 4, 50_000); // slow poll, tiny ring
    const peer = new TrafficEndpoint({ name: 'peer', events: b.events });
    new Link(b.nic.port, peer);
    peer.sendFrom(flood({ dst: OUR_MAC, src: PEER_MAC, count: 500 }));
    b.run(10_000_000);
    const dropped = rmon(b, 'RDRP');
    expect(dropped).toBeGreaterThan(0);
    expect(drv.rxFrames + dropped).toBe(500);
    expect(b.nic.counters.rxBusy).toBeGreaterThan(0);
  });
});

describe('two NICs on two machines', () => {
  it('exchange frames both ways with their clocks in lockstep', () => {
    const x = new Bench({ mac: OUR_MAC });
    const y = new Bench({ mac: PEER_MAC });
    const dx = new MiniDriver(x, 16, 16);
    const dy = new MiniDriver(y, 16, 16);
    // Each side's station address: y is PEER_MAC.
    const [a1, a2] = encodeStationAddress(PEER_MAC);
    y.w(L.MACSTNADDR1, a1);
    y.w(L.MACSTNADDR2, a2);
    const link = new Link(x.nic.port, y.nic.port, { propagationNs: 100 });
    const ls = new Lockstep([x.events, y.events]);
    let sentX = 0;
    let sentY = 0;
    for (let round = 0; round < 200 && (sentX < 300 || sentY < 300); round++) {
      while (sentX < 300 && dx.xmit(testFrame({ dst: PEER_MAC, src: OUR_MAC, length: 200 + round, seq: sentX }))) sentX++;
      while (sentY < 300 && dy.xmit(testFrame({ dst: OUR_MAC, src: PEER_MAC, length: 500, seq: sentY }))) sentY++;
      ls.runFor(20_000);
    }
    ls.runFor(1_000_000);
    expect([sentX, sentY]).toEqual([300, 300]);
    expect(dy.received.map((f) => testFrameSeq(f))).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(dx.received.map((f) => testFrameSeq(f))).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(link.ab.counters.late + link.ba.counters.late).toBe(0);
    expect(x.events.now).toBe(y.events.now);
  });
});

describe('loopback', () => {
  it('a loopback plug on the port returns frames to the NIC over the wire path', () => {
    const b = new Bench();
    const drv = new MiniDriver(b, 8, 8);
    Link.loopback(b.nic.port, { propagationNs: 10 });
    drv.xmit(testFrame({ dst: OUR_MAC, src: OUR_MAC, length: 300, seq: 77 }));
    b.run(100_000);
    expect(drv.received.map((f) => testFrameSeq(f))).toEqual([77]);
  });
});

describe('wire faults as the NIC sees them', () => {
  it('reports CRCERR, SHORT, LARGE|TRUNCATED and misses dropped frames', () => {
    const b = new Bench().start({ mrblr: 2048 - 64 });
    const peer = new TrafficEndpoint({ name: 'peer', events: b.events });
    const link = new Link(peer, b.nic.port);
    link.ab.inject('crc');
    link.ab.inject('runt', 1, { length: 40 });
    link.ab.inject('oversize', 1, { length: 1700 });
    link.ab.inject('drop');
    peer.sendFrom(flood({ dst: OUR_MAC, src: PEER_MAC, count: 5, size: 100 }));
    b.run(1_000_000);
    const st = [0, 1, 2, 3].map((i) => b.readBd(RX_RING + 8 * i).status & (L.RXBD_ERR | L.RXBD_LAST | L.RXBD_EMPTY));
    expect(st).toEqual([L.RXBD_LAST | L.RXBD_CRCERR, L.RXBD_LAST | L.RXBD_SHORT, L.RXBD_LAST | L.RXBD_LARGE | L.RXBD_TRUNCATED, L.RXBD_LAST]);
    expect(b.readBd(RX_RING + 8 * 4).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
    expect([rmon(b, 'RFCS'), rmon(b, 'RUND'), rmon(b, 'ROVR'), rmon(b, 'RPKT')]).toEqual([1, 1, 1, 4]);
    expect(b.nic.counters.rxOverruns).toBe(0); // the long frame pushed the next one back on the cable
  });

  it('link down: the PHY reports no link and transmitted frames are lost; up again: traffic flows', () => {
    const b = new Bench();
    const drv = new MiniDriver(b, 8, 8);
    const peer = new TrafficEndpoint({ name: 'peer', events: b.events, keep: true });
    const link = new Link(b.nic.port, peer);
    expect(b.nic.phy.linkUp).toBe(true);
    link.setUp(false);
    expect(b.nic.phy.linkUp).toBe(false);
    drv.xmit(testFrame({ dst: PEER_MAC, src: OUR_MAC, length: 60, seq: 1 }));
    b.run(100_000);
    expect(b.nic.counters.wireTxLost).toBe(1);
    expect(b.readBd(0x1_0000).status & L.TXBD_READY).toBe(0); // the MAC still completes the BD
    link.setUp(true);
    drv.xmit(testFrame({ dst: PEER_MAC, src: OUR_MAC, length: 60, seq: 2 }));
    b.run(100_000);
    expect(peer.received.map((f) => testFrameSeq(f.bytes))).toEqual([2]);
  });
});
