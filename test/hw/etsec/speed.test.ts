/** Host speed of the device model's data paths (logged, not asserted: machines and their load differ) with a driver side that only rewrites status words. */
import { describe, expect, it } from 'vitest';
import * as L from '../../../src/hw/etsec/layout.js';
import { wireTimeNs } from '../../../src/hw/net/wire.js';
import { Bench, BUF_STRIDE, frame, PEER_MAC, RX_RING, TX_BUFS, TX_RING } from './helpers.js';

const N = 20_000;
const RING = 256;

describe('model speed', () => {
  it.each([64 - 4, 1428])('RX: %i-byte frames through a 256-BD ring', (size) => {
    const b = new Bench().start({ rxN: RING, mrblr: 1536 });
    const f = frame(size);
    const dt = wireTimeNs(size + 4, 1e9);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      b.nic.port.receiveFrame(f);
      b.events.advanceBy(dt);
      const slot = i % RING;
      b.ram.write32be(RX_RING + 8 * slot, ((L.RXBD_EMPTY | L.RXBD_INTERRUPT | (slot === RING - 1 ? L.RXBD_WRAP : 0)) << 16) >>> 0);
      if ((i & 63) === 63) b.w(L.IEVENT, 0xffff_ffff);
    }
    const ms = performance.now() - t0;
    expect(b.nic.counters.rxFrames).toBe(N);
    console.info(`eTSEC model RX ${size} B: ${Math.round(N / ms / 1000 * 10) / 10} M frames/s host (${(ms * 1000 / N).toFixed(2)} µs/frame)`);
  });

  it.each([64 - 4, 1428])('TX: %i-byte frames through a 256-BD ring', (size) => {
    const b = new Bench().start({ txN: RING });
    b.nic.port.connect({ receiveFrame: () => {} });
    const f = frame(size, PEER_MAC);
    for (let i = 0; i < RING; i++) b.poke(TX_BUFS + BUF_STRIDE * (i % 8), f);
    const dt = wireTimeNs(size + 4, 1e9);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const slot = i % RING;
      const pa = TX_RING + 8 * slot;
      b.ram.write32be(pa + 4, TX_BUFS + BUF_STRIDE * (slot % 8));
      b.ram.write32be(pa, (((L.TXBD_READY | L.TXBD_LAST | L.TXBD_INTERRUPT | L.TXBD_CRC | (slot === RING - 1 ? L.TXBD_WRAP : 0)) << 16) | size) >>> 0);
      b.w(L.TSTAT, L.TSTAT_THLT0);
      b.events.advanceBy(dt);
      if ((i & 63) === 63) b.w(L.IEVENT, 0xffff_ffff);
    }
    const ms = performance.now() - t0;
    expect(b.nic.counters.txFrames).toBe(N);
    console.info(`eTSEC model TX ${size} B: ${Math.round(N / ms / 1000 * 10) / 10} M frames/s host (${(ms * 1000 / N).toFixed(2)} µs/frame)`);
  });
});
