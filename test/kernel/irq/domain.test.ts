import { describe, expect, it } from 'vitest';
import {
  IRQ_HANDLED, IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_LEVEL_HIGH, irq_create_mapping, irq_create_of_mapping,
  irq_dispose_mapping, irq_find_mapping, irq_get_trigger_type, irq_of_parse_and_map, irq_set_irq_type, request_irq,
} from '../../../src/kernel/irq/api.js';
import { irqBoard, mpicOf, reportsOf } from './helpers.js';

function ok<T>(r: { ok: true; value: T } | { ok: false; oops: { text: string } }): T {
  if (!r.ok) throw new Error(r.oops.text);
  return r.value;
}

describe('the MPIC driver initialises the controller as Linux does', () => {
  it('prints the banner and leaves every source masked with vector = source, priority 8, CTPR 0, mixed mode', () => {
    const b = irqBoard();
    const log = b.dmesg();
    expect(log).toContain('NR_IRQS: 512, nr_irqs: 512, preallocated irqs: 16');
    expect(log).toContain('mpic: Setting up MPIC " OpenPIC  " version 1.2 at ffe40000, max 1 CPUs');
    expect(log).toContain('mpic: ISU size: 256, shift: 8, mask: ff');
    expect(log).toContain('mpic: Initializing for 256 sources');
    const m = mpicOf(b);
    for (const n of [0, 16, 29, 255]) {
      expect(m.sourceConfig(n)).toMatchObject({ masked: true, vector: n, priority: 8, destination: 1, sense: 'edge', polarity: 'low' });
    }
    expect(m.read(0x1020, 4) >>> 29).toBe(1); // GLOBAL_CONF0: mixed mode (8259 pass-through off)
    expect(m.read(0x20080, 4)).toBe(0); // CTPR
    expect(m.read(0x10e0, 4)).toBe(0x7ff); // spurious vector = intvec_top
  });
});

describe('Linux irq numbers are not MPIC source numbers', () => {
  it('allocates like irq_domain_alloc_descs: hwirq % nr_irqs if free, else the first free number; 0..15 are legacy', () => {
    const b = irqBoard();
    const r = ok(b.run(() => ({
      tx: irq_create_of_mapping([29, 2, 0, 0]),
      pcieA: irq_create_of_mapping([0, 1, 0, 0]),
      ext10: irq_create_of_mapping([10, 1, 0, 0]),
      l2: irq_create_of_mapping([16, 2, 0, 0]),
      again: irq_create_of_mapping([29, 2, 0, 0]),
    })));
    // Sources below 16 cannot have their own number: 16.. are taken first come, first served.
    expect(r).toEqual({ tx: 29, pcieA: 16, ext10: 17, l2: 18, again: 29 });
    expect(ok(b.run(() => [irq_find_mapping(null, 16), irq_find_mapping(null, 0), irq_find_mapping(null, 99)]))).toEqual([18, 16, 0]);
    // "IRQ 10 is free" means nothing: 10 is a legacy descriptor with no chip.
    expect(ok(b.run(() => request_irq(10, () => IRQ_HANDLED, 0, 'isa-thinking', {})))).toBe(-38);
  });

  it('records the device-tree trigger on the mapping and programs it into the MPIC at request time', () => {
    const b = irqBoard();
    const irq = ok(b.run(() => irq_create_of_mapping([30, 2, 0, 0])));
    expect(ok(b.run(() => irq_get_trigger_type(irq)))).toBe(IRQ_TYPE_LEVEL_HIGH);
    expect(mpicOf(b).sourceConfig(30).sense).toBe('edge'); // not yet programmed
    ok(b.run(() => request_irq(irq, () => IRQ_HANDLED, 0, 'x', {})));
    expect(mpicOf(b).sourceConfig(30)).toMatchObject({ sense: 'level', polarity: 'high', masked: false });
    ok(b.run(() => irq_set_irq_type(irq, IRQ_TYPE_EDGE_FALLING)));
    expect(mpicOf(b).sourceConfig(30)).toMatchObject({ sense: 'edge', polarity: 'low' });
  });

  it('a conflicting trigger for an existing mapping is refused with Linux\'s warning', () => {
    const b = irqBoard();
    const r = ok(b.run(() => [irq_create_of_mapping([31, 2, 0, 0], '/soc/a'), irq_create_of_mapping([31, 1, 0, 0], '/soc/b')]));
    expect(r).toEqual([31, 0]);
    expect(b.dmesg()).toContain('type mismatch, failed to map hwirq-31 for /soc/b!');
  });

  it('maps with irq_create_mapping (the type read back from the hardware) and irq_of_parse_and_map', () => {
    const b = irqBoard();
    const r = ok(b.run(() => ({
      plain: irq_create_mapping(null, 40),
      node: irq_of_parse_and_map({ name: '/soc@ffe00000/ethernet@24000', interrupts: [29, 2, 0, 0, 30, 2, 0, 0, 34, 2, 0, 0] }, 2),
      missing: irq_of_parse_and_map({ name: '/x', interrupts: [29, 2, 0, 0] }, 1),
      badSense: irq_create_of_mapping([41, 7, 0, 0]),
    })));
    expect(r).toEqual({ plain: 40, node: 34, missing: 0, badSense: 0 });
    expect(ok(b.run(() => irq_get_trigger_type(40)))).toBe(IRQ_TYPE_EDGE_FALLING);
  });

  it('a disposed mapping can no longer be requested', () => {
    const b = irqBoard();
    const rc = ok(b.run(() => {
      const irq = irq_create_of_mapping([42, 2, 0, 0]);
      irq_dispose_mapping(irq);
      return [request_irq(irq, () => IRQ_HANDLED, 0, 'x', {}), irq_find_mapping(null, 42)];
    }));
    expect(rc).toEqual([-22, 0]);
  });

  it('mapping without any domain WARNs', () => {
    const b = irqBoard();
    b.kernel.irq.mapper.defaultDomain = null;
    expect(ok(b.run(() => irq_create_mapping(null, 0x1d)))).toBe(0);
    expect(reportsOf(b, 'irq.mapping-null-domain')[0]!.title).toBe('irq_create_mapping_affinity(, 1d) called with NULL domain');
  });
});

describe('/proc/interrupts', () => {
  it('lists requested lines with count, chip, hwirq, trigger and every sharer, then the powerpc lines', () => {
    const b = irqBoard();
    ok(b.run(() => {
      request_irq(irq_create_of_mapping([29, 2, 0, 0]), () => IRQ_HANDLED, 0, 'eth0_g0_tx', {});
      request_irq(irq_create_of_mapping([43, 2, 0, 0]), () => IRQ_HANDLED, 0x80, 'i2c-mpc', { a: 1 });
      request_irq(43, () => IRQ_HANDLED, 0x80, 'i2c-mpc', { b: 1 });
      request_irq(irq_create_of_mapping([0, 1, 0, 0]), () => IRQ_HANDLED, 0, 'pcie-inta', {});
    }));
    expect(b.kernel.irq.procInterrupts()).toBe(
      [
        '           CPU0',
        ' 16:          0  OpenPIC     0 Level     pcie-inta',
        ' 29:          0  OpenPIC    29 Level     eth0_g0_tx',
        ' 43:          0  OpenPIC    43 Level     i2c-mpc, i2c-mpc',
        'LOC:          0   Local timer interrupts for timer event device',
        'LOC:          0   Local timer interrupts for others',
        'SPU:          0   Spurious interrupts',
        'PMI:          0   Performance monitoring interrupts',
        'MCE:          0   Machine check exceptions',
      ].join('\n'),
    );
  });

  it('counts an interrupt whose vector has no Linux irq as spurious (SPU)', () => {
    const b = irqBoard();
    const m = mpicOf(b);
    // Raise a source the kernel never mapped but unmasked behind its back: IACK gives a vector with no Linux irq.
    m.write(0x10000 + 60 * 0x20, 4, (0x0008_0000 | 60 | 0x0040_0000 | 0x0080_0000) >>> 0);
    m.input(60).set(true);
    ok(b.kernel.idle(10_000));
    expect(b.kernel.irq.spuriousInterrupts).toBeGreaterThan(0);
    expect(b.kernel.irq.procInterrupts()).toMatch(/SPU: +[1-9]\d*   Spurious interrupts/);
  });
});

describe('on the device-tree board', () => {
  it('the board assembly puts the MPIC at CCSR+0x40000 and the kernel driver runs it: DT interrupts are mapped, a line delivers', async () => {
    const { bootBoard, DEFAULT_DT_BOARD } = await import('../../../src/board/board.js');
    const b = bootBoard(DEFAULT_DT_BOARD);
    expect(b.kernel.irq.mpic).not.toBeNull();
    expect(b.dmesg()).toContain('mpic: Setting up MPIC " OpenPIC  " version 1.2 at ffe40000, max 1 CPUs');
    // eTSEC1's <29 2 0 0> <30 2 0 0> <34 2 0 0> are mapped while the tree is attached.
    expect(ok(b.run(() => [irq_find_mapping(null, 29), irq_get_trigger_type(29)]))).toEqual([29, IRQ_TYPE_LEVEL_HIGH]);
    let calls = 0;
    const pin = mpicOf(b).input(29);
    ok(b.run(() => request_irq(29, () => (calls++, pin.set(false), IRQ_HANDLED), 0, 'eth0_g0_tx', {})));
    pin.set(true);
    ok(b.kernel.idle(10_000));
    expect(calls).toBe(1);
    expect(b.reports).toEqual([]);
  });
});
