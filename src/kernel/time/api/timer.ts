/**
 * timer_list as drivers use it: timer_setup, mod_timer, add_timer, del_timer, del_timer_sync
 * (and their timer_delete names), timer_pending, from_timer. Callbacks run in softirq context.
 */
import { kernelFor } from '../../api/kernel-of.js';
import { peekCurrentKernel } from '../../current.js';
import { kernelFrame } from '../../report/symbols.js';
import { selfDeadlock } from '../../sched/splats.js';
import { TIMER_IRQSAFE, timer_list } from '../timers.js';

export { timer_list, TIMER_IRQSAFE, TIMER_DEFERRABLE, TIMER_PINNED } from '../timers.js';

/** `timer_setup(timer, callback, flags)`. */
export function timer_setup(timer: timer_list, callback: (t: timer_list) => void, flags: number): void {
  timer.function = callback;
  timer._owner = peekCurrentKernel()?.owner ?? null;
  timer.flags = flags;
  timer._event = null;
  timer._expired = false;
}

/** `from_timer(container, timer, field)`: the object holding `timer` — pass it in a closure instead; provided for ports. */
export function from_timer<T>(container: T): T {
  return container;
}

/** `mod_timer(timer, expires)`: (re)arm for jiffy `expires`; 1 if it was pending. */
export function mod_timer(timer: timer_list, expires: number): number {
  const k = kernelFor('mod_timer');
  k.sched.tick();
  return k.time.timers.mod(timer, expires) ? 1 : 0;
}

/** `add_timer(timer)`: arm for `timer.expires`; it must not be pending (WARN). */
export function add_timer(timer: timer_list): void {
  const k = kernelFor('add_timer');
  k.sched.tick();
  if (k.time.timers.pending(timer)) {
    k.reporter.warn({ id: 'timer.add-pending', title: '', site: { file: 'kernel/time/timer.c', line: 1194 }, frames: [kernelFrame('add_timer')] });
    return;
  }
  k.time.timers.mod(timer, timer.expires);
}

/** `timer_pending(timer)`. */
export function timer_pending(timer: timer_list): boolean {
  return timer._event !== null || timer._expired;
}

/** `del_timer(timer)` / `timer_delete`: deactivate; 1 if it was pending. May race with a running callback. */
export function del_timer(timer: timer_list): number {
  const k = kernelFor('del_timer');
  k.sched.tick();
  return k.time.timers.detach(timer) ? 1 : 0;
}
/** `timer_delete(timer)`. */
export function timer_delete(timer: timer_list): number {
  return del_timer(timer);
}

/**
 * `del_timer_sync(timer)` / `timer_delete_sync`: deactivate and wait for a running callback. From
 * hardirq context (unless TIMER_IRQSAFE) it WARNs; from the timer's own callback it would wait for
 * itself forever (reported and unwound).
 */
export function del_timer_sync(timer: timer_list): number {
  const k = kernelFor('del_timer_sync');
  k.sched.tick();
  if (k.ctx.inHardirq() && !(timer.flags & TIMER_IRQSAFE)) {
    k.reporter.warn({ id: 'timer.del-sync-in-irq', title: '', site: { file: 'kernel/time/timer.c', line: 1629 }, frames: [kernelFrame('__timer_delete_sync')] });
  }
  const was = k.time.timers.detach(timer) ? 1 : 0;
  if (k.time.timers.running === timer) {
    throw selfDeadlock(k, 'timer.sync-self', `del_timer_sync() of the timer whose callback ${timer.function?.name || '<anonymous>'} is running below it: it waits for that callback forever`, [
      'Linux spins in __timer_delete_sync() here; lockdep reports it as recursive locking on the timer.',
    ]);
  }
  return was;
}
/** `timer_delete_sync(timer)`. */
export function timer_delete_sync(timer: timer_list): number {
  return del_timer_sync(timer);
}
/** `timer_shutdown_sync(timer)`: as del_timer_sync, after which re-arming is ignored (not modelled: it can be re-armed). */
export function timer_shutdown_sync(timer: timer_list): number {
  return del_timer_sync(timer);
}
