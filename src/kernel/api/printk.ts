/**
 * Driver messages into the board's log in Linux's format: `dev_err(dev, fmt, …)` prints
 * `<driver> <device>: message`, `netdev_err` adds the interface name, `pr_*` print bare. Formats
 * take the kernel's printf conversions (`%d`, `%08x`, `%pe`, `%pR`, `%pOF`, …); a trailing newline
 * is dropped. `dev_dbg`/`pr_debug` print only with `dyndbg` on the command line.
 */
import type { Device } from '../device.js';
import { devPrintk, dynamicDebug, netdevPrintk, type NetdevPrintable } from '../driver/printk.js';
import { formatMessage } from '../driver/vsprintf.js';
import { KERN_ALERT, KERN_CRIT, KERN_DEBUG, KERN_EMERG, KERN_ERR, KERN_INFO, KERN_NOTICE, KERN_WARNING, type LogLevel } from '../report/log.js';
import { kernelFor } from './kernel-of.js';

export type { NetdevPrintable } from '../driver/printk.js';

function dev(fn: string, level: LogLevel, d: Device | null, fmt: string, args: unknown[]): void {
  const k = kernelFor(fn);
  if (level === KERN_DEBUG && !dynamicDebug(k)) return;
  devPrintk(k, level, d, formatMessage(fmt, args));
}

/** `dev_printk(level, dev, fmt, ...)`; `level` is a KERN_* number. */
export function dev_printk(level: LogLevel, d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_printk', level, d, fmt, args);
}
/** `dev_emerg(dev, fmt, ...)`. */
export function dev_emerg(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_emerg', KERN_EMERG, d, fmt, args);
}
/** `dev_alert(dev, fmt, ...)`. */
export function dev_alert(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_alert', KERN_ALERT, d, fmt, args);
}
/** `dev_crit(dev, fmt, ...)`. */
export function dev_crit(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_crit', KERN_CRIT, d, fmt, args);
}
/** `dev_err(dev, fmt, ...)`. */
export function dev_err(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_err', KERN_ERR, d, fmt, args);
}
/** `dev_warn(dev, fmt, ...)`. */
export function dev_warn(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_warn', KERN_WARNING, d, fmt, args);
}
/** `dev_notice(dev, fmt, ...)`. */
export function dev_notice(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_notice', KERN_NOTICE, d, fmt, args);
}
/** `dev_info(dev, fmt, ...)`. */
export function dev_info(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_info', KERN_INFO, d, fmt, args);
}
/** `dev_dbg(dev, fmt, ...)`: printed only with `dyndbg` on the command line. */
export function dev_dbg(d: Device | null, fmt: string, ...args: unknown[]): void {
  dev('dev_dbg', KERN_DEBUG, d, fmt, args);
}

function net(fn: string, level: LogLevel, nd: NetdevPrintable | null, fmt: string, args: unknown[]): void {
  const k = kernelFor(fn);
  if (level === KERN_DEBUG && !dynamicDebug(k)) return;
  netdevPrintk(k, level, nd, formatMessage(fmt, args));
}

/** `netdev_printk(level, ndev, fmt, ...)`. */
export function netdev_printk(level: LogLevel, nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_printk', level, nd, fmt, args);
}
/** `netdev_emerg(ndev, fmt, ...)`. */
export function netdev_emerg(nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_emerg', KERN_EMERG, nd, fmt, args);
}
/** `netdev_crit(ndev, fmt, ...)`. */
export function netdev_crit(nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_crit', KERN_CRIT, nd, fmt, args);
}
/** `netdev_err(ndev, fmt, ...)`. */
export function netdev_err(nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_err', KERN_ERR, nd, fmt, args);
}
/** `netdev_warn(ndev, fmt, ...)`. */
export function netdev_warn(nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_warn', KERN_WARNING, nd, fmt, args);
}
/** `netdev_notice(ndev, fmt, ...)`. */
export function netdev_notice(nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_notice', KERN_NOTICE, nd, fmt, args);
}
/** `netdev_info(ndev, fmt, ...)`. */
export function netdev_info(nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_info', KERN_INFO, nd, fmt, args);
}
/** `netdev_dbg(ndev, fmt, ...)`: printed only with `dyndbg`. */
export function netdev_dbg(nd: NetdevPrintable | null, fmt: string, ...args: unknown[]): void {
  net('netdev_dbg', KERN_DEBUG, nd, fmt, args);
}

function pr(fn: string, level: LogLevel, fmt: string, args: unknown[]): void {
  const k = kernelFor(fn);
  if (level === KERN_DEBUG && !dynamicDebug(k)) return;
  k.log.printk(level, formatMessage(fmt, args));
}

/** `printk(fmt, ...)` at KERN_INFO (a `KERN_*` prefix is not parsed; use the `pr_*` forms). */
export function printk(fmt: string, ...args: unknown[]): void {
  pr('printk', KERN_INFO, fmt, args);
}
/** `pr_emerg(fmt, ...)`. */
export function pr_emerg(fmt: string, ...args: unknown[]): void {
  pr('pr_emerg', KERN_EMERG, fmt, args);
}
/** `pr_crit(fmt, ...)`. */
export function pr_crit(fmt: string, ...args: unknown[]): void {
  pr('pr_crit', KERN_CRIT, fmt, args);
}
/** `pr_err(fmt, ...)`. */
export function pr_err(fmt: string, ...args: unknown[]): void {
  pr('pr_err', KERN_ERR, fmt, args);
}
/** `pr_warn(fmt, ...)`. */
export function pr_warn(fmt: string, ...args: unknown[]): void {
  pr('pr_warn', KERN_WARNING, fmt, args);
}
/** `pr_notice(fmt, ...)`. */
export function pr_notice(fmt: string, ...args: unknown[]): void {
  pr('pr_notice', KERN_NOTICE, fmt, args);
}
/** `pr_info(fmt, ...)`. */
export function pr_info(fmt: string, ...args: unknown[]): void {
  pr('pr_info', KERN_INFO, fmt, args);
}
/** `pr_debug(fmt, ...)`: printed only with `dyndbg`. */
export function pr_debug(fmt: string, ...args: unknown[]): void {
  pr('pr_debug', KERN_DEBUG, fmt, args);
}
