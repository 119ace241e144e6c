/**
 * Memory zones as a 32-bit PowerPC kernel sets them up: ZONE_DMA ends at min(end of lowmem, 1 GiB)
 * (zone_dma_bits = 30 on PPC32), ZONE_NORMAL ends at the end of lowmem (so it is empty whenever
 * lowmem is below 1 GiB, as it always is with a 768 MiB linear map), ZONE_HIGHMEM holds the rest;
 * plus the min/low/high watermarks and lowmem_reserve computed from min_free_kbytes. Left out:
 * ZONE_DEVICE, memory hotplug, watermark boosting and kswapd.
 */
import { MAX_NR_ZONES, ZONE_DMA, ZONE_HIGHMEM, ZONE_MOVABLE, ZONE_NAMES, ZONE_NORMAL } from './gfp.js';
import type { PhysRange } from './memblock.js';

/** `zone_dma_bits` on PPC32: ZONE_DMA covers the first 1 GiB at most. */
export const ZONE_DMA_BITS = 30;
/** `sysctl_lowmem_reserve_ratio` per zone (DMA, Normal, HighMem, Movable). */
export const LOWMEM_RESERVE_RATIO: readonly number[] = [256, 32, 0, 0];
/** `watermark_scale_factor` default (in 1/10000 of managed pages). */
export const WATERMARK_SCALE_FACTOR = 10;
/** `SWAP_CLUSTER_MAX`: lower clamp of the highmem min watermark. */
const SWAP_CLUSTER_MAX = 32;

/** One zone's static description and accounting (free lists live in the buddy allocator). */
export class Zone {
  /** `struct zone` counters. */
  present = 0;
  /** Pages handed to the buddy allocator. */
  managed = 0;
  /** Watermarks in pages. */
  wmarkMin = 0;
  /** Low watermark. */
  wmarkLow = 0;
  /** High watermark. */
  wmarkHigh = 0;
  /** `lowmem_reserve[j]`: pages kept back from allocations whose highest zone is j. */
  readonly lowmemReserve = new Array<number>(MAX_NR_ZONES).fill(0);

  constructor(
    /** Zone index (ZONE_DMA...). */
    readonly idx: number,
    /** First pfn (inclusive). */
    readonly startPfn: number,
    /** End pfn (exclusive); equal to start for an empty zone. */
    readonly endPfn: number,
  ) {}

  /** Zone name (`DMA`, `Normal`, `HighMem`, `Movable`). */
  get name(): string {
    return ZONE_NAMES[this.idx]!;
  }

  /** `spanned_pages`. */
  get spanned(): number {
    return this.endPfn - this.startPfn;
  }

  /** `populated_zone`. */
  get populated(): boolean {
    return this.present > 0;
  }

  /** `is_highmem`. */
  get highmem(): boolean {
    return this.idx === ZONE_HIGHMEM;
  }
}

/** The max pfn of each zone, as paging_init computes `max_zone_pfns` on PPC32. */
export function maxZonePfns(maxLowPfn: number, maxPfn: number): number[] {
  const pfns = new Array<number>(MAX_NR_ZONES).fill(0);
  pfns[ZONE_DMA] = Math.min(maxLowPfn, 2 ** (ZONE_DMA_BITS - 12));
  pfns[ZONE_NORMAL] = maxLowPfn;
  pfns[ZONE_HIGHMEM] = maxPfn;
  pfns[ZONE_MOVABLE] = maxPfn;
  return pfns;
}

/** Build the zones (`free_area_init`): ranges from max_zone_pfns, present pages from RAM. */
export function buildZones(memory: readonly PhysRange[], minPfn: number, maxLowPfn: number, maxPfn: number): Zone[] {
  const maxes = maxZonePfns(maxLowPfn, maxPfn);
  const zones: Zone[] = [];
  let start = minPfn;
  for (let z = 0; z < MAX_NR_ZONES; z++) {
    // ZONE_MOVABLE stays empty: no kernelcore=/movablecore= here.
    const end = z === ZONE_MOVABLE ? start : Math.max(start, maxes[z]!);
    const zone = new Zone(z, start, end);
    for (const r of memory) {
      const lo = Math.max(start, Math.ceil(r.base / 4096));
      const hi = Math.min(end, Math.floor((r.base + r.size) / 4096));
      if (hi > lo) zone.present += hi - lo;
    }
    zones.push(zone);
    start = end;
  }
  return zones;
}

/** Integer square root, as `int_sqrt`. */
function intSqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x));
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/** `calculate_min_free_kbytes`: sqrt(lowmem KiB * 16), clamped to [128, 262144]. */
export function minFreeKbytes(zones: readonly Zone[]): number {
  const lowmemKb = zones.filter((z) => !z.highmem && z.idx !== ZONE_MOVABLE).reduce((s, z) => s + z.managed, 0) * 4;
  return Math.min(262144, Math.max(128, intSqrt(lowmemKb * 16)));
}

/** `__setup_per_zone_wmarks` and `setup_per_zone_lowmem_reserve` for these zones. */
export function setupWatermarks(zones: readonly Zone[], minFreeKb: number): void {
  const pagesMin = minFreeKb >> 2;
  const lowmemPages = zones.filter((z) => !z.highmem && z.idx !== ZONE_MOVABLE).reduce((s, z) => s + z.managed, 0);
  for (const zone of zones) {
    let tmp = lowmemPages > 0 ? Math.floor((pagesMin * zone.managed) / lowmemPages) : 0;
    if (zone.highmem || zone.idx === ZONE_MOVABLE) {
      zone.wmarkMin = Math.min(128, Math.max(SWAP_CLUSTER_MAX, Math.floor(zone.managed / 1024)));
    } else {
      zone.wmarkMin = tmp;
    }
    tmp = Math.max(tmp >> 2, Math.floor((zone.managed * WATERMARK_SCALE_FACTOR) / 10000));
    zone.wmarkLow = zone.wmarkMin + tmp;
    zone.wmarkHigh = zone.wmarkLow + tmp;
  }
  for (let i = 0; i < MAX_NR_ZONES; i++) {
    const zone = zones[i]!;
    const ratio = LOWMEM_RESERVE_RATIO[i]!;
    const clear = ratio === 0 || zone.managed === 0;
    let upper = 0;
    for (let j = i + 1; j < MAX_NR_ZONES; j++) {
      const uz = zones[j]!;
      upper += uz.managed;
      zone.lowmemReserve[j] = clear || uz.managed === 0 ? 0 : Math.floor(upper / ratio);
    }
  }
}

/** `calculate_totalreserve_pages`: per zone, the largest lowmem_reserve plus the high watermark. */
export function totalReservePages(zones: readonly Zone[]): number {
  let total = 0;
  for (const zone of zones) {
    let max = Math.max(0, ...zone.lowmemReserve);
    max += zone.wmarkHigh;
    total += Math.min(max, zone.managed);
  }
  return total;
}
