import { describe, it, expect } from 'vitest';
import { cpuBytes, PAGE_OFFSET, ramBytes, testMachine } from './helpers.js';

const LINE = 32;
const pa = 0x10000;
const va = PAGE_OFFSET + pa;

describe('non-coherent data cache: stale reads and lost writes really happen', () => {
  it('a line the CPU holds is not updated by a device write (stale read)', () => {
    const m = testMachine();
    const dev = m.bus.master('dev0', { snoop: false });
    m.cpu.store32(va, 0x11111111);
    m.cache.flush(pa, LINE); // RAM = 0x11111111, line dropped
    expect(m.cpu.load32(va)).toBe(0x11111111); // line now cached, clean
    dev.write32be(pa, 0x22222222);
    expect(m.cpu.load32(va)).toBe(0x11111111); // stale
    expect(ramBytes(m, pa, 4)).toEqual([0x22, 0x22, 0x22, 0x22]);
    m.cache.invalidate(pa, LINE);
    expect(m.cpu.load32(va)).toBe(0x22222222);
  });

  it('a dirty line written back later overwrites what a device wrote (lost write)', () => {
    const m = testMachine();
    const dev = m.bus.master('dev0', { snoop: false });
    m.cpu.store8(va + 31, 0xaa); // dirty line, neighbour byte of a device buffer
    dev.write(pa, new Uint8Array(16).fill(0x55), 0, 16);
    expect(ramBytes(m, pa, 2)).toEqual([0x55, 0x55]);
    m.cache.flush(pa + 31, 1); // the CPU flushes "its" byte
    expect(ramBytes(m, pa, 2)).toEqual([0, 0]); // the device's bytes are gone
    expect(ramBytes(m, pa + 31, 1)).toEqual([0xaa]);
  });

  it('a device reading RAM does not see dirty lines', () => {
    const m = testMachine();
    const dev = m.bus.master('dev0', { snoop: false });
    m.cpu.store32(va, 0xdeadbeef);
    expect(dev.read32be(pa)).toBe(0);
    m.cache.clean(pa, 4);
    expect(dev.read32be(pa)).toBe(0xdeadbeef);
    expect(m.cache.isCached(pa)).toBe(true); // dcbst keeps the line
    expect(m.cache.isDirty(pa)).toBe(false);
  });
});

describe('coherent mode: the same sequences on a snooping cache', () => {
  it('device reads see dirty data, device writes reach the CPU, nothing is lost', () => {
    const m = testMachine({ coherent: true });
    const dev = m.bus.master('dev0', { snoop: true });
    m.cpu.store32(va, 0xdeadbeef);
    expect(dev.read32be(pa)).toBe(0xdeadbeef);
    expect(m.cpu.load32(va)).toBe(0xdeadbeef);
    dev.write32be(pa, 0x22222222);
    expect(m.cpu.load32(va)).toBe(0x22222222);
    m.cpu.store8(va + 31, 0xaa);
    dev.write(pa, new Uint8Array(16).fill(0x55), 0, 16);
    m.cache.flush(pa + 31, 1);
    expect(ramBytes(m, pa, 2)).toEqual([0x55, 0x55]);
    expect(ramBytes(m, pa + 31, 1)).toEqual([0xaa]);
  });

  it('gives different results from the non-coherent cache on the same access sequence', () => {
    const run = (coherent: boolean): number => {
      const m = testMachine({ coherent });
      const dev = m.bus.master('dev0', { snoop: coherent });
      m.cpu.load32(va);
      dev.write32be(pa, 0x12345678);
      return m.cpu.load32(va);
    };
    expect(run(false)).toBe(0);
    expect(run(true)).toBe(0x12345678);
  });
});

describe('range operations act on every line that intersects the range', () => {
  function dirtyThreeLines() {
    const m = testMachine();
    for (let i = 0; i < 3 * LINE; i++) m.cpu.store8(va + i, 0x40 + i);
    return m;
  }

  it('clean (dcbst) of [5, 40) writes back lines 0 and 1 only, keeping them', () => {
    const m = dirtyThreeLines();
    m.cache.clean(pa + 5, 35);
    expect(ramBytes(m, pa, 1)).toEqual([0x40]); // partial edge line written back whole
    expect(ramBytes(m, pa + 63, 1)).toEqual([0x40 + 63]);
    expect(ramBytes(m, pa + 64, 1)).toEqual([0]); // line 2 untouched
    expect(m.cache.isCached(pa)).toBe(true);
    expect(m.cache.isDirty(pa + 32)).toBe(false);
    expect(m.cache.isDirty(pa + 64)).toBe(true);
  });

  it('invalidate (dcbi) of a partial range discards whole lines, losing dirty bytes outside the range', () => {
    const m = dirtyThreeLines();
    m.cache.invalidate(pa + 33, 2);
    expect(m.cache.isCached(pa + 32)).toBe(false);
    expect(cpuBytes(m, va + 32, 2)).toEqual([0, 0]); // whole line lost, re-read from RAM
    expect(cpuBytes(m, va, 1)).toEqual([0x40]); // line 0 kept
  });

  it('flush (dcbf) writes back then drops every intersecting line', () => {
    const m = dirtyThreeLines();
    m.cache.flush(pa + 31, 2);
    expect(ramBytes(m, pa, 64)).toEqual(Array.from({ length: 64 }, (_, i) => 0x40 + i));
    expect(m.cache.isCached(pa)).toBe(false);
    expect(m.cache.isCached(pa + 32)).toBe(false);
    expect(m.cache.isCached(pa + 64)).toBe(true);
  });

  it('zero (dcbz) establishes zeroed dirty lines without reading RAM', () => {
    const m = testMachine();
    const dev = m.bus.master('dev0', { snoop: false });
    dev.write(pa, new Uint8Array(64).fill(0x77), 0, 64);
    const missesBefore = m.cache.counters.misses;
    m.cache.zero(pa + 40, 1);
    expect(m.cache.counters.misses).toBe(missesBefore);
    expect(cpuBytes(m, va + 32, 32)).toEqual(new Array(32).fill(0));
    expect(ramBytes(m, pa + 32, 1)).toEqual([0x77]);
    expect(m.cache.isDirty(pa + 32)).toBe(true);
    m.cache.flush(pa, 64);
    expect(ramBytes(m, pa + 32, 32)).toEqual(new Array(32).fill(0));
    expect(ramBytes(m, pa, 1)).toEqual([0x77]);
  });
});

describe('eviction', () => {
  // 32 KiB, 8-way, 32-byte lines: 128 sets, so addresses 4 KiB apart share a set.
  const WAY_STRIDE = 4096;

  it('write-back on eviction puts the stale CPU copy over a device write', () => {
    const m = testMachine();
    const dev = m.bus.master('dev0', { snoop: false });
    m.cpu.store32(va, 0xcafef00d); // dirty
    dev.write32be(pa, 0x0badf00d); // RAM changes under the dirty line
    for (let w = 1; w <= 8; w++) m.cpu.load32(va + w * WAY_STRIDE); // same set: forces the victim out
    expect(m.cache.counters.evictions).toBe(1);
    expect(m.cache.counters.writebacks).toBe(1);
    expect(dev.read32be(pa)).toBe(0xcafef00d);
  });

  it('expose policy keeps every line: no natural eviction, a missing invalidate always reads stale', () => {
    const m = testMachine({ eviction: 'expose' });
    const dev = m.bus.master('dev0', { snoop: false });
    m.cpu.load32(va);
    for (let w = 1; w <= 64; w++) m.cpu.load32(va + w * WAY_STRIDE);
    dev.write32be(pa, 0x1);
    expect(m.cache.counters.evictions).toBe(0);
    expect(m.cpu.load32(va)).toBe(0);
  });

  it('tree pseudo-LRU keeps the most recent way and evicts the one its tree points at', () => {
    const m = testMachine();
    for (let w = 0; w < 8; w++) m.cpu.load32(va + w * WAY_STRIDE);
    m.cpu.load32(va); // way 0 becomes most recent: the root now points at ways 4-7
    m.cpu.load32(va + 8 * WAY_STRIDE);
    // Within 4-7 the last use was 7 (so 4-5), within 4-5 the last use was 5: way 4 goes.
    const cached = Array.from({ length: 9 }, (_, w) => m.cache.isCached(pa + w * WAY_STRIDE));
    expect(cached).toEqual([true, true, true, true, false, true, true, true, true]);
  });

  it('random replacement is reproducible from the seed and differs between seeds', () => {
    const victims = (seed: number): boolean[] => {
      const m = testMachine({ replacement: 'random', seed });
      for (let w = 0; w < 40; w++) m.cpu.load32(va + w * WAY_STRIDE);
      return Array.from({ length: 40 }, (_, w) => m.cache.isCached(pa + w * WAY_STRIDE));
    };
    expect(victims(7)).toEqual(victims(7));
    expect(victims(7)).not.toEqual(victims(8));
  });

  it('counts hits and misses per line touched', () => {
    const m = testMachine();
    m.cpu.load32(va);
    m.cpu.load32(va + 4);
    const buf = new Uint8Array(100);
    m.cpu.read(va + 32, buf); // lines 1..4
    expect(m.cache.counters).toMatchObject({ misses: 5, hits: 1, evictions: 0, writebacks: 0 });
  });
});

describe('geometry', () => {
  it('accepts 16/32/64/128-byte lines and rejects others with a clear error', () => {
    for (const lineSize of [16, 32, 64, 128]) {
      const m = testMachine({ cache: { size: 16384, ways: 4, lineSize } });
      m.cpu.store8(va + lineSize - 1, 1);
      m.cache.flush(pa, 1);
      expect(ramBytes(m, pa + lineSize - 1, 1)).toEqual([1]);
    }
    expect(() => testMachine({ cache: { size: 32768, ways: 8, lineSize: 48 } })).toThrow(/line size must be 16, 32, 64 or 128, got 48/);
    expect(() => testMachine({ cache: { size: 30000, ways: 8, lineSize: 32 } })).toThrow(/power-of-two number of sets/);
  });
});
