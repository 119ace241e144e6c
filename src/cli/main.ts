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
import { RigBindError } from '../testing/nic-rig.js';
import type { PlatformDriver } from '../kernel/driver/platform-device.js';
import { runDmaDemo } from './dma-demo.js';
import { integer, seedOption, writableFile } from './options.js';
import { parseSeedRange, runFailed, sweepSeeds, type SeedRange } from './seed-sweep.js';
import { GFAR_BUG_NAMES, runNic, type GfarBug } from './nic-run.js';

/** Parse one `--bug` name, collecting repeats. */
function bugName(value: string, previous: GfarBug[]): GfarBug[] {
  const bug = GFAR_BUG_NAMES.get(value);
  if (!bug) throw new InvalidArgumentError(`--bug ${value}: no such bug in the reference driver; choose from ${[...GFAR_BUG_NAMES.keys()].join(', ')}`);
  return previous.includes(bug) ? previous : [...previous, bug];
}

/** Build the command-line program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('driverlab').description('Linux-style drivers in TypeScript on a simulated non-coherent PowerPC SoC').showHelpAfterError();
  program
    .command('run', { isDefault: true })
    .description('boot the default board, bind the reference gianfar driver, ping it from a peer on the wire, and report')
    .option('--frames <n>', 'ICMP echo requests the peer sends', integer('--frames'), 2000)
    .option('--seed <n>', 'seed for everything random', seedOption, 1)
    .option('--coherent', "use the default board's coherent twin", false)
    .option('--strict', 'exit non-zero when anything was reported, leaked or lost', false)
    .option('--pcap <file>', 'write the wire traffic to a libpcap file', writableFile('--pcap'))
    .option('--driver <module>', 'your own Ethernet driver: a TypeScript module exporting a platform_driver (as `driver`, default, or its only one under any name) matching gianfar / fsl,etsec2')
    .option('--bug <name>', `switch on a bug in the reference driver to watch it caught (repeatable): ${[...GFAR_BUG_NAMES.keys()].join(', ')}`, bugName, [] as GfarBug[])
    .option('--seeds <A..B>', 'run once per seed in the range, one line each, to find the seeds a race shows on', parseSeedRange)
    .action(async (opts: { frames: number; seed: number; coherent: boolean; strict: boolean; pcap?: string; driver?: string; bug: GfarBug[]; seeds?: SeedRange }, cmd: Command) => {
      if (opts.driver && opts.bug.length) throw new InvalidArgumentError('--bug switches bugs in the reference driver; it cannot be combined with --driver');
      const driver = opts.driver ? await loadDriver(opts.driver) : undefined;
      if (opts.seeds) {
        if (cmd.getOptionValueSource('seed') === 'cli') throw new InvalidArgumentError('--seeds runs a range of seeds; it cannot be combined with --seed');
        if (opts.pcap) throw new InvalidArgumentError('--pcap records one run; replay a seed with --seed N --pcap FILE');
        const sweep = sweepSeeds(opts.seeds, { frames: opts.frames, coherent: opts.coherent, bugs: opts.bug, ...(driver ? { driver } : {}) });
        for (const line of sweep.lines) console.log(line);
        if (opts.strict && sweep.failing.length) process.exitCode = 1;
        return;
      }
      const r = runNic({ frames: opts.frames, seed: opts.seed, coherent: opts.coherent, pcap: opts.pcap !== undefined, bugs: opts.bug, ...(driver ? { driver } : {}) });
      for (const line of r.lines) console.log(line);
      if (opts.pcap && r.pcap) {
        writeFileSync(opts.pcap, r.pcap);
        console.log(`pcap written to ${opts.pcap}`);
      }
      if (opts.strict && runFailed(r)) {
        console.log('strict: failing (reports, leaks or unaccounted frames above)');
        process.exitCode = 1;
      }
    });
  program
    .command('dma-demo')
    .description("show what the non-coherent cache does to DMA'd data, with and without the right syncs")
    .option('--seed <n>', 'seed for everything random', seedOption, 1)
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

/** Whether `v` has the shape of a platform_driver: a probe function and a named `driver`. */
function isPlatformDriver(v: unknown): v is PlatformDriver {
  if (!v || typeof v !== 'object') return false;
  const d = v as Partial<PlatformDriver>;
  return typeof d.probe === 'function' && typeof d.driver === 'object' && d.driver !== null && typeof d.driver.name === 'string';
}

const DRIVER_SHAPE = '({ probe, remove, driver: { name, of_match_table } })';

/**
 * Load a user's driver module. Its `driver` export, else its default export, is the platform_driver;
 * without either, the one export shaped like a platform_driver (as a C module names its
 * `struct platform_driver` whatever it likes, e.g. `gfar_driver`).
 */
export async function loadDriver(file: string): Promise<PlatformDriver> {
  const url = pathToFileURL(resolve(file)).href;
  let mod: Record<string, unknown>;
  try {
    // A plain import, so the driver shares this process's driverlab modules (and so its board).
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new InvalidArgumentError(`--driver ${file}: cannot load it: ${msg.split('\n')[0]}`);
  }
  for (const name of ['driver', 'default']) {
    if (!(name in mod)) continue;
    if (isPlatformDriver(mod[name])) return mod[name];
    throw new InvalidArgumentError(`--driver ${file}: its \`${name}\` export is not a platform_driver ${DRIVER_SHAPE}`);
  }
  const found = Object.keys(mod).filter((k) => isPlatformDriver(mod[k]));
  if (found.length === 1) return mod[found[0]!] as PlatformDriver;
  if (found.length > 1) {
    throw new InvalidArgumentError(`--driver ${file}: exports several platform_drivers (${found.join(', ')}); export the one to run as \`driver\``);
  }
  throw new InvalidArgumentError(`--driver ${file}: exports no platform_driver ${DRIVER_SHAPE}; export one as \`driver\` or as the default export`);
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
    if (e instanceof RigBindError) {
      // The driver did not come up: say why, with the end of the boot log where the driver spoke.
      console.error(`error: ${e.message}`);
      console.error('last kernel messages:');
      for (const l of e.dmesg.trimEnd().split('\n').slice(-12)) console.error(`  ${l}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

if (process.argv[1]?.endsWith('/src/cli/main.ts')) void main();
