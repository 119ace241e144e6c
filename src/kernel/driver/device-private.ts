/**
 * What the driver core keeps per `struct device` beside the fields drivers read: driver data,
 * the platform device wrapping it, its device-tree node, and the deferred-probe reason.
 */
import type { Device } from '../device.js';
import type { OfNode } from './of-node.js';
import type { PlatformDevice } from './platform-device.js';

/** The driver core's private part of a device (`struct device_private` and friends). */
export interface DevicePrivate {
  /** `dev_get_drvdata`. */
  drvdata: unknown;
  /** The platform device whose `dev` this is. */
  pdev: PlatformDevice | null;
  /** `dev->of_node`. */
  ofNode: OfNode | null;
  /** Last `dev_err_probe(-EPROBE_DEFER, …)` message (`deferred_probe_reason`). */
  deferReason: string | null;
}

const privates = new WeakMap<Device, DevicePrivate>();

/** The private part of `dev`, created on first use. */
export function devicePrivate(dev: Device): DevicePrivate {
  let p = privates.get(dev);
  if (p === undefined) {
    p = { drvdata: null, pdev: null, ofNode: null, deferReason: null };
    privates.set(dev, p);
  }
  return p;
}
