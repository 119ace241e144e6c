/**
 * Interrupt wiring between device models and an interrupt controller: a device drives a line's
 * level; the controller decides what an edge or a level means. Lines are derived by the device
 * (one updateIrq() per device computing status & mask), never pulsed from scattered places.
 */

/** An interrupt line as a device sees it. */
export interface IrqLine {
  /** Drive the line: true = asserted (active), false = deasserted. Repeating a level is harmless. */
  set(asserted: boolean): void;
}

/** A line that goes nowhere (for devices whose interrupt is not wired). */
export const NO_IRQ: IrqLine = { set: () => {} };
