/** eTSEC register table checks generated from the table (reset values, ro/rw/w1c access rules) plus layout facts and ignored accesses. */
import { describe, expect, it } from 'vitest';
import { ETSEC_REGISTERS, ETSEC_WINDOW_SIZE, RMON_COUNTERS } from '../../../src/hw/etsec/index.js';
import * as L from '../../../src/hw/etsec/layout.js';
import { Bench, hex } from './helpers.js';

const table = ETSEC_REGISTERS;
const stable = table.defs.filter((d) => !d.target.volatile);

describe('eTSEC register table', () => {
  it('lays every register inside the 4 KiB block on a 32-bit boundary, once', () => {
    for (const d of table.defs) {
      expect(d.offset % 4, d.name).toBe(0);
      expect(d.offset < ETSEC_WINDOW_SIZE, d.name).toBe(true);
    }
    expect(new Set(table.defs.map((d) => d.offset)).size).toBe(table.defs.length);
  });

  it('puts registers at the offsets gianfar uses', () => {
    const at = (name: string): number => table.named(name).offset;
    expect([at('TSEC_ID'), at('IEVENT'), at('IMASK'), at('EDIS'), at('ECNTRL'), at('MINFLR'), at('PTV'), at('DMACTRL'), at('TBIPA')]).toEqual([0, 0x10, 0x14, 0x18, 0x20, 0x24, 0x28, 0x2c, 0x30]);
    expect([at('TCTRL'), at('TSTAT'), at('TXIC'), at('TQUEUE'), at('TBPTR0'), at('TBASE0'), at('TBASE1')]).toEqual([0x100, 0x104, 0x110, 0x114, 0x184, 0x204, 0x20c]);
    expect([at('RCTRL'), at('RSTAT'), at('RXIC'), at('RQUEUE'), at('MRBLR'), at('RBPTR0'), at('RBASE0')]).toEqual([0x300, 0x304, 0x310, 0x314, 0x340, 0x384, 0x404]);
    expect([at('MACCFG1'), at('MACCFG2'), at('MAXFRM'), at('MIIMCFG'), at('MIIMIND'), at('MACSTNADDR1'), at('MAC15ADDR2')]).toEqual([0x500, 0x504, 0x510, 0x520, 0x534, 0x540, 0x5bc]);
    expect([at('TR64'), at('RBYT'), at('RDRP'), at('TBYT'), at('TFRG'), at('CAR1'), at('CAM2')]).toEqual([0x680, 0x69c, 0x6dc, 0x6e0, 0x72c, 0x730, 0x73c]);
    expect([at('IGADDR0'), at('GADDR7'), at('ATTR'), at('ATTRELI'), at('RXIC0'), at('TXIC7')]).toEqual([0x800, 0x89c, 0xbf8, 0xbfc, 0xed0, 0xf2c]);
  });

  it('keeps the RMON size buckets in consecutive slots (the counting code relies on it)', () => {
    const slots = ['TR64', 'TR127', 'TR255', 'TR511', 'TR1K', 'TRMAX', 'TRMGV'].map((n) => table.named(n).slot);
    expect(slots).toEqual(slots.map((_, i) => slots[0]! + i));
    expect(RMON_COUNTERS.find((c) => c[1] === 0x710)).toBeUndefined();
  });

  it('reads back every register at its table reset value', () => {
    const { nic } = new Bench();
    const got = stable.map((d) => `${d.name}=${hex(nic.read(d.offset, 4))}`);
    const want = stable.map((d) => `${d.name}=${hex(d.target.reset & d.target.readMask)}`);
    expect(got).toEqual(want);
  });

  it('has the documented reset values for the registers a driver checks', () => {
    const b = new Bench();
    expect(hex(b.r(L.TSEC_ID))).toBe('0x01240000');
    expect(b.r(L.MACCFG2)).toBe(0x7000);
    expect(b.r(L.MAXFRM)).toBe(0x600);
    expect(b.r(L.MINFLR)).toBe(0x40);
    expect(b.r(L.TQUEUE)).toBe(L.TQUEUE_EN0);
    expect(b.r(L.RQUEUE)).toBe(L.RQUEUE_EX0 | L.RQUEUE_EN0);
    expect(b.r(L.ECNTRL)).toBe(L.ECNTRL_GMIIM);
    expect(b.r(L.MIIMCFG)).toBe(7);
    expect(hex(b.r(L.CAM1))).toBe('0xfe03ffff');
  });

  it('ignores writes to read-only registers and counts them', () => {
    const b = new Bench();
    for (const d of stable.filter((x) => table.accessOf(x) === 'ro')) {
      b.w(d.offset, ~d.target.reset);
      expect(hex(b.r(d.offset)), d.name).toBe(hex(d.target.reset & d.target.readMask));
    }
    expect(b.nic.counters.readOnlyWrites).toBeGreaterThan(0);
  });

  it('stores exactly the writable bits of read/write registers', () => {
    const b = new Bench();
    // MACCFG1 (soft reset, SYNCD bits follow the enables) has its own tests.
    for (const d of stable.filter((x) => table.accessOf(x) === 'rw' && x.name !== 'MACCFG1')) {
      b.w(d.offset, 0xffff_ffff);
      const t = d.target;
      const w1c = table.w1cMask[t.slot]!;
      const ro = t.reset & t.readMask & ~t.storeMask & ~w1c; // read-only bits keep their value
      expect(hex(b.r(d.offset) & ~w1c), d.name).toBe(hex(t.storeMask | ro));
      b.w(d.offset, 0);
      expect(hex(b.r(d.offset) & ~w1c), d.name).toBe(hex(ro));
    }
  });

  it('clears write-1-to-clear bits only where 1 is written', () => {
    const b = new Bench();
    const w1c = stable.filter((x) => table.accessOf(x) === 'w1c').map((d) => d.name);
    expect(w1c).toEqual(expect.arrayContaining(['IEVENT', 'TSTAT', 'RSTAT', 'CAR1', 'CAR2']));
    b.nic.raise(L.IEVENT_TXF | L.IEVENT_RXF0 | L.IEVENT_BSY);
    b.w(L.IEVENT, 0);
    expect(b.r(L.IEVENT)).toBe((L.IEVENT_TXF | L.IEVENT_RXF0 | L.IEVENT_BSY) >>> 0);
    b.w(L.IEVENT, L.IEVENT_RXF0);
    expect(b.r(L.IEVENT)).toBe((L.IEVENT_TXF | L.IEVENT_BSY) >>> 0);
    b.w(L.IEVENT, 0xffff_ffff);
    expect(b.r(L.IEVENT)).toBe(0);
  });

  it('lists fields with their access classes', () => {
    expect(table.fieldsOf.get('TSTAT')!.every((f) => f.access === 'w1c')).toBe(true);
    expect(table.fieldsOf.get('MACCFG1')!.find((f) => f.name === 'SYNCD_RX_EN')!.access).toBe('ro');
    expect(table.named('TBASE0').doc).toMatch(/resets TBPTR0/);
  });
});

describe('accesses the hardware ignores', () => {
  it('reads 0 and drops writes at unimplemented offsets, and counts them', () => {
    const b = new Bench();
    const seen: unknown[] = [];
    const sub = b.m.trace.events$.subscribe((e) => { if (e.kind === 'custom' && e.name === 'etsec.ignored') seen.push(e.data); });
    expect(b.r(0x00c)).toBe(0);
    b.w(0x00c, 0x1234);
    b.w(0xffc, 1);
    expect(b.r(0x00c)).toBe(0);
    sub.unsubscribe();
    expect(b.nic.counters.unimplemented).toBe(4);
    expect(seen).toContainEqual({ dev: 'etsec0', op: 'write', offset: 0xffc, size: 4, reason: 'unimplemented' });
  });

  it('refuses 8- and 16-bit accesses inside a register without throwing', () => {
    const b = new Bench();
    expect(b.nic.read(L.MACCFG2 + 2, 2)).toBe(0);
    b.nic.write(L.IMASK, 1, 0xff);
    expect(b.r(L.IMASK)).toBe(0);
    expect(b.nic.counters.badSize).toBe(2);
  });
});
