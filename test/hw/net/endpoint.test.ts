/** TrafficEndpoint and the generators: back-to-back timing, size sweeps, seeded random sizes, the rxjs stream, the responder. */
import { describe, expect, it } from 'vitest';
import { filter, map, take, toArray } from 'rxjs';
import { EventQueue } from '../../../src/sim/events.js';
import { flood, Link, randomSizes, sizeSweep, testFrame, testFrameIntact, testFrameSeq, TrafficEndpoint, writeTestFrame } from '../../../src/hw/net/index.js';

const A = Uint8Array.of(2, 0, 0, 0, 0, 0xa);
const B = Uint8Array.of(2, 0, 0, 0, 0, 0xb);

function pair(rate?: number) {
  const events = new EventQueue();
  const a = new TrafficEndpoint({ name: 'a', events, mac: A, ...(rate ? { lineRateBps: rate } : {}) });
  const b = new TrafficEndpoint({ name: 'b', events, mac: B, keep: true, ...(rate ? { lineRateBps: rate } : {}) });
  new Link(a, b);
  return { events, a, b };
}

describe('generators', () => {
  it('write frames with a sequence number and a checkable payload', () => {
    const f = testFrame({ dst: B, src: A, length: 100, seq: 0x01020304 });
    expect(Array.from(f.subarray(0, 18))).toEqual([...B, ...A, 0x88, 0xb5, 1, 2, 3, 4]);
    expect(testFrameSeq(f)).toBe(0x01020304);
    expect(testFrameIntact(f)).toBe(true);
    f[50] = f[50]! ^ 1;
    expect(testFrameIntact(f)).toBe(false);
    expect(() => writeTestFrame(new Uint8Array(10), { dst: B, src: A, length: 17, seq: 0 })).toThrow(RangeError);
  });

  it('sweep 60..1514 one size each; random sizes repeat per seed and stay in range', () => {
    const buf = new Uint8Array(2048);
    const sweep = sizeSweep({ dst: B, src: A });
    const sizes: number[] = [];
    for (let n = sweep.next(buf); n >= 0; n = sweep.next(buf)) sizes.push(n);
    expect(sizes.length).toBe(1455);
    expect([sizes[0], sizes.at(-1)]).toEqual([60, 1514]);
    const draw = (seed: number): number[] => {
      const src = randomSizes({ dst: B, src: A, seed, count: 200 });
      const out: number[] = [];
      for (let n = src.next(buf); n >= 0; n = src.next(buf)) out.push(n);
      return out;
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    expect(Math.min(...draw(3))).toBeGreaterThanOrEqual(60);
    expect(Math.max(...draw(3))).toBeLessThanOrEqual(1514);
  });
});

describe('TrafficEndpoint', () => {
  it('floods back to back at line rate: 1.488 M frames/s of 64 bytes at 1 Gbit/s', () => {
    const { events, a, b } = pair();
    a.sendFrom(flood({ dst: B, src: A, count: 1488 }));
    events.advanceBy(1_000_000);
    expect(b.counters.rxFrames).toBe(1488);
    expect(b.received.at(-1)!.t).toBe(1487 * 672);
    expect(a.idle).toBe(true);
  });

  it('lets single frames go ahead of a running source (replies interleave with a flood), 10× slower at 100 Mbit/s', () => {
    const { events, a, b } = pair(1e8);
    a.sendFrom(flood({ dst: B, src: A, count: 2, firstSeq: 10 }));
    a.send(testFrame({ dst: B, src: A, length: 60, seq: 1 }));
    events.advanceBy(1_000_000);
    expect(b.received.map((f) => [f.t, testFrameSeq(f.bytes)])).toEqual([[0, 1], [6720, 10], [13440, 11]]);
  });

  it('publishes received frames on frames$ and answers through the responder', async () => {
    const { events, a, b } = pair();
    b.respond((f) => testFrame({ dst: A, src: B, length: 60, seq: testFrameSeq(f.bytes) * 2 }));
    const got = a.frames$.pipe(map((f) => testFrameSeq(f.bytes)), filter((s) => s > 0), take(3), toArray()).toPromise();
    a.sendFrom(flood({ dst: B, src: A, count: 4 }));
    events.advanceBy(100_000);
    expect(await got).toEqual([2, 4, 6]);
    expect(a.counters.rxFrames).toBe(4);
    b.respond(null);
    a.stop();
  });

  it('counts bytes and CRC errors and copies nothing when nobody listens', () => {
    const events = new EventQueue();
    const a = new TrafficEndpoint({ name: 'a', events });
    const b = new TrafficEndpoint({ name: 'b', events });
    new Link(a, b);
    a.send(testFrame({ dst: B, src: A, length: 100, seq: 1 }), { crcError: true });
    events.advanceBy(10_000);
    expect(b.counters).toMatchObject({ rxFrames: 1, rxBytes: 100, rxCrcErrors: 1 });
    expect(b.received).toEqual([]);
  });
});
