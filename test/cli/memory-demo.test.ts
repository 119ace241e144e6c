import { describe, it, expect } from 'vitest';
import { runMemoryDemo } from '../../src/cli/memory-demo.js';

describe('npm start memory demo', () => {
  it('shows a stale read and a lost device write on the non-coherent default board', () => {
    const r = runMemoryDemo({ seed: 1, coherent: false });
    const kinds = r.board.kernel.symptoms.entries.map((s) => s.kind);
    expect(kinds).toEqual(['stale-read', 'lost-write']);
    expect(r.lines.join('\n')).toMatch(/CPU reads {4}: 00 00 00 00/);
    expect(r.corruptedBytes).toBeGreaterThan(0);
    expect(r.board.reports).toEqual([]);
  });

  it('shows nothing wrong on the coherent twin running the same sequence', () => {
    const r = runMemoryDemo({ seed: 1, coherent: true });
    expect(r.board.kernel.symptoms.entries).toEqual([]);
    expect(r.lines.join('\n')).toMatch(/CPU reads {4}: a0 a1 a2 a3/);
  });

  it('is reproducible from the seed', () => {
    expect(runMemoryDemo({ seed: 5, coherent: false }).lines).toEqual(runMemoryDemo({ seed: 5, coherent: false }).lines);
  });
});
