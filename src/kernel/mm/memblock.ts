/**
 * memblock, the boot-time memory map: the RAM regions the board reports and the ranges reserved
 * before the page allocator exists (kernel image, device-tree blob, `/memreserve/` entries and the
 * mem_map array itself, allocated top-down below the end of lowmem). Left out: NUMA node ids,
 * hotplug flags, `memblock=debug` dumps and freeing memblock's own arrays.
 */

/** A physical range [base, base+size). */
export interface PhysRange {
  readonly base: number;
  readonly size: number;
}

/** A named reservation. */
export interface Reservation extends PhysRange {
  /** What it is for (`kernel`, `dtb`, `memreserve`, `mem_map`, ...). */
  readonly name: string;
}

function mergeSorted(ranges: PhysRange[]): PhysRange[] {
  const sorted = ranges.filter((r) => r.size > 0).sort((a, b) => a.base - b.base);
  const out: { base: number; size: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.base <= last.base + last.size) {
      last.size = Math.max(last.size, r.base + r.size - last.base);
    } else {
      out.push({ base: r.base, size: r.size });
    }
  }
  return out;
}

/** The two memblock types: memory and reserved. */
export class Memblock {
  /** RAM, merged and sorted. */
  readonly memory: readonly PhysRange[];
  private readonly reservedList: Reservation[] = [];

  constructor(banks: readonly PhysRange[]) {
    for (const b of banks) {
      if (!Number.isSafeInteger(b.base) || !Number.isSafeInteger(b.size) || b.base < 0 || b.size < 0 || b.base % 4096 !== 0 || b.size % 4096 !== 0) {
        throw new RangeError(`memblock: RAM bank base=0x${b.base.toString(16)} size=0x${b.size.toString(16)} is not page aligned`);
      }
    }
    this.memory = mergeSorted([...banks]);
  }

  /** Reserved ranges as recorded (unmerged, with names), in the order they were reserved. */
  get reservations(): readonly Reservation[] {
    return this.reservedList;
  }

  /** Reserved ranges merged and sorted, page-rounded outwards. */
  reservedMerged(): PhysRange[] {
    return mergeSorted(
      this.reservedList.map((r) => {
        const base = Math.floor(r.base / 4096) * 4096;
        const end = Math.ceil((r.base + r.size) / 4096) * 4096;
        return { base, size: end - base };
      }),
    );
  }

  /** `memblock_reserve`. */
  reserve(base: number, size: number, name: string): void {
    if (size > 0) this.reservedList.push({ base, size, name });
  }

  /** `memblock_phys_mem_size`. */
  totalSize(): number {
    return this.memory.reduce((s, r) => s + r.size, 0);
  }

  /** `memblock_end_of_DRAM`. */
  endOfDram(): number {
    const last = this.memory[this.memory.length - 1];
    return last ? last.base + last.size : 0;
  }

  /** `memblock_start_of_DRAM`. */
  startOfDram(): number {
    return this.memory[0]?.base ?? 0;
  }

  /** True when [base, base+size) overlaps a reservation. */
  isReserved(base: number, size: number): boolean {
    return this.reservedMerged().some((r) => base < r.base + r.size && r.base < base + size);
  }

  /**
   * `memblock_alloc`: find `size` bytes aligned to `align` below `limit`, top-down (memblock's
   * default direction), reserve them and return the physical base; -1 when nothing fits.
   */
  allocTopDown(size: number, align: number, limit: number, name: string): number {
    const reserved = this.reservedMerged();
    for (let m = this.memory.length - 1; m >= 0; m--) {
      const region = this.memory[m]!;
      const end = Math.min(region.base + region.size, limit);
      // Walk the free gaps of this region from the top.
      const inRegion = reserved.filter((r) => r.base < end && r.base + r.size > region.base).sort((a, b) => b.base - a.base);
      let gapTop = end;
      const gaps: [number, number][] = [];
      for (const r of inRegion) {
        if (r.base + r.size < gapTop) gaps.push([r.base + r.size, gapTop]);
        gapTop = Math.min(gapTop, r.base);
      }
      if (gapTop > region.base) gaps.push([region.base, gapTop]);
      for (const [lo, hi] of gaps) {
        const base = Math.floor((hi - size) / align) * align;
        if (base >= lo && base + size <= hi) {
          this.reserve(base, size, name);
          return base;
        }
      }
    }
    return -1;
  }

  /** Free (unreserved) RAM ranges, page-granular, sorted. */
  freeRanges(): PhysRange[] {
    const reserved = this.reservedMerged();
    const out: PhysRange[] = [];
    for (const region of this.memory) {
      let cur = region.base;
      const end = region.base + region.size;
      for (const r of reserved) {
        if (r.base + r.size <= cur || r.base >= end) continue;
        if (r.base > cur) out.push({ base: cur, size: r.base - cur });
        cur = Math.max(cur, r.base + r.size);
      }
      if (cur < end) out.push({ base: cur, size: end - cur });
    }
    return out;
  }
}
