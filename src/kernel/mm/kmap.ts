/**
 * Persistent kmaps for highmem pages: LAST_PKMAP slots at PKMAP_BASE with Linux's use counts
 * (0 free, 1 mapped but unused, n+1 with n users) and its lazy unmapping, where unused slots are
 * only torn down when the slot search wraps around. Left out: kmap_local/kmap_atomic (callers use
 * kmap), cache colouring and sleeping for a free slot (the sandbox reports instead of sleeping).
 */
import { LAST_PKMAP, PAGE_SIZE, PKMAP_BASE } from '../layout.js';
import type { MmMachine } from './machine.js';

const KMAP_ATTRS = { cacheInhibited: false, guarded: false, readOnly: false } as const;

/** The pkmap table. */
export class Kmap {
  /** `pkmap_count[]`. */
  private readonly count = new Int32Array(LAST_PKMAP);
  /** pfn mapped by each slot, -1 when none. */
  private readonly slotPfn = new Float64Array(LAST_PKMAP).fill(-1);
  /** pfn → slot for mapped pages (`page_address` for highmem). */
  private readonly bySlot = new Map<number, number>();
  /** `last_pkmap_nr`. */
  private last = 0;

  constructor(private readonly machine: MmMachine) {}

  /** Virtual address a highmem page is currently mapped at, or -1. */
  addressOf(pfn: number): number {
    const slot = this.bySlot.get(pfn);
    return slot === undefined ? -1 : PKMAP_BASE + slot * PAGE_SIZE;
  }

  /** Users of the mapping of `pfn` (0 when unmapped or mapped but unused). */
  users(pfn: number): number {
    const slot = this.bySlot.get(pfn);
    return slot === undefined ? 0 : Math.max(0, this.count[slot]! - 1);
  }

  /** True when `va` is inside the pkmap area. */
  static isPkmapAddr(va: number): boolean {
    return va >= PKMAP_BASE && va < PKMAP_BASE + LAST_PKMAP * PAGE_SIZE;
  }

  /** `kmap_high`: map (or reuse the mapping of) a highmem page; -1 when every slot is in use. */
  map(pfn: number): number {
    let slot = this.bySlot.get(pfn);
    if (slot === undefined) {
      slot = this.newVirtual(pfn);
      if (slot < 0) return -1;
    }
    this.count[slot]!++;
    return PKMAP_BASE + slot * PAGE_SIZE;
  }

  /** `kunmap_high`: drop one user; false when the page had no user (the kernel BUG()s). */
  unmap(pfn: number): boolean {
    const slot = this.bySlot.get(pfn);
    if (slot === undefined || this.count[slot]! < 2) return false;
    this.count[slot]!--;
    return true;
  }

  /** Slots in use by at least one user. */
  get inUse(): number {
    let n = 0;
    for (let i = 0; i < LAST_PKMAP; i++) if (this.count[i]! > 1) n++;
    return n;
  }

  private newVirtual(pfn: number): number {
    let budget = LAST_PKMAP;
    for (;;) {
      this.last = (this.last + 1) & (LAST_PKMAP - 1);
      if (this.last === 0) {
        this.flushAllZero();
        budget = LAST_PKMAP;
      }
      if (this.count[this.last] === 0) break;
      if (--budget === 0) return -1;
    }
    const slot = this.last;
    this.machine.mapPage(PKMAP_BASE + slot * PAGE_SIZE, pfn * PAGE_SIZE, KMAP_ATTRS);
    this.count[slot] = 1;
    this.slotPfn[slot] = pfn;
    this.bySlot.set(pfn, slot);
    return slot;
  }

  /** `flush_all_zero_pkmaps`: unmap every slot that is mapped but unused. */
  private flushAllZero(): void {
    for (let i = 0; i < LAST_PKMAP; i++) {
      if (this.count[i] !== 1) continue;
      this.count[i] = 0;
      this.machine.unmapPage(PKMAP_BASE + i * PAGE_SIZE);
      this.bySlot.delete(this.slotPfn[i]!);
      this.slotPfn[i] = -1;
    }
  }
}
