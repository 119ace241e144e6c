/**
 * kmalloc + kfree pairs per second, 64 and 1500 bytes, with slub_debug on and off, on the real
 * machine model (CPU through the e500 data cache) and on the cache-less fake machine of the tests.
 * Each bench iteration is 100 pairs; multiply the reported hz by 100 for pairs/s.
 */
import { bench, describe } from 'vitest';
import { Machine } from '../src/hw/machine.js';
import { KERNEL_IMAGE, LOWMEM_MAX } from '../src/kernel/layout.js';
import { GFP_KERNEL, MemoryManager } from '../src/kernel/mm/index.js';
import { mmPort } from '../src/kernel/mm-port.js';
import type { Report, ReportInput, ReportSink } from '../src/kernel/report/types.js';
import { FakeMachine } from '../test/kernel/mm/fake-machine.js';

const sink: ReportSink = {
  report(input: ReportInput): Report {
    throw new Error(`unexpected report ${input.id}: ${input.title}`);
  },
};

function realMm(slubDebug: boolean): MemoryManager {
  const m = new Machine({ ram: [{ base: 0, size: 256 << 20 }] });
  m.mmu.lowmemPhys = 0;
  m.mmu.lowmemSize = Math.min(256 << 20, LOWMEM_MAX);
  m.mmu.readOnlyEnd = KERNEL_IMAGE.textSize + KERNEL_IMAGE.rodataSize;
  return new MemoryManager(mmPort(m), sink, { slubDebug });
}

function fakeMm(slubDebug: boolean): MemoryManager {
  return new MemoryManager(new FakeMachine({ banks: [{ base: 0, size: 256 << 20 }] }), sink, { slubDebug });
}

const PAIRS = 100;
for (const [label, make] of [['machine model', realMm], ['fake machine', fakeMm]] as const) {
  describe(`kmalloc+kfree x${PAIRS} (${label})`, () => {
    for (const size of [64, 1500]) {
      for (const debug of [false, true]) {
        const mm = make(debug);
        // Keep a few objects live so the slab is neither empty nor full.
        for (let i = 0; i < 5; i++) mm.kmalloc(size, GFP_KERNEL, 'bench');
        bench(`${size} B, slub_debug ${debug ? 'on' : 'off'}`, () => {
          for (let i = 0; i < PAIRS; i++) {
            const p = mm.kmalloc(size, GFP_KERNEL, 'bench');
            mm.kfree(p, 'bench');
          }
        });
      }
    }
  });
}
