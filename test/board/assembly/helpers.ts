/** Shared fixtures for the board-assembly tests: parsing DTS text and booting boards from text or the corpus. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Board, type BootKnobs } from '../../../src/board/board.js';
import { specFromTree, type SpecOptions } from '../../../src/board/assembly/spec.js';
import { parseDts, type DtNode, type DtTree } from '../../../src/board/dts/index.js';

/** Parse DTS text. */
export function tree(text: string): DtTree {
  return parseDts(text, { file: 'test.dts', includeDirs: [] });
}

/** Boot a board from DTS text. */
export function boot(text: string, opts: SpecOptions & BootKnobs = {}): Board {
  const { spec, notes } = specFromTree(tree(text), opts);
  return new Board({ ...spec, notes }, opts);
}

/** The node at `p` (components matched by exact name). */
export function at(t: DtTree, p: string): DtNode {
  let n = t.root;
  for (const part of p.split('/').filter(Boolean)) {
    const next = n.children.find((c) => c.name === part);
    if (!next) throw new Error(`no node ${part} under ${n.path}`);
    n = next;
  }
  return n;
}

/** The shared corpus's dts directory; throws (failing, never skipping) when missing. */
export function corpusDts(): string {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus/dts');
  if (!existsSync(path.join(dir, 'SOURCES.txt'))) throw new Error(`DTS corpus not found at ${dir}`);
  return dir;
}

/** A minimal e500 board tree with an MPIC, for tests that add nodes to its soc. */
export function socTree(socBody: string, rootExtra = ''): string {
  return `/dts-v1/;
/ {
  model = "test board";
  #address-cells = <2>;
  #size-cells = <2>;
  interrupt-parent = <&mpic>;
  ${rootExtra}
  memory { device_type = "memory"; reg = <0 0 0 0x4000000>; };
  soc: soc@ffe00000 {
    #address-cells = <1>;
    #size-cells = <1>;
    device_type = "soc";
    compatible = "simple-bus";
    ranges = <0x0 0x0 0xffe00000 0x100000>;
    mpic: pic@40000 {
      interrupt-controller;
      #address-cells = <0>;
      #interrupt-cells = <4>;
      reg = <0x40000 0x40000>;
      compatible = "fsl,mpic";
    };
    ${socBody}
  };
};`;
}
