/**
 * NAPI: `struct napi_struct` instances, their SCHED/DISABLE/MISSED state as Linux keeps it, the
 * NET_RX softirq action that polls scheduled instances within budgets, and every contract check
 * the core makes (over-budget polls, double enable, double disable — reported instead of hanging —
 * completing without being scheduled, budget exhausted after completing). The softirq plumbing
 * comes from the kernel through a small port so NAPI works with whatever runs softirqs.
 */
import type { Kernel } from '../kernel.js';
import type { NetDevice } from './netdevice.js';

/** `NAPI_POLL_WEIGHT`. */
export const NAPI_POLL_WEIGHT = 64;
/** `netdev_budget`: packets per NET_RX softirq run. */
export const NETDEV_BUDGET = 300;

const SCHED = 1;
const DISABLE = 2;
const MISSED = 4;
const NPSVC = 8;

/** A NAPI poll function: returns the RX work done (≤ budget). */
export type NapiPoll = (napi: NapiStruct, budget: number) => number;

/** `struct napi_struct`. */
export class NapiStruct {
  /** The device it belongs to. */
  readonly dev: NetDevice;
  /** The driver's poll function. */
  readonly poll: NapiPoll;
  /** `napi->weight`. */
  readonly weight: number;
  /** NAPI_STATE_* bits. */
  state = SCHED | NPSVC; // added disabled ("owned")
  /** On the poll list. */
  listed = false;
  /** Times polled. */
  polls = 0;

  constructor(dev: NetDevice, poll: NapiPoll, weight: number) {
    this.dev = dev;
    this.poll = poll;
    this.weight = weight;
  }

  /** Scheduled (or owned while disabled). */
  get scheduled(): boolean {
    return (this.state & SCHED) !== 0;
  }
}

/** What NAPI needs from the kernel to run. */
export interface NapiSoftirqPort {
  /** Register the NET_RX action. */
  openNetRx(action: () => void): void;
  /** Raise NET_RX (runs at irq exit or in ksoftirqd). */
  raiseNetRx(): void;
  /** Run pending softirqs now, as the thread that waits in napi_disable would let ksoftirqd do. */
  runPending(): void;
  /** `might_sleep()` for napi_disable. */
  mightSleep(fn: string): void;
}

/** The NAPI core of one kernel. */
export class NapiCore {
  private readonly pollList: NapiStruct[] = [];
  private readonly warnedOnce = new Set<string>();

  constructor(
    private readonly k: Kernel,
    private readonly port: NapiSoftirqPort,
  ) {
    port.openNetRx(() => this.netRxAction());
  }

  /** `netif_napi_add(dev, napi, poll)` (weight NAPI_POLL_WEIGHT) or with an explicit weight. */
  add(dev: NetDevice, poll: NapiPoll, weight = NAPI_POLL_WEIGHT): NapiStruct {
    if (weight > NAPI_POLL_WEIGHT) this.once(`weight:${dev.name}`, () => this.k.log.err(`netif_napi_add_weight() called with weight ${weight}`));
    return new NapiStruct(dev, poll, weight);
  }

  /** `napi_enable`: BUG if the instance is already enabled. */
  enable(napi: NapiStruct): void {
    if (!(napi.state & SCHED)) {
      throw this.k.reporter.bug({ id: 'net.napi-enable-twice', site: { file: 'net/core/dev.c', line: 6423 }, body: [`napi_enable() on ${napi.dev.name}: the NAPI instance is already enabled`] });
    }
    napi.state &= ~(SCHED | NPSVC | DISABLE);
  }

  /** `napi_disable`: wait for the poll to finish and take ownership; a second call would wait forever. */
  disable(napi: NapiStruct): void {
    this.port.mightSleep('napi_disable');
    if (napi.state & DISABLE) {
      this.k.reporter.report({
        kind: 'bug',
        id: 'net.napi-disable-twice',
        title: `napi_disable() called twice on ${napi.dev.name}: it would wait forever for a NAPI instance it already owns`,
        body: ['NAPI control calls are not idempotent: pair each napi_disable() with a napi_enable().'],
      });
      return;
    }
    napi.state |= DISABLE;
    for (let i = 0; i < 1000 && napi.listed; i++) this.port.runPending();
    if (napi.listed) {
      // The poll never completes (it keeps returning its full budget): remove it as the owner would.
      this.unlist(napi);
    }
    napi.state |= SCHED | NPSVC;
  }

  /** `napi_schedule_prep`: take the instance for polling; false if disabled or already scheduled. */
  schedulePrep(napi: NapiStruct): boolean {
    if (napi.state & DISABLE) return false;
    if (napi.state & SCHED) {
      napi.state |= MISSED;
      return false;
    }
    napi.state |= SCHED;
    return true;
  }

  /** `__napi_schedule`: put it on the poll list and raise NET_RX. */
  scheduleNow(napi: NapiStruct): void {
    if (!napi.listed) {
      napi.listed = true;
      this.pollList.push(napi);
    }
    this.port.raiseNetRx();
  }

  /** `napi_schedule`. Returns whether it was scheduled now. */
  schedule(napi: NapiStruct): boolean {
    if (!this.schedulePrep(napi)) return false;
    this.scheduleNow(napi);
    return true;
  }

  /** `napi_complete_done`: false means "more work appeared, do not re-enable interrupts". */
  completeDone(napi: NapiStruct, workDone: number): boolean {
    if (!(napi.state & SCHED)) {
      this.once(`complete:${napi.dev.name}`, () =>
        this.k.reporter.warn({ id: 'net.napi-complete-unscheduled', title: 'WARN_ON_ONCE(!(val & NAPIF_STATE_SCHED))', site: { file: 'net/core/dev.c', line: 6147 }, body: [`napi_complete_done() on ${napi.dev.name} while not scheduled (completed twice, or never scheduled)`] }),
      );
      return false;
    }
    if (napi.state & NPSVC) return false;
    if (napi.state & MISSED) {
      napi.state &= ~MISSED;
      this.scheduleNow(napi);
      return false;
    }
    napi.state &= ~SCHED;
    this.unlist(napi);
    void workDone;
    return true;
  }

  /** `net_rx_action`: poll the listed instances within netdev_budget. */
  netRxAction(): void {
    let budget = NETDEV_BUDGET;
    let rounds = 0;
    while (this.pollList.length > 0 && budget > 0 && rounds < 64) {
      rounds++;
      const napi = this.pollList.shift()!;
      napi.listed = false;
      const weight = napi.weight;
      napi.polls++;
      const work = napi.poll(napi, weight);
      if (work > weight) {
        this.once(`over:${napi.dev.name}`, () =>
          this.k.reporter.report({
            kind: 'check',
            id: 'net.napi-over-budget',
            title: `NAPI poll function ${napi.poll.name || '<anonymous>'} returned ${work}, exceeding its budget of ${weight}.`,
            body: ['A poll must process at most `budget` RX packets and return how many it did.'],
          }),
        );
      }
      budget -= Math.max(0, Math.min(work, weight));
      if (work >= weight) {
        if (!(napi.state & SCHED)) {
          this.once(`exhausted:${napi.dev.name}`, () => this.k.log.warn(`${napi.dev.name}: Budget exhausted after napi rescheduled`));
          this.k.reporter.report({
            kind: 'check',
            id: 'net.napi-complete-at-budget',
            title: `${napi.dev.name}: NAPI poll completed and still returned its full budget (${work})`,
            body: ['When work == budget the driver must not call napi_complete_done(): the core keeps polling. Complete only when work < budget.'],
          });
          continue;
        }
        if (napi.state & DISABLE) {
          // napi_disable is waiting: the core completes on the driver's behalf.
          napi.state &= ~SCHED;
          continue;
        }
        napi.listed = true;
        this.pollList.push(napi);
      }
    }
    if (this.pollList.length > 0) this.port.raiseNetRx();
  }

  private unlist(napi: NapiStruct): void {
    const i = this.pollList.indexOf(napi);
    if (i >= 0) this.pollList.splice(i, 1);
    napi.listed = false;
  }

  private once(key: string, fn: () => void): void {
    if (this.warnedOnce.has(key)) return;
    this.warnedOnce.add(key);
    fn();
  }
}
