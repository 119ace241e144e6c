import { describe, expect, it } from 'vitest';
import { IRQ_HANDLED, irq_create_of_mapping, request_irq } from '../../../src/kernel/irq/api.js';
import { st_be32 } from '../../../src/kernel/memaccess.js';
import { mutex, mutex_lock, mutex_trylock, mutex_unlock } from '../../../src/kernel/sched/api/mutex.js';
import {
  DEFINE_SPINLOCK, lockdep_assert_held, spin_lock, spin_lock_bh, spin_lock_init, spin_lock_irqsave, spin_trylock, spin_unlock,
  spin_unlock_bh, spin_unlock_irqrestore, spinlock_t,
} from '../../../src/kernel/sched/api/spinlock.js';
import { mod_timer, timer_list, timer_setup } from '../../../src/kernel/time/api/timer.js';
import { jiffies } from '../../../src/kernel/time/api/clock.js';
import { addToyDevice, irqBoard, ok, reportsOf } from './helpers.js';

describe('spinlock debugging', () => {
  it('taking a spinlock twice is "BUG: spinlock recursion" — a certain deadlock, so the path is unwound', () => {
    const b = irqBoard();
    const lock = DEFINE_SPINLOCK('toy_lock');
    const r = b.run(() => {
      spin_lock(lock);
      spin_lock(lock);
      return 'never';
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.id).toBe('spinlock.recursion');
    expect(r.oops.text.split('\n').slice(0, 2)).toEqual(['BUG: spinlock recursion on CPU#0, swapper/1', expect.stringMatching(/^ lock: 0xc07[0-9a-f]{5}, \.magic: dead4ead, \.owner: swapper\/1, \.owner_cpu: 0$/)]);
    expect(b.run(() => 1)).toEqual({ ok: true, value: 1 });
  });

  it('unlocking a free spinlock is "BUG: spinlock already unlocked"; trylock on a held lock just fails', () => {
    const b = irqBoard();
    const lock = new spinlock_t('&l');
    ok(b.run(() => {
      expect(spin_trylock(lock)).toBe(1);
      expect(spin_trylock(lock)).toBe(0);
      spin_unlock(lock);
      spin_unlock(lock);
    }));
    const r = reportsOf(b, 'spinlock.already-unlocked');
    expect(r.map((x) => x.title)).toEqual(['BUG: spinlock already unlocked on CPU#0, swapper/1']);
    expect(r[0]!.text).toContain('.owner: <none>/-1, .owner_cpu: -1');
    expect(b.kernel.ctx.preemptCount).toBe(0);
  });

  it('lockdep_assert_held WARNs when the lock is not held', () => {
    const b = irqBoard();
    const lock = spin_lock_init(new spinlock_t());
    ok(b.run(() => {
      spin_lock(lock);
      lockdep_assert_held(lock);
      spin_unlock(lock);
      lockdep_assert_held(lock);
    }));
    expect(reportsOf(b, 'lockdep.assert-held')).toHaveLength(1);
  });
});

describe('lockdep: inconsistent lock state', () => {
  function hardirqUser(b: ReturnType<typeof irqBoard>, lock: spinlock_t) {
    const { dev, regs } = addToyDevice(b, 29);
    ok(b.run(() => {
      request_irq(irq_create_of_mapping([29, 0, 0, 0]), function toy_irq() {
        spin_lock(lock);
        st_be32(regs, 1);
        spin_unlock(lock);
        return IRQ_HANDLED;
      }, 0, 'toy', dev);
      st_be32(regs + 4, 1);
    }));
    dev.raise(1);
    ok(b.kernel.idle(100_000));
  }

  it('a lock taken in a hard interrupt and with interrupts enabled elsewhere is {IN-HARDIRQ-W} -> {HARDIRQ-ON-W}', () => {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->lock');
    hardirqUser(b, lock);
    expect(b.reports).toEqual([]);
    ok(b.run(function toy_xmit() {
      spin_lock(lock); // interrupts on: the handler could come in here and spin forever
      spin_unlock(lock);
    }));
    const r = reportsOf(b, 'lockdep.inconsistent-lock-state');
    expect(r).toHaveLength(1);
    const text = r[0]!.text;
    expect(r[0]!.title).toBe('WARNING: inconsistent lock state');
    expect(text).toContain('inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.');
    expect(text).toContain('swapper/1 [HC0[0]:SC0[0]:HE1:SE1] takes:');
    expect(text).toMatch(/c07[0-9a-f]{5} \(&priv->lock\)\{\?\.\.\.\}-\{2:2\}, at: toy_xmit\+0x/); // lockdep stops marking at the conflict
    expect(text).toMatch(/\{IN-HARDIRQ-W\} state was registered at:\n {2}spin_lock\+0x[0-9a-f]+\/0x[0-9a-f]+\n {2}toy_irq\+0x/);
    expect(text).toContain(' Possible unsafe locking scenario:\n\n       CPU0\n       ----\n  lock(&priv->lock);\n  <Interrupt>\n    lock(&priv->lock);\n\n *** DEADLOCK ***');
    expect(text).toMatch(/stack backtrace:\nCPU: 0 PID: 1 Comm: swapper/);
  });

  it('the other order — process context first, then the hard interrupt — is {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}', () => {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->lock');
    ok(b.run(() => {
      spin_lock(lock);
      spin_unlock(lock);
    }));
    hardirqUser(b, lock);
    const r = reportsOf(b, 'lockdep.inconsistent-lock-state')[0]!;
    expect(r.text).toContain('inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage.');
    expect(r.text).toContain('swapper/0/0 [HC1[1]:SC0[0]:HE0:SE1] takes:');
  });

  it('spin_lock_irqsave outside the handler is consistent (not falsely caught)', () => {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->lock');
    hardirqUser(b, lock);
    ok(b.run(() => {
      const f = spin_lock_irqsave(lock);
      spin_unlock_irqrestore(lock, f);
    }));
    expect(b.reports).toEqual([]);
  });

  it('a lock used by a timer (softirq) and with bottom halves on is {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W}; spin_lock_bh is fine', () => {
    const b = irqBoard();
    const lock = new spinlock_t('&priv->stats_lock');
    const t = new timer_list();
    ok(b.run(() => {
      timer_setup(t, () => {
        spin_lock(lock);
        spin_unlock(lock);
      }, 0);
      mod_timer(t, jiffies() + 1);
    }));
    ok(b.kernel.idle(10_000_000));
    ok(b.run(() => {
      spin_lock_bh(lock);
      spin_unlock_bh(lock);
    }));
    expect(b.reports).toEqual([]);
    ok(b.run(() => {
      spin_lock(lock);
      spin_unlock(lock);
    }));
    expect(reportsOf(b, 'lockdep.inconsistent-lock-state')[0]!.text).toContain('inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage.');
  });

  it('lockdep turns itself off after its first report, as Linux does', () => {
    const b = irqBoard();
    const a = new spinlock_t('&a');
    hardirqUser(b, a);
    ok(b.run(() => {
      spin_lock(a);
      spin_unlock(a);
      spin_lock(a);
      spin_unlock(a);
    }));
    expect(reportsOf(b, 'lockdep.inconsistent-lock-state')).toHaveLength(1);
    expect(b.kernel.sched.lockdep.debugLocks).toBe(false);
  });
});

describe('mutex checks', () => {
  it('locking a mutex twice is lockdep\'s "possible recursive locking detected", then unwound', () => {
    const b = irqBoard();
    const m = new mutex('&priv->mutex');
    const r = b.run(function toy_ioctl() {
      mutex_lock(m);
      mutex_lock(m);
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.title).toBe('WARNING: possible recursive locking detected');
    expect(r.oops.text).toContain('swapper/1 is trying to acquire lock:');
    expect(r.oops.text).toMatch(/\(&priv->mutex\)\{\.\.\.\.\}-\{3:3\}, at: toy_ioctl\+0x/);
    expect(r.oops.text).toContain('but task is already holding lock:');
    expect(r.oops.text).toContain(' May be due to missing lock nesting notation');
  });

  it('unlocking a mutex not held is "bad unlock balance detected!"', () => {
    const b = irqBoard();
    const m = new mutex('&priv->mutex');
    ok(b.run(() => mutex_unlock(m)));
    const r = reportsOf(b, 'lockdep.bad-unlock-balance')[0]!;
    expect(r.title).toBe('WARNING: bad unlock balance detected!');
    expect(r.text).toContain('swapper/1 is trying to release lock (&priv->mutex) at:');
    expect(r.text).toContain('but there are no more locks to release!');
    expect(r.text).toContain('no locks held by swapper/1.');
  });

  it('a contended mutex sleeps until its owner (a kworker) releases it', () => {
    const b = irqBoard();
    const m = new mutex('&m');
    const order: string[] = [];
    ok(b.run(() => {
      expect(mutex_trylock(m)).toBe(1);
      mutex_unlock(m);
      mutex_lock(m);
      order.push('a locked');
      mutex_unlock(m);
    }));
    expect(order).toEqual(['a locked']);
    expect(b.reports).toEqual([]);
  });
});
