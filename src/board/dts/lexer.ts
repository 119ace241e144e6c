/**
 * Splits preprocessed DTS text into tokens. Like dtc's lexer it depends on context: the parser asks
 * for a token in `name` mode where a property or node name may stand (names may start with digits or
 * '#'), in `bytes` mode inside `[ … ]`, and in `value` mode everywhere else.
 */

import { DtsError, type SourceLocation } from './errors.js';
import { decodeEscapes, parseIntegerLiteral } from './literals.js';
import type { MappedText } from './mapped-text.js';

/** Kinds of DTS token. */
export type TokenKind =
  /** End of the input. */
  | 'eof'
  /** `/dts-v1/`, `/memreserve/`, `/bits/`, `/delete-node/`, … (text is the whole keyword). */
  | 'keyword'
  /** `name:` (text is the name without the colon). */
  | 'label'
  /** `&label` or `&{/path}` (target is `label` or `/path`). */
  | 'ref'
  /** A property or node name (name mode only). */
  | 'name'
  /** An integer literal (value). */
  | 'number'
  /** A character literal such as 'a' (value). */
  | 'char'
  /** A double-quoted string (bytes, without the terminating NUL). */
  | 'string'
  /** One byte of a byte string (bytes mode only; value). */
  | 'byte'
  /** Punctuation and operators. */
  | 'punct'
  /** A bare word where no name is expected (typically a macro that was never defined). */
  | 'word';

/** A DTS token. */
export interface Token {
  readonly kind: TokenKind;
  /** The token's text as written (for messages). */
  readonly text: string;
  /** Offset in the preprocessed text. */
  readonly pos: number;
  /** Integer value of number, char and byte tokens. */
  readonly value?: bigint;
  /** Decoded bytes of a string token. */
  readonly bytes?: Uint8Array;
  /** Label or path a ref token points at. */
  readonly target?: string;
}

/** Lexing context chosen by the parser. */
export type LexMode = 'value' | 'name' | 'bytes';

const KEYWORDS = new Set([
  '/dts-v1/',
  '/plugin/',
  '/memreserve/',
  '/bits/',
  '/delete-node/',
  '/delete-property/',
  '/omit-if-no-ref/',
  '/incbin/',
]);
const OPERATORS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||'];
const LABEL_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const NAME_RE = /[A-Za-z0-9,._+*#?@-]+/y;
const PATH_RE = /[A-Za-z0-9,._+*#?@/-]*/y;
const KEYWORD_RE = /\/[a-z][a-z0-9-]*\//y;
const HEX_RE = /[0-9a-fA-F]{1,2}/y;
const NUMBER_RE = /[0-9][0-9A-Za-z_]*/y;
const WORD_RE = /[A-Za-z_][A-Za-z0-9,._+*#?@-]*/y;

/** Pull-based DTS lexer with one token of lookahead. */
export class Lexer {
  private readonly text: string;
  private pos = 0;
  private peeked: { token: Token; mode: LexMode; after: number } | undefined;

  constructor(
    private readonly source: MappedText,
    private readonly fallback: SourceLocation,
  ) {
    this.text = source.text;
  }

  /** The next token in `mode`, not consumed. */
  peek(mode: LexMode = 'value'): Token {
    const p = this.peeked;
    if (p !== undefined && p.mode === mode) return p.token;
    const start = this.pos;
    const token = this.scan(mode);
    this.peeked = { token, mode, after: this.pos };
    this.pos = start;
    return token;
  }

  /** Consumes the next token in `mode`. */
  next(mode: LexMode = 'value'): Token {
    const token = this.peek(mode);
    this.pos = this.peeked!.after;
    this.peeked = undefined;
    return token;
  }

  /** Source location of an offset of the preprocessed text. */
  locate(pos: number): SourceLocation {
    return this.source.locate(pos, this.fallback);
  }

  /** Throws a {@link DtsError} at an offset of the preprocessed text. */
  fail(pos: number, message: string): never {
    throw new DtsError(this.locate(pos), message);
  }

  private scan(mode: LexMode): Token {
    this.skipTrivia();
    const text = this.text;
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', text: '', pos: start };
    const c = text[start]!;
    if (mode === 'bytes') return this.scanBytes(start, c);
    if (c === '/') {
      const kw = this.match(KEYWORD_RE, start);
      if (kw !== undefined && KEYWORDS.has(kw)) return this.take('keyword', kw, start);
      if (kw !== undefined && kw === '/include/') return this.take('keyword', kw, start);
      return this.take('punct', '/', start);
    }
    if (c === '&') return this.scanAmpersand(start);
    const label = this.match(LABEL_RE, start);
    if (label !== undefined && text[start + label.length] === ':') {
      this.pos = start + label.length + 1;
      return { kind: 'label', text: label, pos: start };
    }
    if (mode === 'name') {
      const escaped = c === '\\' ? 1 : 0;
      const name = this.match(NAME_RE, start + escaped);
      if (name !== undefined) {
        this.pos = start + escaped + name.length;
        return { kind: 'name', text: name, pos: start };
      }
    } else {
      if (c === '"') return this.scanString(start);
      if (c === "'") return this.scanChar(start);
      if (c >= '0' && c <= '9') {
        const lit = this.match(NUMBER_RE, start)!;
        const parsed = parseIntegerLiteral(lit);
        if (typeof parsed === 'string') this.fail(start, parsed);
        this.pos = start + lit.length;
        return { kind: 'number', text: lit, pos: start, value: parsed.value };
      }
      const word = this.match(WORD_RE, start);
      if (word !== undefined) return this.take('word', word, start);
    }
    const op = OPERATORS.find((o) => text.startsWith(o, start));
    return this.take('punct', op ?? c, start);
  }

  private scanBytes(start: number, c: string): Token {
    if (c === ']') return this.take('punct', c, start);
    const label = this.match(LABEL_RE, start);
    if (label !== undefined && this.text[start + label.length] === ':') {
      this.pos = start + label.length + 1;
      return { kind: 'label', text: label, pos: start };
    }
    const hex = this.match(HEX_RE, start);
    if (hex === undefined) this.fail(start, `expected two hex digits or ']' in a byte string, found '${c}'`);
    if (hex.length === 1) this.fail(start, `a byte string needs two hex digits per byte; '${hex}' stands alone`);
    this.pos = start + 2;
    return { kind: 'byte', text: hex, pos: start, value: BigInt(parseInt(hex, 16)) };
  }

  private scanAmpersand(start: number): Token {
    const text = this.text;
    if (text[start + 1] === '{') {
      const path = this.match(PATH_RE, start + 2) ?? '';
      const close = start + 2 + path.length;
      if (text[close] !== '}') this.fail(start, "unterminated path reference: expected '}' after '&{" + path + "'");
      if (!path.startsWith('/')) this.fail(start, `a path reference must be an absolute path such as &{/soc/serial@4500}, found '&{${path}}'`);
      this.pos = close + 1;
      return { kind: 'ref', text: `&{${path}}`, pos: start, target: path };
    }
    const label = this.match(LABEL_RE, start + 1);
    if (label !== undefined) {
      this.pos = start + 1 + label.length;
      return { kind: 'ref', text: '&' + label, pos: start, target: label };
    }
    return this.take('punct', text.startsWith('&&', start) ? '&&' : '&', start);
  }

  private scanString(start: number): Token {
    const text = this.text;
    let i = start + 1;
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch === '\n') this.fail(start, 'unterminated string: missing closing \'"\' on this line');
      if (ch === '"') break;
      i += ch === '\\' ? 2 : 1;
    }
    const decoded = decodeEscapes(text.slice(start + 1, i));
    if ('error' in decoded) this.fail(start + 1 + decoded.offset, decoded.error);
    this.pos = i + 1;
    return { kind: 'string', text: text.slice(start, i + 1), pos: start, bytes: Uint8Array.from(decoded.bytes) };
  }

  private scanChar(start: number): Token {
    const text = this.text;
    let i = start + 1;
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch === '\n') this.fail(start, "unterminated character literal: missing closing \"'\"");
      if (ch === "'") break;
      i += ch === '\\' ? 2 : 1;
    }
    const decoded = decodeEscapes(text.slice(start + 1, i));
    if ('error' in decoded) this.fail(start + 1 + decoded.offset, decoded.error);
    if (decoded.bytes.length === 0) this.fail(start, 'empty character literal');
    if (decoded.bytes.length > 1) this.fail(start, `character literal has ${decoded.bytes.length} characters instead of 1`);
    this.pos = i + 1;
    return { kind: 'char', text: text.slice(start, i + 1), pos: start, value: BigInt(decoded.bytes[0]!) };
  }

  private skipTrivia(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b) {
        i++;
      } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
        // Comments are normally gone after preprocessing; stay safe if one is left.
        const close = text.indexOf('*/', i + 2);
        if (close === -1) this.fail(i, "unterminated comment: '/*' without a closing '*/'");
        i = close + 2;
      } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? text.length : eol;
      } else break;
    }
    this.pos = i;
  }

  private match(re: RegExp, at: number): string | undefined {
    re.lastIndex = at;
    const m = re.exec(this.text);
    return m !== null && m[0].length > 0 ? m[0] : undefined;
  }

  private take(kind: TokenKind, text: string, start: number): Token {
    this.pos = start + text.length;
    return { kind, text, pos: start };
  }
}
