/** Printing as dtc -O dts: layout, every kind of value, dtc's type guess and quirks, and round-trips. */

import { describe, expect, it } from 'vitest';
import { compareTrees, formatProperty, printDts, type DtTree } from '../../../src/board/dts/index.js';
import { dts, prop } from './helpers.js';

const V1 = '/dts-v1/;\n';
const roundTrip = (t: DtTree) => expect(compareTrees(t, dts(printDts(t)))).toEqual([]);

describe('printing as dtc -O dts', () => {
  it('prints header, memreserves, labels, properties and children in dtc layout', () => {
    const t = dts(`${V1}/memreserve/ 0x10000000 0x4000;
/ {
	model = "m";
	#address-cells = <1>;
	a: b: child@1 { reg = <1>; empty; };
	other { };
};`);
    expect(printDts(t)).toBe(`/dts-v1/;

/memreserve/\t0x0000000010000000 0x0000000000004000;
/ {
	model = "m";
	#address-cells = <0x01>;

	a: b: child@1 {
		reg = <0x01>;
		empty;
	};

	other {
	};
};
`);
    roundTrip(t);
  });

  it('prints each kind of value as dtc does', () => {
    const t = dts(`${V1}/ {
	cells = <0 0xabcdef12>, <3>;
	b8 = /bits/ 8 <1 0xff>;
	b16 = /bits/ 16 <0x1234 5>;
	b64 = /bits/ 64 <0x123456789>;
	bytes = [00 11 22];
	strs = "a", "b\\t\\"q\\"\\\\", "\\x01\\xff";
	mixed = "s", <1>, [ab];
	refs = <&n 2 &n>, <&n>;
	path = &n;
	late = <1>, <&n 5>;
	n: n { };
};`);
    const line = (name: string) => formatProperty(prop(t, '/', name));
    expect(line('cells')).toBe('cells = <0x00 0xabcdef12>, <0x03>;');
    expect(line('b8')).toBe('b8 = [01 ff];');
    expect(line('b16')).toBe('b16 = /bits/ 16 <0x1234 0x05>;');
    expect(line('b64')).toBe('b64 = /bits/ 64 <0x123456789>;');
    expect(line('bytes')).toBe('bytes = [00 11 22];');
    expect(line('strs')).toBe('strs = "a", "b\\t\\"q\\"\\\\", "\\x01\\xff";');
    expect(line('mixed')).toBe('mixed = "s", <0x01>, [ab];');
    expect(line('refs')).toBe('refs = <0x01 0x02 0x01>, < 0x01>;');
    expect(line('path')).toBe('path = "/n";');
    // dtc 1.6.1 prints a space after '<' when a later cell list starts with a reference.
    expect(line('late')).toBe('late = <0x01>, < 0x01 0x05>;');
    roundTrip(t);
  });

  it('guesses the type of a value without source structure, as dtc does for blobs', () => {
    const t = dts(`${V1}/ { p; };`);
    const bare = (value: number[]) => formatProperty({ name: 'x', labels: [], value: Uint8Array.from(value), chunks: [] });
    expect(bare([0x61, 0x62, 0, 0x63, 0])).toBe('x = "ab\\0c";');
    expect(bare([0, 0, 0, 1, 0, 0, 0, 2])).toBe('x = <0x01 0x02>;');
    expect(bare([1, 2, 3])).toBe('x = [01 02 03];');
    expect(bare([])).toBe('x;');
    roundTrip(t);
  });

  it('escapes a name that cpp would read as a directive when parsed again', () => {
    const t = dts(`${V1}/ { \\#if-cells = <1>; };`);
    expect(printDts(t)).toContain('\t\\#if-cells = <0x01>;');
    roundTrip(t);
  });
});
