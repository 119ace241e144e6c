/** Unbind checks for deferred work: a timer or delayed work still armed when the driver lets go. */
import { describe, expect, it } from 'vitest';
import { platform_driver_register } from '../../../src/kernel/api/platform.js';
import { driverCore } from '../../../src/kernel/driver/core.js';
import type { PlatformDriver } from '../../../src/kernel/driver/platform-device.js';
import { del_timer_sync, mod_timer, timer_list, timer_setup } from '../../../src/kernel/time/api/timer.js';
import { cancel_delayed_work_sync, delayed_work, INIT_DELAYED_WORK, schedule_delayed_work } from '../../../src/kernel/time/api/workqueue.js';
import { jiffies } from '../../../src/kernel/time/api/clock.js';
import { run, toyBoard } from './helpers.js';

function driver(probe: () => number, remove: () => void): PlatformDriver {
  return { probe, remove, driver: { name: 'deferred', of_match_table: [{ compatible: 'acme,other' }] } };
}

describe('deferred work at unbind', () => {
  it('a timer armed in probe and never deleted is reported; with del_timer_sync in remove it is not', () => {
    for (const clean of [false, true]) {
      const { board } = toyBoard();
      const t = new timer_list();
      function watchdog_poll(): void {}
      run(board, () =>
        platform_driver_register(
          driver(
            () => {
              timer_setup(t, watchdog_poll, 0);
              mod_timer(t, jiffies() + 1000);
              return 0;
            },
            () => void (clean && del_timer_sync(t)),
          ),
        ),
      );
      const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
      if (clean) expect(leaks).toEqual([]);
      else {
        expect(leaks.map((l) => l.kind)).toEqual(['timer']);
        expect(board.reports.find((r) => r.id === 'driver.leak.timer')?.title).toMatch(/timer watchdog_poll set up by the driver is still pending after unbind \(missing del_timer_sync\)/);
      }
    }
  });

  it('delayed work still pending is reported; with cancel_delayed_work_sync in remove it is not', () => {
    for (const clean of [false, true]) {
      const { board } = toyBoard();
      const w = new delayed_work();
      function reset_task(): void {}
      run(board, () =>
        platform_driver_register(
          driver(
            () => {
              INIT_DELAYED_WORK(w, reset_task);
              schedule_delayed_work(w, 1000);
              return 0;
            },
            () => void (clean && cancel_delayed_work_sync(w)),
          ),
        ),
      );
      const { leaks } = driverCore(board.kernel).bus.unbind('ffe0a000.other');
      if (clean) expect(leaks).toEqual([]);
      else {
        expect(leaks.map((l) => l.kind)).toEqual(['timer']);
        expect(board.reports.find((r) => r.id === 'driver.leak.timer')?.title).toMatch(/delayed work reset_task set up by the driver is still pending after unbind \(missing cancel_delayed_work_sync\)/);
      }
    }
  });
});
