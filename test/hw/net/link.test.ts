/** Links between endpoints: delivery and propagation delay, injected and random faults, link down/up, taps, loopback plug, two clocks. */
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../src/sim/events.js';
import { flood, Link, Lockstep, testFrame, testFrameSeq, TrafficEndpoint } from '../../../src/hw/net/index.js';

const A = Uint8Array.of(2, 0, 0, 0, 0, 0xa);
const B = Uint8Array.of(2, 0, 0, 0, 0, 0xb);
const pair = (opts: ConstructorParameters<typeof Link>[2] = {}) => {
  const events = new EventQueue();
  const a = new TrafficEndpoint({ name: 'a', events, mac: A, keep: true });
  const b = new TrafficEndpoint({ name: 'b', events, mac: B, keep: true });
  const link = new Link(a, b, opts);
  return { events, a, b, link };
};

describe('Link', () => {
  it('delivers both ways after the propagation delay, on the first bit', () => {
    const { events, a, b } = pair({ propagationNs: 500 });
    a.send(testFrame({ dst: B, src: A, length: 100, seq: 1 }));
    b.send(testFrame({ dst: A, src: B, length: 60, seq: 2 }));
    events.advanceBy(499);
    expect(b.received.length + a.received.length).toBe(0);
    events.advanceBy(1);
    expect(b.received.map((f) => [f.t, testFrameSeq(f.bytes)])).toEqual([[500, 1]]);
    expect(a.received.map((f) => [f.t, testFrameSeq(f.bytes)])).toEqual([[500, 2]]);
  });

  it('keeps frames in order through the delay line when several are in flight', () => {
    const { events, a, b, link } = pair({ propagationNs: 10_000 });
    a.sendFrom(flood({ dst: B, src: A, count: 50 }));
    events.advanceBy(1_000_000);
    expect(b.received.map((f) => testFrameSeq(f.bytes))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(b.received[1]!.t - b.received[0]!.t).toBe(672);
    expect(link.ab.counters).toMatchObject({ sent: 50, delivered: 50, bytes: 50 * 60 });
  });

  it('injects faults into the next frames: drop, bad FCS, runt, oversize', () => {
    const { events, a, b, link } = pair();
    link.ab.inject('drop');
    link.ab.inject('crc', 2);
    link.ab.inject('runt', 1, { length: 30 });
    link.ab.inject('oversize');
    expect(link.ab.pendingFaults).toBe(5);
    a.sendFrom(flood({ dst: B, src: A, count: 7 }));
    events.advanceBy(100_000);
    expect(b.received.map((f) => [testFrameSeq(f.bytes), f.bytes.length, f.crcError])).toEqual([
      [1, 60, true], [2, 60, true], [3, 30, false], [4, 2000, false], [5, 60, false], [6, 60, false],
    ]);
    expect(link.ab.counters).toMatchObject({ sent: 7, delivered: 6, dropped: 1, crcErrors: 2, runts: 1, oversize: 1 });
    expect(b.counters.rxCrcErrors).toBe(2);
  });

  it('drops and corrupts at seeded random rates, the same way for the same seed', () => {
    const run = (seed: number): number[] => {
      const { events, a, b, link } = pair({ seed });
      link.ab.dropRate = 0.1;
      link.ab.crcErrorRate = 0.05;
      a.sendFrom(flood({ dst: B, src: A, count: 1000 }));
      events.advanceBy(10_000_000);
      return [link.ab.counters.dropped, link.ab.counters.crcErrors, b.counters.rxFrames];
    };
    const r1 = run(7);
    expect(run(7)).toEqual(r1);
    expect(run(8)).not.toEqual(r1);
    expect(r1[0]!).toBeGreaterThan(60);
    expect(r1[0]!).toBeLessThan(140);
    expect(r1[2]).toBe(1000 - r1[0]!);
  });

  it('loses frames while down, tells both ends about the carrier, and carries again when up', () => {
    const { events, a, b, link } = pair({ propagationNs: 1000 });
    expect([a.linkUp, b.linkUp]).toEqual([true, true]);
    a.send(testFrame({ dst: B, src: A, length: 60, seq: 1 }));
    events.advanceBy(100);
    link.setUp(false); // the frame on the cable is lost too
    expect([a.linkUp, b.linkUp]).toEqual([false, false]);
    events.advanceBy(10_000);
    link.setUp(true);
    a.send(testFrame({ dst: B, src: A, length: 60, seq: 2 }));
    events.advanceBy(10_000);
    expect(b.received.map((f) => testFrameSeq(f.bytes))).toEqual([2]);
    expect(link.ab.counters.lostDown).toBe(1);
    link.setUp(false);
    a.send(testFrame({ dst: B, src: A, length: 60, seq: 3 }));
    events.advanceBy(10_000);
    expect(a.counters.txLost).toBe(1); // the endpoint saw no carrier
  });

  it('shows taps what goes on the cable, after faults, and lets them go', () => {
    const { events, a, b, link } = pair();
    const seen: [number, number, boolean, string][] = [];
    const off = link.addTap((t, bytes, len, info, from) => seen.push([t, len, info.crcError === true, `${from}:${testFrameSeq(bytes)}`]));
    link.ab.inject('crc');
    a.send(testFrame({ dst: B, src: A, length: 70, seq: 5 }));
    b.send(testFrame({ dst: A, src: B, length: 80, seq: 6 }));
    events.advanceBy(10_000);
    off();
    a.send(testFrame({ dst: B, src: A, length: 70, seq: 7 }));
    events.advanceBy(10_000);
    expect(seen).toEqual([[0, 70, true, 'a:5'], [0, 80, false, 'b:6']]);
  });

  it('returns what a port sends through a loopback plug', () => {
    const events = new EventQueue();
    const e = new TrafficEndpoint({ name: 'e', events, keep: true });
    const plug = Link.loopback(e, { propagationNs: 50 });
    e.send(testFrame({ dst: A, src: A, length: 60, seq: 9 }));
    events.advanceBy(1000);
    expect(e.received.map((f) => [f.t, testFrameSeq(f.bytes)])).toEqual([[50, 9]]);
    expect(plug.ab).toBe(plug.ba);
    expect(() => new Link(e, e)).toThrow(/loopback/);
    plug.detach();
    expect(e.linkUp).toBe(false);
  });

  it('joins two clocks: delivery is scheduled on the receiver queue, Lockstep runs them in time order', () => {
    const qa = new EventQueue();
    const qb = new EventQueue();
    const a = new TrafficEndpoint({ name: 'a', events: qa, keep: true });
    const b = new TrafficEndpoint({ name: 'b', events: qb, keep: true });
    const link = new Link(a, b, { propagationNs: 200 });
    b.respond((f) => (testFrameSeq(f.bytes) < 3 ? testFrame({ dst: A, src: B, length: 60, seq: testFrameSeq(f.bytes) + 100 }) : null));
    a.sendFrom(flood({ dst: B, src: A, count: 3 }));
    const ls = new Lockstep([qa, qb]);
    ls.runUntil(100_000);
    expect(qa.now).toBe(100_000);
    expect(qb.now).toBe(100_000);
    expect(b.received.map((f) => [f.t, testFrameSeq(f.bytes)])).toEqual([[200, 0], [872, 1], [1544, 2]]);
    expect(a.received.map((f) => [f.t, testFrameSeq(f.bytes)])).toEqual([[400, 100], [1072, 101], [1744, 102]]);
    expect(link.ab.counters.late + link.ba.counters.late).toBe(0);
  });

  it('clamps a delivery the receiver clock has already passed, and counts it', () => {
    const qa = new EventQueue();
    const qb = new EventQueue();
    const a = new TrafficEndpoint({ name: 'a', events: qa });
    const b = new TrafficEndpoint({ name: 'b', events: qb, keep: true });
    const link = new Link(a, b);
    qb.advanceTo(5000); // b ran ahead without lockstep
    a.send(testFrame({ dst: B, src: A, length: 60, seq: 1 }));
    qa.advanceTo(10);
    qb.advanceTo(6000);
    expect(b.received.map((f) => f.t)).toEqual([5000]);
    expect(link.ab.counters.late).toBe(1);
  });
});

describe('Link snapshots', () => {
  it('saves faults, rates, the PRNG and the delay line; a twin restored from it delivers the same', () => {
    const mk = () => pair({ propagationNs: 5000, seed: 3 });
    const x = mk();
    x.link.ab.dropRate = 0.2;
    x.link.ab.inject('crc', 2);
    x.a.sendFrom(flood({ dst: B, src: A, count: 20 }));
    x.events.advanceBy(4000); // several frames in flight
    expect(x.link.ab.inFlight).toBeGreaterThan(0);
    const snap = JSON.parse(JSON.stringify(x.link.save()));
    const y = mk();
    y.events.advanceTo(x.events.now);
    y.link.restore(snap);
    // Only the frames already on the cable: the endpoints' own queues are not part of the link.
    x.a.stop();
    x.events.advanceBy(1_000_000);
    y.events.advanceBy(1_000_000);
    const view = (e: TrafficEndpoint) => e.received.map((f) => [f.t, testFrameSeq(f.bytes), f.crcError]);
    expect(view(y.b)).toEqual(view(x.b).filter((f) => (f[0] as number) >= 4000));
    expect(y.link.save()).toEqual(x.link.save());
  });
});
