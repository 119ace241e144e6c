/**
 * The memory-system demo `npm start` runs until the NIC exists: boot the default board, let a
 * device write into a buffer the CPU has cached, and show what the non-coherent cache does to the
 * data — stale reads and a lost device write — next to the coherent twin where nothing goes wrong.
 */
import { Board, COHERENT_BOARD, DEFAULT_BOARD } from '../board/board.js';
import { kfree, kmalloc, virt_to_phys } from '../kernel/api/mm.js';
import { GFP_KERNEL } from '../kernel/mm/gfp.js';
import { copy_to_host, ld_be32, memset, st_u8 } from '../kernel/memaccess.js';
import { describeSymptom } from '../kernel/symptoms.js';

/** Options of the demo. */
export interface MemoryDemoOptions {
  readonly seed: number;
  readonly coherent: boolean;
}

/** What the demo found, for the CLI and for tests. */
export interface MemoryDemoResult {
  readonly board: Board;
  /** The lines to print. */
  readonly lines: string[];
  /** Bytes the CPU read wrongly or that a write-back destroyed. */
  readonly corruptedBytes: number;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** Run the demo on one board. */
export function runMemoryDemo(opts: MemoryDemoOptions): MemoryDemoResult {
  const board = new Board(opts.coherent ? COHERENT_BOARD : DEFAULT_BOARD, { seed: opts.seed });
  const { machine } = board;
  const nic = machine.bus.master('demo-nic', { snoop: machine.coherent });
  const lines: string[] = [];
  const say = (s: string): void => void lines.push(s);
  const frame = Uint8Array.from({ length: 64 }, (_, i) => (0xa0 + i) & 0xff);

  say(`Board: ${board.spec.name}, seed ${opts.seed}`);
  say(`L1 D-cache: ${machine.cache.geometry.size / 1024} KiB, ${machine.cache.geometry.ways}-way, ${machine.cache.geometry.lineSize}-byte lines, write-back`);
  const r = board.run(() => {
    const buf = kmalloc(128, GFP_KERNEL)!;
    const pa = virt_to_phys(buf);
    say(`RX buffer: kmalloc(128) = 0x${buf.toString(16)} (phys 0x${pa.toString(16)})`);

    // 1. The bug: the CPU looks at the buffer, then the device fills it, and nobody invalidates.
    memset(buf, 0, 128);
    machine.cache.flush(pa, 128); // as a map would: the buffer is clean in RAM, lines dropped
    ld_be32(buf); // a peek before the frame arrived pulls the first line into the cache
    nic.write(pa, frame, 0, 64); // the device DMAs the frame into RAM
    const seen = copy_to_host(buf, 16);
    say('');
    say('1. CPU peeks at the buffer, device writes a frame, no invalidate before reading:');
    say(`   device wrote : ${hex(frame.subarray(0, 16))}`);
    say(`   CPU reads    : ${hex(seen)}`);

    // 2. The fix: invalidate (what dma_sync_single_for_cpu does for FROM_DEVICE), then read.
    machine.cache.invalidate(pa, 128);
    say('2. After invalidating the lines (dma_sync_single_for_cpu, FROM_DEVICE):');
    say(`   CPU reads    : ${hex(copy_to_host(buf, 16))}`);

    // 3. A lost write: the CPU updates a flag sharing the last line with the DMA buffer.
    machine.cache.flush(pa, 128);
    st_u8(buf + 127, 1); // a "status byte" in the same cache line as the frame's tail
    nic.write(pa + 96, frame, 0, 31); // the device writes its bytes 96..126 of the same line
    machine.cache.flush(pa + 127, 1); // evicting or flushing the flag writes the whole line back
    machine.cache.invalidate(pa, 128);
    say('3. CPU writes a byte sharing a cache line with device-written bytes, then the line is written back:');
    say(`   device wrote : ${hex(frame.subarray(0, 16))} ...`);
    say(`   RAM now holds: ${hex(copy_to_host(buf + 96, 16))} ...`);
    kfree(buf);
  });
  if (!r.ok) say(r.oops.text);

  const c = machine.cache.counters;
  say('');
  say(`Cache counters: ${c.hits} hits, ${c.misses} misses, ${c.writebacks} write-backs, ${c.evictions} evictions`);
  const symptoms = board.kernel.symptoms.entries;
  say(symptoms.length === 0 ? 'Symptoms: none — every byte the CPU read was what RAM held.' : `Symptoms (${symptoms.length}):`);
  for (const s of symptoms) say(`   ${describeSymptom(s)}`);
  return { board, lines, corruptedBytes: symptoms.reduce((n, s) => n + s.bytes, 0) };
}
