/**
 * GFP ("get free pages") flags as Linux 6.x defines them: bit values, the composite masks drivers
 * use, the zone a mask selects, whether it may sleep, and the `%pGg` rendering used in allocation
 * failure messages. Left out: memory-policy and cgroup semantics of flags this sandbox accepts but
 * ignores (__GFP_ACCOUNT, __GFP_HARDWALL, __GFP_THISNODE, ...).
 */

/** Allocate from ZONE_DMA only. */
export const __GFP_DMA = 0x01;
/** The allocation may come from ZONE_HIGHMEM (no permanent kernel mapping). */
export const __GFP_HIGHMEM = 0x02;
/** ZONE_DMA32 (does not exist on 32-bit PowerPC; accepted, treated as a normal allocation). */
export const __GFP_DMA32 = 0x04;
/** Movable page (page mobility grouping; informational here). */
export const __GFP_MOVABLE = 0x08;
/** Reclaimable slab page (informational here). */
export const __GFP_RECLAIMABLE = 0x10;
/** High priority: may dip into the reserves below the min watermark. */
export const __GFP_HIGH = 0x20;
/** May start physical I/O. */
export const __GFP_IO = 0x40;
/** May call into the filesystem. */
export const __GFP_FS = 0x80;
/** Return zeroed memory. */
export const __GFP_ZERO = 0x100;
/** May enter direct reclaim, i.e. may sleep. */
export const __GFP_DIRECT_RECLAIM = 0x400;
/** May wake kswapd. */
export const __GFP_KSWAPD_RECLAIM = 0x800;
/** Page will be written (informational). */
export const __GFP_WRITE = 0x1000;
/** Do not print the allocation-failure warning. */
export const __GFP_NOWARN = 0x2000;
/** Retry, but may fail. */
export const __GFP_RETRY_MAYFAIL = 0x4000;
/** Must not fail (the sandbox still fails when memory is truly gone, after warning). */
export const __GFP_NOFAIL = 0x8000;
/** Fail rather than retry hard. */
export const __GFP_NORETRY = 0x10000;
/** Use all emergency reserves. */
export const __GFP_MEMALLOC = 0x20000;
/** Compound page (head + tails); set by kmalloc for large allocations. */
export const __GFP_COMP = 0x40000;
/** Never use emergency reserves. */
export const __GFP_NOMEMALLOC = 0x80000;
/** Cpuset hard-wall (ignored). */
export const __GFP_HARDWALL = 0x100000;
/** This node only (ignored: one node). */
export const __GFP_THISNODE = 0x200000;
/** Charge to kmemcg (ignored). */
export const __GFP_ACCOUNT = 0x400000;

/** Both reclaim bits. */
export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;

/** Process context, may sleep: the common case. */
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
/** GFP_KERNEL charged to the memory cgroup. */
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
/** Atomic context (IRQ, spinlock held): never sleeps, may use part of the reserves. */
export const GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
/** Never sleeps, no reserves. */
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
/** May sleep, no I/O. */
export const GFP_NOIO = __GFP_RECLAIM;
/** May sleep, no filesystem calls. */
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
/** User-space allocations. */
export const GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
/** ZONE_DMA (combine with GFP_KERNEL or GFP_ATOMIC). */
export const GFP_DMA = __GFP_DMA;
/** ZONE_DMA32 (see {@link __GFP_DMA32}). */
export const GFP_DMA32 = __GFP_DMA32;
/** User pages that may be in highmem. */
export const GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
/** Movable user pages that may be in highmem. */
export const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;

/** Every bit the sandbox knows. Others are rejected as argument errors. */
export const GFP_KNOWN_MASK = 0x7ffdff;

/** Zone indices (`enum zone_type` on 32-bit PowerPC with highmem). */
export const ZONE_DMA = 0;
/** ZONE_NORMAL (empty on 32-bit PowerPC: ZONE_DMA covers all of lowmem). */
export const ZONE_NORMAL = 1;
/** ZONE_HIGHMEM: RAM above the linear map. */
export const ZONE_HIGHMEM = 2;
/** ZONE_MOVABLE: always empty here (no `movablecore=`), printed by /proc/zoneinfo. */
export const ZONE_MOVABLE = 3;
/** Number of zone types. */
export const MAX_NR_ZONES = 4;
/** Zone names as /proc prints them. */
export const ZONE_NAMES: readonly string[] = ['DMA', 'Normal', 'HighMem', 'Movable'];

/** The highest zone a mask may allocate from (`gfp_zone`). */
export function gfpZone(gfp: number): number {
  if (gfp & __GFP_DMA) return ZONE_DMA;
  if (gfp & __GFP_HIGHMEM) return ZONE_HIGHMEM;
  return ZONE_NORMAL;
}

/**
 * True when an allocation with this mask may sleep (`gfpflags_allow_blocking`): the context
 * checker calls `might_sleep()` for these.
 */
export function mayBlock(gfp: number): boolean {
  return (gfp & __GFP_DIRECT_RECLAIM) !== 0;
}

// Order matters: composite names first, as the kernel's table lists them.
const GFP_NAMES: readonly (readonly [number, string])[] = [
  [GFP_HIGHUSER_MOVABLE, 'GFP_HIGHUSER_MOVABLE'],
  [GFP_HIGHUSER, 'GFP_HIGHUSER'],
  [GFP_USER, 'GFP_USER'],
  [GFP_KERNEL_ACCOUNT, 'GFP_KERNEL_ACCOUNT'],
  [GFP_KERNEL, 'GFP_KERNEL'],
  [GFP_NOFS, 'GFP_NOFS'],
  [GFP_ATOMIC, 'GFP_ATOMIC'],
  [GFP_NOIO, 'GFP_NOIO'],
  [GFP_NOWAIT, 'GFP_NOWAIT'],
  [GFP_DMA, 'GFP_DMA'],
  [__GFP_HIGHMEM, '__GFP_HIGHMEM'],
  [GFP_DMA32, 'GFP_DMA32'],
  [__GFP_HIGH, '__GFP_HIGH'],
  [__GFP_IO, '__GFP_IO'],
  [__GFP_FS, '__GFP_FS'],
  [__GFP_NOWARN, '__GFP_NOWARN'],
  [__GFP_RETRY_MAYFAIL, '__GFP_RETRY_MAYFAIL'],
  [__GFP_NOFAIL, '__GFP_NOFAIL'],
  [__GFP_NORETRY, '__GFP_NORETRY'],
  [__GFP_COMP, '__GFP_COMP'],
  [__GFP_ZERO, '__GFP_ZERO'],
  [__GFP_NOMEMALLOC, '__GFP_NOMEMALLOC'],
  [__GFP_MEMALLOC, '__GFP_MEMALLOC'],
  [__GFP_HARDWALL, '__GFP_HARDWALL'],
  [__GFP_THISNODE, '__GFP_THISNODE'],
  [__GFP_RECLAIMABLE, '__GFP_RECLAIMABLE'],
  [__GFP_MOVABLE, '__GFP_MOVABLE'],
  [__GFP_ACCOUNT, '__GFP_ACCOUNT'],
  [__GFP_WRITE, '__GFP_WRITE'],
  [__GFP_RECLAIM, '__GFP_RECLAIM'],
  [__GFP_DIRECT_RECLAIM, '__GFP_DIRECT_RECLAIM'],
  [__GFP_KSWAPD_RECLAIM, '__GFP_KSWAPD_RECLAIM'],
];

/** `%pGg`: the mask as flag names joined by `|` (`GFP_KERNEL|__GFP_ZERO`), `none` for 0. */
export function gfpNames(gfp: number): string {
  if (gfp === 0) return 'none';
  let rest = gfp >>> 0;
  const parts: string[] = [];
  for (const [mask, name] of GFP_NAMES) {
    if (rest === 0) break;
    if ((rest & mask) >>> 0 !== mask) continue;
    parts.push(name);
    rest = (rest & ~mask) >>> 0;
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.join('|');
}

/** `mode:%#x(%pGg)` as in allocation-failure messages: `0xcc0(GFP_KERNEL)`. */
export function gfpMode(gfp: number): string {
  return `0x${(gfp >>> 0).toString(16)}(${gfpNames(gfp)})`;
}
