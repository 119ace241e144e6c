/**
 * Writes a tree back as DTS text the way `dtc -O dts` (1.6.1) does: tabs, a blank line before each
 * child node, labels newest first, references replaced by phandle numbers or paths, cells as `<0x..>`,
 * byte strings as `[..]`, and dtc's own spacing, including its quirk of a space after '<' when a
 * later cell list starts with a reference.
 */

import { looksLikeDirective } from './cpp/preprocessor.js';
import type { DtNode, DtProperty, DtTree } from './model.js';

/** What dtc calls a type marker: the element type of the data from this offset on. */
type DataType = 'u8' | 'u16' | 'u32' | 'u64' | 'string';

/** dtc's markers: type markers start a piece; reference markers sit inside one. */
interface Marker {
  readonly offset: number;
  readonly type: DataType | 'ref';
}

const DELIM_START: Readonly<Record<DataType, string>> = { u8: '[', u16: '/bits/ 16 <', u32: '<', u64: '/bits/ 64 <', string: '' };
const DELIM_END: Readonly<Record<DataType, string>> = { u8: ']', u16: '>', u32: '>', u64: '>', string: '' };
const WIDTH: Readonly<Record<DataType, number>> = { u8: 1, u16: 2, u32: 4, u64: 8, string: 1 };

/** The tree as DTS text, as `dtc -O dts` prints it. */
export function printDts(tree: DtTree): string {
  const out: string[] = ['/dts-v1/;\n\n'];
  for (const m of tree.memreserves) {
    out.push(m.labels.map((l) => `${l}: `).join(''));
    out.push(`/memreserve/\t0x${hex64(m.address)} 0x${hex64(m.size)};\n`);
  }
  writeNode(out, tree.root, 0);
  return out.join('');
}

/** One property as dtc prints it inside a node (without indentation), e.g. `reg = <0x00 0x1000>;`. */
export function formatProperty(prop: DtProperty): string {
  return prop.labels.map((l) => `${l}: `).join('') + safeName(prop.name, prop.labels) + formatValue(prop) + ';';
}

/**
 * A name as printed at the start of a line. A name such as `#if-x` would be read back as a cpp
 * directive, so it gets dtc's name escape, a leading backslash (dtc itself prints it bare).
 */
function safeName(name: string, labels: readonly string[]): string {
  return labels.length === 0 && looksLikeDirective(name) ? '\\' + name : name;
}

function writeNode(out: string[], node: DtNode, level: number): void {
  const indent = '\t'.repeat(level);
  out.push(indent, node.labels.map((l) => `${l}: `).join(''), node.name === '' ? '/' : safeName(node.name, node.labels), ' {\n');
  for (const p of node.properties) out.push(indent, '\t', formatProperty(p), '\n');
  for (const c of node.children) {
    out.push('\n');
    writeNode(out, c, level + 1);
  }
  out.push(indent, '};\n');
}

/** ` = …` for a property with a value, '' for a boolean one (dtc's write_propval). */
function formatValue(prop: DtProperty): string {
  const { value } = prop;
  const len = value.length;
  if (len === 0) return '';
  const markers = markersOf(prop);
  let s = ' =';
  let emit: DataType | undefined;
  // Offset of the next type marker after each marker (-1: none), found in one backward pass.
  const nextTypeOffset = new Array<number>(markers.length);
  for (let i = markers.length - 1, seen = -1; i >= 0; i--) {
    nextTypeOffset[i] = seen;
    if (markers[i]!.type !== 'ref') seen = markers[i]!.offset;
  }
  for (let i = 0; i < markers.length; i++) {
    const m = markers[i]!;
    const next = markers[i + 1];
    const chunkLen = (next !== undefined ? next.offset : len) - m.offset;
    const nextType = nextTypeOffset[i]!;
    // As in dtc: the length up to the next type marker, or to the end when that is 0 or there is none.
    const dataLen = (nextType >= 0 ? nextType - m.offset : 0) || len - m.offset;
    if (m.type !== 'ref') {
      emit = m.type;
      s += ' ' + DELIM_START[emit];
    } else if (m.offset > 0) {
      s += ' ';
    }
    if (emit === undefined) continue;
    s += emit === 'string' ? formatString(value, m.offset, chunkLen) : formatInts(value, m.offset, chunkLen, WIDTH[emit]);
    if (chunkLen === dataLen) {
      s += DELIM_END[emit] + (m.offset + chunkLen === len ? '' : ',');
      emit = undefined;
    }
  }
  return s;
}

/** Markers from the value's chunks (empty pieces skipped), or dtc's guess when the structure is unknown. */
function markersOf(prop: DtProperty): Marker[] {
  const markers: Marker[] = [];
  for (const c of prop.chunks) {
    if (c.length === 0) continue;
    switch (c.kind) {
      case 'string':
        markers.push({ offset: c.offset, type: 'string' });
        break;
      case 'path-ref':
        markers.push({ offset: c.offset, type: 'string' }, { offset: c.offset, type: 'ref' });
        break;
      case 'bytes':
        markers.push({ offset: c.offset, type: 'u8' });
        break;
      case 'cells':
        markers.push({ offset: c.offset, type: `u${c.bits}` });
        for (const r of c.refs) markers.push({ offset: r.offset, type: 'ref' });
        break;
    }
  }
  if (markers.length === 0) markers.push({ offset: 0, type: guessType(prop.value) });
  return markers;
}

const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;
const isStringByte = (c: number): boolean => isPrint(c) || c === 0 || (c >= 7 && c <= 13);

/** dtc's guess for a value of unknown structure: text, 32-bit cells, or bytes. */
function guessType(value: Uint8Array): DataType {
  const len = value.length;
  let notString = 0;
  let nuls = 0;
  for (const c of value) {
    if (!isStringByte(c)) notString++;
    if (c === 0) nuls++;
  }
  if (value[len - 1] === 0 && notString === 0 && nuls <= len - nuls) return 'string';
  return len % 4 === 0 ? 'u32' : 'u8';
}

const ESCAPES: Readonly<Record<number, string>> = {
  0: '\\0',
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  0x5c: '\\\\',
  0x22: '\\"',
};

/** A NUL-terminated string piece in quotes, escaped as dtc escapes it. */
function formatString(value: Uint8Array, offset: number, len: number): string {
  if (len === 0) return '';
  const end = value[offset + len - 1] === 0 ? offset + len - 1 : offset + len;
  let s = '"';
  for (let i = offset; i < end; i++) {
    const c = value[i]!;
    const esc = ESCAPES[c];
    if (esc !== undefined) s += esc;
    else if (isPrint(c)) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s + '"';
}

/** Big-endian integers of `width` bytes: `0x%02x` each (bytes as bare `%02x`), space-separated. */
function formatInts(value: Uint8Array, offset: number, len: number, width: number): string {
  const items: string[] = [];
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  for (let p = offset; p + width <= offset + len; p += width) {
    let v: string;
    if (width === 1) {
      items.push(value[p]!.toString(16).padStart(2, '0'));
      continue;
    } else if (width === 2) v = view.getUint16(p).toString(16);
    else if (width === 4) v = view.getUint32(p).toString(16);
    else v = view.getBigUint64(p).toString(16);
    items.push('0x' + v.padStart(2, '0'));
  }
  return items.join(' ');
}

function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}
