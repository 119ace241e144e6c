import { describe, it, expect } from 'vitest';
import type { TraceEvent } from '../../src/sim/index.js';
import { PAGE_OFFSET, testMachine } from './helpers.js';

/** A fixed workload: a CPU walking a buffer that overflows its set while a device writes RAM. */
function traceOf(seed: number): string {
  const m = testMachine({ replacement: 'random', seed });
  const events: TraceEvent[] = [];
  m.trace.events$.subscribe((e) => events.push(e));
  const dev = m.bus.master('dev0', { snoop: false });
  for (let i = 0; i < 64; i++) {
    m.cpu.store32(PAGE_OFFSET + 0x10000 + i * 4096, i);
    if (i % 8 === 0) dev.write32be(0x10000 + i * 4096, 0xffff0000 | i);
  }
  m.cache.flushAll();
  return JSON.stringify(events);
}

describe('determinism', () => {
  it('same seed gives a byte-identical trace', () => {
    expect(traceOf(1234)).toBe(traceOf(1234));
  });

  it('a different seed gives different evictions', () => {
    const a = JSON.parse(traceOf(1)) as TraceEvent[];
    const b = JSON.parse(traceOf(2)) as TraceEvent[];
    const evictions = (t: TraceEvent[]): number[] => t.filter((e) => e.kind === 'cache' && e.op === 'evict').map((e) => (e as { pa: number }).pa);
    expect(evictions(a).length).toBeGreaterThan(0);
    expect(evictions(a)).not.toEqual(evictions(b));
  });
});
