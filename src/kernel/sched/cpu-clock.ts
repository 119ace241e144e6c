/**
 * The CPU's clock and its checkpoints: every CPU access (and every kernel API call) costs a few
 * nanoseconds of simulated time, charged lazily through a countdown in the Cpu, so device events
 * fall due and interrupts land between two statements of driver code. Also spots a CPU that spins
 * on a register and skips the idle spinning ahead to the next thing that can change. Left out:
 * real instruction timing, cache-miss and MMIO latencies (every access costs the same).
 */
import type { EventQueue } from '../../sim/events.js';
import type { Cpu } from '../../hw/cpu.js';
import { TICK_NSEC } from '../time/jiffies.js';

/** Simulated nanoseconds one CPU access (a load, a store, a bulk copy, an API call) costs. */
export const ACCESS_NS = 4;
/** Accesses between checkpoints when nothing falls due sooner. */
export const QUANTUM = 64;
/** The `va` a kernel API call passes to a checkpoint (a delivery point, like a scalar access). */
export const API_CALL = -2;
/** The `va` of a bulk access (memcpy, fill...): time passes, but interrupts are not taken inside it. */
export const BULK_ACCESS = -1;
/** Checkpoints in a row, with no store, over at most {@link SPIN_ADDRESSES} addresses, that make a spin. */
const SPIN_SAMPLES = 8;
/** Most distinct sampled addresses a spin loop touches. */
const SPIN_ADDRESSES = 3;
/** Accesses without the CPU scheduling after which any loop counts as stuck (a store-spinning CPU). */
const RUNAWAY_ACCESSES = 2 ** 26;

/** What the clock needs from the scheduler. */
export interface ClockOwner {
  /** Take pending interrupts if the CPU may (a delivery point). */
  deliverPending(): void;
  /** True when an interrupt could be taken now and should be soon; the access count it is due at. */
  interruptDueAt(): number;
  /** Soft-lockup check; may throw to unwind a stuck path. */
  watchdogCheck(): void;
  /** Next time the soft-lockup watchdog samples. */
  readonly watchdogNextSample: number;
  /** CPU accesses at the last time the CPU scheduled (the watchdog was touched). */
  readonly watchdogTouchAccesses: number;
}

/** Time accounting for one CPU. */
export class CpuClock {
  /** Calls of time-reading APIs (jiffies, ktime_get): a spin that reads the clock is only skipped a tick at a time. */
  timeReads = 0;
  /** Times a spin was skipped ahead (for tests and traces). */
  fastForwards = 0;
  private charged = 0;
  private lastStores = 0;
  private lastTimeReads = 0;
  private readonly samples: number[] = [];

  constructor(
    private readonly cpu: Cpu,
    private readonly events: EventQueue,
    private readonly owner: ClockOwner,
  ) {}

  /** Hook the clock into the CPU. */
  install(): void {
    this.charged = this.cpu.accesses;
    this.lastStores = this.cpu.stores;
    this.cpu.onCheckpoint = (va: number) => this.checkpoint(va);
    this.rearm();
  }

  /** Turn the accesses made since the last charge into simulated time; device events falling due run. */
  charge(): void {
    const n = this.cpu.accesses - this.charged;
    if (n <= 0) return;
    this.charged = this.cpu.accesses;
    const ev = this.events;
    ev.advanceTo(ev.now + n * ACCESS_NS);
  }

  /** Simulated time including accesses not yet charged. */
  now(): number {
    this.charge();
    return this.events.now;
  }

  /** Forget any history of spinning (a new piece of code starts running). */
  resetSpin(): void {
    this.samples.length = 0;
    this.lastStores = this.cpu.stores;
  }

  /** The checkpoint the CPU calls when its countdown runs out; `va` is the address accessed, or API_CALL/BULK_ACCESS. */
  checkpoint(va: number): void {
    this.charge();
    this.owner.watchdogCheck();
    if (va === BULK_ACCESS) this.samples.length = 0;
    else this.spinCheck(va);
    this.rearm();
    if (va !== BULK_ACCESS) this.owner.deliverPending();
  }

  /** Set the CPU's countdown: the next quantum, the next due event, or a pending interrupt, whichever is first. */
  rearm(): void {
    const cpu = this.cpu;
    let n = QUANTUM;
    const uncharged = cpu.accesses - this.charged;
    const due = this.events.nextDue;
    if (due !== Infinity) {
      const left = Math.ceil((due - this.events.now) / ACCESS_NS) - uncharged;
      if (left < n) n = left < 1 ? 1 : left;
    }
    const at = this.owner.interruptDueAt();
    if (at >= 0) {
      const left = at - cpu.accesses;
      if (left < n) n = left < 1 ? 1 : left;
    }
    cpu.checkpointIn = n;
  }

  /** Make the next access a checkpoint no later than `accesses` from now. */
  poke(accesses: number): void {
    if (this.cpu.checkpointIn > accesses) this.cpu.checkpointIn = accesses < 1 ? 1 : accesses;
  }

  private spinCheck(va: number): void {
    const cpu = this.cpu;
    if (cpu.accesses - this.owner.watchdogTouchAccesses > RUNAWAY_ACCESSES) {
      this.fastForward();
      return;
    }
    if (cpu.stores !== this.lastStores) {
      this.lastStores = cpu.stores;
      this.samples.length = 0;
      return;
    }
    const s = this.samples;
    s.push(va);
    if (s.length < SPIN_SAMPLES) return;
    let distinct = 0;
    for (let i = 0; i < s.length; i++) if (s.indexOf(s[i]!) === i) distinct++;
    s.length = 0;
    if (distinct <= SPIN_ADDRESSES) this.fastForward();
  }

  /**
   * The CPU polls a few addresses and stores nothing: until a device event, an interrupt or the
   * watchdog, it will keep doing so. Skip simulated time to the first of those (a jiffy at most
   * when the loop reads the clock, so timeouts still expire about when they should).
   */
  private fastForward(): void {
    const ev = this.events;
    let target = Math.min(ev.nextDue, this.owner.watchdogNextSample);
    if (this.timeReads !== this.lastTimeReads) {
      this.lastTimeReads = this.timeReads;
      target = Math.min(target, (Math.floor(ev.now / TICK_NSEC) + 1) * TICK_NSEC);
    }
    if (target > ev.now && target !== Infinity) {
      this.fastForwards++;
      ev.advanceTo(target);
    }
    this.owner.watchdogCheck();
  }
}
