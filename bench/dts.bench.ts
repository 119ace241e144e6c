/**
 * Device-tree parsing speed: a corpus board with its includes, and a synthetic source at two
 * sizes (8x apart) — the second should cost about 8x the first, not 64x.
 */
import { bench, describe } from 'vitest';
import { parseDts, parseDtsFile, printDts } from '../src/board/dts/index.js';
import { corpusBoards } from '../test/board/dts/corpus-helpers.js';

/** A synthetic board with `n` labelled nodes that reference each other, through a macro and overlays. */
function bigSource(n: number): string {
  const lines = ['/dts-v1/;', '#define IRQ(x) ((x) + 16)', '/ {', '\t#address-cells = <1>;', '\t#size-cells = <1>;'];
  for (let i = 0; i < n; i++) {
    lines.push(`\tn${i}: dev@${i.toString(16)} {`);
    lines.push(`\t\treg = <0x${i.toString(16)} 0x100>;`);
    lines.push(`\t\tcompatible = "vendor,dev${i}", "simple";`);
    lines.push(`\t\tinterrupts = <IRQ(${i % 64}) 2>;`);
    if (i > 0) lines.push(`\t\tpeer = <&n${i - 1} 1>, <&{/dev@${(i - 1).toString(16)}}>;`);
    lines.push('\t};');
  }
  lines.push('};');
  for (let i = 0; i < n; i += 3) lines.push(`&n${i} { status = "okay"; };`);
  return lines.join('\n') + '\n';
}

describe('device-tree parsing', () => {
  const board = corpusBoards().find((b) => b.name === 'p1020rdb')!;
  bench('p1020rdb.dts with its includes', () => {
    parseDtsFile(board.source, { includeDirs: board.includeDirs });
  });
  const small = bigSource(1000);
  const large = bigSource(8000);
  bench('synthetic, 1000 nodes (parse + print)', () => {
    printDts(parseDts(small, { file: 'big.dts', includeDirs: [] }));
  });
  bench('synthetic, 8000 nodes (parse + print): ~8x the 1000-node time when linear', () => {
    printDts(parseDts(large, { file: 'big.dts', includeDirs: [] }));
  }, { iterations: 5 });
});
