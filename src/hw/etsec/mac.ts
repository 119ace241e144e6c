/**
 * The receive address filter: the station address and 15 exact-match entries in the eTSEC's
 * reversed register byte order, the 8- or 9-bit multicast hash over GADDR (or IGADDR+GADDR), and
 * promiscuous mode; not modelled: the individual-address hash for unicast, the filer, VLAN filtering.
 */
import { etherCrc as etherCrc_ } from '../net/crc32.js';
import { EXACT_MATCH_SLOTS as EXACT_MATCH_SLOTS_, HASH_SLOTS as HASH_SLOTS_, SLOT as SLOT_ } from './registers.js';
import { RCTRL_GHTX as RCTRL_GHTX_, RCTRL_PROM as RCTRL_PROM_, RXBD_BROADCAST as RXBD_BROADCAST_, RXBD_MISS as RXBD_MISS_, RXBD_MULTICAST as RXBD_MULTICAST_ } from './layout.js';

// Module-local copies (imported bindings are getters under vitest).
const etherCrc = etherCrc_;
const S_RCTRL = SLOT_.RCTRL;
const S_STN1 = SLOT_.MACSTNADDR1;
const S_STN2 = SLOT_.MACSTNADDR2;
const EXACT = EXACT_MATCH_SLOTS_.map((p) => [p[0], p[1]] as [number, number]);
const HASH = HASH_SLOTS_.slice();
const RCTRL_GHTX = RCTRL_GHTX_;
const RCTRL_PROM = RCTRL_PROM_;
const RXBD_BROADCAST = RXBD_BROADCAST_;
const RXBD_MULTICAST = RXBD_MULTICAST_;
const RXBD_MISS = RXBD_MISS_;

/** Register pair for an address, as gianfar writes it: MAC 12:34:56:78:9a:bc → [0xbc9a7856, 0x34120000]. */
export function encodeStationAddress(mac: Uint8Array, off = 0): [number, number] {
  const a1 = ((mac[off + 5]! << 24) | (mac[off + 4]! << 16) | (mac[off + 3]! << 8) | mac[off + 2]!) >>> 0;
  const a2 = ((mac[off + 1]! << 24) | (mac[off]! << 16)) >>> 0;
  return [a1, a2];
}

/** The address a register pair holds. */
export function decodeStationAddress(addr1: number, addr2: number): Uint8Array {
  return Uint8Array.of((addr2 >>> 16) & 0xff, addr2 >>> 24, addr1 & 0xff, (addr1 >>> 8) & 0xff, (addr1 >>> 16) & 0xff, addr1 >>> 24);
}

/**
 * Where the hash filter looks for a multicast address: table index = top `width` bits of
 * Linux's `ether_crc()`; the top bits of the index pick the register (of IGADDR0-7 + GADDR0-7 when
 * width is 9, of GADDR0-7 when 8), the low 5 the bit, numbered from the MSB.
 */
export function hashPosition(mac: Uint8Array, width: 8 | 9, off = 0): { register: number; bit: number; mask: number } {
  const crc = etherCrc(mac, off, 6);
  const index = crc >>> (32 - width);
  const bit = index & 0x1f;
  return { register: index >>> 5, bit, mask: (0x8000_0000 >>> bit) >>> 0 };
}

/** Name of the hash register holding `register` (0-15 extended, 0-7 plain). */
export function hashRegisterName(register: number, width: 8 | 9): string {
  if (width === 8) return `GADDR${register}`;
  return register < 8 ? `IGADDR${register}` : `GADDR${register - 8}`;
}

/**
 * Classify a received frame's destination: returns the RxBD address bits (BROADCAST, MULTICAST,
 * MISS) plus 1 in bit 16 when the frame is accepted. Accepted: our station address, an exact-match
 * entry (a non-zero one), broadcast, a multicast whose hash bit is set, anything under RCTRL.PROM
 * (then an address that matched nothing gets MISS).
 */
export function filterFrame(regs: Uint32Array, frame: Uint8Array): number {
  const a1 = ((frame[5]! << 24) | (frame[4]! << 16) | (frame[3]! << 8) | frame[2]!) >>> 0;
  const a2 = ((frame[1]! << 24) | (frame[0]! << 16)) >>> 0;
  const rctrl = regs[S_RCTRL]!;
  let flags = 0;
  let match = false;
  if ((frame[0]! & 1) !== 0) {
    if (a1 === 0xffff_ffff && a2 === 0xffff_0000) {
      flags = RXBD_BROADCAST;
      match = true;
    } else {
      flags = RXBD_MULTICAST;
      const width = rctrl & RCTRL_GHTX ? 9 : 8;
      const index = etherCrc(frame, 0, 6) >>> (32 - width);
      const reg = width === 9 ? HASH[index >>> 5]! : HASH[8 + (index >>> 5)]!;
      match = (regs[reg]! & (0x8000_0000 >>> (index & 0x1f))) !== 0;
      if (!match) match = exactMatch(regs, a1, a2);
    }
  } else {
    match = (regs[S_STN1] === a1 && regs[S_STN2] === a2) || exactMatch(regs, a1, a2);
  }
  if (!match) {
    if ((rctrl & RCTRL_PROM) === 0) return flags;
    flags |= RXBD_MISS;
  }
  return flags | 0x1_0000;
}

function exactMatch(regs: Uint32Array, a1: number, a2: number): boolean {
  for (let i = 0; i < EXACT.length; i++) {
    const e = EXACT[i]!;
    const r1 = regs[e[0]]!;
    const r2 = regs[e[1]]!;
    if ((r1 | r2) !== 0 && r1 === a1 && r2 === a2) return true;
  }
  return false;
}
