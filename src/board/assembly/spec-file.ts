/**
 * Board specs from `.dts` files: parse with include directories (as a user passes them from a
 * kernel or OpenWrt tree) and derive the spec. The shipped boards live in `boards/` at the
 * package root, which is always searched last.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BoardSpec } from '../board.js';
import { parseDtsFile } from '../dts/index.js';
import { specFromTree, type SpecOptions } from './spec.js';

/** The `boards/` directory shipped with the package. */
export const BOARDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../boards');

/** How to read a board file. */
export interface LoadOptions extends SpecOptions {
  /** Include directories for `/include/` and `#include` (searched after the file's own directory). */
  readonly includeDirs?: readonly string[];
  /** cpp `-D` macros. */
  readonly defines?: Readonly<Record<string, string>>;
}

/** Parse a `.dts` file and derive its {@link BoardSpec} (the tree rides along, assembled at boot). */
export function loadBoardSpec(file: string, opts: LoadOptions = {}): BoardSpec {
  const tree = parseDtsFile(file, { includeDirs: [...(opts.includeDirs ?? []), BOARDS_DIR], ...(opts.defines ? { defines: opts.defines } : {}) });
  const { spec, notes } = specFromTree(tree, opts);
  return { ...spec, notes };
}

/** Path of a shipped board by name (`default` → boards/default.dts). */
export function shippedBoard(name: string): string {
  return path.join(BOARDS_DIR, name.endsWith('.dts') ? name : `${name}.dts`);
}
