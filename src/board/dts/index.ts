/**
 * Public entry of the device-tree source reader: parse DTS text or a file (with cpp-style and dtc
 * includes) into a {@link DtTree}, print a tree back as dtc would, and read values out of it.
 */

import * as path from 'node:path';
import { preprocess } from './cpp/preprocessor.js';
import { DtsError } from './errors.js';
import { readFileFromDisk, type ReadFile } from './include-resolver.js';
import { Lexer } from './lexer.js';
import type { DtTree } from './model.js';
import { parseDtsSource } from './parser.js';
import { SourceFile } from './source-file.js';
import { buildTree } from './tree-builder.js';
import { finalizeTree } from './tree-finalizer.js';

export { DtsError, formatLocation, type SourceLocation } from './errors.js';
export type { DtCellBits, DtMemReserve, DtNode, DtPhandleRef, DtProperty, DtTree, DtValueChunk } from './model.js';
export type { ReadFile } from './include-resolver.js';
export { printDts, formatProperty } from './printer.js';
export * from './readers.js';
export { canonicalTree, compareTrees, type CanonicalNode, type CompareOptions, type TreeDifference } from './canonical.js';

/** Options of {@link parseDts}. */
export interface ParseDtsOptions {
  /** Path of the source (for messages, and the directory `"…"` includes are searched from first). */
  readonly file: string;
  /** Include directories, searched in order (cpp's -I and dtc's -i). */
  readonly includeDirs: readonly string[];
  /** Reads an included file; returns undefined when it does not exist. Defaults to the file system. */
  readonly readFile?: ReadFile;
  /** Macros predefined as by cpp's `-D NAME=VALUE` (e.g. `{ __DTS__: '1' }`). */
  readonly defines?: Readonly<Record<string, string>>;
}

/**
 * Parses DTS source text: runs the preprocessor (`#include`, `#define`, `#if`… and dtc's `/include/`),
 * parses, merges, resolves references and assigns phandles as dtc does.
 * @throws DtsError for any problem in the source, located at `file:line:column`
 */
export function parseDts(source: string, options: ParseDtsOptions): DtTree {
  const main = new SourceFile(options.file, source);
  const text = preprocess(main, {
    includeDirs: options.includeDirs,
    readFile: options.readFile ?? readFileFromDisk,
    ...(options.defines !== undefined ? { defines: options.defines } : {}),
  });
  const lexer = new Lexer(text, main.locate(source.length));
  const ast = parseDtsSource(lexer);
  return finalizeTree(buildTree(ast));
}

/** Options of {@link parseDtsFile}. */
export interface ParseDtsFileOptions {
  /** Include directories, searched in order after the including file's own directory. */
  readonly includeDirs?: readonly string[];
  /** Reads files; defaults to the file system. */
  readonly readFile?: ReadFile;
  /** Macros predefined as by cpp's `-D`. */
  readonly defines?: Readonly<Record<string, string>>;
}

/**
 * Reads and parses a DTS file.
 * @throws DtsError if the file cannot be read or has a problem
 */
export function parseDtsFile(file: string, options: ParseDtsFileOptions = {}): DtTree {
  const readFile = options.readFile ?? readFileFromDisk;
  const source = readFile(file);
  if (source === undefined) {
    throw new DtsError({ file, line: 1, column: 1 }, `cannot read ${path.resolve(file)}`);
  }
  return parseDts(source, {
    file,
    includeDirs: options.includeDirs ?? [],
    readFile,
    ...(options.defines !== undefined ? { defines: options.defines } : {}),
  });
}
