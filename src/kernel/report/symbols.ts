/**
 * Synthetic kernel symbols: each (file, function) gets a stable made-up address and size in kernel
 * text so a frame prints the way kallsyms would (`gfar_clean_rx_ring+0x48/0x2a0`), with the
 * TypeScript location appended for user code. TypeScript functions have no real addresses.
 */
import { KERNEL_IMAGE, PAGE_OFFSET } from '../layout.js';
import { fnv1a, mix32 } from './hash.js';
import type { StackFrame } from './types.js';

/** Where synthetic symbols start: a little past `_stext` (0xc0000000), as head code sits first. */
export const SYMBOL_TEXT_START = PAGE_OFFSET + 0x4000;
/** Each symbol lives in its own slot of this many bytes; its start and size are placed inside the slot. */
export const SYMBOL_SLOT = 0x800;
const SLOT_COUNT = Math.floor((KERNEL_IMAGE.textSize - 0x4000) / SYMBOL_SLOT);

/** One synthetic kernel symbol. */
export interface KernelSymbol {
  /** Printed name (the JavaScript function name, or the Linux name given to {@link kernelFrame}). */
  readonly name: string;
  /** File the function lives in (project-relative TypeScript path), or `''` for synthetic frames. */
  readonly file: string;
  /** Address of the first instruction. */
  readonly start: number;
  /** Size in bytes (multiple of 16). */
  readonly size: number;
  /** The first source line seen in this function: offsets count from a little before it. */
  readonly baseLine: number;
}

/** A frame placed in kernel text. */
export interface ResolvedFrame {
  /** The frame as captured. */
  readonly frame: StackFrame;
  /** Its symbol. */
  readonly symbol: KernelSymbol;
  /** Byte offset into the symbol (4-byte aligned, always below the size). */
  readonly offset: number;
  /** `symbol.start + offset`: what NIP, LR or a return address would hold. */
  readonly address: number;
}

/** Bytes of offset given to the first line seen in a function, so earlier lines seen later still fit. */
const FIRST_LINE_OFFSET = 0x20;

/**
 * The symbol table: assigns addresses on first sight and remembers them. Addresses derive from an
 * FNV-1a hash of `file` and function name (so they are the same in every run and every table);
 * when two names hash to the same slot the later one probes to the next free slot, so only the
 * order of first sight can change an address, and only for colliding names.
 */
export class SymbolTable {
  private readonly byKey = new Map<string, KernelSymbol>();
  private readonly bySlot = new Map<number, KernelSymbol>();

  /** Number of symbols assigned so far. */
  get count(): number {
    return this.byKey.size;
  }

  /**
   * The symbol of `fn` in `file`, created (with `line` as its base line) if not seen yet. `minSize`
   * makes a new symbol at least that big (up to the slot size), e.g. to hold an explicit offset.
   */
  symbol(file: string, fn: string, line = 0, minSize = 0): KernelSymbol {
    const key = `${file}\0${fn}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const h = fnv1a(key);
    let slot = h % SLOT_COUNT;
    for (let probes = 0; this.bySlot.has(slot); probes++) {
      if (probes >= SLOT_COUNT) throw new RangeError('SymbolTable: kernel text is full');
      slot = (slot + 1) % SLOT_COUNT;
    }
    const hashed = 0x100 + (mix32(h) % 0x40) * 0x10;
    const size = Math.min(SYMBOL_SLOT - 0x40, Math.max(hashed, (minSize + 0xf) & ~0xf));
    const slack = (SYMBOL_SLOT - size) / 4;
    const start = SYMBOL_TEXT_START + slot * SYMBOL_SLOT + (mix32(h ^ 0x5bd1e995) % slack) * 4;
    const sym: KernelSymbol = { name: fn, file, start, size, baseLine: line };
    this.byKey.set(key, sym);
    this.bySlot.set(slot, sym);
    return sym;
  }

  /** Place a frame in kernel text: its symbol, offset and address. */
  resolve(frame: StackFrame): ResolvedFrame {
    const explicit = frame.line <= 0 && frame.column > 0 ? frame.column : 0;
    const symbol = this.symbol(frame.file, frame.fn, frame.line, explicit > 0 ? explicit + 0x40 : 0);
    let offset: number;
    if (frame.line <= 0) {
      // A synthetic kernel frame: the column carries an explicit offset, or one is derived from the name.
      offset = explicit > 0 ? explicit : (4 + (mix32(fnv1a(frame.fn) ^ 0x27d4eb2d) % (symbol.size / 4 - 8))) * 4;
    } else {
      offset = FIRST_LINE_OFFSET + (frame.line - symbol.baseLine) * 4;
    }
    offset = Math.min(Math.max(4, offset & ~3), symbol.size - 4);
    return { frame, symbol, offset, address: (symbol.start + offset) >>> 0 };
  }

  /** Which symbol holds `address`, and the offset into it (kallsyms' reverse lookup). */
  lookup(address: number): { symbol: KernelSymbol; offset: number } | undefined {
    const rel = (address >>> 0) - SYMBOL_TEXT_START;
    if (rel < 0) return undefined;
    const sym = this.bySlot.get(Math.floor(rel / SYMBOL_SLOT));
    if (!sym || address < sym.start || address >= sym.start + sym.size) return undefined;
    return { symbol: sym, offset: address - sym.start };
  }
}

/** The process-wide symbol table every reporter uses unless given its own. */
export const kernelSymbols = new SymbolTable();

/** Options for {@link kernelFrame}. */
export interface KernelFrameOptions {
  /** Byte offset into the function to print (rounded down to 4); derived from the name when absent. */
  readonly offset?: number;
  /** The C file the function lives in, e.g. `arch/powerpc/mm/dma-noncoherent.c` (only keys the symbol). */
  readonly file?: string;
}

/**
 * A synthetic kernel frame for a function that is not JavaScript, e.g. the oops of a bad sync shows
 * NIP in `arch_sync_dma_for_device` and LR in `__dma_sync_single_for_device`. Such a frame has
 * `line` 0, and its `column` carries the byte offset to print (0: derive one from the name).
 */
export function kernelFrame(name: string, opts: KernelFrameOptions = {}): StackFrame {
  return { fn: name, file: opts.file ?? '', line: 0, column: Math.max(0, Math.floor(opts.offset ?? 0)), user: false };
}

/** True for frames made by {@link kernelFrame} rather than captured from JavaScript. */
export function isSyntheticFrame(frame: StackFrame): boolean {
  return frame.line <= 0;
}

/** `sym+0xOFF/0xSIZE`, plus ` (file:line)` for user frames, as the kernel's `%pS` would print it. */
export function formatSymbol(r: ResolvedFrame): string {
  const base = `${r.symbol.name}+0x${r.offset.toString(16)}/0x${r.symbol.size.toString(16)}`;
  return r.frame.user ? `${base} (${r.frame.file}:${r.frame.line})` : base;
}

/** Resolve and format a frame in one step. */
export function symbolize(frame: StackFrame, table: SymbolTable = kernelSymbols): string {
  return formatSymbol(table.resolve(frame));
}
