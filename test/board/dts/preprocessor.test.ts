/** The cpp pass: macros, conditionals, include search order and /include/, as cpp -x assembler-with-cpp and dtc do them. */

import { describe, expect, it } from 'vitest';
import { dts, hex, prop, propNames } from './helpers.js';

const V1 = '/dts-v1/;\n';
const str = (t: ReturnType<typeof dts>, path: string, name: string) => Buffer.from(prop(t, path, name).value).toString();

describe('C preprocessor as cpp -x assembler-with-cpp runs it', () => {
  it('expands object-like, function-like and nested macros; never inside strings', () => {
    const t = dts(`${V1}#define A 1
#define B (A + 1)
#define MK(row, col, code) ((((row) & 0xFF) << 24) | (((col) & 0xFF) << 16) | ((code) & 0xFFFF))
#define NAME "eth"
/ {
	a = <A B>;
	k = <MK(1, (2), 0x30)>;
	s = NAME, "A B";
};`);
    expect(hex(t, '/', 'a')).toBe('0000000100000002');
    expect(hex(t, '/', 'k')).toBe('01020030');
    expect(str(t, '/', 's')).toBe('eth\0A B\0');
  });

  it('supports # stringising, ## pasting and __VA_ARGS__', () => {
    const t = dts(`${V1}#define STR(x) #x
#define CAT(a, b) a##b
#define FIRST(x, ...) x
#define REST(x, ...) __VA_ARGS__
#define VSTR(...) #__VA_ARGS__
#define VAL_7 7
/ { s = STR(hello "w"), VSTR(a,  b); v = <CAT(VAL_, 7) CAT(0x, 10)>; f = <FIRST(1, 2, 3) REST(1, 2)>; };`);
    expect(str(t, '/', 's')).toBe('hello "w"\0a, b\0');
    expect(hex(t, '/', 'v')).toBe('0000000700000010');
    expect(hex(t, '/', 'f')).toBe('0000000100000002');
  });

  it('takes function-like arguments across lines, and a name produced by a macro takes its arguments from the text', () => {
    const t = dts(`${V1}#define ADD(a, b) ((a) + (b))
#define INDIRECT ADD
/ { v = <ADD(1,
              2) INDIRECT(3, 4)>;
    w = <9>; };`);
    expect(hex(t, '/', 'v')).toBe('0000000300000007');
    expect(prop(t, '/', 'w').source?.line).toBe(6);
  });

  it('handles #undef, #ifdef, #ifndef, #if/#elif/#else with defined() and arithmetic, and nesting', () => {
    const t = dts(`${V1}#define X 3
#define Y
#undef Y
/ {
#ifdef X
	a;
#endif
#ifndef Y
	b;
#endif
#if defined(X) && X * 2 == 6 && !defined Y
	c;
#elif 1
	bad1;
#else
	bad2;
#endif
#if 0
	#error not reached
#if 1
	bad3;
#endif
#elif (X > 5) || UNDEFINED_NAME
	bad4;
#else
	d;
#endif
};`);
    expect(propNames(t, '/')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('uses cpp signedness in #if (signed unless U), unlike dtc cells', () => {
    const t = dts(`${V1}/ {
#if -1 < 0
	signed;
#endif
#if -1 < 0U
	bad;
#endif
#if (0 && (1 / 0)) || 1
	lazy;
#endif
};`);
    expect(propNames(t, '/')).toEqual(['signed', 'lazy']);
  });

  it('leaves #address-cells and other non-directive # lines alone, joins continued #define lines', () => {
    const t = dts(`${V1}#define LONG (1 + \\
	2)
#define C /* comment
	spanning lines */ 5
/ {
	#address-cells = <LONG>;
	#size-cells = <C>;
};`);
    expect(hex(t, '/', '#address-cells')).toBe('00000003');
    expect(hex(t, '/', '#size-cells')).toBe('00000005');
  });

  it('searches #include "x" in the including file\'s directory first, then the include dirs; <x> only the include dirs', () => {
    const files = {
      '/b/local.h': '#define WHERE 1\n',
      '/inc/local.h': '#define WHERE 2\n',
      '/inc/dt-bindings/a.h': '#include "b.h"\n#define A_VAL (B_VAL + 1)\n',
      '/inc/dt-bindings/b.h': '#ifndef B_H\n#define B_H\n#define B_VAL 10\n#endif\n',
    };
    const t = dts(`${V1}#include "local.h"
#include <local.h>
#define FIRST WHERE
#include <dt-bindings/a.h>
#include <dt-bindings/b.h>
/ { w = <WHERE>; a = <A_VAL>; };`, files);
    expect(hex(t, '/', 'w')).toBe('00000002');
    expect(hex(t, '/', 'a')).toBe('0000000b');
  });

  it('follows /include/ anywhere, even inside a node, from the including file\'s directory first', () => {
    const files = {
      '/b/frag.dtsi': '\tfrag = <1>;\n/include/ "sub/deeper.dtsi"\n',
      '/b/sub/deeper.dtsi': '\tdeeper = <2>;\n',
      '/inc/pre.dtsi': '/dts-v1/;\n',
    };
    const t = dts(`/include/ "pre.dtsi"\n/ {\n/include/ "frag.dtsi"\n\tlast = <3>;\n};\n`, files);
    expect(propNames(t, '/')).toEqual(['frag', 'deeper', 'last']);
    expect(prop(t, '/', 'deeper').source).toEqual({ file: '/b/sub/deeper.dtsi', line: 1, column: 2 });
    expect(prop(t, '/', 'last').source).toEqual({ file: '/b/main.dts', line: 4, column: 2 });
  });

  it('takes -D style defines from the options', () => {
    const t = dts(`${V1}/ {\n#ifdef __DTS__\n\tv = <VALUE>;\n#endif\n};`, {}, { __DTS__: '1', VALUE: '(2 * 21)' });
    expect(hex(t, '/', 'v')).toBe('0000002a');
  });
});
