/** The report section of the CLI's run summary: each distinct report once, in full, with how often it fired. */
import type { Report } from '../kernel/report/types.js';

/** Where a report fired in user code: its innermost user frame as ` at fn (file:line)`, or '' (a device access has none). */
function siteOf(r: Report): string {
  const f = r.trace.find((t) => t.user);
  return f ? ` at ${f.fn} (${f.file}:${f.line})` : '';
}

/**
 * Summarise reports as a run's output: a count, then one entry per distinct (check, device) pair in
 * order of first appearance — how many times it fired, where in user code it first fired, and the
 * full text of that first occurrence. A buggy RX path fires once per frame; as dma-debug prints the
 * first error and counts the rest, the summary shows it once rather than burying other findings.
 */
export function summariseReports(reports: readonly Report[]): string[] {
  const out = [`Reports: ${reports.length}`];
  if (reports.length === 0) return out;
  const groups = new Map<string, { first: Report; count: number }>();
  for (const r of reports) {
    const key = `${r.id}\0${r.device ?? ''}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { first: r, count: 1 });
  }
  if (groups.size < reports.length) out[0] += ` (${groups.size} distinct; each shown once, first occurrence)`;
  for (const { first, count } of groups.values()) {
    out.push('');
    // A device access has no driver line: the CPU was merely somewhere (the report's Mapped/Unmapped at name the driver code).
    const site = first.details['actor'] === 'device' ? siteOf(first).replace(/^ at /, ' while the CPU was at ') : siteOf(first);
    out.push(`  ${first.id}${first.device ? ` (${first.device})` : ''}${site}: ${count} time${count === 1 ? '' : 's'}, first at ${(first.time / 1e6).toFixed(3)} ms`);
    for (const line of first.text.split('\n')) out.push(`    ${line}`);
  }
  return out;
}
