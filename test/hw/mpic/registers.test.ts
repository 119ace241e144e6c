/** Register-level checks generated from the MPIC register table: reset values, read-only and read/write masks, aliases, ignored accesses. */
import { describe, expect, it } from 'vitest';
import { buildMpicRegisters, MPIC_WINDOW_SIZE } from '../../../src/hw/mpic/index.js';
import { CTPR, IACK, makeMpic, SPURIOUS, vpr } from './helpers.js';

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

describe.each([11, 8] as const)('MPIC register table (%i-bit vectors)', (vectorBits) => {
  const table = buildMpicRegisters({ vectorBits, timerFrequencyHz: 50_000_000 });
  const readable = table.defs.filter((d) => !d.target.volatile);

  it('lays every register inside the 0x40000 window on a 32-bit boundary', () => {
    for (const d of table.defs) {
      expect(d.offset % 4, d.name).toBe(0);
      expect(d.offset < MPIC_WINDOW_SIZE, d.name).toBe(true);
    }
    expect(table.defs.length).toBeGreaterThan(256 * 2 + 8 * 4);
  });

  it('reads back every register at its table reset value', () => {
    const { mpic } = makeMpic({ vectorBits });
    const got = readable.map((d) => `${d.name}=${hex(mpic.read(d.offset, 4))}`);
    const want = readable.map((d) => `${d.name}=${hex(d.target.reset & d.target.readMask)}`);
    expect(got).toEqual(want);
  });

  it('ignores writes to read-only registers', () => {
    const { mpic } = makeMpic({ vectorBits });
    for (const d of readable.filter((x) => x.target.access === 'ro')) {
      mpic.write(d.offset, 4, ~d.target.reset);
      expect(hex(mpic.read(d.offset, 4)), d.name).toBe(hex(d.target.reset));
    }
    expect(mpic.counters.readOnlyWrites).toBeGreaterThan(0);
  });

  it('stores exactly the writable bits of read/write registers', () => {
    const { mpic } = makeMpic({ vectorBits });
    // GLOBAL_CONF0's RST would reset the controller: it has its own test.
    for (const d of readable.filter((x) => x.target.access === 'rw' && x.target.onWrite !== 'gconf0')) {
      mpic.write(d.offset, 4, 0xffff_ffff);
      expect(hex(mpic.read(d.offset, 4)), d.name).toBe(hex(d.target.storeMask));
      mpic.write(d.offset, 4, 0);
      expect(hex(mpic.read(d.offset, 4)), d.name).toBe(hex(0));
    }
  });

  it(`keeps vector fields ${vectorBits} bits wide`, () => {
    const { mpic } = makeMpic({ vectorBits });
    mpic.write(vpr(40), 4, 0xffff);
    expect(mpic.sourceConfig(40).vector).toBe((1 << vectorBits) - 1);
    expect(mpic.read(SPURIOUS, 4)).toBe((1 << vectorBits) - 1);
  });
});

describe('MPIC identification and aliases', () => {
  it('reports 256 sources, one CPU and a block revision', () => {
    const { mpic } = makeMpic();
    const frr = mpic.read(0x1000, 4);
    expect((frr >>> 16) & 0x7ff).toBe(255);
    expect((frr >>> 8) & 0x1f).toBe(0);
    expect(mpic.read(0x0, 4)).toBe(0x0040_0200);
    expect(mpic.read(0x20090, 4)).toBe(0); // WHOAMI: CPU 0
  });

  it('shows CPU 0 per-CPU registers through the "this CPU" page at 0x0', () => {
    const { mpic } = makeMpic();
    mpic.write(0x80, 4, 7);
    expect(mpic.read(CTPR, 4)).toBe(7);
    mpic.write(CTPR, 4, 3);
    expect(mpic.read(0x80, 4)).toBe(3);
    expect(mpic.read(0x90, 4)).toBe(0);
    expect(mpic.registers.lookup(0x80)!.target.name).toBe('CPU0_CTPR');
    expect(mpic.registers.lookup(0x0)!.name).toBe('BRR1'); // BRR1 is not an alias
  });
});

describe('MPIC accesses the hardware ignores', () => {
  it('reads 0 and drops writes at unimplemented offsets, and counts them', () => {
    const { mpic } = makeMpic();
    expect(mpic.read(0x1004, 4)).toBe(0);
    expect(mpic.read(0x30000, 4)).toBe(0);
    mpic.write(0x10004, 4, 0xffff_ffff);
    expect(mpic.counters.unimplemented).toBe(3);
  });

  it('reads 0 and drops writes for 8- and 16-bit accesses to 32-bit registers', () => {
    const { mpic } = makeMpic();
    mpic.write(CTPR, 1, 0);
    mpic.write(CTPR + 2, 2, 0);
    expect(mpic.read(CTPR, 4)).toBe(0xf);
    expect(mpic.read(CTPR, 2)).toBe(0);
    expect(mpic.read(IACK, 1)).toBe(0);
    expect(mpic.counters.badSize).toBe(4); // CTPR+2 lies inside CTPR: a sub-word access, not a hole
    expect(mpic.counters.unimplemented).toBe(0);
  });

  it('reports ignored accesses on the trace bus', async () => {
    const { TraceBus } = await import('../../../src/sim/trace.js');
    const trace = new TraceBus();
    const seen: unknown[] = [];
    trace.events$.subscribe((e) => {
      if (e.kind === 'custom' && e.name === 'mpic.ignored') seen.push(e.data);
    });
    const { mpic } = makeMpic({ trace });
    mpic.read(0x1002, 2);
    mpic.read(0x1040, 4);
    expect(seen).toEqual([{ op: 'read', offset: 0x1002, size: 2, reason: 'size' }, { op: 'read', offset: 0x1040, size: 4, reason: 'unimplemented' }]);
  });
});
