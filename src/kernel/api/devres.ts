/**
 * Managed resources as drivers call them (`devm_*`): memory and actions released automatically,
 * newest first, when probe fails or the device is unbound. `devres_add` is the hook the DMA and
 * IRQ layers use for their own managed resources (`dmam_alloc_coherent`, `devm_request_irq`).
 */
import type { Device } from '../device.js';
import { devres_add, devres_find, devres_remove } from '../driver/devres.js';
import { SandboxArgumentError } from '../errors.js';
import { GFP_KERNEL } from '../mm/gfp.js';
import { ZERO_SIZE_PTR } from '../mm/kmalloc.js';
import { kernelFor } from './kernel-of.js';

export { devres_add, devres_find, devres_remove, devres_release, devres_list, type DevresEntry } from '../driver/devres.js';

function checkDev(fn: string, dev: Device): void {
  if (dev === null || typeof dev !== 'object' || typeof (dev as { name?: unknown }).name !== 'string') {
    throw new SandboxArgumentError(fn, 'dev', 'a struct device (pdev.dev)', dev);
  }
}

/** `devm_kmalloc(dev, size, gfp)`: kmalloc freed at unbind (or probe failure); null on failure. */
export function devm_kmalloc(dev: Device, size: number, gfp: number): number | null {
  const k = kernelFor('devm_kmalloc');
  checkDev('devm_kmalloc', dev);
  const p = k.mm.kmalloc(size, gfp, dev.name);
  if (p === null || p === 0) return p;
  devres_add(dev, 'devm_kmalloc', () => k.mm.kfree(p), p);
  return p;
}

/** `devm_kzalloc(dev, size, gfp)`: zeroed {@link devm_kmalloc}. */
export function devm_kzalloc(dev: Device, size: number, gfp: number): number | null {
  const k = kernelFor('devm_kzalloc');
  checkDev('devm_kzalloc', dev);
  const p = k.mm.kzalloc(size, gfp, dev.name);
  if (p === null || p === 0) return p;
  devres_add(dev, 'devm_kmalloc', () => k.mm.kfree(p), p);
  return p;
}

/** `devm_kmalloc_array(dev, n, size, gfp)`: null on overflow. */
export function devm_kmalloc_array(dev: Device, n: number, size: number, gfp: number): number | null {
  const bytes = n * size;
  if (!Number.isSafeInteger(bytes) || bytes > 0xffff_ffff) return null;
  return devm_kmalloc(dev, bytes, gfp);
}

/** `devm_kcalloc(dev, n, size, gfp)`. */
export function devm_kcalloc(dev: Device, n: number, size: number, gfp: number): number | null {
  const bytes = n * size;
  if (!Number.isSafeInteger(bytes) || bytes > 0xffff_ffff) return null;
  return devm_kzalloc(dev, bytes, gfp);
}

/** `devm_kstrdup(dev, s, gfp)`: a managed NUL-terminated copy of a host string in kernel memory. */
export function devm_kstrdup(dev: Device, s: string | null, gfp: number = GFP_KERNEL): number | null {
  if (s === null) return null;
  const bytes = new TextEncoder().encode(s + '\0');
  const p = devm_kmalloc(dev, bytes.length, gfp);
  if (p !== null && p !== 0) kernelFor('devm_kstrdup').cpu.write(p, bytes);
  return p;
}

/**
 * `devm_kfree(dev, p)`: free a devm allocation early. A pointer that is not a devm allocation of
 * `dev` is a WARN, as `WARN_ON(devres_destroy(...))` in Linux; NULL does nothing.
 */
export function devm_kfree(dev: Device, p: number | null): void {
  const k = kernelFor('devm_kfree');
  checkDev('devm_kfree', dev);
  if (p === null || p === 0 || p === ZERO_SIZE_PTR) return;
  const e = devres_remove(dev, 'devm_kmalloc', (d) => d === p);
  if (e === undefined) {
    k.reporter.warn({
      id: 'devres.kfree-unmanaged',
      title: '',
      site: { file: 'drivers/base/devres.c', line: 1069 },
      driver: dev.driverString,
      device: dev.name,
      after: [`driverlab: devm_kfree(${dev.name}, 0x${(p >>> 0).toString(16).padStart(8, '0')}): not a devm allocation of this device`],
      details: { pointer: p },
    });
    return;
  }
  k.mm.kfree(p);
}

/** An action for {@link devm_add_action}; called with its data at release. */
export type DevmAction<T> = (data: T) => void;

/** `devm_add_action(dev, action, data)`: call `action(data)` at unbind. 0, or -ENOMEM. */
export function devm_add_action<T>(dev: Device, action: DevmAction<T>, data: T): number {
  checkDev('devm_add_action', dev);
  if (typeof action !== 'function') throw new SandboxArgumentError('devm_add_action', 'action', 'a function', action);
  devres_add(dev, 'devm_action', () => action(data), { action, data });
  return 0;
}

/** `devm_add_action_or_reset(dev, action, data)`: like {@link devm_add_action}, but runs the action at once if it cannot be added. */
export function devm_add_action_or_reset<T>(dev: Device, action: DevmAction<T>, data: T): number {
  const ret = devm_add_action(dev, action, data);
  if (ret) action(data);
  return ret;
}

function actionMatch<T>(action: DevmAction<T>, data: T) {
  return (d: unknown) => {
    const e = d as { action: unknown; data: unknown };
    return e.action === action && e.data === data;
  };
}

/** `devm_remove_action(dev, action, data)`: forget a registered action without calling it (WARNs when absent). */
export function devm_remove_action<T>(dev: Device, action: DevmAction<T>, data: T): void {
  const k = kernelFor('devm_remove_action');
  if (devres_remove(dev, 'devm_action', actionMatch(action, data)) === undefined) warnNoAction(k, dev, 'devm_remove_action');
}

/** `devm_release_action(dev, action, data)`: call a registered action now and forget it (WARNs when absent). */
export function devm_release_action<T>(dev: Device, action: DevmAction<T>, data: T): void {
  const k = kernelFor('devm_release_action');
  const e = devres_remove(dev, 'devm_action', actionMatch(action, data));
  if (e === undefined) warnNoAction(k, dev, 'devm_release_action');
  else e.release();
}

function warnNoAction(k: ReturnType<typeof kernelFor>, dev: Device, fn: string): void {
  k.reporter.warn({
    id: 'devres.no-action',
    title: '',
    site: { file: 'drivers/base/devres.c', line: 770 },
    driver: dev.driverString,
    device: dev.name,
    after: [`driverlab: ${fn}: no such action registered on ${dev.name}`],
  });
}

/** True when `dev` holds a devm allocation at `p` (for tests and checkers). */
export function devm_is_managed(dev: Device, p: number): boolean {
  return devres_find(dev, 'devm_kmalloc', (d) => d === p) !== undefined;
}
