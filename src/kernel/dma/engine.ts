/**
 * The DMA mapping mechanism of one kernel, as dma-direct does it on a 32-bit PowerPC: handles
 * are physical addresses (plus a device offset), masks decide when swiotlb bounces, and on a
 * non-coherent device every map, sync and unmap runs the cache maintenance of the reference table
 * (clean for TO_DEVICE; invalidate — or flush when the ends are not line-aligned — for
 * FROM_DEVICE; flush for BIDIRECTIONAL), through the CPU's cache-block instructions on the linear
 * address, so a bogus handle faults exactly where Linux's would. The checker is reached only
 * through its hooks.
 */
import { CpuFault } from '../../hw/errors.js';
import type { Device } from '../device.js';
import { SandboxArgumentError } from '../errors.js';
import type { Kernel } from '../kernel.js';
import { KERNEL_IMAGE, PAGE_OFFSET, PAGE_SIZE } from '../layout.js';
import { GFP_DMA } from '../mm/gfp.js';
import { INSN } from '../report/regs.js';
import { kernelFrame } from '../report/symbols.js';
import { CoherentAllocator } from './coherent.js';
import { DmaChecker, NULL_DMA_CHECKER, type DmaCheckerHooks } from './debug/checker.js';
import type { Scatterlist } from './sg.js';
import { Swiotlb, type Bounce } from './swiotlb.js';
import {
  DMA_ATTR_NO_WARN, DMA_ATTR_SKIP_CPU_SYNC, DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_MAPPING_ERROR, DMA_NONE, DMA_TO_DEVICE, hex8, validDirection,
} from './types.js';

const ENOMEM = 12;
const OP_INSN = { dcbst: INSN.DCBST, dcbi: INSN.DCBI, dcbf: INSN.DCBF } as const;
const EIO = 5;

/** A `dma_addr_t *` out-parameter: `dma_alloc_coherent(dev, size, handle, gfp)` writes `handle.value`. */
export interface DmaAddrRef {
  value: number;
}

/** How the engine treats every mapping. */
export interface DmaEngineOptions {
  /** Bounce every streaming mapping (`swiotlb=force`). */
  readonly forceBounce?: boolean;
  /** Record "Mapped at:" stacks (default true). */
  readonly stacks?: boolean;
  /** Checker layers (default: both on; dma_debug=off turns off the whole checker). */
  readonly apiChecks?: boolean;
  readonly accessChecks?: boolean;
}

/** The DMA layer of a kernel. */
export class DmaEngine {
  /** The checker (the no-op one with `dma_debug=off`). */
  readonly checker: DmaCheckerHooks;
  /** The full checker object when checking is on (live entries, dump, layers). */
  readonly debug: DmaChecker | null;
  /** The bounce pool, when swiotlb is active. */
  readonly swiotlb: Swiotlb | null;
  readonly coherent: CoherentAllocator;
  /** Bounce every mapping. */
  readonly forceBounce: boolean;
  private readonly warnedOnce = new Set<string>();

  constructor(private readonly kernel: Kernel, opts: DmaEngineOptions = {}) {
    const m = kernel.machine;
    if (kernel.boot.dmaDebug) {
      this.debug = new DmaChecker(kernel.reporter, m, {
        ...(opts.stacks !== undefined ? { stacks: opts.stacks } : {}),
        ...(opts.apiChecks !== undefined ? { apiChecks: opts.apiChecks } : {}),
        ...(opts.accessChecks !== undefined ? { accessChecks: opts.accessChecks } : {}),
      });
      if (kernel.boot.dmaDebugDriver) this.debug.out.driverFilter = kernel.boot.dmaDebugDriver;
      kernel.symptoms.listener = (s) => this.debug!.symptom(s);
      this.checker = this.debug;
    } else {
      this.debug = null;
      this.checker = NULL_DMA_CHECKER;
    }
    this.forceBounce = opts.forceBounce ?? kernel.boot.swiotlbForce;
    const topOfRam = Math.max(...m.store.banks.map((b) => b.base + b.size));
    this.swiotlb = this.forceBounce || topOfRam > 0x1_0000_0000 ? new Swiotlb(kernel.mm, m.cpu) : null;
    this.coherent = new CoherentAllocator(m, kernel.mm);
    if (this.swiotlb) kernel.log.info(`software IO TLB: area num 1.`);
  }

  /** Tell the checker which device drives which bus-master port. */
  registerDevice(dev: Device): void {
    this.debug?.registerDevice(dev);
  }

  // ---- masks --------------------------------------------------------------------------------

  /** `dma_set_mask`: 0, or -EIO when the device has no mask or it cannot cover low memory. */
  setMask(dev: Device, mask: bigint): number {
    if (dev.dmaMask === null || !this.supported(mask)) return -EIO;
    dev.dmaMask = mask & 0xffff_ffff_ffff_ffffn;
    return 0;
  }

  /** `dma_set_coherent_mask`. */
  setCoherentMask(dev: Device, mask: bigint): number {
    if (!this.supported(mask)) return -EIO;
    dev.coherentDmaMask = mask & 0xffff_ffff_ffff_ffffn;
    return 0;
  }

  /**
   * `dma_get_required_mask` as dma-direct computes it: the smallest all-ones mask covering the
   * last page of RAM, `(1 << (fls64(max_dma) - 1)) * 2 - 1` — 28 bits on a 256 MiB board (no
   * 32-bit floor, so a 28-bit device there is not addressing-limited).
   */
  requiredMask(): bigint {
    const lastPage = Math.max(...this.kernel.machine.store.banks.map((b) => b.base + b.size)) - PAGE_SIZE;
    let bits = 1;
    while (2 ** bits <= lastPage) bits++;
    return (1n << BigInt(bits)) - 1n;
  }

  private supported(mask: bigint): boolean {
    if (mask >= 0xffff_ffffn) return true;
    const lowTop = this.kernel.mm.memstart + this.kernel.mm.lowmemSize - 1;
    return mask >= BigInt(lowTop);
  }

  // ---- streaming ----------------------------------------------------------------------------

  /** `dma_map_single_attrs`. */
  mapSingle(dev: Device, va: number, size: number, dir: number, attrs: number, caller: Function): number {
    this.checkDevice('dma_map_single', dev);
    this.checkDir(dir, 'dma_map_single');
    checkUint('dma_map_single', 'ptr', va);
    checkSize('dma_map_single', size);
    if (dev.dmaMask === null) return this.noMask(dev);
    if (this.kernel.mm.is_vmalloc_addr(va)) {
      this.devWarnOnce(dev, 'dma.vmalloc-rejected', 'rejecting DMA map of vmalloc memory');
      return DMA_MAPPING_ERROR;
    }
    const pa = this.linearToPhys(va);
    const valid = va >= PAGE_OFFSET && va < this.kernel.highMemory;
    this.checker.mapArea(dev, va, pa, size, valid ? this.areaOf(va, pa, size) : 'invalid');
    return this.mapPhys(dev, va, pa, size, dir, attrs, 'single', caller);
  }

  /** `dma_map_page_attrs`. */
  mapPage(dev: Device, page: number, offset: number, size: number, dir: number, attrs: number, caller: Function): number {
    this.checkDevice('dma_map_page', dev);
    this.checkDir(dir, 'dma_map_page');
    checkSize('dma_map_page', size);
    if (dev.dmaMask === null) return this.noMask(dev);
    const pa = this.kernel.mm.page_to_phys(page) + offset;
    const lowmem = this.kernel.mm.page_address(page);
    const va = lowmem === null ? -1 : lowmem + offset;
    if (va >= 0) this.checker.mapArea(dev, va, pa, size, this.areaOf(va, pa, size));
    return this.mapPhys(dev, va, pa, size, dir, attrs, 'single', caller);
  }

  /** `dma_unmap_single_attrs` / `dma_unmap_page_attrs`. */
  unmap(dev: Device, addr: number, size: number, dir: number, attrs: number, fn: string): void {
    this.checkDevice(fn, dev);
    this.checkDir(dir, fn);
    checkDmaAddr(fn, addr);
    const pa = addr - dev.dmaOffset;
    const b = this.swiotlb?.find_(pa);
    if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC)) this.syncForCpu(dev, pa, size, dir, b, fn);
    this.checker.unmap(dev, addr, size, dir, 'single', fn);
    if (b) this.swiotlb!.release(b);
  }

  /** `dma_sync_single_for_cpu` (and the range variant with the offset added). */
  syncSingleForCpu(dev: Device, addr: number, size: number, dir: number, fn: string): void {
    this.checkDevice(fn, dev);
    this.checkDir(dir, fn);
    checkDmaAddr(fn, addr);
    const pa = addr - dev.dmaOffset;
    this.syncForCpu(dev, pa, size, dir, this.swiotlb?.containing(pa, size), fn);
    this.checker.sync(dev, addr, size, dir, true);
  }

  /** `dma_sync_single_for_device` (and the range variant). */
  syncSingleForDevice(dev: Device, addr: number, size: number, dir: number, fn: string): void {
    this.checkDevice(fn, dev);
    this.checkDir(dir, fn);
    checkDmaAddr(fn, addr);
    const pa = addr - dev.dmaOffset;
    this.syncForDevice(dev, pa, size, dir, this.swiotlb?.containing(pa, size), fn);
    this.checker.sync(dev, addr, size, dir, false);
  }

  /** `dma_mapping_error`: 0, or -ENOMEM for DMA_MAPPING_ERROR. */
  mappingError(dev: Device, addr: number): number {
    this.checkDevice('dma_mapping_error', dev);
    this.checker.mappingError(dev, addr);
    return addr === DMA_MAPPING_ERROR ? -ENOMEM : 0;
  }

  // ---- scatter-gather -----------------------------------------------------------------------

  /** `dma_map_sg_attrs`: the number of entries mapped, or 0 on failure. */
  mapSg(dev: Device, sgl: Scatterlist[], nents: number, dir: number, attrs: number, caller: Function): number {
    this.checkDevice('dma_map_sg', dev);
    this.checkDir(dir, 'dma_map_sg');
    if (!Array.isArray(sgl) || !Number.isInteger(nents) || nents <= 0 || nents > sgl.length) {
      throw new SandboxArgumentError('dma_map_sg', 'nents', `a positive count no larger than the scatterlist (${Array.isArray(sgl) ? sgl.length : 'no list'})`, nents);
    }
    if (dev.dmaMask === null) {
      this.noMask(dev);
      return 0;
    }
    const mm = this.kernel.mm;
    const done: [number, number][] = [];
    for (let i = 0; i < nents; i++) {
      const sg = sgl[i]!;
      const va = sg.buf >= 0 ? sg.buf : mm.page_address(sg.page) === null ? -1 : mm.page_address(sg.page)! + sg.offset;
      const pa = sg.buf >= 0 ? this.linearToPhys(sg.buf) : mm.page_to_phys(sg.page) + sg.offset;
      if (va >= 0) this.checker.mapArea(dev, va, pa, sg.length, this.areaOf(va, pa, sg.length));
      const dma = this.mapPhys(dev, va, pa, sg.length, dir, attrs, 'scather-gather', caller, { sgCallEnts: nents, sgMappedEnts: nents, noWarn: true });
      if (dma === DMA_MAPPING_ERROR) {
        for (const [addr, len] of done) this.unmapSgEntry(dev, addr, len, dir, attrs, nents);
        return 0;
      }
      sg.dma_address = dma;
      sg.dma_length = sg.length;
      this.checker.sgSegment(dev, dma, sg.length);
      done.push([dma, sg.length]);
    }
    return nents;
  }

  /** `dma_unmap_sg_attrs` (nents must be what was passed to map_sg). */
  unmapSg(dev: Device, sgl: Scatterlist[], nents: number, dir: number, attrs: number): void {
    this.checkDevice('dma_unmap_sg', dev);
    this.checkDir(dir, 'dma_unmap_sg');
    for (let i = 0; i < nents && i < sgl.length; i++) this.unmapSgEntry(dev, sgl[i]!.dma_address, sgl[i]!.dma_length, dir, attrs, nents);
  }

  /** `dma_sync_sg_for_cpu` / `dma_sync_sg_for_device`. */
  syncSg(dev: Device, sgl: Scatterlist[], nelems: number, dir: number, toCpu: boolean): void {
    const fn = toCpu ? 'dma_sync_sg_for_cpu' : 'dma_sync_sg_for_device';
    this.checkDevice(fn, dev);
    this.checkDir(dir, fn);
    for (let i = 0; i < nelems && i < sgl.length; i++) {
      const sg = sgl[i]!;
      const pa = sg.dma_address - dev.dmaOffset;
      const b = this.swiotlb?.containing(pa, sg.dma_length);
      if (toCpu) this.syncForCpu(dev, pa, sg.dma_length, dir, b, fn);
      else this.syncForDevice(dev, pa, sg.dma_length, dir, b, fn);
      this.checker.sync(dev, sg.dma_address, sg.dma_length, dir, toCpu, nelems);
    }
  }

  private unmapSgEntry(dev: Device, addr: number, len: number, dir: number, attrs: number, nents: number): void {
    const pa = addr - dev.dmaOffset;
    const b = this.swiotlb?.find_(pa);
    if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC)) this.syncForCpu(dev, pa, len, dir, b, 'dma_unmap_sg');
    this.checker.unmap(dev, addr, len, dir, 'scather-gather', 'dma_unmap_sg', { sgNents: nents });
    if (b) this.swiotlb!.release(b);
  }

  // ---- coherent -----------------------------------------------------------------------------

  /** `dma_alloc_coherent`: the CPU address (handle written to `handle.value`), or null. */
  allocCoherent(dev: Device, size: number, handle: DmaAddrRef, gfp: number, caller: Function): number | null {
    this.checkDevice('dma_alloc_coherent', dev);
    checkSize('dma_alloc_coherent', size);
    if (!handle || typeof handle !== 'object') throw new SandboxArgumentError('dma_alloc_coherent', 'dma_handle', 'an object to receive the handle ({ value: 0 })', handle);
    if (dev.coherentDmaMask === 0n) {
      this.warnOnce('dma.coherent-no-mask', `${dev.driverString} ${dev.name}: coherent DMA mask is unset`, dev);
      return null;
    }
    const needDma = dev.coherentDmaMask < BigInt(this.kernel.mm.memstart + this.kernel.mm.lowmemSize - 1);
    const b = this.coherent.alloc(size, gfp | (needDma ? GFP_DMA : 0), dev.dmaCoherent, this.kernel.owner);
    if (!b) return null;
    handle.value = b.pa + dev.dmaOffset;
    this.checker.map(
      { dev, type: 'coherent', dmaAddr: handle.value, size, dir: DMA_BIDIRECTIONAL, pa: b.pa, devPa: b.pa, cpuVa: b.va, skipCpuSync: false },
      caller,
      () => null,
    );
    return b.va;
  }

  /** `dma_free_coherent`. Freeing NULL does nothing. */
  freeCoherent(dev: Device, size: number, va: number | null, handle: number): void {
    this.checkDevice('dma_free_coherent', dev);
    if (this.kernel.ctx.irqsDisabled) {
      // WARN_ON() carries no message: the splat starts with the WARNING: line.
      this.kernel.reporter.warn({ id: 'dma.free-irqs-disabled', title: '', site: { file: 'kernel/dma/mapping.c', line: 706 }, driver: dev.driverString, device: dev.name, details: { condition: 'irqs_disabled()' } });
    }
    if (va === null || va === 0) return;
    // dma-debug compares the physical address behind the CPU address (virt_to_page, or
    // vmalloc_to_pfn for the uncached remap), not the address itself.
    const mapped = this.kernel.machine.cpu.virtToPhys(va);
    const cpuPa = mapped >= 0 ? mapped : (this.linearToPhys(va) >>> 0);
    this.checker.unmap(dev, handle, size, DMA_BIDIRECTIONAL, 'coherent', 'dma_free_coherent', { cpuPa });
    const b = this.coherent.lookup(va);
    if (b && b.pa + dev.dmaOffset === handle) this.coherent.release(b);
  }

  // ---- frees of ordinary memory -------------------------------------------------------------

  /** Check a free of [va, va+len) against live mappings (kfree, free_pages, vfree, dma_pool_free). */
  checkFree(fn: string, va: number, len: number): void {
    if (this.checker === NULL_DMA_CHECKER || len <= 0) return;
    const cpu = this.kernel.machine.cpu;
    for (let off = 0; off < len; ) {
      const n = Math.min(len - off, PAGE_SIZE - ((va + off) % PAGE_SIZE));
      const pa = cpu.virtToPhys(va + off);
      if (pa >= 0) this.checker.free(fn, va + off, pa, n);
      off += n;
    }
  }

  // ---- the mechanism ------------------------------------------------------------------------

  private mapPhys(
    dev: Device,
    va: number,
    pa: number,
    size: number,
    dir: number,
    attrs: number,
    type: 'single' | 'scather-gather',
    caller: Function,
    sg: { sgCallEnts: number; sgMappedEnts: number; noWarn?: boolean } | null = null,
  ): number {
    let dma = pa + dev.dmaOffset;
    let devPa = pa;
    let bounce: Bounce | null = null;
    if (this.forceBounce || !this.capable(dev, dma, size)) {
      if (this.swiotlb && (va >= 0 || this.kernel.machine.store.isRam(pa))) {
        bounce = this.swiotlb.map(pa, va, size);
        if (!bounce) {
          if (!(attrs & DMA_ATTR_NO_WARN)) {
            this.kernel.log.dev_printk(3, { driver: dev.driverString, name: dev.name }, `swiotlb buffer is full (sz: ${size} bytes), total ${this.swiotlb.totalSlots} (slots), used ${this.swiotlb.used} (slots)`);
          }
          return DMA_MAPPING_ERROR;
        }
        devPa = bounce.bouncePa;
        dma = devPa + dev.dmaOffset;
      } else {
        this.devWarnOnce(dev, 'dma.addr-overflow', `DMA addr ${hex8(dma)}+${size} overflow (mask ${(dev.dmaMask ?? 0n).toString(16)}, bus limit 0).`);
        return DMA_MAPPING_ERROR;
      }
    }
    if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) && !dev.dmaCoherent) this.archSync(devPa, size, dir, true, 'dma_map');
    this.checker.map(
      { dev, type, dmaAddr: dma, size, dir, pa, devPa, cpuVa: va, skipCpuSync: (attrs & DMA_ATTR_SKIP_CPU_SYNC) !== 0, ...(sg ? { sgCallEnts: sg.sgCallEnts, sgMappedEnts: sg.sgMappedEnts } : {}) },
      caller,
      (p, n) => this.ownerOfBytes(p, n),
    );
    return dma;
  }

  private syncForCpu(dev: Device, pa: number, size: number, dir: number, b: Bounce | undefined | null, fn: string): void {
    if (b) {
      const off = pa - b.bouncePa;
      if (!dev.dmaCoherent) this.archSync(pa, size, dir, false, fn);
      if (dir === DMA_FROM_DEVICE || dir === DMA_BIDIRECTIONAL) this.swiotlb!.toOrig(b, off, size);
      return;
    }
    if (!dev.dmaCoherent) this.archSync(pa, size, dir, false, fn);
  }

  private syncForDevice(dev: Device, pa: number, size: number, dir: number, b: Bounce | undefined | null, fn: string): void {
    if (b && (dir === DMA_TO_DEVICE || dir === DMA_BIDIRECTIONAL)) this.swiotlb!.toBounce(b, pa - b.bouncePa, size);
    if (!dev.dmaCoherent) this.archSync(pa, size, dir, true, fn);
  }

  /**
   * `__dma_sync` on non-coherent 32-bit PowerPC. The linear address is computed as
   * `page_address(pfn_to_page(pa >> PAGE_SHIFT))` is — pure arithmetic — so a handle beyond low
   * memory points into unmapped kernel space (or wraps into user space) and the first cache
   * instruction faults, with the NIP in the architecture sync path.
   */
  private archSync(pa: number, size: number, dir: number, forDevice: boolean, fn: string): void {
    if (size <= 0) return;
    const mm = this.kernel.mm;
    const ls = this.kernel.machine.store.lineSize;
    const lowEnd = mm.memstart + mm.lowmemSize;
    const highmemRam = pa >= lowEnd && this.kernel.machine.store.isRam(pa);
    const op =
      dir === DMA_TO_DEVICE ? 'dcbst' : dir === DMA_FROM_DEVICE ? ((pa % ls) !== 0 || ((pa + size) % ls) !== 0 ? 'dcbf' : 'dcbi') : 'dcbf';
    if (highmemRam) {
      // __dma_sync_page_highmem: kmap_atomic each page and run the same loop.
      this.physOp(op, pa, size);
      return;
    }
    const va = (pa - mm.memstart + PAGE_OFFSET) % 0x1_0000_0000;
    try {
      this.kernel.machine.cpu.cacheBlockOp(op, va, size);
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      if (e.reason === 'protection') {
        // A dcbi on the kernel image (handle 0 is its first page). The sandbox write-protects
        // text and rodata against stores, but the pinned linear-map entries __dma_sync runs on
        // are writable for the kernel, so Linux takes no fault here: the lines are invalidated
        // and only dma-debug speaks (reference §4.1). Redo the whole range on the physical
        // lines; those the instruction loop already handled are unaffected the second time.
        this.physOp(op, pa, size);
        return;
      }
      const arch = forDevice ? 'arch_sync_dma_for_device' : 'arch_sync_dma_for_cpu';
      // __dma_sync and dma_direct_sync_single_* are inlined in Linux 6.6, so NIP is in the arch
      // sync function, LR is the DMA API call the driver made, and the driver comes next; the
      // word at NIP is the cache instruction that faulted.
      throw this.kernel.reporter.oops({
        fault: { address: e.va, access: e.access, machineCheck: e.reason === 'machine-check', insn: OP_INSN[op], ...(e.reason === 'user' ? { kuap: true } : {}) },
        frames: [kernelFrame(arch, { offset: 0x44 })],
        userFirst: false,
        details: { handlePa: pa, size, dir, op, reason: e.reason, fn },
      });
    }
  }

  /** The cache operation `op` on every line of physical [pa, pa+size), without translation. */
  private physOp(op: 'dcbst' | 'dcbi' | 'dcbf', pa: number, size: number): void {
    const c = this.kernel.machine.cache;
    if (op === 'dcbst') c.clean(pa, size);
    else if (op === 'dcbi') c.invalidate(pa, size);
    else c.flush(pa, size);
  }

  private capable(dev: Device, dma: number, size: number): boolean {
    const mask = dev.dmaMask ?? 0n;
    return BigInt(dma + size - 1) <= mask;
  }

  private linearToPhys(va: number): number {
    return va - PAGE_OFFSET + this.kernel.mm.memstart;
  }

  /** Classify a lowmem buffer for dma-debug's area checks. */
  private areaOf(va: number, pa: number, size: number): 'stack' | 'text' | 'ok' {
    const t = this.kernel.ctx.task;
    if (va < t.stackTop && va + size > t.stackBase) return 'stack';
    const textEnd = this.kernel.mm.memstart + KERNEL_IMAGE.textSize + KERNEL_IMAGE.rodataSize;
    if (pa < textEnd && pa + size > this.kernel.mm.memstart) return 'text';
    return 'ok';
  }

  /** Who owns the bytes next to a mapping (for the "can corrupt" check); null when nobody else does. */
  private ownerOfBytes(pa: number, len: number): string | null {
    const va = pa - this.kernel.mm.memstart + PAGE_OFFSET;
    const mm = this.kernel.mm;
    const obj = mm.objectAt(va);
    if (obj) {
      if (obj.state !== 'allocated') return null; // free or padding: nothing writes there
      return `${obj.cache} object at 0x${obj.objectStart.toString(16)}`;
    }
    const t = this.kernel.ctx.task;
    if (va < t.stackTop && va + len > t.stackBase) return 'the kernel stack';
    return 'other kernel data';
  }

  private checkDevice(fn: string, dev: Device): void {
    if (!dev || typeof dev !== 'object' || !('busMaster' in dev)) throw new SandboxArgumentError(fn, 'dev', 'a struct device (from the board or Kernel.createDevice)', dev);
  }

  /** `BUG_ON(!valid_dma_direction(dir))`. */
  private checkDir(dir: number, fn: string): void {
    if (validDirection(dir)) return;
    throw this.kernel.reporter.bug({
      id: 'dma.bug-dma-none',
      site: { file: 'kernel/dma/mapping.c', line: fn.includes('sync') ? 329 : 155 },
      body: [`${fn}() called with ${dir === DMA_NONE ? 'DMA_NONE' : `invalid direction ${String(dir)}`}`],
      details: { dir },
    });
  }

  private noMask(dev: Device): number {
    this.warnOnce('dma.no-mask', '', dev); // WARN_ON_ONCE(!dev->dma_mask): no message
    return DMA_MAPPING_ERROR;
  }

  private devWarnOnce(dev: Device, id: string, msg: string): void {
    this.warnOnce(id, `${dev.driverString} ${dev.name}: ${msg}`, dev);
  }

  private warnOnce(id: string, title: string, dev: Device): void {
    const key = `${id}:${dev.name}`;
    if (this.warnedOnce.has(key)) return;
    this.warnedOnce.add(key);
    this.kernel.reporter.warn({ id, title, driver: dev.driverString, device: dev.name, site: WARN_SITE[id] ?? { file: 'kernel/dma/mapping.c', line: 200 } });
  }
}

// Where each WARN lives in Linux 6.6 (line numbers synthetic but stable).
const WARN_SITE: Record<string, { file: string; line: number }> = {
  'dma.addr-overflow': { file: 'kernel/dma/direct.h', line: 103 }, // dma_direct_map_page
  'dma.vmalloc-rejected': { file: 'include/linux/dma-mapping.h', line: 332 }, // dma_map_single_attrs
  'dma.no-mask': { file: 'kernel/dma/mapping.c', line: 160 }, // dma_map_page_attrs
};

/** A DMA handle: up to the e500's 36-bit physical space (boards with RAM above 4 GiB hand out such handles). */
function checkDmaAddr(fn: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** 36) throw new SandboxArgumentError(fn, 'addr', 'a DMA address (a non-negative integer below 2^36)', v);
}

function checkUint(fn: string, arg: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new SandboxArgumentError(fn, arg, 'a 32-bit address (a non-negative integer)', v);
}

function checkSize(fn: string, size: number): void {
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw new SandboxArgumentError(fn, 'size', 'a positive integer byte count', size);
}
