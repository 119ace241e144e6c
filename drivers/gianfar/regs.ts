/**
 * eTSEC register offsets and bits the gianfar driver uses, as its header declares them (the
 * driver keeps its own copy: it knows the hardware only through the data sheet, not through the
 * sandbox's model).
 */

export const IEVENT = 0x010;
export const IMASK = 0x014;
export const ECNTRL = 0x020;
export const MINFLR = 0x024;
export const DMACTRL = 0x02c;
export const TCTRL = 0x100;
export const TSTAT = 0x104;
export const TXIC = 0x110;
export const TQUEUE = 0x114;
export const TBASE0 = 0x204;
export const RCTRL = 0x300;
export const RSTAT = 0x304;
export const RXIC = 0x310;
export const RQUEUE = 0x314;
export const MRBLR = 0x340;
export const RBASE0 = 0x404;
export const MACCFG1 = 0x500;
export const MACCFG2 = 0x504;
export const MAXFRM = 0x510;
export const MIIMCFG = 0x520;
export const MIIMCOM = 0x524;
export const MIIMADD = 0x528;
export const MIIMSTAT = 0x530;
export const MIIMIND = 0x534;
export const MACSTNADDR1 = 0x540;
export const MACSTNADDR2 = 0x544;
export const ATTR = 0xbf8;
/** RMON: received frames dropped (no buffer descriptor available). */
export const RMON_RDRP = 0x6dc;

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
export const IEVENT_DPE = 0x0000_0002;
export const IEVENT_PERR = 0x0000_0001;
export const IEVENT_RX_MASK = (IEVENT_RXB0 | IEVENT_RXF0 | IEVENT_BSY) >>> 0;
export const IEVENT_TX_MASK = (IEVENT_TXB | IEVENT_TXF) >>> 0;
export const IEVENT_ERR_MASK =
  (IEVENT_BABR | IEVENT_RXC | IEVENT_BSY | IEVENT_EBERR | IEVENT_MSRO | IEVENT_BABT | IEVENT_TXC | IEVENT_TXE | IEVENT_LC | IEVENT_CRL | IEVENT_XFUN | IEVENT_MAG | IEVENT_DPE | IEVENT_PERR) >>> 0;
export const IMASK_RX_DEFAULT = (IEVENT_RXF0 | IEVENT_BSY) >>> 0;
export const IMASK_TX_DEFAULT = (IEVENT_TXF | IEVENT_TXB) >>> 0;
export const IMASK_DEFAULT =
  (IEVENT_TXE | IEVENT_TXF | IEVENT_TXB | IEVENT_RXF0 | IEVENT_BSY | IEVENT_EBERR | IEVENT_BABR | IEVENT_XFUN | IEVENT_RXC | IEVENT_BABT | IEVENT_DPE | IEVENT_PERR) >>> 0;
export const IEVENT_INIT_CLEAR = 0xffff_ffff;

export const DMACTRL_INIT_SETTINGS = 0xc3; // TX snooping for buffers and descriptors, WWR, WOP
export const DMACTRL_GRS = 0x10;
export const DMACTRL_GTS = 0x08;
export const ATTR_INIT_SETTINGS = 0xc0; // RX snooping for data and descriptors
export const TSTAT_CLEAR_THALT = 0x8000_0000;
export const RSTAT_CLEAR_RHALT = 0x0080_0000;
export const TQUEUE_EN0 = 0x0000_8000;
export const RQUEUE_EN0 = 0x0000_0080;
export const ECNTRL_INIT_SETTINGS = 0x1000;
export const MINFLR_INIT_SETTINGS = 0x40;
export const MACCFG1_SOFT_RESET = 0x8000_0000;
export const MACCFG1_RX_EN = 0x4;
export const MACCFG1_TX_EN = 0x1;
export const MACCFG2_INIT_SETTINGS = 0x7205; // preamble 7, GMII, PAD/CRC, full duplex
export const MAXFRM_DEFAULT = 1536;
export const TXIC_DEFAULT = 0x8200_0015; // coalesce 16 frames or 21 ticks
export const MIIMCOM_READ = 0x1;
export const MIIMIND_BUSY = 0x1;
export const MIIMIND_NOTVALID = 0x4;

export const TXBD_READY = 0x8000;
export const TXBD_WRAP = 0x2000;
export const TXBD_INTERRUPT = 0x1000;
export const TXBD_LAST = 0x0800;
export const TXBD_CRC = 0x0400;
export const RXBD_EMPTY = 0x8000;
export const RXBD_WRAP = 0x2000;
export const RXBD_INTERRUPT = 0x1000;
export const RXBD_LAST = 0x0800;
export const RXBD_FIRST = 0x0400;
export const RXBD_LARGE = 0x0020;
export const RXBD_NONOCTET = 0x0010;
export const RXBD_SHORT = 0x0008;
export const RXBD_CRCERR = 0x0004;
export const RXBD_OVERRUN = 0x0002;
export const RXBD_TRUNCATED = 0x0001;
export const RXBD_ERR = 0x003f;

export const MII_BMSR = 0x01;
export const BMSR_LSTATUS = 0x0004;
