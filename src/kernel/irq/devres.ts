/**
 * Managed resources of a device (devres), the part the interrupt API needs: a per-device list of
 * release actions, run in reverse order when the driver core releases the device (the hook the
 * driver model calls on probe failure and unbind), and matching removal for devm_free_irq. Left
 * out: devres groups, devm_kmalloc and the other managed allocators (they belong to the driver core).
 */

/** A device as devres keys it (`struct device`); only its identity and name are used. */
export interface DevresDevice {
  /** `dev_name()`. */
  readonly name: string;
  /** Bound driver name (for `dev_err` prefixes). */
  readonly driverName?: string | null;
}

import { nextDevresSeq } from '../devres-seq.js';

/** One managed resource. */
export interface DevresEntry {
  /** What kind (`devm_irq_release`). */
  readonly kind: string;
  /** Match data (irq number and dev_id for interrupts). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Release it. */
  readonly release: () => void;
  /** Registration order, shared with the driver core's devres list (set by {@link Devres.add}). */
  readonly seq?: number;
}

/** The devres lists of one kernel. */
export class Devres {
  private readonly lists = new WeakMap<object, DevresEntry[]>();

  /** `devres_add()`. */
  add(dev: DevresDevice, entry: DevresEntry): void {
    let l = this.lists.get(dev);
    if (!l) {
      l = [];
      this.lists.set(dev, l);
    }
    l.push({ ...entry, seq: nextDevresSeq() });
  }

  /** `devres_destroy()`: remove (without releasing) the newest matching entry; false when none matched. */
  destroy(dev: DevresDevice, kind: string, match: (data: Readonly<Record<string, unknown>>) => boolean): boolean {
    const l = this.lists.get(dev);
    if (!l) return false;
    for (let i = l.length - 1; i >= 0; i--) {
      const e = l[i]!;
      if (e.kind === kind && match(e.data)) {
        l.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** `devres_release_all()`: release everything, newest first. Returns how many were released. */
  releaseAll(dev: DevresDevice): number {
    const l = this.lists.get(dev);
    if (!l) return 0;
    this.lists.delete(dev);
    for (let i = l.length - 1; i >= 0; i--) l[i]!.release();
    return l.length;
  }

  /** Unregister every entry of `dev` without releasing them; oldest first. The driver core merges them into its own release order. */
  takeAll(dev: DevresDevice): DevresEntry[] {
    const l = this.lists.get(dev) ?? [];
    this.lists.delete(dev);
    return l;
  }

  /** Entries of `dev` (oldest first), for tests and leak listings. */
  entries(dev: DevresDevice): readonly DevresEntry[] {
    return this.lists.get(dev) ?? [];
  }
}
