/** The shipped boards: the default e500v2 router (non-coherent on purpose) and its coherent twin, from boards/*.dts. */
import { describe, expect, it } from 'vitest';
import { bootBoard, COHERENT_BOARD, COHERENT_DT_BOARD, DEFAULT_BOARD, DEFAULT_DT_BOARD } from '../../../src/board/board.js';
import { boardAssembly } from '../../../src/board/assembly/attach.js';
import { bootDts } from '../../../src/board/assembly/load.js';
import { shippedBoard } from '../../../src/board/assembly/spec-file.js';
import { Mpic } from '../../../src/hw/mpic/index.js';
import { platform_get_irq } from '../../../src/kernel/api/platform.js';

const MiB = 1024 * 1024;

describe('boards/default.dts', () => {
  it('describes an e500v2 router: 256 MiB, 32 KiB 8-way L1D with 32-byte lines, non-coherent, MPIC at CCSR+0x40000', () => {
    expect(DEFAULT_DT_BOARD).toMatchObject({ name: 'driverlab e500v2 router (non-coherent)', ram: [{ base: 0, size: 256 * MiB }], cache: { size: 32768, ways: 8, lineSize: 32 }, coherent: false, bootargs: '' });
    const b = bootBoard(DEFAULT_DT_BOARD);
    expect(b.machine.bus.mmioAt(0xffe4_0000)?.device).toBeInstanceOf(Mpic);
    // The MPIC and the two eTSECs have models.
    expect([...boardAssembly(b)!.models.values()].map((m) => m.instance.name).sort()).toEqual(['etsec', 'etsec', 'mpic']);
    expect(b.dmesg()).toContain('driverlab: /soc@ffe00000 is dma-noncoherent: nothing snoops the L1 data cache');
    expect(b.reports).toEqual([]);
  });

  it('has two eTSEC ("gianfar") devices; the first one\'s TX/RX/ER interrupts are MPIC sources 29/30/34', () => {
    const b = bootBoard(DEFAULT_DT_BOARD);
    const enet0 = b.platform.device('ffe24000.ethernet')!;
    expect(b.platform.device('ffe25000.ethernet')).toBeDefined();
    expect(enet0.irqs.map((i) => i.cells[0])).toEqual([29, 30, 34]);
    expect(enet0.resource[0]).toMatchObject({ start: 0xffe2_4000, end: 0xffe2_4fff });
    expect(enet0.dev.dmaCoherent).toBe(false);
    expect(enet0.irqs.map((i) => i.hwirq)).toEqual([29, 30, 34]);
    const r = b.run(() => [0, 1, 2].map((n) => platform_get_irq(enet0, n)));
    expect(r.ok && r.value.every((v) => v > 0)).toBe(true);
  });

  it('DEFAULT_BOARD is the same description without the tree, so bootBoard() stays a bare board', () => {
    const { tree: _t, notes: _n, ...rest } = DEFAULT_DT_BOARD;
    expect(DEFAULT_BOARD).toEqual(rest);
    expect(bootBoard().platform.devices).toEqual([]);
    expect(bootDts(shippedBoard('default')).platform.devices.length).toBe(bootBoard(DEFAULT_DT_BOARD).platform.devices.length);
  });
});

describe('boards/default-coherent.dts', () => {
  it('is the same SoC with dma-coherent: the machine snoops and devices are coherent', () => {
    expect(COHERENT_DT_BOARD).toMatchObject({ name: 'driverlab e500v2 router (coherent)', coherent: true, ram: DEFAULT_DT_BOARD.ram, cache: DEFAULT_DT_BOARD.cache });
    expect(COHERENT_BOARD.coherent).toBe(true);
    const b = bootBoard(COHERENT_DT_BOARD);
    expect(b.machine.coherent).toBe(true);
    expect(b.platform.device('ffe24000.ethernet')!.dev.dmaCoherent).toBe(true);
    expect(b.platform.list().map((l) => l.name)).toEqual(bootBoard(DEFAULT_DT_BOARD).platform.list().map((l) => l.name));
  });
});
