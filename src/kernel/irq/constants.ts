/**
 * genirq's numbers as Linux defines them: irqreturn values, IRQF_* request flags, IRQ_TYPE_*
 * trigger types, irq_chip flags and the errno values the request path returns. Values only.
 */

/** Handler return: the interrupt was not from this device. */
export const IRQ_NONE = 0;
/** Handler return: the interrupt was handled. */
export const IRQ_HANDLED = 1;
/** Handler return: wake the handler's thread. */
export const IRQ_WAKE_THREAD = 2;
/** `irqreturn_t`: a handler's return value. */
export type irqreturn_t = number;
/** `IRQ_RETVAL(x)`: IRQ_HANDLED when `x` is truthy, else IRQ_NONE. */
export function IRQ_RETVAL(x: unknown): irqreturn_t {
  return x ? IRQ_HANDLED : IRQ_NONE;
}

/** Trigger on the rising edge. */
export const IRQF_TRIGGER_RISING = 0x0000_0001;
/** Trigger on the falling edge. */
export const IRQF_TRIGGER_FALLING = 0x0000_0002;
/** Trigger while the line is high. */
export const IRQF_TRIGGER_HIGH = 0x0000_0004;
/** Trigger while the line is low. */
export const IRQF_TRIGGER_LOW = 0x0000_0008;
/** The trigger bits. */
export const IRQF_TRIGGER_MASK = IRQF_TRIGGER_HIGH | IRQF_TRIGGER_LOW | IRQF_TRIGGER_RISING | IRQF_TRIGGER_FALLING;
/** No trigger given: use the line's configured type. */
export const IRQF_TRIGGER_NONE = 0;
/** The line may be shared by several devices. */
export const IRQF_SHARED = 0x0000_0080;
/** Do not print a flags mismatch when sharing fails. */
export const IRQF_PROBE_SHARED = 0x0000_0100;
/** Timer interrupt (internal). */
export const __IRQF_TIMER = 0x0000_0200;
/** Per-CPU interrupt. */
export const IRQF_PERCPU = 0x0000_0400;
/** Exclude from irq balancing. */
export const IRQF_NOBALANCING = 0x0000_0800;
/** Used for polling (irqpoll). */
export const IRQF_IRQPOLL = 0x0000_1000;
/** Keep the line masked until the threaded handler has run. */
export const IRQF_ONESHOT = 0x0000_2000;
/** Do not disable across suspend. */
export const IRQF_NO_SUSPEND = 0x0000_4000;
/** Force enable on resume. */
export const IRQF_FORCE_RESUME = 0x0000_8000;
/** Never thread this handler, even with threadirqs. */
export const IRQF_NO_THREAD = 0x0001_0000;
/** Resume early. */
export const IRQF_EARLY_RESUME = 0x0002_0000;
/** Conditionally suspend (shared with a NO_SUSPEND user). */
export const IRQF_COND_SUSPEND = 0x0004_0000;
/** Do not enable the line when requesting it (needs enable_irq). */
export const IRQF_NO_AUTOEN = 0x0008_0000;
/** Exclude from the runaway detector (per-CPU only). */
export const IRQF_NO_DEBUG = 0x0010_0000;
/** A timer interrupt. */
export const IRQF_TIMER = __IRQF_TIMER | IRQF_NO_SUSPEND | IRQF_NO_THREAD;

/** `IRQ_NOTCONNECTED`: an interrupt that is not connected; requests fail with -ENOTCONN. */
export const IRQ_NOTCONNECTED = 0x8000_0000;

/** Trigger type: none (keep what the hardware has). */
export const IRQ_TYPE_NONE = 0x0;
/** Rising edge. */
export const IRQ_TYPE_EDGE_RISING = 0x1;
/** Falling edge. */
export const IRQ_TYPE_EDGE_FALLING = 0x2;
/** Both edges. */
export const IRQ_TYPE_EDGE_BOTH = IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING;
/** Level, active high. */
export const IRQ_TYPE_LEVEL_HIGH = 0x4;
/** Level, active low. */
export const IRQ_TYPE_LEVEL_LOW = 0x8;
/** Level bits. */
export const IRQ_TYPE_LEVEL_MASK = IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_LEVEL_HIGH;
/** All sense bits. */
export const IRQ_TYPE_SENSE_MASK = 0xf;
/** "Read it back from the hardware" (irq chips treat it so). */
export const IRQ_TYPE_DEFAULT = IRQ_TYPE_SENSE_MASK;

/** irq_chip flag: the chip can run ONESHOT threads without masking (MSI-like); ONESHOT is dropped. */
export const IRQCHIP_ONESHOT_SAFE = 1 << 6;
/** irq_chip flag: EOI only when the interrupt was handled. */
export const IRQCHIP_EOI_IF_HANDLED = 1 << 1;
/** irq_chip flag: for ONESHOT threads, EOI after the thread rather than after the hard handler. */
export const IRQCHIP_EOI_THREADED = 1 << 5;

/** `EPERM`: the interrupt API returns errnos negated (-EPERM). */
export const EPERM = 1;
/** `ENOENT`. */
export const ENOENT = 2;
/** `EINTR`. */
export const EINTR = 4;
/** `ENOMEM`: no memory for the irqaction. */
export const ENOMEM = 12;
/** `EBUSY`: the line is taken (flags mismatch). */
export const EBUSY = 16;
/** `EINVAL`: a bad argument or number. */
export const EINVAL = 22;
/** `ENOSYS`: the number has no irq_chip (never mapped, or a legacy number). */
export const ENOSYS = 38;
/** `ENOTCONN`: IRQ_NOTCONNECTED. */
export const ENOTCONN = 107;
/** `ETIMEDOUT`: a poll timed out. */
export const ETIMEDOUT = 110;

/** Linux's `NR_IRQS` for 32-bit PowerPC (CONFIG_NR_IRQS default). */
export const NR_IRQS = 512;
/** Descriptors allocated at boot for a legacy ISA controller (`NR_IRQS_LEGACY` on powerpc). */
export const NR_IRQS_LEGACY = 16;

/** `irq_set_type` results: the chip updated the trigger itself. */
export const IRQ_SET_MASK_OK = 0;
/** The chip stored the trigger in irq_data itself (no copy needed). */
export const IRQ_SET_MASK_OK_NOCOPY = 1;

/** A trigger type as `/proc/irq` and messages print it. */
export function triggerName(type: number): string {
  if (type & IRQ_TYPE_LEVEL_MASK) return type & IRQ_TYPE_LEVEL_HIGH ? 'level-high' : 'level-low';
  if (type === IRQ_TYPE_EDGE_BOTH) return 'edge-both';
  if (type & IRQ_TYPE_EDGE_RISING) return 'edge-rising';
  if (type & IRQ_TYPE_EDGE_FALLING) return 'edge-falling';
  return 'none';
}
