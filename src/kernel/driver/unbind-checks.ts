/**
 * Checks run when a driver lets go of a device (after `remove` and the managed-resource release):
 * a registry other layers add to with {@link onUnbind} (DMA mappings, requested IRQs, pending
 * timers and work), and the reporting of what they find.
 */
import type { Device } from '../device.js';
import type { Kernel } from '../kernel.js';
import type { Report } from '../report/types.js';
import type { PlatformDevice } from './platform-device.js';

/** What a check knows about the unbind. */
export interface UnbindContext {
  readonly kernel: Kernel;
  /** Name of the driver that was bound (the device's driver is already cleared, as in Linux). */
  readonly driver: string;
  /** The platform device, when the device is one. */
  readonly pdev?: PlatformDevice;
  /** The driver data the driver had set (cleared by now), a usual `dev_id` cookie. */
  readonly drvdata?: unknown;
  /** When the checks run: after unbind, or after a probe that failed (error paths leak too). */
  readonly phase?: 'unbind' | 'probe-failed';
}

/** `after unbind` or `after the failed probe`, for leak messages. */
export function afterWhat(ctx: UnbindContext): string {
  return ctx.phase === 'probe-failed' ? 'after the failed probe' : 'after unbind';
}

/** Something the driver left behind. */
export interface UnbindLeak {
  /** Resource kind: `kmalloc`, `pages`, `vmalloc`, `ioremap`, `iomem`, `dma`, `irq`, `timer`, `work`… */
  readonly kind: string;
  /** One line saying what is left, without the device prefix (added when reported). */
  readonly text: string;
  /** Extra lines for the report (one per leaked object, say). */
  readonly body?: readonly string[];
  /** Structured data for tests. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Set when the check already reported it in its own words (e.g. dma-debug's message). */
  readonly report?: Report | null;
  /** Identity across unbinds: a leak with a key already reported for this device is not reported again. */
  readonly key?: string;
}

/**
 * A check: inspect `dev` after unbind and return what is left. A check may report itself (and set
 * {@link UnbindLeak.report}); otherwise the driver core reports each leak as a
 * `driver.leak.<kind>` check.
 */
export type UnbindCheck = (dev: Device, ctx: UnbindContext) => readonly UnbindLeak[];

const registry = new Map<string, UnbindCheck>();

/**
 * Register an unbind check under `name` (a later registration under the same name replaces it).
 * Returns a function that removes it.
 */
export function onUnbind(name: string, check: UnbindCheck): () => void {
  registry.set(name, check);
  return () => {
    if (registry.get(name) === check) registry.delete(name);
  };
}

/** Names of the registered checks, in registration order. */
export function unbindCheckNames(): string[] {
  return [...registry.keys()];
}

const reportedKeys = new WeakMap<Device, Set<string>>();

/** Run every check for `dev` and report what they find; returns the leaks found this time. */
export function runUnbindChecks(dev: Device, ctx: UnbindContext): UnbindLeak[] {
  let seen = reportedKeys.get(dev);
  if (seen === undefined) {
    seen = new Set();
    reportedKeys.set(dev, seen);
  }
  const out: UnbindLeak[] = [];
  for (const check of registry.values()) {
    for (const leak of check(dev, ctx)) {
      if (leak.key !== undefined) {
        if (seen.has(leak.key)) continue;
        seen.add(leak.key);
      }
      if (leak.report !== undefined) {
        out.push(leak);
        continue;
      }
      const report = ctx.kernel.reporter.report({
        kind: 'check',
        id: `driver.leak.${leak.kind}`,
        title: `${ctx.driver} ${dev.name}: ${leak.text}`,
        ...(leak.body ? { body: leak.body } : {}),
        driver: ctx.driver,
        device: dev.name,
        details: { kind: leak.kind, ...(leak.details ?? {}) },
      });
      out.push({ ...leak, report });
    }
  }
  return out;
}
