/**
 * Encodes a property value from its source pieces into the bytes dtc would store (cells big-endian
 * at their /bits/ width, strings NUL-terminated, references as phandles or path strings), together
 * with the chunk list that records how it was written.
 */

import type { AstRef, AstValuePart } from './ast.js';
import type { DtPhandleRef, DtValueChunk } from './model.js';

/** Supplies what references stand for. */
export interface ReferenceValues {
  /** The phandle of the node a cell reference points at. */
  phandle(ref: AstRef): number;
  /** The full path of the node a reference outside cells points at. */
  path(ref: AstRef): string;
}

const utf8 = new TextEncoder();

/** The encoded value and its chunks. */
export interface EncodedValue {
  readonly value: Uint8Array;
  readonly chunks: DtValueChunk[];
}

/** Encodes `parts` into bytes and chunks. */
export function encodeValue(parts: readonly AstValuePart[], refs: ReferenceValues): EncodedValue {
  const paths = parts.map((p) => (p.kind === 'path-ref' ? utf8.encode(refs.path(p.ref)) : undefined));
  let size = 0;
  parts.forEach((p, i) => (size += partSize(p, paths[i])));
  const value = new Uint8Array(size);
  const view = new DataView(value.buffer);
  const chunks: DtValueChunk[] = [];
  let offset = 0;
  parts.forEach((part, i) => {
    const length = partSize(part, paths[i]);
    switch (part.kind) {
      case 'string':
        value.set(part.bytes, offset);
        chunks.push({ kind: 'string', offset, length });
        break;
      case 'path-ref':
        value.set(paths[i]!, offset);
        chunks.push({ kind: 'path-ref', offset, length, target: part.ref.target });
        break;
      case 'bytes':
        value.set(part.bytes, offset);
        chunks.push({ kind: 'bytes', offset, length });
        break;
      case 'cells': {
        const step = part.bits / 8;
        const cellRefs: DtPhandleRef[] = [];
        part.cells.forEach((cell, k) => {
          const at = offset + k * step;
          let v: bigint;
          if (cell.kind === 'ref') {
            v = BigInt(refs.phandle(cell.ref));
            cellRefs.push({ offset: at, target: cell.ref.target });
          } else v = cell.value;
          if (part.bits === 8) view.setUint8(at, Number(v));
          else if (part.bits === 16) view.setUint16(at, Number(v));
          else if (part.bits === 32) view.setUint32(at, Number(v));
          else view.setBigUint64(at, v);
        });
        chunks.push({ kind: 'cells', bits: part.bits, offset, length, refs: cellRefs });
        break;
      }
    }
    offset += length;
  });
  return { value, chunks };
}

function partSize(part: AstValuePart, path: Uint8Array | undefined): number {
  switch (part.kind) {
    case 'string':
      return part.bytes.length + 1;
    case 'path-ref':
      return path!.length + 1;
    case 'bytes':
      return part.bytes.length;
    case 'cells':
      return part.cells.length * (part.bits / 8);
  }
}
