/** Tree readers: node lookup, value decoding, reg with #address-cells/#size-cells, and located errors for bad values. */

import { describe, expect, it } from 'vitest';
import {
  addressCells,
  decodeReg,
  DtsError,
  findNodeByLabel,
  findNodeByPath,
  findNodeByPhandle,
  getBigCells,
  getCells,
  getString,
  getStringList,
  getU32,
  getU32Array,
  isCompatible,
  sizeCells,
} from '../../../src/board/dts/index.js';
import { dts, node, prop } from './helpers.js';

const tree = dts(`/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	aliases { serial0 = &uart; };
	soc: soc@ffe00000 {
		#address-cells = <1>;
		#size-cells = <1>;
		compatible = "fsl,p1020-immr", "simple-bus";
		uart: serial@4500 { reg = <0x4500 0x100 0x4600 0x100>; compatible = "ns16550"; };
		bad { reg = <1 2 3>; };
	};
	big@0 { reg = <0x1 0x00000000 0x0 0x1000>; };
	huge@0 { reg = <0x00400000 0x0 0x0 0x10>; };
	nocells { child { reg = <0 1 2>; }; };
	pic: pic { };
	user { interrupt-parent = <&pic>; name = "x"; two = "a", "b"; wide = <1 2 3 4>; };
};
`);

describe('tree readers', () => {
  it('finds nodes by path (exact, without unit address, via alias), label and phandle', () => {
    expect(findNodeByPath(tree, '/soc@ffe00000/serial@4500')?.name).toBe('serial@4500');
    expect(findNodeByPath(tree, '/soc/serial')?.path).toBe('/soc@ffe00000/serial@4500');
    expect(findNodeByPath(tree, 'serial0')?.path).toBe('/soc@ffe00000/serial@4500');
    expect(findNodeByPath(tree, '/')?.path).toBe('/');
    expect(findNodeByPath(tree, '/nope')).toBeUndefined();
    expect(findNodeByLabel(tree, 'soc')?.path).toBe('/soc@ffe00000');
    expect(findNodeByPhandle(tree, getU32(prop(tree, '/user', 'interrupt-parent')))?.path).toBe('/pic');
  });

  it('reads u32, u32 arrays, strings, string lists and multi-cell numbers', () => {
    expect(getU32(prop(tree, '/', '#address-cells'))).toBe(2);
    expect(getU32Array(prop(tree, '/user', 'wide'))).toEqual([1, 2, 3, 4]);
    expect(getString(prop(tree, '/user', 'name'))).toBe('x');
    expect(getStringList(prop(tree, '/user', 'two'))).toEqual(['a', 'b']);
    expect(getCells(prop(tree, '/user', 'wide'), 2)).toEqual([0x100000002, 0x300000004]);
    expect(getBigCells(prop(tree, '/user', 'wide'), 4)).toEqual([0x00000001000000020000000300000004n]);
    expect(isCompatible(node(tree, '/soc'), 'simple-bus')).toBe(true);
    expect(isCompatible(node(tree, '/soc'), 'nope')).toBe(false);
    expect(addressCells(node(tree, '/soc'))).toBe(1);
    expect(sizeCells(node(tree, '/nocells'))).toBe(1);
  });

  it('decodes reg with the parent\'s #address-cells and #size-cells', () => {
    expect(decodeReg(node(tree, '/soc/serial@4500'))).toEqual([
      { address: 0x4500, size: 0x100 },
      { address: 0x4600, size: 0x100 },
    ]);
    expect(decodeReg(node(tree, '/big@0'))).toEqual([{ address: 0x100000000, size: 0x1000 }]);
    // No #address-cells/#size-cells: the defaults 2 and 1.
    expect(decodeReg(node(tree, '/nocells/child'))).toEqual([{ address: 1, size: 2 }]);
    expect(decodeReg(node(tree, '/pic'))).toEqual([]);
  });

  it('raises located DtsErrors for malformed values', () => {
    const wrong = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DtsError);
        return e as DtsError;
      }
      throw new Error('no error');
    };
    const e1 = wrong(() => decodeReg(node(tree, '/soc/bad')));
    expect(e1.message).toBe("property 'reg': has 3 cells, not a multiple of #address-cells + #size-cells = 1 + 1 (from /soc@ffe00000)");
    expect([e1.file, e1.line, e1.column]).toEqual(['/b/main.dts', 11, 9]);
    expect(wrong(() => decodeReg(node(tree, '/huge@0'))).message).toMatch(/address 0x40000000000000 is too large to be represented exactly/);
    expect(wrong(() => getU32(prop(tree, '/user', 'wide'))).message).toBe("property 'wide': expected one 32-bit cell, found 16 bytes");
    expect(wrong(() => getString(prop(tree, '/user', 'two'))).message).toBe("property 'two': expected one string, found 2");
    expect(wrong(() => getStringList(prop(tree, '/user', 'wide'))).message).toBe("property 'wide': expected NUL-terminated strings");
    expect(wrong(() => getCells(prop(tree, '/user', 'wide'), 3)).message).toBe("property 'wide': has 4 cells, not a multiple of 3");
  });
});
