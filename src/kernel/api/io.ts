/**
 * Device memory as drivers reach it: `ioremap` and friends (plain, managed, from a platform
 * resource, from a device-tree node), `request_mem_region`, the MMIO accessors with PowerPC
 * endianness (`in_be32` and `ioread32be` are native; `readl`/`writel` are little-endian, done with
 * byte-reversed loads and stores) and the barriers. An access outside a mapped window faults
 * (bad area); inside a mapped page where no device answers, it is a machine check.
 */
import type { Device } from '../device.js';
import { currentKernel } from '../current.js';
import { SandboxArgumentError } from '../errors.js';
import { driverCore, type BarrierKind } from '../driver/core.js';
import { devres_add, devres_remove } from '../driver/devres.js';
import { EBUSY, EINVAL, ENOMEM, ERR_PTR } from '../driver/errno.js';
import { IOREMAP_END } from '../driver/ioremap.js';
import { addressToResource } from '../driver/of-address.js';
import type { OfNode } from '../driver/of-node.js';
import type { PlatformDevice } from '../driver/platform-device.js';
import { devPrintk } from '../driver/printk.js';
import { formatResource, IORESOURCE_MEM, resource_size, resource_type, type Resource } from '../driver/resource.js';
import { Kernel } from '../kernel.js';
import { IOREMAP_BASE, PAGE_SIZE } from '../layout.js';
import { KERN_ERR } from '../report/log.js';
import { captureStack } from '../report/stack.js';
import { kernelFor } from './kernel-of.js';
import { platform_get_resource } from './platform.js';

function hex(v: number, digits = 8): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

function callerName(): string {
  const user = captureStack().find((f) => f.user);
  return user ? user.fn : '<unknown>';
}

function doIoremap(k: Kernel, fn: string, pa: number, size: number): number | null {
  if (!Number.isSafeInteger(pa) || pa < 0) throw new SandboxArgumentError(fn, 'offset', 'a physical address', pa);
  if (!Number.isSafeInteger(size) || size < 0) throw new SandboxArgumentError(fn, 'size', 'a byte count', size);
  if (size === 0) return null;
  const first = Math.floor(pa / PAGE_SIZE) * PAGE_SIZE;
  for (let p = first; p < pa + size; p += PAGE_SIZE) {
    if (k.machine.store.isRam(p)) {
      k.log.warn(`__ioremap_caller(): phys addr ${hex(p)} is RAM lr ${callerName()}`);
      return null;
    }
  }
  const area = driverCore(k).ioremap.map(pa, size, k.owner);
  if (area === null) {
    k.log.warn(`vmap allocation for size ${Math.ceil((pa + size - first) / PAGE_SIZE) * PAGE_SIZE + PAGE_SIZE} failed: use vmalloc=<size> to increase size`);
    return null;
  }
  return area.cookie;
}

/**
 * `ioremap(offset, size)`: map a physical device window cache-inhibited and guarded; the kernel
 * virtual address of `offset`, or null (size 0, RAM, or the ioremap area is full).
 */
export function ioremap(offset: number, size: number): number | null {
  return doIoremap(kernelFor('ioremap'), 'ioremap', offset, size);
}

/** `iounmap(addr)`: unmap what ioremap returned; an address it did not return is a WARN, as in vunmap. */
export function iounmap(addr: number | null): void {
  const k = kernelFor('iounmap');
  if (addr === null || addr === 0) return;
  const core = driverCore(k);
  const area = core.ioremap.find(addr);
  if (area === undefined || Math.floor(addr / PAGE_SIZE) * PAGE_SIZE !== area.va) {
    k.reporter.warn({
      id: 'io.iounmap-bad',
      title: `Trying to vunmap() nonexistent vm area (${(addr >>> 0).toString(16).padStart(8, '0')})`,
      site: { file: 'mm/vmalloc.c', line: 2943 },
      ...(addr >= IOREMAP_BASE && addr < IOREMAP_END ? {} : { after: [`driverlab: ${hex(addr)} is not in the ioremap area [${hex(IOREMAP_BASE)}, ${hex(IOREMAP_END)})`] }),
      details: { addr },
    });
    return;
  }
  core.ioremap.unmap(addr);
}

/** `devm_ioremap(dev, offset, size)`: ioremap unmapped automatically at unbind. */
export function devm_ioremap(dev: Device, offset: number, size: number): number | null {
  const k = kernelFor('devm_ioremap');
  const va = doIoremap(k, 'devm_ioremap', offset, size);
  if (va === null) return null;
  const core = driverCore(k);
  core.ioremap.find(va)!.managed = true;
  devres_add(dev, 'devm_ioremap', () => core.ioremap.unmap(va), va);
  return va;
}

/** `devm_iounmap(dev, addr)`: unmap a devm_ioremap mapping early. */
export function devm_iounmap(dev: Device, addr: number): void {
  const k = kernelFor('devm_iounmap');
  if (devres_remove(dev, 'devm_ioremap', (d) => d === addr) === undefined) {
    k.reporter.warn({ id: 'io.devm-iounmap-bad', title: '', site: { file: 'lib/devres.c', line: 127 }, driver: dev.driverString, device: dev.name, after: [`driverlab: devm_iounmap(${dev.name}, ${hex(addr)}): not a devm_ioremap mapping of this device`] });
    return;
  }
  driverCore(k).ioremap.unmap(addr);
}

/** `request_mem_region(start, n, name)`: claim a physical range; null when it is already claimed. */
export function request_mem_region(start: number, n: number, name: string): Resource | null {
  const k = kernelFor('request_mem_region');
  return driverCore(k).iomem.request(start, n, name, k.owner);
}

/** `release_mem_region(start, n)`; releasing what was never requested prints Linux's "Trying to free nonexistent resource". */
export function release_mem_region(start: number, n: number): void {
  const k = kernelFor('release_mem_region');
  if (!driverCore(k).iomem.release(start, n)) {
    k.log.warn(`Trying to free nonexistent resource <${hex(start, 16)}-${hex(start + n - 1, 16)}>`);
  }
}

/** `devm_request_mem_region(dev, start, n, name)`: released at unbind. */
export function devm_request_mem_region(dev: Device, start: number, n: number, name: string): Resource | null {
  const k = kernelFor('devm_request_mem_region');
  const core = driverCore(k);
  const r = core.iomem.request(start, n, name, dev.name);
  if (r !== null) devres_add(dev, 'devm_request_mem_region', () => core.iomem.release(start, n), r);
  return r;
}

/**
 * `devm_ioremap_resource(dev, res)`: claim and map a memory resource; an ERR_PTR on failure
 * (-EINVAL for a missing or non-memory resource, -EBUSY when the region is claimed, -ENOMEM when
 * the mapping fails), each with Linux's message.
 */
export function devm_ioremap_resource(dev: Device, res: Resource | null): number {
  const k = kernelFor('devm_ioremap_resource');
  if (!res || resource_type(res) !== IORESOURCE_MEM) {
    devPrintk(k, KERN_ERR, dev, `invalid resource ${formatResource(res)}`);
    return ERR_PTR(-EINVAL);
  }
  const size = resource_size(res);
  const name = `${dev.name} ${res.name}`;
  if (devm_request_mem_region(dev, res.start, size, name) === null) {
    devPrintk(k, KERN_ERR, dev, `can't request region for resource ${formatResource(res)}`);
    return ERR_PTR(-EBUSY);
  }
  const va = devm_ioremap(dev, res.start, size);
  if (va === null) {
    devPrintk(k, KERN_ERR, dev, `ioremap failed for resource ${formatResource(res)}`);
    return ERR_PTR(-ENOMEM);
  }
  return va;
}

/** `devm_platform_ioremap_resource(pdev, index)`: map the index-th memory resource (an ERR_PTR on failure). */
export function devm_platform_ioremap_resource(pdev: PlatformDevice, index: number): number {
  return devm_ioremap_resource(pdev.dev, platform_get_resource(pdev, IORESOURCE_MEM, index));
}

/** `devm_platform_get_and_ioremap_resource(pdev, index, res)`: as above, also handing back the resource. */
export function devm_platform_get_and_ioremap_resource(pdev: PlatformDevice, index: number, res?: { value: Resource | null }): number {
  const r = platform_get_resource(pdev, IORESOURCE_MEM, index);
  if (res) res.value = r;
  return devm_ioremap_resource(pdev.dev, r);
}

/** `of_iomap(np, index)`: ioremap the index-th `reg` entry of a node (translated through `ranges`); null on failure. */
export function of_iomap(np: OfNode, index: number): number | null {
  const r = addressToResource(np, index);
  return r === null ? null : doIoremap(kernelFor('of_iomap'), 'of_iomap', r.start, resource_size(r));
}

// ---- accessors --------------------------------------------------------------------------------
// Big-endian ("native") accessors are plain loads and stores; the little-endian ones use the
// byte-reversed forms (lwbrx/stwbrx). The current kernel's CPU performs them, so an address
// outside a mapping faults and a hole machine-checks, at the driver's line.

function cpu(fn: string) {
  return currentKernel(fn).cpu;
}

/** `in_8(addr)`. */
export function in_8(addr: number): number {
  return cpu('in_8').load8(addr);
}
/** `out_8(addr, v)`. */
export function out_8(addr: number, v: number): void {
  cpu('out_8').store8(addr, v & 0xff);
}
/** `in_be16(addr)`. */
export function in_be16(addr: number): number {
  return cpu('in_be16').load16(addr);
}
/** `out_be16(addr, v)`. */
export function out_be16(addr: number, v: number): void {
  cpu('out_be16').store16(addr, v & 0xffff);
}
/** `in_le16(addr)`: byte-reversed load (`lhbrx`). */
export function in_le16(addr: number): number {
  return cpu('in_le16').load16le(addr);
}
/** `out_le16(addr, v)`: byte-reversed store (`sthbrx`). */
export function out_le16(addr: number, v: number): void {
  cpu('out_le16').store16le(addr, v & 0xffff);
}
/** `in_be32(addr)`. */
export function in_be32(addr: number): number {
  return cpu('in_be32').load32(addr);
}
/** `out_be32(addr, v)`. */
export function out_be32(addr: number, v: number): void {
  cpu('out_be32').store32(addr, v >>> 0);
}
/** `in_le32(addr)`: byte-reversed load (`lwbrx`). */
export function in_le32(addr: number): number {
  return cpu('in_le32').load32le(addr);
}
/** `out_le32(addr, v)`: byte-reversed store (`stwbrx`). */
export function out_le32(addr: number, v: number): void {
  cpu('out_le32').store32le(addr, v >>> 0);
}

/** `readb(addr)`. */
export function readb(addr: number): number {
  return cpu('readb').load8(addr);
}
/** `writeb(v, addr)`. */
export function writeb(v: number, addr: number): void {
  cpu('writeb').store8(addr, v & 0xff);
}
/** `readw(addr)`: little-endian 16-bit, byte-swapped on this big-endian core. */
export function readw(addr: number): number {
  return cpu('readw').load16le(addr);
}
/** `writew(v, addr)`: little-endian 16-bit. */
export function writew(v: number, addr: number): void {
  cpu('writew').store16le(addr, v & 0xffff);
}
/** `readl(addr)`: little-endian 32-bit, byte-swapped on this big-endian core. */
export function readl(addr: number): number {
  return cpu('readl').load32le(addr);
}
/** `writel(v, addr)`: little-endian 32-bit. */
export function writel(v: number, addr: number): void {
  cpu('writel').store32le(addr, v >>> 0);
}
/** `readl_relaxed(addr)` (no ordering against DMA; the same access here). */
export function readl_relaxed(addr: number): number {
  return cpu('readl_relaxed').load32le(addr);
}
/** `writel_relaxed(v, addr)`. */
export function writel_relaxed(v: number, addr: number): void {
  cpu('writel_relaxed').store32le(addr, v >>> 0);
}
/** `__raw_readl(addr)`: native (big-endian) order, no barriers. */
export function __raw_readl(addr: number): number {
  return cpu('__raw_readl').load32(addr);
}
/** `__raw_writel(v, addr)`: native (big-endian) order, no barriers. */
export function __raw_writel(v: number, addr: number): void {
  cpu('__raw_writel').store32(addr, v >>> 0);
}

/** `ioread8(addr)`. */
export function ioread8(addr: number): number {
  return cpu('ioread8').load8(addr);
}
/** `iowrite8(v, addr)`. */
export function iowrite8(v: number, addr: number): void {
  cpu('iowrite8').store8(addr, v & 0xff);
}
/** `ioread16(addr)`: little-endian. */
export function ioread16(addr: number): number {
  return cpu('ioread16').load16le(addr);
}
/** `iowrite16(v, addr)`: little-endian. */
export function iowrite16(v: number, addr: number): void {
  cpu('iowrite16').store16le(addr, v & 0xffff);
}
/** `ioread16be(addr)`. */
export function ioread16be(addr: number): number {
  return cpu('ioread16be').load16(addr);
}
/** `iowrite16be(v, addr)`. */
export function iowrite16be(v: number, addr: number): void {
  cpu('iowrite16be').store16(addr, v & 0xffff);
}
/** `ioread32(addr)`: little-endian. */
export function ioread32(addr: number): number {
  return cpu('ioread32').load32le(addr);
}
/** `iowrite32(v, addr)`: little-endian. */
export function iowrite32(v: number, addr: number): void {
  cpu('iowrite32').store32le(addr, v >>> 0);
}
/** `ioread32be(addr)`: big-endian, as gianfar's `gfar_read`. */
export function ioread32be(addr: number): number {
  return cpu('ioread32be').load32(addr);
}
/** `iowrite32be(v, addr)`: big-endian, as gianfar's `gfar_write`. */
export function iowrite32be(v: number, addr: number): void {
  cpu('iowrite32be').store32(addr, v >>> 0);
}

/** `setbits32(addr, set)`: read-modify-write, big-endian. */
export function setbits32(addr: number, set: number): void {
  const c = cpu('setbits32');
  c.store32(addr, (c.load32(addr) | set) >>> 0);
}
/** `clrbits32(addr, clear)`. */
export function clrbits32(addr: number, clear: number): void {
  const c = cpu('clrbits32');
  c.store32(addr, (c.load32(addr) & ~clear) >>> 0);
}
/** `clrsetbits_be32(addr, clear, set)`. */
export function clrsetbits_be32(addr: number, clear: number, set: number): void {
  const c = cpu('clrsetbits_be32');
  c.store32(addr, ((c.load32(addr) & ~clear) | set) >>> 0);
}

// ---- barriers ---------------------------------------------------------------------------------
// The core model executes in order, so barriers order nothing here; they are counted and passed
// to the driver core's onBarrier hook, where a checker can observe them.

function barrier(fn: BarrierKind): void {
  const k = currentKernel(fn);
  if (k instanceof Kernel) driverCore(k).barrier(fn);
}

/** `mb()`: full barrier (`sync`). */
export function mb(): void {
  barrier('mb');
}
/** `rmb()`: read barrier (`sync` on ppc32). */
export function rmb(): void {
  barrier('rmb');
}
/** `wmb()`: write barrier (`sync`). */
export function wmb(): void {
  barrier('wmb');
}
/** `dma_rmb()`: orders reads of coherent DMA memory (`lwsync`). */
export function dma_rmb(): void {
  barrier('dma_rmb');
}
/** `dma_wmb()`: orders writes to coherent DMA memory before the device sees them (`lwsync`). */
export function dma_wmb(): void {
  barrier('dma_wmb');
}
/** `eieio()`: orders accesses to device memory. */
export function eieio(): void {
  barrier('eieio');
}
/** `iobarrier_rw()`. */
export function iobarrier_rw(): void {
  barrier('iobarrier');
}
