/** Tasklets and softirqs as drivers (and NAPI, later) use them; mechanisms in time/tasklet.ts and time/softirq.ts. */
import { kernelFor } from '../../api/kernel-of.js';
import { tasklet_struct } from '../tasklet.js';

export { tasklet_struct } from '../tasklet.js';
export {
  HI_SOFTIRQ, TIMER_SOFTIRQ, NET_TX_SOFTIRQ, NET_RX_SOFTIRQ, BLOCK_SOFTIRQ, IRQ_POLL_SOFTIRQ, TASKLET_SOFTIRQ,
  SCHED_SOFTIRQ, HRTIMER_SOFTIRQ, RCU_SOFTIRQ, NR_SOFTIRQS,
} from '../softirq.js';

/** `tasklet_init(t, func, data)`. */
export function tasklet_init(t: tasklet_struct, func: (data: unknown) => void, data: unknown): void {
  t.func = func;
  t.callback = null;
  t.data = data;
  t.count = 0;
  t._state = 0;
}
/** `tasklet_setup(t, callback)`. */
export function tasklet_setup(t: tasklet_struct, callback: (t: tasklet_struct) => void): void {
  t.callback = callback;
  t.func = null;
  t.count = 0;
  t._state = 0;
}
/** `tasklet_schedule(t)`. */
export function tasklet_schedule(t: tasklet_struct): void {
  const k = kernelFor('tasklet_schedule');
  k.sched.tick();
  k.time.tasklets.schedule(t, false);
}
/** `tasklet_hi_schedule(t)`. */
export function tasklet_hi_schedule(t: tasklet_struct): void {
  const k = kernelFor('tasklet_hi_schedule');
  k.sched.tick();
  k.time.tasklets.schedule(t, true);
}
/** `tasklet_disable_nosync(t)`. */
export function tasklet_disable_nosync(t: tasklet_struct): void {
  t.count++;
}
/** `tasklet_disable(t)`: it will not run until enabled again. */
export function tasklet_disable(t: tasklet_struct): void {
  t.count++;
}
/** `tasklet_enable(t)`. */
export function tasklet_enable(t: tasklet_struct): void {
  if (t.count > 0) t.count--;
}
/** `tasklet_kill(t)`: wait for a scheduled run to finish; from interrupt context Linux only notes it. */
export function tasklet_kill(t: tasklet_struct): void {
  const k = kernelFor('tasklet_kill');
  k.sched.tick();
  const tl = k.time.tasklets;
  if (k.ctx.inInterrupt()) k.log.notice('Attempt to kill tasklet from interrupt');
  // Linux waits for the scheduled run; for a disabled tasklet that wait never ends (the hung-task detector speaks).
  if (tl.scheduled(t) && !k.ctx.inInterrupt()) k.sched.sleep({ done: () => !tl.scheduled(t) });
  if (tl.scheduled(t)) tl.unschedule(t);
}

/** `open_softirq(nr, action)`. */
export function open_softirq(nr: number, action: () => void): void {
  kernelFor('open_softirq').time.softirq.open(nr, action);
}
/** `raise_softirq(nr)`. */
export function raise_softirq(nr: number): void {
  const k = kernelFor('raise_softirq');
  k.sched.tick();
  const ctx = k.ctx;
  const saved = ctx.irqsDisabled;
  ctx.irqsDisabled = true;
  k.time.softirq.raise(nr);
  ctx.irqsDisabled = saved;
}
/** `raise_softirq_irqoff(nr)`: with interrupts already off. */
export function raise_softirq_irqoff(nr: number): void {
  const k = kernelFor('raise_softirq_irqoff');
  k.time.softirq.raise(nr);
}
