/**
 * The narrow interface the ring engines use to talk back to the device (register file, bus-master
 * port, clock, event bits, the frame output and the trace sink); the engines import nothing else
 * of the device, and the device does all register dispatch and interrupt derivation.
 */
import type { EventQueue } from '../../sim/events.js';
import type { BusMasterPort } from '../bus.js';
import type { FrameInfo } from '../net/wire.js';
import type { BdLayout } from './bd.js';

/** What a ring engine may do to its device. */
export interface EngineHost {
  /** The register file (slots from `SLOT`). Engines read control registers and update pointers, status and RMON. */
  readonly regs: Uint32Array;
  /** The device's DMA port. */
  readonly bus: BusMasterPort;
  /** The device's clock. */
  readonly events: EventQueue;
  /** Nanoseconds per byte on the wire. */
  readonly nsPerByte: number;
  /** Delay between a kick (TSTAT write, enable) and the first descriptor fetch. */
  readonly dmaLatencyNs: number;
  /** How often a TX engine with DMACTRL.WOP clear re-reads a descriptor that was not ready. */
  readonly txPollNs: number;
  /** Whether RX stores a computed FCS (false: zeros for a good frame, ones for a bad one). */
  readonly computeFcs: boolean;
  /** Descriptor layout as DMACTRL.LE selects it now. */
  bdLayout(): BdLayout;
  /** Set IEVENT bits and re-derive the interrupt lines. */
  raise(bits: number): void;
  /** A TX frame whose last BD had INTERRUPT completed (TXF, through TXIC coalescing). */
  txFrameEvent(): void;
  /** An RX frame whose last BD had INTERRUPT completed (RXF0, through RXIC coalescing). */
  rxFrameEvent(): void;
  /** Put a frame on the wire (or loop it back). `bytes[0..length)` is only valid during the call. */
  transmit(bytes: Uint8Array, length: number, info: FrameInfo): void;
  /** Count a model event in the device's counters. */
  count(what: EtsecEngineCounter): void;
  /** Whether anyone listens to the trace. */
  readonly tracing: boolean;
  /** Emit a trace event (check `tracing` first). */
  trace(name: string, data: unknown): void;
}

/** Things the engines count beyond RMON (for tests and reports). */
export type EtsecEngineCounter =
  | 'txFrames' | 'txHalts' | 'txPolls' | 'txMidFrameHalts' | 'txAborted' | 'busErrors'
  | 'rxFrames' | 'rxBusy' | 'rxHaltedDrops' | 'rxFiltered' | 'rxStoppedDrops' | 'rxDisabledDrops' | 'rxOverruns' | 'rxCutFrames' | 'rxNoBufferSize';
