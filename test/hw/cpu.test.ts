import { describe, it, expect } from 'vitest';
import { CpuFault, Machine, PTE_CACHE_INHIBITED, PTE_GUARDED, PTE_READONLY, type MmioDevice } from '../../src/hw/index.js';
import { cpuBytes, mapUncached, MiB, PAGE_OFFSET, ramBytes, testMachine } from './helpers.js';

const va = PAGE_OFFSET + 0x20000;

describe('loads and stores are big-endian, as on the e500', () => {
  it('stores a word most significant byte first and reads it back at every width', () => {
    const m = testMachine();
    m.cpu.store32(va, 0x11223344);
    expect(cpuBytes(m, va, 4)).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect(m.cpu.load8(va)).toBe(0x11);
    expect(m.cpu.load16(va + 2)).toBe(0x3344);
    expect(m.cpu.load32le(va)).toBe(0x44332211);
    expect(m.cpu.load16le(va)).toBe(0x2211);
  });

  it('handles 64-bit values as bigint in both byte orders', () => {
    const m = testMachine();
    m.cpu.store64(va, 0x0102030405060708n);
    expect(cpuBytes(m, va, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.cpu.load64le(va)).toBe(0x0807060504030201n);
    m.cpu.store64le(va, 0xfedcba9876543210n);
    expect(m.cpu.load64(va)).toBe(0x1032547698badcfen);
  });

  it('little-endian stores reverse the bytes', () => {
    const m = testMachine();
    m.cpu.store32le(va, 0xaabbccdd);
    m.cpu.store16le(va + 4, 0x1234);
    expect(cpuBytes(m, va, 6)).toEqual([0xdd, 0xcc, 0xbb, 0xaa, 0x34, 0x12]);
  });

  it('unaligned accesses work across line and page boundaries', () => {
    const m = testMachine();
    const edge = PAGE_OFFSET + 0x21000 - 2; // straddles a page
    m.cpu.store32(edge, 0xa1b2c3d4);
    expect(m.cpu.load32(edge)).toBe(0xa1b2c3d4);
    expect(m.cpu.load32le(edge)).toBe(0xd4c3b2a1);
    m.cpu.store16(va + 31, 0xbeef); // straddles a cache line
    expect(m.cpu.load16(va + 31)).toBe(0xbeef);
  });
});

describe('bulk operations', () => {
  it('copy, fill, compare and findNot go through the cache', () => {
    const m = testMachine();
    const src = va;
    const dst = va + 0x3000 - 7; // dst crosses a page
    m.cpu.write(src, Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff));
    m.cpu.copy(dst, src, 5000);
    expect(m.cpu.compare(dst, src, 5000)).toBe(0);
    m.cpu.store8(dst + 4000, 1);
    expect(Math.sign(m.cpu.compare(dst, src, 5000))).toBe(-1); // 1 < (4000 & 0xff)=160
    m.cpu.fill(dst, 0x6b, 100);
    expect(m.cpu.findNot(dst, 0x6b, 200)).toBe(100);
    expect(m.cpu.findNot(dst, 0x6b, 100)).toBe(-1);
  });

  it('overlapping copy behaves as memmove in both directions', () => {
    const m = testMachine();
    const bytes = Uint8Array.from({ length: 6000 }, (_, i) => (i * 7) & 0xff);
    m.cpu.write(va, bytes);
    m.cpu.copy(va + 100, va, 5000);
    expect(cpuBytes(m, va + 100, 5000)).toEqual(Array.from(bytes.subarray(0, 5000)));
    m.cpu.write(va, bytes);
    m.cpu.copy(va, va + 100, 5000);
    expect(cpuBytes(m, va, 5000)).toEqual(Array.from(bytes.subarray(100, 5100)));
  });

  it('CPU writes stay in the cache until written back', () => {
    const m = testMachine();
    m.cpu.fill(va, 0xee, 64);
    expect(ramBytes(m, 0x20000, 4)).toEqual([0, 0, 0, 0]);
    m.cache.flushAll();
    expect(ramBytes(m, 0x20000, 4)).toEqual([0xee, 0xee, 0xee, 0xee]);
  });
});

describe('cache-inhibited accesses', () => {
  it('an uncached alias reads and writes RAM directly, and leaves the cached alias stale', () => {
    const m = testMachine();
    const alias = 0xd100_0000;
    mapUncached(m, alias, 0x20000);
    expect(m.cpu.load32(va)).toBe(0); // cached via the linear map
    m.cpu.store32(alias, 0x5a5a5a5a);
    expect(ramBytes(m, 0x20000, 1)).toEqual([0x5a]); // straight to RAM
    expect(m.cpu.load32(va)).toBe(0); // the cached alias is stale
    expect(m.cpu.load32(alias)).toBe(0x5a5a5a5a);
  });

  it('reach device registers through an ioremap-style mapping', () => {
    const m = testMachine();
    const writes: [number, number, number][] = [];
    const dev: MmioDevice = {
      name: 'regs',
      read: (off, size) => (off === 0x10 && size === 4 ? 0x12345678 : 0),
      write: (off, size, v) => void writes.push([off, size, v]),
    };
    m.bus.addMmio(0xffe0_0000, 0x1000, dev);
    m.mmu.mapPage(0xf600_0000, 0xffe0_0000, PTE_CACHE_INHIBITED | PTE_GUARDED);
    expect(m.cpu.load32(0xf600_0010)).toBe(0x12345678);
    expect(m.cpu.load32le(0xf600_0010)).toBe(0x78563412); // readl on a big-endian core swaps
    m.cpu.store32(0xf600_0024, 0xdeadbeef);
    m.cpu.store32le(0xf600_0028, 0x11223344);
    expect(writes).toEqual([
      [0x24, 4, 0xdeadbeef],
      [0x28, 4, 0x44332211],
    ]);
  });
});

describe('faults', () => {
  function fault(fn: () => void): CpuFault {
    try {
      fn();
    } catch (e) {
      if (e instanceof CpuFault) return e;
      throw e;
    }
    throw new Error('expected a CpuFault');
  }

  it('the NULL page and user space fault', () => {
    const m = testMachine();
    const f = fault(() => m.cpu.load32(0));
    expect(f).toMatchObject({ va: 0, access: 'read', reason: 'user' });
    expect(fault(() => m.cpu.store8(0x1000_0000, 1))).toMatchObject({ access: 'write', reason: 'user' });
  });

  it('an unmapped kernel address faults', () => {
    const m = testMachine();
    expect(fault(() => m.cpu.load32(PAGE_OFFSET + 16 * MiB))).toMatchObject({ reason: 'unmapped' });
    expect(fault(() => m.cpu.load8(0xd200_0000))).toMatchObject({ reason: 'unmapped' });
  });

  it('stores to read-only kernel text fault, loads do not', () => {
    const m = testMachine();
    m.mmu.readOnlyEnd = 0x1000;
    expect(m.cpu.load32(PAGE_OFFSET)).toBe(0);
    expect(fault(() => m.cpu.store32(PAGE_OFFSET + 8, 1))).toMatchObject({ reason: 'protection', access: 'write' });
    m.mmu.mapPage(0xd000_0000, 0x5000, PTE_READONLY);
    expect(fault(() => m.cpu.store8(0xd000_0000, 1))).toMatchObject({ reason: 'protection' });
  });

  it('a mapping onto a bus hole is a machine check', () => {
    const m = testMachine();
    m.mmu.mapPage(0xf700_0000, 0x8000_0000, PTE_CACHE_INHIBITED | PTE_GUARDED);
    expect(fault(() => m.cpu.load32(0xf700_0000))).toMatchObject({ reason: 'machine-check', pa: 0x8000_0000 });
  });
});

describe('physical memory', () => {
  it('RAM is sparse: a 1 GiB board costs host memory only for pages used', () => {
    const m = new Machine({ ram: [{ base: 0, size: 1024 * MiB }] });
    m.mmu.lowmemSize = 768 * MiB;
    m.cpu.store32(PAGE_OFFSET + 700 * MiB, 1);
    m.cpu.store32(PAGE_OFFSET + 5 * MiB, 1);
    expect(m.store.framesInUse).toBe(2);
  });

  it('supports RAM above 4 GiB (36-bit physical addresses) through the page table', () => {
    const m = new Machine({ ram: [{ base: 0, size: 16 * MiB }, { base: 0x1_0000_0000, size: 16 * MiB }] });
    m.mmu.mapPage(0xd000_0000, 0x1_0000_2000, 0);
    m.cpu.store32(0xd000_0004, 0x600dcafe);
    m.cache.flush(0x1_0000_2004, 4);
    expect(Array.from(m.bus.peek(0x1_0000_2004, 4))).toEqual([0x60, 0x0d, 0xca, 0xfe]);
  });

  it('device access to a hole is a bus error naming the master', () => {
    const m = testMachine();
    const dev = m.bus.master('etsec0', { snoop: false });
    expect(() => dev.read32be(0x4000_0000)).toThrow(/bus error: etsec0 read of 4 byte\(s\) at physical 0x40000000/);
    expect(() => dev.write(16 * MiB - 2, new Uint8Array(4), 0, 4)).toThrow(/bus error: etsec0 write/);
  });

  it('refuses overlapping MMIO windows and RAM overlaps with a clear error', () => {
    const m = testMachine();
    const dev: MmioDevice = { name: 'a', read: () => 0, write: () => {} };
    m.bus.addMmio(0xffe0_0000, 0x1000, dev);
    expect(() => m.bus.addMmio(0xffe0_0800, 0x1000, { ...dev, name: 'b' })).toThrow(/overlaps a at 0xffe00000/);
    expect(() => m.bus.addMmio(0x1000, 0x1000, { ...dev, name: 'c' })).toThrow(/overlaps RAM/);
  });
});
