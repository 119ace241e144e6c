/** MPIC whole-controller behaviour: GLOBAL_CONF0 reset, input pins and their wiring, inspection, save/restore. */
import { describe, expect, it } from 'vitest';
import { activeLowPin, Mpic } from '../../../src/hw/mpic/index.js';
import { EventQueue } from '../../../src/sim/events.js';
import { CTPR, dest, eoi, GCONF0, iack, ipiDispatch, ipiVpr, IntProbe, MIXED, prio, readyMpic, source, timerBase, vpr } from './helpers.js';

describe('GLOBAL_CONF0 reset', () => {
  it('returns every register to its reset value, drops pending and in-service state, and self-clears', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 29, { priority: 8, level: true, high: true });
    source(mpic, 30, { priority: 9, high: true });
    mpic.input(30).set(true);
    iack(mpic);
    mpic.input(29).set(true);
    mpic.write(timerBase(0) + 0x10, 4, 100);
    mpic.write(GCONF0, 4, 0x8000_0000 | MIXED);
    expect(mpic.read(GCONF0, 4)).toBe(0); // RST reads 0 and the mode is back to pass-through
    expect(mpic.read(CTPR, 4)).toBe(0xf);
    expect(mpic.read(vpr(29), 4)).toBe(0x8080_0000);
    expect(mpic.read(timerBase(0) + 0x10, 4)).toBe(0x8000_0000);
    expect(mpic.inService()).toEqual([]);
    expect(int.level).toBe(false);
    for (const d of mpic.registers.defs.filter((x) => !x.target.volatile)) {
      expect(mpic.read(d.offset, 4), d.name).toBe((d.target.reset & d.target.readMask) >>> 0);
    }
  });

  it('keeps input pin levels (they are wires) so a level source re-requests once programmed', () => {
    const { mpic, int } = readyMpic();
    mpic.input(29).set(true);
    mpic.write(GCONF0, 4, 0x8000_0000);
    mpic.write(GCONF0, 4, MIXED);
    mpic.write(CTPR, 4, 0);
    source(mpic, 29, { priority: 8, level: true, high: true });
    expect(int.level).toBe(true);
  });
});

describe('input pins', () => {
  it('refuses a source outside 0..255 with a message naming it', () => {
    const { mpic } = readyMpic();
    expect(() => mpic.input(256)).toThrow(RangeError);
    expect(() => mpic.input(256)).toThrow(/source 256/);
    expect(() => mpic.input(-1)).toThrow(/source -1/);
    expect(() => mpic.sourceConfig(1.5)).toThrow(/source 1.5/);
  });

  it('gives a device the same line object each time and tolerates repeated levels', () => {
    const { mpic, int } = readyMpic();
    expect(mpic.input(29)).toBe(mpic.input(29));
    source(mpic, 29, { priority: 8, level: true, high: true });
    mpic.input(29).set(true);
    mpic.input(29).set(true);
    expect(int.rises).toBe(1);
  });

  it('wires an active-low device through an inverter that idles the pin high', () => {
    const { mpic, int } = readyMpic();
    const dev = activeLowPin(mpic.input(0));
    source(mpic, 0, { priority: 5, level: true, high: false }); // DT sense 1: level low
    expect(mpic.sourceConfig(0).input).toBe('high');
    expect(int.level).toBe(false);
    dev.set(true);
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(0);
    dev.set(false);
    eoi(mpic);
    expect(int.level).toBe(false);
  });

  it('describes a source for /proc/interrupts-like views', () => {
    const { mpic } = readyMpic();
    source(mpic, 30, { priority: 8, level: true, high: true, vector: 30 });
    expect(mpic.sourceConfig(30)).toEqual({
      masked: false, sense: 'level', polarity: 'high', priority: 8, vector: 30, destination: 1,
      pending: false, inService: false, input: 'low',
    });
  });
});

describe('save and restore', () => {
  it('round-trips registers, latches, in-service nesting, inputs and timers as plain data', () => {
    const a = readyMpic();
    source(a.mpic, 20, { priority: 5, high: true });
    source(a.mpic, 21, { priority: 9, level: true, high: true });
    source(a.mpic, 22, { priority: 3, high: true, masked: true });
    a.mpic.write(dest(22), 4, 1);
    a.mpic.input(20).set(true);
    iack(a.mpic); // 20 in service
    a.mpic.input(21).set(true);
    iack(a.mpic); // 21 nested
    a.mpic.input(22).set(true); // latched while masked
    a.mpic.write(ipiVpr(0), 4, prio(10) | 2043);
    a.mpic.write(timerBase(0) + 0x20, 4, prio(2) | 2035);
    a.mpic.write(timerBase(0) + 0x10, 4, 1000);
    a.events.advanceBy(20 * 250);
    const snap = a.mpic.save();
    const copy = JSON.parse(JSON.stringify(snap)) as typeof snap; // plain data survives JSON

    const events = new EventQueue();
    events.advanceTo(777); // a different time base: timers re-anchor relative to now
    const int = new IntProbe();
    const b = new Mpic({ cpuInt: int, events });
    b.restore(copy);
    expect(b.save()).toEqual({ ...snap, counters: snap.counters });
    expect(b.inService().map((e) => e.irq)).toEqual([20, 21]);
    expect(b.sourceConfig(22).pending).toBe(true);
    expect(b.read(timerBase(0), 4)).toBe(750);
    expect(int.level).toBe(a.int.level);

    // Both continue identically.
    for (const m of [a.mpic, b]) {
      eoi(m);
      m.input(21).set(false);
      eoi(m);
      m.write(vpr(22), 4, m.read(vpr(22), 4) & ~0x8000_0000);
      m.write(ipiDispatch(0), 4, 1);
    }
    expect([iack(b), iack(b)]).toEqual([iack(a.mpic), iack(a.mpic)]);
    a.events.advanceBy(20 * 750);
    events.advanceBy(20 * 750);
    expect(b.read(timerBase(0), 4)).toBe(a.mpic.read(timerBase(0), 4));
    expect(b.sourceConfig(22)).toEqual(a.mpic.sourceConfig(22));
  });

  it('refuses a snapshot from a controller with another vector width or unknown registers', () => {
    const { mpic } = readyMpic();
    const snap = mpic.save();
    const other = new Mpic({ cpuInt: new IntProbe(), events: new EventQueue(), vectorBits: 8 });
    expect(() => other.restore(snap)).toThrow(/11-bit/);
    expect(() => mpic.restore({ ...snap, registers: { ...snap.registers, BOGUS: 1 } })).toThrow(/BOGUS/);
  });
});

describe('a core that reacts inside set()', () => {
  it('can acknowledge and EOI from within the INT callback and sees consistent state', () => {
    const events = new EventQueue();
    const taken: number[] = [];
    let mpic: Mpic | undefined;
    let depth = 0;
    const cpuInt = {
      set(level: boolean): void {
        if (!level || !mpic || depth > 4) return;
        depth++;
        const v = mpic.read(0xa0, 4); // IACK through the "this CPU" page
        taken.push(v);
        if (v !== 0x7ff) mpic.write(0xb0, 4, 0); // EOI
        depth--;
      },
    };
    mpic = new Mpic({ cpuInt, events });
    mpic.write(GCONF0, 4, MIXED);
    mpic.write(CTPR, 4, 0);
    source(mpic, 30, { priority: 5, high: true });
    source(mpic, 31, { priority: 7, high: true });
    mpic.input(30).set(true);
    mpic.input(31).set(true);
    expect(taken).toEqual([30, 31]);
    expect(mpic.inService()).toEqual([]);
    expect(mpic.intAsserted).toBe(false);
  });
});
