/** The eTSEC-class Ethernet controller model: registers, descriptor rings, MAC filter, coalescing, MDIO/PHY. */
export * from './layout.js';
export { Etsec, EtsecPort, type EtsecOptions, type EtsecCounters, type EtsecState } from './etsec.js';
export { ETSEC_REGISTERS, EtsecRegisterTable, RMON_COUNTERS, type EtsecFieldDef, type EtsecFieldAccess, type EtsecRegisterDef, type EtsecReadHook, type EtsecWriteHook } from './registers.js';
export { BD_BIG_ENDIAN, BD_LITTLE_ENDIAN, BdAccess, encodeBd, decodeBd, type Bd, type BdLayout } from './bd.js';
export { encodeStationAddress, decodeStationAddress, hashPosition, hashRegisterName, filterFrame } from './mac.js';
export { Coalescer, decodeCoalescing, encodeCoalescing, interfaceClockNs, type CoalescingConfig, type CoalescerState } from './coalesce.js';
export { Phy, DEFAULT_PHY_ID, type PhyState } from './phy.js';
export * as mii from './phy.js';
export { Mdio, DEFAULT_MDIO_CYCLE_NS, type MdioState } from './mdio.js';
export { sizeBucket } from './rmon.js';
export { MAX_TX_BDS_PER_FRAME, type TxState } from './tx.js';
export { type RxState } from './rx.js';
export type { EngineHost, EtsecEngineCounter } from './host.js';
