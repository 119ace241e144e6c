/** Property checks of the ring engines: any frame, buffer size and prefix is stored across RxBDs exactly; any split of a frame across TxBDs goes out whole. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as L from '../../../src/hw/etsec/layout.js';
import { crc32 } from '../../../src/hw/net/crc32.js';
import { Bench, BUF_STRIDE, frame, OUR_MAC, PEER_MAC, RX_BUFS, RX_RING, TX_BUFS, TX_RING } from './helpers.js';

describe('ring engine properties', () => {
  it('RX: stored chunks are [FCB][padding][frame][FCS]; FIRST on the first BD, LAST with the total on the last, MRBLR in between', () => {
    fc.assert(
      fc.property(fc.integer({ min: 14, max: 3000 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 31 }), fc.boolean(), (len, units, pal, fcb) => {
        const mrblr = units * 64;
        const b = new Bench().start({ rxN: 64, mrblr });
        b.w(L.MAXFRM, 9600);
        b.w(L.MINFLR, 0);
        b.w(L.RCTRL, (pal << L.RCTRL_PAL_SHIFT) | (fcb ? L.RCTRL_PRSDEP_MASK : 0));
        const f = frame(len, OUR_MAC, PEER_MAC, len);
        b.nic.port.receiveFrame(f);
        b.settle();
        const prefix = (fcb ? 8 : 0) + pal;
        const total = prefix + len + 4;
        const n = Math.ceil(total / mrblr);
        const stored: number[] = [];
        for (let i = 0; i < n; i++) {
          const bd = b.readBd(RX_RING + 8 * i);
          const last = i === n - 1;
          expect(bd.status & (L.RXBD_EMPTY | L.RXBD_FIRST | L.RXBD_LAST | L.RXBD_ERR)).toBe((i === 0 ? L.RXBD_FIRST : 0) | (last ? L.RXBD_LAST : 0));
          expect(bd.length).toBe(last ? total : mrblr);
          stored.push(...b.peek(RX_BUFS + BUF_STRIDE * i, last ? total - mrblr * (n - 1) : mrblr));
        }
        expect(b.readBd(RX_RING + 8 * n).status & L.RXBD_EMPTY).toBe(L.RXBD_EMPTY);
        const c = crc32(f);
        expect(stored).toEqual([...new Array(prefix).fill(0), ...f, c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24]);
        expect(b.nic.bus.claims).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('TX: a frame split at any points across BDs goes out whole and every BD is closed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 1514 }), fc.uniqueArray(fc.integer({ min: 1, max: 1513 }), { maxLength: 6 }), (len, cuts) => {
        const b = new Bench().start({ txN: 16 });
        const f = frame(len, PEER_MAC, OUR_MAC, len);
        const points = [0, ...cuts.filter((c) => c < len).sort((x, y) => x - y), len];
        const parts = points.slice(1).map((end, i) => f.subarray(points[i]!, end));
        for (let i = parts.length - 1; i >= 0; i--) {
          b.poke(TX_BUFS + BUF_STRIDE * i, parts[i]!);
          const last = i === parts.length - 1;
          b.writeBd(TX_RING + 8 * i, { status: L.TXBD_READY | (i === 0 ? L.TXBD_CRC : 0) | (last ? L.TXBD_LAST | L.TXBD_INTERRUPT : 0), length: parts[i]!.length, pointer: TX_BUFS + BUF_STRIDE * i });
        }
        b.w(L.TSTAT, L.TSTAT_THLT0);
        b.settle();
        expect(b.wire.frames.length).toBe(1);
        expect(Buffer.from(b.wire.frames[0]!.bytes).equals(Buffer.from(f))).toBe(true);
        for (let i = 0; i < parts.length; i++) expect(b.readBd(TX_RING + 8 * i).status & L.TXBD_READY).toBe(0);
        expect(b.r(L.TBPTR0)).toBe(TX_RING + 8 * parts.length);
      }),
      { numRuns: 60 },
    );
  });
});
