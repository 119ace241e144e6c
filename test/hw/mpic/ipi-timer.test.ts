/** MPIC inter-processor interrupts and global timers: dispatch, delivery through IACK, counting on simulated time, reload, inhibit. */
import { describe, expect, it } from 'vitest';
import { nsForTicks, ticksIn } from '../../../src/hw/mpic/index.js';
import { ACT, eoi, iack, ipiDispatch, ipiVpr, prio, readyMpic, TIMER_FREQ, timerBase } from './helpers.js';

describe('IPIs', () => {
  it('deliver a dispatched IPI through IACK with its own vector and priority', () => {
    const { mpic, int } = readyMpic();
    mpic.write(ipiVpr(1), 4, prio(10) | 2044);
    mpic.write(ipiDispatch(1), 4, 1);
    expect(int.level).toBe(true);
    expect(mpic.read(ipiVpr(1), 4) & ACT).toBe(ACT);
    expect(iack(mpic)).toBe(2044);
    expect(int.level).toBe(false);
    eoi(mpic);
    expect(iack(mpic)).toBe(0x7ff);
  });

  it('need bit 0 of the dispatch mask to reach CPU 0', () => {
    const { mpic, int } = readyMpic();
    mpic.write(ipiVpr(0), 4, prio(10) | 2043);
    mpic.write(ipiDispatch(0), 4, 0b10);
    expect(int.level).toBe(false);
  });

  it('stay pending while masked (the reset state) and arrive on unmask', () => {
    const { mpic, int } = readyMpic();
    mpic.write(ipiDispatch(2), 4, 1);
    expect(int.level).toBe(false);
    mpic.write(ipiVpr(2), 4, prio(10) | 2045);
    expect(iack(mpic)).toBe(2045);
  });

  it('are also dispatched through the "this CPU" page and read back as 0', () => {
    const { mpic } = readyMpic();
    mpic.write(ipiVpr(3), 4, prio(10) | 2046);
    mpic.write(0x70, 4, 1);
    expect(mpic.read(0x70, 4)).toBe(0);
    expect(iack(mpic)).toBe(2046);
  });

  it('outrank a source of lower priority', () => {
    const { mpic } = readyMpic();
    mpic.write(0x10000 + 29 * 0x20, 4, 0x00c0_0000 | prio(8) | 29);
    mpic.input(29).set(true);
    mpic.write(ipiVpr(0), 4, prio(10) | 2043);
    mpic.write(ipiDispatch(0), 4, 1);
    expect(iack(mpic)).toBe(2043);
    expect(iack(mpic)).toBe(0x7ff); // 29 (prio 8) waits below the in-service IPI (prio 10)
    eoi(mpic);
    expect(iack(mpic)).toBe(29);
  });
});

describe('global timers', () => {
  const HZ = 50_000_000; // 20 ns per tick

  it('counts down on simulated time and fires at zero, reloading from the base count', () => {
    const { mpic, events, int } = readyMpic({ timerFrequencyHz: HZ });
    const t = timerBase(0);
    mpic.write(t + 0x20, 4, prio(9) | 2035);
    mpic.write(t + 0x10, 4, 1000); // CI 1 -> 0: load 1000 and start
    events.advanceBy(20 * 400);
    expect(mpic.read(t, 4)).toBe(600);
    expect(int.level).toBe(false);
    events.advanceBy(20 * 600);
    expect(int.level).toBe(true);
    expect(mpic.read(t, 4) >>> 31).toBe(1); // TOG flipped
    expect(mpic.read(t, 4) & 0x7fff_ffff).toBe(1000); // reloaded
    expect(iack(mpic)).toBe(2035);
    eoi(mpic);
    events.advanceBy(20 * 999);
    expect(int.level).toBe(false);
    events.advanceBy(20);
    expect(int.level).toBe(true);
    expect(mpic.read(t, 4) >>> 31).toBe(0);
  });

  it('freezes on count inhibit and resumes from the base count when it is cleared again', () => {
    const { mpic, events } = readyMpic({ timerFrequencyHz: HZ });
    const t = timerBase(5); // group B timer 1
    mpic.write(t + 0x10, 4, 500);
    events.advanceBy(20 * 100);
    mpic.write(t + 0x10, 4, 0x8000_0000 | 500);
    events.advanceBy(20 * 1000);
    expect(mpic.read(t, 4)).toBe(400);
    expect(mpic.read(t + 0x20, 4) & ACT).toBe(0); // never reached zero
    mpic.write(t + 0x10, 4, 500);
    expect(mpic.read(t, 4)).toBe(500);
  });

  it('raises a group B timer through its own vector and destination', () => {
    const { mpic, events, int } = readyMpic({ timerFrequencyHz: HZ });
    const t = timerBase(7);
    mpic.write(t + 0x20, 4, prio(9) | 2042);
    mpic.write(t + 0x30, 4, 0); // not routed to CPU 0
    mpic.write(t + 0x10, 4, 10);
    events.advanceBy(200);
    expect(int.level).toBe(false);
    expect(mpic.read(t + 0x20, 4) & ACT).toBe(ACT); // pending
    mpic.write(t + 0x30, 4, 1);
    expect(iack(mpic)).toBe(2042);
  });

  it('takes its clock from TIMER_FREQ and re-anchors when software changes it', () => {
    const { mpic, events } = readyMpic({ timerFrequencyHz: HZ });
    expect(mpic.read(TIMER_FREQ, 4)).toBe(HZ);
    const t = timerBase(1);
    mpic.write(t + 0x10, 4, 1000);
    events.advanceBy(20 * 100); // 900 left
    mpic.write(TIMER_FREQ, 4, HZ / 2); // 40 ns per tick
    events.advanceBy(40 * 100);
    expect(mpic.read(t, 4)).toBe(800);
    mpic.write(TIMER_FREQ, 4, 0); // stops counting
    events.advanceBy(1_000_000);
    expect(mpic.read(t, 4)).toBe(800);
  });

  it('converts between ticks and nanoseconds exactly', () => {
    expect(ticksIn(1_000_000_000, 33_333_333)).toBe(33_333_333);
    expect(nsForTicks(1, 33_333_333)).toBe(31); // 30.000003 ns, rounded up
    expect(ticksIn(nsForTicks(0x7fff_ffff, 33_333_333), 33_333_333)).toBe(0x7fff_ffff);
  });
});
