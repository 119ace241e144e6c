/**
 * Reads the text of a `#define` directive: the macro name, the parameter list of a function-like
 * macro (a '(' right after the name, `...` for variadic ones) and the replacement list.
 */

import type { Macro } from './macros.js';
import type { PPToken } from './pp-tokens.js';

/** Reports a problem at an offset of the file holding the directive. */
export type DefineFailure = (pos: number, message: string) => never;

/**
 * The macro defined by `tokens` (the directive line after `#define`).
 * @param start offset of the line's start, for problems with no token to point at
 */
export function parseDefine(tokens: readonly PPToken[], start: number, fail: DefineFailure): Macro {
  let i = 0;
  const skip = (): void => {
    while (tokens[i]?.kind === 'space') i++;
  };
  const failAt = (t: PPToken | undefined, message: string): never => fail(t?.pos ?? start, message);
  skip();
  const nameTok = tokens[i];
  if (nameTok === undefined) return failAt(undefined, 'no macro name given in #define directive');
  if (nameTok.kind !== 'ident') failAt(nameTok, `macro names must be identifiers, found '${nameTok.text}'`);
  if (nameTok.text === 'defined') failAt(nameTok, '"defined" cannot be used as a macro name');
  i++;
  let params: string[] | null = null;
  let variadic = false;
  // Function-like only when '(' follows the name with no space between.
  if (tokens[i]?.kind === 'punct' && tokens[i]!.text === '(') {
    params = [];
    i++;
    for (;;) {
      skip();
      const t = tokens[i];
      if (t === undefined) return failAt(tokens[i - 1], "missing ')' in macro parameter list");
      if (t.kind === 'punct' && t.text === ')' && params.length === 0) break;
      if (t.kind === 'ident' && !variadic) {
        if (params.includes(t.text)) failAt(t, `duplicate macro parameter "${t.text}"`);
        params.push(t.text);
        i++;
      } else if (t.text === '.' && tokens[i + 1]?.text === '.' && tokens[i + 2]?.text === '.' && !variadic) {
        params.push('__VA_ARGS__');
        variadic = true;
        i += 3;
      } else {
        failAt(t, `expected a parameter name in macro parameter list, found '${t.text}'`);
      }
      skip();
      const sep = tokens[i];
      if (sep === undefined) return failAt(tokens[i - 1], "missing ')' in macro parameter list");
      if (sep.kind === 'punct' && sep.text === ')') break;
      if (sep.kind === 'punct' && sep.text === ',' && !variadic) {
        i++;
        continue;
      }
      failAt(sep, `expected ',' or ')' in macro parameter list, found '${sep.text}'`);
    }
    i++;
  }
  let a = i;
  let b = tokens.length;
  while (a < b && tokens[a]!.kind === 'space') a++;
  while (b > a && tokens[b - 1]!.kind === 'space') b--;
  const body = tokens.slice(a, b);
  const first = body[0];
  const last = body[body.length - 1];
  if (first?.text === '##' || last?.text === '##') {
    failAt(first?.text === '##' ? first : last, "'##' cannot appear at either end of a macro expansion");
  }
  return { name: nameTok.text, params, variadic, body };
}
