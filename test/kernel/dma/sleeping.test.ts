/** The DMA calls that may sleep say so when called from atomic context, as might_sleep() does in Linux. */
import { describe, expect, it } from 'vitest';
import { dma_addr, dma_alloc_coherent, dma_pool_alloc, dma_pool_create } from '../../../src/kernel/dma/api.js';
import { GFP_ATOMIC, GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { DEFINE_SPINLOCK, spin_lock, spin_unlock } from '../../../src/kernel/sched/api/spinlock.js';
import { rig } from './helpers.js';

describe('sleeping DMA calls in atomic context', () => {
  it('dma_alloc_coherent(GFP_KERNEL) under a spinlock is "sleeping function called from invalid context"; GFP_ATOMIC is not', () => {
    const r = rig();
    const lock = DEFINE_SPINLOCK('ring_lock');
    r.run(() => {
      spin_lock(lock);
      dma_alloc_coherent(r.dev, 4096, dma_addr(), GFP_ATOMIC);
      expect(r.b.reports).toEqual([]);
      dma_alloc_coherent(r.dev, 4096, dma_addr(), GFP_KERNEL);
      spin_unlock(lock);
    });
    const rep = r.b.reports.find((x) => x.title.startsWith('BUG: sleeping function called from invalid context'));
    expect(rep?.text).toMatch(/in_atomic\(\): 1, irqs_disabled\(\): 0/);
  });

  it('dma_pool_create must be able to sleep; dma_pool_alloc(GFP_ATOMIC) need not', () => {
    const r = rig();
    const pool = r.run(() => dma_pool_create('bd', r.dev, 64, 8, 0))!;
    expect(r.b.reports).toEqual([]);
    const lock = DEFINE_SPINLOCK('pool_lock');
    r.run(() => {
      spin_lock(lock);
      dma_pool_alloc(pool, GFP_ATOMIC, dma_addr());
      expect(r.b.reports).toEqual([]);
      dma_pool_create('late', r.dev, 64, 8, 0);
      spin_unlock(lock);
    });
    expect(r.b.reports.map((x) => x.title)).toEqual([expect.stringMatching(/^BUG: sleeping function called from invalid context at mm\/dmapool\.c:\d+$/)]);
  });
});
