/**
 * `struct platform_device` and `struct platform_driver` as drivers see them: a device with its
 * resources (register windows, interrupts) and device-tree node, and a driver with `probe`,
 * `remove`, a name and an `of_match_table`. Binding state lives in the platform bus.
 */
import type { Device } from '../device.js';
import type { OfNode } from './of-node.js';
import type { Resource } from './resource.js';

/** `PLATFORM_DEVID_NONE`: the device name carries no instance number. */
export const PLATFORM_DEVID_NONE = -1;
/** `PLATFORM_DEVID_AUTO`: the bus picks the instance number. */
export const PLATFORM_DEVID_AUTO = -2;

/** `struct of_device_id`: one entry of a driver's `of_match_table`. An empty entry `{}` ends the table, as in C. */
export interface OfDeviceId {
  /** A `compatible` string the driver handles. */
  readonly compatible?: string;
  /** `device_type` to require. */
  readonly type?: string;
  /** Node name (without unit address) to require. */
  readonly name?: string;
  /** Driver data handed back by `of_device_get_match_data`. */
  readonly data?: unknown;
}

/** `struct platform_device_id`: one entry of a driver's `id_table` (matching by device name). */
export interface PlatformDeviceId {
  readonly name: string;
  readonly driver_data?: unknown;
}

/** `struct device_driver`: the generic part of a driver. */
export interface DeviceDriver {
  /** Driver name: printed by `dev_err` and friends, and the sysfs name `bind` takes. */
  readonly name: string;
  /** Device-tree match table. */
  readonly of_match_table?: readonly OfDeviceId[];
}

/**
 * `struct platform_driver`. `probe` returns 0 or a negative errno (`-EPROBE_DEFER` asks to be
 * retried when another driver binds); `remove` undoes probe (its return value is ignored, as in
 * Linux 6.x, with a warning when non-zero).
 */
export interface PlatformDriver {
  readonly probe?: (pdev: PlatformDevice) => number;
  readonly remove?: (pdev: PlatformDevice) => void | number;
  readonly driver: DeviceDriver;
  /** Match by device name (`platform_device_id`). */
  readonly id_table?: readonly PlatformDeviceId[];
}

/** One interrupt of a device, from its `interrupts` property. */
export interface PlatformIrq {
  /** Index in the device's `interrupts` list. */
  readonly index: number;
  /** The interrupt controller the specifier belongs to, when one was found. */
  readonly controller: OfNode | null;
  /** The specifier cells as written. */
  readonly cells: readonly number[];
  /** Linux irq number (virq); 0 when not mapped (no controller domain yet, or a bad specifier). */
  readonly virq: number;
  /** The controller's hardware irq number, when translated. */
  readonly hwirq?: number;
  /** IRQ_TYPE_* trigger from the specifier, when translated. */
  readonly type?: number;
  /** Why it is not mapped. */
  readonly error?: string;
  /** Not mapped because the controller has no irq domain yet: `platform_get_irq` returns -EPROBE_DEFER. */
  readonly defer?: boolean;
}

/** `struct platform_device`. */
export class PlatformDevice {
  /** `pdev->name` (for a device from the tree: its device name). */
  readonly name: string;
  /** `pdev->id`. */
  readonly id: number;
  /** `pdev->dev`: what `dev_err`, `devm_*` and the DMA API take. */
  readonly dev: Device;
  /** `pdev->dev.of_node`: the device-tree node, or null for a device registered by code. */
  readonly of_node: OfNode | null;
  /** `pdev->resource`: register windows (IORESOURCE_MEM) then interrupts (IORESOURCE_IRQ). */
  readonly resource: Resource[];
  /** Every specifier of the node's `interrupts`, mapped or not (what `platform_get_irq` consults). */
  readonly irqs: PlatformIrq[];
  /** `driver_override`: when set, only the driver of this name may bind. */
  driver_override: string | null = null;

  constructor(opts: { name: string; id?: number; dev: Device; of_node?: OfNode | null; resource?: Resource[]; irqs?: PlatformIrq[] }) {
    this.name = opts.name;
    this.id = opts.id ?? PLATFORM_DEVID_NONE;
    this.dev = opts.dev;
    this.of_node = opts.of_node ?? null;
    this.resource = opts.resource ?? [];
    this.irqs = opts.irqs ?? [];
  }

  /** `pdev->num_resources`. */
  get num_resources(): number {
    return this.resource.length;
  }
}
