/**
 * driverlab's public entry: everything a driver, a test or a user imports, as
 * `import { … } from 'driverlab'`. Drivers never reach into internal modules; if a driver needs
 * something that is not exported here, the API is missing a piece.
 *
 * @packageDocumentation
 */

/** The package version. */
export const DRIVERLAB_VERSION = '0.1.0';

// ---- Boards and running driver code ----------------------------------------------------------
export { Board, bootBoard, DEFAULT_BOARD, COHERENT_BOARD, type BoardSpec, type BootKnobs } from './board/board.js';
export { Kernel, BoardHaltedError, type RunResult, type KernelConfig } from './kernel/kernel.js';
export { parseCmdline, type BootOptions } from './kernel/cmdline.js';

// ---- Memory access: the stand-ins for *p, memcpy and struct fields ---------------------------
export {
  ld_u8, ld_be16, ld_be32, ld_be64, ld_le16, ld_le32, ld_le64,
  st_u8, st_be16, st_be32, st_be64, st_le16, st_le32, st_le64,
  memcpy, memmove, memset, memcmp, memchr_inv, copy_from_host, copy_to_host,
} from './kernel/memaccess.js';
export { defineStruct, sizeof, offsetof, u8, be16, be32, be64, le16, le32, le64, bytes, array, type Struct, type Field, type FieldType, type AnyStruct, type FieldMap, type ValueOf } from './kernel/struct.js';

// ---- Memory allocation -----------------------------------------------------------------------
export {
  kmalloc, kzalloc, kcalloc, kmalloc_array, krealloc, kfree, ksize,
  alloc_pages, __free_pages, __get_free_pages, get_zeroed_page, free_pages, free_page,
  page_address, virt_to_page, page_to_pfn, pfn_to_page, page_to_phys, kmap, kunmap,
  vmalloc, vzalloc, vfree, is_vmalloc_addr, virt_to_phys, phys_to_virt, virt_addr_valid, stack_buf,
} from './kernel/api/mm.js';
export * from './kernel/mm/gfp.js';
export { ZERO_SIZE_PTR } from './kernel/mm/kmalloc.js';
export { PAGE_SIZE, PAGE_SHIFT, PAGE_OFFSET } from './kernel/layout.js';

// ---- Reports, logs, symptoms -----------------------------------------------------------------
export type { Report, ReportKind, StackFrame } from './kernel/report/types.js';
export { KernelOops, type ReporterOptions } from './kernel/report/reporter.js';
export { describeSymptom, type Symptom } from './kernel/symptoms.js';
export { SandboxArgumentError, NoBoardError } from './kernel/errors.js';

// ---- Hardware, for device models and tests ---------------------------------------------------
export { Machine, type MachineConfig } from './hw/machine.js';
export { E500V2_L1D, type CacheGeometry, type CacheCounters, type EvictionPolicy, type Replacement } from './hw/cache.js';
export { BusMasterPort, type MmioDevice } from './hw/bus.js';
export { BusError, CpuFault } from './hw/errors.js';
export type { IrqLine } from './hw/irq.js';
export type { AccessKind, FaultReason } from './hw/errors.js';
export type { Bus } from './hw/bus.js';
export type { Cpu } from './hw/cpu.js';
export type { DataCache } from './hw/cache.js';
export type { Mmu } from './hw/mmu.js';
export type { RamStore } from './hw/ram.js';

// ---- Engine and kernel internals users inspect (types) ---------------------------------------
export { EventQueue, Prng, TraceBus, type TraceEvent, type SimEvent } from './sim/index.js';
export type { Reporter, ContextInfo, TaskInfo } from './kernel/report/reporter.js';
export type { KernelLog, LogLine, LogLevel } from './kernel/report/log.js';
export type { SymbolTable } from './kernel/report/symbols.js';
export type { MemoryManager, LeakRecord, ZoneView } from './kernel/mm/index.js';
export type { PhysRange } from './kernel/mm/memblock.js';
export type { ExecContext, Task } from './kernel/context.js';
export type { SymptomLog } from './kernel/symptoms.js';
export type { CurrentKernel } from './kernel/current.js';

// ---- Device trees ----------------------------------------------------------------------------
export {
  parseDts, parseDtsFile, printDts, DtsError,
  findNodeByPath, findNodeByLabel, findNodeByPhandle, getProperty,
  getU32, getU32Array, getString, getStringList, getCells, isCompatible, addressCells, sizeCells, decodeReg,
  type DtTree, type DtNode, type DtProperty,
} from './board/dts/index.js';

// ---- DMA mapping API -------------------------------------------------------------------------
export {
  dma_set_mask, dma_set_coherent_mask, dma_set_mask_and_coherent, dma_get_mask, dma_addressing_limited, dma_get_required_mask, dma_get_cache_alignment,
  dma_map_single, dma_map_single_attrs, dma_unmap_single, dma_unmap_single_attrs, dma_map_page, dma_map_page_attrs, dma_unmap_page, dma_unmap_page_attrs,
  dma_mapping_error, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_sync_single_range_for_cpu, dma_sync_single_range_for_device,
  dma_map_sg, dma_map_sg_attrs, dma_unmap_sg, dma_sync_sg_for_cpu, dma_sync_sg_for_device,
  dma_alloc_coherent, dma_free_coherent, dmam_alloc_coherent, dmam_free_coherent, dmam_pool_create, dma_pool_create, dma_pool_alloc, dma_pool_zalloc, dma_pool_free, dma_pool_destroy, dma_addr, dma_debug_dump,
} from './kernel/dma/api.js';
export {
  DMA_BIDIRECTIONAL, DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_NONE, DMA_ATTR_SKIP_CPU_SYNC, DMA_ATTR_NO_WARN, DMA_MAPPING_ERROR, DMA_BIT_MASK, type DmaDirection,
} from './kernel/dma/types.js';
export { sg_init_table, sg_set_buf, sg_set_page, for_each_sg, sg_dma_address, sg_dma_len, sg_mark_end, type Scatterlist } from './kernel/dma/sg.js';
export type { DmaAddrRef, DmaEngine } from './kernel/dma/engine.js';
export type { DmaPool } from './kernel/dma/pool.js';
export { Device } from './kernel/device.js';

// ---- Networking ------------------------------------------------------------------------------
export {
  alloc_etherdev, netdev_priv, SET_NETDEV_DEV, eth_hw_addr_set, eth_hw_addr_random, is_valid_ether_addr, register_netdev, unregister_netdev, free_netdev, dev_open, dev_close, dev_get_stats, dev_set_mac_address,
  netif_start_queue, netif_stop_queue, netif_wake_queue, netif_queue_stopped, netif_carrier_on, netif_carrier_off, netif_carrier_ok, netif_trans_update, dev_queue_xmit,
  alloc_skb, netdev_alloc_skb, netdev_alloc_skb_ip_align, napi_alloc_skb, build_skb, skb_put, skb_push, skb_pull, skb_reserve, skb_headroom, skb_tailroom,
  dev_kfree_skb, dev_kfree_skb_irq, dev_kfree_skb_any, kfree_skb, consume_skb, napi_consume_skb, eth_type_trans, netif_receive_skb, napi_gro_receive,
  netif_napi_add, netif_napi_add_weight, netif_napi_del, napi_enable, napi_disable, napi_schedule_prep, __napi_schedule, napi_schedule, napi_complete_done,
} from './kernel/net/api.js';
export { NetDevice, NETDEV_TX_OK, NETDEV_TX_BUSY, type NetDeviceOps, type LinkStats64 } from './kernel/net/netdevice.js';
export { SkBuff, NET_SKB_PAD, NET_IP_ALIGN, ETH_HLEN, ETH_ALEN, ETH_FCS_LEN, ETH_ZLEN, ETH_P_IP, ETH_P_ARP, ETH_P_IPV6 } from './kernel/net/skbuff.js';
export { NapiStruct, NAPI_POLL_WEIGHT, type NapiPoll } from './kernel/net/napi.js';

// ---- Platform driver model -------------------------------------------------------------------
export {
  platform_driver_register, platform_driver_unregister, platform_device_register_simple, platform_device_unregister,
  platform_get_resource, platform_get_resource_byname, platform_irq_count, platform_get_irq, platform_get_irq_optional, platform_get_irq_byname,
  dev_set_drvdata, dev_get_drvdata, platform_set_drvdata, platform_get_drvdata, to_platform_device, dev_name, dev_driver_string,
  of_match_device, of_device_get_match_data, device_get_match_data, dev_err_probe,
} from './kernel/api/platform.js';
export {
  devm_kmalloc, devm_kzalloc, devm_kmalloc_array, devm_kcalloc, devm_kstrdup, devm_kfree,
  devm_add_action, devm_add_action_or_reset, devm_remove_action, devm_release_action,
  devres_add, devres_find, devres_remove, devres_release, type DevmAction, type DevresEntry,
} from './kernel/api/devres.js';
export {
  ioremap, iounmap, devm_ioremap, devm_iounmap, devm_ioremap_resource, devm_platform_ioremap_resource, devm_platform_get_and_ioremap_resource, of_iomap,
  request_mem_region, release_mem_region, devm_request_mem_region,
  in_8, out_8, in_be16, out_be16, in_le16, out_le16, in_be32, out_be32, in_le32, out_le32,
  readb, writeb, readw, writew, readl, writel, readl_relaxed, writel_relaxed, __raw_readl, __raw_writel,
  ioread8, iowrite8, ioread16, iowrite16, ioread16be, iowrite16be, ioread32, iowrite32, ioread32be, iowrite32be,
  setbits32, clrbits32, clrsetbits_be32, mb, rmb, wmb, dma_rmb, dma_wmb, eieio, iobarrier_rw,
} from './kernel/api/io.js';
export {
  dev_of_node, of_find_property, of_get_property, of_property_present, of_property_read_bool, of_property_read_u32, of_property_read_u32_index,
  of_property_read_u32_array, of_property_read_u64, of_property_count_u32_elems, of_property_read_string, of_property_read_string_index,
  of_property_count_strings, of_property_match_string, of_device_is_compatible, of_device_is_available, of_match_node, of_node_name_eq,
  of_node_full_name, of_node_get, of_node_put, of_get_parent, of_get_next_child, of_get_next_available_child, for_each_child_of_node,
  for_each_available_child_of_node, of_get_child_count, of_get_available_child_count, of_get_child_by_name, of_get_compatible_child,
  of_parse_phandle, of_find_compatible_node, of_get_mac_address, of_address_to_resource, of_translate_address, of_irq_get, irq_of_parse_and_map,
  type Out, type OfNode, type OfProperty, type OfIrqCells,
} from './kernel/api/of.js';
export {
  dev_printk, dev_emerg, dev_alert, dev_crit, dev_err, dev_warn, dev_notice, dev_info, dev_dbg,
  netdev_printk, netdev_emerg, netdev_crit, netdev_err, netdev_warn, netdev_notice, netdev_info, netdev_dbg,
  printk, pr_emerg, pr_crit, pr_err, pr_warn, pr_notice, pr_info, pr_debug, type NetdevPrintable,
} from './kernel/api/printk.js';
export {
  EPERM, ENOENT, EINTR, EIO, ENXIO, E2BIG, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, ENODEV, EINVAL, ENOSPC, ERANGE, ENOSYS, ENODATA,
  ETIME, EPROTO, EOVERFLOW, EILSEQ, EOPNOTSUPP, EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENOBUFS, ETIMEDOUT, EALREADY, EINPROGRESS, ECANCELED,
  ERESTARTSYS, EPROBE_DEFER, ENOTSUPP, MAX_ERRNO, ERRNO_NAMES, errname, ERR_PTR, IS_ERR, IS_ERR_OR_NULL, PTR_ERR, PTR_ERR_OR_ZERO,
} from './kernel/driver/errno.js';
export {
  IORESOURCE_IO, IORESOURCE_MEM, IORESOURCE_REG, IORESOURCE_IRQ, IORESOURCE_DMA, IORESOURCE_BUS, IORESOURCE_TYPE_BITS, IORESOURCE_PREFETCH, IORESOURCE_BUSY,
  IORESOURCE_IRQ_HIGHEDGE, IORESOURCE_IRQ_LOWEDGE, IORESOURCE_IRQ_HIGHLEVEL, IORESOURCE_IRQ_LOWLEVEL, resource_size, resource_type, type Resource,
} from './kernel/driver/resource.js';
export { PlatformDevice, PLATFORM_DEVID_NONE, PLATFORM_DEVID_AUTO, type PlatformDriver, type DeviceDriver, type OfDeviceId, type PlatformDeviceId, type PlatformIrq } from './kernel/driver/platform-device.js';
export { onUnbind, type UnbindCheck, type UnbindContext, type UnbindLeak } from './kernel/driver/unbind-checks.js';
export type { PlatformBus, Binding, BindState, DeviceListing, UnbindResult } from './kernel/driver/platform-bus.js';

// ---- Boards from device trees ----------------------------------------------------------------
export { DEFAULT_DT_BOARD, COHERENT_DT_BOARD } from './board/board.js';
export { bootDts, loadBoardSpec, shippedBoard, specFromTree, boardAssembly, deviceRows, formatDeviceList, DEFAULT_RAM_SIZE, type LoadOptions, type SpecOptions, type BoardAssembly, type DeviceRow } from './board/assembly/index.js';
export { registerDeviceModel, type DeviceModelFactory, type DeviceModelContext, type DeviceModelInstance } from './board/devices.js';

// ---- Interrupts, execution contexts, locking, time and deferred work ---------------------------
export * from './kernel/irq/api.js';
export * from './kernel/sched/api/context.js';
export * from './kernel/sched/api/spinlock.js';
export * from './kernel/sched/api/mutex.js';
export * from './kernel/sched/api/completion.js';
export * from './kernel/time/api/clock.js';
export * from './kernel/time/api/timer.js';
export * from './kernel/time/api/workqueue.js';
export * from './kernel/time/api/softirq.js';
export * from './kernel/time/api/poll.js';

// ---- The wire: links, peers, traffic, capture --------------------------------------------------
export * from './hw/net/index.js';
export { boardNics } from './board/models/nics.js';
export { Etsec } from './hw/etsec/index.js';
