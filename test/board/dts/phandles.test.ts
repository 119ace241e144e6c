/** Phandle numbering in dtc's order, explicit phandles, and references in and outside cells. */

import { describe, expect, it } from 'vitest';
import { DtsError, printDts } from '../../../src/board/dts/index.js';
import { dts, hex, node, propNames } from './helpers.js';

const V1 = '/dts-v1/;\n';

describe('phandle assignment as dtc does it', () => {
  it('numbers referenced nodes from 1 in the order references are met walking the merged tree', () => {
    const t = dts(`${V1}/ { p = <&c>; a: a { q = <&b 1 &a>; }; b: b { }; c: c { }; };
/ { d: d { r = <&d>; }; };
&a { s = <&d>; };`);
    expect(node(t, '/c').phandle).toBe(1);
    expect(node(t, '/b').phandle).toBe(2);
    expect(node(t, '/a').phandle).toBe(3);
    // /a's s (added later in the source) is walked before /d's own reference.
    expect(node(t, '/d').phandle).toBe(4);
    expect(hex(t, '/a', 'q')).toBe('000000020000000100000003');
    expect(t.phandles.get(2)?.path).toBe('/b');
  });

  it('appends a phandle property at the end of the target node', () => {
    const t = dts(`${V1}/ { p = <&n>; n: n { x = <1>; y; }; };`);
    expect(propNames(t, '/n')).toEqual(['x', 'y', 'phandle']);
    expect(hex(t, '/n', 'phandle')).toBe('00000001');
  });

  it('keeps explicit phandle and linux,phandle values and skips numbers already taken', () => {
    const t = dts(`${V1}/ { p = <&a &b &c>; a: a { }; b: b { phandle = <1>; }; c: c { linux,phandle = <2>; }; };`);
    expect(node(t, '/a').phandle).toBe(3);
    expect(node(t, '/b').phandle).toBe(1);
    expect(node(t, '/c').phandle).toBe(2);
    expect(propNames(t, '/c')).toEqual(['linux,phandle']);
    expect(hex(t, '/', 'p')).toBe('000000030000000100000002');
  });

  it('gives no phandle for references outside cells (paths) and resolves labels defined later', () => {
    const t = dts(`${V1}/ { alias = &late; p = <&{/late}>; late: late { }; other: other { }; };
/ { q = &other; };`);
    expect(node(t, '/other').phandle).toBeUndefined();
    expect(node(t, '/late').phandle).toBe(1);
  });

  it('handles a node referencing itself', () => {
    const t = dts(`${V1}/ { n: n { self = <&n>; }; };`);
    expect(propNames(t, '/n')).toEqual(['self', 'phandle']);
    expect(hex(t, '/n', 'self')).toBe('00000001');
  });

  it('lets a node give itself a phandle with phandle = <&itself>', () => {
    const t = dts(`${V1}/ { a = <&m>; n: n { phandle = <&n>; }; m: m { }; };`);
    expect(propNames(t, '/n')).toEqual(['phandle']);
    expect(hex(t, '/n', 'phandle')).toBe('00000002');
    expect(node(t, '/n').phandle).toBe(2);
    expect(node(t, '/m').phandle).toBe(1);
  });

  it('rejects the same explicit phandle on two nodes', () => {
    expect(() => dts(`${V1}/ { a { phandle = <7>; }; b { phandle = <7>; }; };`)).toThrow(DtsError);
    expect(() => dts(`${V1}/ { a { phandle = <7>; }; b { phandle = <7>; }; };`)).toThrow(/phandle 0x7 of \/b is already used by \/a/);
  });

  it('prints phandles as dtc does, references replaced by numbers', () => {
    const t = dts(`${V1}/ { interrupt-parent = <&pic>; pic: pic { }; };`);
    expect(printDts(t)).toBe(`/dts-v1/;

/ {
	interrupt-parent = <0x01>;

	pic: pic {
		phandle = <0x01>;
	};
};
`);
  });
});
