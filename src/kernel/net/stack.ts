/**
 * A minimal host stack so traffic has somewhere to go: it answers ARP requests and ICMP echo
 * requests for each interface's IPv4 address, hands every received frame to raw hooks (tests),
 * and frees the skb. No routing, no sockets, no TCP/UDP.
 */
import type { Kernel } from '../kernel.js';
import { GFP_ATOMIC } from '../mm/gfp.js';
import type { NetCore } from './core.js';
import type { NetDevice } from './netdevice.js';
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP, NET_SKB_PAD, PACKET_OTHERHOST, type SkBuff } from './skbuff.js';

/** A raw receive hook: the device and the frame (Ethernet header included), copied out. */
export type RawHook = (ndev: NetDevice, frame: Uint8Array) => void;

/** Counters of the host stack. */
export interface StackCounters {
  received: number;
  arpRequests: number;
  arpReplies: number;
  echoRequests: number;
  echoReplies: number;
  otherHost: number;
  unhandled: number;
}

/** The host stack. */
export class HostStack {
  readonly counters: StackCounters = { received: 0, arpRequests: 0, arpReplies: 0, echoRequests: 0, echoReplies: 0, otherHost: 0, unhandled: 0 };
  private readonly hooks: RawHook[] = [];

  constructor(
    private readonly k: Kernel,
    private readonly core: NetCore,
  ) {}

  /** Add a raw hook; returns a function that removes it. */
  addRawHook(hook: RawHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** Take a received skb (data at the network header, as after eth_type_trans) and free it. */
  deliver(skb: SkBuff): void {
    const ndev = skb.dev!;
    const macStart = skb.head + (skb.mac_header >= 0 ? skb.mac_header : skb.data - skb.head - ETH_HLEN);
    const frame = new Uint8Array(skb.data + skb.len - macStart);
    this.k.machine.cpu.read(macStart, frame);
    this.counters.received++;
    for (const h of this.hooks) h(ndev, frame);
    if (skb.pkt_type === PACKET_OTHERHOST) this.counters.otherHost++;
    else if (skb.protocol === ETH_P_ARP) this.arp(ndev, frame);
    else if (skb.protocol === ETH_P_IP) this.ipv4(ndev, frame);
    else this.counters.unhandled++;
    this.core.free(skb, 'consume_skb');
  }

  private arp(ndev: NetDevice, f: Uint8Array): void {
    if (f.length < 42 || be16(f, 20) !== 1 || !ndev.ipv4) return void this.counters.unhandled++;
    this.counters.arpRequests++;
    if (!eq(f.subarray(38, 42), ndev.ipv4)) return;
    const r = new Uint8Array(42);
    r.set(f.subarray(6, 12), 0); // to the requester
    r.set(ndev.dev_addr, 6);
    r.set([0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02], 12);
    r.set(ndev.dev_addr, 22);
    r.set(ndev.ipv4, 28);
    r.set(f.subarray(22, 28), 32);
    r.set(f.subarray(28, 32), 38);
    if (this.send(ndev, r)) this.counters.arpReplies++;
  }

  private ipv4(ndev: NetDevice, f: Uint8Array): void {
    if (f.length < 34 || f[14]! >> 4 !== 4 || !ndev.ipv4) return void this.counters.unhandled++;
    const ihl = (f[14]! & 0xf) * 4;
    const total = be16(f, 16);
    if (!eq(f.subarray(30, 34), ndev.ipv4) || f[23] !== 1 || 14 + total > f.length) return void this.counters.unhandled++;
    const icmp = 14 + ihl;
    if (f[icmp] !== 8) return void this.counters.unhandled++;
    this.counters.echoRequests++;
    const r = f.slice(0, 14 + total);
    r.set(f.subarray(6, 12), 0);
    r.set(ndev.dev_addr, 6);
    r.set(f.subarray(30, 34), 26); // src = our address
    r.set(f.subarray(26, 30), 30); // dst = the sender
    r[22] = 64; // TTL
    r[24] = 0;
    r[25] = 0;
    const hsum = checksum(r, 14, ihl);
    r[24] = hsum >> 8;
    r[25] = hsum & 0xff;
    r[icmp] = 0; // echo reply
    r[icmp + 2] = 0;
    r[icmp + 3] = 0;
    const csum = checksum(r, icmp, total - ihl);
    r[icmp + 2] = csum >> 8;
    r[icmp + 3] = csum & 0xff;
    if (this.send(ndev, r)) this.counters.echoReplies++;
  }

  /** Build an skb holding `frame` and queue it for transmission on `ndev`. */
  send(ndev: NetDevice, frame: Uint8Array): boolean {
    const skb = this.core.allocSkb(frame.length + NET_SKB_PAD, GFP_ATOMIC);
    if (!skb) return false;
    this.core.reserve(skb, NET_SKB_PAD);
    const p = this.core.put(skb, frame.length);
    this.k.machine.cpu.write(p, frame);
    skb.dev = ndev;
    return this.core.queueXmit(skb) === 0;
  }
}

function be16(b: Uint8Array, off: number): number {
  return (b[off]! << 8) | b[off + 1]!;
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The Internet checksum of b[off, off+len). */
export function checksum(b: Uint8Array, off: number, len: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < len; i += 2) sum += (b[off + i]! << 8) | b[off + i + 1]!;
  if (len % 2) sum += b[off + len - 1]! << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}
