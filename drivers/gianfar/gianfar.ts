/**
 * gianfar: a driver for the eTSEC-class Ethernet controller, written only against driverlab's
 * public API as a port of Linux's gianfar would read. One queue group: coherent BD rings, RX
 * buffers mapped DMA_FROM_DEVICE and recycled (sync for the CPU, copy out, hand back), TX buffers
 * mapped DMA_TO_DEVICE and unmapped on completion, barriers between descriptor words, separate
 * NAPI contexts for RX and TX with the interrupt masked at the device while polling, an error
 * interrupt, PHY link polling over MDIO, and a TX-timeout reset.
 */
import {
  alloc_etherdev, be32, defineStruct, dev_kfree_skb_any, devm_platform_ioremap_resource, dma_addr, dma_alloc_coherent, dma_free_coherent, dma_map_single,
  dma_mapping_error, dma_rmb, dma_set_mask_and_coherent, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_unmap_single, dma_wmb, DMA_BIT_MASK,
  DMA_FROM_DEVICE, DMA_TO_DEVICE, eth_hw_addr_set, eth_hw_addr_random, eth_type_trans, ETH_FCS_LEN, free_irq, free_netdev, GFP_KERNEL, in_be32, IRQ_HANDLED, IRQ_NONE,
  is_valid_ether_addr, IS_ERR, kfree, kmalloc, ld_be32, memcpy, napi_alloc_skb, napi_complete_done, napi_consume_skb, napi_disable, napi_enable,
  napi_gro_receive, napi_schedule_prep, __napi_schedule, netdev_err, netdev_info, netdev_priv, netif_carrier_off, netif_carrier_ok, netif_carrier_on,
  netif_napi_add, netif_napi_add_weight, netif_queue_stopped, netif_start_queue, netif_stop_queue, netif_trans_update, netif_wake_queue, NETDEV_TX_BUSY,
  NETDEV_TX_OK, of_get_mac_address, out_be32, platform_get_drvdata, platform_get_irq, platform_set_drvdata, PTR_ERR, register_netdev, request_irq,
  SET_NETDEV_DEV, skb_put, spin_lock, spin_lock_init, spin_lock_irqsave, spin_unlock, spin_unlock_irqrestore, spinlock_t, st_be32, timer_list,
  timer_setup, mod_timer, del_timer_sync, jiffies, HZ, udelay, INIT_WORK, schedule_work, cancel_work_sync, work_struct, sizeof, unregister_netdev, ENOMEM, EINVAL, ENODEV, dev_err, dev_info, dev_warn,
  of_device_is_compatible, of_get_child_by_name, of_iomap, iounmap, irq_of_parse_and_map, devm_add_action, ENXIO,
  type Device, type LinkStats64, type NapiStruct, type NetDevice, type NetDeviceOps, type PlatformDevice, type PlatformDriver, type SkBuff,
} from 'driverlab';
import * as R from './regs.js';

/** Ring sizes (powers of two, as gianfar requires). */
export const TX_RING_SIZE = 64;
export const RX_RING_SIZE = 64;
/** RX buffer size: MRBLR, a multiple of 64 that holds a full frame with its FCS. */
export const RX_BUFFER_SIZE = 1536;
/** Wake the queue once this many TX descriptors are free again. */
const TX_WAKE_THRESHOLD = TX_RING_SIZE / 4;
/** TX NAPI weight, as gianfar uses. */
const TX_NAPI_WEIGHT = 2;
/** MDIO address of the PHY. */
const PHY_ADDRESS = 1;

/**
 * Bugs from real drivers that can be switched on to watch the sandbox catch them (all off in the
 * reference driver). Each reproduces a fix from the Linux history of gianfar or its peers.
 */
export const gfar_bugs = {
  /** RX: copy the frame out without dma_sync_single_for_cpu (reads what the cache still holds). */
  rxNoSyncForCpu: false,
  /** RX: the CPU writes a flag into the receive buffer (it must then be DMA_BIDIRECTIONAL). */
  rxWriteToBuffer: false,
  /** TX: unmap the buffer right after kicking the engine, before the descriptor comes back. */
  txUnmapEarly: false,
  /** TX: set READY before writing the buffer pointer, with no barrier (the engine may take the descriptor half-written). */
  txReadyFirst: false,
};

/** A buffer descriptor: status<<16 | length, then the buffer's bus address. */
const Bd = defineStruct('rxbd8', { lstatus: be32, bufPtr: be32 });
const BD_SIZE = sizeof(Bd);

interface TxSlot {
  skb: SkBuff | null;
  dma: number;
  len: number;
  /** The buffer is still mapped (false only after the txUnmapEarly bug unmapped it at once). */
  mapped: boolean;
}

interface RxSlot {
  buf: number;
  dma: number;
}

/** The driver's private state (`struct gfar_private`). */
export interface GfarPriv {
  ndev: NetDevice<GfarPriv>;
  dev: Device;
  regs: number;
  irqTx: number;
  irqRx: number;
  irqEr: number;
  ringVa: number;
  ringDma: number;
  txBase: number;
  rxBase: number;
  tx: TxSlot[];
  rx: RxSlot[];
  curTx: number;
  dirtyTx: number;
  numTxBdFree: number;
  curRx: number;
  napiRx: NapiStruct | null;
  napiTx: NapiStruct | null;
  txLock: spinlock_t;
  grpLock: spinlock_t;
  linkTimer: timer_list;
  resetTask: work_struct;
  stats: LinkStats64Counters;
  txTimeouts: number;
}

/** The counters gianfar keeps beside the net_device's. */
export interface LinkStats64Counters {
  rx_packets: number;
  rx_bytes: number;
  tx_packets: number;
  tx_bytes: number;
  rx_errors: number;
  rx_length_errors: number;
  rx_crc_errors: number;
  rx_frame_errors: number;
  rx_over_errors: number;
  rx_dropped: number;
  tx_errors: number;
  tx_dropped: number;
  bus_errors: number;
}

function zeroStats(): LinkStats64Counters {
  return { rx_packets: 0, rx_bytes: 0, tx_packets: 0, tx_bytes: 0, rx_errors: 0, rx_length_errors: 0, rx_crc_errors: 0, rx_frame_errors: 0, rx_over_errors: 0, rx_dropped: 0, tx_errors: 0, tx_dropped: 0, bus_errors: 0 };
}

const gfar_read = (p: GfarPriv, off: number): number => in_be32(p.regs + off);
const gfar_write = (p: GfarPriv, off: number, v: number): void => out_be32(p.regs + off, v >>> 0);

// ---- MDIO / PHY ------------------------------------------------------------------------------

/** Read a PHY register over MDIO, waiting (on simulated time) for the management interface. */
function gfar_mdio_read(p: GfarPriv, reg: number): number {
  gfar_write(p, R.MIIMADD, (PHY_ADDRESS << 8) | reg);
  gfar_write(p, R.MIIMCOM, 0);
  gfar_write(p, R.MIIMCOM, R.MIIMCOM_READ);
  for (let i = 0; i < 1000 && gfar_read(p, R.MIIMIND) & (R.MIIMIND_BUSY | R.MIIMIND_NOTVALID); i++) udelay(10);
  const v = gfar_read(p, R.MIIMSTAT) & 0xffff;
  gfar_write(p, R.MIIMCOM, 0);
  return v;
}

/** phylib's job in a few lines: read BMSR (twice: the link bit latches low) and follow the carrier. */
function gfar_update_link(p: GfarPriv): void {
  gfar_mdio_read(p, R.MII_BMSR);
  const up = (gfar_mdio_read(p, R.MII_BMSR) & R.BMSR_LSTATUS) !== 0;
  if (up && !netif_carrier_ok(p.ndev)) {
    netif_carrier_on(p.ndev);
    netdev_info(p.ndev, 'Link is Up - 1Gbps/Full - flow control off');
  } else if (!up && netif_carrier_ok(p.ndev)) {
    netif_carrier_off(p.ndev);
    netdev_info(p.ndev, 'Link is Down');
  }
}

function gfar_link_timer(t: timer_list, p: GfarPriv): void {
  gfar_update_link(p);
  mod_timer(t, jiffies() + HZ);
}

// ---- MAC setup ---------------------------------------------------------------------------------

/** Stop both DMA engines gracefully and wait until they say so. */
function gfar_halt_nodisable(p: GfarPriv): void {
  gfar_write(p, R.IMASK, 0);
  gfar_write(p, R.IEVENT, R.IEVENT_INIT_CLEAR);
  const dmactrl = gfar_read(p, R.DMACTRL);
  if ((dmactrl & (R.DMACTRL_GRS | R.DMACTRL_GTS)) !== (R.DMACTRL_GRS | R.DMACTRL_GTS)) {
    gfar_write(p, R.DMACTRL, dmactrl | R.DMACTRL_GRS | R.DMACTRL_GTS);
    let i = 0;
    while ((gfar_read(p, R.IEVENT) & (R.IEVENT_GRSC | R.IEVENT_GTSC)) !== (R.IEVENT_GRSC | R.IEVENT_GTSC) && i++ < 1000) udelay(10);
    if (i >= 1000) netdev_err(p.ndev, 'graceful stop timed out');
  }
}

function gfar_halt(p: GfarPriv): void {
  gfar_halt_nodisable(p);
  gfar_write(p, R.MACCFG1, gfar_read(p, R.MACCFG1) & ~(R.MACCFG1_RX_EN | R.MACCFG1_TX_EN));
}

/** gfar_mac_reset: soft reset (not self-clearing), frame limits, MAC mode, station address. */
function gfar_mac_reset(p: GfarPriv): void {
  gfar_write(p, R.MACCFG1, R.MACCFG1_SOFT_RESET);
  udelay(3);
  gfar_write(p, R.MACCFG1, 0);
  udelay(3);
  gfar_write(p, R.MAXFRM, R.MAXFRM_DEFAULT);
  gfar_write(p, R.MRBLR, RX_BUFFER_SIZE);
  gfar_write(p, R.MINFLR, R.MINFLR_INIT_SETTINGS);
  gfar_write(p, R.MACCFG2, R.MACCFG2_INIT_SETTINGS);
  gfar_write(p, R.RCTRL, 0);
  gfar_write(p, R.TCTRL, 0);
  gfar_set_mac_address(p);
  gfar_write(p, R.IEVENT, R.IEVENT_INIT_CLEAR);
  gfar_write(p, R.IMASK, 0);
  gfar_write(p, R.TXIC, 0);
  gfar_write(p, R.TXIC, R.TXIC_DEFAULT);
  gfar_write(p, R.RXIC, 0);
}

/** The station address registers hold the MAC in reversed byte order. */
function gfar_set_mac_address(p: GfarPriv): void {
  const a = p.ndev.dev_addr;
  gfar_write(p, R.MACSTNADDR1, ((a[5]! << 24) | (a[4]! << 16) | (a[3]! << 8) | a[2]!) >>> 0);
  gfar_write(p, R.MACSTNADDR2, ((a[1]! << 24) | (a[0]! << 16)) >>> 0);
}

function gfar_hw_init(p: GfarPriv): void {
  gfar_halt(p);
  gfar_mac_reset(p);
  gfar_write(p, R.ECNTRL, R.ECNTRL_INIT_SETTINGS);
  gfar_write(p, R.ATTR, R.ATTR_INIT_SETTINGS);
}

/** Restart the DMA engines and the MAC (gfar_start). */
function gfar_start(p: GfarPriv): void {
  gfar_write(p, R.RQUEUE, R.RQUEUE_EN0);
  gfar_write(p, R.TQUEUE, R.TQUEUE_EN0);
  const dmactrl = (gfar_read(p, R.DMACTRL) | R.DMACTRL_INIT_SETTINGS) & ~(R.DMACTRL_GRS | R.DMACTRL_GTS);
  gfar_write(p, R.DMACTRL, dmactrl);
  gfar_write(p, R.TSTAT, R.TSTAT_CLEAR_THALT);
  gfar_write(p, R.RSTAT, R.RSTAT_CLEAR_RHALT);
  gfar_write(p, R.MACCFG1, gfar_read(p, R.MACCFG1) | R.MACCFG1_RX_EN | R.MACCFG1_TX_EN);
  gfar_write(p, R.IMASK, R.IMASK_DEFAULT);
}

// ---- rings -------------------------------------------------------------------------------------

function rxBd(p: GfarPriv, i: number): number {
  return p.rxBase + i * BD_SIZE;
}

function txBd(p: GfarPriv, i: number): number {
  return p.txBase + i * BD_SIZE;
}

/** Hand RX descriptor `i` (back) to the device: buffer pointer first, then EMPTY. */
function gfar_init_rxbdp(p: GfarPriv, i: number): void {
  const bd = rxBd(p, i);
  Bd.bufPtr.set(bd, p.rx[i]!.dma);
  dma_wmb();
  const wrap = i === RX_RING_SIZE - 1 ? R.RXBD_WRAP : 0;
  Bd.lstatus.set(bd, (R.RXBD_EMPTY | R.RXBD_INTERRUPT | wrap) << 16);
}

/** Allocate the BD block and the RX buffers; 0 or -ENOMEM. */
function gfar_alloc_skb_resources(p: GfarPriv): number {
  const size = (TX_RING_SIZE + RX_RING_SIZE) * BD_SIZE;
  const h = dma_addr();
  const va = dma_alloc_coherent(p.dev, size, h, GFP_KERNEL);
  if (va === null) return -ENOMEM;
  p.ringVa = va;
  p.ringDma = h.value;
  p.txBase = va;
  p.rxBase = va + TX_RING_SIZE * BD_SIZE;
  p.tx = [];
  for (let i = 0; i < TX_RING_SIZE; i++) {
    p.tx.push({ skb: null, dma: 0, len: 0, mapped: false });
    Bd.bufPtr.set(txBd(p, i), 0);
    Bd.lstatus.set(txBd(p, i), i === TX_RING_SIZE - 1 ? R.TXBD_WRAP << 16 : 0);
  }
  p.curTx = p.dirtyTx = 0;
  p.numTxBdFree = TX_RING_SIZE;
  p.rx = [];
  for (let i = 0; i < RX_RING_SIZE; i++) {
    const buf = kmalloc(RX_BUFFER_SIZE, GFP_KERNEL);
    if (buf === null) return -ENOMEM;
    const dma = dma_map_single(p.dev, buf, RX_BUFFER_SIZE, DMA_FROM_DEVICE);
    if (dma_mapping_error(p.dev, dma)) {
      kfree(buf);
      return -ENOMEM;
    }
    p.rx.push({ buf, dma });
    gfar_init_rxbdp(p, i);
  }
  p.curRx = 0;
  gfar_write(p, R.TBASE0, p.ringDma);
  gfar_write(p, R.RBASE0, p.ringDma + TX_RING_SIZE * BD_SIZE);
  return 0;
}

/** Unmap and free everything the rings hold, then the BD block. */
function gfar_free_skb_resources(p: GfarPriv): void {
  for (const s of p.tx) {
    if (!s.skb) continue;
    if (s.mapped) dma_unmap_single(p.dev, s.dma, s.len, DMA_TO_DEVICE);
    dev_kfree_skb_any(s.skb);
    s.skb = null;
    p.stats.tx_dropped++; // never sent
  }
  for (const r of p.rx) {
    dma_unmap_single(p.dev, r.dma, RX_BUFFER_SIZE, DMA_FROM_DEVICE);
    kfree(r.buf);
  }
  p.rx = [];
  if (p.ringVa) dma_free_coherent(p.dev, (TX_RING_SIZE + RX_RING_SIZE) * BD_SIZE, p.ringVa, p.ringDma);
  p.ringVa = 0;
}

// ---- transmit ----------------------------------------------------------------------------------

function gfar_start_xmit(skb: SkBuff, ndev: NetDevice): number {
  const p = netdev_priv(ndev as NetDevice<GfarPriv>);
  if (p.numTxBdFree < 1) {
    // The queue is stopped before the ring fills, so this means our accounting is wrong.
    netif_stop_queue(ndev);
    netdev_err(ndev, 'BUG! Tx Ring full when queue awake!');
    return NETDEV_TX_BUSY;
  }
  const len = skb.len;
  const dma = dma_map_single(p.dev, skb.data, len, DMA_TO_DEVICE);
  if (dma_mapping_error(p.dev, dma)) {
    dev_kfree_skb_any(skb);
    p.stats.tx_dropped++;
    return NETDEV_TX_OK;
  }
  const i = p.curTx;
  const bd = txBd(p, i);
  const wrap = i === TX_RING_SIZE - 1 ? R.TXBD_WRAP : 0;
  const lstatus = ((R.TXBD_READY | R.TXBD_CRC | R.TXBD_LAST | R.TXBD_INTERRUPT | wrap) << 16) | len;
  if (gfar_bugs.txReadyFirst) {
    Bd.lstatus.set(bd, lstatus);
    Bd.bufPtr.set(bd, dma);
  } else {
    Bd.bufPtr.set(bd, dma);
    // The status word goes last: the TX engine may already be walking the ring.
    dma_wmb();
    Bd.lstatus.set(bd, lstatus);
  }
  dma_wmb();
  p.tx[i] = { skb, dma, len, mapped: true };
  p.curTx = (i + 1) % TX_RING_SIZE;
  const flags = spin_lock_irqsave(p.txLock);
  p.numTxBdFree--;
  if (p.numTxBdFree === 0) netif_stop_queue(ndev);
  spin_unlock_irqrestore(p.txLock, flags);
  netif_trans_update(ndev);
  // Clear THLT: the engine restarts from its current descriptor.
  gfar_write(p, R.TSTAT, R.TSTAT_CLEAR_THALT);
  if (gfar_bugs.txUnmapEarly) {
    dma_unmap_single(p.dev, dma, len, DMA_TO_DEVICE);
    p.tx[i]!.mapped = false;
  }
  return NETDEV_TX_OK;
}

/** Reclaim sent frames (TX NAPI context). Returns how many were reclaimed. */
function gfar_clean_tx_ring(p: GfarPriv, budget: number): number {
  let done = 0;
  while (p.dirtyTx !== p.curTx || (p.numTxBdFree === 0 && p.tx[p.dirtyTx]!.skb)) {
    const i = p.dirtyTx;
    const bd = txBd(p, i);
    const lstatus = Bd.lstatus.get(bd);
    if ((lstatus >>> 16) & R.TXBD_READY) break;
    dma_rmb();
    const s = p.tx[i]!;
    if (!s.skb) break;
    if (s.mapped) dma_unmap_single(p.dev, s.dma, s.len, DMA_TO_DEVICE);
    s.mapped = false;
    p.stats.tx_packets++;
    p.stats.tx_bytes += s.len;
    napi_consume_skb(s.skb, budget);
    s.skb = null;
    Bd.lstatus.set(bd, lstatus & (R.TXBD_WRAP << 16));
    p.dirtyTx = (i + 1) % TX_RING_SIZE;
    done++;
    spin_lock(p.txLock);
    p.numTxBdFree++;
    spin_unlock(p.txLock);
  }
  if (netif_queue_stopped(p.ndev) && p.numTxBdFree > TX_WAKE_THRESHOLD && netif_carrier_ok(p.ndev)) netif_wake_queue(p.ndev);
  return done;
}

function gfar_poll_tx(napi: NapiStruct, budget: number): number {
  const p = netdev_priv(napi.dev as NetDevice<GfarPriv>);
  gfar_write(p, R.IEVENT, R.IEVENT_TX_MASK);
  gfar_clean_tx_ring(p, budget);
  if (napi_complete_done(napi, 0)) {
    const flags = spin_lock_irqsave(p.grpLock);
    gfar_write(p, R.IMASK, gfar_read(p, R.IMASK) | R.IMASK_TX_DEFAULT);
    spin_unlock_irqrestore(p.grpLock, flags);
  }
  return 0;
}

// ---- receive -----------------------------------------------------------------------------------

function gfar_count_rx_error(p: GfarPriv, status: number): void {
  p.stats.rx_errors++;
  if (status & R.RXBD_TRUNCATED) p.stats.rx_length_errors++;
  else {
    if (status & (R.RXBD_LARGE | R.RXBD_SHORT)) p.stats.rx_length_errors++;
    if (status & R.RXBD_NONOCTET) p.stats.rx_frame_errors++;
    if (status & R.RXBD_CRCERR) p.stats.rx_crc_errors++;
    if (status & R.RXBD_OVERRUN) p.stats.rx_over_errors++;
  }
}

/** Clean up to `budget` received frames (RX NAPI context). */
function gfar_clean_rx_ring(p: GfarPriv, napi: NapiStruct, budget: number): number {
  let work = 0;
  while (work < budget) {
    const i = p.curRx;
    const bd = rxBd(p, i);
    const lstatus = Bd.lstatus.get(bd);
    const status = lstatus >>> 16;
    if (status & R.RXBD_EMPTY) break;
    // Read the length and buffer only after seeing the device has given the descriptor back.
    dma_rmb();
    const len = lstatus & 0xffff;
    const rb = p.rx[i]!;
    if (!(status & R.RXBD_LAST) || status & R.RXBD_ERR || len <= ETH_FCS_LEN) {
      // A frame spanning several buffers is longer than MRBLR, which we never allow; drop it.
      gfar_count_rx_error(p, (status & R.RXBD_LAST ? status : status | R.RXBD_TRUNCATED) & 0xffff);
    } else {
      if (!gfar_bugs.rxNoSyncForCpu) dma_sync_single_for_cpu(p.dev, rb.dma, len, DMA_FROM_DEVICE);
      if (gfar_bugs.rxWriteToBuffer) st_be32(rb.buf, 0); // "mark the buffer seen"
      const pkt = len - ETH_FCS_LEN;
      const skb = napi_alloc_skb(napi, pkt);
      if (skb === null) p.stats.rx_dropped++;
      else {
        memcpy(skb_put(skb, pkt), rb.buf, pkt);
        skb.protocol = eth_type_trans(skb, p.ndev);
        p.stats.rx_packets++;
        p.stats.rx_bytes += pkt;
        napi_gro_receive(napi, skb);
      }
      // The buffer goes back to the device: recycle it.
      dma_sync_single_for_device(p.dev, rb.dma, len, DMA_FROM_DEVICE);
    }
    gfar_init_rxbdp(p, i);
    p.curRx = (i + 1) % RX_RING_SIZE;
    work++;
  }
  return work;
}

function gfar_poll_rx(napi: NapiStruct, budget: number): number {
  const p = netdev_priv(napi.dev as NetDevice<GfarPriv>);
  gfar_write(p, R.IEVENT, R.IEVENT_RX_MASK);
  const work = gfar_clean_rx_ring(p, napi, budget);
  if (work < budget && napi_complete_done(napi, work)) {
    // Clear the halt the ring may have hit, then unmask RX at the device.
    gfar_write(p, R.RSTAT, R.RSTAT_CLEAR_RHALT);
    const flags = spin_lock_irqsave(p.grpLock);
    gfar_write(p, R.IMASK, gfar_read(p, R.IMASK) | R.IMASK_RX_DEFAULT);
    spin_unlock_irqrestore(p.grpLock, flags);
  }
  return work;
}

// ---- interrupts --------------------------------------------------------------------------------

/**
 * Hand an RX or TX event to its NAPI context: mask those events at the device (so the level line
 * goes quiet while polling) and schedule the poll; if it is already scheduled, just acknowledge.
 */
function gfar_schedule_napi(p: GfarPriv, napi: NapiStruct | null, imaskBits: number, ieventBits: number): void {
  if (napi && napi_schedule_prep(napi)) {
    spin_lock(p.grpLock);
    gfar_write(p, R.IMASK, gfar_read(p, R.IMASK) & ~imaskBits);
    spin_unlock(p.grpLock);
    __napi_schedule(napi);
  } else {
    gfar_write(p, R.IEVENT, ieventBits);
  }
}

function gfar_receive(_irq: number, devId: unknown): number {
  const p = devId as GfarPriv;
  gfar_schedule_napi(p, p.napiRx, R.IMASK_RX_DEFAULT, R.IEVENT_RX_MASK);
  return IRQ_HANDLED;
}

function gfar_transmit(_irq: number, devId: unknown): number {
  const p = devId as GfarPriv;
  gfar_schedule_napi(p, p.napiTx, R.IMASK_TX_DEFAULT, R.IEVENT_TX_MASK);
  return IRQ_HANDLED;
}

function gfar_error(_irq: number, devId: unknown): number {
  const p = devId as GfarPriv;
  const events = gfar_read(p, R.IEVENT) & R.IEVENT_ERR_MASK & gfar_read(p, R.IMASK);
  if (events === 0) return IRQ_NONE;
  gfar_write(p, R.IEVENT, events);
  if (events & (R.IEVENT_TXE | R.IEVENT_LC | R.IEVENT_CRL | R.IEVENT_XFUN)) p.stats.tx_errors++;
  if (events & R.IEVENT_BSY) {
    // No empty descriptor: frames were dropped (RMON RDRP counts them). RX NAPI refills and clears the halt.
    p.stats.rx_over_errors++;
    gfar_schedule_napi(p, p.napiRx, R.IMASK_RX_DEFAULT, 0);
  }
  if (events & (R.IEVENT_BABR | R.IEVENT_RXC)) p.stats.rx_errors++;
  if (events & R.IEVENT_EBERR) {
    p.stats.bus_errors++;
    netdev_err(p.ndev, 'Bus Error');
  }
  return IRQ_HANDLED;
}

// ---- net_device_ops ----------------------------------------------------------------------------

function gfar_enet_open(ndev: NetDevice): number {
  const p = netdev_priv(ndev as NetDevice<GfarPriv>);
  let rc = gfar_alloc_skb_resources(p);
  if (rc) {
    gfar_free_skb_resources(p);
    return rc;
  }
  const names = ['tx', 'rx', 'er'] as const;
  const handlers = [gfar_transmit, gfar_receive, gfar_error];
  const irqs = [p.irqTx, p.irqRx, p.irqEr];
  for (let i = 0; i < 3; i++) {
    rc = request_irq(irqs[i]!, handlers[i]!, 0, `${ndev.name}_g0_${names[i]}`, p);
    if (rc) {
      netdev_err(ndev, `Can't get IRQ ${irqs[i]}`);
      for (let j = 0; j < i; j++) free_irq(irqs[j]!, p);
      gfar_free_skb_resources(p);
      return rc;
    }
  }
  napi_enable(p.napiRx!);
  napi_enable(p.napiTx!);
  gfar_start(p);
  gfar_update_link(p);
  mod_timer(p.linkTimer, jiffies() + HZ);
  netif_start_queue(ndev);
  return 0;
}

function gfar_close(ndev: NetDevice): number {
  const p = netdev_priv(ndev as NetDevice<GfarPriv>);
  netif_stop_queue(ndev);
  del_timer_sync(p.linkTimer);
  napi_disable(p.napiRx!);
  napi_disable(p.napiTx!);
  gfar_halt(p);
  free_irq(p.irqTx, p);
  free_irq(p.irqRx, p);
  free_irq(p.irqEr, p);
  gfar_clean_tx_ring(p, 0);
  gfar_free_skb_resources(p);
  netif_carrier_off(ndev);
  return 0;
}

function gfar_get_stats64(ndev: NetDevice, s: LinkStats64): void {
  const p = netdev_priv(ndev as NetDevice<GfarPriv>);
  Object.assign(s, {
    rx_packets: p.stats.rx_packets, rx_bytes: p.stats.rx_bytes, tx_packets: p.stats.tx_packets, tx_bytes: p.stats.tx_bytes,
    rx_errors: p.stats.rx_errors, rx_length_errors: p.stats.rx_length_errors, rx_crc_errors: p.stats.rx_crc_errors,
    rx_frame_errors: p.stats.rx_frame_errors, rx_over_errors: p.stats.rx_over_errors, rx_dropped: p.stats.rx_dropped,
    tx_errors: p.stats.tx_errors, tx_dropped: p.stats.tx_dropped,
    // Frames the controller dropped for want of an empty descriptor.
    rx_missed_errors: gfar_read(p, R.RMON_RDRP),
  });
}

/** TX timeout (timer softirq): the reset sleeps, so it runs from a work item, as gianfar's does. */
function gfar_timeout(ndev: NetDevice, _txqueue: number): void {
  const p = netdev_priv(ndev as NetDevice<GfarPriv>);
  p.txTimeouts++;
  schedule_work(p.resetTask);
}

/** The reset work: stop and restart the controller in process context. */
function gfar_reset_task(p: GfarPriv): void {
  netdev_info(p.ndev, 'transmit timed out, resetting the controller');
  gfar_close(p.ndev);
  gfar_enet_open(p.ndev);
}

/** `ip link set dev eth0 address …`: take the address and program the station address registers. */
function gfar_set_mac_addr(ndev: NetDevice, addr: Uint8Array): number {
  const p = netdev_priv(ndev as NetDevice<GfarPriv>);
  eth_hw_addr_set(ndev, addr);
  gfar_set_mac_address(p);
  return 0;
}

/** The operations the network core calls. */
export const gfar_netdev_ops: NetDeviceOps = {
  ndo_open: gfar_enet_open,
  ndo_stop: gfar_close,
  ndo_start_xmit: gfar_start_xmit,
  ndo_get_stats64: gfar_get_stats64,
  ndo_set_mac_address: gfar_set_mac_addr,
  ndo_tx_timeout: gfar_timeout,
};

// ---- probe / remove ----------------------------------------------------------------------------

/**
 * Registers and interrupts: on the node itself for `gianfar`; for `fsl,etsec2` on its first
 * `queue-group` child (one group is driven). The group's mapping is released by devres.
 */
function gfar_map_group(pdev: PlatformDevice): { regs: number; irqs: number[] } | number {
  const np = pdev.of_node;
  if (np && of_device_is_compatible(np, 'fsl,etsec2')) {
    const group = of_get_child_by_name(np, 'queue-group');
    if (!group) return -ENODEV;
    const regs = of_iomap(group, 0);
    if (regs === null) return -ENOMEM;
    devm_add_action(pdev.dev, (va: number) => iounmap(va), regs);
    return { regs, irqs: [0, 1, 2].map((i) => irq_of_parse_and_map(group, i) || -ENXIO) };
  }
  const regs = devm_platform_ioremap_resource(pdev, 0);
  if (IS_ERR(regs)) return PTR_ERR(regs);
  return { regs, irqs: [0, 1, 2].map((i) => platform_get_irq(pdev, i)) };
}

function gfar_probe(pdev: PlatformDevice): number {
  const dev = pdev.dev;
  const group = gfar_map_group(pdev);
  if (typeof group === 'number') return group;
  const regs = group.regs;
  const [irqTx, irqRx, irqEr] = group.irqs as [number, number, number];
  if (irqTx < 0 || irqRx < 0 || irqEr < 0) {
    dev_err(dev, 'missing TX/RX/ER interrupts');
    return -EINVAL;
  }
  if (dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32))) {
    dev_err(dev, 'no usable DMA configuration');
    return -ENODEV;
  }
  const priv = {
    dev, regs, irqTx, irqRx, irqEr, ringVa: 0, ringDma: 0, txBase: 0, rxBase: 0, tx: [], rx: [], curTx: 0, dirtyTx: 0, numTxBdFree: 0, curRx: 0,
    napiRx: null, napiTx: null, txLock: spin_lock_init(new spinlock_t(), 'gfar_tx'), grpLock: spin_lock_init(new spinlock_t(), 'gfar_grp'),
    linkTimer: new timer_list(), resetTask: new work_struct(), stats: zeroStats(), txTimeouts: 0,
  } as unknown as GfarPriv;
  const ndev = alloc_etherdev(priv);
  priv.ndev = ndev;
  SET_NETDEV_DEV(ndev, dev);
  const mac = new Uint8Array(6);
  if (pdev.of_node && of_get_mac_address(pdev.of_node, mac) === 0 && is_valid_ether_addr(mac)) eth_hw_addr_set(ndev, mac);
  else {
    // Boot loaders fill the address in; without one, use a random one as gianfar does.
    eth_hw_addr_random(ndev);
    dev_warn(dev, `Using random MAC address: ${ndev.macString}`);
  }
  ndev.netdev_ops = gfar_netdev_ops;
  ndev.watchdog_timeo = 5 * HZ;
  priv.napiRx = netif_napi_add(ndev, gfar_poll_rx);
  priv.napiTx = netif_napi_add_weight(ndev, gfar_poll_tx, TX_NAPI_WEIGHT);
  timer_setup(priv.linkTimer, (t: timer_list) => gfar_link_timer(t, priv), 0);
  INIT_WORK(priv.resetTask, () => gfar_reset_task(priv));
  gfar_hw_init(priv);
  const rc = register_netdev(ndev);
  if (rc) {
    dev_err(dev, `register_netdev failed: ${rc}`);
    free_netdev(ndev);
    return rc;
  }
  platform_set_drvdata(pdev, ndev);
  dev_info(dev, `${ndev.name}: eTSEC at MAC ${ndev.macString}, RX/TX rings ${RX_RING_SIZE}/${TX_RING_SIZE}`);
  return 0;
}

function gfar_remove(pdev: PlatformDevice): void {
  const ndev = platform_get_drvdata<NetDevice<GfarPriv>>(pdev);
  cancel_work_sync(netdev_priv(ndev).resetTask);
  unregister_netdev(ndev);
  free_netdev(ndev);
}

/** The platform driver: binds to `gianfar` and `fsl,etsec2` nodes. */
export const gfar_driver: PlatformDriver = {
  probe: gfar_probe,
  remove: gfar_remove,
  driver: { name: 'fsl-gianfar', of_match_table: [{ compatible: 'gianfar' }, { compatible: 'fsl,etsec2' }] },
};
