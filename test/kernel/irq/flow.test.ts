import { describe, expect, it } from 'vitest';
import {
  IRQ_HANDLED, IRQ_NONE, IRQ_WAKE_THREAD, IRQF_ONESHOT, IRQF_TRIGGER_RISING, disable_irq, enable_irq,
  irq_create_of_mapping, request_irq, request_threaded_irq,
} from '../../../src/kernel/irq/api.js';
import { st_be32 } from '../../../src/kernel/memaccess.js';
import { msleep } from '../../../src/kernel/time/api/clock.js';
import { in_irq, in_task } from '../../../src/kernel/sched/api/context.js';
import { addToyDevice, irqBoard, mpicOf, reportsOf } from './helpers.js';

function ok<T>(r: { ok: true; value: T } | { ok: false; oops: { text: string } }): T {
  if (!r.ok) throw new Error(r.oops.text);
  return r.value;
}

describe('level and edge lines through the MPIC', () => {
  it('a level line is delivered again after EOI while the device still asserts it; clearing it ends the run', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 30);
    let calls = 0;
    ok(b.run(() => {
      const irq = irq_create_of_mapping([30, 2, 0, 0]);
      expect(request_irq(irq, () => {
        calls++;
        if (calls === 3) st_be32(regs, 1); // third time: ack the device
        return IRQ_HANDLED;
      }, 0, 'lvl', dev)).toBe(0);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(10_000));
    expect(calls).toBe(3);
    expect(b.kernel.irq.descs.get(30)!.kstat).toBe(3);
    expect(b.reports).toEqual([]);
  });

  it('an edge line is delivered once per edge, however long the device holds it', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 31);
    let calls = 0;
    ok(b.run(() => {
      const irq = irq_create_of_mapping([31, 0, 0, 0]); // sense 0: rising edge
      expect(request_irq(irq, () => (calls++, IRQ_HANDLED), 0, 'edge', dev)).toBe(0);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1); // rising edge, and the line stays high: nobody acks the device
    ok(b.kernel.idle(10_000));
    expect(calls).toBe(1);
    expect(b.reports).toEqual([]);
  });

  it('an edge that comes while the line is disabled is remembered and replayed by enable_irq', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 32);
    const seen: string[] = [];
    const irq = ok(b.run(() => {
      const irq = irq_create_of_mapping([32, 0, 0, 0]);
      request_irq(irq, () => {
        seen.push(in_irq() ? 'hardirq' : 'replayed');
        st_be32(regs, 1);
        return IRQ_HANDLED;
      }, IRQF_TRIGGER_RISING, 'edge', dev);
      st_be32(regs + 4, 1);
      disable_irq(irq);
      return irq;
    }));
    dev.raise(1);
    ok(b.kernel.idle(10_000));
    // Lazy disable: the interrupt came, found the line disabled, marked it pending and masked it.
    expect(seen).toEqual([]);
    expect(b.kernel.irq.descs.get(irq)!.pending).toBe(true);
    expect(mpicOf(b).sourceConfig(32).masked).toBe(true);
    ok(b.run(() => enable_irq(irq)));
    ok(b.kernel.idle(10_000));
    // The MPIC consumed the edge at IACK: software resend (a tasklet) runs the flow again.
    expect(seen).toEqual(['replayed']);
    expect(mpicOf(b).sourceConfig(32).masked).toBe(false);
    expect(b.reports).toEqual([]);
  });

  it('a level interrupt that comes while disabled is not replayed: the line asserts again once unmasked', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 33);
    let calls = 0;
    const irq = ok(b.run(() => {
      const irq = irq_create_of_mapping([33, 2, 0, 0]);
      request_irq(irq, () => (calls++, st_be32(regs, 1), IRQ_HANDLED), 0, 'lvl', dev);
      st_be32(regs + 4, 1);
      disable_irq(irq);
      return irq;
    }));
    dev.raise(1);
    ok(b.kernel.idle(10_000));
    expect(calls).toBe(0);
    expect(b.kernel.irq.descs.get(irq)!.pending).toBe(true);
    ok(b.run(() => enable_irq(irq)));
    ok(b.kernel.idle(10_000));
    expect(calls).toBe(1);
    expect(b.kernel.irq.descs.get(irq)!.pending).toBe(false);
  });
});

describe('the unhandled-interrupt detector', () => {
  it('a storming level line nobody handles is declared stuck after 99,900 of 100,000 and disabled', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 34);
    const irq = ok(b.run(() => {
      const irq = irq_create_of_mapping([34, 2, 0, 0]);
      request_irq(irq, function toy_wrong_irq() { return IRQ_NONE; }, 0, 'storm', dev);
      st_be32(regs + 4, 1);
      return irq;
    }));
    dev.raise(1);
    ok(b.kernel.idle(1_000_000_000));
    const r = reportsOf(b, 'irq.nobody-cared');
    expect(r).toHaveLength(1);
    expect(r[0]!.title).toBe(`irq ${irq}: nobody cared (try booting with the "irqpoll" option)`);
    expect(r[0]!.text).toMatch(/handlers:\n\[<[0-9a-f]{8}>\] toy_wrong_irq\nDisabling IRQ #34$/);
    const desc = b.kernel.irq.descs.get(irq)!;
    expect(desc.spuriousDisabled).toBe(true);
    expect(desc.depth).toBe(1);
    expect(mpicOf(b).sourceConfig(34).masked).toBe(true);
    expect(desc.kstat).toBeGreaterThanOrEqual(100_000);
    expect(b.dmesg()).toContain('Disabling IRQ #34');
    // The board goes on.
    expect(b.run(() => 1)).toEqual({ ok: true, value: 1 });
  });

  it('sporadic unhandled interrupts never accumulate', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 35);
    let n = 0;
    ok(b.run(() => {
      const irq = irq_create_of_mapping([35, 0, 0, 0]);
      request_irq(irq, () => (++n % 2 ? IRQ_NONE : IRQ_HANDLED), 0, 'sporadic', dev);
      st_be32(regs + 4, 1);
    }));
    for (let i = 0; i < 50; i++) {
      dev.raise(1);
      ok(b.kernel.idle(200_000_000)); // 200 ms apart: more than HZ/10
      ok(b.run(() => st_be32(regs, 1)));
    }
    expect(n).toBe(50);
    expect(reportsOf(b, 'irq.nobody-cared')).toEqual([]);
    expect(b.kernel.irq.descs.get(35)!.irqsUnhandled).toBeLessThanOrEqual(1);
  });
});

describe('threaded handlers and IRQF_ONESHOT', () => {
  it('the line stays masked from the hard interrupt until the thread returns, then is unmasked', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 36);
    const log: string[] = [];
    ok(b.run(() => {
      const irq = irq_create_of_mapping([36, 2, 0, 0]);
      expect(request_threaded_irq(irq, null, function toy_thread() {
        log.push(`thread task=${in_task()} masked=${mpicOf(b).sourceConfig(36).masked}`);
        msleep(5); // threads may sleep
        st_be32(regs, 1); // quiet the device from the thread
        log.push(`after sleep masked=${mpicOf(b).sourceConfig(36).masked}`);
        return IRQ_HANDLED;
      }, IRQF_ONESHOT, 'toy-thr', dev)).toBe(0);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(50_000_000));
    expect(log).toEqual(['thread task=true masked=true', 'after sleep masked=true']);
    expect(mpicOf(b).sourceConfig(36).masked).toBe(false);
    expect(b.kernel.irq.descs.get(36)!.threadsActive).toBe(0);
    expect(b.kernel.sched.kthreads.map((t) => t.task.comm)).toContain('irq/36-toy-thr');
    expect(b.reports).toEqual([]);
  });

  it('a NULL primary handler without IRQF_ONESHOT is refused with Linux\'s message', () => {
    const b = irqBoard();
    const rc = ok(b.run(() => request_threaded_irq(irq_create_of_mapping([37, 2, 0, 0]), null, () => IRQ_HANDLED, 0, 'bad', {})));
    expect(rc).toBe(-22);
    const r = reportsOf(b, 'irq.threaded-null-no-oneshot');
    expect(r[0]!.title).toBe('genirq: Threaded irq requested with handler=NULL and !ONESHOT for bad (irq 37)');
  });

  it('a primary handler returning IRQ_WAKE_THREAD with no thread function is reported once', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 38);
    ok(b.run(() => {
      const irq = irq_create_of_mapping([38, 0, 0, 0]);
      request_irq(irq, () => (st_be32(regs, 1), IRQ_WAKE_THREAD), 0, 'nothread', dev);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(10_000));
    dev.raise(1);
    ok(b.kernel.idle(10_000));
    const r = reportsOf(b, 'irq.wake-no-thread');
    expect(r).toHaveLength(1);
    expect(r[0]!.title).toBe('IRQ 38 device nothread returned IRQ_WAKE_THREAD but no thread function available.');
  });
});
