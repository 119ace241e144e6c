/** The kernel's taint flags and the `Not tainted` / `Tainted: G        W  ...` text reports print. */

/**
 * Taint letters in the order Linux 6.6 prints them (one column each). The first column prints `P`
 * when set and `G` when clear; every other column prints its letter when set and a space when clear.
 */
export const TAINT_LETTERS = ['P', 'F', 'S', 'R', 'M', 'B', 'U', 'D', 'A', 'W', 'C', 'I', 'O', 'E', 'L', 'K', 'X', 'T', 'N'] as const;

/** One taint letter: `W` after a WARN, `D` after an oops, `B` after a bad page/slab error, `O` for out-of-tree modules... */
export type TaintFlag = (typeof TAINT_LETTERS)[number];

/** The `print_tainted()` text for a set of flags: `Not tainted`, or `Tainted: ` and one column per flag. */
export function formatTaint(flags: ReadonlySet<TaintFlag>): string {
  if (flags.size === 0) return 'Not tainted';
  let s = 'Tainted: ';
  for (const letter of TAINT_LETTERS) {
    if (letter === 'P') s += flags.has('P') ? 'P' : 'G';
    else s += flags.has(letter) ? letter : ' ';
  }
  return s;
}
