/**
 * Workqueues as drivers use them: INIT_WORK, schedule_work, queue_work, flush_work,
 * cancel_work_sync, the delayed variants, alloc/destroy_workqueue. Work runs in a kworker (process
 * context: it may sleep). Waits that can never end (flushing or cancelling the work item that is
 * running the call) are reported and unwound.
 */
import { kernelFor } from '../../api/kernel-of.js';
import { peekCurrentKernel } from '../../current.js';
import type { Kernel } from '../../kernel.js';
import { kernelFrame } from '../../report/symbols.js';
import { MIGHT_SLEEP_SITES, mightSleep, selfDeadlock } from '../../sched/splats.js';
import { jiffiesAt } from '../jiffies.js';
import { delayed_work, work_struct, workqueue_struct } from '../workqueue.js';

export { work_struct, delayed_work, workqueue_struct } from '../workqueue.js';

/** `WQ_UNBOUND`. */
export const WQ_UNBOUND = 1 << 1;
/** `WQ_FREEZABLE`. */
export const WQ_FREEZABLE = 1 << 2;
/** `WQ_MEM_RECLAIM`. */
export const WQ_MEM_RECLAIM = 1 << 3;
/** `WQ_HIGHPRI`. */
export const WQ_HIGHPRI = 1 << 4;

/** `INIT_WORK(work, func)`. */
export function INIT_WORK(work: work_struct, func: (work: work_struct) => void): work_struct {
  work.func = func;
  work._pending = false;
  work._owner = peekCurrentKernel()?.owner ?? null;
  return work;
}
/** `INIT_DELAYED_WORK(dwork, func)`. */
export function INIT_DELAYED_WORK(dwork: delayed_work, func: (work: work_struct) => void): delayed_work {
  INIT_WORK(dwork.work, func);
  dwork.timer._owner = dwork.work._owner;
  dwork.timer._label = `delayed work ${func.name || '<anonymous>'}`;
  dwork.timer.function = () => {
    const wq = dwork._wq;
    const k = dwork.timer._kernel;
    if (wq && k) k.time.workqueues.queue(wq, dwork.work);
  };
  dwork.timer.flags = 0x0020_0000; // TIMER_IRQSAFE, as delayed_work_timer_fn's timer is
  return dwork;
}

/** `system_wq` of the running kernel. */
export function system_wq(): workqueue_struct {
  return kernelFor('system_wq').time.workqueues.system_wq;
}

/** `queue_work(wq, work)`: false if it was already pending. */
export function queue_work(wq: workqueue_struct, work: work_struct): boolean {
  const k = kernelFor('queue_work');
  k.sched.tick();
  if (wq._dead) {
    k.reporter.warn({ id: 'workqueue.queue-on-destroyed', title: '', site: { file: 'kernel/workqueue.c', line: 1699 }, frames: [kernelFrame('__queue_work')] });
    return false;
  }
  return k.time.workqueues.queue(wq, work);
}
/** `schedule_work(work)`: queue on system_wq. */
export function schedule_work(work: work_struct): boolean {
  const k = kernelFor('schedule_work');
  k.sched.tick();
  return k.time.workqueues.queue(k.time.workqueues.system_wq, work);
}

function queueDelayed(k: Kernel, wq: workqueue_struct, dwork: delayed_work, delay: number): boolean {
  const w = k.time.workqueues;
  if (w.pending(dwork.work) || k.time.timers.pending(dwork.timer)) return false;
  dwork._wq = wq;
  if (delay <= 0) return w.queue(wq, dwork.work);
  k.time.timers.mod(dwork.timer, jiffiesAt(k.sched.clock.now()) + delay);
  return true;
}

/** `queue_delayed_work(wq, dwork, delay)`: queue after `delay` jiffies; false if already pending. */
export function queue_delayed_work(wq: workqueue_struct, dwork: delayed_work, delay: number): boolean {
  const k = kernelFor('queue_delayed_work');
  k.sched.tick();
  return queueDelayed(k, wq, dwork, delay);
}
/** `schedule_delayed_work(dwork, delay)`. */
export function schedule_delayed_work(dwork: delayed_work, delay: number): boolean {
  const k = kernelFor('schedule_delayed_work');
  k.sched.tick();
  return queueDelayed(k, k.time.workqueues.system_wq, dwork, delay);
}
/** `mod_delayed_work(wq, dwork, delay)`: (re)arm; true if it was pending. */
export function mod_delayed_work(wq: workqueue_struct, dwork: delayed_work, delay: number): boolean {
  const k = kernelFor('mod_delayed_work');
  k.sched.tick();
  const was = k.time.timers.detach(dwork.timer) || k.time.workqueues.unqueue(dwork.work);
  queueDelayed(k, wq, dwork, delay);
  return was;
}

function waitIdle(k: Kernel, work: work_struct, who: string): boolean {
  const w = k.time.workqueues;
  if (!w.pending(work) && !w.executor(work)) return false;
  if (w.currentWork() === work) {
    throw selfDeadlock(k, 'workqueue.flush-self', `${who}() of the work item ${work.func?.name || '<anonymous>'} from inside that work item: it waits for itself forever`, [
      'Linux blocks forever here; lockdep reports it as recursive locking of (work_completion).',
    ]);
  }
  mightSleep(k, MIGHT_SLEEP_SITES.flushWork);
  k.sched.sleep({ done: () => !w.pending(work) && !w.executor(work) });
  return true;
}

/** `flush_work(work)`: wait until it has run; true if it had to wait. */
export function flush_work(work: work_struct): boolean {
  const k = kernelFor('flush_work');
  k.sched.tick();
  return waitIdle(k, work, 'flush_work');
}
/** `cancel_work(work)`: dequeue without waiting; true if it was pending. */
export function cancel_work(work: work_struct): boolean {
  const k = kernelFor('cancel_work');
  k.sched.tick();
  return k.time.workqueues.unqueue(work);
}
/** `cancel_work_sync(work)`: dequeue and wait for a running instance; true if it was pending. */
export function cancel_work_sync(work: work_struct): boolean {
  const k = kernelFor('cancel_work_sync');
  k.sched.tick();
  const was = k.time.workqueues.unqueue(work);
  waitIdle(k, work, 'cancel_work_sync');
  return was;
}
/** `cancel_delayed_work(dwork)`: true if it was pending (timer or queue). */
export function cancel_delayed_work(dwork: delayed_work): boolean {
  const k = kernelFor('cancel_delayed_work');
  k.sched.tick();
  return k.time.timers.detach(dwork.timer) || k.time.workqueues.unqueue(dwork.work);
}
/** `cancel_delayed_work_sync(dwork)`. */
export function cancel_delayed_work_sync(dwork: delayed_work): boolean {
  const k = kernelFor('cancel_delayed_work_sync');
  k.sched.tick();
  const was = k.time.timers.detach(dwork.timer) || k.time.workqueues.unqueue(dwork.work);
  waitIdle(k, dwork.work, 'cancel_delayed_work_sync');
  return was;
}
/** `flush_delayed_work(dwork)`: queue it now if its timer is pending, then flush. */
export function flush_delayed_work(dwork: delayed_work): boolean {
  const k = kernelFor('flush_delayed_work');
  k.sched.tick();
  if (k.time.timers.detach(dwork.timer) && dwork._wq) k.time.workqueues.queue(dwork._wq, dwork.work);
  return waitIdle(k, dwork.work, 'flush_delayed_work');
}
/** `delayed_work_pending(dwork)`. */
export function delayed_work_pending(dwork: delayed_work): boolean {
  const k = kernelFor('delayed_work_pending');
  return k.time.timers.pending(dwork.timer) || k.time.workqueues.pending(dwork.work);
}
/** `work_pending(work)`. */
export function work_pending(work: work_struct): boolean {
  return work._pending;
}

/** `alloc_workqueue(name, flags, max_active)`. */
export function alloc_workqueue(name: string, flags: number, _maxActive = 0): workqueue_struct {
  kernelFor('alloc_workqueue').sched.tick();
  return new workqueue_struct(name, flags);
}
/** `create_singlethread_workqueue(name)`. */
export function create_singlethread_workqueue(name: string): workqueue_struct {
  return alloc_workqueue(name, WQ_UNBOUND, 1);
}
/** `flush_workqueue(wq)`: wait until everything queued on it has run. */
export function flush_workqueue(wq: workqueue_struct): void {
  const k = kernelFor('flush_workqueue');
  k.sched.tick();
  const w = k.time.workqueues;
  if (!w.busy(wq)) return;
  mightSleep(k, MIGHT_SLEEP_SITES.flushWork);
  k.sched.sleep({ done: () => !w.busy(wq) });
}
/** `destroy_workqueue(wq)`: drain, then refuse further work. */
export function destroy_workqueue(wq: workqueue_struct): void {
  flush_workqueue(wq);
  wq._dead = true;
}
