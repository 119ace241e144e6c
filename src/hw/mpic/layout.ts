/**
 * The Freescale MPIC's address map, register bit layout and interrupt index space as plain
 * constants (LSB-0 bit numbers, datasheet register names); no behaviour, and nothing of the MSI
 * banks, the message registers or a second CPU.
 */

/** Size of the MPIC window the board maps at CCSR+0x40000. */
export const MPIC_WINDOW_SIZE = 0x40000;

// ---- interrupt index space -------------------------------------------------------------------
// One flat index for everything that can be pending and in service: the 256 sources, then the four
// IPIs, then the eight global timers (group A 0-3, group B 4-7). Ties in priority go to the lower
// index, so sources win over IPIs, and IPIs over timers.

/** Number of interrupt sources (FEATURE0 last source = 255). */
export const NUM_SOURCES = 256;
/** Sources 0..15 are the external IRQ pins; internal SoC source n is source 16 + n. */
export const NUM_EXTERNAL = 16;
/** Number of inter-processor interrupts. */
export const NUM_IPIS = 4;
/** Number of global timers (group A: 0-3, group B: 4-7). */
export const NUM_TIMERS = 8;
/** Flat index of IPI 0. */
export const IPI_BASE = NUM_SOURCES;
/** Flat index of global timer 0 (group A timer 0). */
export const TIMER_BASE = IPI_BASE + NUM_IPIS;
/** Size of the flat interrupt index space. */
export const NUM_IRQS = TIMER_BASE + NUM_TIMERS;

// ---- block offsets -----------------------------------------------------------------------------

/** Block revision register 1 (FSL), in the "this CPU" alias page. */
export const BRR1 = 0x0000;
/** Start of the global register block. */
export const GREG_BASE = 0x1000;
/** FEATURE0 (FRR): last source, last CPU, version. */
export const FEATURE0 = 0x1000;
/** GLOBAL_CONF0 (GCR): reset and mode. */
export const GLOBAL_CONF0 = 0x1020;
/** VENDOR_ID (VIR). */
export const VENDOR_ID = 0x1080;
/** PROCESSOR_INIT (PIR): one core-reset bit per CPU. */
export const PROCESSOR_INIT = 0x1090;
/** IPI0 vector/priority; IPI n at +n*0x10. */
export const IPI_VPR_BASE = 0x10a0;
/** Stride of the IPI vector/priority registers. */
export const IPI_VPR_STRIDE = 0x10;
/** SPURIOUS vector register (SVR). */
export const SPURIOUS = 0x10e0;
/** TIMER_FREQ (TFRR): the global timers' clock in Hz. */
export const TIMER_FREQ = 0x10f0;
/** Global timer group A, timer 0. */
export const TIMER_A_BASE = 0x1100;
/** Global timer group B, timer 0 (group A + 0x1000). */
export const TIMER_B_BASE = 0x2100;
/** Stride between timers of one group. */
export const TIMER_STRIDE = 0x40;
/** Timer register offsets within a timer's 0x40 bytes. */
export const TIMER_CCR = 0x00;
export const TIMER_BCR = 0x10;
export const TIMER_VPR = 0x20;
export const TIMER_DR = 0x30;
/** Per-source configuration block. */
export const SOURCE_BASE = 0x10000;
/** Bytes per source. */
export const SOURCE_STRIDE = 0x20;
/** Source register offsets within a source's 32 bytes. */
export const SOURCE_VPR = 0x00;
export const SOURCE_DR = 0x10;
/** Per-CPU block of CPU 0 (CPU n at +n*0x1000). */
export const CPU_BASE = 0x20000;
/** Per-CPU register offsets (also valid in the "this CPU" alias page at 0x0). */
export const CPU_IPIDR_BASE = 0x40;
export const CPU_IPIDR_STRIDE = 0x10;
export const CPU_CTPR = 0x80;
export const CPU_WHOAMI = 0x90;
export const CPU_IACK = 0xa0;
export const CPU_EOI = 0xb0;

// ---- vector/priority registers (sources, IPIs, timers) -------------------------------------------

/** MASK: 1 = masked (no delivery; edges still latch). */
export const VPR_MSK = 0x8000_0000;
/** ACTIVITY (read-only): pending or in service. */
export const VPR_A = 0x4000_0000;
/** POLARITY (sources only): 1 = active-high / rising edge, 0 = active-low / falling edge. */
export const VPR_POLARITY = 0x0080_0000;
/** SENSE (sources only): 1 = level, 0 = edge. */
export const VPR_SENSE = 0x0040_0000;
/** PRIORITY field, bits 19:16 (0 = never delivered, 15 = highest). */
export const VPR_PRIORITY_SHIFT = 16;
export const VPR_PRIORITY_MASK = 0x000f_0000;

/** Destination bit of CPU 0 (the only CPU modelled). */
export const DEST_P0 = 0x1;

// ---- GLOBAL_CONF0 ------------------------------------------------------------------------------

/** RESET: writing 1 resets the controller; reads as 0 (the reset completes at once). */
export const GCR_RST = 0x8000_0000;
/** FSL two-bit mode field, bits 30:29. */
export const GCR_MODE_SHIFT = 29;
export const GCR_MODE_MASK = 0x6000_0000;
/** Mode 0b00: pass-through (external IRQ0 drives the core's INT, the controller is bypassed). */
export const MODE_PASS_THROUGH = 0;
/** Mode 0b01: mixed (what Linux selects by writing 0x20000000, "8259 pass-through disable"). */
export const MODE_MIXED = 1;
/** Mode 0b11: external proxy / coreint (not modelled: delivery behaves as in mixed mode). */
export const MODE_PROXY = 3;

// ---- global timers -----------------------------------------------------------------------------

/** GTCCR TOG: toggles each time the count reaches zero. */
export const GTCCR_TOG = 0x8000_0000;
/** GTCCR/GTBCR count field, bits 30:0. */
export const GT_COUNT_MASK = 0x7fff_ffff;
/** GTBCR CI: count inhibit (1 = stopped). */
export const GTBCR_CI = 0x8000_0000;

// ---- identification values -----------------------------------------------------------------------

/**
 * BRR1 value chosen for the model: IPID 0x0040 (the MPIC block), major 2, minor 0, i.e. the
 * "MPIC v2.0" revision found on MPC8548-class parts; Linux reads the low 16 bits as the version.
 */
export const BRR1_VALUE = 0x0040_0200;
/** OpenPIC version reported in FEATURE0 bits 7:0 (spec 1.2). */
export const FEATURE0_VERSION = 0x02;
/** Default timer clock: a 400 MHz platform clock divided by 8 (one tick every 20 ns). */
export const DEFAULT_TIMER_HZ = 50_000_000;
