/** The CLI's option parsers: bad values are refused up front, naming the option and the value. */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { integer, SEED_MAX, seedOption, writableFile } from '../../src/cli/options.js';

function parseError(args: string[]): string {
  const p = buildProgram();
  let err = '';
  for (const c of [p, ...p.commands]) c.exitOverride().configureOutput({ writeErr: (s) => void (err += s), writeOut: () => {} });
  expect(() => p.parse(['node', 'driverlab', ...args])).toThrow();
  return err;
}

describe('CLI option parsers', () => {
  it('integers: digits only, within range', () => {
    expect(integer('--frames')('20000')).toBe(20000);
    expect(() => integer('--frames')('-1')).toThrow('--frames must be a non-negative integer, got "-1"');
    expect(() => integer('--frames')('1e3')).toThrow('--frames must be a non-negative integer, got "1e3"');
    expect(() => integer('--ram', 1)('0')).toThrow('--ram must be a positive integer, got "0"');
    expect(() => integer('--n', 0, 10)('11')).toThrow('--n must be at most 10, got 11');
  });

  it('seeds are 32-bit, so no two seeds name the same run', () => {
    expect(seedOption(String(SEED_MAX))).toBe(0xffffffff);
    expect(() => seedOption('4294967296')).toThrow('--seed must be at most 4294967295, got 4294967296');
    expect(parseError(['run', '--seed', '99999999999'])).toMatch(/--seed must be at most 4294967295/);
    expect(parseError(['boot', '--seed', '99999999999'])).toMatch(/--seed must be at most 4294967295/);
  });

  it('an output file that cannot be written is refused before the run, not after it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'driverlab-opt-'));
    const ok = join(dir, 'wire.pcap');
    expect(writableFile('--pcap')(ok)).toBe(ok);
    expect(readFileSync(ok).length).toBe(0);
    const bad = join(dir, 'no-such-dir', 'wire.pcap');
    expect(() => writableFile('--pcap')(bad)).toThrow(`--pcap ${bad}: cannot write it (ENOENT)`);
    expect(parseError(['run', '--frames', '1', '--pcap', bad])).toContain(`--pcap ${bad}: cannot write it (ENOENT)`);
    expect(existsSync(bad)).toBe(false);
  });
});
