/**
 * Shared set-up for the DMA tests: a booted board with one gianfar-like device, a way to run
 * driver code on it, and small views of what the checker and the cache did.
 */
import { expect } from 'vitest';
import { bootBoard, COHERENT_BOARD, DEFAULT_BOARD, type Board, type BootKnobs } from '../../../src/board/board.js';
import type { Device } from '../../../src/kernel/device.js';
import type { Report } from '../../../src/kernel/report/types.js';

/** The device name and driver every test uses, so titles read `gianfar ffe24000.ethernet`. */
export const DEV_NAME = 'ffe24000.ethernet';
export const DRIVER = 'gianfar';
/** The `DMA-API: <driver> <device>: ` prefix of every dma-debug message for that device. */
export const PREFIX = `DMA-API: ${DRIVER} ${DEV_NAME}: `;

/** A board and its device. */
export interface Rig {
  readonly b: Board;
  readonly dev: Device;
  /** Run driver code as the device's driver; fails the test if it oopses. */
  run<T>(fn: () => T): T;
  /** Run driver code that is expected to oops; returns the oops report. */
  oops(fn: () => unknown): Report;
  /** Reports made since the last call of `fresh()` (or since boot). */
  fresh(): Report[];
}

/** Boot a board (non-coherent unless `coherent`), with `expose` eviction unless told otherwise. */
export function rig(opts: BootKnobs & { coherent?: boolean } = {}): Rig {
  const { coherent, ...knobs } = opts;
  const b = bootBoard(coherent ? COHERENT_BOARD : DEFAULT_BOARD, { eviction: 'expose', ...knobs });
  const dev = b.kernel.createDevice(DEV_NAME, { driver: DRIVER });
  let seen = 0;
  return {
    b,
    dev,
    run<T>(fn: () => T): T {
      const r = b.run(fn, { owner: dev.name });
      if (!r.ok) throw new Error(`unexpected oops:\n${r.oops.text}`);
      return r.value;
    },
    oops(fn: () => unknown): Report {
      const r = b.run(fn, { owner: dev.name });
      if (r.ok) throw new Error('expected an oops, the code returned normally');
      return r.oops;
    },
    fresh(): Report[] {
      const r = b.reports.slice(seen);
      seen = b.reports.length;
      return r;
    },
  };
}

/** The ids of a list of reports. */
export function ids(reports: readonly Report[]): string[] {
  return reports.map((r) => r.id);
}

/** Assert exactly one report with `id` among `reports` and return it. */
export function only(reports: readonly Report[], id: string): Report {
  const hits = reports.filter((r) => r.id === id);
  expect(hits.map((r) => r.id), `reports were: ${ids(reports).join(', ') || 'none'}`).toEqual([id]);
  return hits[0]!;
}

/** `0x%016llx`. */
export function hex16(v: number): string {
  return '0x' + v.toString(16).padStart(16, '0');
}

/** `0x%08x`. */
export function hex8(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

/** Bytes 0..n-1 filled with `seed + i`. */
export function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed + i) & 0xff);
}

/**
 * What a device reading `pa` gets, through a bus-master port the DMA checker does not know: RAM
 * itself on the non-coherent board (dirty cache lines are not seen), snooped on the coherent one.
 */
export function ramBytes(b: Board, pa: number, n: number): number[] {
  const port = b.machine.bus.master('test-probe', { snoop: b.machine.coherent });
  const out = new Uint8Array(n);
  port.read(pa, out, 0, n);
  return Array.from(out);
}

/** Record the cache-line operations (clean/invalidate/flush) made while `fn` runs, as `op@pa`. */
export function cacheOps(b: Board, fn: () => void): { op: string; pa: number }[] {
  const ops: { op: string; pa: number }[] = [];
  const sub = b.machine.trace.events$.subscribe((e) => {
    if (e.kind === 'cache' && (e.op === 'clean' || e.op === 'invalidate' || e.op === 'flush')) ops.push({ op: e.op, pa: e.pa });
  });
  try {
    fn();
  } finally {
    sub.unsubscribe();
  }
  return ops;
}

/** The title prefix of a driverlab check (`kind: 'check'`) about the test device: `driverlab: <id>: DMA-API: gianfar ffe24000.ethernet: `. */
export function CK(id: string, device = DEV_NAME): string {
  return `driverlab: ${id}: DMA-API: ${DRIVER} ${device}: `;
}
