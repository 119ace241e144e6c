/**
 * First preprocessing pass over a file: blanks out comments (keeping every offset and newline in
 * place, so positions still match the file) and notes which newlines do not end a logical line.
 */

/** A file with its comments blanked. */
export interface BlankedText {
  /** Same length as the input; comment characters and line-continuation backslashes became spaces. */
  readonly text: string;
  /**
   * Offsets of newlines that do not end a logical line for a directive: escaped by a backslash,
   * or inside a block comment.
   */
  readonly joinedNewlines: ReadonlySet<number>;
}

/** Where a block comment was left open, if one was. */
export interface UnterminatedComment {
  readonly unterminatedCommentAt: number;
}

/**
 * Blanks `/* … *\/` and `// …` comments outside string and character literals (a literal must end on
 * its line; an unmatched quote is an ordinary character, as cpp treats it in assembler mode).
 */
export function blankComments(src: string): BlankedText | UnterminatedComment {
  const out: string[] = [];
  const joined = new Set<number>();
  let copied = 0;
  let i = 0;
  const n = src.length;
  const blank = (from: number, to: number): void => {
    out.push(src.slice(copied, from));
    out.push(src.slice(from, to).replace(/[^\n]/g, ' '));
    copied = to;
  };
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 0x2f /* / */) {
      const d = src.charCodeAt(i + 1);
      if (d === 0x2a /* * */) {
        const close = src.indexOf('*/', i + 2);
        if (close === -1) return { unterminatedCommentAt: i };
        for (let k = src.indexOf('\n', i); k !== -1 && k < close; k = src.indexOf('\n', k + 1)) joined.add(k);
        blank(i, close + 2);
        i = close + 2;
        continue;
      }
      if (d === 0x2f) {
        let eol = src.indexOf('\n', i);
        if (eol === -1) eol = n;
        blank(i, eol);
        i = eol;
        continue;
      }
      i++;
      continue;
    }
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      i = literalEnd(src, i);
      continue;
    }
    if (c === 0x5c /* \ */ && src.charCodeAt(i + 1) === 0x0a) {
      joined.add(i + 1);
      blank(i, i + 1);
      i += 2;
      continue;
    }
    if (c === 0x5c && src.charCodeAt(i + 1) === 0x0d && src.charCodeAt(i + 2) === 0x0a) {
      joined.add(i + 2);
      blank(i, i + 2);
      i += 3;
      continue;
    }
    i++;
  }
  out.push(src.slice(copied));
  return { text: out.join(''), joinedNewlines: joined };
}

/**
 * End offset (exclusive) of the quoted literal starting at `start`, or `start + 1` when the quote is
 * not closed on its line (then it is just a character).
 */
export function literalEnd(src: string, start: number): number {
  const quote = src.charCodeAt(start);
  let i = start + 1;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === 0x0a) break;
    if (c === 0x5c /* \ */) {
      if (src.charCodeAt(i + 1) === 0x0a) break;
      i += 2;
      continue;
    }
    i++;
  }
  return start + 1;
}
