/**
 * Preprocessed text that remembers where each character came from, so that a token found after
 * includes and macro expansion can still be reported at its file, line and column.
 */

import type { SourceLocation } from './errors.js';
import type { SourceFile } from './source-file.js';

/**
 * Text built from pieces of source files (copied verbatim) and synthetic pieces (macro expansions),
 * each mapped back to a source position. Verbatim pieces map character by character; a synthetic
 * piece maps as a whole to the place that produced it (the macro invocation).
 */
export class MappedText {
  /**
   * @param text the assembled text
   * @param segStart output offset where each segment starts (ascending)
   * @param segFile source file of each segment
   * @param segSource source offset of each segment's first character
   * @param segVerbatim whether the segment is a verbatim copy (maps per character)
   */
  constructor(
    readonly text: string,
    private readonly segStart: readonly number[],
    private readonly segFile: readonly SourceFile[],
    private readonly segSource: readonly number[],
    private readonly segVerbatim: readonly boolean[],
  ) {}

  /** Source file and offset of an output offset; offsets past the end map to just after the last piece. */
  sourceOf(pos: number): { file: SourceFile; offset: number } | undefined {
    const n = this.segStart.length;
    if (n === 0) return undefined;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segStart[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    const delta = pos - this.segStart[lo]!;
    const offset = this.segVerbatim[lo] ? this.segSource[lo]! + delta : this.segSource[lo]!;
    return { file: this.segFile[lo]!, offset };
  }

  /** The source location of an output offset. */
  locate(pos: number, fallback: SourceLocation): SourceLocation {
    const src = this.sourceOf(pos);
    return src === undefined ? fallback : src.file.locate(src.offset);
  }
}

/** Builds a {@link MappedText} piece by piece; adjacent verbatim pieces of one file are merged. */
export class MappedTextBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly segStart: number[] = [];
  private readonly segFile: SourceFile[] = [];
  private readonly segSource: number[] = [];
  private readonly segVerbatim: boolean[] = [];
  private lastChar = '';

  /** Copies `file.text[start, end)` (from `text`, which has the same offsets as the file). */
  appendVerbatim(file: SourceFile, text: string, start: number, end: number): void {
    if (end <= start) return;
    const n = this.segStart.length - 1;
    const contiguous =
      n >= 0 &&
      this.segVerbatim[n] &&
      this.segFile[n] === file &&
      this.segSource[n]! + (this.length - this.segStart[n]!) === start;
    if (!contiguous) this.push(file, start, true);
    this.addText(text.slice(start, end));
  }

  /** Adds generated text (a macro expansion) that maps as a whole to `file` at `offset`. */
  appendSynthetic(text: string, file: SourceFile, offset: number): void {
    if (text.length === 0) return;
    this.push(file, offset, false);
    this.addText(text);
  }

  /** The last character appended so far ('' if none). */
  get last(): string {
    return this.lastChar;
  }

  /** Finishes the text. */
  build(): MappedText {
    return new MappedText(this.parts.join(''), this.segStart, this.segFile, this.segSource, this.segVerbatim);
  }

  private push(file: SourceFile, offset: number, verbatim: boolean): void {
    this.segStart.push(this.length);
    this.segFile.push(file);
    this.segSource.push(offset);
    this.segVerbatim.push(verbatim);
  }

  private addText(s: string): void {
    this.parts.push(s);
    this.length += s.length;
    this.lastChar = s[s.length - 1]!;
  }
}
