/** Property-based robustness: mangled sources either parse (and round-trip) or raise a located DtsError, never a raw JavaScript error. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTrees, DtsError, parseDts, printDts } from '../../../src/board/dts/index.js';

/** A source using most of the syntax, to mutate. */
const SEED = `/dts-v1/;
/memreserve/ 0x1000 (4096 * 2);
#define IRQ(n) ((n) + 16)
#define FLAG 1
/ {
	#address-cells = <1>;
	model = "board\\tone", "x";
	a: b: node@10 {
		reg = <0x10 4>;
		bytes = [00 11 2233];
		wide = /bits/ 64 <0x123456789>;
#if defined(FLAG) && FLAG > 0
		irq = <IRQ(3) (-1) 'a'>;
#else
		irq = <0>;
#endif
		ref = <&c 1>, <&{/other}>;
		path = &c;
	};
	c: other {
		/delete-property/ nothing;
		flag;
	};
	d: doomed { };
};
&a {
	extra = "y";
	/delete-node/ gone;
};
/delete-node/ &d;
/ { c2: other { }; };
`;

const FRAGMENTS = ['{', '}', ';', '<', '>', '[', ']', '(', ')', '"', "'", '&', '&{/', ':', '=', ',', '/', '*', '#', '\\', '\n',
  '/dts-v1/', '/delete-node/', '/delete-property/', '/bits/ ', '/memreserve/', '/include/ ', '#if ', '#endif', '#define X(',
  '0x', '08', '1', '-', 'lbl:', '&lbl', 'name@1', '/*', '*/', '//', 'defined(', '\u00e9', '\0'];

const mutated = fc
  .tuple(
    fc.array(
      fc.record({ at: fc.nat(), cut: fc.nat({ max: 12 }), insert: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 3 }) }),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([edits]) => {
    let s = SEED;
    for (const e of edits) {
      const at = e.at % (s.length + 1);
      s = s.slice(0, at) + e.insert.join('') + s.slice(at + e.cut);
    }
    return s;
  });

const soup = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom(' ', 'a', 'x1', '0', '"s"', '<1>', 'n {', '};')), { maxLength: 40 })
  .map((parts) => '/dts-v1/;\n' + parts.join(''));

function parse(source: string) {
  return parseDts(source, { file: 'fuzz.dts', includeDirs: [], readFile: () => undefined });
}

describe('bad input never crashes with a raw JavaScript error', () => {
  it('the seed itself parses and round-trips', () => {
    const tree = parse(SEED);
    expect(compareTrees(tree, parse(printDts(tree)))).toEqual([]);
  });

  it('random edits of a source either parse (and round-trip) or throw a located DtsError', () => {
    fc.assert(
      fc.property(mutated, (source) => {
        let tree;
        try {
          tree = parse(source);
        } catch (e) {
          if (!(e instanceof DtsError)) throw e;
          expect(e.line).toBeGreaterThan(0);
          expect(e.column).toBeGreaterThan(0);
          return;
        }
        const printed = printDts(tree);
        expect(compareTrees(tree, parse(printed))).toEqual([]);
      }),
      { numRuns: 1500, seed: 20261125 },
    );
  });

  it('random token soup either parses or throws a located DtsError', () => {
    fc.assert(
      fc.property(soup, (source) => {
        try {
          parse(source);
        } catch (e) {
          if (!(e instanceof DtsError)) throw e;
        }
      }),
      { numRuns: 1500, seed: 11 },
    );
  });
});
