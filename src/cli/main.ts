#!/usr/bin/env node
/**
 * The `driverlab` command line: `run` (the default: boot the default board and run the main job)
 * and `dts` (parse a device-tree source and print it back as dtc would).
 */
import { Command, InvalidArgumentError } from 'commander';
import { registerDtsCommand } from './dts-command.js';
import { registerBootCommand } from './boot-command.js';
import { runDmaDemo } from './dma-demo.js';

function integer(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${v}"`);
    return Number(v);
  };
}

/** Build the command-line program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('driverlab').description('Linux-style drivers in TypeScript on a simulated non-coherent PowerPC SoC').showHelpAfterError();
  program
    .command('run', { isDefault: true })
    .description('boot the default board and run the main job (until the NIC exists: the DMA demo)')
    .option('--seed <n>', 'seed for everything random', integer('--seed'), 1)
    .option('--coherent', "use the default board's coherent twin", false)
    .option('--strict', 'exit non-zero when anything was reported or corrupted', false)
    .action((opts: { seed: number; coherent: boolean; strict: boolean }) => {
      const result = runDmaDemo({ seed: opts.seed, coherent: opts.coherent });
      for (const line of result.lines) console.log(line);
      if (opts.strict && (result.corruptedBytes > 0 || result.board.reports.length > 0)) process.exitCode = 1;
    });
  registerDtsCommand(program);
  registerBootCommand(program);
  return program;
}

/** Run the command line with `argv` (as process.argv). */
export function main(argv: readonly string[] = process.argv): void {
  buildProgram().parse(argv as string[]);
}

if (process.argv[1]?.endsWith('/src/cli/main.ts')) main();
