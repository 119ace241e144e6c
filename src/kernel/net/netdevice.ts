/**
 * `struct net_device` and `struct net_device_ops`: a driver allocates one with alloc_etherdev,
 * keeps its private state in `netdev_priv()` (a plain object here), fills in the ops and
 * registers it. Queue state, carrier, statistics and the TX watchdog fields live here; the core
 * that moves packets is in core.ts.
 */
import type { Device } from '../device.js';
import type { SkBuff } from './skbuff.js';

/** `NETDEV_TX_OK`. */
export const NETDEV_TX_OK = 0x00;
/** `NETDEV_TX_BUSY`: the driver could not take the packet; the core requeues it. */
export const NETDEV_TX_BUSY = 0x10;

/** `struct rtnl_link_stats64` (the fields drivers fill). */
export interface LinkStats64 {
  rx_packets: number;
  tx_packets: number;
  rx_bytes: number;
  tx_bytes: number;
  rx_errors: number;
  tx_errors: number;
  rx_dropped: number;
  tx_dropped: number;
  multicast: number;
  collisions: number;
  rx_length_errors: number;
  rx_over_errors: number;
  rx_crc_errors: number;
  rx_frame_errors: number;
  rx_fifo_errors: number;
  rx_missed_errors: number;
  tx_aborted_errors: number;
  tx_carrier_errors: number;
  tx_fifo_errors: number;
}

/** A zeroed statistics block. */
export function emptyStats(): LinkStats64 {
  return {
    rx_packets: 0, tx_packets: 0, rx_bytes: 0, tx_bytes: 0, rx_errors: 0, tx_errors: 0, rx_dropped: 0, tx_dropped: 0, multicast: 0, collisions: 0,
    rx_length_errors: 0, rx_over_errors: 0, rx_crc_errors: 0, rx_frame_errors: 0, rx_fifo_errors: 0, rx_missed_errors: 0, tx_aborted_errors: 0, tx_carrier_errors: 0, tx_fifo_errors: 0,
  };
}

/** `struct net_device_ops`: every hook is optional except ndo_start_xmit. */
export interface NetDeviceOps {
  ndo_open?(ndev: NetDevice): number;
  ndo_stop?(ndev: NetDevice): number;
  ndo_start_xmit(skb: SkBuff, ndev: NetDevice): number;
  ndo_get_stats64?(ndev: NetDevice, stats: LinkStats64): void;
  ndo_set_mac_address?(ndev: NetDevice, addr: Uint8Array): number;
  ndo_tx_timeout?(ndev: NetDevice, txqueue: number): void;
  ndo_set_rx_mode?(ndev: NetDevice): void;
  ndo_change_mtu?(ndev: NetDevice, mtu: number): number;
}

/** A network device. */
export class NetDevice<P extends object = object> {
  /** `dev->name` ("eth%d" until registered). */
  name = 'eth%d';
  /** `dev->dev_addr`. */
  readonly dev_addr = new Uint8Array(6);
  /** `dev->mtu`. */
  mtu = 1500;
  min_mtu = 68;
  max_mtu = 1500;
  /** `dev->netdev_ops`. */
  netdev_ops: NetDeviceOps | null = null;
  /** `dev->watchdog_timeo` in jiffies (0: the core's default of 5 s). */
  watchdog_timeo = 0;
  /** Software counters (`dev->stats`), used when the driver has no ndo_get_stats64. */
  readonly stats: LinkStats64 = emptyStats();
  /** The parent device (`SET_NETDEV_DEV`). */
  parent: Device | null = null;
  /** Registered with the core. */
  registered = false;
  /** Administratively up (`IFF_UP`). */
  up = false;
  /** Carrier (link) present. */
  carrier = false;
  /** TX queue 0 stopped by the driver. */
  queueStopped = true;
  /** Jiffies of the last transmit start (`txq->trans_start`), set by netif_trans_update. */
  trans_start = 0;
  /** Number of TX timeouts seen. */
  txTimeouts = 0;
  /** IPv4 address the host stack answers for, as 4 bytes (null: none). */
  ipv4: Uint8Array | null = null;
  /** The private area (`netdev_priv`). */
  readonly priv: P;

  constructor(priv: P) {
    this.priv = priv;
  }

  /** The MAC address as `aa:bb:cc:dd:ee:ff`. */
  get macString(): string {
    return Array.from(this.dev_addr, (b) => b.toString(16).padStart(2, '0')).join(':');
  }
}
