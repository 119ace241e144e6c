/**
 * Scatterlists: `struct scatterlist` as an array of entries, each naming a buffer by page and
 * offset (or by kernel address through sg_set_buf), and after dma_map_sg its DMA address and
 * length. Chaining and merging of segments are not modelled: map_sg maps entry by entry.
 */
import { SandboxArgumentError } from '../errors.js';

/** One scatterlist entry. */
export interface Scatterlist {
  /** `struct page *` handle of the buffer's first page (0 when unset). */
  page: number;
  /** Offset of the buffer in that page (may exceed a page for multi-page buffers). */
  offset: number;
  /** Buffer length in bytes. */
  length: number;
  /** Kernel address given to sg_set_buf, or -1 when the entry was set by page. */
  buf: number;
  /** `sg_dma_address()` after mapping. */
  dma_address: number;
  /** `sg_dma_len()` after mapping. */
  dma_length: number;
  /** End-of-list marker (`sg_mark_end`). */
  end: boolean;
}

/** `sg_init_table(sgl, nents)`: a fresh table of `nents` cleared entries (or clear an existing array). */
export function sg_init_table(sgl: Scatterlist[] | number, nents?: number): Scatterlist[] {
  const n = typeof sgl === 'number' ? sgl : (nents ?? sgl.length);
  if (!Number.isInteger(n) || n <= 0) throw new SandboxArgumentError('sg_init_table', 'nents', 'a positive integer', n);
  const out = typeof sgl === 'number' ? [] : sgl;
  for (let i = 0; i < n; i++) out[i] = { page: 0, offset: 0, length: 0, buf: -1, dma_address: 0, dma_length: 0, end: i === n - 1 };
  return out;
}

/** `sg_set_buf(sg, buf, buflen)` (the page and offset are derived when the list is mapped). */
export function sg_set_buf(sg: Scatterlist, buf: number, buflen: number): void {
  if (!sg || typeof sg !== 'object') throw new SandboxArgumentError('sg_set_buf', 'sg', 'a scatterlist entry', sg);
  sg.buf = buf;
  sg.page = 0;
  sg.offset = buf % 4096;
  sg.length = buflen;
}

/** `sg_set_page(sg, page, len, offset)`. */
export function sg_set_page(sg: Scatterlist, page: number, len: number, offset: number): void {
  if (!sg || typeof sg !== 'object') throw new SandboxArgumentError('sg_set_page', 'sg', 'a scatterlist entry', sg);
  sg.page = page;
  sg.buf = -1;
  sg.offset = offset;
  sg.length = len;
}

/** `for_each_sg(sgl, sg, nents, i)` as a callback loop. */
export function for_each_sg(sgl: readonly Scatterlist[], nents: number, fn: (sg: Scatterlist, i: number) => void): void {
  for (let i = 0; i < nents && i < sgl.length; i++) fn(sgl[i]!, i);
}

/** `sg_dma_address(sg)`. */
export function sg_dma_address(sg: Scatterlist): number {
  return sg.dma_address;
}

/** `sg_dma_len(sg)`. */
export function sg_dma_len(sg: Scatterlist): number {
  return sg.dma_length;
}

/** `sg_mark_end(sg)`. */
export function sg_mark_end(sg: Scatterlist): void {
  sg.end = true;
}
