/**
 * The device tree as the rest of driverlab sees it: nodes, properties holding the exact big-endian
 * bytes dtc would put in a blob, and enough of each value's source structure to print it as dtc does.
 */

import type { SourceLocation } from './errors.js';

/** Width of the elements of a cell list: `<…>` is 32, `/bits/ N <…>` is N. */
export type DtCellBits = 8 | 16 | 32 | 64;

/** A `&label` or `&{/path}` inside a 32-bit cell list, already replaced by the target's phandle. */
export interface DtPhandleRef {
  /** Byte offset of the cell in the property's value. */
  readonly offset: number;
  /** The label or path (starting with '/') that was written. */
  readonly target: string;
}

/**
 * One comma-separated piece of a property value, covering `value[offset, offset + length)`.
 * Pieces follow each other without gaps, in source order.
 */
export type DtValueChunk =
  /** A string, its terminating NUL included. */
  | { readonly kind: 'string'; readonly offset: number; readonly length: number }
  /** A cell list: `length / (bits / 8)` big-endian elements; `refs` lists the phandle references in it. */
  | {
      readonly kind: 'cells';
      readonly bits: DtCellBits;
      readonly offset: number;
      readonly length: number;
      readonly refs: readonly DtPhandleRef[];
    }
  /** A byte string `[…]`. */
  | { readonly kind: 'bytes'; readonly offset: number; readonly length: number }
  /** A reference outside cells, stored as the target's full path and a NUL. */
  | { readonly kind: 'path-ref'; readonly offset: number; readonly length: number; readonly target: string };

/** A property of a node. */
export interface DtProperty {
  /** Property name, e.g. `reg` or `#address-cells`. */
  readonly name: string;
  /** Labels on the property, in the order dtc prints them (the most recently added first). */
  readonly labels: string[];
  /** The raw value exactly as dtc encodes it (cells big-endian, strings NUL-terminated); empty for a boolean property. */
  readonly value: Uint8Array;
  /** How the value was written, piece by piece; empty when unknown (then the printer guesses, as dtc does). */
  readonly chunks: readonly DtValueChunk[];
  /** Where the property's value was last assigned. */
  readonly source?: SourceLocation;
}

/** A node of the tree. */
export interface DtNode {
  /** Node name with its unit address (`serial@4500`); '' for the root. */
  readonly name: string;
  /** Labels of the node, in the order dtc prints them (the most recently added first). */
  readonly labels: string[];
  /** Properties in dtc's order: source order, an overridden value keeping the first definition's place. */
  readonly properties: DtProperty[];
  /** Child nodes in dtc's order: first definition order. */
  readonly children: DtNode[];
  /** The parent node; absent for the root. */
  readonly parent?: DtNode;
  /** Full path: `/` for the root, `/soc@ffe00000/serial@4500` below it. */
  readonly path: string;
  /** The node's phandle, if it has one (explicit, or assigned because something references it). */
  readonly phandle?: number;
  /** Where the node was first defined. */
  readonly source?: SourceLocation;
}

/** A `/memreserve/` entry: a physical range the OS must not use. */
export interface DtMemReserve {
  readonly address: bigint;
  readonly size: bigint;
  readonly labels: string[];
}

/** A whole device tree after merging, deletions and reference resolution. */
export interface DtTree {
  /** The root node `/`. */
  readonly root: DtNode;
  /** `/memreserve/` entries in source order. */
  readonly memreserves: DtMemReserve[];
  /** Every node label, to its node. */
  readonly labels: Map<string, DtNode>;
  /** Every phandle, to its node. */
  readonly phandles: Map<number, DtNode>;
}
