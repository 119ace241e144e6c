import { describe, it, expect } from 'vitest';
import {
  alloc_skb, dev_kfree_skb, dev_kfree_skb_any, dev_kfree_skb_irq, dev_queue_xmit, netif_stop_queue, netif_wake_queue, skb_headroom, skb_pull, skb_push, skb_put, skb_reserve, skb_tailroom,
} from '../../../src/kernel/net/api.js';
import { NETDEV_TX_BUSY } from '../../../src/kernel/net/netdevice.js';
import { HARDIRQ_OFFSET } from '../../../src/kernel/context.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { arpRequest, bootBoard, echoRequest, inetChecksum, inject, IP, MAC, PEER_IP, PEER_MAC, toyNetdev } from './helpers.js';

describe('sk_buff', () => {
  it('put, push, pull and reserve move data/tail within the buffer', () => {
    const b = bootBoard();
    const r = b.run(() => {
      const skb = alloc_skb(256, GFP_KERNEL)!;
      skb_reserve(skb, 32);
      const a = skb_put(skb, 100);
      const h = skb_push(skb, 14);
      const p = skb_pull(skb, 14);
      const out = { a, h, p, head: skb.head, headroom: skb_headroom(skb), tailroom: skb_tailroom(skb), len: skb.len, short: skb_pull(skb, 1000) };
      dev_kfree_skb(skb);
      return out;
    });
    if (!r.ok) throw new Error(r.oops.text);
    expect(r.value.a).toBe(r.value.head + 32);
    expect(r.value.h).toBe(r.value.head + 18);
    expect(r.value.p).toBe(r.value.head + 32);
    expect(r.value).toMatchObject({ headroom: 32, tailroom: 124, len: 100, short: null });
    expect(b.reports).toEqual([]);
    expect(b.kernel.net.liveSkbs.size).toBe(0);
  });

  it('skb_put past the end is skb_over_panic, a kernel BUG with Linux\'s text', () => {
    const b = bootBoard();
    const r = b.run(() => {
      const skb = alloc_skb(64, GFP_KERNEL)!;
      skb_put(skb, 65);
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.oops.id).toBe('net.skb-over-panic');
      expect(r.oops.text).toMatch(/kernel BUG at net\/core\/skbuff\.c:\d+!/);
      expect(r.oops.text).toMatch(/skbuff: skb_over_panic: text:skb_put len:0 put:65 head:[0-9a-f]{8} data:[0-9a-f]{8} tail:0x0 end:0x40 dev:<NULL>/);
    }
  });

  it('skb_push below the head is skb_under_panic', () => {
    const b = bootBoard();
    const r = b.run(() => skb_push(alloc_skb(64, GFP_KERNEL)!, 1));
    expect(!r.ok && r.oops.id).toBe('net.skb-under-panic');
  });

  it('dev_kfree_skb in hard interrupt context is reported; the _irq and _any variants are not', () => {
    const b = bootBoard();
    b.run(() => {
      b.kernel.ctx.preemptCount += HARDIRQ_OFFSET;
      try {
        dev_kfree_skb_irq(alloc_skb(64, GFP_KERNEL));
        dev_kfree_skb_any(alloc_skb(64, GFP_KERNEL));
        expect(b.reports).toEqual([]);
        dev_kfree_skb(alloc_skb(64, GFP_KERNEL));
      } finally {
        b.kernel.ctx.preemptCount -= HARDIRQ_OFFSET;
      }
    });
    expect(b.reports.map((r) => r.id)).toEqual(['net.kfree-skb-context']);
    expect(b.reports[0]!.title).toMatch(/dev_kfree_skb\(\) called in hard interrupt context/);
  });

  it('freeing an skb twice is reported, not a crash', () => {
    const b = bootBoard();
    b.run(() => {
      const skb = alloc_skb(64, GFP_KERNEL)!;
      dev_kfree_skb(skb);
      dev_kfree_skb(skb);
    });
    expect(b.reports.map((r) => r.id)).toEqual(['net.skb-double-free']);
  });
});

describe('host stack', () => {
  it('answers an ARP request for its address with a correct reply', () => {
    const b = bootBoard();
    const { ndev, sent } = toyNetdev(b);
    b.run(() => inject(ndev, arpRequest(IP)));
    expect(sent).toHaveLength(1);
    const f = sent[0]!;
    expect(Array.from(f.subarray(0, 6))).toEqual(PEER_MAC);
    expect(Array.from(f.subarray(6, 12))).toEqual(MAC);
    expect(Array.from(f.subarray(12, 14))).toEqual([0x08, 0x06]);
    expect(f[21]).toBe(2); // reply
    expect(Array.from(f.subarray(28, 32))).toEqual(IP);
    expect(Array.from(f.subarray(38, 42))).toEqual(PEER_IP);
    expect(b.kernel.net.stack.counters).toMatchObject({ arpRequests: 1, arpReplies: 1 });
  });

  it('ignores ARP requests for another address', () => {
    const b = bootBoard();
    const { ndev, sent } = toyNetdev(b);
    b.run(() => inject(ndev, arpRequest([10, 0, 0, 9])));
    expect(sent).toHaveLength(0);
  });

  it('answers ICMP echo with valid checksums and the same payload', () => {
    const b = bootBoard();
    const { ndev, sent } = toyNetdev(b);
    b.run(() => inject(ndev, echoRequest(0x1234, 7, 56)));
    expect(sent).toHaveLength(1);
    const f = sent[0]!;
    expect(f[34]).toBe(0); // echo reply
    expect(Array.from(f.subarray(26, 30))).toEqual(IP);
    expect(Array.from(f.subarray(30, 34))).toEqual(PEER_IP);
    expect(inetChecksum(f, 14, 20)).toBe(0);
    expect(inetChecksum(f, 34, f.length - 34)).toBe(0);
    expect(f.subarray(42)).toEqual(echoRequest(0x1234, 7, 56).subarray(42));
    expect(b.kernel.net.liveSkbs.size).toBe(0);
  });
});

describe('transmit path', () => {
  it('holds packets while the queue is stopped and sends them when woken', () => {
    const b = bootBoard();
    const { ndev, sent } = toyNetdev(b);
    b.run(() => {
      netif_stop_queue(ndev);
      for (let i = 0; i < 3; i++) {
        const skb = alloc_skb(60, GFP_KERNEL)!;
        skb_put(skb, 60);
        skb.dev = ndev;
        dev_queue_xmit(skb);
      }
      expect(sent).toHaveLength(0);
      netif_wake_queue(ndev);
    });
    expect(sent).toHaveLength(3);
    expect(b.reports).toEqual([]);
  });

  it('reports NETDEV_TX_BUSY returned with the queue awake', () => {
    const b = bootBoard();
    const { ndev } = toyNetdev(b);
    ndev.netdev_ops = { ...ndev.netdev_ops!, ndo_start_xmit: () => NETDEV_TX_BUSY };
    b.run(() => {
      const skb = alloc_skb(60, GFP_KERNEL)!;
      skb_put(skb, 60);
      skb.dev = ndev;
      dev_queue_xmit(skb);
    });
    expect(b.reports.map((r) => r.id)).toEqual(['net.tx-busy-queue-awake']);
  });
});
