import { describe, expect, it } from 'vitest';
import { ld_be32 } from '../../../src/kernel/memaccess.js';
import { cpu_relax, local_irq_disable } from '../../../src/kernel/sched/api/context.js';
import { completion, wait_for_completion, wait_for_completion_timeout, wait_event, wait_queue_head_t, wake_up, complete } from '../../../src/kernel/sched/api/completion.js';
import { mdelay, msecs_to_jiffies } from '../../../src/kernel/time/api/clock.js';
import { INIT_WORK, schedule_work, work_struct } from '../../../src/kernel/time/api/workqueue.js';
import { addToyDevice, irqBoard, ok } from './helpers.js';

describe('soft-lockup watchdog', () => {
  it('a driver spinning on a register that never changes gets "soft lockup - CPU#0 stuck for 22s!" and is unwound', () => {
    const b = irqBoard();
    const { regs } = addToyDevice(b, 40);
    const t0 = b.machine.now;
    const r = b.run(function toy_wait_ready() {
      while (!(ld_be32(regs) & 0x80)) cpu_relax(); // the READY bit never comes
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.id).toBe('sched.soft-lockup');
    expect(r.oops.title).toBe('watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [swapper:1]');
    expect(r.oops.text).toMatch(/^watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[swapper:1\]\nModules linked in:\nCPU: 0 PID: 1 Comm: swapper Not tainted/);
    expect(r.oops.text).toMatch(/toy_wait_ready\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/sched\/watchdog\.test\.ts:\d+\)/);
    // Simulated time, not wall time: ~24 s passed on the board.
    expect(b.machine.now - t0).toBeGreaterThan(20e9);
    expect(b.machine.now - t0).toBeLessThan(30e9);
    expect(b.kernel.reporter.taint.has('L')).toBe(true);
    expect(b.kernel.sched.clock.fastForwards).toBeGreaterThan(0);
    expect(b.run(() => 1)).toEqual({ ok: true, value: 1 });
  });

  it('also with interrupts off, and for a long mdelay', () => {
    const b = irqBoard();
    const { regs } = addToyDevice(b, 41);
    const r = b.run(() => {
      local_irq_disable();
      for (;;) ld_be32(regs);
    });
    expect(!r.ok && r.oops.id).toBe('sched.soft-lockup');
    if (!r.ok) expect(r.oops.text).toContain('irq event stamp:');
    const r2 = b.run(() => mdelay(30_000));
    expect(!r2.ok && r2.oops.title).toMatch(/stuck for 2[23]s!/);
  });

  it('a busy driver that keeps scheduling (sleeping, returning) is not a lockup', () => {
    const b = irqBoard();
    for (let i = 0; i < 30; i++) {
      ok(b.run(() => mdelay(900)));
      ok(b.kernel.idle(100_000_000));
    }
    expect(b.reports).toEqual([]);
  });
});

describe('hung-task detector', () => {
  it('waiting for a completion nobody completes: "INFO: task swapper:1 blocked for more than 120 seconds."', () => {
    const b = irqBoard();
    const done = new completion();
    const r = b.run(function toy_probe() {
      wait_for_completion(done);
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.id).toBe('sched.hung-task');
    const lines = r.oops.text.split('\n');
    expect(lines[0]).toBe('INFO: task swapper:1 blocked for more than 120 seconds.');
    expect(lines[1]).toBe('      Not tainted 6.6.0-driverlab #1');
    expect(lines[2]).toBe('"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.');
    expect(lines[3]).toMatch(/^task:swapper +state:D stack:0 +pid:1 +ppid:0 +flags:0x00000000$/);
    expect(r.oops.text).toMatch(/toy_probe\+0x/);
    expect(b.machine.now).toBeGreaterThanOrEqual(120e9);
  });

  it('a wait_event whose condition is set without wake_up() sleeps on: the lost wake-up is real', () => {
    const b = irqBoard();
    const wq = new wait_queue_head_t();
    let ready = false;
    const work = new work_struct();
    const r = b.run(() => {
      INIT_WORK(work, () => {
        ready = true; // forgot wake_up(&wq)
      });
      schedule_work(work);
      wait_event(wq, () => ready);
    });
    expect(!r.ok && r.oops.id).toBe('sched.hung-task');
    expect(ready).toBe(true);
  });

  it('with the wake_up() the waiter wakes at once (not falsely caught); timeouts return 0', () => {
    const b = irqBoard();
    const wq = new wait_queue_head_t();
    let ready = false;
    const work = new work_struct();
    const c = new completion();
    const v = ok(b.run(() => {
      INIT_WORK(work, () => {
        ready = true;
        wake_up(wq);
        complete(c);
      });
      schedule_work(work);
      wait_event(wq, () => ready);
      wait_for_completion(c);
      return wait_for_completion_timeout(c, msecs_to_jiffies(100));
    }));
    expect(v).toBe(0);
    expect(b.reports).toEqual([]);
  });
});
