/** The dts subcommand: dtc-identical output, -I/-D options, and error lines with a non-zero exit code. */

import { Command, CommanderError } from 'commander';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerDtsCommand, runDts } from '../../../src/cli/dts-command.js';
import { corpusBoards } from './corpus-helpers.js';

/** Runs `driverlab dts …args` on a fresh program and captures what it wrote. */
function cli(args: string[]): { out: string; err: string; exitCode: number } {
  let out = '';
  let err = '';
  const program = new Command('driverlab');
  program.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerDtsCommand(program);
  try {
    program.parse(['dts', ...args], { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return { out, err, exitCode: e.exitCode };
  }
}

describe('driverlab dts', () => {
  it('prints a corpus board exactly as dtc did, with repeatable -I', () => {
    const board = corpusBoards().find((b) => b.name === 'tl-wdr4900-v1')!;
    const args = [board.source, ...board.includeDirs.flatMap((d) => ['-I', d])];
    const r = cli(args);
    expect(r.err).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.out).toBe(readFileSync(board.expected, 'utf8'));
  });

  it('reports a problem as error: file:line:col: message with a non-zero exit code', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dts-cli-'));
    const file = path.join(dir, 'bad.dts');
    writeFileSync(file, '/dts-v1/;\n/ {\n\tp = <1>\n};\n');
    const r = cli([file]);
    expect(r.out).toBe('');
    expect(r.err).toBe(`error: ${file}:4:1: expected ',' or ';' after the value of property 'p', found '}'\n`);
    expect(r.exitCode).toBe(1);
  });

  it('accepts -D and --include, and reports an unreadable file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dts-cli-'));
    writeFileSync(path.join(dir, 'v.h'), '#define V 7\n');
    const file = path.join(dir, 'main.dts');
    writeFileSync(file, '/dts-v1/;\n#include <v.h>\n/ { v = <V W>; };\n');
    const r = cli([file, '--include', dir, '-D', 'W=(V + 1)']);
    expect(r.out).toContain('v = <0x07 0x08>;');
    expect(runDts(path.join(dir, 'none.dts'))).toEqual({
      stdout: '',
      stderr: `error: ${path.join(dir, 'none.dts')}:1:1: cannot read ${path.join(dir, 'none.dts')}\n`,
      code: 1,
    });
  });
});
