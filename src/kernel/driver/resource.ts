/**
 * `struct resource`: a device's memory window or interrupt as the platform bus hands it to drivers,
 * the IORESOURCE_* flags, `%pR` formatting, and the iomem region registry behind
 * `request_mem_region` (the tree `/proc/iomem` shows; here a flat list of busy regions).
 */

/** I/O port space. */
export const IORESOURCE_IO = 0x0000_0100;
/** Memory-mapped registers (physical addresses). */
export const IORESOURCE_MEM = 0x0000_0200;
/** Register offsets. */
export const IORESOURCE_REG = 0x0000_0300;
/** An interrupt (start = Linux irq number). */
export const IORESOURCE_IRQ = 0x0000_0400;
/** A DMA channel. */
export const IORESOURCE_DMA = 0x0000_0800;
/** Bus numbers. */
export const IORESOURCE_BUS = 0x0000_1000;
/** Mask of the type bits. */
export const IORESOURCE_TYPE_BITS = 0x0000_1f00;
/** Prefetchable memory. */
export const IORESOURCE_PREFETCH = 0x0000_2000;
/** Claimed by a driver (`request_mem_region`). */
export const IORESOURCE_BUSY = 0x8000_0000;
/** IRQ resource trigger: rising edge. */
export const IORESOURCE_IRQ_HIGHEDGE = 1;
/** IRQ resource trigger: falling edge. */
export const IORESOURCE_IRQ_LOWEDGE = 2;
/** IRQ resource trigger: active-high level. */
export const IORESOURCE_IRQ_HIGHLEVEL = 4;
/** IRQ resource trigger: active-low level. */
export const IORESOURCE_IRQ_LOWLEVEL = 8;

/** `struct resource`. */
export interface Resource {
  /** First address (MEM: physical), or the Linux irq number (IRQ). */
  start: number;
  /** Last address, inclusive (IRQ: equal to start). */
  end: number;
  /** IORESOURCE_* type and attribute bits. */
  flags: number;
  /** Who it belongs to: the node name for tree resources, the requester for busy regions. */
  name: string;
}

/** `resource_size(r)`: `end - start + 1`. */
export function resource_size(r: Resource): number {
  return r.end - r.start + 1;
}

/** `resource_type(r)`: the IORESOURCE_* type bits. */
export function resource_type(r: Resource): number {
  return r.flags & IORESOURCE_TYPE_BITS;
}

function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

/** A resource as `%pR` prints it: `[mem 0xffe04500-0xffe045ff]`, `[irq 42]`, `[io  0x1000-0x10ff]`. */
export function formatResource(r: Resource | null | undefined): string {
  if (!r) return '(null)';
  switch (resource_type(r)) {
    case IORESOURCE_MEM:
      return `[mem ${hex(r.start, 8)}-${hex(r.end, 8)}${r.flags & IORESOURCE_PREFETCH ? ' pref' : ''}]`;
    case IORESOURCE_IO:
      return `[io  ${hex(r.start, 4)}-${hex(r.end, 4)}]`;
    case IORESOURCE_IRQ:
      return r.start === r.end ? `[irq ${r.start}]` : `[irq ${r.start}-${r.end}]`;
    case IORESOURCE_DMA:
      return `[dma ${r.start}]`;
    case IORESOURCE_BUS:
      return `[bus ${r.start.toString(16).padStart(2, '0')}-${r.end.toString(16).padStart(2, '0')}]`;
    default:
      return `[??? ${hex(r.start, 8)}-${hex(r.end, 8)} flags ${hex(r.flags, 1)}]`;
  }
}

/** A claimed memory region (an entry of `/proc/iomem` marked busy). */
export interface BusyRegion extends Resource {
  /** Who claimed it: the owner tag current at the time (a device name, or `kernel`). */
  readonly owner: string;
}

/** The claimed iomem regions of one kernel. */
export class IomemRegions {
  private readonly regions: BusyRegion[] = [];

  /** `request_mem_region(start, n, name)`: the new busy region, or null when it overlaps a claimed one. */
  request(start: number, n: number, name: string, owner: string): BusyRegion | null {
    if (!(n > 0)) return null;
    const end = start + n - 1;
    for (const r of this.regions) if (start <= r.end && r.start <= end) return null;
    const region: BusyRegion = { start, end, flags: IORESOURCE_MEM | IORESOURCE_BUSY, name, owner };
    this.regions.push(region);
    return region;
  }

  /** `release_mem_region(start, n)`: true when a region with exactly that range was claimed. */
  release(start: number, n: number): boolean {
    const i = this.regions.findIndex((r) => r.start === start && r.end === start + n - 1);
    if (i < 0) return false;
    this.regions.splice(i, 1);
    return true;
  }

  /** Claimed regions, by address. */
  list(): readonly BusyRegion[] {
    return [...this.regions].sort((a, b) => a.start - b.start);
  }

  /** Regions claimed under `owner`. */
  ownedBy(owner: string): BusyRegion[] {
    return this.regions.filter((r) => r.owner === owner);
  }
}
