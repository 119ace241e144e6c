import { describe, expect, it } from 'vitest';
import {
  HZ, INITIAL_JIFFIES, jiffies, jiffies_to_msecs, ktime_get, mdelay, msecs_to_jiffies, msleep, ndelay, time_after,
  time_before, udelay, usecs_to_jiffies, usleep_range,
} from '../../../src/kernel/time/api/clock.js';
import { del_timer, del_timer_sync, mod_timer, timer_list, timer_pending, timer_setup } from '../../../src/kernel/time/api/timer.js';
import { in_softirq } from '../../../src/kernel/sched/api/context.js';
import { irqBoard, ok, reportsOf } from '../sched/helpers.js';

describe('jiffies and ktime', () => {
  it('HZ is 250; jiffies start five minutes before wrap-around and tick every 4 ms', () => {
    const b = irqBoard();
    expect(HZ).toBe(250);
    expect(INITIAL_JIFFIES).toBe(0xfffedb08);
    const [j0, t0] = ok(b.run(() => [jiffies(), ktime_get()]));
    expect(j0 - INITIAL_JIFFIES).toBe(Math.floor(t0 / 4_000_000));
    ok(b.kernel.idle(301_000_000_000));
    const j1 = ok(b.run(() => jiffies()));
    expect(j1).toBeLessThan(j0); // wrapped
    expect(time_after(j1, j0)).toBe(true);
    expect(time_before(j0, j1)).toBe(true);
  });

  it('converts like Linux at HZ=250 (rounding up)', () => {
    expect([msecs_to_jiffies(1), msecs_to_jiffies(4), msecs_to_jiffies(5), msecs_to_jiffies(1000)]).toEqual([1, 1, 2, 250]);
    expect([usecs_to_jiffies(1), usecs_to_jiffies(4000), usecs_to_jiffies(4001)]).toEqual([1, 1, 2]);
    expect(jiffies_to_msecs(250)).toBe(1000);
  });

  it('delays busy-wait and sleeps sleep on simulated time', () => {
    const b = irqBoard();
    const d = ok(b.run(() => {
      const t = [ktime_get()];
      ndelay(500);
      t.push(ktime_get());
      udelay(10);
      t.push(ktime_get());
      mdelay(2);
      t.push(ktime_get());
      usleep_range(100, 200);
      t.push(ktime_get());
      msleep(1); // at least msecs_to_jiffies(1) + 1 ticks: up to 8 ms at HZ=250
      t.push(ktime_get());
      return t.slice(1).map((x, i) => x - t[i]!);
    }));
    expect(d[0]).toBeGreaterThanOrEqual(500);
    expect(d[0]).toBeLessThan(600);
    expect(d[1]).toBeGreaterThanOrEqual(10_000);
    expect(d[1]).toBeLessThan(10_100);
    expect(d[2]).toBeGreaterThanOrEqual(2_000_000);
    expect(d[3]).toBeGreaterThanOrEqual(200_000); // the hrtimer fires at the end of the range
    expect(d[3]).toBeLessThan(200_100);
    expect(d[4]).toBeGreaterThan(4_000_000);
    expect(d[4]).toBeLessThanOrEqual(8_000_100);
  });
});

describe('timer_list', () => {
  it('fires at the tick where jiffies reaches expires, in softirq context', () => {
    const b = irqBoard();
    const t = new timer_list();
    const fired: { j: number; softirq: boolean }[] = [];
    const target = ok(b.run(() => {
      timer_setup(t, () => void fired.push({ j: jiffies(), softirq: in_softirq() }), 0);
      const target = jiffies() + 10;
      expect(mod_timer(t, target)).toBe(0);
      expect(timer_pending(t)).toBe(true);
      return target;
    }));
    ok(b.kernel.idle(50_000_000));
    expect(fired).toEqual([{ j: target, softirq: true }]);
    expect(ok(b.run(() => timer_pending(t)))).toBe(false);
    expect(b.kernel.time.timers.localTimerInterrupts).toBe(1);
    expect(b.kernel.irq.procInterrupts()).toMatch(/LOC: +1   Local timer interrupts for timer event device/);
  });

  it('mod_timer re-arms and returns 1 when pending; del_timer cancels; an expired target fires at the next tick', () => {
    const b = irqBoard();
    const t = new timer_list();
    let n = 0;
    ok(b.run(() => {
      timer_setup(t, () => void n++, 0);
      mod_timer(t, jiffies() + 100);
      expect(mod_timer(t, jiffies() + 200)).toBe(1);
      expect(del_timer(t)).toBe(1);
      expect(del_timer(t)).toBe(0);
    }));
    ok(b.kernel.idle(2_000_000_000));
    expect(n).toBe(0);
    ok(b.run(() => mod_timer(t, jiffies() - 5)));
    ok(b.kernel.idle(4_000_001));
    expect(n).toBe(1);
  });

  it('del_timer_sync from the timer\'s own callback would wait forever: reported', () => {
    const b = irqBoard();
    const t = new timer_list();
    ok(b.run(() => {
      timer_setup(t, (tt) => void del_timer_sync(tt), 0);
      mod_timer(t, jiffies() + 1);
    }));
    const r = b.kernel.idle(10_000_000);
    expect(r.ok).toBe(false);
    expect(reportsOf(b, 'timer.sync-self')).toHaveLength(1);
  });

  it('an exception in a timer callback is an oops in interrupt context: the board panics', () => {
    const b = irqBoard();
    const t = new timer_list();
    ok(b.run(() => {
      timer_setup(t, () => {
        throw new TypeError('priv is undefined');
      }, 0);
      mod_timer(t, jiffies() + 1);
    }));
    const r = b.kernel.idle(10_000_000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.text).toContain('Kernel panic - not syncing: Fatal exception in interrupt');
    expect(() => b.run(() => 1)).toThrow(/halted/);
  });
});
