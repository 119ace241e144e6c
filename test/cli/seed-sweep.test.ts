/** `driverlab run --seeds A..B`: one line per seed, and which seeds to replay. */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { MAX_SWEEP, parseSeedRange, sweepSeeds } from '../../src/cli/seed-sweep.js';

describe('seed sweep', () => {
  it('parses A..B and a single seed; refuses empty, oversized and malformed ranges by name', () => {
    expect(parseSeedRange('1..20')).toEqual({ first: 1, last: 20 });
    expect(parseSeedRange('7')).toEqual({ first: 7, last: 7 });
    expect(() => parseSeedRange('3..1')).toThrow('--seeds 3..1: the range is empty (1 < 3)');
    expect(() => parseSeedRange('1-5')).toThrow('--seeds must be A..B (e.g. 1..20), got "1-5"');
    expect(() => parseSeedRange('0..4294967296')).toThrow('seeds must be at most 4294967295');
    expect(() => parseSeedRange(`1..${MAX_SWEEP + 1}`)).toThrow(`at most ${MAX_SWEEP} seeds a sweep`);
  });

  it('finds the seeds on which the READY-before-pointer race is lost, and says which to replay', () => {
    const s = sweepSeeds({ first: 1, last: 6 }, { frames: 200, coherent: false, bugs: ['txReadyFirst'] });
    expect(s.failing).toEqual([1, 6]);
    expect(s.lines[0]).toBe('seed 1: 199/200 replies, dma.device-access-unmapped, 1 malformed frame(s)');
    expect(s.lines[1]).toBe('seed 2: 200/200 replies, clean');
    expect(s.lines.at(-1)).toBe('Found something on 2 of 6 seed(s): 1, 6; replay one in full with --seed 1');
  });

  it('the reference driver sweeps clean', () => {
    const s = sweepSeeds({ first: 1, last: 3 }, { frames: 50, coherent: true });
    expect(s.failing).toEqual([]);
    expect(s.lines.at(-1)).toBe('All 3 seed(s) clean.');
  });

  it('refuses --seeds with --seed or --pcap', async () => {
    for (const extra of [['--seed', '4'], ['--pcap', '/tmp/driverlab-sweep.pcap']]) {
      const p = buildProgram();
      for (const c of [p, ...p.commands]) c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
      await expect(p.parseAsync(['node', 'driverlab', 'run', '--seeds', '1..2', ...extra])).rejects.toThrow(/--seeds runs a range of seeds|--pcap records one run/);
    }
  });
});
