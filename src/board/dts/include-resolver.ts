/**
 * Finds and reads included files the way dtc (`-i`) and cpp (`-I`) search for them.
 */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Reads a file's text, or returns undefined if it does not exist or cannot be read. */
export type ReadFile = (path: string) => string | undefined;

/** The default {@link ReadFile}: the file system, UTF-8. */
export const readFileFromDisk: ReadFile = (p) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** How an include names its file. */
export type IncludeKind =
  /** `/include/ "x"` or `#include "x"`: the including file's directory first, then the include dirs. */
  | 'quoted'
  /** `#include <x>`: the include dirs only. */
  | 'angled';

/** A file found on the search path. */
export interface FoundInclude {
  /** The path it was opened by. */
  readonly path: string;
  /** Its text. */
  readonly text: string;
}

/** Result of a search: the file, or the directories that were searched without finding it. */
export type IncludeSearch = { found: FoundInclude } | { found: undefined; searched: string[] };

/** Searches the directories an include of `name` from `fromFile` should look in, in order. */
export function findInclude(
  name: string,
  kind: IncludeKind,
  fromFile: string,
  includeDirs: readonly string[],
  readFile: ReadFile,
): IncludeSearch {
  if (path.isAbsolute(name)) {
    const text = readFile(name);
    return text === undefined ? { found: undefined, searched: [] } : { found: { path: name, text } };
  }
  const dirs = kind === 'quoted' ? [path.dirname(fromFile), ...includeDirs] : [...includeDirs];
  const searched: string[] = [];
  for (const dir of dirs) {
    if (searched.includes(dir)) continue;
    searched.push(dir);
    const candidate = path.join(dir, name);
    const text = readFile(candidate);
    if (text !== undefined) return { found: { path: candidate, text } };
  }
  return { found: undefined, searched };
}
