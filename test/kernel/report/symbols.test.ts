import { describe, expect, it } from 'vitest';
import { SYMBOL_TEXT_START, SymbolTable, formatSymbol, isSyntheticFrame, kernelFrame } from '../../../src/kernel/report/symbols.js';
import type { StackFrame } from '../../../src/kernel/report/types.js';

const frame = (fn: string, file: string, line: number, user = true): StackFrame => ({ fn, file, line, column: 1, user });

describe('synthetic symbol addresses', () => {
  it('are the same in two independent tables (derived from file + name, not from state)', () => {
    const a = new SymbolTable();
    const b = new SymbolTable();
    b.symbol('drivers/other.ts', 'unrelated_first'); // different history in b
    const fa = a.resolve(frame('gfar_clean_rx_ring', 'drivers/gianfar.ts', 412));
    const fb = b.resolve(frame('gfar_clean_rx_ring', 'drivers/gianfar.ts', 412));
    expect(fb.symbol.start).toBe(fa.symbol.start);
    expect(fb.symbol.size).toBe(fa.symbol.size);
    expect(fb.address).toBe(fa.address);
  });

  it('live in kernel text, 4-byte aligned, and differ for the same name in another file', () => {
    const t = new SymbolTable();
    const s1 = t.symbol('drivers/a.ts', 'probe');
    const s2 = t.symbol('drivers/b.ts', 'probe');
    expect(s1.start).not.toBe(s2.start);
    for (const s of [s1, s2]) {
      expect(s.start % 4).toBe(0);
      expect(s.start).toBeGreaterThanOrEqual(SYMBOL_TEXT_START);
      expect(s.start + s.size).toBeLessThanOrEqual(0xc040_0000);
    }
  });

  it('never overlap within a table, even with many functions', () => {
    const t = new SymbolTable();
    const syms = Array.from({ length: 1500 }, (_, i) => t.symbol(`drivers/f${i % 37}.ts`, `fn_${i}`));
    const sorted = [...syms].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (!prev || !cur) continue;
      expect(cur.start).toBeGreaterThanOrEqual(prev.start + prev.size);
    }
    expect(t.count).toBe(1500);
  });

  it('offsets grow with the line inside a function and stay below its size', () => {
    const t = new SymbolTable();
    const first = t.resolve(frame('rx_poll', 'drivers/x.ts', 100));
    const later = t.resolve(frame('rx_poll', 'drivers/x.ts', 110));
    const earlier = t.resolve(frame('rx_poll', 'drivers/x.ts', 95));
    const far = t.resolve(frame('rx_poll', 'drivers/x.ts', 100_000));
    expect(later.offset - first.offset).toBe(40);
    expect(earlier.offset).toBeLessThan(first.offset);
    expect(far.offset).toBe(far.symbol.size - 4);
    for (const r of [first, later, earlier, far]) {
      expect(r.offset % 4).toBe(0);
      expect(r.address).toBe(r.symbol.start + r.offset);
    }
  });

  it('reverse lookup finds the symbol holding an address', () => {
    const t = new SymbolTable();
    const r = t.resolve(frame('gfar_poll', 'drivers/gianfar.ts', 530));
    expect(t.lookup(r.address)).toEqual({ symbol: r.symbol, offset: r.offset });
    expect(t.lookup(r.symbol.start + r.symbol.size)).toBeUndefined();
  });
});

describe('formatting', () => {
  it('sym+0xOFF/0xSIZE, with the TypeScript location for user frames only', () => {
    const t = new SymbolTable();
    const user = t.resolve(frame('gfar_clean_rx_ring', 'drivers/gianfar.ts', 412));
    const kern = t.resolve(frame('dma_sync_single_for_device', 'src/kernel/dma/api.ts', 120, false));
    expect(formatSymbol(user)).toBe(`gfar_clean_rx_ring+0x20/0x${user.symbol.size.toString(16)} (drivers/gianfar.ts:412)`);
    expect(formatSymbol(kern)).toBe(`dma_sync_single_for_device+0x20/0x${kern.symbol.size.toString(16)}`);
  });

  it('kernelFrame: a Linux-named frame with an explicit or a stable derived offset', () => {
    const t = new SymbolTable();
    const f = kernelFrame('arch_sync_dma_for_device', { offset: 0x48 });
    expect(isSyntheticFrame(f)).toBe(true);
    expect(f.user).toBe(false);
    expect(formatSymbol(t.resolve(f))).toMatch(/^arch_sync_dma_for_device\+0x48\/0x[0-9a-f]+$/);
    const d1 = t.resolve(kernelFrame('__dma_sync_single_for_device'));
    const d2 = new SymbolTable().resolve(kernelFrame('__dma_sync_single_for_device'));
    expect(d1.offset).toBe(d2.offset);
    expect(d1.offset).toBeGreaterThan(0);
    expect(d1.offset).toBeLessThan(d1.symbol.size);
  });
});

describe('explicit offsets of synthetic frames', () => {
  it('a new synthetic symbol is made big enough to hold the offset it is first seen with', () => {
    const t = new SymbolTable();
    const r = t.resolve(kernelFrame('check_sync', { offset: 0x6f0 }));
    expect(r.offset).toBe(0x6f0);
    expect(r.symbol.size).toBeGreaterThan(0x6f0);
  });
});
