/**
 * The one error type the device-tree reader throws: every problem in a source names the file, line
 * and column where it was found and says what was expected there.
 */

/** A place in a source file: 1-based line and column (columns count characters, a tab is one). */
export interface SourceLocation {
  /** Path of the file as it was opened (the main file as given, includes as found on the search path). */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column number. */
  readonly column: number;
}

/** Formats a location the way compilers do: `file:line:column`. */
export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * A problem in a device-tree source (syntax, preprocessor, include, reference or value error).
 *
 * `message` is the bare description; `toString()` and {@link DtsError.formatted} prefix it with
 * `file:line:column` as command-line tools print it.
 */
export class DtsError extends Error {
  override readonly name = 'DtsError';
  /** File in which the problem was found. */
  readonly file: string;
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;

  /**
   * @param location where the problem is
   * @param message what is wrong / what was expected, without the location prefix
   */
  constructor(location: SourceLocation, message: string) {
    super(message);
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    // Make uncaught errors show where they happened, not only what.
    this.stack = `DtsError: ${this.formatted}\n${(this.stack ?? '').split('\n').slice(1).join('\n')}`;
  }

  /** The location of the problem as a value. */
  get location(): SourceLocation {
    return { file: this.file, line: this.line, column: this.column };
  }

  /** `file:line:column: message`. */
  get formatted(): string {
    return `${formatLocation(this)}: ${this.message}`;
  }

  override toString(): string {
    return this.formatted;
  }
}
