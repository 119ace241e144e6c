/**
 * eTSEC register offsets and bit masks (single group, ring 0 functional), buffer-descriptor status
 * bits and the interrupt event groups, as gianfar and the eTSEC programming model name them; the
 * FIFO, filer, 1588 timer and multi-group registers are named here only where the table stores them.
 */

/** Size of one eTSEC register block. */
export const ETSEC_WINDOW_SIZE = 0x1000;

// ---- offsets -------------------------------------------------------------------------------------
export const TSEC_ID = 0x000;
export const TSEC_ID2 = 0x004;
export const IEVENT = 0x010;
export const IMASK = 0x014;
export const EDIS = 0x018;
export const ECNTRL = 0x020;
export const MINFLR = 0x024;
export const PTV = 0x028;
export const DMACTRL = 0x02c;
export const TBIPA = 0x030;
export const TCTRL = 0x100;
export const TSTAT = 0x104;
export const TXIC = 0x110;
export const TQUEUE = 0x114;
export const TBDBPH = 0x180;
/** TBPTRn = TBPTR0 + 8n. */
export const TBPTR0 = 0x184;
export const TBASEH = 0x200;
/** TBASEn = TBASE0 + 8n. */
export const TBASE0 = 0x204;
export const RCTRL = 0x300;
export const RSTAT = 0x304;
export const RXIC = 0x310;
export const RQUEUE = 0x314;
export const MRBLR = 0x340;
export const RBDBPH = 0x380;
export const RBPTR0 = 0x384;
export const RBASEH = 0x400;
export const RBASE0 = 0x404;
export const MACCFG1 = 0x500;
export const MACCFG2 = 0x504;
export const IPGIFG = 0x508;
export const HAFDUP = 0x50c;
export const MAXFRM = 0x510;
export const MIIMCFG = 0x520;
export const MIIMCOM = 0x524;
export const MIIMADD = 0x528;
export const MIIMCON = 0x52c;
export const MIIMSTAT = 0x530;
export const MIIMIND = 0x534;
export const IFSTAT = 0x53c;
export const MACSTNADDR1 = 0x540;
export const MACSTNADDR2 = 0x544;
/** MACnnADDR1 = MAC01ADDR1 + 8(nn-1), nn = 1..15; ADDR2 follows at +4. */
export const MAC01ADDR1 = 0x548;
export const RMON_BASE = 0x680;
export const CAR1 = 0x730;
export const CAR2 = 0x734;
export const CAM1 = 0x738;
export const CAM2 = 0x73c;
export const IGADDR0 = 0x800;
export const GADDR0 = 0x880;
export const ATTR = 0xbf8;
export const ATTRELI = 0xbfc;
/** Stride between per-ring pointer/base registers. */
export const RING_STRIDE = 8;
/** Exact-match address pairs besides the station address. */
export const EXACT_MATCH_ENTRIES = 15;

// ---- IEVENT / IMASK / EDIS bits -------------------------------------------------------------------
export const IEVENT_BABR = 0x8000_0000;
export const IEVENT_RXC = 0x4000_0000;
export const IEVENT_BSY = 0x2000_0000;
export const IEVENT_EBERR = 0x1000_0000;
export const IEVENT_MSRO = 0x0400_0000;
export const IEVENT_GTSC = 0x0200_0000;
export const IEVENT_BABT = 0x0100_0000;
export const IEVENT_TXC = 0x0080_0000;
export const IEVENT_TXE = 0x0040_0000;
export const IEVENT_TXB = 0x0020_0000;
export const IEVENT_TXF = 0x0010_0000;
export const IEVENT_LC = 0x0004_0000;
export const IEVENT_CRL = 0x0002_0000;
export const IEVENT_XFUN = 0x0001_0000;
export const IEVENT_RXB0 = 0x0000_8000;
export const IEVENT_MAG = 0x0000_0800;
export const IEVENT_GRSC = 0x0000_0100;
export const IEVENT_RXF0 = 0x0000_0080;
export const IEVENT_FGPI = 0x0000_0010;
export const IEVENT_FIR = 0x0000_0008;
export const IEVENT_FIQ = 0x0000_0004;
export const IEVENT_DPE = 0x0000_0002;
export const IEVENT_PERR = 0x0000_0001;

/** gianfar's IEVENT_RX_MASK: what the RX line carries. */
export const IEVENT_RX_MASK = (IEVENT_RXB0 | IEVENT_RXF0 | IEVENT_BSY) >>> 0;
/** gianfar's IEVENT_TX_MASK: what the TX line carries. */
export const IEVENT_TX_MASK = (IEVENT_TXB | IEVENT_TXF) >>> 0;
/** gianfar's IEVENT_ERR_MASK. */
export const IEVENT_ERR_MASK =
  (IEVENT_BABR | IEVENT_RXC | IEVENT_BSY | IEVENT_EBERR | IEVENT_MSRO | IEVENT_BABT | IEVENT_TXC | IEVENT_TXE |
    IEVENT_LC | IEVENT_CRL | IEVENT_XFUN | IEVENT_MAG | IEVENT_DPE | IEVENT_PERR) >>> 0;
/**
 * What the ER line carries here: gianfar's error mask plus the events none of its masks name
 * (GTSC, GRSC, FGPI, FIR, FIQ), so that no unmasked event is silent. BSY is on both RX and ER.
 */
export const IEVENT_ER_LINE = (IEVENT_ERR_MASK | IEVENT_GTSC | IEVENT_GRSC | IEVENT_FGPI | IEVENT_FIR | IEVENT_FIQ) >>> 0;
/** Every defined event bit. */
export const IEVENT_ALL = (IEVENT_TX_MASK | IEVENT_RX_MASK | IEVENT_ER_LINE) >>> 0;

// ---- DMACTRL -------------------------------------------------------------------------------------
export const DMACTRL_LE = 0x8000;
export const DMACTRL_TDSEN = 0x80;
export const DMACTRL_TBDSEN = 0x40;
export const DMACTRL_GRS = 0x10;
export const DMACTRL_GTS = 0x08;
export const DMACTRL_WWR = 0x02;
export const DMACTRL_WOP = 0x01;

// ---- ATTR ----------------------------------------------------------------------------------------
export const ATTR_BUFSTASH = 0x4000;
export const ATTR_BDSTASH = 0x0800;
export const ATTR_RDSEN = 0x80;
export const ATTR_RBDSEN = 0x40;

// ---- TSTAT / RSTAT / queues ----------------------------------------------------------------------
/** THLTn = THLT0 >>> n. */
export const TSTAT_THLT0 = 0x8000_0000;
/** QHLTn = QHLT0 >>> n. */
export const RSTAT_QHLT0 = 0x0080_0000;
/** RXFn = RXF0 >>> n: a frame was received on ring n. */
export const RSTAT_RXF0 = 0x0000_0080;
export const TQUEUE_EN0 = 0x0000_8000;
export const RQUEUE_EN0 = 0x0000_0080;
export const RQUEUE_EX0 = 0x0080_0000;

// ---- coalescing (TXIC / RXIC) --------------------------------------------------------------------
export const IC_ICEN = 0x8000_0000;
export const IC_ICFT_MASK = 0x1fe0_0000;
export const IC_ICFT_SHIFT = 21;
export const IC_ICTT_MASK = 0x0000_ffff;
/** ICTT counts in units of this many interface clocks. */
export const IC_CLOCKS_PER_TICK = 64;

// ---- RCTRL ---------------------------------------------------------------------------------------
export const RCTRL_TS = 0x0100_0000;
export const RCTRL_PAL_MASK = 0x001f_0000;
export const RCTRL_PAL_SHIFT = 16;
export const RCTRL_LFC = 0x4000;
export const RCTRL_VLEX = 0x2000;
export const RCTRL_FILREN = 0x1000;
export const RCTRL_GHTX = 0x0400;
export const RCTRL_IPCSEN = 0x0200;
export const RCTRL_TUCSEN = 0x0100;
export const RCTRL_PRSDEP_MASK = 0x00c0;
export const RCTRL_PRSFM = 0x0020;
export const RCTRL_PROM = 0x0008;
export const RCTRL_EMEN = 0x0002;

// ---- TCTRL ---------------------------------------------------------------------------------------
export const TCTRL_IPCSEN = 0x4000;
export const TCTRL_TUCSEN = 0x2000;
export const TCTRL_VLINS = 0x1000;
export const TCTRL_THDF = 0x0800;
export const TCTRL_RFCPAUSE = 0x0010;
export const TCTRL_TFCPAUSE = 0x0008;
export const TCTRL_TXSCHED_MASK = 0x0006;

// ---- MACCFG1 / MACCFG2 ---------------------------------------------------------------------------
export const MACCFG1_SOFT_RESET = 0x8000_0000;
export const MACCFG1_RESET_RX_MC = 0x0008_0000;
export const MACCFG1_RESET_TX_MC = 0x0004_0000;
export const MACCFG1_RESET_RX_FUN = 0x0002_0000;
export const MACCFG1_RESET_TX_FUN = 0x0001_0000;
export const MACCFG1_LOOPBACK = 0x0100;
export const MACCFG1_RX_FLOW = 0x0020;
export const MACCFG1_TX_FLOW = 0x0010;
export const MACCFG1_SYNCD_RX_EN = 0x0008;
export const MACCFG1_RX_EN = 0x0004;
export const MACCFG1_SYNCD_TX_EN = 0x0002;
export const MACCFG1_TX_EN = 0x0001;
export const MACCFG2_PREAMBLE_MASK = 0xf000;
export const MACCFG2_IF_MASK = 0x0300;
export const MACCFG2_IF_MII = 0x0100;
export const MACCFG2_IF_GMII = 0x0200;
export const MACCFG2_HUGEFRAME = 0x0020;
export const MACCFG2_LENGTHCHECK = 0x0010;
export const MACCFG2_MPEN = 0x0008;
export const MACCFG2_PADCRC = 0x0004;
export const MACCFG2_CRC_EN = 0x0002;
export const MACCFG2_FULL_DUPLEX = 0x0001;

// ---- ECNTRL --------------------------------------------------------------------------------------
export const ECNTRL_FIFM = 0x8000;
export const ECNTRL_CLRCNT = 0x4000;
export const ECNTRL_AUTOZ = 0x2000;
export const ECNTRL_STEN = 0x1000;
export const ECNTRL_GMIIM = 0x0040;
export const ECNTRL_TBIM = 0x0020;
export const ECNTRL_RPM = 0x0010;
export const ECNTRL_R100M = 0x0008;
export const ECNTRL_RMM = 0x0004;
export const ECNTRL_SGMIIM = 0x0002;

// ---- MDIO (MIIM*) --------------------------------------------------------------------------------
export const MIIMCFG_RESET_MGMT = 0x8000_0000;
export const MIIMCFG_NO_PRE = 0x10;
export const MIIMCFG_MGMT_CLK_MASK = 0x0f;
export const MIIMCOM_SCAN_CYCLE = 0x2;
export const MIIMCOM_READ_CYCLE = 0x1;
export const MIIMADD_PHY_SHIFT = 8;
export const MIIMADD_PHY_MASK = 0x1f00;
export const MIIMADD_REG_MASK = 0x001f;
export const MIIMIND_NOT_VALID = 0x4;
export const MIIMIND_SCAN = 0x2;
export const MIIMIND_BUSY = 0x1;

// ---- buffer descriptors --------------------------------------------------------------------------
/** Bytes per buffer descriptor (status 16 | length 16 | bufPtr 32). */
export const BD_SIZE = 8;

export const TXBD_READY = 0x8000;
export const TXBD_PADCRC = 0x4000;
export const TXBD_WRAP = 0x2000;
export const TXBD_INTERRUPT = 0x1000;
export const TXBD_LAST = 0x0800;
export const TXBD_CRC = 0x0400;
export const TXBD_DEF = 0x0200;
/** Huge-frame enable when software writes it, late collision when hardware reports. */
export const TXBD_HUGEFRAME = 0x0080;
export const TXBD_LATECOLLISION = 0x0080;
export const TXBD_RETRYLIMIT = 0x0040;
export const TXBD_RETRYCOUNTMASK = 0x003c;
/** TCP/IP off-load enable (an 8-byte FCB leads the first buffer) on write, underrun on status. */
export const TXBD_TOE = 0x0002;
export const TXBD_UNDERRUN = 0x0002;
export const TXBD_TRUNCATED = 0x0001;
/** Status bits the hardware owns and rewrites when it closes a TxBD. */
export const TXBD_HW_STATUS = (TXBD_READY | TXBD_DEF | TXBD_LATECOLLISION | TXBD_RETRYLIMIT | TXBD_RETRYCOUNTMASK | TXBD_UNDERRUN | TXBD_TRUNCATED) >>> 0;

export const RXBD_EMPTY = 0x8000;
export const RXBD_RO1 = 0x4000;
export const RXBD_WRAP = 0x2000;
export const RXBD_INTERRUPT = 0x1000;
export const RXBD_LAST = 0x0800;
export const RXBD_FIRST = 0x0400;
export const RXBD_MISS = 0x0100;
export const RXBD_BROADCAST = 0x0080;
export const RXBD_MULTICAST = 0x0040;
export const RXBD_LARGE = 0x0020;
export const RXBD_NONOCTET = 0x0010;
export const RXBD_SHORT = 0x0008;
export const RXBD_CRCERR = 0x0004;
export const RXBD_OVERRUN = 0x0002;
export const RXBD_TRUNCATED = 0x0001;
/** gianfar's RXBD_STATS: the bits hardware reports. */
export const RXBD_STATS = 0x01ff;
/** gianfar's RXBD_ERR: a LAST BD with any of these is a bad frame. */
export const RXBD_ERR = (RXBD_LARGE | RXBD_SHORT | RXBD_NONOCTET | RXBD_CRCERR | RXBD_OVERRUN | RXBD_TRUNCATED) >>> 0;
/** Status bits software sets on an RxBD and hardware keeps. */
export const RXBD_SW_KEEP = (RXBD_RO1 | RXBD_WRAP | RXBD_INTERRUPT) >>> 0;

/** Length of the TX/RX frame control block (checksum offload, not modelled beyond its size). */
export const FCB_BYTES = 8;
