/**
 * Evaluates the controlling expression of `#if` / `#elif`: `defined X` and `defined(X)`, macro
 * expansion, identifiers left over counting as 0, then C integer arithmetic with cpp's signedness.
 */

import { decodeEscapes, parseIntegerLiteral } from '../literals.js';
import { evaluateExpression, type ExprSource, type ExprToken } from '../int-expression.js';
import { expandTokens, type MacroTable } from './macros.js';
import type { PPToken } from './pp-tokens.js';

/** Reports a problem at an offset of the file holding the directive. */
export type FailAt = (pos: number, message: string) => never;

/**
 * Whether the expression `tokens` (the rest of the directive line) is true.
 * @param directivePos offset of the directive, used for problems found inside macro expansions
 */
export function evaluateIfExpression(
  tokens: readonly PPToken[],
  table: MacroTable,
  directivePos: number,
  fail: FailAt,
): boolean {
  const resolved = replaceDefined(tokens, table, fail);
  const expanded = expandTokens(resolved, table, (msg) => fail(directivePos, msg));
  const exprTokens: ExprToken[] = [];
  for (const t of expanded) {
    if (t.kind === 'space' || t.kind === 'placemarker') continue;
    const pos = t.hide ? directivePos : t.pos;
    exprTokens.push(toExprToken(t, pos, fail));
  }
  const endPos = tokens.length > 0 ? tokens[tokens.length - 1]!.pos + tokens[tokens.length - 1]!.text.length : directivePos;
  if (exprTokens.length === 0) fail(directivePos, '#if with no expression');
  let index = 0;
  const end: ExprToken = { kind: 'other', text: '', pos: endPos };
  const source: ExprSource = {
    peek: () => exprTokens[index] ?? end,
    next: () => exprTokens[index++] ?? end,
    fail,
  };
  const value = evaluateExpression(source, 'cpp');
  const rest = exprTokens[index];
  if (rest !== undefined) {
    const what = rest.kind === 'op' ? rest.op : rest.kind === 'other' ? rest.text : String(rest.value);
    fail(rest.pos, `missing binary operator before '${what}' in #if expression`);
  }
  return value.value !== 0n;
}

function replaceDefined(tokens: readonly PPToken[], table: MacroTable, fail: FailAt): PPToken[] {
  const out: PPToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || t.text !== 'defined') {
      out.push(t);
      continue;
    }
    let j = i + 1;
    while (tokens[j]?.kind === 'space') j++;
    const paren = tokens[j]?.kind === 'punct' && tokens[j]!.text === '(';
    if (paren) {
      j++;
      while (tokens[j]?.kind === 'space') j++;
    }
    const name = tokens[j];
    if (name === undefined || name.kind !== 'ident') fail(name?.pos ?? t.pos, 'operator "defined" requires an identifier');
    if (paren) {
      j++;
      while (tokens[j]?.kind === 'space') j++;
      const close = tokens[j];
      if (close === undefined || close.kind !== 'punct' || close.text !== ')') {
        fail(close?.pos ?? name.pos, 'missing \')\' after "defined"');
      }
    }
    out.push({ kind: 'number', text: table.has(name.text) ? '1' : '0', pos: t.pos });
    i = j;
  }
  return out;
}

function toExprToken(t: PPToken, pos: number, fail: FailAt): ExprToken {
  switch (t.kind) {
    case 'ident':
      // cpp: an identifier that is not a macro counts as 0.
      return { kind: 'number', value: 0n, unsigned: false, pos };
    case 'number': {
      const lit = parseIntegerLiteral(t.text);
      if (typeof lit === 'string') fail(pos, `${lit} in #if expression`);
      return { kind: 'number', value: lit.value, unsigned: lit.unsigned, pos };
    }
    case 'char': {
      const decoded = decodeEscapes(t.text.slice(1, -1));
      if ('error' in decoded) fail(pos, decoded.error);
      if (decoded.bytes.length === 0) fail(pos, 'empty character constant');
      let v = 0n;
      for (const b of decoded.bytes) v = (v << 8n) | BigInt(b);
      return { kind: 'number', value: v, unsigned: false, pos };
    }
    case 'punct':
      return { kind: 'op', op: t.text, pos };
    default:
      return { kind: 'other', text: t.text, pos };
  }
}
