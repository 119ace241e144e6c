import { describe, expect, it } from 'vitest';
import { current, in_task } from '../../../src/kernel/sched/api/context.js';
import { jiffies, msleep, msecs_to_jiffies } from '../../../src/kernel/time/api/clock.js';
import { read_poll_timeout, read_poll_timeout_atomic, ioread32be_poll_timeout } from '../../../src/kernel/time/api/poll.js';
import { raise_softirq, open_softirq, NET_RX_SOFTIRQ, tasklet_disable, tasklet_enable, tasklet_kill, tasklet_schedule, tasklet_setup, tasklet_struct } from '../../../src/kernel/time/api/softirq.js';
import {
  INIT_DELAYED_WORK, INIT_WORK, alloc_workqueue, cancel_delayed_work_sync, cancel_work_sync, delayed_work, destroy_workqueue,
  flush_work, queue_work, schedule_delayed_work, schedule_work, work_struct,
} from '../../../src/kernel/time/api/workqueue.js';
import { spinlock_t, spin_lock } from '../../../src/kernel/sched/api/spinlock.js';
import { addToyDevice, irqBoard, ok, reportsOf } from '../sched/helpers.js';

describe('workqueues', () => {
  it('work runs later in a kworker (process context); schedule_work of a pending item is a no-op', () => {
    const b = irqBoard();
    const w = new work_struct();
    const seen: string[] = [];
    ok(b.run(() => {
      INIT_WORK(w, () => void seen.push(`${current().comm} task=${in_task()}`));
      expect(schedule_work(w)).toBe(true);
      expect(schedule_work(w)).toBe(false);
      expect(seen).toEqual([]);
    }));
    expect(seen).toEqual(['kworker/0:1 task=true']);
  });

  it('flush_work waits for it; cancel_work_sync dequeues; work items may sleep and a busy pool grows a worker', () => {
    const b = irqBoard();
    const a = new work_struct();
    const c = new work_struct();
    const log: string[] = [];
    ok(b.run(() => {
      INIT_WORK(a, () => {
        log.push('a start');
        schedule_work(c);
        flush_work(c); // another worker runs c meanwhile
        log.push('a end');
      });
      INIT_WORK(c, () => void log.push(`c by ${current().comm}`));
      schedule_work(a);
      expect(flush_work(a)).toBe(true);
      expect(log).toEqual(['a start', 'c by kworker/0:2', 'a end']);
      schedule_work(c);
      expect(cancel_work_sync(c)).toBe(true);
      expect(flush_work(c)).toBe(false);
    }));
    expect(log).toHaveLength(3);
    expect(b.reports).toEqual([]);
  });

  it('delayed work runs after its delay; cancel_delayed_work_sync stops it', () => {
    const b = irqBoard();
    const d = new delayed_work();
    const d2 = new delayed_work();
    const ran: number[] = [];
    const j0 = ok(b.run(() => {
      INIT_DELAYED_WORK(d, () => void ran.push(jiffies()));
      INIT_DELAYED_WORK(d2, () => void ran.push(-1));
      schedule_delayed_work(d, msecs_to_jiffies(100));
      schedule_delayed_work(d2, 5);
      expect(cancel_delayed_work_sync(d2)).toBe(true);
      return jiffies();
    }));
    ok(b.kernel.idle(200_000_000));
    expect(ran).toEqual([j0 + 25]);
  });

  it('flushing a work item from itself would wait forever: reported and unwound', () => {
    const b = irqBoard();
    const w = new work_struct();
    ok(b.run(() => {
      INIT_WORK(w, (self) => void flush_work(self));
      schedule_work(w);
    }));
    expect(reportsOf(b, 'workqueue.flush-self')).toHaveLength(1);
  });

  it('a work item that returns holding a spinlock is "workqueue leaked lock or atomic"', () => {
    const b = irqBoard();
    const w = new work_struct();
    const l = new spinlock_t('&leaky');
    ok(b.run(() => {
      INIT_WORK(w, function toy_work() {
        spin_lock(l);
      });
      schedule_work(w);
    }));
    const r = reportsOf(b, 'workqueue.leaked-lock-or-atomic')[0]!;
    expect(r.title).toMatch(/^BUG: workqueue leaked lock or atomic: kworker\/0:1\/0x00000001\/\d+$/);
    expect(r.text).toContain('    last function: toy_work');
    expect(r.text).toContain('1 lock held by kworker/0:1/');
  });

  it('alloc_workqueue / destroy_workqueue drain before refusing', () => {
    const b = irqBoard();
    const w = new work_struct();
    let n = 0;
    ok(b.run(() => {
      const wq = alloc_workqueue('toy_wq', 0, 1);
      INIT_WORK(w, () => void n++);
      queue_work(wq, w);
      destroy_workqueue(wq);
      expect(n).toBe(1);
      expect(queue_work(wq, w)).toBe(false);
    }));
    expect(reportsOf(b, 'workqueue.queue-on-destroyed')).toHaveLength(1);
  });
});

describe('tasklets and softirqs', () => {
  it('a tasklet scheduled from process context runs in ksoftirqd (softirq), once; disabled ones wait', () => {
    const b = irqBoard();
    const t = new tasklet_struct();
    const log: string[] = [];
    ok(b.run(() => {
      tasklet_setup(t, () => void log.push(current().comm));
      tasklet_disable(t);
      tasklet_schedule(t);
      tasklet_schedule(t);
    }));
    expect(log).toEqual([]);
    ok(b.run(() => tasklet_enable(t)));
    ok(b.kernel.idle(1_000_000));
    expect(log).toEqual(['ksoftirqd/0']);
    ok(b.run(() => tasklet_kill(t)));
  });

  it('raise_softirq runs an opened vector (NET_RX for NAPI later)', () => {
    const b = irqBoard();
    let n = 0;
    ok(b.run(() => {
      open_softirq(NET_RX_SOFTIRQ, () => void n++);
      raise_softirq(NET_RX_SOFTIRQ);
    }));
    expect(n).toBe(1);
    expect(b.kernel.time.softirq.counts[NET_RX_SOFTIRQ]).toBe(1);
  });
});

describe('register polling', () => {
  it('read_poll_timeout sees a device event while it sleeps; times out with -ETIMEDOUT after the timeout', () => {
    const b = irqBoard();
    const { dev, regs } = addToyDevice(b, 60);
    b.machine.events.scheduleIn(3_000_000, 'ready', () => dev.raise(0x80));
    const r = ok(b.run(() => ioread32be_poll_timeout(regs, (v) => (v & 0x80) !== 0, 100, 10_000)));
    expect(r).toEqual({ ret: 0, val: 0x80 });
    expect(b.machine.now).toBeGreaterThanOrEqual(3_000_000);
    const t0 = b.machine.now;
    const r2 = ok(b.run(() => read_poll_timeout(() => 0, (v) => v === 1, 1000, 5_000)));
    expect(r2).toEqual({ ret: -110, val: 0 });
    expect(b.machine.now - t0).toBeGreaterThanOrEqual(5_000_000);
    const t1 = b.machine.now;
    const r3 = ok(b.run(() => read_poll_timeout_atomic(() => 0, (v) => v === 1, 10, 200)));
    expect(r3.ret).toBe(-110);
    expect(b.machine.now - t1).toBeGreaterThanOrEqual(200_000);
    expect(b.machine.now - t1).toBeLessThan(300_000);
    expect(b.reports).toEqual([]);
    void msleep;
  });
});
