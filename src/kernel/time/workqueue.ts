/**
 * Workqueues: work items run in process context by kworker threads of one per-CPU pool, which
 * grows a worker when all of them are busy (so flushing one work item from another does not
 * deadlock, as with Linux's concurrency management); delayed work on timer_list; flush and cancel
 * with their waits; the "workqueue leaked lock or atomic" check after each item. Left out: unbound
 * and ordered pool semantics beyond FIFO order, max_active, rescuers, freezing, WQ_MEM_RECLAIM.
 */
import type { Kernel } from '../kernel.js';
import type { KThread } from '../sched/scheduler.js';
import { hex8 } from '../report/hash.js';
import { timer_list } from './timers.js';

/** `struct work_struct`. Initialise with INIT_WORK(work, func). */
export class work_struct {
  /** The function (`work->func`). */
  func: ((work: work_struct) => void) | null = null;
  /** @internal queued and not yet started */
  _pending = false;
  /** Owner tag (the device whose driver initialised it), for unbind checks. */
  _owner: string | null = null;
  /** @internal the workqueue it was last queued on */
  _wq: workqueue_struct | null = null;
}

/** `struct delayed_work`: a work item queued when its timer fires. */
export class delayed_work {
  /** The work item (`dwork->work`). */
  readonly work = new work_struct();
  /** Its timer (`dwork->timer`). */
  readonly timer = new timer_list();
  /** @internal the workqueue the timer will queue on */
  _wq: workqueue_struct | null = null;
}

/** `struct workqueue_struct`. */
export class workqueue_struct {
  constructor(
    /** Name given to alloc_workqueue. */
    readonly name: string,
    /** WQ_* flags. */
    readonly flags: number,
  ) {}
  /** @internal destroyed */
  _dead = false;
}

/** The worker pool of CPU 0 and the queued work. */
export class Workqueues {
  /** `system_wq`. */
  readonly system_wq = new workqueue_struct('events', 0);
  /** `system_highpri_wq`. */
  readonly system_highpri_wq = new workqueue_struct('events_highpri', 0x10);
  /** `system_long_wq`. */
  readonly system_long_wq = new workqueue_struct('events_long', 0);
  /** `system_unbound_wq`. */
  readonly system_unbound_wq = new workqueue_struct('events_unbound', 0x2);
  private readonly items: work_struct[] = [];

  /** Work items queued and not started whose owner is `owner`. */
  pendingOwnedBy(owner: string): work_struct[] {
    return this.items.filter((w) => w._owner === owner);
  }
  private readonly workers: KThread[] = [];
  private readonly executing = new Map<KThread, work_struct>();

  constructor(private readonly k: Kernel) {}

  /** Create the first worker. */
  start(): void {
    this.spawn();
  }

  private spawn(): KThread {
    const w: KThread = this.k.sched.createKthread(`kworker/0:${this.workers.length + 1}`, { fifo: false, body: () => this.workerBody(w) });
    this.workers.push(w);
    return w;
  }

  /** `queue_work(wq, work)`: false if it was already pending. */
  queue(wq: workqueue_struct, work: work_struct): boolean {
    if (work._pending) return false;
    work._pending = true;
    work._wq = wq;
    this.items.push(work);
    this.kick();
    return true;
  }

  /** Wake an idle worker, or grow the pool when every worker is busy. */
  private kick(): void {
    let idle = this.workers.find((w) => !w.running && !w.dead);
    if (!idle) idle = this.spawn();
    this.k.sched.wake(idle);
  }

  /** True while `work` is queued. */
  pending(work: work_struct): boolean {
    return work._pending;
  }

  /** The worker executing `work`, if any. */
  executor(work: work_struct): KThread | null {
    for (const [w, item] of this.executing) if (item === work) return w;
    return null;
  }

  /** The work item the current kworker executes, if the current task is a kworker. */
  currentWork(): work_struct | null {
    const t = this.k.sched.current;
    return t ? (this.executing.get(t) ?? null) : null;
  }

  /** Remove `work` from the queue; true if it was pending. */
  unqueue(work: work_struct): boolean {
    if (!work._pending) return false;
    work._pending = false;
    const i = this.items.indexOf(work);
    if (i >= 0) this.items.splice(i, 1);
    return true;
  }

  /** True while any item of `wq` is queued or running. */
  busy(wq: workqueue_struct): boolean {
    if (this.items.some((w) => w._wq === wq)) return true;
    for (const item of this.executing.values()) if (item._wq === wq) return true;
    return false;
  }

  private workerBody(self: KThread): void {
    const k = this.k;
    const ctx = k.ctx;
    for (;;) {
      const work = this.items.shift();
      if (!work) return;
      work._pending = false;
      const fn = work.func;
      if (!fn) continue;
      this.executing.set(self, work);
      try {
        fn(work);
      } finally {
        this.executing.delete(self);
      }
      const held = k.sched.lockdep.held(ctx.task);
      if (ctx.preemptCount !== 0 || held.length > 0) {
        const t = ctx.task;
        k.reporter.report({
          kind: 'bug',
          id: 'workqueue.leaked-lock-or-atomic',
          title: `BUG: workqueue leaked lock or atomic: ${t.comm}/0x${hex8(ctx.preemptCount)}/${t.pid}`,
          body: [`    last function: ${fn.name || '<anonymous>'}`, ...k.sched.lockdep.heldLockLines(t)],
          details: { preemptCount: ctx.preemptCount, function: fn.name },
        });
        ctx.preemptCount = 0;
        ctx.irqsDisabled = false;
        held.length = 0;
      }
      k.sched.touch();
    }
  }
}
