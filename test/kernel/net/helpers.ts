import { bootBoard, type Board } from '../../../src/board/board.js';
import {
  alloc_etherdev, dev_kfree_skb_any, dev_open, eth_hw_addr_set, eth_type_trans, netdev_alloc_skb, netif_receive_skb, netif_start_queue, register_netdev, skb_put,
} from '../../../src/kernel/net/api.js';
import { NETDEV_TX_OK, type NetDevice } from '../../../src/kernel/net/netdevice.js';
import type { SkBuff } from '../../../src/kernel/net/skbuff.js';
import { copy_from_host, copy_to_host } from '../../../src/kernel/memaccess.js';

export const MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
export const PEER_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
export const IP = [192, 168, 1, 1];
export const PEER_IP = [192, 168, 1, 2];

/** A toy driver whose transmit just records frames (a wire into a test). */
export function toyNetdev(b: Board): { ndev: NetDevice<{ sent: Uint8Array[] }>; sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  const r = b.run(() => {
    const ndev = alloc_etherdev({ sent });
    ndev.netdev_ops = {
      ndo_open: (d) => {
        netif_start_queue(d);
        return 0;
      },
      ndo_start_xmit: (skb, d) => {
        sent.push(copy_to_host(skb.data, skb.len));
        dev_kfree_skb_any(skb);
        void d;
        return NETDEV_TX_OK;
      },
    };
    eth_hw_addr_set(ndev, MAC);
    ndev.ipv4 = Uint8Array.from(IP);
    if (register_netdev(ndev) !== 0) throw new Error('register failed');
    dev_open(ndev);
    return ndev;
  });
  if (!r.ok) throw new Error(r.oops.text);
  return { ndev: r.value as NetDevice<{ sent: Uint8Array[] }>, sent };
}

/** Deliver `frame` as if the driver had received it. */
export function inject(ndev: NetDevice, frame: Uint8Array): void {
  const skb: SkBuff = netdev_alloc_skb(ndev, frame.length)!;
  copy_from_host(skb_put(skb, frame.length), frame);
  skb.protocol = eth_type_trans(skb, ndev);
  netif_receive_skb(skb);
}

export function arpRequest(targetIp: number[]): Uint8Array {
  return Uint8Array.from([
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...PEER_MAC, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, ...PEER_MAC, ...PEER_IP, 0, 0, 0, 0, 0, 0, ...targetIp,
  ]);
}

export function inetChecksum(b: Uint8Array, off: number, len: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < len; i += 2) sum += (b[off + i]! << 8) | b[off + i + 1]!;
  if (len % 2) sum += b[off + len - 1]! << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

export function echoRequest(id: number, seq: number, payload = 32): Uint8Array {
  const total = 20 + 8 + payload;
  const f = new Uint8Array(14 + total);
  f.set(MAC, 0);
  f.set(PEER_MAC, 6);
  f.set([0x08, 0x00], 12);
  f.set([0x45, 0, total >> 8, total & 0xff, 0, 1, 0, 0, 64, 1, 0, 0, ...PEER_IP, ...IP], 14);
  const h = inetChecksum(f, 14, 20);
  f[24] = h >> 8;
  f[25] = h & 0xff;
  f.set([8, 0, 0, 0, id >> 8, id & 0xff, seq >> 8, seq & 0xff], 34);
  for (let i = 0; i < payload; i++) f[42 + i] = i;
  const c = inetChecksum(f, 34, 8 + payload);
  f[36] = c >> 8;
  f[37] = c & 0xff;
  return f;
}

export { bootBoard };
