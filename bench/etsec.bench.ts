/**
 * Host speed of the eTSEC model's data paths, with a driver side that only rewrites status
 * words: frames per second through a 256-descriptor ring, RX and TX, small and large frames.
 */
import { bench, describe } from 'vitest';
import * as L from '../src/hw/etsec/layout.js';
import { wireTimeNs } from '../src/hw/net/wire.js';
import { Bench, BUF_STRIDE, frame, PEER_MAC, RX_RING, TX_BUFS, TX_RING } from '../test/hw/etsec/helpers.js';

const RING = 256;

for (const size of [64 - 4, 1428]) {
  describe(`eTSEC model, ${size}-byte frames`, () => {
    const rx = new Bench().start({ rxN: RING, mrblr: 1536 });
    const rf = frame(size);
    const rdt = wireTimeNs(size + 4, 1e9);
    let ri = 0;
    bench('RX: one frame received and its descriptor re-armed', () => {
      rx.nic.port.receiveFrame(rf);
      rx.events.advanceBy(rdt);
      const slot = ri++ % RING;
      rx.ram.write32be(RX_RING + 8 * slot, ((L.RXBD_EMPTY | L.RXBD_INTERRUPT | (slot === RING - 1 ? L.RXBD_WRAP : 0)) << 16) >>> 0);
      if ((ri & 63) === 63) rx.w(L.IEVENT, 0xffff_ffff);
    });

    const tx = new Bench().start({ txN: RING });
    tx.nic.port.connect({ receiveFrame: () => {} });
    const tf = frame(size, PEER_MAC);
    for (let i = 0; i < RING; i++) tx.poke(TX_BUFS + BUF_STRIDE * (i % 8), tf);
    const tdt = wireTimeNs(size + 4, 1e9);
    let ti = 0;
    bench('TX: one descriptor made ready, kicked and sent', () => {
      const slot = ti++ % RING;
      const bd = TX_RING + 8 * slot;
      tx.ram.write32be(bd + 4, TX_BUFS + BUF_STRIDE * (slot % 8));
      tx.ram.write32be(bd, (((L.TXBD_READY | L.TXBD_LAST | L.TXBD_INTERRUPT | L.TXBD_CRC | (slot === RING - 1 ? L.TXBD_WRAP : 0)) << 16) | size) >>> 0);
      tx.w(L.TSTAT, L.TSTAT_THLT0);
      tx.events.advanceBy(tdt);
      if ((ti & 63) === 63) tx.w(L.IEVENT, 0xffff_ffff);
    });
  });
}
