/**
 * The simulated Linux kernel on one machine: boot (command line, memory layout, memory manager),
 * the report and log subsystems, the execution context, and the dispatch boundary through which
 * every piece of driver code runs — where a fault or a thrown exception becomes an oops.
 */
import { CpuFault } from '../hw/errors.js';
import type { Machine } from '../hw/machine.js';
import { parseCmdline, type BootOptions } from './cmdline.js';
import { ExecContext, type Task } from './context.js';
import { Device } from './device.js';
import { DmaEngine } from './dma/engine.js';
import { DmaPools } from './dma/pool.js';
import { NetCore } from './net/core.js';
import { NapiCore } from './net/napi.js';
import { napiPortFor } from './net/napi-port.js';
import { withKernel, type CurrentKernel } from './current.js';
import { KERNEL_IMAGE, LOWMEM_MAX, PAGE_OFFSET, THREAD_SIZE } from './layout.js';
import { GFP_KERNEL } from './mm/gfp.js';
import { MemoryManager } from './mm/memory-manager.js';
import type { PhysRange } from './mm/memblock.js';
import { mmPort } from './mm-port.js';
import { KernelLog } from './report/log.js';
import { KernelOops, Reporter } from './report/reporter.js';
import { parseStack } from './report/stack.js';
import type { Report } from './report/types.js';
import { SymptomLog } from './symptoms.js';
import { Scheduler } from './sched/scheduler.js';
import { TimeSubsystem } from './time/time.js';
import { GenericIrq } from './irq/genirq.js';

/** How to boot a kernel. */
export interface KernelConfig {
  /** Kernel command line (`chosen/bootargs`). */
  readonly cmdline?: string;
  /** Machine name printed in oops config lines and the boot log (`ppc_md.name`). */
  readonly platform?: string;
  /** Where the device-tree blob sits in RAM (reserved by memblock). */
  readonly dtb?: PhysRange;
  /** `/memreserve/` ranges. */
  readonly memreserve?: readonly PhysRange[];
  /** Fail on any report (overrides `driverlab.strict` on the command line). */
  readonly strict?: boolean;
  /** Exploration mode: interrupts reach the core 1..N CPU accesses late, N given here, drawn from the seed. */
  readonly exploreMaxDelay?: number;
}

/** What came of running driver code through the dispatch boundary. */
export type RunResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly oops: Report };

/** Thrown when driver code is dispatched on a board that has panicked. */
export class BoardHaltedError extends Error {
  override readonly name = 'BoardHaltedError';
  constructor(reason: string) {
    super(`the board has halted (${reason}); boot a new one to run more code`);
  }
}

/** The kernel. One per board. */
export class Kernel implements CurrentKernel {
  readonly machine: Machine;
  readonly boot: BootOptions;
  readonly log: KernelLog;
  readonly reporter: Reporter;
  readonly mm: MemoryManager;
  readonly ctx: ExecContext;
  readonly symptoms: SymptomLog;
  /** The CPU's scheduler: tasks, kernel threads, sleeping, interrupt delivery, locks, watchdogs. */
  readonly sched: Scheduler;
  /** Timers, softirqs, tasklets, workqueues. */
  readonly time: TimeSubsystem;
  /** genirq: descriptors, domains, the MPIC driver, request_irq and friends. */
  readonly irq: GenericIrq;
  /** Bytes of RAM in the linear map. */
  readonly lowmemSize: number;
  /** First kernel virtual address past lowmem (`high_memory`). */
  readonly highMemory: number;
  readonly platform: string;
  /** Owner tag for allocations made by the code now running (a device name, or `kernel`). */
  owner = 'kernel';
  /** Devices by name. */
  readonly devices = new Map<string, Device>();
  /** The DMA mapping layer and its checker. */
  readonly dma: DmaEngine;
  /** dma_pool operations. */
  readonly dmaPools: DmaPools;
  /** The network core (skbs, net_devices, transmit/receive, host stack). */
  readonly net: NetCore;
  private napiCore: NapiCore | null = null;

  constructor(machine: Machine, config: KernelConfig = {}) {
    this.machine = machine;
    this.boot = parseCmdline(config.cmdline ?? '');
    this.platform = config.platform ?? 'driverlab e500';
    this.log = new KernelLog({ clock: () => machine.now });
    const init: Task = { pid: 1, comm: 'swapper', stackBase: 0, stackTop: 0, sp: 0 };
    this.ctx = new ExecContext(init);
    this.reporter = new Reporter({
      seed: machine.seed,
      clock: () => machine.now,
      platform: this.platform,
      panicOnOops: this.boot.panicOnOops,
      strict: config.strict ?? this.boot.strict,
      log: this.log,
      trace: machine.trace,
      task: () => this.ctx.task,
      context: () => ({ inInterrupt: this.ctx.inInterrupt(), irqsDisabled: this.ctx.irqsDisabled }),
    });

    // The linear map: lowmem starts at the first RAM bank, up to LOWMEM_MAX.
    const bank0 = machine.store.banks[0]!;
    this.lowmemSize = Math.min(bank0.size, LOWMEM_MAX);
    this.highMemory = PAGE_OFFSET + this.lowmemSize;
    machine.mmu.lowmemPhys = bank0.base;
    machine.mmu.lowmemSize = this.lowmemSize;
    machine.mmu.readOnlyEnd = KERNEL_IMAGE.textSize + KERNEL_IMAGE.rodataSize;

    this.log.info(`Using ${this.platform} machine description`);
    this.log.info(`Linux version 6.6.0-driverlab (driverlab) #1 PREEMPT`);
    this.log.info(`Kernel command line: ${this.boot.raw}`);
    this.mm = withKernel(this, () =>
      new MemoryManager(mmPort(machine), this.reporter, {
        coherent: machine.coherent,
        slubDebug: this.boot.slubDebug,
        ...(config.dtb ? { dtb: config.dtb } : {}),
        ...(config.memreserve ? { memreserve: config.memreserve } : {}),
        current: () => this.ctx.task,
      }),
    );
    for (const line of this.mm.bootLog) this.log.info(line);
    if (this.boot.unknown.length > 0) this.log.notice(`Unknown kernel command line parameters "${this.boot.unknown.join(' ')}", will be passed to user space.`);

    // init's kernel stack: THREAD_SIZE from lowmem.
    const stack = withKernel(this, () => this.mm.__get_free_pages(GFP_KERNEL, Math.log2(THREAD_SIZE / 4096), 'kernel'));
    Object.assign(init, { stackBase: stack, stackTop: stack + THREAD_SIZE, sp: stack + THREAD_SIZE });
    this.symptoms = new SymptomLog(machine);
    this.sched = withKernel(this, () => new Scheduler(this));
    this.sched.exploreMaxDelay = config.exploreMaxDelay ?? 0;
    this.time = new TimeSubsystem(this);
    this.irq = new GenericIrq(this);
    withKernel(this, () => {
      this.time.start();
      this.irq.start();
    });
    this.dma = new DmaEngine(this);
    this.dmaPools = new DmaPools(this, this.dma);
    this.net = new NetCore(this);
  }

  /** The core (the free driver functions reach it through the current kernel). */
  get cpu() {
    return this.machine.cpu;
  }

  /**
   * Create a device with its own bus-master port (what the board does for each device-tree
   * node with a model; tests use it directly). DMA coherence defaults to the board's.
   */
  createDevice(name: string, opts: { driver?: string | null; dmaCoherent?: boolean } = {}): Device {
    if (this.devices.has(name)) throw new Error(`createDevice: a device named "${name}" already exists`);
    const coherent = opts.dmaCoherent ?? this.machine.coherent;
    const dev = new Device({ name, driver: opts.driver ?? null, dmaCoherent: coherent, busMaster: this.machine.bus.master(name, { snoop: coherent }) });
    this.devices.set(name, dev);
    this.dma.registerDevice(dev);
    return dev;
  }

  /** NAPI, on the kernel's NET_RX softirq (created on first use, after the softirq layer is up). */
  get napi(): NapiCore {
    return (this.napiCore ??= new NapiCore(this, napiPortFor(this)));
  }

  /** Everything reported so far. */
  get reports(): readonly Report[] {
    return this.reporter.reports;
  }

  /** The kernel log as `dmesg` prints it. */
  dmesg(): string {
    return this.log.dmesg();
  }

  /**
   * Run driver code at the dispatch boundary, in the current task's context. A fault (bad
   * pointer, machine check) or an exception thrown by the code becomes an oops report; the path
   * is unwound and the board carries on — unless the oops was fatal (interrupt context,
   * panic_on_oops), which halts the board. Stack buffers taken during the call are released.
   */
  run<T>(fn: () => T, opts: { readonly owner?: string } = {}): RunResult<T> {
    if (this.reporter.panicked) throw new BoardHaltedError('kernel panic');
    const task = this.ctx.task;
    const sp = task.sp;
    const owner = this.owner;
    if (opts.owner !== undefined) this.owner = opts.owner;
    try {
      return { ok: true, value: withKernel(this, () => this.sched.dispatch(fn)) };
    } catch (e) {
      return { ok: false, oops: this.oopsFor(e).report };
    } finally {
      task.sp = sp;
      this.owner = owner;
    }
  }

  /**
   * Let `ns` of simulated time pass with the CPU idle: device events, interrupts, softirqs, timers
   * and kernel threads run. An oops in interrupt context during it panics the board (reported in
   * the result).
   */
  idle(ns: number): RunResult<void> {
    if (this.reporter.panicked) throw new BoardHaltedError('kernel panic');
    try {
      withKernel(this, () => this.sched.idle(ns));
      return { ok: true, value: undefined };
    } catch (e) {
      return { ok: false, oops: this.oopsFor(e).report };
    }
  }

  /** Turn whatever escaped driver code into the oops the kernel would print. */
  oopsFor(e: unknown): KernelOops {
    if (e instanceof KernelOops) return e;
    if (e instanceof CpuFault) {
      return this.reporter.oops({
        fault: { address: e.va, access: e.access, machineCheck: e.reason === 'machine-check' },
        trace: parseStack(e.stack ?? ''),
        details: { reason: e.reason, ...(e.pa >= 0 ? { pa: e.pa } : {}) },
      });
    }
    return this.reporter.exception(e);
  }
}
