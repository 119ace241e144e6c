/**
 * Memory-system speed: a bulk CPU copy through the cache model next to a plain
 * `Uint8Array.prototype.set` of the same bytes (the ratio is what counts), and a toy RX data path.
 */
import { bench, describe } from 'vitest';
import { Machine } from '../src/hw/index.js';

const PAGE_OFFSET = 0xc000_0000;
const MiB = 1024 * 1024;
const FRAME = 1500;

function machine(): Machine {
  const m = new Machine({ ram: [{ base: 0, size: 64 * MiB }] });
  m.mmu.lowmemSize = 64 * MiB;
  return m;
}

describe('bulk copy of 1500 B', () => {
  const m = machine();
  const src = PAGE_OFFSET + 0x10000;
  const dst = PAGE_OFFSET + 0x20000;
  m.cpu.fill(src, 0x5a, FRAME);
  m.cpu.copy(dst, src, FRAME);
  const a = new Uint8Array(64 * 1024);
  const b = new Uint8Array(64 * 1024);

  bench('Uint8Array.prototype.set (host baseline)', () => {
    b.set(a.subarray(0, FRAME), 0);
  });

  bench('cpu.copy through the data cache (lines resident)', () => {
    m.cpu.copy(dst, src, FRAME);
  });

  bench('cpu.copy through the data cache (source invalidated first: all misses)', () => {
    m.cache.invalidate(0x10000, FRAME);
    m.cpu.copy(dst, src, FRAME);
  });
});

describe('toy RX path, 1428 B: device writes, invalidate, CPU copies out, invalidate again', () => {
  const m = machine();
  const dev = m.bus.master('dev', { snoop: false });
  const frame = new Uint8Array(1428).fill(0xab);
  const ringPa = 0x100000;
  const skb = PAGE_OFFSET + 0x400000;
  let i = 0;
  bench('rx frame', () => {
    const pa = ringPa + (i++ & 63) * 2048;
    m.cache.invalidate(pa, 1428); // map / sync_for_device, FROM_DEVICE, aligned
    dev.write(pa, frame, 0, 1428);
    m.cache.invalidate(pa, 1428); // sync_for_cpu
    m.cpu.copy(skb, PAGE_OFFSET + pa, 1428);
  });
});

describe('scalar access', () => {
  const m = machine();
  const p = PAGE_OFFSET + 0x30000;
  bench('load32 + store32 (cached, lowmem)', () => {
    m.cpu.store32(p, m.cpu.load32(p) + 1);
  });
});
