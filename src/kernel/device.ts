/**
 * `struct device` as the DMA API and printing helpers need it: a name (`dev_name`), the bound
 * driver's name (`dev_driver_string`), DMA masks, coherence, the device's bus-master port, and an
 * offset between physical and DMA addresses. The platform driver model builds on this.
 */
import type { BusMasterPort } from '../hw/bus.js';

/** A device. Created by the board (from the device tree) or by tests through `Kernel.createDevice`. */
export class Device {
  /** `dev_name(dev)`, e.g. `ffe24000.ethernet`. */
  readonly name: string;
  /** Bus name, printed by `dev_driver_string` when no driver is bound (`platform`). */
  readonly bus: string;
  /** The bound driver's name, or null. */
  driverName: string | null;
  /** The streaming DMA mask; null models a device whose `dma_mask` pointer is unset. */
  dmaMask: bigint | null;
  /** The coherent DMA mask. */
  coherentDmaMask: bigint;
  /** DMA is snooped by the CPU cache (`dma-coherent` in the device tree, or a coherent board). */
  readonly dmaCoherent: boolean;
  /** The device's DMA engine on the bus. */
  readonly busMaster: BusMasterPort;
  /** DMA address = physical address + this (0 on the boards modelled). */
  readonly dmaOffset: number;
  /** Maximum sg segment size (`dma_parms`), default 64 KiB as Linux. */
  maxSegmentSize = 0x10000;
  /** Segment boundary mask (`dma_get_seg_boundary`), default all ones. */
  segBoundaryMask = 0xffff_ffff;

  constructor(opts: { name: string; bus?: string; driver?: string | null; dmaCoherent: boolean; busMaster: BusMasterPort; dmaOffset?: number }) {
    this.name = opts.name;
    this.bus = opts.bus ?? 'platform';
    this.driverName = opts.driver ?? null;
    this.dmaMask = 0xffff_ffffn;
    this.coherentDmaMask = 0xffff_ffffn;
    this.dmaCoherent = opts.dmaCoherent;
    this.busMaster = opts.busMaster;
    this.dmaOffset = opts.dmaOffset ?? 0;
  }

  /** `dev_driver_string(dev)`: the driver's name, else the bus's. */
  get driverString(): string {
    return this.driverName ?? this.bus;
  }
}
