/**
 * C-style literals shared by the preprocessor and the DTS lexer: integer literals (hex, octal,
 * decimal, U/L suffixes), character literals and the escape sequences of strings.
 */

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;

/** A parsed integer literal. */
export interface IntegerLiteral {
  /** The value, 0 … 2^64-1. */
  readonly value: bigint;
  /** Whether C would give it an unsigned type (a U suffix, or too big for a signed 64-bit). */
  readonly unsigned: boolean;
}

const SUFFIX = /(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)$/;

/** Parses `0x1f`, `017`, `42`, `5UL`…; returns a reason string when the text is not a valid literal. */
export function parseIntegerLiteral(text: string): IntegerLiteral | string {
  const suffix = SUFFIX.exec(text);
  const body = suffix ? text.slice(0, suffix.index) : text;
  const hasU = suffix !== null && /[uU]/.test(suffix[0]);
  let value: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) value = BigInt(body);
  else if (/^0[0-7]*$/.test(body)) value = body.length > 1 ? BigInt('0o' + body.slice(1)) : 0n;
  else if (/^[1-9][0-9]*$/.test(body)) value = BigInt(body);
  else return `bad integer literal '${text}'`;
  if (value > UINT64_MAX) return `integer literal '${text}' is out of range (more than 64 bits)`;
  return { value, unsigned: hasU || value > INT64_MAX };
}

/** The bytes a string or character body stands for, or where and why its escapes are bad. */
export type DecodedText = { bytes: number[] } | { error: string; offset: number };

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
};

const textEncoder = new TextEncoder();

/**
 * Decodes the body of a string or character literal (without its quotes) into bytes: escapes
 * `\a \b \t \n \v \f \r \\ \" \' \xHH \ooo`, any other escaped character standing for itself (as dtc
 * does), and non-ASCII characters as UTF-8.
 */
export function decodeEscapes(body: string): DecodedText {
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c !== 0x5c /* backslash */) {
      if (c < 0x80) {
        bytes.push(c);
        i++;
      } else {
        const cp = body.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        for (const b of textEncoder.encode(ch)) bytes.push(b);
        i += ch.length;
      }
      continue;
    }
    const escStart = i;
    i++;
    if (i >= body.length) return { error: 'a backslash at the end of a string escapes nothing', offset: escStart };
    const e = body[i]!;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i++;
    } else if (e === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1, i + 3));
      if (!m) return { error: "'\\x' escape without hex digits", offset: escStart };
      bytes.push(parseInt(m[0], 16));
      i += 1 + m[0].length;
    } else if (e >= '0' && e <= '7') {
      const m = /^[0-7]{1,3}/.exec(body.slice(i, i + 3))!;
      const v = parseInt(m[0], 8);
      if (v > 0xff) return { error: `octal escape '\\${m[0]}' is larger than a byte`, offset: escStart };
      bytes.push(v);
      i += m[0].length;
    } else {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of textEncoder.encode(ch)) bytes.push(b);
      i += ch.length;
    }
  }
  return { bytes };
}
