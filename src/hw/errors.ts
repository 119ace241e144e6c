/**
 * Hardware-level faults: a bus error for an access no RAM bank or device window answers, and the
 * CPU's storage exceptions (data access to an unmapped or protected kernel address).
 */

/** Which way an access went. */
export type AccessKind = 'read' | 'write';

/** No RAM and no device answered a physical address (a hole in the address map). */
export class BusError extends Error {
  override readonly name = 'BusError';
  constructor(
    /** Physical address that nothing decodes. */
    readonly pa: number,
    /** Access length in bytes. */
    readonly len: number,
    /** Read or write. */
    readonly access: AccessKind,
    /** Who drove the bus: `cpu` or a device's bus-master name. */
    readonly master: string,
  ) {
    super(`bus error: ${master} ${access} of ${len} byte(s) at physical 0x${pa.toString(16)} hits no RAM or device`);
  }
}

/** Why the core raised a storage exception. */
export type FaultReason =
  /** Nothing mapped at the effective address (data storage / TLB miss in kernel space). */
  | 'unmapped'
  /** Below TASK_SIZE: user space or the NULL page, which kernel code must not touch. */
  | 'user'
  /** A store to a read-only mapping (kernel text, rodata). */
  | 'protection'
  /** The access reached the bus and nothing answered (machine check). */
  | 'machine-check';

/** A storage exception taken by the core: the kernel turns it into an oops. */
export class CpuFault extends Error {
  override readonly name = 'CpuFault';
  constructor(
    /** Effective (kernel virtual) address of the access (DEAR/DAR). */
    readonly va: number,
    /** Read or write (dcbst/dcbf count as reads, dcbi/dcbz as writes). */
    readonly access: AccessKind,
    /** What went wrong. */
    readonly reason: FaultReason,
    /** The physical address, when translation succeeded (machine checks). */
    readonly pa: number = -1,
  ) {
    super(`cpu fault: ${reason} ${access} at 0x${(va >>> 0).toString(16).padStart(8, '0')}`);
  }
}
