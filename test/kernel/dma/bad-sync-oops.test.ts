/**
 * The seed scenario, end to end (reference §4.1, outcomes by handle value): a driver hands a
 * buffer back to the device with dma_sync_single_for_device on a handle it already unmapped, and
 * on garbage handles. A stale handle corrupts silently (the dcbi throws away the new owner's
 * dirty data) and dma-debug warns; a handle past lowmem or the error handle faults in the arch
 * sync, before dma-debug runs, with the PowerPC oops text; handle 0 only warns; DMA_NONE is a
 * kernel BUG.
 */
import { describe, expect, it } from 'vitest';
import { BoardHaltedError } from '../../../src/kernel/kernel.js';
import { HARDIRQ_OFFSET } from '../../../src/kernel/context.js';
import { kfree, kmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_map_single, dma_mapping_error, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_unmap_single,
} from '../../../src/kernel/dma/api.js';
import { DMA_BIDIRECTIONAL, DMA_FROM_DEVICE, DMA_MAPPING_ERROR, DMA_NONE, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import type { Device } from '../../../src/kernel/device.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_from_host, copy_to_host } from '../../../src/kernel/memaccess.js';
import { hex16, ids, only, pattern, PREFIX, rig } from './helpers.js';

/** The driver's refill path: gives an RX buffer back to the NIC. */
function gfar_refill_rx(dev: Device, handle: number, len: number, dir: number): void {
  dma_sync_single_for_device(dev, handle, len, dir);
}

/** The driver's RX clean path: takes a buffer back for the CPU. */
function gfar_clean_rx(dev: Device, handle: number, len: number, dir: number): void {
  dma_sync_single_for_cpu(dev, handle, len, dir);
}

const NOT_ALLOCATED = (h: number, n: number): string => `${PREFIX}device driver tries to sync DMA memory it has not allocated [device address=${hex16(h)}] [size=${n} bytes]`;

describe('a stale handle (the buffer was unmapped and its memory reused)', () => {
  it('FROM_DEVICE, aligned: no oops, the DMA-API warning, and the dcbi silently discards the new owner\'s dirty data', () => {
    const r = rig();
    const newData = pattern(64, 0x5a);
    const v = r.run(() => {
      const rxbuf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, rxbuf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      dma_unmap_single(r.dev, h, 64, DMA_FROM_DEVICE);
      kfree(rxbuf);
      const other = kmalloc(64, GFP_KERNEL)!; // someone else gets the memory
      copy_from_host(other, newData); // and writes it: dirty lines in the cache
      const pa = r.b.kernel.mm.virt_to_phys(other);
      const dirtyBefore = r.b.machine.cache.isDirty(pa);
      gfar_refill_rx(r.dev, h, 64, DMA_FROM_DEVICE); // the bug: the stale handle
      const cachedAfter = r.b.machine.cache.isCached(pa) || r.b.machine.cache.isCached(pa + 32);
      return { h, other, pa, dirtyBefore, cachedAfter, after: copy_to_host(other, 64) };
    });
    expect(v.other).toBe(v.h - r.b.kernel.mm.memstart + 0xc000_0000); // the stale handle points at the new owner
    expect(v.dirtyBefore).toBe(true);
    const w = only(r.b.reports, 'dma.sync-unknown');
    expect(w.kind).toBe('warn');
    expect(w.title).toBe(NOT_ALLOCATED(v.h, 64));
    expect(w.text).toMatch(/gfar_refill_rx\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/dma\/bad-sync-oops\.test\.ts:\d+\)/);
    expect(r.b.kernel.reporter.oopsCount).toBe(0);
    // the data loss: the new owner's writes never reached RAM and its lines are gone
    expect(Array.from(v.after)).not.toEqual(Array.from(newData));
    expect(v.cachedAfter).toBe(false);
    expect(r.b.kernel.symptoms.entries).toEqual([]); // a silent loss: no symptom the model could see, only the data
  });

  it('TO_DEVICE or BIDIRECTIONAL: dcbst/dcbf are harmless to the new owner; only the warning', () => {
    for (const dir of [DMA_TO_DEVICE, DMA_BIDIRECTIONAL]) {
      const r = rig();
      const newData = pattern(64, 0x33);
      const v = r.run(() => {
        const rxbuf = kmalloc(64, GFP_KERNEL)!;
        const h = dma_map_single(r.dev, rxbuf, 64, dir);
        dma_mapping_error(r.dev, h);
        dma_unmap_single(r.dev, h, 64, dir);
        kfree(rxbuf);
        const other = kmalloc(64, GFP_KERNEL)!;
        copy_from_host(other, newData);
        gfar_refill_rx(r.dev, h, 64, dir);
        return { h, after: copy_to_host(other, 64) };
      });
      expect(Array.from(v.after)).toEqual(Array.from(newData));
      expect(only(r.b.reports, 'dma.sync-unknown').title).toBe(NOT_ALLOCATED(v.h, 64));
    }
  });
});

describe('a garbage handle beyond lowmem (0x3f000000 on the 256 MiB board)', () => {
  const GARBAGE = 0x3f00_0000;

  it('oopses in arch_sync_dma_for_device, the driver in the call trace, and no DMA-API warning (the arch sync faults first)', () => {
    const r = rig();
    const oops = r.oops(() => gfar_refill_rx(r.dev, GARBAGE, 64, DMA_FROM_DEVICE));
    expect(ids(r.b.reports)).toEqual(['oops.bad-area']);
    expect(oops.kind).toBe('oops');
    const lines = oops.text.split('\n');
    expect(lines[0]).toBe('BUG: Unable to handle kernel data access on write at 0xff000000'); // dcbi counts as a store
    expect(lines[1]).toMatch(/^Faulting instruction address: 0x[0-9a-f]{8}$/);
    expect(lines[2]).toBe('Oops: Kernel access of bad area, sig: 11 [#1]');
    expect(oops.text).toContain('DEAR: ff000000 ESR: 00800000');
    expect(oops.text).toMatch(/REGS: [0-9a-f]{8} TRAP: 0300 /);
    const nip = lines.find((l) => l.startsWith('NIP ['))!;
    expect(nip).toMatch(/^NIP \[[0-9a-f]{8}\] arch_sync_dma_for_device\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
    expect(lines.find((l) => l.startsWith('LR ['))).toMatch(/^LR \[[0-9a-f]{8}\] dma_sync_single_for_device\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
    expect(lines[1]).toBe(`Faulting instruction address: 0x${nip.slice(5, 13)}`);
    const trace = oops.text.slice(oops.text.indexOf('Call Trace:'));
    expect(trace).toMatch(/\] dma_sync_single_for_device\+0x[0-9a-f]+\/0x[0-9a-f]+ \(unreliable\)\n\[[0-9a-f]{8}\] \[[0-9a-f]{8}\] gfar_refill_rx\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/dma\/bad-sync-oops\.test\.ts:\d+\)/);
    expect(oops.text).toMatch(/<7c001bac>/); // dcbi 0,r3 at NIP in the instruction dump
    expect(oops.text).toContain('---[ end trace 0000000000000000 ]---');
    expect(oops.details).toMatchObject({ address: 0xff00_0000, access: 'write', signal: 11 });
  });

  it('TO_DEVICE (dcbst) and BIDIRECTIONAL (dcbf) fault "on read"', () => {
    for (const [dir, insn] of [[DMA_TO_DEVICE, '<7c00186c>'], [DMA_BIDIRECTIONAL, '<7c0018ac>']] as const) {
      const r = rig();
      const oops = r.oops(() => gfar_refill_rx(r.dev, GARBAGE, 64, dir));
      expect(oops.title).toBe('BUG: Unable to handle kernel data access on read at 0xff000000');
      expect(oops.text).toContain('DEAR: ff000000 ESR: 00000000');
      expect(oops.text).toContain(insn);
    }
  });

  it('for_cpu faults in arch_sync_dma_for_cpu', () => {
    const r = rig();
    const oops = r.oops(() => gfar_clean_rx(r.dev, GARBAGE, 1500, DMA_FROM_DEVICE));
    expect(oops.text).toMatch(/\nNIP \[[0-9a-f]{8}\] arch_sync_dma_for_cpu\+0x/);
    expect(oops.text).toMatch(/\nLR \[[0-9a-f]{8}\] dma_sync_single_for_cpu\+0x/);
    expect(oops.text).toMatch(/gfar_clean_rx\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/dma\/bad-sync-oops\.test\.ts:\d+\)/);
    expect(oops.title).toBe('BUG: Unable to handle kernel data access on read at 0xff000000'); // 1500 B: unaligned end, dcbf
  });

  it('the oops unwinds the offending path only: the board goes on and counts the oopses', () => {
    const r = rig();
    r.oops(() => gfar_refill_rx(r.dev, GARBAGE, 64, DMA_FROM_DEVICE));
    expect(r.run(() => 42)).toBe(42);
    const second = r.oops(() => gfar_refill_rx(r.dev, GARBAGE + 0x1000, 64, DMA_FROM_DEVICE));
    expect(second.text).toContain('Oops: Kernel access of bad area, sig: 11 [#2]');
    expect(second.text).toMatch(/Tainted: G\s+D/);
  });

  it('a preceding DMA-API warning taints the oops with W', () => {
    const r = rig();
    r.run(() => gfar_refill_rx(r.dev, 0, 64, DMA_TO_DEVICE)); // handle 0: warns
    const oops = r.oops(() => gfar_refill_rx(r.dev, GARBAGE, 64, DMA_FROM_DEVICE));
    expect(oops.text).toMatch(/CPU: 0 PID: 1 Comm: swapper Tainted: G {8}W {10}6\.6\.0-driverlab #1/);
  });

  it('with panic_on_oops=1 the oops ends in a panic and the board halts', () => {
    const r = rig({ bootargs: 'panic_on_oops=1' });
    const oops = r.oops(() => gfar_refill_rx(r.dev, GARBAGE, 64, DMA_FROM_DEVICE));
    expect(oops.text).toContain('Kernel panic - not syncing: Fatal exception');
    expect(r.b.kernel.reporter.panicked).toBe(true);
    expect(() => r.b.run(() => 1)).toThrow(BoardHaltedError);
  });

  it('in interrupt context the oops is fatal: "Fatal exception in interrupt"', () => {
    const r = rig();
    r.b.kernel.ctx.preemptCount = HARDIRQ_OFFSET;
    const oops = r.oops(() => gfar_refill_rx(r.dev, GARBAGE, 64, DMA_FROM_DEVICE));
    expect(oops.text).toContain('Kernel panic - not syncing: Fatal exception in interrupt');
  });
});

describe('handle 0 (the start of the kernel image, which is mapped)', () => {
  it.each([DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL])('direction %i: no oops, only the warning', (dir) => {
    const r = rig();
    r.run(() => gfar_refill_rx(r.dev, 0, 64, dir));
    expect(r.b.kernel.reporter.oopsCount).toBe(0);
    expect(only(r.b.reports, 'dma.sync-unknown').title).toBe(NOT_ALLOCATED(0, 64));
  });
});

describe('DMA_MAPPING_ERROR (0xffffffff): the linear address wraps into user space', () => {
  it('oopses with the KUAP line, at the line-aligned user address', () => {
    const r = rig();
    const oops = r.oops(() => gfar_refill_rx(r.dev, DMA_MAPPING_ERROR, 64, DMA_FROM_DEVICE));
    const lines = oops.text.split('\n');
    expect(lines[0]).toBe('Kernel attempted to read user page (bfffffe0) - exploit attempt? (uid: 0)');
    expect(lines[1]).toBe('BUG: Unable to handle kernel data access on read at 0xbfffffe0'); // unaligned: dcbf, a load
    expect(oops.text).toMatch(/\nNIP \[[0-9a-f]{8}\] arch_sync_dma_for_device\+0x/);
    expect(ids(r.b.reports)).toEqual(['oops.bad-area']);
  });

  it('unmapping the error handle without checking it oopses in the for_cpu sync of dma_unmap_single', () => {
    const r = rig();
    const oops = r.oops(function gfar_free_skb_resources() {
      dma_unmap_single(r.dev, DMA_MAPPING_ERROR, 1536, DMA_FROM_DEVICE);
    });
    expect(oops.text).toMatch(/\nNIP \[[0-9a-f]{8}\] arch_sync_dma_for_cpu\+0x/);
    expect(oops.text).toMatch(/\nLR \[[0-9a-f]{8}\] dma_unmap_single\+0x/);
    expect(oops.text).toMatch(/gfar_free_skb_resources\+0x/);
    expect(ids(r.b.reports)).toEqual(['oops.bad-area']); // dma-debug's unmap check comes after the sync
  });
});

describe('DMA_NONE: BUG_ON(!valid_dma_direction(dir))', () => {
  it('sync: kernel BUG at kernel/dma/mapping.c, Oops: Exception in kernel mode, sig: 5', () => {
    const r = rig();
    const oops = r.oops(() => gfar_refill_rx(r.dev, 0x1000, 64, DMA_NONE));
    expect(oops.id).toBe('dma.bug-dma-none');
    expect(oops.kind).toBe('bug');
    const lines = oops.text.split('\n');
    expect(lines[0]).toBe('------------[ cut here ]------------');
    expect(lines[1]).toMatch(/^kernel BUG at kernel\/dma\/mapping\.c:\d+!$/);
    expect(oops.text).toContain('Oops: Exception in kernel mode, sig: 5 [#1]');
    expect(oops.text).toMatch(/TRAP: 0700/);
    expect(oops.text).toContain('<0fe00000>');
    expect(oops.text).toMatch(/gfar_refill_rx\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/dma\/bad-sync-oops\.test\.ts:\d+\)/);
    expect(ids(r.b.reports)).toEqual(['dma.bug-dma-none']);
  });

  it('map and unmap with DMA_NONE are a BUG too; an out-of-range direction as well', () => {
    const r = rig();
    const buf = r.run(() => kmalloc(64, GFP_KERNEL)!);
    expect(r.oops(() => dma_map_single(r.dev, buf, 64, DMA_NONE)).title).toMatch(/^kernel BUG at kernel\/dma\/mapping\.c:\d+!$/);
    expect(r.oops(() => dma_unmap_single(r.dev, 0x1000, 64, DMA_NONE)).id).toBe('dma.bug-dma-none');
    expect(r.oops(() => dma_sync_single_for_cpu(r.dev, 0x1000, 64, 7)).id).toBe('dma.bug-dma-none');
    expect(r.b.kernel.dma.debug!.entries()).toEqual([]);
  });
});
