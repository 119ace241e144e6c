/**
 * A source file held in memory, with the line-start table that turns a character offset into a
 * line and column.
 */

import type { SourceLocation } from './errors.js';

/** The text of one file that took part in a parse, and how to locate offsets in it. */
export class SourceFile {
  private lineStarts: number[] | undefined;

  /**
   * @param path the path the file was opened by (used in locations)
   * @param text its whole content
   */
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  /** Line and column (both 1-based) of a character offset; offsets past the end clamp to the end. */
  locate(offset: number): SourceLocation {
    const starts = this.starts();
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.path, line: lo + 1, column: at - starts[lo]! + 1 };
  }

  private starts(): number[] {
    if (this.lineStarts === undefined) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}
