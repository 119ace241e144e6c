/**
 * The network core of one kernel: socket-buffer allocation and freeing (with Linux's context
 * rules and skb_over/under_panic), net_device registration and up/down, the transmit path
 * (dev_queue_xmit through a small FIFO qdisc into ndo_start_xmit, requeueing on
 * NETDEV_TX_BUSY and when the driver stops the queue) and the receive path into the host stack.
 */
import type { Kernel } from '../kernel.js';
import { HZ, jiffiesAt, time_after } from '../time/jiffies.js';
import { timer_list } from '../time/timers.js';
import { NETDEV_TX_BUSY, NETDEV_TX_OK, type LinkStats64, type NetDevice } from './netdevice.js';
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP, PACKET_BROADCAST, PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST, SkBuff } from './skbuff.js';
import { HostStack } from './stack.js';

/** `txqueuelen` of the FIFO qdisc. */
export const TX_QUEUE_LEN = 1000;

/** Why the core dropped a packet, for accounting. */
export type DropReason = 'qdisc-full' | 'carrier-down' | 'device-down' | 'not-for-us' | 'unknown-protocol';

/** The network core. */
export class NetCore {
  /** Registered devices by name. */
  readonly devices = new Map<string, NetDevice>();
  /** The host stack (ARP, ICMP echo, raw hook). */
  readonly stack: HostStack;
  /** Live skbs (allocated, not freed) with their owner tag. */
  readonly liveSkbs = new Map<SkBuff, string>();
  /** Packets the core dropped, by reason. */
  readonly drops: Record<DropReason, number> = { 'qdisc-full': 0, 'carrier-down': 0, 'device-down': 0, 'not-for-us': 0, 'unknown-protocol': 0 };
  private readonly qdisc = new Map<NetDevice, SkBuff[]>();
  private readonly watchdogs = new Map<NetDevice, timer_list>();
  private nextSkbId = 1;
  private nextIfIndex = 0;

  constructor(private readonly k: Kernel) {
    this.stack = new HostStack(k, this);
  }

  // ---- sk_buff ------------------------------------------------------------------------------

  /** `alloc_skb(size, gfp)`: an skb with `size` bytes of room, or null. */
  allocSkb(size: number, gfp: number): SkBuff | null {
    const buf = this.k.mm.kmalloc(Math.max(size, 1), gfp, this.k.owner);
    if (buf === null) return null;
    const skb = new SkBuff(this.nextSkbId++, buf, size, 'kmalloc');
    this.liveSkbs.set(skb, this.k.owner);
    return skb;
  }

  /** `build_skb(data, frag_size)`: wrap a buffer the driver already has (it is freed with the skb). */
  buildSkb(data: number, size: number): SkBuff {
    const skb = new SkBuff(this.nextSkbId++, data, size, 'external');
    this.liveSkbs.set(skb, this.k.owner);
    return skb;
  }

  /** `skb_put(skb, len)`: extend the data at the tail; returns the old tail. */
  put(skb: SkBuff, len: number): number {
    this.checkLive(skb, 'skb_put');
    const old = skb.tail;
    if (old + len > skb.end) throw this.panic('skb_over_panic', skb, len, 'skb_put');
    skb.tail += len;
    skb.len += len;
    return old;
  }

  /** `skb_push(skb, len)`: extend the data at the head; returns the new data pointer. */
  push(skb: SkBuff, len: number): number {
    this.checkLive(skb, 'skb_push');
    if (skb.data - len < skb.head) throw this.panic('skb_under_panic', skb, len, 'skb_push');
    skb.data -= len;
    skb.len += len;
    return skb.data;
  }

  /** `skb_pull(skb, len)`: drop bytes from the head; returns the new data pointer, or null if too short. */
  pull(skb: SkBuff, len: number): number | null {
    this.checkLive(skb, 'skb_pull');
    if (len > skb.len) return null;
    skb.data += len;
    skb.len -= len;
    return skb.data;
  }

  /** `skb_reserve(skb, len)`: headroom on an empty skb. */
  reserve(skb: SkBuff, len: number): void {
    this.checkLive(skb, 'skb_reserve');
    if (skb.tail + len > skb.end) throw this.panic('skb_over_panic', skb, len, 'skb_reserve');
    skb.data += len;
    skb.tail += len;
  }

  /**
   * Free an skb. `how` is the API used: plain kfree_skb/consume_skb/dev_kfree_skb must not run in
   * hard interrupt context or with interrupts off; the _irq variant must; _any works anywhere.
   */
  free(skb: SkBuff | null, how: 'dev_kfree_skb' | 'dev_kfree_skb_irq' | 'dev_kfree_skb_any' | 'kfree_skb' | 'consume_skb' | 'napi_consume_skb'): void {
    if (skb === null) return;
    const ctx = this.k.ctx;
    if (skb.freed) {
      this.k.reporter.report({
        kind: 'bug',
        id: 'net.skb-double-free',
        title: `${how}() of skb ${skb.id} that was already freed`,
        body: [`skb head ${hex(skb.head)} len ${skb.len}: a second free would corrupt the slab (use after free of the skb).`],
        details: { skb: skb.id, how },
      });
      return;
    }
    if ((how === 'dev_kfree_skb' || how === 'kfree_skb' || how === 'consume_skb') && (ctx.inHardirq() || ctx.irqsDisabled)) {
      this.k.reporter.report({
        kind: 'check',
        id: 'net.kfree-skb-context',
        title: `${how}() called ${ctx.inHardirq() ? 'in hard interrupt context' : 'with interrupts disabled'}`,
        body: ['Freeing an skb runs its destructor and may need softirqs; in hardirq context or with IRQs off use dev_kfree_skb_irq() or dev_kfree_skb_any().'],
        details: { skb: skb.id, how },
      });
    }
    if (how === 'dev_kfree_skb_irq' && !ctx.inInterrupt() && !ctx.irqsDisabled) {
      // Legal but unusual: it defers the free to the NET_TX softirq. Nothing to report.
    }
    skb.freed = true;
    this.liveSkbs.delete(skb);
    this.k.mm.kfree(skb.head, this.k.owner);
  }

  // ---- net_device ---------------------------------------------------------------------------

  /** `register_netdev`: name it, list it. Returns 0 or a negative errno. */
  register(ndev: NetDevice): number {
    if (!ndev.netdev_ops || typeof ndev.netdev_ops.ndo_start_xmit !== 'function') {
      this.k.log.err(`register_netdev: ${ndev.name} has no netdev_ops->ndo_start_xmit`);
      return -22;
    }
    if (ndev.name.includes('%d')) {
      let i = 0;
      while (this.devices.has(ndev.name.replace('%d', String(i)))) i++;
      ndev.name = ndev.name.replace('%d', String(i));
    }
    if (this.devices.has(ndev.name)) return -17;
    ndev.registered = true;
    this.nextIfIndex++;
    this.devices.set(ndev.name, ndev);
    return 0;
  }

  /** `unregister_netdev`: brings the device down first. */
  unregister(ndev: NetDevice): void {
    if (!ndev.registered) return;
    if (ndev.up) this.close(ndev);
    this.devices.delete(ndev.name);
    ndev.registered = false;
  }

  /** `dev_open` (`ip link set dev up`). */
  open(ndev: NetDevice): number {
    if (ndev.up) return 0;
    const rc = ndev.netdev_ops?.ndo_open?.(ndev) ?? 0;
    if (rc === 0) {
      ndev.up = true;
      this.startWatchdog(ndev);
    }
    return rc;
  }

  /** The TX watchdog (`dev_watchdog`): a timer every watchdog_timeo while the device is up. */
  private startWatchdog(ndev: NetDevice): void {
    if (!ndev.netdev_ops?.ndo_tx_timeout) return;
    let t = this.watchdogs.get(ndev);
    if (!t) {
      t = new timer_list();
      t.function = () => this.watchdog(ndev);
      this.watchdogs.set(ndev, t);
    }
    this.k.time.timers.mod(t, (jiffiesAt(this.k.machine.now) + this.timeo(ndev)) >>> 0);
  }

  private timeo(ndev: NetDevice): number {
    return ndev.watchdog_timeo > 0 ? ndev.watchdog_timeo : 5 * HZ;
  }

  /**
   * `dev_watchdog`: with the carrier up, a queue the driver stopped and no transmit started for
   * watchdog_timeo, the core WARNs "NETDEV WATCHDOG: … transmit queue 0 timed out" and calls
   * ndo_tx_timeout (in timer softirq context).
   */
  private watchdog(ndev: NetDevice): void {
    if (!ndev.up) return;
    const now = jiffiesAt(this.k.machine.now);
    const timeo = this.timeo(ndev);
    if (ndev.carrier && ndev.queueStopped && time_after(now, (ndev.trans_start + timeo) >>> 0)) {
      ndev.txTimeouts++;
      const drv = ndev.parent?.driverString ?? 'net';
      this.k.reporter.warn({
        id: 'net.tx-timeout',
        title: `NETDEV WATCHDOG: ${ndev.name} (${drv}): transmit queue 0 timed out ${((now - ndev.trans_start) >>> 0) * (1000 / HZ)} ms`,
        site: { file: 'net/sched/sch_generic.c', line: 525 },
        ...(ndev.parent ? { driver: drv, device: ndev.parent.name } : {}),
        details: { dev: ndev.name },
      });
      ndev.netdev_ops?.ndo_tx_timeout?.(ndev, 0);
      ndev.trans_start = now;
    }
    if (ndev.up) this.k.time.timers.mod(this.watchdogs.get(ndev)!, (now + timeo) >>> 0);
  }

  /** `dev_close`. */
  close(ndev: NetDevice): void {
    if (!ndev.up) return;
    const wd = this.watchdogs.get(ndev);
    if (wd) this.k.time.timers.detach(wd);
    ndev.netdev_ops?.ndo_stop?.(ndev);
    ndev.up = false;
    const q = this.qdisc.get(ndev);
    if (q) for (const skb of q.splice(0)) this.free(skb, 'kfree_skb');
  }

  /**
   * `dev_set_mac_address` (`ip link set dev X address …`): a unicast, non-zero address, handed to
   * ndo_set_mac_address (which programs the hardware) or set directly when the driver has none.
   * Returns 0 or a negative errno.
   */
  setMacAddress(ndev: NetDevice, addr: Uint8Array): number {
    if (addr.length !== 6 || (addr[0]! & 1) !== 0 || addr.every((b) => b === 0)) return -99; // -EADDRNOTAVAIL
    const op = ndev.netdev_ops?.ndo_set_mac_address;
    if (op) return op(ndev, addr);
    ndev.dev_addr.set(addr);
    return 0;
  }

  /** Statistics as `ip -s link` reads them (ndo_get_stats64, else dev->stats). */
  stats(ndev: NetDevice): LinkStats64 {
    if (ndev.netdev_ops?.ndo_get_stats64) {
      const s = { ...ndev.stats };
      ndev.netdev_ops.ndo_get_stats64(ndev, s);
      return s;
    }
    return { ...ndev.stats };
  }

  // ---- transmit -----------------------------------------------------------------------------

  /** `dev_queue_xmit(skb)`: queue and try to send. Returns NET_XMIT_SUCCESS (0) or a drop code (1). */
  queueXmit(skb: SkBuff): number {
    const ndev = skb.dev;
    if (!ndev || !ndev.up) {
      this.drops['device-down']++;
      this.free(skb, 'kfree_skb');
      return 1;
    }
    let q = this.qdisc.get(ndev);
    if (!q) this.qdisc.set(ndev, (q = []));
    if (q.length >= TX_QUEUE_LEN) {
      this.drops['qdisc-full']++;
      ndev.stats.tx_dropped++;
      this.free(skb, 'kfree_skb');
      return 1;
    }
    q.push(skb);
    this.runQueue(ndev);
    return 0;
  }

  /** `qdisc_run`: hand queued packets to the driver while its queue is awake. */
  runQueue(ndev: NetDevice): void {
    const q = this.qdisc.get(ndev);
    if (!q) return;
    const ctx = this.k.ctx;
    while (q.length > 0 && !ndev.queueStopped && ndev.up) {
      const skb = q[0]!;
      // HARD_TX_LOCK with bottom halves disabled, as __dev_queue_xmit runs the driver.
      ctx.preemptCount += 0x200;
      let rc: number;
      try {
        rc = ndev.netdev_ops!.ndo_start_xmit(skb, ndev);
      } finally {
        ctx.preemptCount -= 0x200;
      }
      if (rc === NETDEV_TX_BUSY) {
        if (!ndev.queueStopped) {
          this.k.reporter.report({
            kind: 'check',
            id: 'net.tx-busy-queue-awake',
            title: `${ndev.name}: ndo_start_xmit returned NETDEV_TX_BUSY with the queue awake`,
            body: ['The driver must stop the queue (netif_stop_queue) before its ring is full, so the core never hands it a packet it cannot take.'],
            details: { dev: ndev.name },
          });
          return; // the packet stays queued; the core retries at the next run
        }
        return;
      }
      q.shift();
      if (rc !== NETDEV_TX_OK) this.k.log.warn(`${ndev.name}: ndo_start_xmit returned ${rc}`);
    }
  }

  // ---- receive ------------------------------------------------------------------------------

  /** `eth_type_trans(skb, dev)`: classify, pull the Ethernet header, return the protocol. */
  ethTypeTrans(skb: SkBuff, ndev: NetDevice): number {
    this.checkLive(skb, 'eth_type_trans');
    const cpu = this.k.machine.cpu;
    skb.dev = ndev;
    skb.mac_header = skb.data - skb.head;
    const first = cpu.load8(skb.data);
    let own = true;
    for (let i = 0; i < 6; i++) if (cpu.load8(skb.data + i) !== ndev.dev_addr[i]) own = false;
    if (first & 1) {
      let bcast = true;
      for (let i = 0; i < 6; i++) if (cpu.load8(skb.data + i) !== 0xff) bcast = false;
      skb.pkt_type = bcast ? PACKET_BROADCAST : PACKET_MULTICAST;
    } else skb.pkt_type = own ? PACKET_HOST : PACKET_OTHERHOST;
    skb.protocol = cpu.load16(skb.data + 12);
    this.pull(skb, ETH_HLEN);
    return skb.protocol;
  }

  /** `netif_receive_skb(skb)`: deliver to the host stack (which frees it). */
  receive(skb: SkBuff): number {
    this.checkLive(skb, 'netif_receive_skb');
    const ndev = skb.dev;
    if (!ndev) {
      this.free(skb, 'kfree_skb');
      return 1;
    }
    if (skb.pkt_type === PACKET_OTHERHOST) {
      this.drops['not-for-us']++;
      this.stack.deliver(skb);
      return 1;
    }
    if (skb.protocol !== ETH_P_ARP && skb.protocol !== ETH_P_IP) this.drops['unknown-protocol']++;
    this.stack.deliver(skb);
    return 0;
  }

  private checkLive(skb: SkBuff, fn: string): void {
    if (!skb || !(skb instanceof SkBuff)) throw new TypeError(`${fn}: skb must be an sk_buff`);
    if (skb.freed) {
      throw this.k.reporter.bug({ id: 'net.skb-use-after-free', site: { file: 'net/core/skbuff.c', line: 120 }, body: [`${fn}() on skb ${skb.id}, which was already freed`] });
    }
  }

  private panic(kind: 'skb_over_panic' | 'skb_under_panic', skb: SkBuff, len: number, fn: string) {
    return this.k.reporter.bug({
      id: `net.${kind.replace(/_/g, '-')}`,
      site: { file: 'net/core/skbuff.c', line: kind === 'skb_over_panic' ? 200 : 205 },
      body: [
        `skbuff: ${kind}: text:${fn} len:${skb.len} put:${len} head:${hex(skb.head)} data:${hex(skb.data)} tail:0x${(skb.tail - skb.head).toString(16)} end:0x${(skb.end - skb.head).toString(16)} dev:${skb.dev?.name ?? '<NULL>'}`,
      ],
      details: { skb: skb.id, len },
    });
  }
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

