import { describe, expect, it } from 'vitest';
import { kfree, kzalloc } from '../../../src/kernel/api/mm.js';
import { IRQ_HANDLED, irq_create_of_mapping, request_irq } from '../../../src/kernel/irq/api.js';
import { ld_be32, st_be32 } from '../../../src/kernel/memaccess.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { spinlock_t, spin_lock, spin_lock_irqsave, spin_unlock, spin_unlock_irqrestore } from '../../../src/kernel/sched/api/spinlock.js';
import { exploreSeeds, seedRange } from '../../../src/kernel/sched/explore.js';
import { addToyDevice, irqBoard, ok } from './helpers.js';

/**
 * A toy driver counting packets in a shared counter: the RX interrupt handler adds one, and the
 * transmit path adds one per packet sent. `safe` takes the lock with spin_lock_irqsave (correct);
 * otherwise plain spin_lock — interrupts stay on, and one landing between the load and the store
 * of the counter loses its update.
 */
function runToy(seed: number, exploreDelay: number, safe: boolean): { expected: number; got: number } {
  const b = irqBoard({ seed, exploreMaxDelay: exploreDelay });
  const { dev, regs } = addToyDevice(b, 29);
  const lock = new spinlock_t('&priv->lock');
  let handled = 0;
  const sent = 200;
  const got = ok(b.run(function toy_xmit_many() {
    const cnt = kzalloc(64, GFP_KERNEL)!;
    const scratch = cnt + 32;
    request_irq(irq_create_of_mapping([29, 0, 0, 0]), function toy_rx_irq() {
      st_be32(regs, 1);
      st_be32(cnt, ld_be32(cnt) + 1); // the handler's update
      handled++;
      return IRQ_HANDLED;
    }, 0, 'toy', dev);
    st_be32(regs + 4, 1);
    // One RX interrupt, some time into the transmit loop.
    b.machine.events.scheduleIn(3_000, 'rx', () => dev.raise(1));
    for (let i = 0; i < sent; i++) {
      const flags = safe ? spin_lock_irqsave(lock) : (spin_lock(lock), 0);
      const v = ld_be32(cnt);
      ld_be32(scratch); // a little work between load and store: the window
      ld_be32(scratch + 4);
      st_be32(cnt, v + 1);
      if (safe) spin_unlock_irqrestore(lock, flags);
      else spin_unlock(lock);
      st_be32(scratch, i); // work outside the lock
      st_be32(scratch + 4, i);
      ld_be32(scratch + 8);
      ld_be32(scratch + 12);
    }
    const total = ld_be32(cnt);
    kfree(cnt);
    return total;
  }));
  expect(handled).toBe(1);
  return { expected: sent + handled, got };
}

describe('exploration mode finds the race a single seed misses', () => {
  it('with one fixed interrupt latency the missing spin_lock_irqsave never shows', () => {
    for (const seed of [1, 2, 3]) {
      const r = runToy(seed, 0, false);
      expect(r.got).toBe(r.expected);
    }
  });

  it('over many seeds the interrupt lands inside the window: a lost update, replayable by its seed', () => {
    const result = exploreSeeds(seedRange(40), (seed) => {
      const r = runToy(seed, 64, false);
      return r.got === r.expected ? null : `lost update: counter ${r.got}, expected ${r.expected}`;
    });
    expect(result.tried).toBe(40);
    if (process.env['DRIVERLAB_SHOW']) console.log(result.failures);
    expect(result.failures.length).toBeGreaterThan(0);
    const first = result.first!;
    expect(first.reason).toBe('lost update: counter 200, expected 201');
    // Same seed, same landing point: the failure replays exactly.
    const again = runToy(first.seed, 64, false);
    expect(again.got).toBe(200);
  });

  it('with spin_lock_irqsave no seed loses an update', () => {
    const result = exploreSeeds(seedRange(40), (seed) => {
      const r = runToy(seed, 64, true);
      return r.got === r.expected ? null : `lost update: ${r.got} != ${r.expected}`;
    });
    expect(result.failures).toEqual([]);
  });
});
