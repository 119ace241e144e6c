/**
 * `dev_printk` and `netdev_printk` on a kernel's log: the `<driver> <device>: ` and
 * `<driver> <device> <ifname>: ` prefixes Linux puts on driver messages, and dynamic debug
 * (`dev_dbg` prints only when the command line says `dyndbg`).
 */
import type { Device } from '../device.js';
import type { Kernel } from '../kernel.js';
import { KERN_DEBUG, type LogLevel } from '../report/log.js';

/** `dev_printk(level, dev, msg)`: `<driver or bus> <device>: msg`; a null device prints `(NULL device *): `. */
export function devPrintk(kernel: Kernel, level: LogLevel, dev: Device | null | undefined, msg: string): void {
  if (level === KERN_DEBUG && !dynamicDebug(kernel)) return;
  kernel.log.dev_printk(level, dev ? { driver: dev.driverString, name: dev.name } : null, msg);
}

/** True when `dev_dbg`/`pr_debug` print: the command line holds a `dyndbg` word (as `dyndbg="+p"`). */
export function dynamicDebug(kernel: Kernel): boolean {
  return /(^|\s)dyndbg(=|\s|$)/.test(kernel.boot.raw);
}

/** What `netdev_printk` needs of a `struct net_device`. */
export interface NetdevPrintable {
  /** Interface name (`eth0`); empty or containing `%` prints `(unnamed net_device)`. */
  readonly name: string;
  /** `dev->dev.parent`: the bus device, when the netdev has one. */
  readonly parent?: Device | null;
  /** `reg_state`; anything but `registered` is printed after the name. */
  readonly regState?: 'uninitialized' | 'registered' | 'unregistering' | 'unregistered' | 'released' | 'dummy';
}

const REG_STATE: Record<string, string> = {
  uninitialized: ' (uninitialized)',
  registered: '',
  unregistering: ' (unregistering)',
  unregistered: ' (unregistered)',
  released: ' (released)',
  dummy: ' (dummy)',
};

/** `netdev_printk`: `<driver> <device> <ifname>: msg`, or `<ifname>: msg` without a parent. */
export function netdevPrintk(kernel: Kernel, level: LogLevel, ndev: NetdevPrintable | null | undefined, msg: string): void {
  if (level === KERN_DEBUG && !dynamicDebug(kernel)) return;
  if (!ndev) {
    kernel.log.printk(level, `(NULL net_device): ${msg}`);
    return;
  }
  const name = ndev.name === '' || ndev.name.includes('%') ? '(unnamed net_device)' : ndev.name;
  const state = REG_STATE[ndev.regState ?? 'registered'] ?? '';
  const parent = ndev.parent;
  kernel.log.printk(level, parent ? `${parent.driverString} ${parent.name} ${name}${state}: ${msg}` : `${name}${state}: ${msg}`);
}
