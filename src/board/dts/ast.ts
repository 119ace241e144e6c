/**
 * The syntax tree of one DTS source as the parser reads it, before nodes are merged, labels and
 * references resolved or values encoded.
 */

import type { SourceLocation } from './errors.js';

/** A `&label` or `&{/path}` reference. */
export interface AstRef {
  /** The label name, or the path (starting with '/'). */
  readonly target: string;
  readonly loc: SourceLocation;
}

/** A `name:` label. */
export interface AstLabel {
  readonly name: string;
  readonly loc: SourceLocation;
}

/** One element of a cell list: a number or a phandle reference. */
export type AstCell = { readonly kind: 'value'; readonly value: bigint } | { readonly kind: 'ref'; readonly ref: AstRef };

/** One comma-separated piece of a property value. */
export type AstValuePart =
  /** A string; bytes without the terminating NUL. */
  | { readonly kind: 'string'; readonly bytes: Uint8Array }
  /** `<…>` or `/bits/ N <…>`; values already range-checked and masked to `bits`. */
  | { readonly kind: 'cells'; readonly bits: 8 | 16 | 32 | 64; readonly cells: readonly AstCell[] }
  /** `[…]`. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /** A reference outside cells: becomes the target's full path as a string. */
  | { readonly kind: 'path-ref'; readonly ref: AstRef };

/** `name = value;` or `name;` inside a node. */
export interface AstProperty {
  readonly kind: 'property';
  readonly name: string;
  readonly labels: readonly AstLabel[];
  /** Empty for a boolean property. */
  readonly value: readonly AstValuePart[];
  readonly loc: SourceLocation;
}

/** A node body `{ … }` with its name and labels. */
export interface AstNode {
  /** Node name with unit address; '' for the root. */
  readonly name: string;
  readonly labels: readonly AstLabel[];
  readonly items: readonly AstBodyItem[];
  /** Where the node's name (or the '/' or reference) stands. */
  readonly loc: SourceLocation;
  /** Marked `/omit-if-no-ref/`. */
  readonly omitIfNoRef: boolean;
}

/** Things a node body contains, in source order. */
export type AstBodyItem =
  | AstProperty
  | { readonly kind: 'node'; readonly node: AstNode }
  | { readonly kind: 'delete-property'; readonly name: string; readonly loc: SourceLocation }
  | { readonly kind: 'delete-node'; readonly name: string; readonly loc: SourceLocation };

/** `/memreserve/ address size;`. */
export interface AstMemreserve {
  readonly address: bigint;
  readonly size: bigint;
  readonly labels: readonly AstLabel[];
  readonly loc: SourceLocation;
}

/** Top-level statements after the header, in source order. */
export type AstStatement =
  /** `/ { … };` */
  | { readonly kind: 'root'; readonly node: AstNode }
  /** `&label { … };` or `&{/path} { … };`, optionally labelled. */
  | { readonly kind: 'overlay'; readonly ref: AstRef; readonly labels: readonly AstLabel[]; readonly node: AstNode }
  /** `/delete-node/ &label;` */
  | { readonly kind: 'delete-node'; readonly ref: AstRef }
  /** `/omit-if-no-ref/ &label;` */
  | { readonly kind: 'omit-if-no-ref'; readonly ref: AstRef };

/** A whole parsed source. */
export interface AstFile {
  readonly memreserves: readonly AstMemreserve[];
  readonly statements: readonly AstStatement[];
}
