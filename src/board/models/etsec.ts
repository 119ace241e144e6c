/**
 * The `gianfar` / `fsl,etsec2` device model: an eTSEC at the node's registers, mastering the bus
 * through the same port as the kernel's struct device for the node (so the DMA checker sees its
 * traffic), with its TX, RX and error outputs on the MPIC sources named by its `interrupts`, and
 * the station address firmware would have left from `local-mac-address`.
 */
import { Etsec, ETSEC_WINDOW_SIZE } from '../../hw/etsec/index.js';
import { Mpic } from '../../hw/mpic/index.js';
import { NO_IRQ, type IrqLine } from '../../hw/irq.js';
import { translateReg } from '../../kernel/driver/of-address.js';
import { findProp, nodeBaseName, propCells, type OfNode } from '../../kernel/driver/of-node.js';
import { makeBusId } from '../assembly/bus-id.js';
import { dmaCoherent } from '../assembly/coherence.js';
import type { Board } from '../board.js';
import { registerDeviceModel, type DeviceModelFactory } from '../devices.js';

/** The board's MPIC model, if it has one. */
function mpicOf(board: Board): Mpic | null {
  for (const w of board.machine.bus.mmioWindows) if (w.device instanceof Mpic) return w.device;
  return null;
}

/** MPIC source numbers of the node's interrupt specifiers (4 cells each: source, sense, type, info). */
function sources(node: OfNode): number[] {
  const p = findProp(node, 'interrupts');
  if (!p) return [];
  const cells = propCells(p);
  const out: number[] = [];
  for (let i = 0; i + 3 < cells.length; i += 4) out.push(cells[i]!);
  return out;
}

/**
 * Where the registers and interrupts are: on the node itself (`gianfar`), or on its first
 * `queue-group` child (`fsl,etsec2`, whose node only groups queue-groups). One group is modelled.
 */
function registersOf(node: OfNode, regs: readonly { address: number; size: number }[]): { reg: { address: number; size: number } | undefined; irqNode: OfNode } {
  if (regs[0]) return { reg: regs[0], irqNode: node };
  const group = node.children.find((c) => nodeBaseName(c) === 'queue-group');
  if (!group) return { reg: undefined, irqNode: node };
  const t = translateReg(group, 0);
  return { reg: t.ok ? { address: t.address, size: t.size } : undefined, irqNode: group };
}

/** The eTSEC model factory. */
export const etsecModel: DeviceModelFactory = ({ board, node, regs }) => {
  const { reg, irqNode } = registersOf(node, regs);
  if (!reg) return `${node.path}: no reg (nor a queue-group with one) to map the eTSEC at`;
  const mpic = mpicOf(board);
  const src = sources(irqNode);
  const line = (i: number): IrqLine => (mpic && src[i] !== undefined ? mpic.input(src[i]!) : NO_IRQ);
  const name = makeBusId(node);
  const snoop = dmaCoherent(node, board.spec.coherent);
  const macProp = findProp(node, 'local-mac-address') ?? findProp(node, 'mac-address');
  const etsec = new Etsec({
    name,
    busMaster: board.machine.bus.master(name, { snoop }),
    irqs: { tx: line(0), rx: line(1), err: line(2) },
    events: board.machine.events,
    trace: board.machine.trace,
    ...(macProp && macProp.value.length === 6 ? { mac: macProp.value } : {}),
  });
  board.machine.bus.addMmio(reg.address, Math.max(reg.size, ETSEC_WINDOW_SIZE), etsec);
  return {
    name: 'etsec',
    model: etsec,
    banner: `driverlab: ${name}: eTSEC model at 0x${reg.address.toString(16)}, irqs ${src.slice(0, 3).join('/')}${mpic ? '' : ' (no MPIC: not wired)'}, DMA ${snoop ? 'snooped' : 'not snooped'}`,
  };
};

registerDeviceModel('gianfar', etsecModel);
registerDeviceModel('fsl,etsec2', etsecModel);
