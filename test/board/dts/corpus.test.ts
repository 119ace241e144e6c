/** Every corpus board parsed here must equal dtc 1.6.1's output by value, print to dtc's exact text, and round-trip. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareTrees, parseDts, parseDtsFile, printDts } from '../../../src/board/dts/index.js';
import { corpusBoards, corpusDir } from './corpus-helpers.js';

describe('DTS corpus against dtc 1.6.1', () => {
  it('finds the corpus', () => {
    expect(corpusDir()).toMatch(/shared[\\/]corpus$/);
  });

  for (const board of corpusBoards()) {
    describe(board.name, () => {
      const parse = () => parseDtsFile(board.source, { includeDirs: board.includeDirs, defines: board.defines });

      it('parses to the same tree as dtc: names, labels, property bytes, and order', () => {
        const ours = parse();
        const dtc = parseDtsFile(board.expected);
        expect(compareTrees(ours, dtc)).toEqual([]);
      });

      it('prints exactly the text dtc -O dts printed', () => {
        expect(printDts(parse())).toBe(readFileSync(board.expected, 'utf8'));
      });

      it('round-trips: parsing the printed text gives the same tree', () => {
        const tree = parse();
        const again = parseDts(printDts(tree), { file: `${board.name}.printed.dts`, includeDirs: [] });
        expect(compareTrees(tree, again)).toEqual([]);
        expect([...again.phandles.keys()].sort()).toEqual([...tree.phandles.keys()].sort());
      });
    });
  }
});
