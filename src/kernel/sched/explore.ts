/**
 * Exploration mode's driver: run one scenario over many seeds — each boots its own board with the
 * seed and an interrupt delay (Kernel `exploreMaxDelay`), so pending interrupts land at different
 * points of the driver code — and collect the seeds that fail, for replay. The delay itself lives
 * in the scheduler; this only iterates. Left out: shrinking a failing seed's schedule.
 */

/** One failing seed. */
export interface ExploreFailure {
  readonly seed: number;
  /** What the scenario said (a string it returned, or the exception's message). */
  readonly reason: string;
}

/** What an exploration found. */
export interface ExploreResult {
  /** Seeds tried. */
  readonly tried: number;
  /** Seeds that failed, in order. */
  readonly failures: readonly ExploreFailure[];
  /** The first failure (replay it with the same seed), or null. */
  readonly first: ExploreFailure | null;
}

/** Default interrupt delay spread (CPU accesses) for exploration runs. */
export const DEFAULT_EXPLORE_DELAY = 64;

/**
 * Run `scenario(seed)` for each seed. A scenario passes by returning nothing, `true` or `null`, and
 * fails by returning `false` or a string (the reason) or by throwing. `stopAtFirst` ends the search
 * at the first failure.
 */
export function exploreSeeds(seeds: Iterable<number>, scenario: (seed: number) => unknown, opts: { readonly stopAtFirst?: boolean } = {}): ExploreResult {
  const failures: ExploreFailure[] = [];
  let tried = 0;
  for (const seed of seeds) {
    tried++;
    let reason: string | null = null;
    try {
      const r = scenario(seed);
      if (r === false) reason = 'scenario returned false';
      else if (typeof r === 'string') reason = r;
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
    if (reason !== null) {
      failures.push({ seed, reason });
      if (opts.stopAtFirst) break;
    }
  }
  return { tried, failures, first: failures[0] ?? null };
}

/** Seeds 1..n. */
export function seedRange(n: number, from = 1): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}
