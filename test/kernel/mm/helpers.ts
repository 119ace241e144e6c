/** Shared setup for memory-manager tests. */
import { MemoryManager, type MemoryManagerOptions } from '../../../src/kernel/mm/index.js';
import { FakeMachine, RecordingSink, type FakeMachineOptions } from './fake-machine.js';

/** A booted memory manager on a fake machine, with its sink. */
export interface Booted {
  readonly machine: FakeMachine;
  readonly sink: RecordingSink;
  readonly mm: MemoryManager;
}

/** 1 GiB at 0: 768 MiB lowmem (ZONE_DMA) + 256 MiB highmem. */
export const GIB_BANK = [{ base: 0, size: 1 << 30 }] as const;
/** 64 MiB at 0: no highmem. */
export const SMALL_BANK = [{ base: 0, size: 64 << 20 }] as const;

/** Boot a memory manager. */
export function boot(machine: FakeMachineOptions = {}, options: MemoryManagerOptions = {}): Booted {
  const m = new FakeMachine(machine);
  const sink = new RecordingSink();
  const mm = new MemoryManager(m, sink, options);
  return { machine: m, sink, mm };
}
