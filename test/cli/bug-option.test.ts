/** `driverlab run --bug NAME`: the main job with one of the reference driver's bugs switched on. */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { GFAR_BUG_NAMES, runNic } from '../../src/cli/nic-run.js';
import { gfar_bugs, gfar_driver } from '../../drivers/gianfar/gianfar.js';

function parseRun(args: string[]): { err: string; run: () => Promise<unknown> } {
  const p = buildProgram();
  let err = '';
  for (const c of [p, ...p.commands]) c.exitOverride().configureOutput({ writeErr: (s) => void (err += s), writeOut: () => {} });
  return { get err() { return err; }, run: () => p.parseAsync(['node', 'driverlab', 'run', ...args]) };
}

describe('run --bug', () => {
  it('names every switchable bug of the reference driver in kebab case', () => {
    expect([...GFAR_BUG_NAMES.keys()]).toEqual(['rx-no-sync-for-cpu', 'rx-write-to-buffer', 'tx-unmap-early', 'tx-ready-first']);
    expect([...GFAR_BUG_NAMES.values()].sort()).toEqual(Object.keys(gfar_bugs).sort());
  });

  it('runs with the bug on, says so, reports it once with its count and the driver line, and switches it off after', () => {
    const r = runNic({ frames: 20, seed: 1, coherent: false, bugs: ['rxNoSyncForCpu'] });
    expect(r.lines[2]).toBe('Bugs switched on in the driver: rx-no-sync-for-cpu');
    expect(r.board.reports).toHaveLength(21); // every received frame: the ARP request and 20 echo requests
    const out = r.lines.join('\n');
    expect(out).toContain('Reports: 21 (1 distinct; each shown once, first occurrence)');
    expect(out).toMatch(/ {2}dma\.cpu-access-device-owned \(ffe24000\.ethernet\) at gfar_clean_rx_ring \(drivers\/gianfar\/gianfar\.ts:\d+\): 21 times, first at [\d.]+ ms/);
    expect(out.match(/while the device owns the buffer/g)).toHaveLength(1);
    expect(gfar_bugs.rxNoSyncForCpu).toBe(false);
  });

  it('accounts for every frame a bug loses: a buffer scribble makes the stack drop each frame as not for us', () => {
    const r = runNic({ frames: 20, seed: 1, coherent: false, bugs: ['rxWriteToBuffer'] });
    expect(r.replies).toBe(0);
    expect(r.unaccounted).toBe(0);
    expect(r.lines.join('\n')).toContain('stack: not for us 21, not handled 0');
    expect(r.board.reports.map((x) => x.id)).toEqual(Array(21).fill('dma.cpu-write-from-device'));
  });

  it('refuses an unknown bug, naming the ones there are, and refuses --bug with --driver', async () => {
    const bad = parseRun(['--bug', 'rx-forgot']);
    await expect(bad.run()).rejects.toThrow();
    expect(bad.err).toMatch(/--bug rx-forgot: no such bug in the reference driver; choose from rx-no-sync-for-cpu, rx-write-to-buffer, tx-unmap-early, tx-ready-first/);
    const both = parseRun(['--bug', 'tx-unmap-early', '--driver', 'test/fixtures/renamed-gianfar.ts']);
    await expect(both.run()).rejects.toThrow(/--bug switches bugs in the reference driver; it cannot be combined with --driver/);
    expect(() => runNic({ frames: 1, seed: 1, coherent: false, bugs: ['txUnmapEarly'], driver: gfar_driver })).toThrow(/cannot apply to another driver/);
  });
});
