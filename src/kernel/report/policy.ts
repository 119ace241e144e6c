/**
 * Which reports get printed: per-id enable/disable, per-id severity override, and Linux-style
 * "print only the first N" budgets for id prefixes (dma-debug's `num_errors`), with counters for
 * everything seen, disabled or suppressed.
 */
import type { ReportKind } from './types.js';

/** What to do with one report. */
export type Verdict =
  /** Print and store it. */
  | 'report'
  /** Its id is disabled: count it only. */
  | 'disabled'
  /** Its prefix's budget is used up: count it as suppressed only. */
  | 'suppressed';

/** `id` matches `pattern` when equal, or when `pattern` ends in `*` and `id` starts with the rest. */
export function idMatches(pattern: string, id: string): boolean {
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern;
}

function bump(map: Map<string, number>, id: string): void {
  map.set(id, (map.get(id) ?? 0) + 1);
}

function total(map: ReadonlyMap<string, number>, prefix: string | undefined): number {
  let n = 0;
  for (const [id, c] of map) if (prefix === undefined || id.startsWith(prefix)) n += c;
  return n;
}

/** The report policy of one board. */
export class ReportPolicy {
  private readonly disabled = new Set<string>();
  private readonly severity = new Map<string, ReportKind>();
  private readonly limits = new Map<string, { readonly max: number; left: number }>();
  private readonly seenById = new Map<string, number>();
  private readonly suppressedById = new Map<string, number>();
  private readonly disabledById = new Map<string, number>();

  /** Stop printing reports whose id matches `pattern` (exact id, or `prefix*`); they are still counted. */
  disable(pattern: string): void {
    this.disabled.add(pattern);
  }

  /** Undo {@link disable} for exactly this pattern. */
  enable(pattern: string): void {
    this.disabled.delete(pattern);
  }

  /** False when some disabled pattern matches `id`. */
  isEnabled(id: string): boolean {
    for (const p of this.disabled) if (idMatches(p, id)) return false;
    return true;
  }

  /** Print reports with this exact id as `kind` instead of the kind their subsystem chose; `undefined` removes the override. */
  setSeverity(id: string, kind: ReportKind | undefined): void {
    if (kind === undefined) this.severity.delete(id);
    else this.severity.set(id, kind);
  }

  /** The kind to print `id` as. */
  kindOf(id: string, requested: ReportKind): ReportKind {
    return this.severity.get(id) ?? requested;
  }

  /**
   * Print only the first `max` reports whose id starts with `prefix` (shared by all such ids, like
   * dma-debug's global `num_errors`, which starts at 1); later ones are only counted as suppressed.
   */
  limit(prefix: string, max = 1): void {
    const n = Math.max(0, Math.floor(max));
    this.limits.set(prefix, { max: n, left: n });
  }

  /** Print every report with this prefix again (dma-debug's `all_errors`). */
  unlimit(prefix: string): void {
    this.limits.delete(prefix);
  }

  /** How many more reports with `prefix` will be printed (`Infinity` when unlimited). */
  remaining(prefix: string): number {
    return this.limits.get(prefix)?.left ?? Infinity;
  }

  private budgetFor(id: string): { left: number } | undefined {
    let best: string | undefined;
    for (const p of this.limits.keys()) if (id.startsWith(p) && (best === undefined || p.length > best.length)) best = p;
    return best === undefined ? undefined : this.limits.get(best);
  }

  /** Count one report with this id and decide whether it is printed (consumes budget when it is). */
  decide(id: string): Verdict {
    bump(this.seenById, id);
    if (!this.isEnabled(id)) {
      bump(this.disabledById, id);
      return 'disabled';
    }
    const budget = this.budgetFor(id);
    if (budget) {
      if (budget.left <= 0) {
        bump(this.suppressedById, id);
        return 'suppressed';
      }
      budget.left--;
    }
    return 'report';
  }

  /** Reports seen with ids starting with `prefix` (all when absent), printed or not (dma-debug's `error_count`). */
  seen(prefix?: string): number {
    return total(this.seenById, prefix);
  }

  /** Reports not printed because their budget was used up. */
  suppressed(prefix?: string): number {
    return total(this.suppressedById, prefix);
  }

  /** Reports not printed because their id was disabled. */
  disabledCount(prefix?: string): number {
    return total(this.disabledById, prefix);
  }

  /** Zero the counters and refill every budget; the configuration stays. */
  reset(): void {
    this.seenById.clear();
    this.suppressedById.clear();
    this.disabledById.clear();
    for (const l of this.limits.values()) l.left = l.max;
  }
}
