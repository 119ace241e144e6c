/**
 * The eTSEC register table: every register the model stores, declared once with offset, reset
 * value, fields (rw / ro / wo / w1c) and named side-effect hooks, built on the MPIC's generic kit
 * with a write-1-to-clear layer on top; registers of the filer, the 1588 timer, the FIFO tuning
 * and multi-group steering are stored but have no behaviour.
 */
import { RegisterTable, fieldMask, type FieldDef, type RegisterDef, type RegisterSpec } from '../mpic/regtable.js';
import * as L from './layout.js';

/** Field access including write-1-to-clear, which the MPIC kit does not know. */
export type EtsecFieldAccess = FieldDef['access'] | 'w1c';

/** One field of an eTSEC register. */
export interface EtsecFieldDef {
  readonly name: string;
  readonly hi: number;
  readonly lo: number;
  readonly access: EtsecFieldAccess;
  readonly doc?: string;
}

/** Read hooks: parts of a read value the model computes. */
export type EtsecReadHook = 'maccfg1' | 'miimind' | 'miimstat';

/** Write hooks: side effects after a write stored its bits (w1c bits already cleared). */
export type EtsecWriteHook =
  | 'irq' | 'dmactrl' | 'tstat' | 'rstat' | 'tbase' | 'rbase' | 'tbptr' | 'rbptr' | 'txic' | 'rxic' | 'tqueue' | 'rqueue'
  | 'maccfg1' | 'maccfg2' | 'miimcfg' | 'miimcom' | 'miimcon';

/** A built row. */
export type EtsecRegisterDef = RegisterDef<EtsecReadHook, EtsecWriteHook>;

/** An eTSEC register as written in the table. */
interface Spec extends Omit<RegisterSpec<EtsecReadHook, EtsecWriteHook>, 'fields'> {
  readonly fields?: readonly EtsecFieldDef[];
}

/** The built table plus what the kit does not derive: per-slot write-1-to-clear masks. */
export class EtsecRegisterTable {
  /** The generic table (offset lookup, slots, reset values, store/read masks). */
  readonly table: RegisterTable<EtsecReadHook, EtsecWriteHook>;
  /** Bits of each storage slot that a written 1 clears. */
  readonly w1cMask: Uint32Array;
  /** Fields as declared, w1c included, by register name. */
  readonly fieldsOf: ReadonlyMap<string, readonly EtsecFieldDef[]>;

  constructor(specs: readonly Spec[]) {
    const fieldsOf = new Map<string, readonly EtsecFieldDef[]>();
    const w1cByName = new Map<string, number>();
    const kitSpecs = specs.map((s) => {
      const fields = s.fields ?? [];
      fieldsOf.set(s.name, fields);
      let w1c = 0;
      const kitFields: FieldDef[] = fields.map((f) => {
        if (f.access === 'w1c') {
          const k: FieldDef = { name: f.name, hi: f.hi, lo: f.lo, access: 'ro' };
          w1c |= fieldMask(k);
          return k;
        }
        return f.doc === undefined ? { name: f.name, hi: f.hi, lo: f.lo, access: f.access } : { name: f.name, hi: f.hi, lo: f.lo, access: f.access, doc: f.doc };
      });
      w1cByName.set(s.name, w1c >>> 0);
      return { ...s, fields: kitFields } as RegisterSpec<EtsecReadHook, EtsecWriteHook>;
    });
    this.table = new RegisterTable(kitSpecs);
    this.w1cMask = new Uint32Array(this.table.slots);
    for (const d of this.table.storage()) this.w1cMask[d.slot] = w1cByName.get(d.name) ?? 0;
    this.fieldsOf = fieldsOf;
  }

  /** Row at `offset`, or undefined (unimplemented). */
  lookup(offset: number): EtsecRegisterDef | undefined {
    return this.table.lookup(offset);
  }

  /** Row called `name` (throws on a typo). */
  named(name: string): EtsecRegisterDef {
    return this.table.named(name);
  }

  /** Every row in offset order. */
  get defs(): readonly EtsecRegisterDef[] {
    return this.table.defs;
  }

  /** The register's overall access: `w1c` when all its writable bits clear on 1. */
  accessOf(d: EtsecRegisterDef): 'rw' | 'ro' | 'wo' | 'w1c' {
    const w1c = this.w1cMask[d.target.slot]!;
    if (w1c !== 0 && d.target.storeMask === 0) return 'w1c';
    return d.target.access;
  }
}

const f = (name: string, hi: number, lo: number, access: EtsecFieldAccess, doc?: string): EtsecFieldDef =>
  doc === undefined ? { name, hi, lo, access } : { name, hi, lo, access, doc };
const bit = (name: string, mask: number, access: EtsecFieldAccess, doc?: string): EtsecFieldDef => {
  const b = 31 - Math.clz32(mask);
  return f(name, b, b, access, doc);
};
const word = (access: EtsecFieldAccess, name = 'VALUE'): EtsecFieldDef[] => [f(name, 31, 0, access)];

/** The IEVENT/IMASK/EDIS bit set, named as gianfar names the events. */
const EVENT_BITS: readonly [string, number, string][] = [
  ['BABR', L.IEVENT_BABR, 'babbling receive: frame longer than MAXFRM'],
  ['RXC', L.IEVENT_RXC, 'control frame received'],
  ['BSY', L.IEVENT_BSY, 'frame discarded: no empty RxBD'],
  ['EBERR', L.IEVENT_EBERR, 'system bus error during DMA'],
  ['MSRO', L.IEVENT_MSRO, 'RMON counter overflow'],
  ['GTSC', L.IEVENT_GTSC, 'graceful transmit stop complete'],
  ['BABT', L.IEVENT_BABT, 'babbling transmit: frame longer than MAXFRM'],
  ['TXC', L.IEVENT_TXC, 'control frame transmitted'],
  ['TXE', L.IEVENT_TXE, 'transmit error'],
  ['TXB', L.IEVENT_TXB, 'TxBD with INTERRUPT closed, not last of frame'],
  ['TXF', L.IEVENT_TXF, 'frame with INTERRUPT on its last TxBD sent'],
  ['LC', L.IEVENT_LC, 'late collision'],
  ['CRL', L.IEVENT_CRL, 'collision retry limit'],
  ['XFUN', L.IEVENT_XFUN, 'transmit FIFO underrun'],
  ['RXB0', L.IEVENT_RXB0, 'RxBD with INTERRUPT closed, not last of frame'],
  ['MAG', L.IEVENT_MAG, 'magic packet received'],
  ['GRSC', L.IEVENT_GRSC, 'graceful receive stop complete'],
  ['RXF0', L.IEVENT_RXF0, 'frame received on ring 0'],
  ['FGPI', L.IEVENT_FGPI, 'filer general-purpose interrupt'],
  ['FIR', L.IEVENT_FIR, 'filer invalid rule'],
  ['FIQ', L.IEVENT_FIQ, 'filed to an invalid queue'],
  ['DPE', L.IEVENT_DPE, 'internal data parity error'],
  ['PERR', L.IEVENT_PERR, 'receive parse error'],
];
const eventFields = (access: EtsecFieldAccess): EtsecFieldDef[] => EVENT_BITS.map(([n, m, d]) => bit(n, m, access, d));

const IC_FIELDS = [f('ICEN', 31, 31, 'rw', 'coalescing enable'), f('ICFT', 28, 21, 'rw', 'frame-count threshold'), f('ICTT', 15, 0, 'rw', 'timer threshold, in units of 64 interface clocks')];

/** RMON counters by name and offset (0x710 is reserved). */
export const RMON_COUNTERS: readonly [string, number, string][] = [
  ['TR64', 0x680, 'TX+RX frames of 64 bytes'], ['TR127', 0x684, 'TX+RX frames of 65-127 bytes'],
  ['TR255', 0x688, 'TX+RX frames of 128-255 bytes'], ['TR511', 0x68c, 'TX+RX frames of 256-511 bytes'],
  ['TR1K', 0x690, 'TX+RX frames of 512-1023 bytes'], ['TRMAX', 0x694, 'TX+RX frames of 1024-1518 bytes'],
  ['TRMGV', 0x698, 'TX+RX good VLAN frames of 1519-1522 bytes'],
  ['RBYT', 0x69c, 'received bytes'], ['RPKT', 0x6a0, 'received frames'], ['RFCS', 0x6a4, 'received FCS errors'],
  ['RMCA', 0x6a8, 'received multicast frames'], ['RBCA', 0x6ac, 'received broadcast frames'],
  ['RXCF', 0x6b0, 'received control frames'], ['RXPF', 0x6b4, 'received PAUSE frames'],
  ['RXUO', 0x6b8, 'received unknown opcodes'], ['RALN', 0x6bc, 'received alignment errors'],
  ['RFLR', 0x6c0, 'received frame length errors'], ['RCDE', 0x6c4, 'received code errors'],
  ['RCSE', 0x6c8, 'carrier sense errors'], ['RUND', 0x6cc, 'received undersize frames (good FCS)'],
  ['ROVR', 0x6d0, 'received oversize frames (good FCS)'], ['RFRG', 0x6d4, 'received fragments (short, bad FCS)'],
  ['RJBR', 0x6d8, 'received jabbers (long, bad FCS)'], ['RDRP', 0x6dc, 'received frames dropped'],
  ['TBYT', 0x6e0, 'transmitted bytes'], ['TPKT', 0x6e4, 'transmitted frames'],
  ['TMCA', 0x6e8, 'transmitted multicast frames'], ['TBCA', 0x6ec, 'transmitted broadcast frames'],
  ['TXPF', 0x6f0, 'transmitted PAUSE frames'], ['TDFR', 0x6f4, 'transmit deferrals'],
  ['TEDF', 0x6f8, 'transmit excessive deferrals'], ['TSCL', 0x6fc, 'single collisions'],
  ['TMCL', 0x700, 'multiple collisions'], ['TLCL', 0x704, 'late collisions'], ['TXCL', 0x708, 'excessive collisions'],
  ['TNCL', 0x70c, 'total collisions'], ['TDRP', 0x714, 'transmit frames dropped'], ['TJBR', 0x718, 'transmitted jabbers'],
  ['TFCS', 0x71c, 'transmitted FCS errors'], ['TXCF', 0x720, 'transmitted control frames'],
  ['TOVR', 0x724, 'transmitted oversize frames'], ['TUND', 0x728, 'transmitted undersize frames'],
  ['TFRG', 0x72c, 'transmitted fragments'],
];

/** The table's rows. */
function specs(): Spec[] {
  const out: Spec[] = [
    { offset: L.TSEC_ID, name: 'TSEC_ID', doc: 'controller ID and revision', reset: 0x0124_0000, fields: [f('TSEC_ID', 31, 16, 'ro'), f('TSEC_REV_MJ', 15, 8, 'ro'), f('TSEC_REV_MN', 7, 0, 'ro')] },
    { offset: L.TSEC_ID2, name: 'TSEC_ID2', doc: 'controller ID 2: configuration of this instance', reset: 0x0030_00f0, fields: word('ro') },
    { offset: L.IEVENT, name: 'IEVENT', doc: 'interrupt events (write 1 to clear)', reset: 0, fields: eventFields('w1c'), onWrite: 'irq' },
    { offset: L.IMASK, name: 'IMASK', doc: 'interrupt enables, same bits as IEVENT', reset: 0, fields: eventFields('rw'), onWrite: 'irq' },
    { offset: L.EDIS, name: 'EDIS', doc: 'error disables (stored only)', reset: 0, fields: eventFields('rw') },
    {
      offset: L.ECNTRL, name: 'ECNTRL', doc: 'Ethernet control: statistics and interface mode', reset: L.ECNTRL_GMIIM,
      fields: [
        bit('FIFM', L.ECNTRL_FIFM, 'rw', 'FIFO mode'), bit('CLRCNT', L.ECNTRL_CLRCNT, 'rw'), bit('AUTOZ', L.ECNTRL_AUTOZ, 'rw'),
        bit('STEN', L.ECNTRL_STEN, 'rw', 'statistics enable (gianfar writes it; counters count regardless here)'),
        bit('GMIIM', L.ECNTRL_GMIIM, 'ro', 'GMII interface strapped'), bit('TBIM', L.ECNTRL_TBIM, 'ro'), bit('RPM', L.ECNTRL_RPM, 'ro', 'reduced pin mode (RGMII)'),
        bit('R100M', L.ECNTRL_R100M, 'rw', '100 Mb/s in reduced mode'), bit('RMM', L.ECNTRL_RMM, 'ro'), bit('SGMIIM', L.ECNTRL_SGMIIM, 'ro'),
      ],
    },
    { offset: L.MINFLR, name: 'MINFLR', doc: 'minimum frame length (FCS included); shorter frames get SHORT', reset: 0x40, fields: [f('MINFLR', 6, 0, 'rw')] },
    { offset: L.PTV, name: 'PTV', doc: 'pause time value (stored only)', reset: 0, fields: [f('PTE', 31, 16, 'rw'), f('PT', 15, 0, 'rw')] },
    {
      offset: L.DMACTRL, name: 'DMACTRL', doc: 'DMA control: BD byte order, snoop attributes, graceful stops, polling', reset: 0, onWrite: 'dmactrl',
      fields: [
        bit('LE', L.DMACTRL_LE, 'rw', 'little-endian buffer descriptors'), bit('TDSEN', L.DMACTRL_TDSEN, 'rw', 'TX data snoop enable (recorded)'),
        bit('TBDSEN', L.DMACTRL_TBDSEN, 'rw', 'TxBD snoop enable (recorded)'), bit('GRS', L.DMACTRL_GRS, 'rw', 'graceful receive stop'),
        bit('GTS', L.DMACTRL_GTS, 'rw', 'graceful transmit stop'), bit('WWR', L.DMACTRL_WWR, 'rw', 'write with response (recorded)'),
        bit('WOP', L.DMACTRL_WOP, 'rw', '1: TX waits for a TSTAT write at a non-ready BD; 0: TX polls'),
      ],
    },
    { offset: L.TBIPA, name: 'TBIPA', doc: 'TBI PHY address (stored only)', reset: 0, fields: [f('TBIPA', 4, 0, 'rw')] },
    { offset: 0x050, name: 'FIFO_RX_PAUSE', doc: 'FIFO receive pause threshold (stored only)', reset: 0, fields: [f('VALUE', 8, 0, 'rw')] },
    { offset: 0x054, name: 'FIFO_RX_PAUSE_SHUTOFF', doc: 'FIFO receive pause shut-off (stored only)', reset: 0, fields: [f('VALUE', 8, 0, 'rw')] },
    { offset: 0x058, name: 'FIFO_RX_ALARM', doc: 'FIFO receive alarm threshold (stored only)', reset: 0x40, fields: [f('VALUE', 8, 0, 'rw')] },
    { offset: 0x05c, name: 'FIFO_RX_ALARM_SHUTOFF', doc: 'FIFO receive alarm shut-off (stored only)', reset: 0x80, fields: [f('VALUE', 8, 0, 'rw')] },
    { offset: 0x08c, name: 'FIFO_TX_THR', doc: 'FIFO transmit threshold (stored only)', reset: 0x80, fields: [f('VALUE', 8, 0, 'rw')] },
    { offset: 0x098, name: 'FIFO_TX_STARVE', doc: 'FIFO transmit starve (stored only)', reset: 0x40, fields: [f('VALUE', 8, 0, 'rw')] },
    { offset: 0x09c, name: 'FIFO_TX_STARVE_SHUTOFF', doc: 'FIFO transmit starve shut-off (stored only)', reset: 0x80, fields: [f('VALUE', 8, 0, 'rw')] },
    {
      offset: L.TCTRL, name: 'TCTRL', doc: 'transmit control (offloads and scheduling stored only)', reset: 0,
      fields: [bit('IPCSEN', L.TCTRL_IPCSEN, 'rw'), bit('TUCSEN', L.TCTRL_TUCSEN, 'rw'), bit('VLINS', L.TCTRL_VLINS, 'rw'), bit('THDF', L.TCTRL_THDF, 'rw'), bit('RFCPAUSE', L.TCTRL_RFCPAUSE, 'rw'), bit('TFCPAUSE', L.TCTRL_TFCPAUSE, 'rw'), f('TXSCHED', 2, 1, 'rw')],
    },
    { offset: L.TSTAT, name: 'TSTAT', doc: 'transmit status: THLTn halt bits; writing 1 clears the halt and restarts ring n', reset: 0, fields: Array.from({ length: 8 }, (_, n) => f(`THLT${n}`, 31 - n, 31 - n, 'w1c')), onWrite: 'tstat' },
    { offset: 0x108, name: 'DFVLAN', doc: 'default VLAN control word (stored only)', reset: 0x8100_0000, fields: word('rw') },
    { offset: L.TXIC, name: 'TXIC', doc: 'transmit interrupt coalescing (TXF)', reset: 0, fields: IC_FIELDS, onWrite: 'txic' },
    { offset: L.TQUEUE, name: 'TQUEUE', doc: 'transmit queue enables (ring 0 is the only one served)', reset: L.TQUEUE_EN0, fields: Array.from({ length: 8 }, (_, n) => f(`EN${n}`, 15 - n, 15 - n, 'rw')), onWrite: 'tqueue' },
    { offset: 0x140, name: 'TR03WT', doc: 'TX rings 0-3 weights (stored only)', reset: 0, fields: word('rw') },
    { offset: 0x144, name: 'TR47WT', doc: 'TX rings 4-7 weights (stored only)', reset: 0, fields: word('rw') },
    { offset: L.TBDBPH, name: 'TBDBPH', doc: 'TX data buffer pointer, high 4 bits of 36', reset: 0, fields: [f('TBDBPH', 3, 0, 'rw')] },
    { offset: L.TBASEH, name: 'TBASEH', doc: 'TxBD ring base, high 4 bits of 36', reset: 0, fields: [f('TBASEH', 3, 0, 'rw')] },
    { offset: L.RCTRL, name: 'RCTRL', doc: 'receive control: promiscuous, hash width, FCB and padding', reset: 0,
      fields: [
        bit('TS', L.RCTRL_TS, 'rw', 'timestamp (stored only)'), f('PAL', 20, 16, 'rw', 'bytes of padding before the frame'), bit('LFC', L.RCTRL_LFC, 'rw'),
        bit('VLEX', L.RCTRL_VLEX, 'rw'), bit('FILREN', L.RCTRL_FILREN, 'rw'), bit('GHTX', L.RCTRL_GHTX, 'rw', 'extended (9-bit) group hash: IGADDR then GADDR'),
        bit('IPCSEN', L.RCTRL_IPCSEN, 'rw'), bit('TUCSEN', L.RCTRL_TUCSEN, 'rw'), f('PRSDEP', 7, 6, 'rw', 'parser depth; non-zero prepends an 8-byte RX FCB'),
        bit('PRSFM', L.RCTRL_PRSFM, 'rw'), bit('PROM', L.RCTRL_PROM, 'rw', 'promiscuous'), bit('EMEN', L.RCTRL_EMEN, 'rw'),
      ] },
    { offset: L.RSTAT, name: 'RSTAT', doc: 'receive status: QHLTn halts (write 1 to clear and resume), RXFn frame received', reset: 0,
      fields: [...Array.from({ length: 8 }, (_, n) => f(`QHLT${n}`, 23 - n, 23 - n, 'w1c')), ...Array.from({ length: 8 }, (_, n) => f(`RXF${n}`, 7 - n, 7 - n, 'w1c'))], onWrite: 'rstat' },
    { offset: L.RXIC, name: 'RXIC', doc: 'receive interrupt coalescing (RXF)', reset: 0, fields: IC_FIELDS, onWrite: 'rxic' },
    { offset: L.RQUEUE, name: 'RQUEUE', doc: 'receive queue enables and extraction (ring 0 is the only one served)', reset: L.RQUEUE_EX0 | L.RQUEUE_EN0,
      fields: [...Array.from({ length: 8 }, (_, n) => f(`EX${n}`, 23 - n, 23 - n, 'rw')), ...Array.from({ length: 8 }, (_, n) => f(`EN${n}`, 7 - n, 7 - n, 'rw'))], onWrite: 'rqueue' },
    ...['RIR0', 'RIR1', 'RIR2', 'RIR3'].map((name, i): Spec => ({ offset: 0x318 + 4 * i, name, doc: 'ring mapping (stored only)', reset: 0, fields: word('rw') })),
    { offset: 0x330, name: 'RBIFX', doc: 'receive bit-field extract (stored only)', reset: 0, fields: word('rw') },
    { offset: 0x334, name: 'RQFAR', doc: 'filer table address (stored only)', reset: 0, fields: [f('RQFAR', 7, 0, 'rw')] },
    { offset: 0x338, name: 'RQFCR', doc: 'filer table control (stored only)', reset: 0, fields: word('rw') },
    { offset: 0x33c, name: 'RQFPR', doc: 'filer table property (stored only)', reset: 0, fields: word('rw') },
    { offset: L.MRBLR, name: 'MRBLR', doc: 'bytes per RX buffer, a multiple of 64', reset: 0, fields: [f('MRBL', 15, 6, 'rw')] },
    { offset: L.RBDBPH, name: 'RBDBPH', doc: 'RX data buffer pointer, high 4 bits of 36', reset: 0, fields: [f('RBDBPH', 3, 0, 'rw')] },
    { offset: L.RBASEH, name: 'RBASEH', doc: 'RxBD ring base, high 4 bits of 36', reset: 0, fields: [f('RBASEH', 3, 0, 'rw')] },
    {
      offset: L.MACCFG1, name: 'MACCFG1', doc: 'MAC configuration 1: soft reset, enables, loopback', reset: 0, onRead: 'maccfg1', onWrite: 'maccfg1',
      fields: [
        bit('SOFT_RESET', L.MACCFG1_SOFT_RESET, 'rw', 'MAC held in reset while set (not self-clearing)'),
        bit('RESET_RX_MC', L.MACCFG1_RESET_RX_MC, 'rw'), bit('RESET_TX_MC', L.MACCFG1_RESET_TX_MC, 'rw'), bit('RESET_RX_FUN', L.MACCFG1_RESET_RX_FUN, 'rw'), bit('RESET_TX_FUN', L.MACCFG1_RESET_TX_FUN, 'rw'),
        bit('LOOPBACK', L.MACCFG1_LOOPBACK, 'rw', 'TX frames come back to RX; nothing reaches the wire'), bit('RX_FLOW', L.MACCFG1_RX_FLOW, 'rw'), bit('TX_FLOW', L.MACCFG1_TX_FLOW, 'rw'),
        bit('SYNCD_RX_EN', L.MACCFG1_SYNCD_RX_EN, 'ro', 'RX enable as the MAC sees it'), bit('RX_EN', L.MACCFG1_RX_EN, 'rw'),
        bit('SYNCD_TX_EN', L.MACCFG1_SYNCD_TX_EN, 'ro', 'TX enable as the MAC sees it'), bit('TX_EN', L.MACCFG1_TX_EN, 'rw'),
      ],
    },
    {
      offset: L.MACCFG2, name: 'MACCFG2', doc: 'MAC configuration 2: preamble, interface, huge frames, PAD/CRC, duplex', reset: 0x7000, onWrite: 'maccfg2',
      fields: [
        f('PREAMBLE_LENGTH', 15, 12, 'rw'), f('IF_MODE', 9, 8, 'rw', '01 MII (nibble), 10 GMII (byte)'), bit('HUGEFRAME', L.MACCFG2_HUGEFRAME, 'rw', 'frames above MAXFRM are kept whole'),
        bit('LENGTHCHECK', L.MACCFG2_LENGTHCHECK, 'rw'), bit('MPEN', L.MACCFG2_MPEN, 'rw'), bit('PADCRC', L.MACCFG2_PADCRC, 'rw', 'pad short TX frames and append the FCS'),
        bit('CRC_EN', L.MACCFG2_CRC_EN, 'rw', 'append the FCS'), bit('FULL_DUPLEX', L.MACCFG2_FULL_DUPLEX, 'rw'),
      ],
    },
    { offset: L.IPGIFG, name: 'IPGIFG', doc: 'inter-packet gaps (stored only; the wire uses 12 bytes)', reset: 0x4060_5060, fields: word('rw') },
    { offset: L.HAFDUP, name: 'HAFDUP', doc: 'half-duplex control (stored only)', reset: 0x00a1_f037, fields: word('rw') },
    { offset: L.MAXFRM, name: 'MAXFRM', doc: 'maximum frame length, FCS included', reset: 0x600, fields: [f('MAXFRM', 15, 0, 'rw')] },
    { offset: L.MIIMCFG, name: 'MIIMCFG', doc: 'MDIO configuration: reset, preamble suppression, clock divider', reset: 0x7, onWrite: 'miimcfg', fields: [bit('RESET_MGMT', L.MIIMCFG_RESET_MGMT, 'rw'), bit('NO_PRE', L.MIIMCFG_NO_PRE, 'rw'), f('MGMT_CLK', 3, 0, 'rw')] },
    { offset: L.MIIMCOM, name: 'MIIMCOM', doc: 'MDIO command: a 0->1 READ_CYCLE starts a read; SCAN_CYCLE reads continuously', reset: 0, onWrite: 'miimcom', fields: [bit('SCAN_CYCLE', L.MIIMCOM_SCAN_CYCLE, 'rw'), bit('READ_CYCLE', L.MIIMCOM_READ_CYCLE, 'rw')] },
    { offset: L.MIIMADD, name: 'MIIMADD', doc: 'MDIO address: PHY and register', reset: 0, fields: [f('PHY_ADDR', 12, 8, 'rw'), f('REG_ADDR', 4, 0, 'rw')] },
    { offset: L.MIIMCON, name: 'MIIMCON', doc: 'MDIO control: writing starts a write cycle of this value', reset: 0, onWrite: 'miimcon', fields: [f('PHY_CONTROL', 15, 0, 'wo')] },
    { offset: L.MIIMSTAT, name: 'MIIMSTAT', doc: 'MDIO status: the value of the last read cycle', reset: 0, onRead: 'miimstat', volatile: true, fields: [f('PHY_STATUS', 15, 0, 'ro')] },
    { offset: L.MIIMIND, name: 'MIIMIND', doc: 'MDIO indicators: BUSY, SCAN, NOT_VALID', reset: 0, onRead: 'miimind', volatile: true, fields: [bit('NOT_VALID', L.MIIMIND_NOT_VALID, 'ro'), bit('SCAN', L.MIIMIND_SCAN, 'ro'), bit('BUSY', L.MIIMIND_BUSY, 'ro')] },
    { offset: L.IFSTAT, name: 'IFSTAT', doc: 'interface status (reads 0)', reset: 0, fields: word('ro') },
    { offset: L.MACSTNADDR1, name: 'MACSTNADDR1', doc: 'station address bytes 5,4,3,2 (reversed order)', reset: 0, fields: word('rw') },
    { offset: L.MACSTNADDR2, name: 'MACSTNADDR2', doc: 'station address bytes 1,0 in bits 31:16', reset: 0, fields: [f('ADDR', 31, 16, 'rw')] },
  ];
  for (let n = 0; n < 8; n++) {
    out.push(
      { offset: L.TBPTR0 + L.RING_STRIDE * n, name: `TBPTR${n}`, doc: `current TxBD of ring ${n}`, reset: 0, fields: [f('TBPTR', 31, 3, 'rw')], onWrite: 'tbptr', unit: n },
      { offset: L.TBASE0 + L.RING_STRIDE * n, name: `TBASE${n}`, doc: `TxBD ring ${n} base; writing it also resets TBPTR${n}`, reset: 0, fields: [f('TBASE', 31, 3, 'rw')], onWrite: 'tbase', unit: n },
      { offset: L.RBPTR0 + L.RING_STRIDE * n, name: `RBPTR${n}`, doc: `current RxBD of ring ${n}`, reset: 0, fields: [f('RBPTR', 31, 3, 'rw')], onWrite: 'rbptr', unit: n },
      { offset: L.RBASE0 + L.RING_STRIDE * n, name: `RBASE${n}`, doc: `RxBD ring ${n} base; writing it also resets RBPTR${n}`, reset: 0, fields: [f('RBASE', 31, 3, 'rw')], onWrite: 'rbase', unit: n },
      { offset: 0xc00 + 4 * n, name: `RQPRM${n}`, doc: `RX queue ${n} parameters (stored only)`, reset: 0, fields: word('rw') },
      { offset: 0xc44 + L.RING_STRIDE * n, name: `RFBPTR${n}`, doc: `last free RxBD of ring ${n} (stored only)`, reset: 0, fields: word('rw') },
      { offset: 0xed0 + 4 * n, name: `RXIC${n}`, doc: `ring ${n} RX coalescing, multi-queue mode (stored only)`, reset: 0, fields: IC_FIELDS },
      { offset: 0xf10 + 4 * n, name: `TXIC${n}`, doc: `ring ${n} TX coalescing, multi-queue mode (stored only)`, reset: 0, fields: IC_FIELDS },
      { offset: L.IGADDR0 + 4 * n, name: `IGADDR${n}`, doc: `individual/group hash table word ${n} (extended hash: bits 0-255)`, reset: 0, fields: word('rw') },
      { offset: L.GADDR0 + 4 * n, name: `GADDR${n}`, doc: `group hash table word ${n}`, reset: 0, fields: word('rw') },
    );
  }
  for (let i = 0; i < 4; i++) out.push({ offset: 0xeb0 + 4 * i, name: `ISRG${i}`, doc: `interrupt steering group ${i} (stored only)`, reset: 0, fields: word('rw') });
  for (let n = 1; n <= L.EXACT_MATCH_ENTRIES; n++) {
    const nn = String(n).padStart(2, '0');
    out.push(
      { offset: L.MAC01ADDR1 + 8 * (n - 1), name: `MAC${nn}ADDR1`, doc: `exact-match address ${n}, bytes 5,4,3,2`, reset: 0, fields: word('rw') },
      { offset: L.MAC01ADDR1 + 8 * (n - 1) + 4, name: `MAC${nn}ADDR2`, doc: `exact-match address ${n}, bytes 1,0 in bits 31:16`, reset: 0, fields: [f('ADDR', 31, 16, 'rw')] },
    );
  }
  for (const [name, offset, doc] of RMON_COUNTERS) out.push({ offset, name, doc: `RMON: ${doc}`, reset: 0, fields: word('rw', 'COUNT') });
  out.push(
    { offset: L.CAR1, name: 'CAR1', doc: 'RMON carry 1 (write 1 to clear; counters here never carry)', reset: 0, fields: word('w1c', 'CARRY') },
    { offset: L.CAR2, name: 'CAR2', doc: 'RMON carry 2 (write 1 to clear)', reset: 0, fields: word('w1c', 'CARRY') },
    { offset: L.CAM1, name: 'CAM1', doc: 'RMON carry mask 1', reset: 0xfe03_ffff, fields: word('rw', 'MASK') },
    { offset: L.CAM2, name: 'CAM2', doc: 'RMON carry mask 2', reset: 0x000f_fffd, fields: word('rw', 'MASK') },
    { offset: 0x740, name: 'RREJ', doc: 'frames rejected by the filer (stays 0)', reset: 0, fields: word('rw', 'COUNT') },
    {
      offset: L.ATTR, name: 'ATTR', doc: 'DMA attributes: RX snooping and stashing (recorded)', reset: 0,
      fields: [bit('BUFSTASH', L.ATTR_BUFSTASH, 'rw'), bit('BDSTASH', L.ATTR_BDSTASH, 'rw'), bit('RDSEN', L.ATTR_RDSEN, 'rw', 'RX data snoop enable'), bit('RBDSEN', L.ATTR_RBDSEN, 'rw', 'RxBD snoop enable')],
    },
    { offset: L.ATTRELI, name: 'ATTRELI', doc: 'stashing extract length and index (stored only)', reset: 0, fields: [f('EL', 29, 16, 'rw'), f('EI', 13, 0, 'rw')] },
  );
  return out;
}

/** The eTSEC register table (one per process: it has no per-instance configuration). */
export const ETSEC_REGISTERS = new EtsecRegisterTable(specs());

const slot = (name: string): number => ETSEC_REGISTERS.named(name).slot;

/** Storage slots of the registers the model reads on its data paths. */
export const SLOT = Object.freeze({
  IEVENT: slot('IEVENT'), IMASK: slot('IMASK'), ECNTRL: slot('ECNTRL'), MINFLR: slot('MINFLR'), DMACTRL: slot('DMACTRL'),
  TSTAT: slot('TSTAT'), TXIC: slot('TXIC'), TQUEUE: slot('TQUEUE'), TBDBPH: slot('TBDBPH'), TBPTR0: slot('TBPTR0'), TBASEH: slot('TBASEH'), TBASE0: slot('TBASE0'),
  RCTRL: slot('RCTRL'), RSTAT: slot('RSTAT'), RXIC: slot('RXIC'), RQUEUE: slot('RQUEUE'), MRBLR: slot('MRBLR'), RBDBPH: slot('RBDBPH'),
  RBPTR0: slot('RBPTR0'), RBASEH: slot('RBASEH'), RBASE0: slot('RBASE0'), MACCFG1: slot('MACCFG1'), MACCFG2: slot('MACCFG2'), MAXFRM: slot('MAXFRM'),
  MIIMCFG: slot('MIIMCFG'), MIIMCOM: slot('MIIMCOM'), MIIMADD: slot('MIIMADD'), MIIMCON: slot('MIIMCON'), MIIMSTAT: slot('MIIMSTAT'),
  MACSTNADDR1: slot('MACSTNADDR1'), MACSTNADDR2: slot('MACSTNADDR2'), MAC01ADDR1: slot('MAC01ADDR1'), IGADDR0: slot('IGADDR0'), GADDR0: slot('GADDR0'),
  ATTR: slot('ATTR'),
  TR64: slot('TR64'), RBYT: slot('RBYT'), RPKT: slot('RPKT'), RFCS: slot('RFCS'), RMCA: slot('RMCA'), RBCA: slot('RBCA'), RFLR: slot('RFLR'),
  RUND: slot('RUND'), ROVR: slot('ROVR'), RFRG: slot('RFRG'), RJBR: slot('RJBR'), RDRP: slot('RDRP'),
  TBYT: slot('TBYT'), TPKT: slot('TPKT'), TMCA: slot('TMCA'), TBCA: slot('TBCA'), TDRP: slot('TDRP'), TFCS: slot('TFCS'), TOVR: slot('TOVR'), TUND: slot('TUND'),
});

/** Slots of the 15 exact-match pairs: [ADDR1, ADDR2] of entry 1..15. */
export const EXACT_MATCH_SLOTS: readonly (readonly [number, number])[] = Array.from({ length: L.EXACT_MATCH_ENTRIES }, (_, i) => {
  const nn = String(i + 1).padStart(2, '0');
  return [slot(`MAC${nn}ADDR1`), slot(`MAC${nn}ADDR2`)] as const;
});

/** Slots of IGADDR0-7 then GADDR0-7 (the extended hash table order). */
export const HASH_SLOTS: readonly number[] = [...Array.from({ length: 8 }, (_, i) => slot(`IGADDR${i}`)), ...Array.from({ length: 8 }, (_, i) => slot(`GADDR${i}`))];

/** Slots of TBPTR0-7, by ring. */
export const TBPTR_SLOTS: readonly number[] = Array.from({ length: 8 }, (_, n) => slot(`TBPTR${n}`));
/** Slots of RBPTR0-7, by ring. */
export const RBPTR_SLOTS: readonly number[] = Array.from({ length: 8 }, (_, n) => slot(`RBPTR${n}`));
