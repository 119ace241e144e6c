#!/usr/bin/env node
/**
 * The `driverlab` command line: `run` (the default: boot the default board, bind the reference
 * gianfar driver and exchange traffic), `dma-demo` (what the non-coherent cache does to DMA'd
 * data), `dts` (parse a device-tree source and print it as dtc would) and `boot` (boot a board
 * from a .dts and list its devices).
 */
import { Command, InvalidArgumentError } from 'commander';
import { registerDtsCommand } from './dts-command.js';
import { registerBootCommand } from './boot-command.js';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PlatformDriver } from '../kernel/driver/platform-device.js';
import { runDmaDemo } from './dma-demo.js';
import { runNic } from './nic-run.js';

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
    .description('boot the default board, bind the reference gianfar driver, ping it from a peer on the wire, and report')
    .option('--frames <n>', 'ICMP echo requests the peer sends', integer('--frames'), 2000)
    .option('--seed <n>', 'seed for everything random', integer('--seed'), 1)
    .option('--coherent', "use the default board's coherent twin", false)
    .option('--strict', 'exit non-zero when anything was reported, leaked or lost', false)
    .option('--pcap <file>', 'write the wire traffic to a libpcap file')
    .option('--driver <module>', 'your own Ethernet driver: a TypeScript module exporting a platform_driver (as `driver` or default) matching gianfar / fsl,etsec2')
    .action(async (opts: { frames: number; seed: number; coherent: boolean; strict: boolean; pcap?: string; driver?: string }) => {
      const driver = opts.driver ? await loadDriver(opts.driver) : undefined;
      const r = runNic({ frames: opts.frames, seed: opts.seed, coherent: opts.coherent, pcap: opts.pcap !== undefined, ...(driver ? { driver } : {}) });
      for (const line of r.lines) console.log(line);
      if (opts.pcap && r.pcap) {
        writeFileSync(opts.pcap, r.pcap);
        console.log(`pcap written to ${opts.pcap}`);
      }
      if (opts.strict && (r.board.reports.length > 0 || r.leaks > 0 || r.unaccounted !== 0 || r.badReplies > 0)) {
        console.log('strict: failing (reports, leaks or unaccounted frames above)');
        process.exitCode = 1;
      }
    });
  program
    .command('dma-demo')
    .description("show what the non-coherent cache does to DMA'd data, with and without the right syncs")
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

/** Load a user's driver module: its `driver` export, else its default export, must be a platform_driver. */
export async function loadDriver(file: string): Promise<PlatformDriver> {
  const url = pathToFileURL(resolve(file)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidArgumentError(`--driver ${file}: cannot load it: ${e instanceof Error ? e.message : String(e)}`);
  }
  const drv = (mod.driver ?? mod.default) as Partial<PlatformDriver> | undefined;
  if (!drv || typeof drv !== 'object' || typeof drv.probe !== 'function' || !drv.driver?.name) {
    throw new InvalidArgumentError(`--driver ${file}: export a platform_driver as \`driver\` or as the default export ({ probe, remove, driver: { name, of_match_table } })`);
  }
  return drv as PlatformDriver;
}

/** Run the command line with `argv` (as process.argv). */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof InvalidArgumentError) {
      console.error(`error: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

if (process.argv[1]?.endsWith('/src/cli/main.ts')) void main();
