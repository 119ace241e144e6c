/**
 * The `boot` subcommand: boot a board from a `.dts` file (the shipped default board when none is
 * given), register the project's drivers, print its boot log and the platform devices with their
 * driver state — what is bound,
 * what has a hardware model, and what is left without a driver.
 */
import type { Command } from 'commander';
import { formatDeviceList } from '../board/assembly/listing.js';
import { bootDts } from '../board/assembly/load.js';
import { shippedBoard } from '../board/assembly/spec-file.js';
import { DtsError } from '../board/dts/index.js';
import { platform_driver_register } from '../kernel/api/platform.js';
import { gfar_driver } from '../../drivers/gianfar/gianfar.js';
import { collect, integer, seedOption } from './options.js';

/** Options of {@link runBoot}. */
export interface BootRunOptions {
  readonly includes?: readonly string[];
  readonly defines?: Readonly<Record<string, string>>;
  readonly seed?: number;
  /** RAM in MiB when the tree's /memory has no reg. */
  readonly ramMiB?: number;
  /** Force coherence on or off. */
  readonly coherent?: boolean;
  /** Extra kernel command-line words (appended to chosen/bootargs). */
  readonly bootargs?: string;
  /** Register the project's drivers (the reference gianfar) after boot. Default true. */
  readonly drivers?: boolean;
}

/** What one `boot` run printed and its exit code. */
export interface BootRunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Boot `file` and return the boot log and device list; the pure core of the command. */
export function runBoot(file: string | undefined, opts: BootRunOptions = {}): BootRunResult {
  try {
    const b = bootDts(file ?? shippedBoard('default'), {
      includeDirs: opts.includes ?? [],
      ...(opts.defines ? { defines: opts.defines } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.ramMiB !== undefined ? { defaultRamSize: opts.ramMiB * 1024 * 1024 } : {}),
      ...(opts.coherent !== undefined ? { coherent: opts.coherent } : {}),
      ...(opts.bootargs ? { bootargs: opts.bootargs } : {}),
    });
    if (opts.drivers ?? true) {
      const r = b.run(() => platform_driver_register(gfar_driver));
      if (!r.ok) return { stdout: `${b.dmesg()}\n`, stderr: `error: registering ${gfar_driver.driver.name} oopsed:\n${r.oops.text}\n`, code: 1 };
    }
    const reports = b.reports.length ? `\n${b.reports.length} report(s):\n${b.reports.map((r) => r.text).join('\n\n')}\n` : '';
    return { stdout: `${b.dmesg()}\n\n${formatDeviceList(b)}\n${reports}`, stderr: '', code: 0 };
  } catch (e) {
    if (e instanceof DtsError) return { stdout: '', stderr: `error: ${e.formatted}\n`, code: 1 };
    throw e;
  }
}

/** Adds `boot [file] [-I dir]… [-D name[=value]]… [--seed n] [--ram MiB] [--coherent | --non-coherent] [--bootargs words]` to `program`. */
export function registerBootCommand(program: Command): Command {
  return program
    .command('boot')
    .description('boot a board from a .dts file (default: boards/default.dts) and list its devices and their drivers')
    .argument('[file]', 'the .dts file')
    .option('-I, --include <dir>', 'add an include directory, searched in order (repeatable)', collect)
    .option('-D, --define <name[=value]>', 'predefine a preprocessor macro (repeatable)', collect)
    .option('--seed <n>', 'seed for everything random', seedOption)
    .option('--ram <MiB>', 'RAM when the tree leaves /memory to the boot loader', integer('--ram', 1))
    .option('--coherent', 'force DMA coherence on')
    .option('--non-coherent', 'force DMA coherence off')
    .option('--bootargs <words>', 'extra kernel command-line words (appended to chosen/bootargs)')
    .option('--no-drivers', "do not register the project's drivers (the reference gianfar)")
    .action(function (this: Command, file: string | undefined, o: { include?: string[]; define?: string[]; seed?: number; ram?: number; coherent?: boolean; nonCoherent?: boolean; bootargs?: string; drivers?: boolean }) {
      const defines: Record<string, string> = {};
      for (const d of o.define ?? []) {
        const eq = d.indexOf('=');
        defines[eq < 0 ? d : d.slice(0, eq)] = eq < 0 ? '1' : d.slice(eq + 1);
      }
      const result = runBoot(file, {
        includes: o.include ?? [],
        defines,
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        ...(o.ram !== undefined ? { ramMiB: o.ram } : {}),
        ...(o.coherent ? { coherent: true } : o.nonCoherent ? { coherent: false } : {}),
        ...(o.bootargs !== undefined ? { bootargs: o.bootargs } : {}),
        drivers: o.drivers !== false,
      });
      if (result.code !== 0) this.error(result.stderr.trimEnd(), { exitCode: result.code, code: 'driverlab.boot.error' });
      this.configureOutput().writeOut?.(result.stdout);
    });
}
