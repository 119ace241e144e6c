/** The Ethernet controllers a board was assembled with, by device name, for links, tests and the CLI. */
import { Etsec } from '../../hw/etsec/index.js';
import { boardAssembly } from '../assembly/attach.js';
import type { Board } from '../board.js';

/** The board's eTSEC models, in tree order, keyed by their device name (`ffe24000.ethernet`). */
export function boardNics(board: Board): Map<string, Etsec> {
  const out = new Map<string, Etsec>();
  const a = boardAssembly(board);
  if (!a) return out;
  for (const m of a.models.values()) if (m.instance.model instanceof Etsec) out.set(m.instance.model.name, m.instance.model);
  return out;
}
