/** Speed: a corpus board well under 100 ms, and parse time growing linearly with the source. */

import { describe, expect, it } from 'vitest';
import { parseDts, parseDtsFile, printDts } from '../../../src/board/dts/index.js';
import { corpusBoards } from './corpus-helpers.js';

/** Fastest of `runs` timings of `f`, in milliseconds. */
function fastest(runs: number, f: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

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

describe('speed', () => {
  it('parses p1020rdb with its includes well under 100 ms', () => {
    const board = corpusBoards().find((b) => b.name === 'p1020rdb')!;
    const ms = fastest(5, () => parseDtsFile(board.source, { includeDirs: board.includeDirs }));
    expect(ms).toBeLessThan(100);
  });

  it('grows linearly with the size of the source (no quadratic step)', () => {
    const small = bigSource(1000);
    const large = bigSource(8000);
    const parse = (s: string) => printDts(parseDts(s, { file: 'big.dts', includeDirs: [] }));
    fastest(2, () => parse(small)); // warm up the JIT
    const tSmall = fastest(3, () => parse(small));
    const tLarge = fastest(3, () => parse(large));
    // 8x the input: linear is ~8x; quadratic would be ~64x. Allow generous noise.
    expect(tLarge / tSmall).toBeLessThan(20);
  }, 60000);
});
