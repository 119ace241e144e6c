/** Ethernet/IPv4 frames a traffic peer sends in the main job: ARP requests and ICMP echo requests. */
import { checksum } from '../kernel/net/stack.js';

/** An ARP request for `targetIp`, from `mac`/`ip`. */
export function arpRequest(mac: Uint8Array, ip: Uint8Array, targetIp: Uint8Array): Uint8Array {
  const f = new Uint8Array(60); // padded to ETH_ZLEN, as a real sender does
  f.fill(0xff, 0, 6);
  f.set(mac, 6);
  f.set([0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01], 12);
  f.set(mac, 22);
  f.set(ip, 28);
  f.set(targetIp, 38);
  return f;
}

/** An ICMP echo request of `payload` bytes from (srcMac, srcIp) to (dstMac, dstIp). */
export function echoRequest(srcMac: Uint8Array, srcIp: Uint8Array, dstMac: Uint8Array, dstIp: Uint8Array, id: number, seq: number, payload: number): Uint8Array {
  const total = 20 + 8 + payload;
  const f = new Uint8Array(14 + total);
  f.set(dstMac, 0);
  f.set(srcMac, 6);
  f.set([0x08, 0x00], 12);
  f.set([0x45, 0, total >> 8, total & 0xff, (seq >> 8) & 0xff, seq & 0xff, 0, 0, 64, 1, 0, 0], 14);
  f.set(srcIp, 26);
  f.set(dstIp, 30);
  const h = checksum(f, 14, 20);
  f[24] = h >> 8;
  f[25] = h & 0xff;
  f.set([8, 0, 0, 0, id >> 8, id & 0xff, (seq >> 8) & 0xff, seq & 0xff], 34);
  for (let i = 0; i < payload; i++) f[42 + i] = (seq + i) & 0xff;
  const c = checksum(f, 34, 8 + payload);
  f[36] = c >> 8;
  f[37] = c & 0xff;
  return f;
}

/** True when `f` is an ICMP echo reply (type 0) with a valid IPv4 and ICMP checksum. */
export function isEchoReply(f: Uint8Array): boolean {
  if (f.length < 42 || f[12] !== 0x08 || f[13] !== 0x00 || f[23] !== 1 || f[34] !== 0) return false;
  const ihl = (f[14]! & 0xf) * 4;
  const total = (f[16]! << 8) | f[17]!;
  return checksum(f, 14, ihl) === 0 && checksum(f, 14 + ihl, total - ihl) === 0;
}
