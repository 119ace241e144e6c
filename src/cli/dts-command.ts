/**
 * The `dts` subcommand: parse a device-tree source with its includes and print the merged tree as
 * `dtc -O dts` would, or report the first problem as `error: file:line:column: message`.
 */

import type { Command } from 'commander';
import { DtsError, parseDtsFile, printDts } from '../board/dts/index.js';
import { collect } from './options.js';

/** What one `dts` run printed and its exit code. */
export interface DtsRunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 on success, 1 when the source has a problem. */
  readonly code: number;
}

/**
 * Parses `file` and returns the printed tree, or the error line; the pure core of the command.
 * @param includes include directories, searched in order (-I)
 * @param defines macros predefined as by cpp -D
 */
export function runDts(file: string, includes: readonly string[] = [], defines: Readonly<Record<string, string>> = {}): DtsRunResult {
  try {
    const tree = parseDtsFile(file, { includeDirs: includes, defines });
    return { stdout: printDts(tree), stderr: '', code: 0 };
  } catch (e) {
    if (e instanceof DtsError) return { stdout: '', stderr: `error: ${e.formatted}\n`, code: 1 };
    throw e;
  }
}

/** `NAME` → NAME defined as 1 (as cpp does); `NAME=VALUE` → VALUE. */
function parseDefines(specs: readonly string[]): Record<string, string> {
  const defines: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq === -1) defines[spec] = '1';
    else defines[spec.slice(0, eq)] = spec.slice(eq + 1);
  }
  return defines;
}

/**
 * Adds `dts <file> [-I dir]… [-D name[=value]]…` to `program`. Output goes through the program's
 * output configuration (so tests can capture it with `configureOutput`); a problem in the source is
 * reported with `command.error`, which exits with code 1 (or throws under `exitOverride`).
 */
export function registerDtsCommand(program: Command): Command {
  return program
    .command('dts')
    .description('parse a device-tree source (following its includes) and print the merged tree as dtc -O dts does')
    .argument('<file>', 'the .dts file to read')
    .option('-I, --include <dir>', 'add an include directory, searched in order (repeatable)', collect)
    .option('-D, --define <name[=value]>', 'predefine a preprocessor macro (repeatable)', collect)
    .action(function (this: Command, file: string, opts: { include?: string[]; define?: string[] }) {
      const result = runDts(file, opts.include ?? [], parseDefines(opts.define ?? []));
      if (result.code !== 0) this.error(result.stderr.trimEnd(), { exitCode: result.code, code: 'driverlab.dts.error' });
      const out = this.configureOutput();
      if (out.writeOut) out.writeOut(result.stdout);
      else process.stdout.write(result.stdout);
    });
}
