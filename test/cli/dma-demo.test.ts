import { describe, it, expect } from 'vitest';
import { runDmaDemo } from '../../src/cli/dma-demo.js';
import { buildProgram } from '../../src/cli/main.js';

describe('npm start (the DMA demo until the NIC exists)', () => {
  it('on the non-coherent default board: rule reports plus the stale read and the lost write they caused', () => {
    const r = runDmaDemo({ seed: 1, coherent: false });
    expect(r.board.reports.map((x) => x.id)).toEqual([
      'dma.cpu-access-device-owned',
      'dma.stale-read',
      'dma.cacheline-shared',
      'dma.cacheline-written',
      'dma.lost-write',
    ]);
    expect(r.board.kernel.symptoms.entries.map((s) => s.kind)).toEqual(['stale-read', 'lost-write']);
    expect(r.corruptedBytes).toBeGreaterThan(0);
  });

  it('on the coherent twin: the same rules are broken, but no byte goes wrong', () => {
    const r = runDmaDemo({ seed: 1, coherent: true });
    expect(r.board.reports.map((x) => x.id)).toEqual(['dma.cpu-access-device-owned']);
    expect(r.board.kernel.symptoms.entries).toEqual([]);
    expect(r.lines.join('\n')).toMatch(/Symptoms: none/);
  });

  it('is reproducible from the seed', () => {
    expect(runDmaDemo({ seed: 5, coherent: false }).lines).toEqual(runDmaDemo({ seed: 5, coherent: false }).lines);
  });

  it('the CLI rejects a bad seed with a clear message', () => {
    const p = buildProgram();
    let err = '';
    for (const c of [p, ...p.commands]) c.exitOverride().configureOutput({ writeErr: (s) => void (err += s), writeOut: () => {} });
    expect(() => p.parse(['node', 'driverlab', 'run', '--seed', 'x'])).toThrow();
    expect(err).toMatch(/--seed must be a non-negative integer, got "x"/);
  });
});
