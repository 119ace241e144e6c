/**
 * The eTSEC's MDIO master (MIIMCFG/MIIMCOM/MIIMADD/MIIMCON/MIIMSTAT/MIIMIND): read, write and scan
 * cycles to one PHY, with BUSY and NOT_VALID held for the length of a management frame on
 * simulated time; addresses with no PHY read 0xffff (the bus's pull-up). Not modelled: preamble
 * suppression timing, the clock divider's effect on cycle length, more than one PHY per bus.
 */
import type { EventQueue } from '../../sim/events.js';
import { MIIMADD_PHY_MASK, MIIMADD_PHY_SHIFT, MIIMADD_REG_MASK, MIIMCOM_READ_CYCLE, MIIMCOM_SCAN_CYCLE, MIIMIND_BUSY, MIIMIND_NOT_VALID, MIIMIND_SCAN } from './layout.js';
import type { Phy } from './phy.js';

/** Default length of one management frame: 64 MDC clocks at 2.5 MHz. */
export const DEFAULT_MDIO_CYCLE_NS = 25_600;

/** Plain state of the MDIO master. */
export interface MdioState {
  readonly doneIn: number;
  readonly reading: boolean;
  readonly result: number;
}

/** The MDIO master. It keeps its own state; the register file holds MIIMCOM/MIIMADD. */
export class Mdio {
  private doneAt = 0;
  private reading = false;
  private result = 0;
  private lastStatus = 0;

  constructor(
    private readonly events: EventQueue,
    readonly phy: Phy,
    /** Length of a read or write cycle in ns (0: instant). */
    readonly cycleNs: number = DEFAULT_MDIO_CYCLE_NS,
  ) {}

  /** MIIMCOM was written: a READ_CYCLE 0→1 starts a read of MIIMADD's register. */
  command(old: number, now: number, address: number): void {
    if ((now & MIIMCOM_READ_CYCLE) !== 0 && (old & MIIMCOM_READ_CYCLE) === 0) {
      this.result = this.access(address, -1);
      this.reading = true;
      this.doneAt = this.events.now + this.cycleNs;
    }
  }

  /** MIIMCON was written: a write cycle of `value` to MIIMADD's register. */
  control(value: number, address: number): void {
    this.access(address, value & 0xffff);
    this.reading = false;
    this.doneAt = this.events.now + this.cycleNs;
  }

  /** MIIMCFG.RESET_MGMT: abandon any cycle. */
  resetManagement(): void {
    this.doneAt = 0;
    this.reading = false;
  }

  /** MIIMIND as read now. */
  indicators(command: number): number {
    const busy = this.events.now < this.doneAt;
    let v = busy ? MIIMIND_BUSY : 0;
    if (busy && this.reading) v |= MIIMIND_NOT_VALID;
    if (command & MIIMCOM_SCAN_CYCLE) v |= MIIMIND_SCAN;
    return v;
  }

  /** MIIMSTAT as read now: the finished read's value; a scan cycle follows the register live. */
  status(command: number, address: number): number {
    if (command & MIIMCOM_SCAN_CYCLE) return (this.lastStatus = this.access(address, -1));
    if (this.reading && this.events.now >= this.doneAt) {
      this.lastStatus = this.result;
      this.reading = false;
    }
    return this.lastStatus;
  }

  /** Plain-data state (pending times relative to now). */
  save(): MdioState {
    return { doneIn: Math.max(0, this.doneAt - this.events.now), reading: this.reading, result: this.result };
  }

  /** Load a state taken with `save()`; pending events are re-armed on this clock. */
  restore(s: MdioState, lastStatus: number): void {
    this.doneAt = this.events.now + s.doneIn;
    this.reading = s.reading;
    this.result = s.result;
    this.lastStatus = lastStatus;
  }

  /** Back to the power-on state. */
  reset(): void {
    this.doneAt = 0;
    this.reading = false;
    this.result = 0;
    this.lastStatus = 0;
  }

  /** Current MIIMSTAT storage (for snapshots). */
  get statusValue(): number {
    return this.lastStatus;
  }

  private access(address: number, write: number): number {
    const phyAddr = (address & MIIMADD_PHY_MASK) >>> MIIMADD_PHY_SHIFT;
    const reg = address & MIIMADD_REG_MASK;
    if (phyAddr !== this.phy.address) return 0xffff;
    if (write >= 0) {
      this.phy.write(reg, write);
      return 0;
    }
    return this.phy.read(reg);
  }
}
