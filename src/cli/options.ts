/** Option parsers shared by the CLI's commands: each rejects bad input with a message naming the option. */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';

/** Seeds are 32-bit: the PRNG reduces larger ones, so two would name the same run. */
export const SEED_MAX = 0xffff_ffff;

/** A parser for an integer option in [min, max] (decimal digits only: no signs, exponents or fractions). */
export function integer(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v: string): number => {
    const what = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer of at least ${min}`;
    if (!/^\d+$/.test(v) || Number(v) < min) throw new InvalidArgumentError(`${name} must be ${what}, got "${v}"`);
    const n = Number(v);
    if (n > max) throw new InvalidArgumentError(`${name} must be at most ${max}, got ${v}`);
    return n;
  };
}

/** The `--seed` parser: 0 … 2^32-1. */
export const seedOption = integer('--seed', 0, SEED_MAX);

/** A parser for an output-file option that fails before a run, not after it, when the file cannot be written. */
export function writableFile(option: string): (file: string) => string {
  return (file: string): string => {
    try {
      writeFileSync(file, new Uint8Array(0), { flag: 'a' });
    } catch (e) {
      throw new InvalidArgumentError(`${option} ${file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return file;
  };
}

/** A parser for a repeatable option: collects every value given, in order. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
