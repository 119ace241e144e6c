import { describe, it, expect } from 'vitest';
import { napi_complete_done, napi_disable, napi_enable, napi_schedule, netif_napi_add } from '../../../src/kernel/net/api.js';
import type { NapiStruct } from '../../../src/kernel/net/napi.js';
import { bootBoard, toyNetdev } from './helpers.js';

/** A device with `pending` packets to receive and a NAPI poll that follows or breaks the contract. */
function rig(pollStyle: 'correct' | 'over-budget' | 'complete-at-budget', pending: number) {
  const b = bootBoard();
  const { ndev } = toyNetdev(b);
  const state = { pending, received: 0, irqEnabled: true, polls: 0 };
  const r = b.run(() => {
    const napi = netif_napi_add(ndev, function gfar_poll(n: NapiStruct, budget: number): number {
      state.polls++;
      const want = pollStyle === 'over-budget' ? state.pending : Math.min(budget, state.pending);
      state.pending -= want;
      state.received += want;
      if (pollStyle === 'complete-at-budget' || want < budget) {
        if (napi_complete_done(n, want)) state.irqEnabled = true;
      }
      return want;
    });
    napi_enable(napi);
    return napi;
  });
  if (!r.ok) throw new Error(r.oops.text);
  return { b, napi: r.value, state };
}

describe('NAPI', () => {
  it('a correct poll drains 1000 packets in budget-sized polls and re-enables interrupts, with no report', () => {
    const { b, napi, state } = rig('correct', 1000);
    b.run(() => {
      state.irqEnabled = false; // the interrupt handler masks RX at the device, then schedules
      expect(napi_schedule(napi)).toBe(true);
    });
    expect(state.received).toBe(1000);
    expect(state.irqEnabled).toBe(true);
    expect(state.polls).toBe(16); // 15 full polls of 64, then 40
    expect(napi.scheduled).toBe(false);
    expect(b.reports).toEqual([]);
  });

  it('scheduling an already scheduled instance does not double-schedule', () => {
    const { b, napi } = rig('correct', 0);
    b.run(() => {
      b.kernel.ctx.preemptCount += 0x100; // in softirq: the raise is deferred, so the first schedule stays pending
      try {
        expect(napi_schedule(napi)).toBe(true);
        expect(napi_schedule(napi)).toBe(false);
      } finally {
        b.kernel.ctx.preemptCount -= 0x100;
      }
    });
  });

  it('a poll returning more than its budget is reported in Linux\'s words', () => {
    const { b, napi } = rig('over-budget', 100);
    b.run(() => napi_schedule(napi));
    const r = b.reports.find((x) => x.id === 'net.napi-over-budget');
    expect(r?.title).toMatch(/NAPI poll function gfar_poll returned 100, exceeding its budget of 64\./);
  });

  it('completing and still returning the full budget is reported', () => {
    const { b, napi } = rig('complete-at-budget', 200);
    b.run(() => napi_schedule(napi));
    expect(b.reports.map((x) => x.id)).toContain('net.napi-complete-at-budget');
    expect(b.dmesg()).toMatch(/eth0: Budget exhausted after napi rescheduled/);
  });

  it('napi_enable on an enabled instance is a kernel BUG', () => {
    const { b, napi } = rig('correct', 0);
    const r = b.run(() => napi_enable(napi));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.oops.text).toMatch(/kernel BUG at net\/core\/dev\.c:\d+!/);
  });

  it('a second napi_disable is reported instead of hanging', () => {
    const { b, napi } = rig('correct', 0);
    b.run(() => {
      napi_disable(napi);
      napi_disable(napi);
    });
    expect(b.reports.map((x) => x.id)).toEqual(['net.napi-disable-twice']);
  });

  it('napi_complete_done without being scheduled WARNs once', () => {
    const { b, napi } = rig('correct', 0);
    b.run(() => {
      napi_complete_done(napi, 0);
      napi_complete_done(napi, 0);
    });
    expect(b.reports.map((x) => x.id)).toEqual(['net.napi-complete-unscheduled']);
    expect(b.reports[0]!.text).toMatch(/WARNING: CPU: 0 PID: \d+ at net\/core\/dev\.c/);
  });

  it('disable then enable round-trips cleanly', () => {
    const { b, napi, state } = rig('correct', 10);
    b.run(() => {
      napi_disable(napi);
      expect(napi_schedule(napi)).toBe(false); // disabled: not scheduled
      napi_enable(napi);
      expect(napi_schedule(napi)).toBe(true);
    });
    expect(state.received).toBe(10);
    expect(b.reports).toEqual([]);
  });
});
