/** Shared fixtures for the driver-model tests: a booted board, a small tree, a fake register block and a toy driver. */
import { bootBoard, type Board } from '../../../src/board/board.js';
import { parseDts } from '../../../src/board/dts/index.js';
import type { DtNode } from '../../../src/board/dts/index.js';
import type { MmioDevice } from '../../../src/hw/bus.js';
import { driverCore } from '../../../src/kernel/driver/core.js';
import { addressToResource } from '../../../src/kernel/driver/of-address.js';
import { PlatformDevice } from '../../../src/kernel/driver/platform-device.js';

/** A small tree: a simple-bus at 0xffe00000 with two toy devices and one other. */
export const TOY_DTS = `/dts-v1/;
/ {
  #address-cells = <1>;
  #size-cells = <1>;
  soc@ffe00000 {
    compatible = "simple-bus";
    #address-cells = <1>;
    #size-cells = <1>;
    ranges = <0x0 0xffe00000 0x100000>;
    toy@8000 {
      compatible = "acme,toy-v2", "acme,toy";
      reg = <0x8000 0x100>;
      acme,fifo-depth = <64>;
      acme,names = "tx", "rx";
      label = "first";
      acme,blob = [01 02 03];
      local-mac-address = [00 04 9f 01 02 03];
      child@0 { reg = <0>; };
      queue@1 { reg = <1>; status = "disabled"; };
    };
    toy@9000 {
      compatible = "acme,toy";
      reg = <0x9000 0x100>;
      local-mac-address = [00 00 00 00 00 00];
    };
    other@a000 {
      compatible = "acme,other";
      reg = <0xa000 0x100>;
    };
  };
};
`;

/** A register block for tests: 64 32-bit registers; reads return what was written, as the big-endian core sees it. */
export class FakeRegs implements MmioDevice {
  readonly name: string;
  readonly regs = new Uint32Array(64);
  readonly writes: { offset: number; size: number; value: number }[] = [];
  constructor(name = 'fake-regs') {
    this.name = name;
  }
  read(offset: number, size: 1 | 2 | 4): number {
    const word = this.regs[offset >> 2]!;
    if (size === 4) return word;
    const shift = size === 2 ? (2 - (offset & 2)) * 8 : (3 - (offset & 3)) * 8;
    return (word >>> shift) & (size === 2 ? 0xffff : 0xff);
  }
  write(offset: number, size: 1 | 2 | 4, value: number): void {
    this.writes.push({ offset, size, value });
    if (size === 4) this.regs[offset >> 2] = value >>> 0;
    else {
      const shift = size === 2 ? (2 - (offset & 2)) * 8 : (3 - (offset & 3)) * 8;
      const mask = (size === 2 ? 0xffff : 0xff) << shift;
      this.regs[offset >> 2] = ((this.regs[offset >> 2]! & ~mask) | ((value << shift) & mask)) >>> 0;
    }
  }
}

/** A booted board with the toy tree's devices registered on its platform bus and fake registers at toy@8000. */
export interface ToyBoard {
  readonly board: Board;
  readonly regs: FakeRegs;
  readonly node: (name: string) => DtNode;
  readonly pdev: (name: string) => PlatformDevice;
}

/** Boot the default board, add the toy devices (as the board's populate step would) and a fake register block. */
export function toyBoard(bootargs = ''): ToyBoard {
  const board = bootBoard(undefined, bootargs ? { bootargs } : {});
  const tree = parseDts(TOY_DTS, { file: 'toy.dts', includeDirs: [] });
  const soc = tree.root.children.find((c) => c.name === 'soc@ffe00000')!;
  const regs = new FakeRegs();
  board.machine.bus.addMmio(0xffe0_8000, 0x100, regs);
  const core = driverCore(board.kernel);
  const made = new Map<string, PlatformDevice>();
  for (const n of soc.children) {
    const r = addressToResource(n, 0)!;
    const name = `${r.start.toString(16)}.${n.name.split('@')[0]}`;
    const pdev = new PlatformDevice({ name, dev: board.kernel.createDevice(name), of_node: n, resource: [r] });
    made.set(n.name, pdev);
    core.bus.addDevice(pdev);
  }
  return {
    board,
    regs,
    node: (name) => soc.children.find((c) => c.name === name)!,
    pdev: (name) => made.get(name)!,
  };
}

/** Run `fn` on the board; fail the test with the oops text if it oopses. */
export function run<T>(board: Board, fn: () => T): T {
  const r = board.run(fn);
  if (!r.ok) throw new Error(r.oops.text);
  return r.value;
}
