/**
 * dma_pool: small coherent blocks carved from whole coherent allocations ("pool pages"), never
 * crossing the pool's boundary, kept on a free list until the pool is destroyed. With slab
 * debugging on (the default here) blocks are poisoned — 0xa7 when free, 0xa9 when handed out — and
 * dmapool's corruption, bad-free and busy-destroy messages are reported.
 */
import type { Device } from '../device.js';
import type { Kernel } from '../kernel.js';
import { PAGE_SIZE } from '../layout.js';
import type { DmaAddrRef, DmaEngine } from './engine.js';

/** POOL_POISON_FREED. */
export const POOL_POISON_FREED = 0xa7;
/** POOL_POISON_ALLOCATED. */
export const POOL_POISON_ALLOCATED = 0xa9;

interface PoolPage {
  readonly va: number;
  readonly dma: number;
  /** Block offsets in this page that are free. */
  readonly free: Set<number>;
  inUse: number;
}

/** `struct dma_pool`. */
export class DmaPool {
  readonly pages: PoolPage[] = [];
  destroyed = false;

  constructor(
    /** Pool name (truncated to 32 bytes, as Linux does). */
    readonly name: string,
    readonly dev: Device,
    /** Block size after rounding. */
    readonly size: number,
    readonly align: number,
    /** Bytes per pool page. */
    readonly allocation: number,
    /** Blocks never cross a multiple of this. */
    readonly boundary: number,
  ) {}

  /** Blocks handed out and not freed. */
  get busy(): number {
    return this.pages.reduce((n, p) => n + p.inUse, 0);
  }
}

/** The pool operations, against one kernel's DMA engine. */
export class DmaPools {
  constructor(
    private readonly kernel: Kernel,
    private readonly engine: DmaEngine,
  ) {}

  /** `dma_pool_create`: null for a NULL device, a bad alignment or size, or a bad boundary. */
  create(name: string, dev: Device | null, size: number, align: number, boundary: number): DmaPool | null {
    if (!dev) return null;
    const a = align === 0 ? 1 : align;
    if (!Number.isInteger(a) || a < 0 || (a & (a - 1)) !== 0) return null;
    if (!Number.isInteger(size) || size <= 0 || size > 0x7fff_ffff) return null;
    let sz = Math.max(size, 8);
    sz = Math.ceil(sz / a) * a;
    const allocation = Math.max(sz, PAGE_SIZE);
    let b = boundary === 0 ? allocation : boundary;
    if (boundary !== 0 && (boundary < sz || (boundary & (boundary - 1)) !== 0)) return null;
    b = Math.min(b, allocation);
    return new DmaPool(name.slice(0, 32), dev, sz, a, allocation, b);
  }

  /** `dma_pool_alloc`: a CPU address and its handle, or null. */
  alloc(pool: DmaPool, gfp: number, handle: DmaAddrRef, caller: Function, zero: boolean): number | null {
    let page = pool.pages.find((p) => p.free.size > 0);
    if (!page) {
      const ref = { value: 0 };
      const va = this.engine.allocCoherent(pool.dev, pool.allocation, ref, gfp, caller);
      if (va === null) return null;
      const free = new Set<number>();
      for (let off = 0; off + pool.size <= pool.allocation; off += pool.size) {
        // A block may not cross the boundary: skip to the next boundary when it would.
        const start = Math.floor(off / pool.boundary) === Math.floor((off + pool.size - 1) / pool.boundary) ? off : -1;
        if (start >= 0) free.add(start);
      }
      page = { va, dma: ref.value, free, inUse: 0 };
      pool.pages.push(page);
      if (this.debug) this.kernel.machine.cpu.fill(va, POOL_POISON_FREED, pool.allocation);
    }
    const off = Math.min(...page.free);
    page.free.delete(off);
    page.inUse++;
    const va = page.va + off;
    const cpu = this.kernel.machine.cpu;
    if (this.debug) {
      const bad = cpu.findNot(va, POOL_POISON_FREED, pool.size);
      if (bad >= 0) {
        const bytes = new Uint8Array(Math.min(16, pool.size - bad));
        cpu.read(va + bad, bytes);
        this.kernel.reporter.report({
          kind: 'bug',
          id: 'dma.pool-corrupted',
          // dmapool reports with dev_err, so the line carries the driver and device.
          title: `${pool.dev.driverString} ${pool.dev.name}: dma_pool_alloc ${pool.name}, ${hex(va)} (corrupted)`,
          body: [`${hex(va + bad)}: ${Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join(' ')}`, 'A block was written after it was freed.'],
          driver: pool.dev.driverString,
          device: pool.dev.name,
          details: { va, offset: bad },
        });
      }
    }
    cpu.fill(va, zero ? 0 : this.debug ? POOL_POISON_ALLOCATED : 0, pool.size);
    handle.value = page.dma + off;
    return va;
  }

  /** `dma_pool_free`. */
  free(pool: DmaPool, va: number, dma: number): void {
    const page = pool.pages.find((p) => va >= p.va && va < p.va + pool.allocation);
    const bad = (msg: string, id: string): void => {
      this.kernel.reporter.report({ kind: 'bug', id, title: `${pool.dev.driverString} ${pool.dev.name}: dma_pool_free ${pool.name}, ${msg}`, driver: pool.dev.driverString, device: pool.dev.name, details: { va, dma } });
    };
    if (!page) return bad(`${hex(va)}/${hex(dma)} (bad dma)`, 'dma.pool-bad-free');
    const off = va - page.va;
    if (dma !== page.dma + off || off % pool.size !== 0) return bad(`${hex(va)} (bad vaddr)/${hex(dma)}`, 'dma.pool-bad-free'); // "%p (bad vaddr)/%pad", as dmapool prints it
    if (page.free.has(off)) return bad(`dma ${hex(dma)} already free`, 'dma.pool-double-free');
    this.engine.checkFree('dma_pool_free', va, pool.size);
    if (this.debug) this.kernel.machine.cpu.fill(va, POOL_POISON_FREED, pool.size);
    page.free.add(off);
    page.inUse--;
  }

  /** `dma_pool_destroy`: with blocks still out, "busy" and the pages are leaked. */
  destroy(pool: DmaPool | null): void {
    if (!pool || pool.destroyed) return;
    pool.destroyed = true;
    if (pool.busy > 0) {
      this.kernel.log.dev_printk(3, { driver: pool.dev.driverString, name: pool.dev.name }, `dma_pool_destroy ${pool.name} busy`);
      this.kernel.reporter.report({ kind: 'check', id: 'dma.pool-destroy-busy', title: `dma_pool_destroy ${pool.name} busy`, body: [`${pool.busy} block(s) still allocated; the pool's coherent pages are leaked.`], driver: pool.dev.driverString, device: pool.dev.name, details: { busy: pool.busy } });
      return;
    }
    for (const p of pool.pages) this.engine.freeCoherent(pool.dev, pool.allocation, p.va, p.dma);
    pool.pages.length = 0;
  }

  private get debug(): boolean {
    return this.kernel.boot.slubDebug;
  }
}

function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}
