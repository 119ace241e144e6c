/**
 * Wiring helpers between device interrupt outputs and MPIC input pins; they model a wire and an
 * inverter, nothing of pull-up strength or glitches.
 */
import type { IrqLine } from '../irq.js';

/**
 * Connect a device whose interrupt output is active-low (PCI INTx, many board-level parts) to an
 * MPIC pin: the device's `set(true)` (asserted) drives the pin low. The pin is driven to its idle
 * high level at once, as the board's pull-up would; program the source level-low (sense cell 1).
 */
export function activeLowPin(pin: IrqLine): IrqLine {
  pin.set(true);
  return { set: (asserted: boolean) => pin.set(!asserted) };
}
