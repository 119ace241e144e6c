import { describe, it, expect } from 'vitest';
import { EventQueue, Prng, TraceBus, type TraceEvent } from '../../src/sim/index.js';

describe('Prng (xoshiro128** seeded by SplitMix32)', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(sa);
  });

  it('below(n) stays in range and covers it', () => {
    const p = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = p.below(8);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(8);
      seen.add(v);
    }
    expect(seen.size).toBe(8);
  });

  it('save and restore reproduce the stream', () => {
    const p = new Prng(9);
    p.nextU32();
    const state = p.save();
    const next = [p.nextU32(), p.nextU32()];
    p.restore(state);
    expect([p.nextU32(), p.nextU32()]).toEqual(next);
  });

  it('rejects a non-finite seed with a clear error', () => {
    expect(() => new Prng(NaN)).toThrow(/seed must be a finite number/);
  });
});

describe('EventQueue', () => {
  it('runs events in time order and equal-time events in scheduling order', () => {
    const q = new EventQueue();
    const order: string[] = [];
    q.scheduleAt(30, 'c', () => order.push('c'));
    q.scheduleAt(10, 'a1', () => order.push('a1'));
    q.scheduleAt(10, 'a2', () => order.push('a2'));
    q.scheduleAt(20, 'b', () => {
      order.push('b');
      q.scheduleAt(20, 'b-child', () => order.push('b-child'));
    });
    q.advanceTo(25);
    expect(order).toEqual(['a1', 'a2', 'b', 'b-child']);
    expect(q.now).toBe(25);
    q.advanceBy(100);
    expect(order).toEqual(['a1', 'a2', 'b', 'b-child', 'c']);
  });

  it('skips cancelled events and reports the next live due time', () => {
    const q = new EventQueue();
    const ran: string[] = [];
    const e = q.scheduleIn(5, 'x', () => ran.push('x'));
    q.scheduleIn(9, 'y', () => ran.push('y'));
    q.cancel(e);
    expect(q.nextDue).toBe(9);
    while (q.runNext());
    expect(ran).toEqual(['y']);
    expect(q.now).toBe(9);
  });

  it('refuses to schedule in the past or go backwards', () => {
    const q = new EventQueue();
    q.advanceTo(100);
    expect(() => q.scheduleAt(50, 'late', () => {})).toThrow(/cannot schedule "late" at 50 ns \(now is 100 ns\)/);
    expect(() => q.advanceTo(10)).toThrow(/time cannot go backwards/);
  });
});

describe('TraceBus', () => {
  it('is disabled with no subscriber and delivers typed events to subscribers', () => {
    const bus = new TraceBus();
    expect(bus.enabled).toBe(false);
    const got: TraceEvent[] = [];
    const sub = bus.events$.subscribe((e) => got.push(e));
    expect(bus.enabled).toBe(true);
    bus.emit({ kind: 'log', t: 1, level: 6, text: 'hello' });
    sub.unsubscribe();
    expect(bus.enabled).toBe(false);
    bus.emit({ kind: 'log', t: 2, level: 6, text: 'unseen' });
    expect(got).toEqual([{ kind: 'log', t: 1, level: 6, text: 'hello' }]);
  });
});
