/**
 * The network-device API as drivers call it: net_device allocation and registration, queue and
 * carrier control, sk_buff helpers with their context rules, receive entry points and NAPI — each
 * acting on the running board's network core.
 */
import { kernelFor } from '../api/kernel-of.js';
import type { Device } from '../device.js';
import type { NapiPoll, NapiStruct } from './napi.js';
import { NetDevice, type LinkStats64 } from './netdevice.js';
import { ETH_ALEN, NET_IP_ALIGN, NET_SKB_PAD, type SkBuff } from './skbuff.js';
import { GFP_ATOMIC } from '../mm/gfp.js';
import { jiffiesAt } from '../time/jiffies.js';

function net(fn: string) {
  return kernelFor(fn).net;
}

/** `alloc_etherdev(sizeof_priv)`: here the private area is the object you pass (`netdev_priv` returns it). */
export function alloc_etherdev<P extends object>(priv: P): NetDevice<P> {
  kernelFor('alloc_etherdev');
  const ndev = new NetDevice(priv);
  return ndev;
}
/** `netdev_priv(ndev)`. */
export function netdev_priv<P extends object>(ndev: NetDevice<P>): P {
  return ndev.priv;
}
/** `SET_NETDEV_DEV(ndev, dev)`. */
export function SET_NETDEV_DEV(ndev: NetDevice, dev: Device): void {
  ndev.parent = dev;
}
/** `eth_hw_addr_set(ndev, addr)`. */
export function eth_hw_addr_set(ndev: NetDevice, addr: Uint8Array | readonly number[]): void {
  if (addr.length !== ETH_ALEN) throw new RangeError(`eth_hw_addr_set: an Ethernet address has ${ETH_ALEN} bytes, got ${addr.length}`);
  ndev.dev_addr.set(addr);
}
/** `eth_hw_addr_random(ndev)`: a random locally administered unicast address (drawn from the board's seed). */
export function eth_hw_addr_random(ndev: NetDevice): void {
  const prng = kernelFor('eth_hw_addr_random').machine.prng;
  for (let i = 0; i < 6; i++) ndev.dev_addr[i] = prng.below(256);
  ndev.dev_addr[0] = (ndev.dev_addr[0]! & 0xfe) | 0x02;
}
/** `is_valid_ether_addr(addr)`: not multicast, not all zeros. */
export function is_valid_ether_addr(addr: Uint8Array | readonly number[]): boolean {
  return addr.length === ETH_ALEN && (addr[0]! & 1) === 0 && Array.from(addr).some((b) => b !== 0);
}
/** `register_netdev(ndev)`: 0 or a negative errno. */
export function register_netdev(ndev: NetDevice): number {
  return net('register_netdev').register(ndev);
}
/** `unregister_netdev(ndev)`. */
export function unregister_netdev(ndev: NetDevice): void {
  net('unregister_netdev').unregister(ndev);
}
/** `free_netdev(ndev)`. */
export function free_netdev(ndev: NetDevice): void {
  if (ndev.registered) kernelFor('free_netdev').log.err(`free_netdev: ${ndev.name} is still registered`);
}
/** `dev_open(ndev)` — what `ip link set dev X up` does. */
export function dev_open(ndev: NetDevice): number {
  return net('dev_open').open(ndev);
}
/** `dev_close(ndev)`. */
export function dev_close(ndev: NetDevice): void {
  net('dev_close').close(ndev);
}
/** `dev_set_mac_address(ndev, addr)`: 0 or a negative errno (-EADDRNOTAVAIL for a bad address). */
export function dev_set_mac_address(ndev: NetDevice, addr: Uint8Array | readonly number[]): number {
  return net('dev_set_mac_address').setMacAddress(ndev, Uint8Array.from(addr));
}
/** `dev_get_stats(ndev)`. */
export function dev_get_stats(ndev: NetDevice): LinkStats64 {
  return net('dev_get_stats').stats(ndev);
}

/** `netif_start_queue(ndev)`. */
export function netif_start_queue(ndev: NetDevice): void {
  ndev.queueStopped = false;
}
/** `netif_stop_queue(ndev)`. */
export function netif_stop_queue(ndev: NetDevice): void {
  ndev.queueStopped = true;
}
/** `netif_wake_queue(ndev)`: restart the queue and let the core send what waited. */
export function netif_wake_queue(ndev: NetDevice): void {
  const was = ndev.queueStopped;
  ndev.queueStopped = false;
  if (was) net('netif_wake_queue').runQueue(ndev);
}
/** `netif_queue_stopped(ndev)`. */
export function netif_queue_stopped(ndev: NetDevice): boolean {
  return ndev.queueStopped;
}
/** `netif_carrier_on(ndev)`. */
export function netif_carrier_on(ndev: NetDevice): void {
  ndev.carrier = true;
}
/** `netif_carrier_off(ndev)`. */
export function netif_carrier_off(ndev: NetDevice): void {
  ndev.carrier = false;
}
/** `netif_carrier_ok(ndev)`. */
export function netif_carrier_ok(ndev: NetDevice): boolean {
  return ndev.carrier;
}
/** `netif_trans_update(ndev)`: note a transmit start for the TX watchdog. */
export function netif_trans_update(ndev: NetDevice): void {
  ndev.trans_start = jiffiesAt(kernelFor('netif_trans_update').machine.now);
}
/** `dev_queue_xmit(skb)`. */
export function dev_queue_xmit(skb: SkBuff): number {
  return net('dev_queue_xmit').queueXmit(skb);
}

/** `alloc_skb(size, gfp)`. */
export function alloc_skb(size: number, gfp: number): SkBuff | null {
  return net('alloc_skb').allocSkb(size, gfp);
}
/** `netdev_alloc_skb(ndev, len)`: NET_SKB_PAD of headroom reserved. */
export function netdev_alloc_skb(ndev: NetDevice, len: number): SkBuff | null {
  const n = net('netdev_alloc_skb');
  const skb = n.allocSkb(len + NET_SKB_PAD, GFP_ATOMIC);
  if (!skb) return null;
  n.reserve(skb, NET_SKB_PAD);
  skb.dev = ndev;
  return skb;
}
/** `netdev_alloc_skb_ip_align(ndev, len)` (NET_IP_ALIGN is 0 on PowerPC). */
export function netdev_alloc_skb_ip_align(ndev: NetDevice, len: number): SkBuff | null {
  const skb = netdev_alloc_skb(ndev, len + NET_IP_ALIGN);
  if (skb && NET_IP_ALIGN) net('netdev_alloc_skb_ip_align').reserve(skb, NET_IP_ALIGN);
  return skb;
}
/** `napi_alloc_skb(napi, len)`. */
export function napi_alloc_skb(napi: NapiStruct, len: number): SkBuff | null {
  return netdev_alloc_skb(napi.dev, len);
}
/** `build_skb(data, frag_size)`: an skb around a buffer the driver allocated with kmalloc. */
export function build_skb(data: number, fragSize: number): SkBuff {
  return net('build_skb').buildSkb(data, fragSize);
}
/** `skb_put(skb, len)`: returns the address to write the new bytes at. */
export function skb_put(skb: SkBuff, len: number): number {
  return net('skb_put').put(skb, len);
}
/** `skb_push(skb, len)`. */
export function skb_push(skb: SkBuff, len: number): number {
  return net('skb_push').push(skb, len);
}
/** `skb_pull(skb, len)`: the new data pointer, or null when the skb is shorter. */
export function skb_pull(skb: SkBuff, len: number): number | null {
  return net('skb_pull').pull(skb, len);
}
/** `skb_reserve(skb, len)`. */
export function skb_reserve(skb: SkBuff, len: number): void {
  net('skb_reserve').reserve(skb, len);
}
/** `skb_headroom(skb)`. */
export function skb_headroom(skb: SkBuff): number {
  return skb.data - skb.head;
}
/** `skb_tailroom(skb)`. */
export function skb_tailroom(skb: SkBuff): number {
  return skb.end - skb.tail;
}
/** `dev_kfree_skb(skb)`: not in hard interrupt context. */
export function dev_kfree_skb(skb: SkBuff | null): void {
  net('dev_kfree_skb').free(skb, 'dev_kfree_skb');
}
/** `dev_kfree_skb_irq(skb)`: from hard interrupt context. */
export function dev_kfree_skb_irq(skb: SkBuff | null): void {
  net('dev_kfree_skb_irq').free(skb, 'dev_kfree_skb_irq');
}
/** `dev_kfree_skb_any(skb)`: from any context. */
export function dev_kfree_skb_any(skb: SkBuff | null): void {
  net('dev_kfree_skb_any').free(skb, 'dev_kfree_skb_any');
}
/** `kfree_skb(skb)`: a drop. */
export function kfree_skb(skb: SkBuff | null): void {
  net('kfree_skb').free(skb, 'kfree_skb');
}
/** `consume_skb(skb)`: a normal end of life. */
export function consume_skb(skb: SkBuff | null): void {
  net('consume_skb').free(skb, 'consume_skb');
}
/** `napi_consume_skb(skb, budget)`. */
export function napi_consume_skb(skb: SkBuff | null, _budget: number): void {
  net('napi_consume_skb').free(skb, 'napi_consume_skb');
}
/** `eth_type_trans(skb, ndev)`: returns the protocol. */
export function eth_type_trans(skb: SkBuff, ndev: NetDevice): number {
  return net('eth_type_trans').ethTypeTrans(skb, ndev);
}
/** `netif_receive_skb(skb)`. */
export function netif_receive_skb(skb: SkBuff): number {
  return net('netif_receive_skb').receive(skb);
}
/** `napi_gro_receive(napi, skb)` (no GRO: delivered as is). */
export function napi_gro_receive(_napi: NapiStruct, skb: SkBuff): number {
  return net('napi_gro_receive').receive(skb);
}

/** `netif_napi_add(ndev, napi, poll)`: here it returns the napi_struct. */
export function netif_napi_add(ndev: NetDevice, poll: NapiPoll): NapiStruct {
  return kernelFor('netif_napi_add').napi.add(ndev, poll);
}
/** `netif_napi_add_weight(ndev, napi, poll, weight)`. */
export function netif_napi_add_weight(ndev: NetDevice, poll: NapiPoll, weight: number): NapiStruct {
  return kernelFor('netif_napi_add_weight').napi.add(ndev, poll, weight);
}
/** `netif_napi_del(napi)`. */
export function netif_napi_del(_napi: NapiStruct): void {}
/** `napi_enable(napi)`. */
export function napi_enable(napi: NapiStruct): void {
  kernelFor('napi_enable').napi.enable(napi);
}
/** `napi_disable(napi)`. */
export function napi_disable(napi: NapiStruct): void {
  kernelFor('napi_disable').napi.disable(napi);
}
/** `napi_schedule_prep(napi)`. */
export function napi_schedule_prep(napi: NapiStruct): boolean {
  return kernelFor('napi_schedule_prep').napi.schedulePrep(napi);
}
/** `__napi_schedule(napi)`. */
export function __napi_schedule(napi: NapiStruct): void {
  kernelFor('__napi_schedule').napi.scheduleNow(napi);
}
/** `napi_schedule(napi)`. */
export function napi_schedule(napi: NapiStruct): boolean {
  return kernelFor('napi_schedule').napi.schedule(napi);
}
/** `napi_complete_done(napi, work_done)`: false means do not re-enable interrupts. */
export function napi_complete_done(napi: NapiStruct, workDone: number): boolean {
  return kernelFor('napi_complete_done').napi.completeDone(napi, workDone);
}
