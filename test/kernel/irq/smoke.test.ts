import { describe, expect, it } from 'vitest';
import { IRQ_HANDLED, request_irq, irq_create_of_mapping, proc_interrupts } from '../../../src/kernel/irq/api.js';
import { ld_be32, st_be32 } from '../../../src/kernel/memaccess.js';
import { addToyDevice, irqBoard } from './helpers.js';

describe('smoke', () => {
  it('delivers a level interrupt into driver code', () => {
    const b = irqBoard();
    expect(b.dmesg()).toMatch(/mpic: Setting up MPIC " OpenPIC  " version 1.2 at ffe40000, max 1 CPUs/);
    const { dev, regs } = addToyDevice(b, 29);
    let hits = 0;
    const r = b.run(() => {
      const irq = irq_create_of_mapping([29, 2, 0, 0]);
      const rc = request_irq(irq, (n) => { hits++; st_be32(regs, ld_be32(regs)); return IRQ_HANDLED; }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
      b.machine.events.scheduleIn(1000, 'toy', () => dev.raise(1));
      let spins = 0;
      while (hits === 0 && spins < 10000) { ld_be32(regs + 4); spins++; }
      return { irq, rc, spins };
    });
    if (!r.ok) throw new Error(r.oops.text);
    expect(r.value.rc).toBe(0);
    expect(hits).toBe(1);
    expect(r.value.spins).toBeLessThan(300); // ~1000 ns at 4 ns per access: it lands mid-loop
    expect(b.run(() => proc_interrupts()).ok).toBe(true);
    expect(b.kernel.irq.procInterrupts()).toContain(' 29:          1  OpenPIC    29 Level     toy');
    expect(b.reports).toEqual([]);
  });
});
