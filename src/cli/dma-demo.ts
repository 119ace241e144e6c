/**
 * The demo `npm start` runs until the NIC exists: boot the default board, give a toy receive path
 * a buffer, and run it three ways — correctly, without the sync before reading, and with a status
 * byte sharing the buffer's cache line — showing the checker's reports next to what the
 * non-coherent cache really did to the data. On the coherent twin the rules still fire, but no
 * byte goes wrong.
 */
import { Board, COHERENT_BOARD, DEFAULT_BOARD } from '../board/board.js';
import { kfree, kmalloc } from '../kernel/api/mm.js';
import { dma_map_single, dma_mapping_error, dma_sync_single_for_cpu, dma_unmap_single } from '../kernel/dma/api.js';
import { DMA_FROM_DEVICE } from '../kernel/dma/types.js';
import { GFP_KERNEL } from '../kernel/mm/gfp.js';
import { copy_to_host, ld_be32, st_u8 } from '../kernel/memaccess.js';
import type { Report } from '../kernel/report/types.js';

/** Options of the demo. */
export interface DmaDemoOptions {
  readonly seed: number;
  readonly coherent: boolean;
}

/** What the demo found. */
export interface DmaDemoResult {
  readonly board: Board;
  /** The lines to print. */
  readonly lines: string[];
  /** Bytes that really went wrong (stale reads, destroyed device data). */
  readonly corruptedBytes: number;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** Run the demo on one board. */
export function runDmaDemo(opts: DmaDemoOptions): DmaDemoResult {
  const board = new Board(opts.coherent ? COHERENT_BOARD : DEFAULT_BOARD, { seed: opts.seed });
  const k = board.kernel;
  const dev = k.createDevice('ffe24000.ethernet', { driver: 'demo-rx' });
  let frame = Uint8Array.from({ length: 64 }, (_, i) => (0xa0 + i) & 0xff);
  const lines: string[] = [];
  const say = (s: string): void => void lines.push(s);
  let seen = 0;
  const newReports = (): Report[] => {
    const r = board.reports.slice(seen);
    seen = board.reports.length;
    return r;
  };
  const showReports = (): void => {
    for (const r of newReports()) {
      say(`   ${r.kind === 'check' ? 'check' : r.kind.toUpperCase()} ${r.id}: ${r.title.replace(/^driverlab: [^:]+: /, '')}`);
      for (const line of r.text.split('\n')) if (/^(Symptom|Cause): /.test(line)) say(`      ${line}`);
    }
  };

  const g = k.machine.cache.geometry;
  say(`Board: ${board.spec.name}, seed ${opts.seed}`);
  say(`L1 D-cache: ${g.size / 1024} KiB, ${g.ways}-way, ${g.lineSize}-byte lines, write-back; DMA ${k.machine.coherent ? 'snooped (coherent)' : 'not snooped (non-coherent)'}`);

  function rx_correct(): void {
    const buf = kmalloc(128, GFP_KERNEL)!;
    const dma = dma_map_single(dev, buf, 128, DMA_FROM_DEVICE);
    if (dma_mapping_error(dev, dma)) return;
    dev.busMaster.write(dma, frame, 0, 64); // the NIC receives a frame
    dma_sync_single_for_cpu(dev, dma, 128, DMA_FROM_DEVICE);
    say(`   CPU reads    : ${hex(copy_to_host(buf, 16))}`);
    dma_unmap_single(dev, dma, 128, DMA_FROM_DEVICE);
    kfree(buf);
  }

  function rx_no_sync(): void {
    const buf = kmalloc(128, GFP_KERNEL)!;
    const dma = dma_map_single(dev, buf, 128, DMA_FROM_DEVICE);
    if (dma_mapping_error(dev, dma)) return;
    ld_be32(buf); // peek at the buffer before the frame arrived: pulls a line into the cache
    dev.busMaster.write(dma, frame, 0, 64);
    say(`   CPU reads    : ${hex(copy_to_host(buf, 16))}   (no dma_sync_single_for_cpu)`);
    dma_unmap_single(dev, dma, 128, DMA_FROM_DEVICE);
    kfree(buf);
  }

  function rx_shared_line(): void {
    const obj = kmalloc(128, GFP_KERNEL)!; // the buffer is obj+0..99, a status byte lives at obj+100
    const dma = dma_map_single(dev, obj, 100, DMA_FROM_DEVICE);
    if (dma_mapping_error(dev, dma)) return;
    st_u8(obj + 100, 1); // the driver updates its status byte: same cache line as buffer bytes 96..99
    dev.busMaster.write(dma + 64, frame, 0, 36); // the NIC writes the buffer's last 36 bytes
    dma_unmap_single(dev, dma, 100, DMA_FROM_DEVICE); // unaligned end: the line is flushed, the dirty copy wins
    say(`   buffer bytes 96..99 now: ${hex(copy_to_host(obj + 96, 4))}   (the NIC wrote ${hex(frame.subarray(32, 36))})`);
    kfree(obj);
  }

  for (const [title, fn] of [
    ['1. Correct receive: map FROM_DEVICE, device writes, sync for CPU, read, unmap', rx_correct],
    ['2. Missing sync: the CPU peeked at the buffer before the frame arrived', rx_no_sync],
    ['3. A CPU-written status byte shares the last cache line of the receive buffer', rx_shared_line],
  ] as const) {
    say('');
    say(title);
    frame = frame.map((x) => (x + 0x11) & 0xff); // a different frame each time, so stale bytes show
    const r = board.run(fn, { owner: dev.name });
    if (!r.ok) say(r.oops.text);
    showReports();
  }

  const c = k.machine.cache.counters;
  say('');
  say(`Cache counters: ${c.hits} hits, ${c.misses} misses, ${c.writebacks} write-backs, ${c.evictions} evictions`);
  const symptoms = k.symptoms.entries;
  say(
    symptoms.length === 0
      ? `Symptoms: none — no byte went wrong${board.reports.length ? ', though the rules above were broken' : ''}.`
      : `Symptoms: ${symptoms.length} (${symptoms.map((s) => `${s.kind} of ${s.bytes} bytes`).join(', ')})`,
  );
  say(`Reports: ${board.reports.length}`);
  return { board, lines, corruptedBytes: symptoms.reduce((n, s) => n + s.bytes, 0) };
}
