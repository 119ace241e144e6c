/** Test fixtures for the MPIC register-level tests: a controller on a fresh clock with a recording INT line. */
import { EventQueue } from '../../../src/sim/events.js';
import { Mpic, type MpicOptions } from '../../../src/hw/mpic/index.js';
import { LineProbe as IntProbe } from '../../helpers/line-probe.js';

/** The core's INT input, recorded. */
export { IntProbe };

export const GCONF0 = 0x1020;
export const MIXED = 0x2000_0000;
export const CTPR = 0x20080;
export const IACK = 0x200a0;
export const EOI = 0x200b0;
export const WHOAMI = 0x20090;
export const SPURIOUS = 0x10e0;
export const TIMER_FREQ = 0x10f0;
export const vpr = (n: number): number => 0x10000 + n * 0x20;
export const dest = (n: number): number => 0x10010 + n * 0x20;
export const ipiVpr = (i: number): number => 0x10a0 + i * 0x10;
export const ipiDispatch = (i: number): number => 0x20040 + i * 0x10;
export const timerBase = (t: number): number => (t < 4 ? 0x1100 : 0x2100) + (t & 3) * 0x40;

export const MSK = 0x8000_0000;
export const ACT = 0x4000_0000;
export const POL_HIGH = 0x0080_0000;
export const LEVEL = 0x0040_0000;
export const prio = (p: number): number => p << 16;

/** A controller with CPU 0's INT probed. */
export function makeMpic(opts: Partial<Omit<MpicOptions, 'cpuInt' | 'events'>> = {}): { mpic: Mpic; events: EventQueue; int: IntProbe } {
  const events = new EventQueue();
  const int = new IntProbe();
  const mpic = new Mpic({ cpuInt: int, events, ...opts });
  return { mpic, events, int };
}

/** What Linux's init does: mixed mode (8259 pass-through disabled) and CTPR 0. */
export function linuxInit(mpic: Mpic): void {
  mpic.write(GCONF0, 4, MIXED);
  mpic.write(CTPR, 4, 0);
}

/** A controller after Linux-style init. */
export function readyMpic(opts: Partial<Omit<MpicOptions, 'cpuInt' | 'events'>> = {}): ReturnType<typeof makeMpic> {
  const m = makeMpic(opts);
  linuxInit(m.mpic);
  return m;
}

/** Program source n: unmasked unless told, vector = n unless told. */
export function source(mpic: Mpic, n: number, cfg: { priority: number; level?: boolean; high?: boolean; masked?: boolean; vector?: number }): void {
  const v = (cfg.masked ? MSK : 0) | (cfg.high ? POL_HIGH : 0) | (cfg.level ? LEVEL : 0) | prio(cfg.priority) | (cfg.vector ?? n);
  mpic.write(vpr(n), 4, v);
}

export const iack = (mpic: Mpic): number => mpic.read(IACK, 4);
export const eoi = (mpic: Mpic): void => mpic.write(EOI, 4, 0);
