/**
 * The macro table and cpp's expansion rules: object-like and function-like macros, argument
 * pre-expansion, `#` stringising, `##` pasting, `__VA_ARGS__`, and hide sets that stop recursion.
 */

import { lexPP, tokensToText, type PPToken } from './pp-tokens.js';

/** A defined macro. */
export interface Macro {
  readonly name: string;
  /** Parameter names (the variadic one is `__VA_ARGS__`), or null for an object-like macro. */
  readonly params: readonly string[] | null;
  /** Whether the last parameter is `...`. */
  readonly variadic: boolean;
  /** Replacement list, surrounding whitespace removed. */
  readonly body: readonly PPToken[];
}

/** Reports an expansion problem (the caller knows where the invocation is). */
export type ExpansionFailure = (message: string) => never;

/** The set of macros currently defined. */
export class MacroTable {
  private readonly macros = new Map<string, Macro>();

  /** Defines (or redefines) a macro. */
  define(macro: Macro): void {
    this.macros.set(macro.name, macro);
  }

  /** Removes a macro; undefining an unknown name is allowed, as in cpp. */
  undefine(name: string): void {
    this.macros.delete(name);
  }

  /** The macro of that name, if defined. */
  get(name: string): Macro | undefined {
    return this.macros.get(name);
  }

  /** Whether a macro of that name is defined. */
  has(name: string): boolean {
    return this.macros.has(name);
  }
}

const isPunct = (t: PPToken | undefined, text: string): boolean =>
  t !== undefined && t.kind === 'punct' && t.text === text;

function trimSpaces(tokens: readonly PPToken[]): PPToken[] {
  let a = 0;
  let b = tokens.length;
  while (a < b && tokens[a]!.kind === 'space') a++;
  while (b > a && tokens[b - 1]!.kind === 'space') b--;
  return tokens.slice(a, b);
}

/** Deeper nesting of macro arguments than this is refused instead of overflowing the JavaScript stack. */
const MAX_ARGUMENT_DEPTH = 500;

/**
 * Expands every macro invocation in `input`, rescanning results together with what follows them.
 * @param depth how deep in argument pre-expansion this call is
 */
export function expandTokens(input: readonly PPToken[], table: MacroTable, fail: ExpansionFailure, depth = 0): PPToken[] {
  if (depth > MAX_ARGUMENT_DEPTH) fail(`macro arguments nested more than ${MAX_ARGUMENT_DEPTH} deep`);
  // A stack holding the input reversed: replacements are pushed back so they are rescanned first.
  const stack = input.slice().reverse();
  const out: PPToken[] = [];
  while (stack.length > 0) {
    const t = stack.pop()!;
    const macro = t.kind === 'ident' ? table.get(t.text) : undefined;
    if (macro === undefined || t.hide?.has(macro.name)) {
      out.push(t);
      continue;
    }
    if (macro.params === null) {
      pushReversed(stack, substitute(macro, [], t, table, fail, depth));
      continue;
    }
    const skipped: PPToken[] = [];
    while (stack.length > 0 && stack[stack.length - 1]!.kind === 'space') skipped.push(stack.pop()!);
    if (!isPunct(stack[stack.length - 1], '(')) {
      // A function-like macro name without arguments is just a name.
      out.push(t);
      for (let k = skipped.length - 1; k >= 0; k--) stack.push(skipped[k]!);
      continue;
    }
    stack.pop();
    const args = collectArguments(stack, macro.name, fail);
    pushReversed(stack, substitute(macro, checkArity(macro, args, fail), t, table, fail, depth));
  }
  return out;
}

function pushReversed(stack: PPToken[], tokens: readonly PPToken[]): void {
  for (let k = tokens.length - 1; k >= 0; k--) stack.push(tokens[k]!);
}

/** Pops the arguments of an invocation whose '(' was just consumed, up to the matching ')'. */
function collectArguments(stack: PPToken[], name: string, fail: ExpansionFailure): PPToken[][] {
  const args: PPToken[][] = [];
  let current: PPToken[] = [];
  let depth = 1;
  for (;;) {
    const a = stack.pop();
    if (a === undefined) fail(`unterminated argument list invoking macro "${name}"`);
    if (isPunct(a, '(')) depth++;
    else if (isPunct(a, ')')) {
      depth--;
      if (depth === 0) {
        args.push(current);
        return args;
      }
    } else if (isPunct(a, ',') && depth === 1) {
      args.push(current);
      current = [];
      continue;
    }
    current.push(a);
  }
}

function checkArity(macro: Macro, args: PPToken[][], fail: ExpansionFailure): PPToken[][] {
  const params = macro.params!;
  // `F()` passes no argument to a macro without parameters.
  if (params.length === 0 && args.length === 1 && trimSpaces(args[0]!).length === 0) return [];
  const fixed = macro.variadic ? params.length - 1 : params.length;
  if (args.length < fixed) {
    fail(`macro "${macro.name}" requires ${fixed} argument${fixed === 1 ? '' : 's'}, but only ${args.length} given`);
  }
  if (!macro.variadic && args.length > fixed) {
    fail(`macro "${macro.name}" passed ${args.length} arguments, but takes just ${fixed}`);
  }
  if (macro.variadic) {
    // Everything from the variadic position on, commas included, is __VA_ARGS__.
    const rest: PPToken[] = [];
    for (let k = fixed; k < args.length; k++) {
      if (k > fixed) rest.push({ kind: 'punct', text: ',', pos: 0 });
      rest.push(...args[k]!);
    }
    return [...args.slice(0, fixed), rest];
  }
  return args;
}

interface Piece {
  readonly token: PPToken;
  /** Whether the token is the macro's own `##` (a `##` passed in an argument does not paste). */
  readonly pasteOperator: boolean;
}

/** The replacement list of one invocation with arguments substituted, `#` and `##` applied, hide sets set. */
function substitute(
  macro: Macro,
  args: readonly PPToken[][],
  invocation: PPToken,
  table: MacroTable,
  fail: ExpansionFailure,
  depth: number,
): PPToken[] {
  const body = macro.body;
  const params = macro.params ?? [];
  const pieces: Piece[] = [];
  const neighbour = (i: number, step: number): PPToken | undefined => {
    let k = i + step;
    while (k >= 0 && k < body.length && body[k]!.kind === 'space') k += step;
    return body[k];
  };
  for (let i = 0; i < body.length; i++) {
    const tok = body[i]!;
    if (macro.params !== null && isPunct(tok, '#')) {
      const next = neighbour(i, 1);
      const k = next !== undefined && next.kind === 'ident' ? params.indexOf(next.text) : -1;
      if (k >= 0) {
        pieces.push({ token: stringify(args[k]!), pasteOperator: false });
        i = body.indexOf(next!, i);
        continue;
      }
    }
    const k = tok.kind === 'ident' ? params.indexOf(tok.text) : -1;
    if (k >= 0) {
      const pasted = isPunct(neighbour(i, -1), '##') || isPunct(neighbour(i, 1), '##');
      const arg = trimSpaces(args[k]!);
      const tokens = pasted ? arg : trimSpaces(expandTokens(arg, table, fail, depth + 1));
      if (tokens.length === 0) pieces.push({ token: { kind: 'placemarker', text: '', pos: 0 }, pasteOperator: false });
      for (const t of tokens) pieces.push({ token: t, pasteOperator: false });
      continue;
    }
    pieces.push({ token: tok, pasteOperator: isPunct(tok, '##') });
  }
  const pasted = applyPastes(pieces);
  // The expansion is hidden from this macro and from whatever its invocation was hidden from.
  const hide = new Set(invocation.hide ?? []);
  hide.add(invocation.text);
  const result: PPToken[] = [];
  for (const t of pasted) {
    if (t.kind === 'placemarker') continue;
    result.push({ ...t, hide: t.hide === undefined ? hide : new Set([...t.hide, ...hide]) });
  }
  return result;
}

function applyPastes(pieces: readonly Piece[]): PPToken[] {
  const out: PPToken[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (!p.pasteOperator) {
      out.push(p.token);
      continue;
    }
    while (out.length > 0 && out[out.length - 1]!.kind === 'space') out.pop();
    const left = out.pop();
    let j = i + 1;
    while (j < pieces.length && pieces[j]!.token.kind === 'space') j++;
    const right = pieces[j]?.token;
    i = j;
    const text = (left?.text ?? '') + (right?.text ?? '');
    if (text === '') {
      out.push({ kind: 'placemarker', text: '', pos: 0 });
      continue;
    }
    for (const t of lexPP(text)) out.push({ ...t, pos: left?.pos ?? 0 });
  }
  return out;
}

/** The `#arg` string: argument text with spaces collapsed, quotes and backslashes of literals escaped. */
function stringify(arg: readonly PPToken[]): PPToken {
  const escaped = arg.map((t) =>
    t.kind === 'string' || t.kind === 'char' ? { ...t, text: t.text.replace(/[\\"]/g, (c) => '\\' + c) } : t,
  );
  return { kind: 'string', text: `"${tokensToText(escaped)}"`, pos: 0 };
}
