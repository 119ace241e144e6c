/** A table of bad sources: each must raise a DtsError naming file, line, column and what was expected. */

import { describe, expect, it } from 'vitest';
import { DtsError, parseDts } from '../../../src/board/dts/index.js';

/** A bad input, and where and what the error must say. */
interface BadInput {
  readonly name: string;
  readonly source: string;
  readonly files?: Record<string, string>;
  readonly includeDirs?: string[];
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  readonly message: string | RegExp;
}

const MAIN = '/src/board.dts';
const V1 = '/dts-v1/;\n';

const cases: BadInput[] = [
  {
    name: 'unterminated string',
    source: `${V1}/ {\n\tmodel = "abc;\n};\n`,
    line: 3,
    column: 10,
    message: `unterminated string: missing closing '"' on this line`,
  },
  {
    name: 'missing semicolon after a property',
    source: `${V1}/ {\n\ta = <1>\n\tb = <2>;\n};\n`,
    line: 4,
    column: 2,
    message: "expected ',' or ';' after the value of property 'a', found 'b'",
  },
  {
    name: 'missing semicolon after a boolean property',
    source: `${V1}/ {\n\tflag\n\tb = <2>;\n};\n`,
    line: 4,
    column: 2,
    message: "expected '=', ';' or '{' after 'flag', found 'b'",
  },
  {
    name: 'missing semicolon after a node',
    source: `${V1}/ {\n\tn { }\n\tm { };\n};\n`,
    line: 4,
    column: 2,
    message: "expected ';' after the '}' that closes node 'n', found 'm'",
  },
  {
    name: 'reference to an unknown label in cells',
    source: `${V1}/ {\n\tp = <&nowhere>;\n};\n`,
    line: 3,
    column: 7,
    message: "reference to non-existent node or label 'nowhere'",
  },
  {
    name: 'path reference to an unknown node outside cells',
    source: `${V1}/ {\n\tp = &{/nope};\n};\n`,
    line: 3,
    column: 6,
    message: "reference to non-existent node or label '/nope'",
  },
  {
    name: 'bad /bits/ width',
    source: `${V1}/ {\n\tp = /bits/ 12 <1>;\n};\n`,
    line: 3,
    column: 13,
    message: "/bits/ must be followed by 8, 16, 32 or 64, found '12'",
  },
  {
    name: 'value too wide for /bits/ 8',
    source: `${V1}/ {\n\tp = /bits/ 8 <256>;\n};\n`,
    line: 3,
    column: 16,
    message: 'value 0x100 does not fit in 8 bits',
  },
  {
    name: 'value too wide for a 32-bit cell',
    source: `${V1}/ { p = <0x100000000>; };\n`,
    line: 2,
    column: 10,
    message: 'value 0x100000000 does not fit in 32 bits',
  },
  {
    name: 'reference in a /bits/ 16 list',
    source: `${V1}/ { p = /bits/ 16 <&a>; a: a { }; };\n`,
    line: 2,
    column: 20,
    message: 'references are only allowed in cell lists of 32-bit elements, not in /bits/ 16',
  },
  {
    name: 'unbalanced braces: node never closed',
    source: `${V1}/ {\n\tnode {\n\t\tp = <1>;\n\t};\n`,
    line: 2,
    column: 3,
    message: "node '/' is not closed: missing '}' before the end of the input",
  },
  {
    name: 'unbalanced braces: one } too many',
    source: `${V1}/ { };\n};\n`,
    line: 3,
    column: 1,
    message: "expected '/ {', '&label {', '&{/path} {' or '/delete-node/ &label;' at top level, found '}'",
  },
  {
    name: 'bad cell expression',
    source: `${V1}/ {\n\tp = <(1 + )>;\n};\n`,
    line: 3,
    column: 12,
    message: "expected a number, a character literal or '(' in an expression, found ')'",
  },
  {
    name: 'missing ) in a cell expression',
    source: `${V1}/ { p = <(1 + 2 3>; };\n`,
    line: 2,
    column: 17,
    message: "expected ')' to close the expression, found '3'",
  },
  {
    name: 'division by zero',
    source: `${V1}/ {\n\tp = <(1 / 0)>;\n};\n`,
    line: 3,
    column: 10,
    message: 'division by zero in expression',
  },
  {
    name: 'negative value without parentheses',
    source: `${V1}/ { p = <-1>; };\n`,
    line: 2,
    column: 10,
    message: "a negative cell value must be written in parentheses, e.g. '(-1)'",
  },
  {
    name: 'bad octal literal',
    source: `${V1}/ { p = <08>; };\n`,
    line: 2,
    column: 10,
    message: "bad integer literal '08'",
  },
  {
    name: 'undefined macro left in a cell list',
    source: `${V1}/ { gpios = <1 GPIO_ACTIVE_LOW>; };\n`,
    line: 2,
    column: 16,
    message: /^unexpected 'GPIO_ACTIVE_LOW' in a cell list \(an undefined macro\?\)/,
  },
  {
    name: 'byte string with an odd digit',
    source: `${V1}/ { b = [00 1]; };\n`,
    line: 2,
    column: 13,
    message: "a byte string needs two hex digits per byte; '1' stands alone",
  },
  {
    name: 'include not found, with the directories searched',
    source: `${V1}/include/ "missing.dtsi"\n/ { };\n`,
    includeDirs: ['/inc1', '/inc2'],
    line: 2,
    column: 1,
    message: 'cannot find include file "missing.dtsi" (searched: /src, /inc1, /inc2)',
  },
  {
    name: '#include <…> not found searches only the include dirs',
    source: `${V1}#include <dt-bindings/gpio/gpio.h>\n/ { };\n`,
    includeDirs: ['/inc1'],
    line: 2,
    column: 1,
    message: 'cannot find include file <dt-bindings/gpio/gpio.h> (searched: /inc1)',
  },
  {
    name: 'unterminated #if',
    source: `${V1}#if 1\n/ { };\n`,
    line: 2,
    column: 1,
    message: 'unterminated #if: no matching #endif before the end of the file',
  },
  {
    name: '#else after #else',
    source: `${V1}#ifdef X\n#else\n#else\n#endif\n/ { };\n`,
    line: 4,
    column: 1,
    message: '#else after #else',
  },
  {
    name: 'macro called with too few arguments',
    source: `${V1}#define PAIR(a, b) a b\n/ { p = <PAIR(1)>; };\n`,
    line: 3,
    column: 10,
    message: 'macro "PAIR" requires 2 arguments, but only 1 given',
  },
  {
    name: 'macro called with too many arguments',
    source: `${V1}#define ONE(a) a\n/ { p = <ONE(1, 2)>; };\n`,
    line: 3,
    column: 10,
    message: 'macro "ONE" passed 2 arguments, but takes just 1',
  },
  {
    name: 'unterminated macro argument list',
    source: `${V1}#define F(x) x\n/ { p = <F(1>; };\n`,
    line: 3,
    column: 10,
    message: 'unterminated argument list invoking macro "F"',
  },
  {
    name: '#error',
    source: `${V1}  #error no board selected\n/ { };\n`,
    line: 2,
    column: 3,
    message: '#error no board selected',
  },
  {
    name: 'unterminated comment',
    source: `${V1}/* oops\n/ { };\n`,
    line: 2,
    column: 1,
    message: "unterminated comment: '/*' without a closing '*/'",
  },
  {
    name: 'not a /dts-v1/ source',
    source: `/ {\n};\n`,
    line: 1,
    column: 1,
    message: "expected '/dts-v1/;' at the start of the source (only version 1 device-tree sources are accepted), found '/'",
  },
  {
    name: '/plugin/ overlays are rejected',
    source: `${V1}/plugin/;\n&foo { };\n`,
    line: 2,
    column: 1,
    message: '/plugin/ (a device-tree overlay source) is not supported; only complete trees can be parsed',
  },
  {
    name: 'duplicate label on different nodes',
    source: `${V1}/ {\n\tx: a { };\n\tx: b { };\n};\n`,
    line: 4,
    column: 2,
    message: "duplicate label 'x': it is already on /a (at /src/board.dts:3:2)",
  },
  {
    name: '/delete-node/ of a missing label',
    source: `${V1}/ { };\n/delete-node/ &ghost;\n`,
    line: 3,
    column: 15,
    message: "label 'ghost' not found (labels used as '&ghost { … }' or in /delete-node/ must be defined earlier)",
  },
  {
    name: 'overlay of a label defined only later',
    source: `${V1}/ { };\n&later { };\n/ { later: n { }; };\n`,
    line: 3,
    column: 1,
    message: /^label 'later' not found/,
  },
  {
    name: 'overlay of a missing path',
    source: `${V1}/ { };\n&{/nope} { };\n`,
    line: 3,
    column: 1,
    message: "no node at path '/nope' (in the tree as defined so far)",
  },
  {
    name: 'reference to a label of a deleted node',
    source: `${V1}/ { p = <&a>; a: n { }; };\n/delete-node/ &a;\n`,
    line: 2,
    column: 10,
    message: "reference to non-existent node or label 'a'",
  },
  {
    name: 'property after a child node',
    source: `${V1}/ {\n\tn { };\n\tp = <1>;\n};\n`,
    line: 4,
    column: 2,
    message: "property 'p' comes after child node 'n' in node '/'; properties must come before child nodes",
  },
  {
    name: 'duplicate property in a new node',
    source: `${V1}/ {\n\tp = <1>;\n\tp = <2>;\n};\n`,
    line: 4,
    column: 2,
    message: "duplicate property 'p' in node / (first defined at /src/board.dts:3:2)",
  },
  {
    name: 'no root node',
    source: `${V1}`,
    line: 2,
    column: 1,
    message: "expected a root node '/ { … };' in the source",
  },
  {
    name: 'memreserve after the first node',
    source: `${V1}/ { };\n/memreserve/ 0 0x1000;\n`,
    line: 3,
    column: 1,
    message: "'/memreserve/' must come before the first node",
  },
  {
    name: 'bad phandle value',
    source: `${V1}/ { n { phandle = <0>; }; };\n`,
    line: 2,
    column: 9,
    message: 'bad value (0x0) in phandle property of /n',
  },
  {
    name: 'error inside an included file is located in that file',
    source: `${V1}/ {\n/include/ "part.dtsi"\n};\n`,
    files: { '/src/part.dtsi': '\tok = <1>;\n\tbad = <1\n};\n' },
    file: '/src/part.dtsi',
    line: 3,
    column: 1,
    message: "expected a number, a '(' expression, a &reference or '>' in a cell list, found '}'",
  },
  {
    name: 'error in a macro expansion is located at the macro',
    source: `${V1}#define BAD (1 / 0)\n/ {\n\tp = <BAD>;\n};\n`,
    line: 4,
    column: 7,
    message: 'division by zero in expression',
  },
  {
    name: '#include nested into itself',
    source: `${V1}#include "self.h"\n/ { };\n`,
    files: { '/src/self.h': '#include "self.h"\n' },
    file: '/src/self.h',
    line: 1,
    column: 1,
    message: 'includes nested more than 200 deep (does a file include itself?)',
  },
  {
    name: 'label with nothing after it',
    source: `${V1}/ { lbl: };\n`,
    line: 2,
    column: 10,
    message: "label 'lbl:' is not followed by a property or a node",
  },
  {
    name: 'expression nested too deeply (instead of a stack overflow)',
    source: `${V1}/ { p = <${'('.repeat(300)}1${')'.repeat(300)}>; };\n`,
    line: 2,
    column: 267,
    message: 'expression nested more than 256 deep',
  },
  {
    name: 'nodes nested too deeply (instead of a stack overflow)',
    source: `${V1}/ { ${'a { '.repeat(1200)}${'}; '.repeat(1200)}};\n`,
    line: 2,
    column: 4003,
    message: 'nodes nested more than 1000 deep',
  },
  {
    name: 'macro arguments nested too deeply (instead of a stack overflow)',
    source: `${V1}#define F(x) x\n/ { p = <${'F('.repeat(2000)}1${')'.repeat(2000)}>; };\n`,
    line: 3,
    column: 10,
    message: 'macro arguments nested more than 500 deep',
  },
];

function parse(c: BadInput): unknown {
  const files = c.files ?? {};
  return parseDts(c.source, { file: MAIN, includeDirs: c.includeDirs ?? [], readFile: (p) => files[p] });
}

describe('DTS errors name file:line:column and what was expected', () => {
  it('has at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const c of cases) {
    it(c.name, () => {
      let error: unknown;
      try {
        parse(c);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DtsError);
      const e = error as DtsError;
      if (typeof c.message === 'string') expect(e.message).toBe(c.message);
      else expect(e.message).toMatch(c.message);
      expect({ file: e.file, line: e.line, column: e.column }).toEqual({ file: c.file ?? MAIN, line: c.line, column: c.column });
      expect(String(e)).toBe(`${c.file ?? MAIN}:${c.line}:${c.column}: ${e.message}`);
    });
  }
});
