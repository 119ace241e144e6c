import { describe, expect, it } from 'vitest';
import {
  IRQ_HANDLED, IRQ_NONE, IRQ_NOTCONNECTED, IRQF_COND_SUSPEND, IRQF_NO_AUTOEN, IRQF_NO_SUSPEND, IRQF_SHARED, IRQF_TRIGGER_HIGH, IRQF_TRIGGER_RISING, devm_free_irq, devm_request_irq,
  devres_release_all_irqs, disable_irq, disable_irq_nosync, disable_irq_wake, enable_irq, enable_irq_wake, free_irq,
  irq_create_of_mapping, request_irq, synchronize_irq,
} from '../../../src/kernel/irq/api.js';
import { st_be32 } from '../../../src/kernel/memaccess.js';
import { local_irq_enable } from '../../../src/kernel/sched/api/context.js';
import { addToyDevice, irqBoard, reportsOf } from './helpers.js';

function ok<T>(r: { ok: true; value: T } | { ok: false; oops: { text: string } }): T {
  if (!r.ok) throw new Error(r.oops.text);
  return r.value;
}

const handler = function toy_irq(): number {
  return IRQ_HANDLED;
};

describe('request_irq checks', () => {
  it('silent refusals return Linux errnos', () => {
    const b = irqBoard();
    const irq = ok(b.run(() => irq_create_of_mapping([40, 2, 0, 0])));
    const rc = ok(b.run(() => ({
      notConnected: request_irq(IRQ_NOTCONNECTED, handler, 0, 'x', {}),
      sharedNoDevId: request_irq(irq, handler, IRQF_SHARED, 'x', null),
      unmapped: request_irq(400, handler, 0, 'x', {}),
      legacy: request_irq(10, handler, 0, 'x', {}),
      sharedNoAutoen: request_irq(irq, handler, IRQF_SHARED | IRQF_NO_AUTOEN, 'x', {}),
      condSuspendUnshared: request_irq(irq, handler, IRQF_COND_SUSPEND, 'x', {}),
      condSuspendNoSuspend: request_irq(irq, handler, IRQF_SHARED | IRQF_COND_SUSPEND | IRQF_NO_SUSPEND, 'x', {}),
    })));
    expect(rc).toEqual({ notConnected: -107, sharedNoDevId: -22, unmapped: -22, legacy: -38, sharedNoAutoen: -22, condSuspendUnshared: -22, condSuspendNoSuspend: -22 });
    expect(b.reports).toEqual([]);
  });

  it('a second non-shared request, or sharers that disagree, is "Flags mismatch"', () => {
    const b = irqBoard();
    const r = ok(b.run(() => {
      const irq = irq_create_of_mapping([41, 2, 0, 0]);
      const a = request_irq(irq, handler, 0, 'first', { a: 1 });
      const second = request_irq(irq, handler, 0, 'second', { b: 1 });
      return { irq, a, second };
    }));
    expect(r).toEqual({ irq: 41, a: 0, second: -16 });
    const m = reportsOf(b, 'irq.flags-mismatch');
    expect(m).toHaveLength(1);
    expect(m[0]!.title).toBe('genirq: Flags mismatch irq 41. 00000004 (second) vs. 00000004 (first)');
    expect(m[0]!.trace[0]).toMatchObject({ fn: 'request_irq' });
  });

  it('sharers agreeing on SHARED and the trigger share the line (no false report); a different trigger is a mismatch', () => {
    const b = irqBoard();
    const r = ok(b.run(() => {
      const irq = irq_create_of_mapping([42, 2, 0, 0]);
      return [
        request_irq(irq, handler, IRQF_SHARED, 'a', { a: 1 }),
        request_irq(irq, handler, IRQF_SHARED | IRQF_TRIGGER_HIGH, 'b', { b: 1 }),
        request_irq(irq, handler, IRQF_SHARED | IRQF_TRIGGER_RISING, 'c', { c: 1 }),
      ];
    }));
    expect(r).toEqual([0, 0, -16]);
    expect(b.kernel.irq.procInterrupts()).toMatch(/ 42: +0 +OpenPIC +42 Level +a, b$/m);
    expect(reportsOf(b, 'irq.flags-mismatch')[0]!.title).toBe('genirq: Flags mismatch irq 42. 00000081 (c) vs. 00000084 (a)');
  });
});

describe('free_irq checks', () => {
  it('returns the name it was requested with; the line is shut down', () => {
    const b = irqBoard();
    const dev = {};
    const name = ok(b.run(() => {
      const irq = irq_create_of_mapping([43, 2, 0, 0]);
      request_irq(irq, handler, 0, 'toy', dev);
      return free_irq(irq, dev);
    }));
    expect(name).toBe('toy');
    expect(b.kernel.irq.descs.get(43)!.depth).toBe(1);
    expect(b.reports).toEqual([]);
  });

  it('freeing twice, or with the wrong dev_id, is "Trying to free already-free IRQ"', () => {
    const b = irqBoard();
    const dev = {};
    const r = ok(b.run(() => {
      const irq = irq_create_of_mapping([44, 2, 0, 0]);
      request_irq(irq, handler, 0, 'toy', dev);
      const wrong = free_irq(irq, { other: 1 });
      const first = free_irq(irq, dev);
      const again = free_irq(irq, dev);
      return { wrong, first, again };
    }));
    expect(r).toEqual({ wrong: null, first: 'toy', again: null });
    const w = reportsOf(b, 'irq.free-already-free');
    expect(w).toHaveLength(2);
    expect(w[0]!.kind).toBe('warn');
    expect(w[0]!.text).toContain('Trying to free already-free IRQ 44');
    expect(w[0]!.text).toMatch(/WARNING: CPU: 0 PID: 1 at kernel\/irq\/manage.c:\d+ __free_irq\+0x/);
  });

  it('freeing from interrupt context WARNs, then sleeping in the mutex is a might_sleep BUG', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 45);
    const other = {};
    ok(b.run(() => {
      request_irq(irq_create_of_mapping([46, 2, 0, 0]), handler, 0, 'other', other);
      const irq = irq_create_of_mapping([45, 2, 0, 0]);
      request_irq(irq, () => {
        st_be32(regs, 1);
        free_irq(46, other);
        return IRQ_HANDLED;
      }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(100_000));
    expect(reportsOf(b, 'irq.free-in-irq')[0]!.title).toBe('Trying to free IRQ 46 from IRQ context!');
    const ms = reportsOf(b, 'sched.might-sleep')[0]!;
    expect(ms.title).toBe('BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580');
    expect(ms.text).toContain('in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 0, name: swapper/0');
    expect(ms.text).toContain('preempt_count: 10000, expected: 0');
  });

  it('with CONFIG_DEBUG_SHIRQ a shared handler is called once more while being freed', () => {
    const b = irqBoard();
    const dev = {};
    let calls = 0;
    ok(b.run(() => {
      const irq = irq_create_of_mapping([47, 2, 0, 0]);
      request_irq(irq, () => (calls++, IRQ_NONE), IRQF_SHARED, 'toy', dev);
      free_irq(irq, dev);
    }));
    expect(calls).toBe(1);
  });
});

describe('enable/disable/synchronize checks', () => {
  it('an enable without a disable is "Unbalanced enable for IRQ"', () => {
    const b = irqBoard();
    ok(b.run(() => {
      const irq = irq_create_of_mapping([48, 2, 0, 0]);
      request_irq(irq, handler, 0, 'toy', {});
      disable_irq(irq);
      enable_irq(irq);
      enable_irq(irq); // BUG-LINE
    }));
    const w = reportsOf(b, 'irq.unbalanced-enable');
    expect(w).toHaveLength(1);
    expect(w[0]!.text).toMatch(/^------------\[ cut here \]------------\nUnbalanced enable for IRQ 48\nWARNING: CPU: 0 PID: 1 at kernel\/irq\/manage.c:\d+ __enable_irq/);
    expect(w[0]!.trace.map((f) => f.fn).slice(0, 2)).toEqual(['__enable_irq', 'enable_irq']);
  });

  it('nested disables need as many enables (not falsely caught)', () => {
    const b = irqBoard();
    ok(b.run(() => {
      const irq = irq_create_of_mapping([49, 2, 0, 0]);
      request_irq(irq, handler, 0, 'toy', {});
      disable_irq(irq);
      disable_irq_nosync(irq);
      enable_irq(irq);
      enable_irq(irq);
    }));
    expect(b.reports).toEqual([]);
    expect(b.kernel.irq.descs.get(49)!.depth).toBe(0);
  });

  it('enable_irq on a number nothing set up WARNs', () => {
    const b = irqBoard();
    ok(b.run(() => enable_irq(12)));
    expect(reportsOf(b, 'irq.enable-before-setup')[0]!.title).toBe('enable_irq before setup/request_irq: irq 12');
  });

  it('disable_irq or synchronize_irq from the line\'s own handler would spin forever: reported and unwound; disable_irq_nosync is fine', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 50);
    let mode: 'nosync' | 'sync' = 'nosync';
    const irq = ok(b.run(() => {
      const irq = irq_create_of_mapping([50, 0, 0, 0]);
      request_irq(irq, (n) => {
        st_be32(regs, 1);
        if (mode === 'nosync') disable_irq_nosync(n);
        else synchronize_irq(n);
        return IRQ_HANDLED;
      }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
      return irq;
    }));
    dev.raise(1);
    ok(b.kernel.idle(100_000));
    expect(b.reports).toEqual([]);
    ok(b.run(() => enable_irq(irq)));
    mode = 'sync';
    dev.raise(1);
    const r = b.kernel.idle(100_000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.id).toBe('irq.sync-self');
    expect(r.oops.title).toBe('driverlab: irq.sync-self: synchronize_irq(50) called from the handler of IRQ 50: it waits for that handler to return, which never happens');
    // The board is still usable, and the line was EOId on the way out.
    expect(b.run(() => 7)).toEqual({ ok: true, value: 7 });
    expect(b.kernel.irq.descs.get(50)!.inProgress).toBe(false);
  });

  it('a handler that returns with interrupts enabled is WARNed once', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 51);
    ok(b.run(() => {
      const irq = irq_create_of_mapping([51, 0, 0, 0]);
      request_irq(irq, function toy_bad_irq() {
        st_be32(regs, 1);
        local_irq_enable();
        return IRQ_HANDLED;
      }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(100_000));
    const w = reportsOf(b, 'irq.handler-enabled-irqs');
    expect(w).toHaveLength(1);
    expect(w[0]!.title).toMatch(/^irq 51 handler toy_bad_irq\+0x0\/0x[0-9a-f]+ enabled interrupts$/);
  });

  it('a bogus handler return value is "irq event N: bogus return value" with the handlers listed', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 52);
    ok(b.run(() => {
      const irq = irq_create_of_mapping([52, 0, 0, 0]);
      request_irq(irq, function toy_bogus_irq() {
        st_be32(regs, 1);
        return 0x42;
      }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(100_000));
    const r = reportsOf(b, 'irq.bogus-return')[0]!;
    expect(r.title).toBe('irq event 52: bogus return value 42');
    expect(r.text).toMatch(/handlers:\n\[<[0-9a-f]{8}>\] toy_bogus_irq$/);
  });

  it('an unbalanced wake disable WARNs', () => {
    const b = irqBoard();
    ok(b.run(() => {
      const irq = irq_create_of_mapping([53, 2, 0, 0]);
      enable_irq_wake(irq);
      disable_irq_wake(irq);
      disable_irq_wake(irq);
    }));
    expect(reportsOf(b, 'irq.unbalanced-wake-disable').map((r) => r.title)).toEqual(['Unbalanced IRQ 53 wake disable']);
  });
});

describe('devm', () => {
  it('devm_request_irq is freed by the release hook; devm_free_irq of a plain request WARNs', () => {
    const b = irqBoard();
    const pdev = { name: 'ffe24000.toy', driverName: 'toy' };
    ok(b.run(() => {
      const irq = irq_create_of_mapping([54, 2, 0, 0]);
      expect(devm_request_irq(pdev, irq, handler, 0, null, pdev)).toBe(0);
      const irq2 = irq_create_of_mapping([55, 2, 0, 0]);
      request_irq(irq2, handler, 0, 'plain', pdev);
      devm_free_irq(pdev, irq2, pdev);
    }));
    expect(b.kernel.irq.procInterrupts()).toMatch(/ 54: .*ffe24000\.toy$/m);
    expect(reportsOf(b, 'irq.devm-free-mismatch')).toHaveLength(1);
    expect(ok(b.run(() => devres_release_all_irqs(pdev)))).toBe(1);
    expect(b.kernel.irq.descs.get(54)!.actions).toEqual([]);
  });

  it('a failing devm request prints the dev_err_probe line', () => {
    const b = irqBoard();
    const pdev = { name: 'ffe24000.toy', driverName: 'toy' };
    const rc = ok(b.run(() => {
      const irq = irq_create_of_mapping([56, 2, 0, 0]);
      request_irq(irq, handler, 0, 'first', {});
      return devm_request_irq(pdev, irq, handler, 0, 'toy', pdev);
    }));
    expect(rc).toBe(-16);
    expect(b.dmesg()).toContain('toy ffe24000.toy: error -EBUSY: request_irq(56) toy_irq 0x0 toy');
  });
});
