/**
 * The /proc views of memory, formatted as Linux 6.x prints them: /proc/meminfo (the fields a
 * kernel without swap, page cache or user processes can fill), /proc/zoneinfo (free pages,
 * watermarks, spanned/present/managed, protection), /proc/buddyinfo and /proc/slabinfo 2.1.
 * Formatting only: the numbers come from the memory manager.
 */
import { MAX_NR_ZONES } from './gfp.js';
import { NR_PAGE_ORDERS } from './buddy.js';
import type { KmemCache } from './slab.js';
import type { Zone } from './zones.js';

/** /proc/meminfo values in KiB (plus the sandbox's own breakdown of where pages went). */
export interface MeminfoValues {
  /** Managed pages (`totalram_pages`). */
  readonly MemTotal: number;
  /** Free pages in all zones. */
  readonly MemFree: number;
  /** Free pages minus `totalreserve_pages` (nothing is reclaimable). */
  readonly MemAvailable: number;
  /** Managed HighMem. */
  readonly HighTotal: number;
  /** Free HighMem. */
  readonly HighFree: number;
  /** Managed lowmem. */
  readonly LowTotal: number;
  /** Free lowmem. */
  readonly LowFree: number;
  /** Slab pages plus large kmalloc blocks. */
  readonly Slab: number;
  /** Always 0: no reclaimable caches. */
  readonly SReclaimable: number;
  /** Equal to Slab. */
  readonly SUnreclaim: number;
  /** Always 0 here (stacks are counted where they were allocated). */
  readonly KernelStack: number;
  /** Always 0: page tables are not modelled as pages. */
  readonly PageTables: number;
  /** Half of MemTotal (overcommit_ratio 50, no swap). */
  readonly CommitLimit: number;
  /** Size of the vmalloc area. */
  readonly VmallocTotal: number;
  /** Pages mapped by vmalloc areas. */
  readonly VmallocUsed: number;
  /** Sandbox: KiB held by alloc_pages/__get_free_pages callers (not a Linux field). */
  readonly PageAllocUsed: number;
  /** Sandbox: KiB in slab pages proper (Slab minus large kmalloc). */
  readonly SlabPages: number;
  /** Sandbox: KiB in large kmalloc blocks (counted in Slab/SUnreclaim, as Linux does). */
  readonly KmallocLarge: number;
}

function line(label: string, kb: number): string {
  return `${`${label}:`.padEnd(16)}${String(kb).padStart(8)} kB`;
}

/** `/proc/meminfo` text. */
export function formatMeminfo(v: MeminfoValues): string {
  const rows: [string, number][] = [
    ['MemTotal', v.MemTotal],
    ['MemFree', v.MemFree],
    ['MemAvailable', v.MemAvailable],
    ['Buffers', 0],
    ['Cached', 0],
    ['SwapCached', 0],
    ['Active', 0],
    ['Inactive', 0],
    ['Active(anon)', 0],
    ['Inactive(anon)', 0],
    ['Active(file)', 0],
    ['Inactive(file)', 0],
    ['Unevictable', 0],
    ['Mlocked', 0],
    ['HighTotal', v.HighTotal],
    ['HighFree', v.HighFree],
    ['LowTotal', v.LowTotal],
    ['LowFree', v.LowFree],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Dirty', 0],
    ['Writeback', 0],
    ['AnonPages', 0],
    ['Mapped', 0],
    ['Shmem', 0],
    ['KReclaimable', v.SReclaimable],
    ['Slab', v.Slab],
    ['SReclaimable', v.SReclaimable],
    ['SUnreclaim', v.SUnreclaim],
    ['KernelStack', v.KernelStack],
    ['PageTables', v.PageTables],
    ['NFS_Unstable', 0],
    ['Bounce', 0],
    ['WritebackTmp', 0],
    ['CommitLimit', v.CommitLimit],
    ['Committed_AS', 0],
    ['VmallocTotal', v.VmallocTotal],
    ['VmallocUsed', v.VmallocUsed],
    ['VmallocChunk', 0],
    ['Percpu', 0],
  ];
  return rows.map(([l, n]) => line(l, n)).join('\n') + '\n';
}

/** Free-area numbers per zone and order, as the buddy allocator reports them. */
export interface FreeAreaSource {
  freePages(zoneIdx: number): number;
  nrFree(zoneIdx: number, order: number): number;
}

/** `/proc/buddyinfo`: one line per populated zone. */
export function formatBuddyinfo(zones: readonly Zone[], src: FreeAreaSource): string {
  let out = '';
  for (const z of zones) {
    if (!z.populated) continue;
    out += `Node 0, zone ${z.name.padStart(8)} `;
    for (let o = 0; o < NR_PAGE_ORDERS; o++) out += `${String(src.nrFree(z.idx, o)).padStart(6)} `;
    out += '\n';
  }
  return out;
}

/** `/proc/zoneinfo`: every zone; unpopulated ones stop after `protection`. */
export function formatZoneinfo(zones: readonly Zone[], src: FreeAreaSource): string {
  let out = '';
  for (const z of zones) {
    const free = z.populated ? src.freePages(z.idx) : 0;
    out += `Node 0, zone ${z.name.padStart(8)}`;
    out += `\n  pages free     ${free}`;
    out += `\n        boost    0`;
    out += `\n        min      ${z.wmarkMin}`;
    out += `\n        low      ${z.wmarkLow}`;
    out += `\n        high     ${z.wmarkHigh}`;
    out += `\n        spanned  ${z.spanned}`;
    out += `\n        present  ${z.present}`;
    out += `\n        managed  ${z.managed}`;
    out += `\n        cma      0`;
    out += `\n        protection: (${z.lowmemReserve.slice(0, MAX_NR_ZONES).join(', ')})`;
    if (z.populated) {
      out += `\n      nr_free_pages ${free}`;
      out += `\n  node_unreclaimable:  0`;
      out += `\n  start_pfn:           ${z.startPfn}`;
    }
    out += '\n';
  }
  return out;
}

/** `/proc/slabinfo` version 2.1 (newest cache first, as the kernel's list is ordered). */
export function formatSlabinfo(caches: readonly KmemCache[]): string {
  let out = 'slabinfo - version: 2.1\n';
  out += '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n';
  for (let i = caches.length - 1; i >= 0; i--) {
    const c = caches[i]!;
    const slabs = c.slabs.size;
    out += `${c.name.padEnd(17)} ${String(c.activeObjects).padStart(6)} ${String(c.totalObjects).padStart(6)} ${String(c.size).padStart(6)} ${String(c.objects).padStart(4)} ${String(1 << c.order).padStart(4)}`;
    out += ` : tunables ${'0'.padStart(4)} ${'0'.padStart(4)} ${'0'.padStart(4)}`;
    out += ` : slabdata ${String(slabs).padStart(6)} ${String(slabs).padStart(6)} ${'0'.padStart(6)}\n`;
  }
  return out;
}
