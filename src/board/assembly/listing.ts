/**
 * The device list a user reads after boot: every platform device with its compatible, the
 * hardware model behind it and its driver state — bound, deferred (with the reason), failed, or
 * without a driver (as `/sys/bus/platform/devices/*` without a `driver` link).
 */
import { driverCore } from '../../kernel/driver/core.js';
import { errname } from '../../kernel/driver/errno.js';
import type { Board } from '../board.js';
import { boardAssembly } from './attach.js';

/** One row of the listing. */
export interface DeviceRow {
  readonly device: string;
  readonly compatible: string;
  /** Hardware model behind the node, or null. */
  readonly model: string | null;
  /** `bound`, `deferred`, `failed` or `unbound`. */
  readonly state: string;
  /** Bound driver, or the one whose probe failed or deferred. */
  readonly driver: string | null;
  /** Why, for deferred and failed devices. */
  readonly detail: string | null;
}

/** The rows for `board`, in registration order. */
export function deviceRows(board: Board): DeviceRow[] {
  const bus = driverCore(board.kernel).bus;
  const models = boardAssembly(board)?.models;
  return bus.list().map((l, i) => {
    const node = bus.devices[i]!.of_node;
    const placed = node ? models?.get(node) : undefined;
    const detail = l.state === 'deferred' ? `${errname(l.error)}${l.reason ? `: ${l.reason}` : ''}` : l.state === 'failed' ? errname(l.error) : null;
    return { device: l.name, compatible: l.compatible[0] ?? '', model: placed?.instance.name ?? null, state: l.state, driver: l.driver, detail };
  });
}

/** The listing as text, one device a line, bound devices first. */
export function formatDeviceList(board: Board): string {
  const rows = deviceRows(board);
  const order = { bound: 0, deferred: 1, failed: 2, unbound: 3 } as Record<string, number>;
  const sorted = [...rows].sort((a, b) => (order[a.state] ?? 4) - (order[b.state] ?? 4));
  const w = Math.max(6, ...rows.map((r) => r.device.length));
  const wc = Math.max(10, ...rows.map((r) => r.compatible.length));
  const lines = [`${'DEVICE'.padEnd(w)}  ${'COMPATIBLE'.padEnd(wc)}  ${'MODEL'.padEnd(6)}  DRIVER`];
  for (const r of sorted) {
    const drv = r.state === 'bound' ? r.driver! : r.state === 'unbound' ? '(no driver)' : `(${r.state}: ${r.driver ?? '?'} ${r.detail ?? ''})`.replace(' )', ')');
    lines.push(`${r.device.padEnd(w)}  ${r.compatible.padEnd(wc)}  ${(r.model ?? '-').padEnd(6)}  ${drv}`);
  }
  const n = (s: string) => rows.filter((r) => r.state === s).length;
  lines.push(`${rows.length} devices: ${n('bound')} bound, ${n('deferred')} deferred, ${n('failed')} failed, ${n('unbound')} without a driver`);
  return lines.join('\n');
}
