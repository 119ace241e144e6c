/** Test helpers for the report subsystem: find the source line of a marker comment in a test file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/kernel/report/stack.js';

/** 1-based line of the only line in `file` (project-relative) ending in the comment `// <marker>`. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(join(PROJECT_ROOT, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.trimEnd().endsWith(`// ${marker}`) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker ${marker} found ${hits.length} times in ${file}`);
  return hits[0] ?? 0;
}
