/** Test fixtures for the interrupt tests: a board with its MPIC driven by the kernel, and a tiny interrupting device. */
import { bootBoard, type Board, type BootKnobs } from '../../../src/board/board.js';
import type { MmioDevice } from '../../../src/hw/bus.js';
import type { IrqLine } from '../../../src/hw/irq.js';
import { PTE_CACHE_INHIBITED, PTE_GUARDED } from '../../../src/hw/mmu.js';
import { Mpic, MPIC_WINDOW_SIZE } from '../../../src/hw/mpic/index.js';
import { resetMightSleepRatelimit } from '../../../src/kernel/sched/splats.js';

/** MPC85xx CCSR base. */
export const CCSR = 0xffe0_0000;
/** The MPIC's physical base. */
export const MPIC_BASE = CCSR + 0x4_0000;

/** A board whose MPIC is mapped at CCSR+0x40000 and initialised by the kernel's MPIC driver. */
export function irqBoard(knobs: BootKnobs = {}): Board {
  resetMightSleepRatelimit();
  const b = bootBoard(undefined, knobs);
  const k = b.kernel;
  if (!k.irq.mpic) {
    let mpic = b.machine.bus.mmioAt(MPIC_BASE)?.device;
    if (!(mpic instanceof Mpic)) {
      mpic = new Mpic({ cpuInt: k.irq.cpuInt, events: b.machine.events, trace: b.machine.trace });
      b.machine.bus.addMmio(MPIC_BASE, MPIC_WINDOW_SIZE, mpic);
    }
    const bus = b.machine.bus;
    const r = b.run(() => k.irq.attachMpic({ read32: (o) => bus.mmioRead(MPIC_BASE + o, 4), write32: (o, v) => bus.mmioWrite(MPIC_BASE + o, 4, v >>> 0) }, { paddr: MPIC_BASE }));
    if (!r.ok) throw new Error(r.oops.text);
  }
  return b;
}

/** The board's MPIC model. */
export function mpicOf(b: Board): Mpic {
  const m = b.machine.bus.mmioAt(MPIC_BASE)?.device;
  if (!(m instanceof Mpic)) throw new Error('no MPIC on this board');
  return m;
}

/** A device with a status register (write 1 to clear) and a mask; its line is `status & mask`. */
export class ToyDevice implements MmioDevice {
  readonly name: string;
  status = 0;
  mask = 0;
  /** Register reads made. */
  reads = 0;
  constructor(
    private readonly line: IrqLine,
    name = 'toydev',
  ) {
    this.name = name;
  }
  read(offset: number): number {
    this.reads++;
    if (offset === 0) return this.status;
    if (offset === 4) return this.mask;
    return 0;
  }
  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    if (offset === 0) this.status &= ~value;
    else if (offset === 4) this.mask = value;
    this.update();
  }
  /** The device sets status bits (an event happened). */
  raise(bits: number): void {
    this.status |= bits;
    this.update();
  }
  private update(): void {
    this.line.set((this.status & this.mask) !== 0);
  }
}

let nextVa = 0xf610_0000;
let nextPa = 0xffe8_0000;

/** Put a ToyDevice on MPIC source `source` and map its registers uncached; returns the device and its kernel address. */
export function addToyDevice(b: Board, source: number, name = 'toydev'): { dev: ToyDevice; regs: number } {
  const dev = new ToyDevice(mpicOf(b).input(source), name);
  const pa = nextPa;
  nextPa += 0x1000;
  if (nextPa >= 0xffef_0000) nextPa = 0xffe8_0000;
  b.machine.bus.addMmio(pa, 0x1000, dev);
  const va = nextVa;
  nextVa += 0x1000;
  b.machine.mmu.mapPage(va, pa, PTE_CACHE_INHIBITED | PTE_GUARDED);
  return { dev, regs: va };
}

/** Reports with this id. */
export function reportsOf(b: Board, id: string) {
  return b.reports.filter((r) => r.id === id);
}

/** A wired-OR interrupt line: several devices drive one controller input; it is asserted while any of them asserts. */
export function wiredOr(pin: IrqLine): () => IrqLine {
  const levels: boolean[] = [];
  return () => {
    const i = levels.push(false) - 1;
    return {
      set(asserted: boolean) {
        levels[i] = asserted;
        pin.set(levels.some((x) => x));
      },
    };
  };
}

/** Put a ToyDevice on a given line (e.g. a share of a wired-OR source) and map its registers uncached. */
export function addToyDeviceOn(b: Board, line: IrqLine, name = 'toydev'): { dev: ToyDevice; regs: number } {
  const dev = new ToyDevice(line, name);
  const pa = nextPa;
  nextPa += 0x1000;
  if (nextPa >= 0xffef_0000) nextPa = 0xffe8_0000;
  b.machine.bus.addMmio(pa, 0x1000, dev);
  const va = nextVa;
  nextVa += 0x1000;
  b.machine.mmu.mapPage(va, pa, PTE_CACHE_INHIBITED | PTE_GUARDED);
  return { dev, regs: va };
}
