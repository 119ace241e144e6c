/**
 * Translation of device-tree interrupt specifiers for an "fsl,mpic" controller (2- or 4-cell
 * <number sense [type info]>) into source number, trigger and kind, as Linux's MPIC xlate does;
 * it does not parse device trees and ignores the Apple/HT sense encodings.
 */
import { NUM_IPIS, NUM_SOURCES, NUM_TIMERS } from './layout.js';

/** Trigger of an interrupt as the specifier's sense cell gives it. */
export type MpicTrigger = 'edge-rising' | 'level-low' | 'level-high' | 'edge-falling';

/** Kind of interrupt named by the specifier's type cell. */
export type MpicIrqType = 'normal' | 'error' | 'ipi' | 'timer';

/** A translated specifier. */
export interface MpicIrqSpec {
  /** Linux's hwirq: the source number for normal/error interrupts, the reserved vector for IPIs and timers. */
  readonly hwirq: number;
  /** The specifier's number cell (source, IPI or timer index). */
  readonly number: number;
  readonly trigger: MpicTrigger;
  readonly type: MpicIrqType;
  /** 4th cell: for type error, the bit in the error interrupt summary register; 0 otherwise. */
  readonly info: number;
}

/** Sense cell 0..3 → trigger (binding: low-to-high edge, active-low level, active-high level, high-to-low edge). */
export const MPIC_SENSE_TRIGGERS: readonly MpicTrigger[] = ['edge-rising', 'level-low', 'level-high', 'edge-falling'];

const TYPES: readonly MpicIrqType[] = ['normal', 'error', 'ipi', 'timer'];

/** A specifier that does not describe an MPIC interrupt; `cell` is the 0-based index of the bad cell (-1: wrong length). */
export class MpicSpecifierError extends Error {
  constructor(
    readonly cells: readonly number[],
    readonly cell: number,
    detail: string,
  ) {
    super(`fsl,mpic interrupt specifier <${cells.map((c) => `0x${c.toString(16)}`).join(' ')}>: ${detail}`);
    this.name = 'MpicSpecifierError';
  }
}

/** Options for {@link translateMpicSpecifier}. */
export interface MpicXlateOptions {
  /** Vector width of the controller (11 for fsl,mpic); IPI and timer hwirqs are reserved vectors below the top. */
  readonly vectorBits?: 8 | 11;
}

const CELL_NAMES = ['number', 'sense', 'type', 'info'];

/**
 * Translate an fsl,mpic interrupt specifier. The 2-cell form <number sense> names a normal source;
 * the 4-cell form adds <type info>. IPIs and timers map, as in Linux, to the reserved vectors at
 * the top of the vector space (timers top-12..top-5, IPIs top-4..top-1, top = 2^vectorBits - 1).
 * Throws {@link MpicSpecifierError} naming the bad cell. Unlike Linux, which silently keeps the
 * low two bits, a sense cell above 3 is refused.
 */
export function translateMpicSpecifier(cells: readonly number[], opts: MpicXlateOptions = {}): MpicIrqSpec {
  if (cells.length !== 2 && cells.length !== 4) {
    throw new MpicSpecifierError(cells, -1, `has ${cells.length} cells; #interrupt-cells must be 2 or 4`);
  }
  cells.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c > 0xffff_ffff) throw new MpicSpecifierError(cells, i, `cell ${i} (${CELL_NAMES[i]}) = ${c} is not a 32-bit cell value`);
  });
  const [number, sense] = cells as [number, number];
  const typeCell = cells[2] ?? 0;
  const info = cells[3] ?? 0;
  const trigger = MPIC_SENSE_TRIGGERS[sense];
  if (trigger === undefined) {
    throw new MpicSpecifierError(cells, 1, `cell 1 (sense) = ${sense} is not 0 (edge rising), 1 (level low), 2 (level high) or 3 (edge falling)`);
  }
  const type = TYPES[typeCell];
  if (type === undefined) {
    throw new MpicSpecifierError(cells, 2, `cell 2 (type) = ${typeCell} is not 0 (normal), 1 (error interrupt), 2 (IPI) or 3 (timer)`);
  }
  const top = (1 << (opts.vectorBits ?? 11)) - 1;
  let hwirq: number;
  if (type === 'ipi') {
    if (number >= NUM_IPIS) throw new MpicSpecifierError(cells, 0, `cell 0 (number) = ${number}: an MPIC IPI is 0..${NUM_IPIS - 1}`);
    hwirq = top - NUM_IPIS + number;
  } else if (type === 'timer') {
    if (number >= NUM_TIMERS) throw new MpicSpecifierError(cells, 0, `cell 0 (number) = ${number}: an MPIC global timer is 0..${NUM_TIMERS - 1}`);
    hwirq = top - NUM_IPIS - NUM_TIMERS + number;
  } else {
    if (number >= NUM_SOURCES) throw new MpicSpecifierError(cells, 0, `cell 0 (number) = ${number}: the MPIC has sources 0..${NUM_SOURCES - 1}`);
    hwirq = number;
  }
  return { hwirq, number, trigger, type, info: type === 'error' ? info : 0 };
}
