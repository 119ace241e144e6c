/**
 * Preprocessing tokens (identifiers, pp-numbers, literals, punctuators, whitespace) as cpp splits
 * a line before expanding macros or evaluating `#if`.
 */

import { literalEnd } from './comments.js';

/** Kinds of preprocessing token. */
export type PPKind = 'ident' | 'number' | 'string' | 'char' | 'punct' | 'space' | 'placemarker';

/** One preprocessing token. */
export interface PPToken {
  readonly kind: PPKind;
  readonly text: string;
  /** Offset in the text it was lexed from (meaningful only for tokens read from a file). */
  readonly pos: number;
  /** Macros that must not expand this token again (they produced it). */
  readonly hide?: ReadonlySet<string>;
}

const PUNCTUATORS = ['##', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||'];

/** Whether a character code starts an identifier. */
export function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

/** Whether a character code can continue an identifier. */
export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** Whether a character code is a decimal digit. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** End of the pp-number starting at `i` (digits, letters, `_`, `.`, and a sign after an exponent letter). */
export function ppNumberEnd(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (isIdentChar(c) || c === 0x2e) {
      j++;
      continue;
    }
    const prev = text[j - 1];
    if ((c === 0x2b || c === 0x2d) && (prev === 'e' || prev === 'E' || prev === 'p' || prev === 'P')) {
      j++;
      continue;
    }
    break;
  }
  return j;
}

/** Reads preprocessing tokens one at a time from `text[pos, end)`. */
export class PPCursor {
  constructor(
    private readonly text: string,
    public pos: number,
    private readonly end: number,
  ) {}

  /** The next token, or undefined at the end. */
  next(): PPToken | undefined {
    const { text, end } = this;
    const start = this.pos;
    if (start >= end) return undefined;
    const c = text.charCodeAt(start);
    let j: number;
    let kind: PPKind;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b) {
      j = start + 1;
      while (j < end && /[ \t\n\r\f\v]/.test(text[j]!)) j++;
      kind = 'space';
    } else if (isIdentStart(c)) {
      j = start + 1;
      while (j < end && isIdentChar(text.charCodeAt(j))) j++;
      kind = 'ident';
    } else if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(start + 1)))) {
      j = ppNumberEnd(text, start, end);
      kind = 'number';
    } else if (c === 0x22 || c === 0x27) {
      j = Math.min(literalEnd(text, start), end);
      kind = j === start + 1 ? 'punct' : c === 0x22 ? 'string' : 'char';
    } else {
      const p = PUNCTUATORS.find((op) => text.startsWith(op, start) && start + op.length <= end);
      j = start + (p ? p.length : 1);
      kind = 'punct';
    }
    this.pos = j;
    return { kind, text: text.slice(start, j), pos: start };
  }
}

/** All tokens of `text[start, end)`. */
export function lexPP(text: string, start = 0, end = text.length): PPToken[] {
  const cursor = new PPCursor(text, start, end);
  const tokens: PPToken[] = [];
  for (let t = cursor.next(); t !== undefined; t = cursor.next()) tokens.push(t);
  return tokens;
}

/** Tokens as text: whitespace runs become one space, none at the ends. */
export function tokensToText(tokens: readonly PPToken[]): string {
  let s = '';
  let pendingSpace = false;
  for (const t of tokens) {
    if (t.kind === 'space') {
      pendingSpace = s.length > 0;
      continue;
    }
    if (t.kind === 'placemarker') continue;
    if (pendingSpace) s += ' ';
    pendingSpace = false;
    s += t.text;
  }
  return s;
}
