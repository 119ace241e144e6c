/**
 * Recursive-descent parser for DTS version 1 as dtc accepts it: header, memory reservations, root
 * nodes, overlays by reference, deletions, and property values (strings, cells with C expressions,
 * /bits/, byte strings, references). Produces the syntax tree; nothing is merged or resolved here.
 */

import type { AstBodyItem, AstCell, AstFile, AstLabel, AstMemreserve, AstNode, AstRef, AstStatement, AstValuePart } from './ast.js';
import type { SourceLocation } from './errors.js';
import { evaluateExpression, type ExprSource, type ExprToken } from './int-expression.js';
import type { Lexer, LexMode, Token } from './lexer.js';

const UINT64_MAX = (1n << 64n) - 1n;

/** How a token is named in an error message. */
function show(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'label') return `label '${t.text}:'`;
  return `'${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}'`;
}

/** Parses a whole source from `lexer`. */
export function parseDtsSource(lexer: Lexer): AstFile {
  return new Parser(lexer).file();
}

/** Deeper node nesting than this is refused instead of overflowing the JavaScript stack. */
const MAX_NODE_DEPTH = 1000;

class Parser {
  private depth = 0;

  constructor(private readonly lx: Lexer) {}

  file(): AstFile {
    const lx: Lexer = this.lx;
    const first = lx.peek();
    if (!isKeyword(first, '/dts-v1/')) {
      lx.fail(first.pos, `expected '/dts-v1/;' at the start of the source (only version 1 device-tree sources are accepted), found ${show(first)}`);
    }
    while (isKeyword(lx.peek(), '/dts-v1/') || isKeyword(lx.peek(), '/plugin/')) {
      const t = lx.next();
      if (t.text === '/plugin/') lx.fail(t.pos, '/plugin/ (a device-tree overlay source) is not supported; only complete trees can be parsed');
      this.expectSemicolon(`after '${t.text}'`);
    }
    const memreserves: AstMemreserve[] = [];
    let pending: AstLabel[] = [];
    for (;;) {
      pending = this.labels('value');
      const t = lx.peek();
      if (!isKeyword(t, '/memreserve/')) break;
      lx.next();
      const address = this.integerPrim('the /memreserve/ address');
      const size = this.integerPrim('the /memreserve/ size');
      this.expectSemicolon('after /memreserve/ address and size');
      memreserves.push({ address, size, labels: pending, loc: lx.locate(t.pos) });
    }
    const statements: AstStatement[] = [];
    for (;;) {
      const labels = pending.length > 0 ? pending : this.labels('value');
      pending = [];
      const t = lx.peek();
      if (t.kind === 'eof') {
        if (labels.length > 0) lx.fail(t.pos, `label '${labels[labels.length - 1]!.name}:' is not followed by a node`);
        break;
      }
      if (t.kind === 'punct' && t.text === '/') {
        lx.next();
        const node = this.nodeBody('', labels, lx.locate(t.pos), false);
        statements.push({ kind: 'root', node });
      } else if (t.kind === 'ref') {
        lx.next();
        const ref = this.ref(t);
        const node = this.nodeBody(t.text, [], ref.loc, false);
        statements.push({ kind: 'overlay', ref, labels, node });
      } else if (labels.length === 0 && (isKeyword(t, '/delete-node/') || isKeyword(t, '/omit-if-no-ref/'))) {
        lx.next();
        const r = lx.next();
        if (r.kind !== 'ref') lx.fail(r.pos, `expected a &label or &{/path} reference after '${t.text}' at top level, found ${show(r)}`);
        this.expectSemicolon(`after '${t.text} ${r.text}'`);
        statements.push({ kind: t.text === '/delete-node/' ? 'delete-node' : 'omit-if-no-ref', ref: this.ref(r) });
      } else if (isKeyword(t, '/memreserve/') || isKeyword(t, '/dts-v1/')) {
        lx.fail(t.pos, `'${t.text}' must come before the first node`);
      } else {
        lx.fail(t.pos, `expected '/ {', '&label {', '&{/path} {' or '/delete-node/ &label;' at top level, found ${show(t)}`);
      }
    }
    if (statements.length === 0) lx.fail(lx.peek().pos, "expected a root node '/ { … };' in the source");
    return { memreserves, statements };
  }

  /** Parses `{ items } ;` for a node called `name`. */
  private nodeBody(name: string, labels: readonly AstLabel[], loc: SourceLocation, omitIfNoRef: boolean): AstNode {
    const lx: Lexer = this.lx;
    const shown = name === '' ? '/' : name;
    const open = lx.next('name');
    if (open.kind !== 'punct' || open.text !== '{') lx.fail(open.pos, `expected '{' to open node '${shown}', found ${show(open)}`);
    if (++this.depth > MAX_NODE_DEPTH) lx.fail(open.pos, `nodes nested more than ${MAX_NODE_DEPTH} deep`);
    const items: AstBodyItem[] = [];
    let firstChild: string | undefined;
    const propertyAllowed = (what: string, pos: number): void => {
      if (firstChild !== undefined) {
        lx.fail(pos, `${what} comes after ${firstChild} in node '${shown}'; properties must come before child nodes`);
      }
    };
    for (;;) {
      const labelsHere = this.labels('name');
      const t = lx.peek('name');
      if (t.kind === 'punct' && t.text === '}') {
        if (labelsHere.length > 0) lx.fail(t.pos, `label '${labelsHere[labelsHere.length - 1]!.name}:' is not followed by a property or a node`);
        lx.next('name');
        break;
      }
      if (t.kind === 'eof') lx.fail(open.pos, `node '${shown}' is not closed: missing '}' before the end of the input`);
      if (labelsHere.length === 0 && (isKeyword(t, '/delete-property/') || isKeyword(t, '/delete-node/'))) {
        lx.next('name');
        const n = lx.next('name');
        if (n.kind !== 'name') lx.fail(n.pos, `expected a ${t.text === '/delete-node/' ? 'node' : 'property'} name after '${t.text}', found ${show(n)}`);
        this.expectSemicolon(`after '${t.text} ${n.text}'`);
        if (t.text === '/delete-property/') {
          propertyAllowed(`'/delete-property/ ${n.text}'`, t.pos);
          items.push({ kind: 'delete-property', name: n.text, loc: lx.locate(t.pos) });
        } else {
          firstChild ??= `'/delete-node/ ${n.text}'`;
          items.push({ kind: 'delete-node', name: n.text, loc: lx.locate(t.pos) });
        }
        continue;
      }
      let omit = false;
      let labelsFinal = labelsHere;
      if (isKeyword(t, '/omit-if-no-ref/')) {
        lx.next('name');
        omit = true;
        labelsFinal = [...labelsHere, ...this.labels('name')];
      }
      const n = lx.next('name');
      if (n.kind !== 'name') {
        lx.fail(n.pos, `expected a property, a child node or '}' in node '${shown}', found ${show(n)}`);
      }
      const after = lx.peek('value');
      const nLoc = lx.locate(n.pos);
      if (after.kind === 'punct' && after.text === '{') {
        const child = this.nodeBody(n.text, labelsFinal, nLoc, omit);
        firstChild ??= `child node '${n.text}'`;
        items.push({ kind: 'node', node: child });
        continue;
      }
      if (omit) lx.fail(after.pos, `expected '{' after '/omit-if-no-ref/ ${n.text}' (only nodes can be omitted), found ${show(after)}`);
      if (after.kind === 'punct' && (after.text === '=' || after.text === ';')) {
        propertyAllowed(`property '${n.text}'`, n.pos);
        lx.next();
        const value = after.text === '=' ? this.value(n.text) : [];
        items.push({ kind: 'property', name: n.text, labels: labelsFinal, value, loc: nLoc });
        continue;
      }
      lx.fail(after.pos, `expected '=', ';' or '{' after '${n.text}', found ${show(after)}`);
    }
    this.expectSemicolon(`after the '}' that closes node '${shown}'`);
    this.depth--;
    return { name, labels, items, loc, omitIfNoRef };
  }

  /** Parses a property value after '=' up to and including the ';'. */
  private value(property: string): AstValuePart[] {
    const lx: Lexer = this.lx;
    const parts: AstValuePart[] = [];
    for (;;) {
      this.labels('value'); // labels inside values are accepted and ignored
      const t = lx.next();
      if (t.kind === 'string') parts.push({ kind: 'string', bytes: t.bytes! });
      else if (t.kind === 'punct' && t.text === '<') parts.push(this.cells(32, t));
      else if (isKeyword(t, '/bits/')) {
        const w = lx.next();
        const width = w.kind === 'number' ? Number(w.value) : NaN;
        if (width !== 8 && width !== 16 && width !== 32 && width !== 64) {
          lx.fail(w.pos, `/bits/ must be followed by 8, 16, 32 or 64, found ${show(w)}`);
        }
        const bits: 8 | 16 | 32 | 64 = width;
        const open = lx.next();
        if (open.kind !== 'punct' || open.text !== '<') lx.fail(open.pos, `expected '<' after '/bits/ ${bits}', found ${show(open)}`);
        parts.push(this.cells(bits, open));
      } else if (t.kind === 'punct' && t.text === '[') parts.push(this.bytes(t));
      else if (t.kind === 'ref') parts.push({ kind: 'path-ref', ref: this.ref(t) });
      else if (isKeyword(t, '/incbin/')) lx.fail(t.pos, '/incbin/ is not supported');
      else {
        lx.fail(t.pos, `expected a value for property '${property}' ("string", <cells>, [bytes] or &reference), found ${show(t)}`);
      }
      this.labels('value');
      const sep = lx.next();
      if (sep.kind === 'punct' && sep.text === ',') continue;
      if (sep.kind === 'punct' && sep.text === ';') return parts;
      lx.fail(sep.pos, `expected ',' or ';' after the value of property '${property}', found ${show(sep)}`);
    }
  }

  /** Parses the inside of `< … >` after the '<'. */
  private cells(bits: 8 | 16 | 32 | 64, open: Token): AstValuePart {
    const lx: Lexer = this.lx;
    const cells: AstCell[] = [];
    const mask = bits === 64 ? UINT64_MAX : (1n << BigInt(bits)) - 1n;
    for (;;) {
      const t = lx.peek();
      if (t.kind === 'punct' && t.text === '>') {
        lx.next();
        return { kind: 'cells', bits, cells };
      }
      if (t.kind === 'label') {
        lx.next();
        continue;
      }
      if (t.kind === 'ref') {
        lx.next();
        if (bits !== 32) lx.fail(t.pos, `references are only allowed in cell lists of 32-bit elements, not in /bits/ ${bits}`);
        cells.push({ kind: 'ref', ref: this.ref(t) });
        continue;
      }
      if (t.kind === 'eof') lx.fail(open.pos, "unterminated cell list: missing '>'");
      if (t.kind === 'number' || t.kind === 'char' || (t.kind === 'punct' && t.text === '(')) {
        const value = this.integerPrim('a cell');
        // Like dtc: a value fits if it is within the width, or is a sign-extended negative number.
        if (value > mask && (value | mask) !== UINT64_MAX) {
          lx.fail(t.pos, `value 0x${value.toString(16)} does not fit in ${bits} bits`);
        }
        cells.push({ kind: 'value', value: value & mask });
        continue;
      }
      if (t.kind === 'punct' && t.text === '-') {
        lx.fail(t.pos, "a negative cell value must be written in parentheses, e.g. '(-1)'");
      }
      if (t.kind === 'word') {
        lx.fail(t.pos, `unexpected '${t.text}' in a cell list (an undefined macro?): expected a number, a '(' expression, a &reference or '>'`);
      }
      lx.fail(t.pos, `expected a number, a '(' expression, a &reference or '>' in a cell list, found ${show(t)}`);
    }
  }

  /** Parses the inside of `[ … ]` after the '['. */
  private bytes(open: Token): AstValuePart {
    const lx: Lexer = this.lx;
    const bytes: number[] = [];
    for (;;) {
      const t = lx.peek('bytes');
      if (t.kind === 'eof') lx.fail(open.pos, "unterminated byte string: missing ']'");
      lx.next('bytes');
      if (t.kind === 'punct') return { kind: 'bytes', bytes: Uint8Array.from(bytes) };
      if (t.kind === 'byte') bytes.push(Number(t.value));
    }
  }

  /** A literal, a character literal or a parenthesised expression, as a 64-bit unsigned value. */
  private integerPrim(what: string): bigint {
    const lx: Lexer = this.lx;
    const t = lx.next();
    if (t.kind === 'number' || t.kind === 'char') return t.value!;
    if (t.kind === 'punct' && t.text === '(') {
      const value = evaluateExpression(this.exprSource(), 'dtc');
      const close = lx.next();
      if (close.kind !== 'punct' || close.text !== ')') lx.fail(close.pos, `expected ')' to close the expression, found ${show(close)}`);
      return BigInt.asUintN(64, value.value);
    }
    lx.fail(t.pos, `expected a number, a character literal or '(' for ${what}, found ${show(t)}`);
  }

  private exprSource(): ExprSource {
    const lx: Lexer = this.lx;
    const convert = (t: Token): ExprToken => {
      if (t.kind === 'number' || t.kind === 'char') return { kind: 'number', value: t.value!, unsigned: true, pos: t.pos };
      if (t.kind === 'punct') return { kind: 'op', op: t.text, pos: t.pos };
      return { kind: 'other', text: t.kind === 'eof' ? '' : t.text, pos: t.pos };
    };
    return {
      peek: () => convert(lx.peek()),
      next: () => convert(lx.next()),
      fail: (pos, message) => lx.fail(pos, message),
    };
  }

  private labels(mode: LexMode): AstLabel[] {
    const out: AstLabel[] = [];
    while (this.lx.peek(mode).kind === 'label') {
      const t = this.lx.next(mode);
      out.push({ name: t.text, loc: this.lx.locate(t.pos) });
    }
    return out;
  }

  private ref(t: Token): AstRef {
    return { target: t.target!, loc: this.lx.locate(t.pos) };
  }

  private expectSemicolon(context: string): void {
    const t = this.lx.next();
    if (t.kind !== 'punct' || t.text !== ';') this.lx.fail(t.pos, `expected ';' ${context}, found ${show(t)}`);
  }
}

function isKeyword(t: Token, keyword: string): boolean {
  return t.kind === 'keyword' && t.text === keyword;
}
