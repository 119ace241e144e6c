/**
 * C integer constant expressions, as used inside parenthesised DTS cells (dtc: every value is an
 * unsigned 64-bit integer) and in `#if` lines (cpp: signed 64-bit unless a U suffix makes it unsigned).
 */

/** A token as the expression evaluator sees it. */
export type ExprToken =
  | { readonly kind: 'number'; readonly value: bigint; readonly unsigned: boolean; readonly pos: number }
  | { readonly kind: 'op'; readonly op: string; readonly pos: number }
  | { readonly kind: 'other'; readonly text: string; readonly pos: number };

/** Where the evaluator reads tokens from and how it reports a problem at a token position. */
export interface ExprSource {
  /** The next token, not consumed. */
  peek(): ExprToken;
  /** Consumes and returns the next token. */
  next(): ExprToken;
  /** Throws the caller's error type for a problem at `pos`. */
  fail(pos: number, message: string): never;
}

/** `dtc`: all arithmetic unsigned 64-bit, both sides of && || ?: evaluated. `cpp`: C's #if rules. */
export type ExprFlavour = 'dtc' | 'cpp';

/** A value with its C signedness. */
export interface ExprValue {
  /** Normalised: 0 … 2^64-1 when unsigned, -2^63 … 2^63-1 when signed. */
  readonly value: bigint;
  /** Whether the value has an unsigned type. */
  readonly unsigned: boolean;
}

const norm = (value: bigint, unsigned: boolean): ExprValue => ({
  value: unsigned ? BigInt.asUintN(64, value) : BigInt.asIntN(64, value),
  unsigned,
});

/** Binary operators by precedence level, loosest first (after ?: which is handled apart). */
const LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

/**
 * Parses and evaluates one conditional expression from `src`, stopping at the first token that
 * cannot continue it (the caller checks what that token is, e.g. the closing parenthesis).
 */
export function evaluateExpression(src: ExprSource, flavour: ExprFlavour): ExprValue {
  return new Evaluator(src, flavour).conditional(true);
}

/** Deeper nesting than this is refused instead of overflowing the JavaScript stack. */
const MAX_DEPTH = 256;

class Evaluator {
  private depth = 0;

  constructor(
    private readonly src: ExprSource,
    private readonly flavour: ExprFlavour,
  ) {}

  /** `live` is false inside the unevaluated side of a cpp && || ?: (no division-by-zero error there). */
  conditional(live: boolean): ExprValue {
    const at = this.src.peek().pos;
    if (++this.depth > MAX_DEPTH) this.src.fail(at, `expression nested more than ${MAX_DEPTH} deep`);
    try {
      return this.conditionalBody(live);
    } finally {
      this.depth--;
    }
  }

  private conditionalBody(live: boolean): ExprValue {
    const cond = this.binary(0, live);
    if (!this.isOp('?')) return cond;
    this.src.next();
    const lazy = this.flavour === 'cpp';
    const taken = cond.value !== 0n;
    const a = this.conditional(live && (taken || !lazy));
    const colon = this.src.peek();
    if (!this.isOp(':')) this.src.fail(colon.pos, `expected ':' in a conditional (?:) expression, found ${describe(colon)}`);
    this.src.next();
    const b = this.conditional(live && (!taken || !lazy));
    const unsigned = a.unsigned || b.unsigned;
    return norm(taken ? a.value : b.value, unsigned);
  }

  private binary(level: number, live: boolean): ExprValue {
    if (level >= LEVELS.length) return this.unary(live);
    const ops = LEVELS[level]!;
    let left = this.binary(level + 1, live);
    for (;;) {
      const t = this.src.peek();
      if (t.kind !== 'op' || !ops.includes(t.op)) return left;
      this.src.next();
      const lazy = this.flavour === 'cpp';
      let rightLive = live;
      if (lazy && t.op === '&&' && left.value === 0n) rightLive = false;
      if (lazy && t.op === '||' && left.value !== 0n) rightLive = false;
      const right = this.binary(level + 1, rightLive);
      left = this.apply(t.op, left, right, t.pos, rightLive);
    }
  }

  private apply(op: string, a: ExprValue, b: ExprValue, pos: number, live: boolean): ExprValue {
    const u = a.unsigned || b.unsigned;
    const x = u ? BigInt.asUintN(64, a.value) : a.value;
    const y = u ? BigInt.asUintN(64, b.value) : b.value;
    switch (op) {
      case '||':
        return this.bool(a.value !== 0n || b.value !== 0n);
      case '&&':
        return this.bool(a.value !== 0n && b.value !== 0n);
      case '|':
        return norm(x | y, u);
      case '^':
        return norm(x ^ y, u);
      case '&':
        return norm(x & y, u);
      case '==':
        return this.bool(x === y);
      case '!=':
        return this.bool(x !== y);
      case '<':
        return this.bool(x < y);
      case '>':
        return this.bool(x > y);
      case '<=':
        return this.bool(x <= y);
      case '>=':
        return this.bool(x >= y);
      case '+':
        return norm(x + y, u);
      case '-':
        return norm(x - y, u);
      case '*':
        return norm(x * y, u);
      case '/':
      case '%':
        if (y === 0n) {
          if (!live) return norm(0n, u);
          this.src.fail(pos, op === '/' ? 'division by zero in expression' : 'remainder by zero in expression');
        }
        return norm(op === '/' ? x / y : x % y, u);
      case '<<':
      case '>>': {
        // The result has the left operand's type; shifting by 64 or more gives 0 (or -1 for a negative >>).
        const count = BigInt.asUintN(64, b.value);
        const lv = a.value;
        if (count >= 64n) return norm(op === '>>' && lv < 0n ? -1n : 0n, a.unsigned);
        return norm(op === '<<' ? lv << count : lv >> count, a.unsigned);
      }
      default:
        this.src.fail(pos, `unknown operator '${op}'`);
    }
  }

  private unary(live: boolean): ExprValue {
    const t = this.src.peek();
    if (t.kind === 'op' && (t.op === '-' || t.op === '~' || t.op === '!' || t.op === '+')) {
      this.src.next();
      if (++this.depth > MAX_DEPTH) this.src.fail(t.pos, `expression nested more than ${MAX_DEPTH} deep`);
      const v = this.unary(live);
      this.depth--;
      if (t.op === '-') return norm(-v.value, v.unsigned);
      if (t.op === '~') return norm(~v.value, v.unsigned);
      if (t.op === '!') return this.bool(v.value === 0n);
      return v;
    }
    return this.primary(live);
  }

  private primary(live: boolean): ExprValue {
    const t = this.src.next();
    if (t.kind === 'number') return norm(t.value, t.unsigned || this.flavour === 'dtc');
    if (t.kind === 'op' && t.op === '(') {
      const v = this.conditional(live);
      const close = this.src.peek();
      if (!this.isOp(')')) this.src.fail(close.pos, `expected ')' to close the '(' of an expression, found ${describe(close)}`);
      this.src.next();
      return v;
    }
    this.src.fail(t.pos, `expected a number, a character literal or '(' in an expression, found ${describe(t)}`);
  }

  /** Truth values are C ints: signed in cpp, but every dtc value is unsigned. */
  private bool(b: boolean): ExprValue {
    return { value: b ? 1n : 0n, unsigned: this.flavour === 'dtc' };
  }

  private isOp(op: string): boolean {
    const t = this.src.peek();
    return t.kind === 'op' && t.op === op;
  }
}

/** How a token is named in a message. */
export function describe(t: ExprToken): string {
  if (t.kind === 'number') return `number ${t.value}`;
  if (t.kind === 'op') return `'${t.op}'`;
  return t.text === '' ? 'end of input' : `'${t.text}'`;
}
