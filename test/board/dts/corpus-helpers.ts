/** Where the shared parser-compatibility corpus lives and which boards it holds, for the DTS tests. */

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The corpus root, `../shared/corpus` beside the project. */
export const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');

/** The corpus root; throws (failing the test, never skipping it) when it is missing. */
export function corpusDir(): string {
  if (!existsSync(path.join(CORPUS, 'dts', 'SOURCES.txt'))) {
    throw new Error(`DTS corpus not found at ${CORPUS} (expected ../shared/corpus beside the project, with dts/SOURCES.txt)`);
  }
  return CORPUS;
}

/** A corpus board: its source, include dirs, cpp defines and dtc's expected output. */
export interface CorpusBoard {
  readonly name: string;
  readonly source: string;
  readonly includeDirs: string[];
  readonly defines: Record<string, string>;
  readonly expected: string;
}

/** Every board of the corpus with an expected dtc output, include dirs as SOURCES.txt gives them. */
export function corpusBoards(): CorpusBoard[] {
  const c = corpusDir();
  const fslDirs = [path.join(c, 'dts'), path.join(c, 'dts/fsl'), path.join(c, 'dts/include')];
  const fsl = (name: string, source: string): CorpusBoard => ({
    name,
    source: path.join(c, source),
    includeDirs: fslDirs,
    defines: {},
    expected: path.join(c, 'expected', `${name}.dts`),
  });
  const apm = (name: string, source: string): CorpusBoard => ({
    name,
    source: path.join(c, 'apm821xx/dts', source),
    includeDirs: [path.join(c, 'apm821xx/dts/include')],
    defines: { __DTS__: '1' },
    expected: path.join(c, 'apm821xx/expected', `${name}.dts`),
  });
  return [
    fsl('p1020rdb', 'dts/fsl/p1020rdb.dts'),
    fsl('p2020rdb', 'dts/fsl/p2020rdb.dts'),
    fsl('mpc8548cds_32b', 'dts/fsl/mpc8548cds_32b.dts'),
    fsl('p1010rdb-pa', 'dts/fsl/p1010rdb-pa.dts'),
    fsl('tl-wdr4900-v1', 'dts/openwrt/tl-wdr4900-v1.dts'),
    apm('netgear-wndr4700', 'netgear-wndr4700.dts'),
    apm('wd-mybooklive', 'wd-mybooklive.dts'),
    apm('wd-mybooklive-recent', 'recent/wd-mybooklive.dts'),
  ];
}
