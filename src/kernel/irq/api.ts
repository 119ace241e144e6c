/**
 * The interrupt API as drivers call it: request_irq and request_threaded_irq (0 or a negative
 * errno), free_irq (the name), the devm_ variants, enable_irq / disable_irq / disable_irq_nosync /
 * synchronize_irq, irq_set_irq_type, irq_create_mapping and irq_of_parse_and_map-style mapping,
 * and the /proc views. Numbers are Linux irq numbers (virq), never MPIC source numbers.
 */
import { kernelFor } from '../api/kernel-of.js';
import { devPrefix } from '../report/log.js';
import { kernelFrame } from '../report/symbols.js';
import type { DevresDevice } from './devres.js';
import type { irq_handler_t } from './desc.js';
import type { IrqDomain } from './domain.js';
import { fnSymbol } from './flow.js';

/** IRQ_*, IRQF_*, IRQ_TYPE_* (the errno values are the driver core's: src/kernel/driver/errno.ts). */
export {
  IRQ_NONE, IRQ_HANDLED, IRQ_WAKE_THREAD, IRQ_RETVAL, type irqreturn_t, IRQF_TRIGGER_NONE, IRQF_TRIGGER_RISING,
  IRQF_TRIGGER_FALLING, IRQF_TRIGGER_HIGH, IRQF_TRIGGER_LOW, IRQF_TRIGGER_MASK, IRQF_SHARED, IRQF_PROBE_SHARED,
  IRQF_PERCPU, IRQF_NOBALANCING, IRQF_IRQPOLL, IRQF_ONESHOT, IRQF_NO_SUSPEND, IRQF_FORCE_RESUME, IRQF_NO_THREAD,
  IRQF_EARLY_RESUME, IRQF_COND_SUSPEND, IRQF_NO_AUTOEN, IRQF_NO_DEBUG, IRQF_TIMER, IRQ_NOTCONNECTED, IRQ_TYPE_NONE,
  IRQ_TYPE_EDGE_RISING, IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_EDGE_BOTH, IRQ_TYPE_LEVEL_HIGH, IRQ_TYPE_LEVEL_LOW,
  IRQ_TYPE_LEVEL_MASK, IRQ_TYPE_SENSE_MASK, IRQ_TYPE_DEFAULT,
} from './constants.js';
/** A handler: `(irq, dev_id) => irqreturn_t`. */
export type { irq_handler_t } from './desc.js';
/** What devm_* key a device by. */
export type { DevresDevice } from './devres.js';

/** `request_threaded_irq(irq, handler, thread_fn, flags, name, dev_id)`: 0 or a negative errno. */
export function request_threaded_irq(irq: number, handler: irq_handler_t | null, thread_fn: irq_handler_t | null, irqflags: number, devname: string, dev_id: unknown): number {
  const k = kernelFor('request_threaded_irq');
  k.sched.tick();
  return k.irq.manage.request(irq, handler, thread_fn, irqflags, devname, dev_id);
}

/** `request_irq(irq, handler, flags, name, dev_id)`: 0 or a negative errno. */
export function request_irq(irq: number, handler: irq_handler_t, irqflags: number, devname: string, dev_id: unknown): number {
  const k = kernelFor('request_irq');
  k.sched.tick();
  return k.irq.manage.request(irq, handler, null, irqflags, devname, dev_id);
}

/** `free_irq(irq, dev_id)`: the name the line was requested with, or null. May sleep. */
export function free_irq(irq: number, dev_id: unknown): string | null {
  const k = kernelFor('free_irq');
  k.sched.tick();
  return k.irq.manage.free(irq, dev_id);
}

/** `enable_irq(irq)`: undo one disable; a pending edge is replayed. */
export function enable_irq(irq: number): void {
  const k = kernelFor('enable_irq');
  k.sched.tick();
  k.irq.manage.enable(irq);
}

/** `disable_irq(irq)`: disable and wait for running handlers (may sleep; never from the line's own handler). */
export function disable_irq(irq: number): void {
  const k = kernelFor('disable_irq');
  k.sched.tick();
  k.irq.manage.disable(irq);
}

/** `disable_irq_nosync(irq)`: disable without waiting (safe in the line's own handler). */
export function disable_irq_nosync(irq: number): void {
  const k = kernelFor('disable_irq_nosync');
  k.sched.tick();
  k.irq.manage.disableNosync(irq);
}

/** `disable_hardirq(irq)`: disable, wait for the hard handler only; false if a thread is active. */
export function disable_hardirq(irq: number): boolean {
  const k = kernelFor('disable_hardirq');
  k.sched.tick();
  return k.irq.manage.disableHardirq(irq);
}

/** `synchronize_irq(irq)`: wait for running handlers and threads (may sleep). */
export function synchronize_irq(irq: number): void {
  const k = kernelFor('synchronize_irq');
  k.sched.tick();
  k.irq.manage.synchronizeIrq(irq);
}

/** `synchronize_hardirq(irq)`: wait for the hard handler; false if a thread is active. */
export function synchronize_hardirq(irq: number): boolean {
  const k = kernelFor('synchronize_hardirq');
  k.sched.tick();
  return k.irq.manage.synchronizeHardirq(irq);
}

/** `irq_set_irq_type(irq, type)`: 0 or a negative errno. */
export function irq_set_irq_type(irq: number, type: number): number {
  const k = kernelFor('irq_set_irq_type');
  k.sched.tick();
  return k.irq.manage.setType(irq, type);
}

/** `irq_get_trigger_type(irq)`: the line's IRQ_TYPE_*. */
export function irq_get_trigger_type(irq: number): number {
  return kernelFor('irq_get_trigger_type').irq.descs.get(irq)?.triggerType ?? 0;
}

/** `enable_irq_wake(irq)`. */
export function enable_irq_wake(irq: number): number {
  return kernelFor('enable_irq_wake').irq.manage.setWake(irq, true);
}
/** `disable_irq_wake(irq)`. */
export function disable_irq_wake(irq: number): number {
  return kernelFor('disable_irq_wake').irq.manage.setWake(irq, false);
}

/** `irq_create_mapping(domain, hwirq)`: the Linux irq for `hwirq` (null domain: the default, the MPIC); 0 on failure. */
export function irq_create_mapping(domain: IrqDomain | null, hwirq: number): number {
  return kernelFor('irq_create_mapping').irq.mapper.createMapping(domain, hwirq);
}
/** `irq_find_mapping(domain, hwirq)`: 0 when unmapped. */
export function irq_find_mapping(domain: IrqDomain | null, hwirq: number): number {
  const k = kernelFor('irq_find_mapping');
  const d = domain ?? k.irq.mapper.defaultDomain;
  return d ? d.find(hwirq) : 0;
}
/** `irq_dispose_mapping(virq)`. */
export function irq_dispose_mapping(virq: number): void {
  kernelFor('irq_dispose_mapping').irq.mapper.disposeMapping(virq);
}
/**
 * `irq_create_of_mapping()`: map a device-tree specifier (`<source sense>` or `<source sense type
 * info>` for fsl,mpic) in the default domain, recording its trigger; 0 on failure.
 */
export function irq_create_of_mapping(cells: readonly number[], node = '<node>'): number {
  return kernelFor('irq_create_of_mapping').irq.mapper.createOfMapping(cells, node);
}

/** A device-tree node as far as its interrupts go. */
export interface OfIrqNode {
  /** Full name for messages. */
  readonly name: string;
  /** The flattened `interrupts` cells. */
  readonly interrupts: readonly number[];
  /** `#interrupt-cells` of its interrupt parent (4 for fsl,mpic; default 4). */
  readonly interruptCells?: number;
}

/** `irq_of_parse_and_map(node, index)`: the index-th interrupt of `node` as a Linux irq; 0 on failure. */
export function irq_of_parse_and_map(node: OfIrqNode, index: number): number {
  const k = kernelFor('irq_of_parse_and_map');
  const n = node.interruptCells ?? 4;
  const cells = node.interrupts.slice(index * n, index * n + n);
  if (cells.length !== n) return 0;
  return k.irq.mapper.createOfMapping(cells, node.name);
}

/** `/proc/interrupts`. */
export function proc_interrupts(): string {
  return kernelFor('proc_interrupts').irq.procInterrupts();
}

// ---- devm ------------------------------------------------------------------------------------

const DEVM_IRQ = 'devm_irq_release';

/**
 * `devm_request_threaded_irq(dev, irq, handler, thread_fn, flags, name, dev_id)`: freed when the
 * device's managed resources are released. `name` null uses dev_name(dev).
 */
export function devm_request_threaded_irq(dev: DevresDevice, irq: number, handler: irq_handler_t | null, thread_fn: irq_handler_t | null, irqflags: number, devname: string | null, dev_id: unknown): number {
  const k = kernelFor('devm_request_threaded_irq');
  k.sched.tick();
  const name = devname ?? dev.name;
  const rc = k.irq.manage.request(irq, handler, thread_fn, irqflags, name, dev_id, true);
  if (rc) {
    const errname = ERRNAMES[-rc] ?? String(rc);
    k.log.err(`${devPrefix({ name: dev.name, ...(dev.driverName ? { driver: dev.driverName } : {}) })}error ${errname}: request_irq(${irq}) ${handler ? handler.name || '0x0' : '0x0'} ${thread_fn ? thread_fn.name || '0x0' : '0x0'} ${name}`);
    return rc;
  }
  k.irq.devres.add(dev, { kind: DEVM_IRQ, data: { irq, dev_id }, release: () => k.irq.manage.free(irq, dev_id) });
  return 0;
}

/** `devm_request_irq(dev, irq, handler, flags, name, dev_id)`. */
export function devm_request_irq(dev: DevresDevice, irq: number, handler: irq_handler_t, irqflags: number, devname: string | null, dev_id: unknown): number {
  return devm_request_threaded_irq(dev, irq, handler, null, irqflags, devname, dev_id);
}

/** `devm_free_irq(dev, irq, dev_id)`: WARN when the pair was not requested through devm. */
export function devm_free_irq(dev: DevresDevice, irq: number, dev_id: unknown): void {
  const k = kernelFor('devm_free_irq');
  k.sched.tick();
  const found = k.irq.devres.destroy(dev, DEVM_IRQ, (d) => d['irq'] === irq && d['dev_id'] === dev_id);
  if (!found) k.reporter.warn({ id: 'irq.devm-free-mismatch', title: '', site: { file: 'kernel/irq/devres.c', line: 144 }, frames: [kernelFrame('devm_free_irq')], details: { irq } });
  k.irq.manage.free(irq, dev_id);
}

/** `devres_release_all(dev)`: the driver core's hook on probe failure and unbind; releases newest first. */
export function devres_release_all_irqs(dev: DevresDevice): number {
  return kernelFor('devres_release_all_irqs').irq.devres.releaseAll(dev);
}

const ERRNAMES: Record<number, string> = { 1: '-EPERM', 12: '-ENOMEM', 16: '-EBUSY', 22: '-EINVAL', 38: '-ENOSYS', 107: '-ENOTCONN' };

/** `%pS` of a handler, for messages drivers print. */
export function handler_symbol(fn: irq_handler_t): string {
  return fnSymbol(fn);
}
