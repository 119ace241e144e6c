/**
 * The C preprocessor pass (as `cpp -x assembler-with-cpp -undef` runs it before dtc) combined with
 * dtc's own `/include/`: directives, conditionals, macro expansion and both kinds of include, giving
 * one text that still maps every character back to its file, line and column.
 */

import { DtsError } from '../errors.js';
import { findInclude, type IncludeKind, type ReadFile } from '../include-resolver.js';
import { MappedTextBuilder, type MappedText } from '../mapped-text.js';
import { SourceFile } from '../source-file.js';
import { blankComments, literalEnd } from './comments.js';
import { evaluateIfExpression } from './if-expression.js';
import { parseDefine } from './define-directive.js';
import { expandTokens, MacroTable } from './macros.js';
import { isDigit, isIdentChar, isIdentStart, lexPP, ppNumberEnd, PPCursor, tokensToText, type PPToken } from './pp-tokens.js';

/** Options of a preprocessing run. */
export interface PreprocessOptions {
  /** Directories searched for includes, in order (cpp's -I, dtc's -i). */
  readonly includeDirs: readonly string[];
  /** How files are read. */
  readonly readFile: ReadFile;
  /** Macros defined before the first line, like cpp's -D NAME=VALUE (value '' defines it empty). */
  readonly defines?: Readonly<Record<string, string>>;
}

/** dtc refuses deeper nesting than this; so do we, which also stops include loops. */
const MAX_INCLUDE_DEPTH = 200;

const CONDITIONALS = new Set(['if', 'ifdef', 'ifndef', 'elif', 'else', 'endif']);
const DIRECTIVES = new Set([
  ...CONDITIONALS,
  'define',
  'undef',
  'include',
  'include_next',
  'import',
  'error',
  'warning',
  'pragma',
  'line',
  'ident',
  'sccs',
  'assert',
  'unassert',
]);

/**
 * Whether a line starting with `text` (a name such as `#if-x`) would be taken as a preprocessor
 * directive: a known directive name or a line marker (`#12`); other `#` names, like
 * `#address-cells`, stay text.
 */
export function looksLikeDirective(text: string): boolean {
  const m = /^#[ \t]*([A-Za-z0-9_]*)/.exec(text);
  if (m === null) return false;
  const name = m[1]!;
  return DIRECTIVES.has(name) || (name !== '' && isDigit(name.charCodeAt(0)));
}

/** One open `#if` group. */
interface Conditional {
  readonly directive: string;
  /** Offset of the opening directive, for "unterminated #if". */
  readonly pos: number;
  /** Whether the enclosing group is live. */
  readonly parentActive: boolean;
  /** Whether the current branch is live (implies parentActive). */
  active: boolean;
  /** Whether some branch of the group has been taken already. */
  taken: boolean;
  sawElse: boolean;
}

/** Runs the preprocessor over `main` and everything it includes. */
export function preprocess(main: SourceFile, options: PreprocessOptions): MappedText {
  const pp = new Preprocessor(options);
  pp.defineFromOptions();
  pp.processFile(main);
  return pp.result();
}

class Preprocessor {
  private readonly macros = new MacroTable();
  private readonly out = new MappedTextBuilder();
  private readonly fileCache = new Map<string, string | undefined>();
  private depth = 0;

  constructor(private readonly options: PreprocessOptions) {}

  result(): MappedText {
    return this.out.build();
  }

  /** Defines the -D style macros of the options (problems are reported in `<command-line>`). */
  defineFromOptions(): void {
    for (const [name, value] of Object.entries(this.options.defines ?? {})) {
      const text = `${name} ${value}`;
      this.define(new SourceFile('<command-line>', text), text, 0, text.length);
    }
  }

  /** Preprocesses one file, appending its output. */
  processFile(file: SourceFile): void {
    const blanked = blankComments(file.text);
    if ('unterminatedCommentAt' in blanked) {
      this.fail(file, blanked.unterminatedCommentAt, "unterminated comment: '/*' without a closing '*/'");
    }
    const { text, joinedNewlines } = blanked;
    const conds: Conditional[] = [];
    const n = text.length;
    let runStart = -1;
    let pos = 0;
    let continuesPrevious = false;
    while (pos < n) {
      let eol = text.indexOf('\n', pos);
      if (eol === -1) eol = n;
      const lineStart = pos;
      let k = lineStart;
      while (k < eol && (text[k] === ' ' || text[k] === '\t')) k++;
      if (!continuesPrevious && text[k] === '#') {
        let m = k + 1;
        while (m < eol && (text[m] === ' ' || text[m] === '\t')) m++;
        let nameEnd = m;
        while (nameEnd < eol && isIdentChar(text.charCodeAt(nameEnd))) nameEnd++;
        const name = text.slice(m, nameEnd);
        const isNull = name === '' && text.slice(m, eol).trim() === '';
        const isLineMarker = name !== '' && isDigit(name.charCodeAt(0));
        if (DIRECTIVES.has(name) || isNull || isLineMarker) {
          let end = eol;
          while (end < n && joinedNewlines.has(end)) {
            end = text.indexOf('\n', end + 1);
            if (end === -1) end = n;
          }
          if (runStart >= 0) this.processText(file, text, runStart, lineStart);
          runStart = -1;
          if (!isNull && !isLineMarker) this.directive(file, text, name, k, nameEnd, end, conds);
          pos = end + 1;
          continuesPrevious = false;
          continue;
        }
      }
      const active = conds.length === 0 || conds[conds.length - 1]!.active;
      if (active && runStart < 0) runStart = lineStart;
      continuesPrevious = joinedNewlines.has(eol);
      pos = eol + 1;
    }
    if (runStart >= 0) this.processText(file, text, runStart, n);
    const open = conds[conds.length - 1];
    if (open !== undefined) this.fail(file, open.pos, `unterminated #${open.directive}: no matching #endif before the end of the file`);
  }

  private directive(
    file: SourceFile,
    text: string,
    name: string,
    hashPos: number,
    argStart: number,
    end: number,
    conds: Conditional[],
  ): void {
    const top = conds[conds.length - 1];
    const active = top === undefined || top.active;
    if (CONDITIONALS.has(name)) {
      this.conditional(file, text, name, hashPos, argStart, end, conds, top, active);
      return;
    }
    if (!active) return;
    switch (name) {
      case 'define':
        this.define(file, text, argStart, end);
        return;
      case 'undef': {
        const macroName = this.macroNameArgument(file, text, argStart, end, hashPos, 'undef');
        this.macros.undefine(macroName);
        return;
      }
      case 'include':
        this.hashInclude(file, text, hashPos, argStart, end);
        return;
      case 'error':
        return this.fail(file, hashPos, `#error ${text.slice(argStart, end).trim()}`);
      case 'warning':
      case 'pragma':
      case 'line':
      case 'ident':
      case 'sccs':
        return;
      default:
        this.fail(file, hashPos, `the #${name} directive is not supported`);
    }
  }

  private conditional(
    file: SourceFile,
    text: string,
    name: string,
    hashPos: number,
    argStart: number,
    end: number,
    conds: Conditional[],
    top: Conditional | undefined,
    active: boolean,
  ): void {
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let value = false;
        if (active) {
          if (name === 'if') value = this.ifExpression(file, text, hashPos, argStart, end);
          else {
            const defined = this.macros.has(this.macroNameArgument(file, text, argStart, end, hashPos, name));
            value = name === 'ifdef' ? defined : !defined;
          }
        }
        conds.push({ directive: name, pos: hashPos, parentActive: active, active: value, taken: value || !active, sawElse: false });
        return;
      }
      case 'elif': {
        if (top === undefined) this.fail(file, hashPos, '#elif without #if');
        if (top.sawElse) this.fail(file, hashPos, '#elif after #else');
        if (top.taken) top.active = false;
        else {
          top.active = this.ifExpression(file, text, hashPos, argStart, end);
          top.taken = top.active;
        }
        return;
      }
      case 'else':
        if (top === undefined) this.fail(file, hashPos, '#else without #if');
        if (top.sawElse) this.fail(file, hashPos, '#else after #else');
        top.sawElse = true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        return;
      case 'endif':
        if (top === undefined) this.fail(file, hashPos, '#endif without #if');
        conds.pop();
        return;
    }
  }

  private ifExpression(file: SourceFile, text: string, hashPos: number, argStart: number, end: number): boolean {
    const tokens = lexPP(text, argStart, end);
    return evaluateIfExpression(tokens, this.macros, hashPos, (pos, message) => this.fail(file, pos, message));
  }

  private macroNameArgument(file: SourceFile, text: string, argStart: number, end: number, hashPos: number, directive: string): string {
    const tokens = lexPP(text, argStart, end).filter((t) => t.kind !== 'space');
    const first = tokens[0];
    if (first === undefined) this.fail(file, hashPos, `no macro name given in #${directive} directive`);
    if (first.kind !== 'ident') this.fail(file, first.pos, `macro names must be identifiers, found '${first.text}'`);
    return first.text;
  }

  /** Parses `NAME body` or `NAME(params) body` from `text[start, end)` and defines it. */
  private define(file: SourceFile, text: string, start: number, end: number): void {
    this.macros.define(parseDefine(lexPP(text, start, end), start, (pos, message) => this.fail(file, pos, message)));
  }

  private hashInclude(file: SourceFile, text: string, hashPos: number, argStart: number, end: number): void {
    let spec = text.slice(argStart, end);
    let m = /^\s*(?:"([^"\n]*)"|<([^>\n]*)>)\s*$/.exec(spec);
    if (m === null) {
      // A computed include: macro-expand the line and look again.
      const expanded = expandTokens(lexPP(text, argStart, end), this.macros, (msg) => this.fail(file, hashPos, msg));
      spec = tokensToText(expanded);
      m = /^\s*(?:"([^"\n]*)"|<([^>\n]*)>)\s*$/.exec(spec);
    }
    if (m === null) this.fail(file, hashPos, '#include expects "FILENAME" or <FILENAME>');
    const quoted = m[1] !== undefined;
    this.include((quoted ? m[1] : m[2])!, quoted ? 'quoted' : 'angled', file, hashPos);
  }

  private include(name: string, kind: IncludeKind, from: SourceFile, pos: number): void {
    if (name === '') this.fail(from, pos, 'empty file name in include');
    if (this.depth >= MAX_INCLUDE_DEPTH) this.fail(from, pos, `includes nested more than ${MAX_INCLUDE_DEPTH} deep (does a file include itself?)`);
    const search = findInclude(name, kind, from.path, this.options.includeDirs, (p) => this.read(p));
    if (search.found === undefined) {
      const shown = kind === 'quoted' ? `"${name}"` : `<${name}>`;
      const where =
        search.searched.length === 0 ? 'no include directories were given (-I)' : `searched: ${search.searched.join(', ')}`;
      this.fail(from, pos, `cannot find include file ${shown} (${where})`);
    }
    this.depth++;
    this.processFile(new SourceFile(search.found.path, search.found.text));
    this.depth--;
    // Keep the included text from running into what follows the include.
    this.out.appendSynthetic('\n', from, pos);
  }

  private read(p: string): string | undefined {
    if (!this.fileCache.has(p)) this.fileCache.set(p, this.options.readFile(p));
    return this.fileCache.get(p);
  }

  /** Copies text lines `[start, end)` to the output, expanding macros and following `/include/`. */
  private processText(file: SourceFile, text: string, start: number, end: number): void {
    let flushed = start;
    let p = start;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (isIdentStart(c)) {
        const identStart = p;
        p++;
        while (p < end && isIdentChar(text.charCodeAt(p))) p++;
        if (!this.macros.has(text.slice(identStart, p))) continue;
        const expansion = this.expandAt(file, text, identStart, p, end);
        if (expansion === undefined) continue;
        this.out.appendVerbatim(file, text, flushed, identStart);
        this.emitExpansion(expansion.text, file, identStart, text.charCodeAt(expansion.end));
        p = flushed = expansion.end;
        continue;
      }
      if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(p + 1)))) {
        p = ppNumberEnd(text, p, end);
        continue;
      }
      if (c === 0x22 || c === 0x27) {
        p = literalEnd(text, p);
        continue;
      }
      if (c === 0x2f && text.startsWith('/include/', p)) {
        this.out.appendVerbatim(file, text, flushed, p);
        const directivePos = p;
        p += '/include/'.length;
        while (p < end && /\s/.test(text[p]!)) p++;
        const close = text[p] === '"' ? literalEnd(text, p) : p;
        if (close <= p + 1) this.fail(file, directivePos, 'expected a quoted file name after /include/');
        this.include(text.slice(p + 1, close - 1), 'quoted', file, directivePos);
        p = flushed = close;
        continue;
      }
      p++;
    }
    this.out.appendVerbatim(file, text, flushed, end);
  }

  /**
   * Expands the macro named at `[identStart, identEnd)`; undefined when it is a function-like macro
   * not followed by '(' (then it is an ordinary word).
   */
  private expandAt(file: SourceFile, text: string, identStart: number, identEnd: number, end: number): { text: string; end: number } | undefined {
    const name = text.slice(identStart, identEnd);
    const fail = (message: string): never => this.fail(file, identStart, message);
    let tokens: PPToken[] = [{ kind: 'ident', text: name, pos: identStart }];
    let stop = identEnd;
    if (this.macros.get(name)!.params !== null) {
      const args = this.readInvocation(text, identEnd, end, name, fail);
      if (args === undefined) return undefined;
      tokens = tokens.concat(args.tokens);
      stop = args.end;
    }
    for (;;) {
      const expanded = expandTokens(tokens, this.macros, fail);
      // A result ending in a function-like macro name takes its arguments from the text that follows.
      let last = expanded.length - 1;
      while (last >= 0 && expanded[last]!.kind === 'space') last--;
      const tail = expanded[last];
      const tailMacro = tail?.kind === 'ident' ? this.macros.get(tail.text) : undefined;
      if (tail !== undefined && tailMacro?.params != null && !tail.hide?.has(tail.text)) {
        const more = this.readInvocation(text, stop, end, tail.text, fail);
        if (more !== undefined) {
          tokens = expanded.concat(more.tokens);
          stop = more.end;
          continue;
        }
      }
      return { text: tokensToText(expanded), end: stop };
    }
  }

  /** Reads `( … )` after a function-like macro name, across lines; undefined if no '(' follows. */
  private readInvocation(
    text: string,
    from: number,
    end: number,
    name: string,
    fail: (message: string) => never,
  ): { tokens: PPToken[]; end: number } | undefined {
    const cursor = new PPCursor(text, from, end);
    const tokens: PPToken[] = [];
    let t = cursor.next();
    while (t !== undefined && t.kind === 'space') {
      tokens.push(t);
      t = cursor.next();
    }
    if (t === undefined || t.kind !== 'punct' || t.text !== '(') return undefined;
    let depth = 0;
    for (; t !== undefined; t = cursor.next()) {
      tokens.push(t);
      if (t.kind !== 'punct') continue;
      if (t.text === '(') depth++;
      else if (t.text === ')' && --depth === 0) return { tokens, end: cursor.pos };
    }
    fail(`unterminated argument list invoking macro "${name}"`);
  }

  /** Appends an expansion, with spaces where it would otherwise glue onto a neighbouring word. */
  private emitExpansion(expansion: string, file: SourceFile, pos: number, nextChar: number): void {
    if (expansion === '') {
      this.out.appendSynthetic(' ', file, pos);
      return;
    }
    let s = expansion;
    const prev = this.out.last;
    if (prev !== '' && isIdentChar(prev.charCodeAt(0)) && isIdentChar(s.charCodeAt(0))) s = ' ' + s;
    if (isIdentChar(s.charCodeAt(s.length - 1)) && isIdentChar(nextChar)) s += ' ';
    this.out.appendSynthetic(s, file, pos);
  }

  private fail(file: SourceFile, offset: number, message: string): never {
    throw new DtsError(file.locate(offset), message);
  }
}
