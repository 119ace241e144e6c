/** MPIC delivery semantics at register level: sensing, masking, priorities, nesting, CTPR, spurious and routing. */
import { describe, expect, it } from 'vitest';
import { ACT, CTPR, dest, eoi, GCONF0, iack, makeMpic, MIXED, readyMpic, source, SPURIOUS, vpr } from './helpers.js';

describe('level-sensitive sources', () => {
  it('stay pending while asserted and deliver again after EOI', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 29, { priority: 8, level: true, high: true });
    const line = mpic.input(29);
    line.set(true);
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(29);
    expect(int.level).toBe(false); // in service: not re-delivered while its handler runs
    expect(mpic.sourceConfig(29)).toMatchObject({ pending: true, inService: true });
    eoi(mpic);
    expect(int.level).toBe(true); // still asserted: the hardware re-asserts INT
    expect(iack(mpic)).toBe(29);
    line.set(false); // the driver quiets the device
    eoi(mpic);
    expect(int.level).toBe(false);
    expect(iack(mpic)).toBe(mpic.read(SPURIOUS, 4));
  });

  it('drop their request when the input deasserts before IACK', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 30, { priority: 5, level: true, high: true });
    mpic.input(30).set(true);
    mpic.input(30).set(false);
    expect(int.level).toBe(false);
    expect(iack(mpic)).toBe(0x7ff);
  });

  it('read ACTIVITY while pending or in service', () => {
    const { mpic } = readyMpic();
    source(mpic, 31, { priority: 5, level: true, high: true });
    expect(mpic.read(vpr(31), 4) & ACT).toBe(0);
    mpic.input(31).set(true);
    expect(mpic.read(vpr(31), 4) & ACT).toBe(ACT);
    iack(mpic);
    mpic.input(31).set(false);
    expect(mpic.read(vpr(31), 4) & ACT).toBe(ACT); // in service
    eoi(mpic);
    expect(mpic.read(vpr(31), 4) & ACT).toBe(0);
  });
});

describe('edge-sensitive sources', () => {
  it('deliver an edge that arrived while masked exactly once after unmask', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 3, { priority: 6, high: true, masked: true });
    mpic.input(3).set(true);
    mpic.input(3).set(false);
    expect(int.level).toBe(false);
    expect(mpic.sourceConfig(3).pending).toBe(true);
    source(mpic, 3, { priority: 6, high: true }); // unmask
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(3);
    eoi(mpic);
    expect(int.level).toBe(false);
    expect(iack(mpic)).toBe(0x7ff);
  });

  it('collapse two edges before IACK into one delivery', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 4, { priority: 6, high: true });
    const l = mpic.input(4);
    l.set(true);
    l.set(false);
    l.set(true);
    l.set(false);
    expect(iack(mpic)).toBe(4);
    eoi(mpic);
    expect(int.level).toBe(false);
    expect(iack(mpic)).toBe(0x7ff);
  });

  it('latch a new edge while in service and deliver it after EOI', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 5, { priority: 6, high: true });
    const l = mpic.input(5);
    l.set(true);
    expect(iack(mpic)).toBe(5);
    l.set(false);
    l.set(true);
    expect(int.level).toBe(false); // same source in service
    eoi(mpic);
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(5);
  });

  it('ignore a level held at the active value after the edge', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 6, { priority: 6, high: true });
    mpic.input(6).set(true);
    iack(mpic);
    eoi(mpic);
    expect(int.level).toBe(false); // still high, but no new edge
  });
});

describe('polarity', () => {
  it('makes a level-low source pending while its input is low', () => {
    const { mpic, int } = readyMpic();
    const l = mpic.input(1);
    l.set(true); // idle high
    source(mpic, 1, { priority: 4, level: true, high: false });
    expect(int.level).toBe(false);
    l.set(false);
    expect(int.level).toBe(true);
    expect(mpic.sourceConfig(1)).toMatchObject({ sense: 'level', polarity: 'low', input: 'low', pending: true });
    l.set(true);
    expect(int.level).toBe(false);
  });

  it('latches falling edges only when polarity is 0', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 2, { priority: 4, high: false });
    const l = mpic.input(2);
    l.set(true); // rising: ignored
    expect(int.level).toBe(false);
    l.set(false); // falling: latched
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(2);
  });

  it('re-evaluates when software flips polarity of a level source', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 40, { priority: 4, level: true, high: true });
    expect(int.level).toBe(false); // input low, active-high
    source(mpic, 40, { priority: 4, level: true, high: false });
    expect(int.level).toBe(true); // input low is now the active level
  });
});

describe('masking', () => {
  it('lowers INT when the pending source is masked and raises it again on unmask', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 50, { priority: 4, level: true, high: true });
    mpic.input(50).set(true);
    expect(int.level).toBe(true);
    mpic.write(vpr(50), 4, mpic.read(vpr(50), 4) | 0x8000_0000);
    expect(int.level).toBe(false);
    expect(mpic.read(vpr(50), 4) >>> 31).toBe(1); // Linux polls MASK until it reads back set
    expect(iack(mpic)).toBe(0x7ff); // masked: not handed out
    mpic.write(vpr(50), 4, mpic.read(vpr(50), 4) & ~0x8000_0000);
    expect(int.level).toBe(true);
  });

  it('keeps the reset state masked: nothing is delivered before software unmasks', () => {
    const { mpic, int } = readyMpic();
    mpic.input(20).set(true);
    mpic.input(20).set(false);
    expect(int.level).toBe(false);
  });
});

describe('priorities and nesting', () => {
  it('hands out the highest-priority pending source first', () => {
    const { mpic } = readyMpic();
    source(mpic, 20, { priority: 3, level: true, high: true });
    source(mpic, 21, { priority: 9, level: true, high: true });
    source(mpic, 22, { priority: 5, level: true, high: true });
    for (const n of [20, 21, 22]) mpic.input(n).set(true);
    expect(iack(mpic)).toBe(21);
  });

  it('lets a higher priority preempt an in-service lower one, and makes a lower one wait for EOI', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 20, { priority: 5, high: true });
    source(mpic, 21, { priority: 9, high: true });
    source(mpic, 22, { priority: 3, high: true });
    mpic.input(20).set(true);
    expect(iack(mpic)).toBe(20);
    mpic.input(22).set(true); // lower than in service: waits
    expect(int.level).toBe(false);
    mpic.input(21).set(true); // higher: nests
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(21);
    expect(mpic.inService().map((e) => e.irq)).toEqual([20, 21]);
    eoi(mpic); // retires 21, the highest in service
    expect(mpic.inService().map((e) => e.irq)).toEqual([20]);
    expect(int.level).toBe(false); // 22 (prio 3) still below 20 (prio 5)
    eoi(mpic);
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(22);
  });

  it('does not nest an equal priority', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 20, { priority: 5, high: true });
    source(mpic, 21, { priority: 5, high: true });
    mpic.input(20).set(true);
    iack(mpic);
    mpic.input(21).set(true);
    expect(int.level).toBe(false);
  });

  it('gives ties to the lower source number', () => {
    const { mpic } = readyMpic();
    source(mpic, 60, { priority: 5, high: true });
    source(mpic, 44, { priority: 5, high: true });
    mpic.input(60).set(true);
    mpic.input(44).set(true);
    expect(iack(mpic)).toBe(44);
  });

  it('never delivers priority 0', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 23, { priority: 0, level: true, high: true });
    mpic.input(23).set(true);
    expect(int.level).toBe(false);
    expect(iack(mpic)).toBe(0x7ff);
    expect(mpic.sourceConfig(23).pending).toBe(true);
  });

  it('returns the vector programmed, not the source number', () => {
    const { mpic } = readyMpic();
    source(mpic, 24, { priority: 2, high: true, vector: 0x555 });
    mpic.input(24).set(true);
    expect(iack(mpic)).toBe(0x555);
  });
});

describe('current task priority', () => {
  it('blocks priorities at or below CTPR and releases them when it drops', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 25, { priority: 6, level: true, high: true });
    mpic.write(CTPR, 4, 6);
    mpic.input(25).set(true);
    expect(int.level).toBe(false);
    expect(iack(mpic)).toBe(0x7ff);
    mpic.write(CTPR, 4, 5);
    expect(int.level).toBe(true);
    mpic.write(CTPR, 4, 0xf);
    expect(int.level).toBe(false);
  });

  it('starts at 0xf, blocking everything', () => {
    const { mpic, int } = makeMpic();
    mpic.write(GCONF0, 4, MIXED);
    source(mpic, 25, { priority: 15, level: true, high: true });
    mpic.input(25).set(true);
    expect(mpic.read(CTPR, 4)).toBe(0xf);
    expect(int.level).toBe(false);
  });
});

describe('spurious and routing', () => {
  it('returns the SPURIOUS vector on IACK with nothing pending and counts it', () => {
    const { mpic, int } = readyMpic();
    mpic.write(SPURIOUS, 4, 0x7ff);
    expect(iack(mpic)).toBe(0x7ff);
    mpic.write(SPURIOUS, 4, 0x123);
    expect(iack(mpic)).toBe(0x123);
    expect(mpic.counters.spuriousAcks).toBe(2);
    expect(int.history.includes(true)).toBe(false);
  });

  it('counts an EOI with nothing in service and changes nothing', () => {
    const { mpic, int } = readyMpic();
    eoi(mpic);
    expect(mpic.counters.strayEois).toBe(1);
    expect(int.level).toBe(false);
  });

  it('needs destination bit 0 to deliver to CPU 0', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 26, { priority: 6, level: true, high: true });
    mpic.write(dest(26), 4, 0);
    mpic.input(26).set(true);
    expect(int.level).toBe(false);
    expect(iack(mpic)).toBe(0x7ff);
    mpic.write(dest(26), 4, 1);
    expect(int.level).toBe(true);
  });

  it('drives INT only on changes (derived, never pulsed)', () => {
    const { mpic, int } = readyMpic();
    source(mpic, 27, { priority: 6, level: true, high: true });
    source(mpic, 28, { priority: 7, level: true, high: true });
    int.history.length = 0;
    mpic.input(27).set(true);
    mpic.input(28).set(true);
    mpic.input(27).set(true);
    expect(int.history).toEqual([true]);
  });
});

describe('pass-through mode', () => {
  it('is the reset mode: IRQ0 drives INT directly and IACK hands out nothing', () => {
    const { mpic, int } = makeMpic();
    mpic.write(CTPR, 4, 0);
    source(mpic, 29, { priority: 6, level: true, high: true });
    mpic.input(29).set(true);
    expect(int.level).toBe(false);
    mpic.input(0).set(true);
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(0x7ff);
    mpic.input(0).set(false);
    expect(int.level).toBe(false);
    mpic.write(GCONF0, 4, MIXED); // Linux: disable 8259 pass-through
    expect(int.level).toBe(true);
    expect(iack(mpic)).toBe(29);
  });
});
