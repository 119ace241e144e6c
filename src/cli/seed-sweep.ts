/**
 * `driverlab run --seeds A..B`: the main job once per seed, one line each, to find the seeds on
 * which a race shows (a descriptor taken half-written, an interrupt between two statements);
 * any one of them then replays in full with `--seed N`.
 */
import { InvalidArgumentError } from 'commander';
import { runNic, type NicRunOptions, type NicRunResult } from './nic-run.js';
import { SEED_MAX } from './options.js';

/** An inclusive range of seeds. */
export interface SeedRange {
  readonly first: number;
  readonly last: number;
}

/** Most seeds one sweep runs (each is a whole boot and run). */
export const MAX_SWEEP = 10_000;

/** Parse `A..B` (or a single `A`) as an inclusive seed range. */
export function parseSeedRange(v: string): SeedRange {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(v);
  if (!m) throw new InvalidArgumentError(`--seeds must be A..B (e.g. 1..20), got "${v}"`);
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  if (last < first) throw new InvalidArgumentError(`--seeds ${v}: the range is empty (${last} < ${first})`);
  if (last > SEED_MAX) throw new InvalidArgumentError(`--seeds ${v}: seeds must be at most ${SEED_MAX}`);
  if (last - first + 1 > MAX_SWEEP) throw new InvalidArgumentError(`--seeds ${v}: at most ${MAX_SWEEP} seeds a sweep`);
  return { first, last };
}

/** Whether a run found anything: reports, leaks, lost or malformed frames. */
export function runFailed(r: NicRunResult): boolean {
  return r.board.reports.length > 0 || r.leaks > 0 || r.unaccounted !== 0 || r.badReplies > 0;
}

/** What a sweep found. */
export interface SweepResult {
  readonly lines: string[];
  /** Seeds whose run found something. */
  readonly failing: number[];
}

/** Run the main job for every seed in `range` and summarise each in one line. */
export function sweepSeeds(range: SeedRange, opts: Omit<NicRunOptions, 'seed' | 'pcap'>): SweepResult {
  const lines: string[] = [];
  const failing: number[] = [];
  for (let seed = range.first; seed <= range.last; seed++) {
    const r = runNic({ ...opts, seed });
    const counts = new Map<string, number>();
    for (const rep of r.board.reports) counts.set(rep.id, (counts.get(rep.id) ?? 0) + 1);
    const found = [...counts].map(([id, n]) => (n > 1 ? `${id} ×${n}` : id));
    if (r.leaks) found.push(`${r.leaks} leak(s)`);
    if (r.unaccounted) found.push(`${r.unaccounted} frame(s) unaccounted`);
    if (r.badReplies) found.push(`${r.badReplies} malformed frame(s)`);
    if (runFailed(r)) failing.push(seed);
    lines.push(`seed ${seed}: ${r.replies}/${r.sent} replies, ${found.length ? found.join(', ') : 'clean'}`);
  }
  const n = range.last - range.first + 1;
  lines.push('');
  lines.push(
    failing.length
      ? `Found something on ${failing.length} of ${n} seed(s): ${failing.join(', ')}; replay one in full with --seed ${failing[0]}`
      : `All ${n} seed(s) clean.`,
  );
  return { lines, failing };
}
