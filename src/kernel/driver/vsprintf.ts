/**
 * The kernel's printf (`vsprintf`) for driver messages: C conversions with flags, width, precision
 * and length modifiers, plus the kernel's `%p` extensions drivers use most (`%pe`, `%pR`, `%pa`,
 * `%pad`, `%pOF`, `%pOFn`, `%pM`, `%pI4`, `%ps`, `%px`). Plain `%p` prints the raw address (as with
 * `no_hash_pointers`), so output stays deterministic and useful.
 */
import { errname, IS_ERR, PTR_ERR } from './errno.js';
import { nodeBaseName, type OfNode } from './of-node.js';
import { formatResource, type Resource } from './resource.js';

interface Spec {
  left: boolean;
  plus: boolean;
  space: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  precision: number;
  length: string;
}

const SPEC_RE = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|L|q|j|z|Z|t)?([diouxXcsp%])/g;

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (s.length >= spec.width) return s;
  if (spec.left) return s.padEnd(spec.width, ' ');
  if (numeric && spec.zero && spec.precision < 0) {
    const signLen = /^[-+ ]/.test(s) ? 1 : /^0[xX]/.test(s) ? 2 : 0;
    return s.slice(0, signLen) + s.slice(signLen).padStart(spec.width - signLen, '0');
  }
  return s.padStart(spec.width, ' ');
}

function toBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return 0n;
}

function bitsFor(length: string): number {
  return length === 'll' || length === 'L' || length === 'q' || length === 'j' ? 64 : length === 'h' ? 16 : length === 'hh' ? 8 : 32;
}

function formatInteger(conv: string, v: unknown, spec: Spec): string {
  const bits = bitsFor(spec.length);
  let n = toBig(v);
  let body: string;
  let sign = '';
  if (conv === 'd' || conv === 'i') {
    n = BigInt.asIntN(bits, n);
    if (n < 0n) {
      sign = '-';
      n = -n;
    } else if (spec.plus) sign = '+';
    else if (spec.space) sign = ' ';
    body = n.toString(10);
  } else {
    n = BigInt.asUintN(bits, n);
    const base = conv === 'o' ? 8 : conv === 'u' ? 10 : 16;
    body = n.toString(base);
    if (conv === 'X') body = body.toUpperCase();
    if (spec.alt && n !== 0n) sign = conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '';
  }
  if (spec.precision >= 0) body = spec.precision === 0 && n === 0n ? '' : body.padStart(spec.precision, '0');
  return pad(sign + body, spec, true);
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

function isOfNode(v: unknown): v is OfNode {
  return typeof v === 'object' && v !== null && 'path' in v && 'properties' in v && 'children' in v;
}

function isResource(v: unknown): v is Resource {
  return typeof v === 'object' && v !== null && 'start' in v && 'end' in v && 'flags' in v;
}

/** The kernel's `%p` extensions; `fmt` is what follows the `p`. Returns the text and how many format characters it used. */
function formatPointer(ext: string, v: unknown): [string, number] {
  const two = ext.slice(0, 2);
  if (two === 'OF') {
    const node = isOfNode(v) ? v : null;
    if (ext[2] === 'n') return [node ? nodeBaseName(node) : '(null)', 3];
    if (ext[2] === 'f') return [node ? node.path : '(null)', 3];
    return [node ? node.path : '(null)', 2];
  }
  switch (ext[0]) {
    case 'e': {
      if (typeof v !== 'number') return ['(null)', 1];
      return [errname(v > 0 && IS_ERR(v) ? PTR_ERR(v) : v), 1];
    }
    case 'R':
    case 'r':
      return [isResource(v) ? formatResource(v) : '(null)', 1];
    case 'a': {
      const used = ext[1] === 'd' || ext[1] === 'p' ? 2 : 1;
      return ['0x' + (typeof v === 'number' && v > 0xffff_ffff ? v.toString(16).padStart(16, '0') : hex8(Number(v ?? 0))), used];
    }
    case 'M':
    case 'm': {
      const sep = ext[0] === 'M' ? ':' : '';
      const bytes = v instanceof Uint8Array ? Array.from(v.subarray(0, 6)) : [];
      return [bytes.map((b) => b.toString(16).padStart(2, '0')).join(sep), ext[1] === 'R' || ext[1] === 'F' ? 2 : 1];
    }
    case 'I':
      if (ext[1] === '4') {
        const b = v instanceof Uint8Array ? Array.from(v.subarray(0, 4)) : typeof v === 'number' ? [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255] : [];
        return [b.join('.'), 2];
      }
      return [String(v), 1];
    case 's':
    case 'S':
    case 'B':
      return [typeof v === 'function' ? v.name || '<anonymous>' : typeof v === 'number' ? '0x' + hex8(v) : String(v), 1];
    case 'x':
      return [hex8(Number(v ?? 0)), 1];
    case 'V':
      return [String(v), 1];
    default:
      if (v === null || v === undefined || v === 0) return ['00000000', 0];
      return [typeof v === 'number' ? hex8(v) : String(v), 0];
  }
}

/**
 * Format like the kernel's `snprintf(buf, size, fmt, ...)`. Missing arguments print as 0 or
 * `(null)`; extra ones are ignored.
 */
export function kvsprintf(fmt: string, args: readonly unknown[]): string {
  let ai = 0;
  let out = '';
  let last = 0;
  SPEC_RE.lastIndex = 0;
  for (let m = SPEC_RE.exec(fmt); m !== null; m = SPEC_RE.exec(fmt)) {
    out += fmt.slice(last, m.index);
    last = SPEC_RE.lastIndex;
    const [, flags = '', w, p, length = '', conv = ''] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    const spec: Spec = {
      left: flags.includes('-'),
      plus: flags.includes('+'),
      space: flags.includes(' '),
      alt: flags.includes('#'),
      zero: flags.includes('0'),
      width: 0,
      precision: -1,
      length,
    };
    if (w === '*') {
      const n = Number(args[ai++] ?? 0);
      if (n < 0) spec.left = true;
      spec.width = Math.abs(n);
    } else if (w !== undefined) spec.width = Number(w);
    if (p === '*') spec.precision = Math.max(-1, Number(args[ai++] ?? 0));
    else if (p !== undefined) spec.precision = p === '' ? 0 : Number(p);
    const v = args[ai++];
    switch (conv) {
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X':
        out += formatInteger(conv, v, spec);
        break;
      case 'c':
        out += pad(String.fromCharCode(Number(v ?? 0) & 0xff), spec, false);
        break;
      case 's': {
        let s = v === null || v === undefined ? '(null)' : String(v);
        if (spec.precision >= 0) s = s.slice(0, spec.precision);
        out += pad(s, spec, false);
        break;
      }
      case 'p': {
        const [text, used] = formatPointer(fmt.slice(last), v);
        last += used;
        SPEC_RE.lastIndex = last;
        out += pad(text, spec, false);
        break;
      }
    }
  }
  return out + fmt.slice(last);
}

/** A message as printk takes it: formatted, with one trailing newline removed. */
export function formatMessage(fmt: string, args: readonly unknown[]): string {
  const s = args.length === 0 && !fmt.includes('%') ? fmt : kvsprintf(fmt, args);
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}
