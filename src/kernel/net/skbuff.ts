/**
 * `struct sk_buff` with its data in simulated RAM: head/data/tail/end are kernel virtual
 * addresses of a kmalloc'd (or driver-supplied, for build_skb) buffer, so a driver's memcpy into
 * `skb_put()` goes through the CPU and its cache like on the board. Paged fragments, clones and
 * shared buffers are not modelled; the metadata lives in JavaScript, not in RAM.
 */
import type { NetDevice } from './netdevice.js';

/** `NET_SKB_PAD`: headroom netdev_alloc_skb reserves (max(32, L1_CACHE_BYTES)). */
export const NET_SKB_PAD = 32;
/** `NET_IP_ALIGN`: 0 on PowerPC (unaligned loads are cheap there), as Linux defines it. */
export const NET_IP_ALIGN = 0;
/** `ETH_HLEN`. */
export const ETH_HLEN = 14;
/** `ETH_ALEN`. */
export const ETH_ALEN = 6;
/** `ETH_FCS_LEN`. */
export const ETH_FCS_LEN = 4;
/** `ETH_ZLEN`: minimum frame length without FCS. */
export const ETH_ZLEN = 60;
/** `ETH_P_IP`. */
export const ETH_P_IP = 0x0800;
/** `ETH_P_ARP`. */
export const ETH_P_ARP = 0x0806;
/** `ETH_P_IPV6`. */
export const ETH_P_IPV6 = 0x86dd;
/** `PACKET_HOST`: addressed to us. */
export const PACKET_HOST = 0;
/** `PACKET_BROADCAST`. */
export const PACKET_BROADCAST = 1;
/** `PACKET_MULTICAST`. */
export const PACKET_MULTICAST = 2;
/** `PACKET_OTHERHOST`: not for us (promiscuous). */
export const PACKET_OTHERHOST = 3;

/** How the skb's buffer was obtained (what freeing it must do). */
export type SkbBufferKind = 'kmalloc' | 'external';

/** A socket buffer. */
export class SkBuff {
  /** Start of the buffer. */
  head: number;
  /** Start of the data. */
  data: number;
  /** End of the data. */
  tail: number;
  /** End of the buffer. */
  end: number;
  /** Bytes of data (`tail - data`; no fragments). */
  len = 0;
  /** `skb->protocol` (host order), set by eth_type_trans. */
  protocol = 0;
  /** `skb->pkt_type`. */
  pkt_type = PACKET_HOST;
  /** The device it arrived on or leaves from. */
  dev: NetDevice | null = null;
  /** `skb->queue_mapping`. */
  queue_mapping = 0;
  /** `skb->ip_summed`. */
  ip_summed = 0;
  /** Offset of the MAC header from head (-1 when unset). */
  mac_header = -1;
  /** Driver scratch (`skb->cb`). */
  readonly cb: Record<string, unknown> = {};
  /** Set once freed; a second free or use is reported. */
  freed = false;
  /** Where the buffer came from. */
  readonly bufferKind: SkbBufferKind;
  /** Unique id (for reports and tracking). */
  readonly id: number;

  /** @internal use alloc_skb / build_skb */
  constructor(id: number, head: number, size: number, kind: SkbBufferKind) {
    this.id = id;
    this.head = head;
    this.data = head;
    this.tail = head;
    this.end = head + size;
    this.bufferKind = kind;
  }
}
