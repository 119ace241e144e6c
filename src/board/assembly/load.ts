/** Booting a board straight from a `.dts` file. */
import { Board, type BootKnobs } from '../board.js';
import { loadBoardSpec, type LoadOptions } from './spec-file.js';

/**
 * Boot a board from a `.dts` file: `bootDts('boards/default.dts')`, or a user's tree with its
 * include dirs. `bootargs` is appended to the tree's `chosen/bootargs`, as for any board.
 */
export function bootDts(file: string, opts: Omit<LoadOptions, 'bootargs'> & BootKnobs = {}): Board {
  const { bootargs: _appended, ...specOpts } = opts;
  return new Board(loadBoardSpec(file, specOpts), opts);
}
