/**
 * Constants and small types of the DMA mapping API, with Linux's values: directions, attributes,
 * the error handle, DMA_BIT_MASK, and the names dma-debug prints.
 */

/** `DMA_BIDIRECTIONAL`: the device may read and write the buffer. */
export const DMA_BIDIRECTIONAL = 0;
/** `DMA_TO_DEVICE`: the device only reads the buffer. */
export const DMA_TO_DEVICE = 1;
/** `DMA_FROM_DEVICE`: the device only writes the buffer. */
export const DMA_FROM_DEVICE = 2;
/** `DMA_NONE`: never valid in a mapping call (a kernel BUG). */
export const DMA_NONE = 3;

/** A DMA direction value. */
export type DmaDirection = 0 | 1 | 2 | 3;

/** `DMA_ATTR_SKIP_CPU_SYNC`: map/unmap without cache maintenance. */
export const DMA_ATTR_SKIP_CPU_SYNC = 1 << 5;
/** `DMA_ATTR_NO_WARN`: no warning when the mapping fails. */
export const DMA_ATTR_NO_WARN = 1 << 8;

/** `DMA_MAPPING_ERROR`: all ones in a 32-bit `dma_addr_t` (the board's dma_addr_t width). */
export const DMA_MAPPING_ERROR = 0xffff_ffff;

/** `DMA_BIT_MASK(n)`: all ones for n = 64, else (1 << n) - 1, as a bigint. */
export function DMA_BIT_MASK(n: number): bigint {
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new RangeError(`DMA_BIT_MASK: n must be an integer from 0 to 64, got ${n}`);
  return n === 64 ? 0xffff_ffff_ffff_ffffn : (1n << BigInt(n)) - 1n;
}

/** `valid_dma_direction(dir)`. */
export function validDirection(dir: unknown): dir is 0 | 1 | 2 {
  return dir === DMA_BIDIRECTIONAL || dir === DMA_TO_DEVICE || dir === DMA_FROM_DEVICE;
}

const DIR_NAMES = ['DMA_BIDIRECTIONAL', 'DMA_TO_DEVICE', 'DMA_FROM_DEVICE', 'DMA_NONE'] as const;

/** The direction's name as dma-debug prints it. */
export function dirName(dir: number): string {
  return DIR_NAMES[dir] ?? `DMA_UNKNOWN(${dir})`;
}

/** Kinds of dma-debug entries, with the names Linux prints (the misspelling is Linux's). */
export type DmaEntryType = 'single' | 'scather-gather' | 'coherent';

/** `0x%016llx` as dma-debug prints device addresses. */
export function hex16(v: number): string {
  return '0x' + v.toString(16).padStart(16, '0');
}

/** `%p`-style 8-digit address. */
export function hex8(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}
