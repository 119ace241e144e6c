/**
 * The platform bus of one kernel (`drivers/base/platform.c` + `dd.c`): devices and drivers,
 * binding at driver registration and at device creation, probe with Linux's error conventions,
 * deferred probe retried whenever some driver binds, unbind/bind of one device as sysfs does,
 * managed-resource release in reverse order and the leak checks at unbind.
 */
import type { Device } from '../device.js';
import type { Kernel } from '../kernel.js';
import { KERN_CRIT, KERN_DEBUG, KERN_ERR, KERN_WARNING } from '../report/log.js';
import type { Report } from '../report/types.js';
import { devicePrivate } from './device-private.js';
import { devres_pending, devres_take_all } from './devres.js';
import { EBUSY, EEXIST, EINVAL, ENODEV, ENXIO, EPROBE_DEFER } from './errno.js';
import { platformMatch, type MatchResult } from './match.js';
import { compatibles } from './of-node.js';
import type { PlatformDevice, PlatformDriver } from './platform-device.js';
import { devPrintk } from './printk.js';
import { runUnbindChecks, type UnbindLeak } from './unbind-checks.js';

/** Where a device stands. */
export type BindState =
  /** No driver has claimed it (none matches, or every match rejected it with -ENODEV/-ENXIO). */
  | 'unbound'
  /** A driver is bound. */
  | 'bound'
  /** Probe returned -EPROBE_DEFER; retried whenever another driver binds. */
  | 'deferred'
  /** The last probe failed with another error, or oopsed. */
  | 'failed';

/** A device's binding, as `ls -l /sys/bus/platform/devices/X/driver` and the deferred list show it. */
export interface Binding {
  state: BindState;
  /** The bound driver (state `bound`), else null. */
  driver: PlatformDriver | null;
  /** How the bound driver matched. */
  match: MatchResult | null;
  /** The last probe's return value (0 when bound). */
  error: number;
  /** The driver whose probe last failed or deferred. */
  lastDriver: string | null;
  /** The oops of the last probe, when it oopsed. */
  oops: Report | null;
}

/** One row of {@link PlatformBus.list}. */
export interface DeviceListing {
  readonly name: string;
  /** The node's `compatible` strings (empty for devices registered by code). */
  readonly compatible: readonly string[];
  readonly state: BindState;
  /** Bound driver, or the driver whose probe last failed or deferred. */
  readonly driver: string | null;
  /** Probe error (failed / deferred). */
  readonly error: number;
  /** `deferred_probe_reason`. */
  readonly reason: string | null;
}

/** What {@link PlatformBus.unbind} did. */
export interface UnbindResult {
  /** 0, or -ENODEV when no driver was bound. */
  readonly status: number;
  /** What the driver left behind (each already reported). */
  readonly leaks: readonly UnbindLeak[];
}

/** The platform bus. */
export class PlatformBus {
  /** Name printed by `dev_driver_string` for unbound devices. */
  readonly name = 'platform';
  private readonly devs: PlatformDevice[] = [];
  private readonly drvs: PlatformDriver[] = [];
  private readonly bindings = new Map<PlatformDevice, Binding>();
  private readonly deferredList: PlatformDevice[] = [];
  private retrying = false;
  private retryAgain = false;

  constructor(private readonly kernel: Kernel) {}

  /** Registered devices, in registration order. */
  get devices(): readonly PlatformDevice[] {
    return this.devs;
  }

  /** Registered drivers, in registration order. */
  get drivers(): readonly PlatformDriver[] {
    return this.drvs;
  }

  /** The device named `name`. */
  device(name: string): PlatformDevice | undefined {
    return this.devs.find((d) => d.name === name || d.dev.name === name);
  }

  /** The binding of `pdev`. */
  binding(pdev: PlatformDevice): Binding {
    const b = this.bindings.get(pdev);
    if (b === undefined) throw new Error(`platform bus: ${pdev.name} is not registered`);
    return b;
  }

  /** Devices waiting in the deferred-probe list. */
  get deferred(): readonly PlatformDevice[] {
    return this.deferredList;
  }

  /** `platform_device_add`: register `pdev` and bind it if a registered driver matches. */
  addDevice(pdev: PlatformDevice): number {
    if (this.bindings.has(pdev) || this.devs.some((d) => d.dev.name === pdev.dev.name)) {
      this.kernel.log.err(`sysfs: cannot create duplicate filename '/devices/platform/${pdev.dev.name}'`);
      return -EEXIST;
    }
    this.devs.push(pdev);
    this.bindings.set(pdev, { state: 'unbound', driver: null, match: null, error: 0, lastDriver: null, oops: null });
    const priv = devicePrivate(pdev.dev);
    priv.pdev = pdev;
    priv.ofNode = pdev.of_node;
    this.attach(pdev);
    return 0;
  }

  /** `platform_device_unregister`: unbind (if bound) and remove the device. */
  removeDevice(pdev: PlatformDevice): void {
    if (!this.bindings.has(pdev)) return;
    if (this.binding(pdev).state === 'bound') this.unbind(pdev);
    this.dropDeferred(pdev);
    this.devs.splice(this.devs.indexOf(pdev), 1);
    this.bindings.delete(pdev);
    this.kernel.devices.delete(pdev.dev.name);
  }

  /**
   * `platform_driver_register`: add the driver and try it on every device without a driver.
   * Returns 0, -EINVAL for a driver without a name, or -EBUSY when a driver of that name is
   * already registered.
   */
  registerDriver(drv: PlatformDriver): number {
    const name = drv?.driver?.name;
    if (typeof name !== 'string' || name === '') {
      this.kernel.log.err('Driver has no name; platform_driver_register refused it');
      return -EINVAL;
    }
    if (this.drvs.some((d) => d.driver.name === name)) {
      this.kernel.log.err(`Error: Driver '${name}' is already registered, aborting...`);
      return -EBUSY;
    }
    this.drvs.push(drv);
    for (const pdev of [...this.devs]) {
      const b = this.bindings.get(pdev);
      if (b === undefined || b.state === 'bound') continue;
      const m = platformMatch(pdev, drv);
      if (m !== null) this.probe(pdev, drv, m);
    }
    return 0;
  }

  /** `platform_driver_unregister`: unbind every device bound to `drv` (newest first) and drop it. */
  unregisterDriver(drv: PlatformDriver): void {
    const i = this.drvs.indexOf(drv);
    if (i < 0) return;
    for (const pdev of [...this.devs].reverse()) if (this.bindings.get(pdev)?.driver === drv) this.unbind(pdev);
    this.drvs.splice(i, 1);
  }

  /**
   * Unbind the driver from one device, as `echo NAME > /sys/bus/platform/drivers/DRV/unbind`:
   * `remove`, then the managed resources newest first, then the leak checks.
   */
  unbind(target: PlatformDevice | string): UnbindResult {
    const pdev = this.resolve(target);
    const b = this.binding(pdev);
    const drv = b.driver;
    if (b.state !== 'bound' || drv === null) return { status: -ENODEV, leaks: [] };
    const dev = pdev.dev;
    if (drv.remove) {
      const r = this.kernel.run(() => drv.remove!(pdev), { owner: dev.name });
      if (r.ok && typeof r.value === 'number' && r.value !== 0) {
        devPrintk(this.kernel, KERN_WARNING, dev, 'remove callback returned a non-zero value. This will be ignored.');
      }
    }
    const drvdata = devicePrivate(dev).drvdata;
    this.releaseAll(dev);
    this.clearDriver(pdev, b);
    b.state = 'unbound';
    const leaks = runUnbindChecks(dev, { kernel: this.kernel, driver: drv.driver.name, pdev, drvdata, phase: 'unbind' });
    return { status: 0, leaks };
  }

  /**
   * Bind one device, as `echo NAME > /sys/bus/platform/drivers/DRV/bind` (with `driverName`) or
   * as a fresh attach over every driver (without). Returns 0 when bound, -EBUSY when a driver
   * already is, -ENODEV when no driver of that name exists or it does not match, else the probe's
   * error.
   */
  bind(target: PlatformDevice | string, driverName?: string): number {
    const pdev = this.resolve(target);
    const b = this.binding(pdev);
    if (b.state === 'bound') return -EBUSY;
    if (driverName === undefined) return this.attach(pdev) ? 0 : b.error || -ENODEV;
    const drv = this.drvs.find((d) => d.driver.name === driverName);
    if (drv === undefined) return -ENODEV;
    const m = platformMatch(pdev, drv);
    if (m === null) return -ENODEV;
    return this.probe(pdev, drv, m);
  }

  /** Every device with its state, in registration order (what `ls /sys/bus/platform/devices` plus `driver` links show). */
  list(): DeviceListing[] {
    return this.devs.map((pdev) => {
      const b = this.binding(pdev);
      return {
        name: pdev.dev.name,
        compatible: pdev.of_node ? compatibles(pdev.of_node) : [],
        state: b.state,
        driver: b.driver?.driver.name ?? b.lastDriver,
        error: b.error,
        reason: devicePrivate(pdev.dev).deferReason,
      };
    });
  }

  /**
   * Print `deferred probe pending` for every device still deferred, as Linux does once the
   * deferred-probe timeout expires. Returns how many there were.
   */
  reportDeferred(): number {
    for (const pdev of this.deferredList) {
      const reason = devicePrivate(pdev.dev).deferReason;
      devPrintk(this.kernel, KERN_WARNING, pdev.dev, `deferred probe pending: ${reason ?? '(reason unknown)'}`);
    }
    return this.deferredList.length;
  }

  private resolve(target: PlatformDevice | string): PlatformDevice {
    const pdev = typeof target === 'string' ? this.device(target) : target;
    if (pdev === undefined) throw new Error(`platform bus: no device named "${String(target)}"`);
    return pdev;
  }

  /** `device_attach`: try each driver in registration order until one binds. */
  private attach(pdev: PlatformDevice): boolean {
    for (const drv of [...this.drvs]) {
      const m = platformMatch(pdev, drv);
      if (m !== null && this.probe(pdev, drv, m) === 0) return true;
      if (this.binding(pdev).state === 'bound') return true;
    }
    return false;
  }

  /** `really_probe`. */
  private probe(pdev: PlatformDevice, drv: PlatformDriver, match: MatchResult): number {
    const b = this.binding(pdev);
    const dev = pdev.dev;
    const drvName = drv.driver.name;
    if (devres_pending(dev) || this.kernel.irq.devres.entries(dev).length > 0) {
      devPrintk(this.kernel, KERN_CRIT, dev, 'Resources present before probing');
      b.error = -EBUSY;
      return -EBUSY;
    }
    dev.driverName = drvName;
    b.driver = drv;
    b.match = match;
    b.oops = null;
    devicePrivate(dev).deferReason = null;
    const r = this.kernel.run(() => (drv.probe ? drv.probe(pdev) : 0), { owner: dev.name });
    let ret: number;
    if (!r.ok) {
      b.oops = r.oops;
      ret = -EINVAL;
    } else if (typeof r.value !== 'number' || !Number.isInteger(r.value)) {
      this.kernel.reporter.report({
        kind: 'check',
        id: 'driver.probe-return',
        title: `${drvName} ${dev.name}: probe returned ${String(r.value)}, not an int (0 or a negative errno); treated as -EINVAL`,
        driver: drvName,
        device: dev.name,
        details: { value: String(r.value) },
      });
      ret = -EINVAL;
    } else ret = r.value;

    if (ret === 0) {
      b.state = 'bound';
      b.error = 0;
      b.lastDriver = null;
      this.dropDeferred(pdev);
      devPrintk(this.kernel, KERN_DEBUG, dev, `driver: '${drvName}': driver_bound: bound to device`);
      this.triggerDeferred();
      return 0;
    }
    if (r.ok) {
      if (ret === -EPROBE_DEFER) devPrintk(this.kernel, KERN_DEBUG, dev, `Driver ${drvName} requests probe deferral`);
      else if (ret === -ENODEV || ret === -ENXIO) devPrintk(this.kernel, KERN_DEBUG, dev, `probe with driver ${drvName} rejects match ${ret}`);
      else devPrintk(this.kernel, KERN_ERR, dev, `probe with driver ${drvName} failed with error ${ret}`);
    }
    const drvdata = devicePrivate(dev).drvdata;
    this.releaseAll(dev);
    this.clearDriver(pdev, b);
    b.error = ret;
    b.lastDriver = drvName;
    runUnbindChecks(dev, { kernel: this.kernel, driver: drvName, pdev, drvdata, phase: 'probe-failed' });
    if (ret === -EPROBE_DEFER) {
      b.state = 'deferred';
      if (!this.deferredList.includes(pdev)) {
        this.deferredList.push(pdev);
        devPrintk(this.kernel, KERN_DEBUG, dev, 'Added to deferred list');
      }
    } else {
      b.state = !r.ok || (ret !== -ENODEV && ret !== -ENXIO) ? 'failed' : 'unbound';
      this.dropDeferred(pdev);
    }
    return ret;
  }

  /**
   * `devres_release_all`: run each managed release, newest first, each at the dispatch boundary.
   * Interrupts requested with `devm_request_irq` are kept in genirq's list but take their place
   * in the same order: an interrupt requested before a buffer its handler uses is still live while
   * that buffer is freed, exactly as on Linux.
   */
  private releaseAll(dev: Device): void {
    const irqs = this.kernel.irq.devres.takeAll(dev);
    const core = devres_take_all(dev); // newest first
    let i = irqs.length - 1;
    for (const e of core) {
      while (i >= 0 && irqs[i]!.seq! > e.seq) this.kernel.run(irqs[i--]!.release, { owner: dev.name });
      this.kernel.run(e.release, { owner: dev.name });
    }
    while (i >= 0) this.kernel.run(irqs[i--]!.release, { owner: dev.name });
  }

  private clearDriver(pdev: PlatformDevice, b: Binding): void {
    pdev.dev.driverName = null;
    devicePrivate(pdev.dev).drvdata = null;
    b.driver = null;
    b.match = null;
  }

  private dropDeferred(pdev: PlatformDevice): void {
    const i = this.deferredList.indexOf(pdev);
    if (i >= 0) this.deferredList.splice(i, 1);
  }

  /** `driver_deferred_probe_trigger`: retry every deferred device, again while binds keep happening. */
  private triggerDeferred(): void {
    if (this.retrying) {
      this.retryAgain = true;
      return;
    }
    this.retrying = true;
    try {
      do {
        this.retryAgain = false;
        for (const pdev of [...this.deferredList]) {
          if (!this.bindings.has(pdev) || this.binding(pdev).state !== 'deferred') continue;
          devPrintk(this.kernel, KERN_DEBUG, pdev.dev, 'Retrying from deferred list');
          this.attach(pdev);
        }
      } while (this.retryAgain);
    } finally {
      this.retrying = false;
    }
  }
}
