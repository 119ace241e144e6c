/**
 * The platform driver model as drivers call it: registering drivers, the device's resources and
 * interrupts, driver data, match data, and `dev_err_probe` — each acting on the running board's
 * kernel.
 */
import { SandboxArgumentError } from '../errors.js';
import type { Device } from '../device.js';
import { driverCore } from '../driver/core.js';
import { devicePrivate } from '../driver/device-private.js';
import { EINVAL, ENOMEM, ENXIO, EPROBE_DEFER, errname } from '../driver/errno.js';
import { ofMatchNode } from '../driver/match.js';
import { findProp, propStrings } from '../driver/of-node.js';
import { PLATFORM_DEVID_NONE, PlatformDevice, type OfDeviceId, type PlatformDriver } from '../driver/platform-device.js';
import { devPrintk } from '../driver/printk.js';
import { IORESOURCE_IRQ, resource_type, type Resource } from '../driver/resource.js';
import { formatMessage } from '../driver/vsprintf.js';
import { KERN_DEBUG, KERN_ERR } from '../report/log.js';
import { kernelFor } from './kernel-of.js';

/** `platform_driver_register(drv)`: 0, or a negative errno; binds every matching device now. */
export function platform_driver_register(drv: PlatformDriver): number {
  return driverCore(kernelFor('platform_driver_register')).bus.registerDriver(drv);
}

/** `platform_driver_unregister(drv)`: unbind its devices (running `remove`) and drop it. */
export function platform_driver_unregister(drv: PlatformDriver): void {
  driverCore(kernelFor('platform_driver_unregister')).bus.unregisterDriver(drv);
}

/**
 * `platform_device_register_simple(name, id, res, num)`: a device made by code (no device-tree
 * node), named `name.id` (or `name` for PLATFORM_DEVID_NONE), bound at once if a driver matches.
 */
export function platform_device_register_simple(name: string, id: number, res: readonly Resource[] | null, num = res?.length ?? 0): PlatformDevice {
  const k = kernelFor('platform_device_register_simple');
  if (typeof name !== 'string' || name === '') throw new SandboxArgumentError('platform_device_register_simple', 'name', 'a device name', name);
  const devName = id === PLATFORM_DEVID_NONE ? name : `${name}.${id}`;
  const pdev = new PlatformDevice({ name, id, dev: k.createDevice(devName), resource: (res ?? []).slice(0, num).map((r) => ({ ...r })) });
  driverCore(k).bus.addDevice(pdev);
  return pdev;
}

/** `platform_device_unregister(pdev)`. */
export function platform_device_unregister(pdev: PlatformDevice): void {
  driverCore(kernelFor('platform_device_unregister')).bus.removeDevice(pdev);
}

/** `platform_get_resource(pdev, type, num)`: the num-th resource of that type, or null. */
export function platform_get_resource(pdev: PlatformDevice, type: number, num: number): Resource | null {
  let n = num;
  for (const r of pdev.resource) if (resource_type(r) === type && n-- === 0) return r;
  return null;
}

/** `platform_get_resource_byname(pdev, type, name)`. */
export function platform_get_resource_byname(pdev: PlatformDevice, type: number, name: string): Resource | null {
  return pdev.resource.find((r) => resource_type(r) === type && r.name === name) ?? null;
}

/** `platform_irq_count(pdev)`: how many interrupts the device has. */
export function platform_irq_count(pdev: PlatformDevice): number {
  return Math.max(pdev.irqs.length, pdev.resource.filter((r) => resource_type(r) === IORESOURCE_IRQ).length);
}

/**
 * `platform_get_irq_optional(pdev, num)`: the Linux irq number of interrupt `num`, -EPROBE_DEFER
 * when its controller has no irq domain yet, -EINVAL for a specifier that cannot be translated,
 * -ENXIO when there is no such interrupt. Prints nothing.
 */
export function platform_get_irq_optional(pdev: PlatformDevice, num: number): number {
  const spec = pdev.irqs[num];
  if (spec !== undefined) {
    if (spec.virq > 0) return spec.virq;
    return spec.defer ? -EPROBE_DEFER : -EINVAL;
  }
  const r = platform_get_resource(pdev, IORESOURCE_IRQ, num);
  return r ? r.start : -ENXIO;
}

/** `platform_get_irq(pdev, num)`: as the optional form, but prints `IRQ index N not found` (via dev_err_probe) on failure. */
export function platform_get_irq(pdev: PlatformDevice, num: number): number {
  const ret = platform_get_irq_optional(pdev, num);
  if (ret < 0) return dev_err_probe(pdev.dev, ret, 'IRQ index %u not found\n', num);
  return ret;
}

/** `platform_get_irq_byname(pdev, name)`: by the node's `interrupt-names`. */
export function platform_get_irq_byname(pdev: PlatformDevice, name: string): number {
  const names = pdev.of_node ? findProp(pdev.of_node, 'interrupt-names') : undefined;
  const i = names ? propStrings(names).indexOf(name) : -1;
  const ret = i < 0 ? -ENXIO : platform_get_irq_optional(pdev, i);
  if (ret < 0) return dev_err_probe(pdev.dev, ret, 'IRQ %s not found\n', name);
  return ret;
}

/** `dev_set_drvdata(dev, data)`. */
export function dev_set_drvdata(dev: Device, data: unknown): void {
  devicePrivate(dev).drvdata = data;
}

/** `dev_get_drvdata(dev)`. */
export function dev_get_drvdata<T = unknown>(dev: Device): T {
  return devicePrivate(dev).drvdata as T;
}

/** `platform_set_drvdata(pdev, data)`. */
export function platform_set_drvdata(pdev: PlatformDevice, data: unknown): void {
  devicePrivate(pdev.dev).drvdata = data;
}

/** `platform_get_drvdata(pdev)`. */
export function platform_get_drvdata<T = unknown>(pdev: PlatformDevice): T {
  return devicePrivate(pdev.dev).drvdata as T;
}

/** `to_platform_device(dev)`: the platform device around `dev`. */
export function to_platform_device(dev: Device): PlatformDevice {
  const p = devicePrivate(dev).pdev;
  if (p === null) throw new SandboxArgumentError('to_platform_device', 'dev', 'the dev of a platform device', dev.name);
  return p;
}

/** `dev_name(dev)`. */
export function dev_name(dev: Device): string {
  return dev.name;
}

/** `dev_driver_string(dev)`: the bound driver's name, else the bus name. */
export function dev_driver_string(dev: Device): string {
  return dev.driverString;
}

/** `of_match_device(matches, dev)`: the entry of `matches` that matches the device's node, or null. */
export function of_match_device(matches: readonly OfDeviceId[] | undefined, dev: Device): OfDeviceId | null {
  return ofMatchNode(matches, devicePrivate(dev).ofNode);
}

/** `of_device_get_match_data(dev)`: `.data` of the bound driver's matching `of_match_table` entry. */
export function of_device_get_match_data<T = unknown>(dev: Device): T | null {
  const p = devicePrivate(dev).pdev;
  const k = kernelFor('of_device_get_match_data');
  if (p === null) return null;
  const drv = driverCore(k).bus.binding(p).driver;
  const m = ofMatchNode(drv?.driver.of_match_table, p.of_node);
  return (m?.data ?? null) as T | null;
}

/** `device_get_match_data(dev)` (firmware-agnostic form of {@link of_device_get_match_data}). */
export function device_get_match_data<T = unknown>(dev: Device): T | null {
  return of_device_get_match_data<T>(dev);
}

/**
 * `dev_err_probe(dev, err, fmt, ...)`: print `error -EXXX: message` with dev_err and return `err`;
 * for -EPROBE_DEFER record the message as the deferred-probe reason and print only at debug level;
 * for -ENOMEM print nothing.
 */
export function dev_err_probe(dev: Device, err: number, fmt: string, ...args: unknown[]): number {
  const k = kernelFor('dev_err_probe');
  const msg = formatMessage(fmt, args);
  if (err === -EPROBE_DEFER) {
    devicePrivate(dev).deferReason = msg;
    devPrintk(k, KERN_DEBUG, dev, `error ${errname(err)}: ${msg}`);
  } else if (err !== -ENOMEM && err !== 0) {
    devPrintk(k, KERN_ERR, dev, `error ${errname(err)}: ${msg}`);
  }
  return err;
}
