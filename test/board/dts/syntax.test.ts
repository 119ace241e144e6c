/** DTS syntax and tree building: value encoding, expressions, merging, overlays, deletion and label order as dtc does them. */

import { describe, expect, it } from 'vitest';
import { childNames, dts, hex, node, prop, propNames } from './helpers.js';

const V1 = '/dts-v1/;\n';

describe('DTS values', () => {
  it('encodes cells big-endian, in decimal, hex, octal, with suffixes and char literals', () => {
    const t = dts(`${V1}/ { p = <1 0x10 010 7U 8UL 9ULL 0xffffffff 'a' '\\n' '\\x41'>; };`);
    expect(hex(t, '/', 'p')).toBe(
      ['00000001', '00000010', '00000008', '00000007', '00000008', '00000009', 'ffffffff', '00000061', '0000000a', '00000041'].join(''),
    );
  });

  it('evaluates C expressions in parentheses with dtc precedence', () => {
    const cases: [string, number][] = [
      ['(1 + 2 * 3)', 7],
      ['((1 + 2) * 3)', 9],
      ['(10 / 3)', 3],
      ['(10 % 3)', 1],
      ['(1 << 4 | 1)', 17],
      ['(0xff >> 4)', 15],
      ['(0xf0 & 0x3c ^ 0x01)', 0x31],
      ['(~0)', 0xffffffff],
      ['(-1)', 0xffffffff],
      ['(!0 + !5)', 1],
      ['(3 > 2 && 2 >= 2)', 1],
      ['(1 < 0 || 0)', 0],
      ['(1 == 1) + (1 != 1)'.replace(/^/, '(') + ')', 1],
      ['(2 <= 1 ? 5 : 6)', 6],
      ['(1 ? 2 ? 3 : 4 : 5)', 3],
      ['(5 - 7 + 2)', 0],
      ["('A' + 1)", 66],
      ['((0 - 1) > 0)', 1], // all arithmetic is unsigned 64-bit, as in dtc
      ['(0x100000000 >> 32)', 1],
    ];
    for (const [expr, want] of cases) {
      const t = dts(`${V1}/ { p = <${expr}>; };`);
      expect([expr, parseInt(hex(t, '/', 'p'), 16)]).toEqual([expr, want]);
    }
  });

  it('supports /bits/ 8, 16, 32 and 64', () => {
    const t = dts(`${V1}/ { a = /bits/ 8 <1 0xff (-1)>; b = /bits/ 16 <0x1234 5>; c = /bits/ 32 <7>; d = /bits/ 64 <0x123456789abcdef0 (-2)>; };`);
    expect(hex(t, '/', 'a')).toBe('01ffff');
    expect(hex(t, '/', 'b')).toBe('12340005');
    expect(hex(t, '/', 'c')).toBe('00000007');
    expect(hex(t, '/', 'd')).toBe('123456789abcdef0fffffffffffffffe');
  });

  it('encodes strings with escapes, string lists, byte strings, mixed values and booleans', () => {
    const t = dts(`${V1}/ {
      s = "a\\tb\\"c\\\\d\\x41\\101\\q";
      list = "one", "two", "";
      bytes = [00 11 2233 aB];
      empty-bytes = [];
      mixed = "x", <1>, [ff], /bits/ 16 <2>;
      flag;
      utf = "é";
    };`);
    expect(Buffer.from(prop(t, '/', 's').value).toString('latin1')).toBe('a\tb"c\\dAAq\0');
    expect(hex(t, '/', 'list')).toBe(Buffer.from('one\0two\0\0').toString('hex'));
    expect(hex(t, '/', 'bytes')).toBe('00112233ab');
    expect(hex(t, '/', 'empty-bytes')).toBe('');
    expect(hex(t, '/', 'mixed')).toBe('7800' + '00000001' + 'ff' + '0002');
    expect(prop(t, '/', 'flag').value.length).toBe(0);
    expect(hex(t, '/', 'utf')).toBe('c3a900');
  });

  it('accepts labels on properties and inside values, and ignores the value labels', () => {
    const t = dts(`${V1}/ { pl: p = v1: <1 v2: 2> v3:, "s" v4:; };`);
    expect(hex(t, '/', 'p')).toBe('00000001000000027300');
    expect(prop(t, '/', 'p').labels).toEqual(['pl']);
  });

  it('skips // and /* */ comments everywhere', () => {
    const t = dts(`/* head */ /dts-v1/; // v1
/ { /* a */ p /* b */ = /* c */ <1 /* d */ 2>; // e
  q = "/* not a comment */ // nor this";
};`);
    expect(hex(t, '/', 'p')).toBe('0000000100000002');
    expect(Buffer.from(prop(t, '/', 'q').value).toString()).toBe('/* not a comment */ // nor this\0');
  });

  it('accepts names with unit addresses, commas, # and a leading backslash escape', () => {
    const t = dts(`${V1}/ { #address-cells = <1>; \\#size-cells = <0>; PowerPC,P1020@0 { power-isa-e.le; }; nor@0,0 { }; };`);
    expect(propNames(t, '/')).toEqual(['#address-cells', '#size-cells']);
    expect(childNames(t, '/')).toEqual(['PowerPC,P1020@0', 'nor@0,0']);
    expect(node(t, '/nor@0,0').path).toBe('/nor@0,0');
  });

  it('keeps /memreserve/ entries', () => {
    const t = dts(`${V1}/memreserve/ 0x10000000 0x4000;\nr: /memreserve/ (1 << 32) 'a';\n/ { };`);
    expect(t.memreserves).toEqual([
      { address: 0x10000000n, size: 0x4000n, labels: [] },
      { address: 1n << 32n, size: 97n, labels: ['r'] },
    ]);
  });
});

describe('DTS tree building (merge, overlays, deletion) as dtc does it', () => {
  it('merges repeated root nodes: later values override in place, new items append, children merge', () => {
    const t = dts(`${V1}/ { a = <1>; b = <2>; x { p = <1>; }; y { }; };
/ { b = <3>; c = <4>; x { q = <2>; p = <5>; }; z { }; };`);
    expect(propNames(t, '/')).toEqual(['a', 'b', 'c']);
    expect(hex(t, '/', 'b')).toBe('00000003');
    expect(childNames(t, '/')).toEqual(['x', 'y', 'z']);
    expect(propNames(t, '/x')).toEqual(['p', 'q']);
    expect(hex(t, '/x', 'p')).toBe('00000005');
  });

  it('applies &label and &{/path} overlays, with a label added on the way', () => {
    const t = dts(`${V1}/ { soc: soc@1000 { }; };
&soc { a = <1>; };
&{/soc@1000} { b = <2>; n { }; };
more: &soc { c; };`);
    expect(propNames(t, '/soc@1000')).toEqual(['a', 'b', 'c']);
    expect(childNames(t, '/soc@1000')).toEqual(['n']);
    expect(node(t, '/soc@1000').labels).toEqual(['more', 'soc']);
    expect(t.labels.get('more')?.path).toBe('/soc@1000');
  });

  it('keeps labels in dtc order: source order on a new node, each merged label put in front', () => {
    const t = dts(`${V1}/ { a: b: n { }; };
/ { c: d: n { }; };
e: &a { };
/ { a: n { }; };`);
    expect(node(t, '/n').labels).toEqual(['e', 'd', 'c', 'a', 'b']);
  });

  it('deletes properties and nodes; a re-added one takes its old place', () => {
    const t = dts(`${V1}/ { a = <1>; b = <2>; c = <3>; x { }; y { }; z { }; };
/ { /delete-property/ b; /delete-property/ nothing; /delete-node/ y; /delete-node/ nothing; };
/ { b = <9>; y { }; };`);
    expect(propNames(t, '/')).toEqual(['a', 'b', 'c']);
    expect(hex(t, '/', 'b')).toBe('00000009');
    expect(childNames(t, '/')).toEqual(['x', 'y', 'z']);
  });

  it('deletes by reference at top level, labels and children with it', () => {
    const t = dts(`${V1}/ { g: gone { k: kid { }; }; stay { }; };
/delete-node/ &g;`);
    expect(childNames(t, '/')).toEqual(['stay']);
    expect(t.labels.has('g')).toBe(false);
    expect(t.labels.has('k')).toBe(false);
  });

  it('lets a body merged into an existing node define the same child twice (dtc merges them)', () => {
    const t = dts(`${V1}/ { s: s { }; };
&s { p = <1>; n { a = <1>; }; n { b = <2>; }; };`);
    expect(childNames(t, '/s')).toEqual(['n']);
    expect(propNames(t, '/s/n')).toEqual(['a', 'b']);
  });

  it('drops /omit-if-no-ref/ nodes that nothing references', () => {
    const t = dts(`${V1}/ { p = <&r>; /omit-if-no-ref/ u: unused { }; /omit-if-no-ref/ r: used { }; q: other { }; };
/omit-if-no-ref/ &q;`);
    expect(childNames(t, '/')).toEqual(['used']);
  });

  it('turns a reference outside cells into the full path of the target (after merging)', () => {
    const t = dts(`${V1}/ { aliases { s = &ser; t = &{/soc/serial@4500}; both = "x", &ser; }; soc { ser: serial@4500 { }; }; };`);
    expect(Buffer.from(prop(t, '/aliases', 's').value).toString()).toBe('/soc/serial@4500\0');
    expect(Buffer.from(prop(t, '/aliases', 't').value).toString()).toBe('/soc/serial@4500\0');
    expect(Buffer.from(prop(t, '/aliases', 'both').value).toString()).toBe('x\0/soc/serial@4500\0');
  });
});
