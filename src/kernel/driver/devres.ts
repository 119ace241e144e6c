/**
 * The devres core (`drivers/base/devres.c`): each device keeps a stack of managed resources, each
 * with a release action, released newest-first when probe fails or the driver is unbound. Other
 * layers (DMA, IRQ, timers) register their own managed resources through {@link devres_add}.
 */
import type { Device } from '../device.js';
import { nextDevresSeq } from '../devres-seq.js';

/** One managed resource. */
export interface DevresEntry {
  /** What kind of resource, e.g. `devm_kzalloc`, `devm_ioremap`, `dmam_alloc_coherent`, `devm_request_irq`. */
  readonly name: string;
  /** Frees the resource. Runs once, at release time, as the device's owner. */
  readonly release: () => void;
  /** What the resource is (a pointer, an irq number…), for matching and for messages. */
  readonly data: unknown;
  /** Sequence number: order of registration on this device. */
  readonly seq: number;
}

const lists = new WeakMap<Device, DevresEntry[]>();

function listOf(dev: Device): DevresEntry[] {
  let l = lists.get(dev);
  if (l === undefined) {
    l = [];
    lists.set(dev, l);
  }
  return l;
}

/**
 * `devres_add(dev, res)`: register a managed resource on `dev`. `release` frees it; `data`
 * identifies it for {@link devres_release} / {@link devres_remove} (e.g. the pointer a `devm_kfree`
 * names). Returns the entry.
 */
export function devres_add(dev: Device, name: string, release: () => void, data: unknown = null): DevresEntry {
  const entry: DevresEntry = { name, release, data, seq: nextDevresSeq() };
  listOf(dev).push(entry);
  return entry;
}

/** `devres_find`: the newest entry named `name` whose data satisfies `match` (any data when omitted). */
export function devres_find(dev: Device, name: string, match?: (data: unknown) => boolean): DevresEntry | undefined {
  const l = lists.get(dev);
  if (l === undefined) return undefined;
  for (let i = l.length - 1; i >= 0; i--) {
    const e = l[i]!;
    if (e.name === name && (match === undefined || match(e.data))) return e;
  }
  return undefined;
}

/** `devres_remove`: unregister the matching entry without releasing it. Returns it, or undefined. */
export function devres_remove(dev: Device, name: string, match?: (data: unknown) => boolean): DevresEntry | undefined {
  const e = devres_find(dev, name, match);
  if (e !== undefined) {
    const l = lists.get(dev)!;
    l.splice(l.indexOf(e), 1);
  }
  return e;
}

/** `devres_release`: unregister the matching entry and run its release. False when none matched. */
export function devres_release(dev: Device, name: string, match?: (data: unknown) => boolean): boolean {
  const e = devres_remove(dev, name, match);
  if (e === undefined) return false;
  e.release();
  return true;
}

/** The device's managed resources, oldest first. */
export function devres_list(dev: Device): readonly DevresEntry[] {
  return lists.get(dev) ?? [];
}

/** True when `dev` holds managed resources. */
export function devres_pending(dev: Device): boolean {
  return (lists.get(dev)?.length ?? 0) > 0;
}

/**
 * `devres_release_all(dev)`: take every entry off the device and hand them back newest first, for
 * the driver core to release one by one (each inside the dispatch boundary, so a faulting release
 * does not stop the others).
 */
export function devres_take_all(dev: Device): DevresEntry[] {
  const l = lists.get(dev);
  if (l === undefined || l.length === 0) return [];
  lists.set(dev, []);
  return l.reverse();
}
