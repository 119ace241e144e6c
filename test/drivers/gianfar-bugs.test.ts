/**
 * Bugs from real drivers switched on in the reference driver (gfar_bugs): the sandbox catches each
 * with the right report on both boards, and the clean driver (every switch off) is never flagged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gfar_bugs } from '../../drivers/gianfar/gianfar.js';
import { runNic } from '../../src/cli/nic-run.js';

type Bug = keyof typeof gfar_bugs;

function withBug<T>(bug: Bug, fn: () => T): T {
  gfar_bugs[bug] = true;
  try {
    return fn();
  } finally {
    gfar_bugs[bug] = false;
  }
}

const ids = (r: ReturnType<typeof runNic>): string[] => [...new Set(r.board.reports.map((x) => x.id))];

afterEach(() => {
  for (const k of Object.keys(gfar_bugs) as Bug[]) gfar_bugs[k] = false;
});

describe('reference driver with a known bug switched on', () => {
  for (const coherent of [false, true]) {
    const board = coherent ? 'coherent' : 'non-coherent';

    it(`${board}: reading a received frame without dma_sync_single_for_cpu is caught at the read`, () => {
      const r = withBug('rxNoSyncForCpu', () => runNic({ frames: 200, seed: 1, coherent }));
      expect(ids(r)).toEqual(['dma.cpu-access-device-owned']);
      const rep = r.board.reports[0]!;
      expect(rep.title).toMatch(/CPU read of \d+ byte\(s\) at 0x[0-9a-f]{8} while the device owns the buffer .*\[mapped with DMA_FROM_DEVICE\]/);
      expect(rep.trace.some((f) => f.fn === 'gfar_clean_rx_ring' && f.file === 'drivers/gianfar/gianfar.ts')).toBe(true);
      // On PowerPC the for_device sync at recycle invalidates the lines the CPU pulled in, so no
      // byte goes wrong here — the rule is what catches it (a MIPS-style no-op for_cpu would not hide it).
      expect(r.replies).toBe(200);
    });

    it(`${board}: writing into a DMA_FROM_DEVICE receive buffer is caught`, () => {
      const r = withBug('rxWriteToBuffer', () => runNic({ frames: 20, seed: 1, coherent }));
      expect(ids(r)).toEqual(['dma.cpu-write-from-device']);
      expect(r.board.reports[0]!.trace.some((f) => f.fn === 'gfar_clean_rx_ring')).toBe(true);
    });

    it(`${board}: unmapping a TX buffer before the descriptor comes back is caught when the device reads it`, () => {
      const r = withBug('txUnmapEarly', () => runNic({ frames: 20, seed: 1, coherent }));
      expect(ids(r)).toEqual(['dma.device-access-unmapped']);
      expect(r.board.reports[0]!.text).toMatch(/and unmapped before the device used them: DMA to unmapped/);
      // The report points at the early unmap in gfar_start_xmit, where the fix goes.
      expect(r.board.reports[0]!.text).toMatch(/DMA-API: Unmapped at:\n gfar_start_xmit\+0x[0-9a-f]+\/0x[0-9a-f]+ \(drivers\/gianfar\/gianfar\.ts:\d+\)/);
    });
  }

  it('non-coherent, seed 1: setting READY before the buffer pointer is raced by the device (stale pointer DMA)', () => {
    const r = withBug('txReadyFirst', () => runNic({ frames: 200, seed: 1, coherent: false }));
    expect(ids(r)).toEqual(['dma.device-access-unmapped']);
    expect(r.badReplies + (200 - r.replies)).toBeGreaterThan(0);
  });

  it('the READY-first race depends on where the device lands: over seeds it is found on the coherent board too', () => {
    const caught = [1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => withBug('txReadyFirst', () => ids(runNic({ frames: 200, seed, coherent: true }))).length > 0);
    expect(caught.length).toBeGreaterThan(0);
  });
});
