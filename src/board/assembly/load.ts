/** Booting a board straight from a `.dts` file. */
import { Board, type BootKnobs } from '../board.js';
import { loadBoardSpec, type LoadOptions } from './spec-file.js';

/** Boot a board from a `.dts` file: `bootDts('boards/default.dts')`, or a user's tree with its include dirs. */
export function bootDts(file: string, opts: LoadOptions & BootKnobs = {}): Board {
  return new Board(loadBoardSpec(file, opts), opts);
}
