/**
 * The MPIC register table: every implemented register of the FSL MPIC (MPC85xx/P1020/P2020 layout,
 * one CPU) declared once with offset, reset value, fields and named hooks; not here: the MSI
 * banks, message registers, timer control (TCR), BRR2, MCACK, critical-interrupt routing and the
 * per-CPU blocks of CPUs other than 0.
 */
import {
  BRR1, BRR1_VALUE, CPU_BASE, CPU_CTPR, CPU_EOI, CPU_IACK, CPU_IPIDR_BASE, CPU_IPIDR_STRIDE, CPU_WHOAMI,
  FEATURE0, FEATURE0_VERSION, GLOBAL_CONF0, IPI_BASE, IPI_VPR_BASE, IPI_VPR_STRIDE, NUM_EXTERNAL, NUM_IPIS,
  NUM_SOURCES, NUM_TIMERS, PROCESSOR_INIT, SOURCE_BASE, SOURCE_DR, SOURCE_STRIDE, SOURCE_VPR, SPURIOUS,
  TIMER_A_BASE, TIMER_B_BASE, TIMER_BASE, TIMER_BCR, TIMER_CCR, TIMER_DR, TIMER_FREQ, TIMER_STRIDE, TIMER_VPR,
  VENDOR_ID,
} from './layout.js';
import { RegisterTable, type FieldDef, type RegisterSpec } from './regtable.js';

/** Read hooks: parts of a read value computed from model state. */
export type MpicReadHook = 'activity' | 'timerCount' | 'iack';

/** Write hooks: side effects run after a write stored its bits. */
export type MpicWriteHook = 'gconf0' | 'processorInit' | 'vpr' | 'destination' | 'timerFreq' | 'timerBase' | 'ipiDispatch' | 'ctpr' | 'eoi';

/** The built MPIC table. */
export type MpicRegisterTable = RegisterTable<MpicReadHook, MpicWriteHook>;

/** Configuration that changes the table (field widths, reset values). */
export interface MpicTableConfig {
  /** Width of every vector field: 11 (FSL large vectors) or 8 (classic OpenPIC). */
  readonly vectorBits: 8 | 11;
  /** TIMER_FREQ reset value (as firmware would have programmed it). */
  readonly timerFrequencyHz: number;
}

const f = (name: string, hi: number, lo: number, access: FieldDef['access'], doc?: string): FieldDef =>
  doc === undefined ? { name, hi, lo, access } : { name, hi, lo, access, doc };

/** Fields of a vector/priority register; `withSense` adds POLARITY and SENSE (sources only). */
function vprFields(vectorBits: number, withSense: boolean): FieldDef[] {
  const out = [
    f('MSK', 31, 31, 'rw', '1 = masked'),
    f('A', 30, 30, 'ro', 'activity: pending or in service'),
  ];
  if (withSense) {
    out.push(f('P', 23, 23, 'rw', 'polarity: 1 active-high/rising, 0 active-low/falling'));
    out.push(f('S', 22, 22, 'rw', 'sense: 1 level, 0 edge'));
  }
  out.push(f('PRIORITY', 19, 16, 'rw', '0 never delivered .. 15 highest'));
  out.push(f('VECTOR', vectorBits - 1, 0, 'rw', 'returned by IACK'));
  return out;
}

const DEST_FIELDS = [f('P0', 0, 0, 'rw', 'deliver to CPU 0')];
const VPR_RESET_MASKED = 0x8000_0000;
/** Internal sources come out of reset active-high (POLARITY = 1), externals active-low. */
const VPR_RESET_INTERNAL = 0x8080_0000;

/** Datasheet-style name of source `n`'s register (`EIVPR3`, `IIVPR13`, ...). */
export function sourceRegisterName(n: number, reg: 'VPR' | 'DR'): string {
  return n < NUM_EXTERNAL ? `EI${reg === 'VPR' ? 'VPR' : 'DR'}${n}` : `II${reg === 'VPR' ? 'VPR' : 'DR'}${n - NUM_EXTERNAL}`;
}

/** Name of global timer `t` (0-3 group A, 4-7 group B) register `reg`. */
export function timerRegisterName(t: number, reg: 'GTCCR' | 'GTBCR' | 'GTVPR' | 'GTDR'): string {
  return `${reg}${t < 4 ? 'A' : 'B'}${t & 3}`;
}

/** The per-CPU registers, declared for CPU 0 and aliased in the "this CPU" page at 0x0. */
function perCpuSpecs(vectorBits: number): RegisterSpec<MpicReadHook, MpicWriteHook>[] {
  const out: RegisterSpec<MpicReadHook, MpicWriteHook>[] = [];
  for (let i = 0; i < NUM_IPIS; i++) {
    out.push({
      offset: CPU_BASE + CPU_IPIDR_BASE + i * CPU_IPIDR_STRIDE, name: `CPU0_IPIDR${i}`,
      doc: `IPI ${i} dispatch: write a CPU bitmask, bit 0 raises IPI ${i} on CPU 0`,
      fields: [f('P0', 0, 0, 'wo', 'dispatch to CPU 0')], onWrite: 'ipiDispatch', unit: i,
    });
  }
  out.push(
    { offset: CPU_BASE + CPU_CTPR, name: 'CPU0_CTPR', doc: 'current task priority: deliver only priorities above it', reset: 0xf, fields: [f('TASKP', 3, 0, 'rw')], onWrite: 'ctpr' },
    { offset: CPU_BASE + CPU_WHOAMI, name: 'CPU0_WHOAMI', doc: 'number of the reading CPU', reset: 0, fields: [f('ID', 4, 0, 'ro')] },
    { offset: CPU_BASE + CPU_IACK, name: 'CPU0_IACK', doc: 'interrupt acknowledge: vector of the delivered interrupt, or the spurious vector', fields: [f('VECTOR', vectorBits - 1, 0, 'ro')], onRead: 'iack', volatile: true },
    { offset: CPU_BASE + CPU_EOI, name: 'CPU0_EOI', doc: 'end of interrupt: any write retires the highest-priority in-service interrupt', fields: [f('EOI', 31, 0, 'wo')], onWrite: 'eoi' },
  );
  // On FSL parts the page at 0x0 shows the reading CPU's own per-CPU registers (except BRR1/BRR2).
  const aliases = out.map((s) => ({ offset: s.offset - CPU_BASE, name: s.name.slice('CPU0_'.length), doc: `this CPU's ${s.name.slice(5)} (alias of ${s.name})`, aliasOf: s.name }));
  return [...out, ...aliases];
}

/** Build the MPIC register table for one configuration. */
export function buildMpicRegisters(cfg: MpicTableConfig): MpicRegisterTable {
  const vb = cfg.vectorBits;
  const vectorMask = (1 << vb) - 1;
  const specs: RegisterSpec<MpicReadHook, MpicWriteHook>[] = [
    { offset: BRR1, name: 'BRR1', doc: 'block revision 1 (IP block ID, major, minor); version in the low 16 bits', reset: BRR1_VALUE, fields: [f('IPID', 31, 16, 'ro'), f('IPMJ', 15, 8, 'ro'), f('IPMN', 7, 0, 'ro')] },
    {
      offset: FEATURE0, name: 'FEATURE0', doc: 'feature reporting (FRR): last source, last CPU, OpenPIC version',
      reset: ((NUM_SOURCES - 1) << 16) | (0 << 8) | FEATURE0_VERSION,
      fields: [f('NIRQ', 26, 16, 'ro', 'last source number'), f('NCPU', 12, 8, 'ro', 'last CPU number'), f('VID', 7, 0, 'ro', 'version')],
    },
    {
      offset: GLOBAL_CONF0, name: 'GLOBAL_CONF0', doc: 'global configuration (GCR): reset and delivery mode', reset: 0,
      fields: [f('RST', 31, 31, 'wo', 'reset the controller (self-clearing)'), f('MODE', 30, 29, 'rw', '00 pass-through, 01 mixed, 11 external proxy')],
      onWrite: 'gconf0',
    },
    { offset: VENDOR_ID, name: 'VENDOR_ID', doc: 'vendor identification (VIR): stepping, device, vendor', reset: 0, fields: [f('STEP', 23, 16, 'ro'), f('DEVICE_ID', 15, 8, 'ro'), f('VENDOR_ID', 7, 0, 'ro')] },
    { offset: PROCESSOR_INIT, name: 'PROCESSOR_INIT', doc: 'processor core reset request (PIR); stored, the core reset is not modelled', reset: 0, fields: [f('P0', 0, 0, 'rw')], onWrite: 'processorInit' },
  ];
  for (let i = 0; i < NUM_IPIS; i++) {
    specs.push({ offset: IPI_VPR_BASE + i * IPI_VPR_STRIDE, name: `IPIVPR${i}`, doc: `IPI ${i} vector/priority`, reset: VPR_RESET_MASKED, fields: vprFields(vb, false), onRead: 'activity', onWrite: 'vpr', unit: IPI_BASE + i });
  }
  specs.push(
    { offset: SPURIOUS, name: 'SPURIOUS', doc: 'spurious vector (SVR): what IACK returns when nothing qualifies', reset: vectorMask, fields: [f('VECTOR', vb - 1, 0, 'rw')] },
    { offset: TIMER_FREQ, name: 'TIMER_FREQ', doc: 'timer frequency (TFRR): the global timers count at this many Hz (0 stops them)', reset: cfg.timerFrequencyHz, fields: [f('FREQ', 31, 0, 'rw')], onWrite: 'timerFreq' },
  );
  for (let t = 0; t < NUM_TIMERS; t++) {
    const base = (t < 4 ? TIMER_A_BASE : TIMER_B_BASE) + (t & 3) * TIMER_STRIDE;
    const unit = TIMER_BASE + t;
    specs.push(
      { offset: base + TIMER_CCR, name: timerRegisterName(t, 'GTCCR'), doc: `timer ${t} current count`, reset: 0, fields: [f('TOG', 31, 31, 'ro', 'toggles at each zero'), f('COUNT', 30, 0, 'ro')], onRead: 'timerCount', unit: t, volatile: true },
      { offset: base + TIMER_BCR, name: timerRegisterName(t, 'GTBCR'), doc: `timer ${t} base count`, reset: 0x8000_0000, fields: [f('CI', 31, 31, 'rw', 'count inhibit'), f('BASE_CNT', 30, 0, 'rw')], onWrite: 'timerBase', unit: t },
      { offset: base + TIMER_VPR, name: timerRegisterName(t, 'GTVPR'), doc: `timer ${t} vector/priority`, reset: VPR_RESET_MASKED, fields: vprFields(vb, false), onRead: 'activity', onWrite: 'vpr', unit },
      { offset: base + TIMER_DR, name: timerRegisterName(t, 'GTDR'), doc: `timer ${t} destination`, reset: 1, fields: DEST_FIELDS, onWrite: 'destination', unit },
    );
  }
  for (let n = 0; n < NUM_SOURCES; n++) {
    const base = SOURCE_BASE + n * SOURCE_STRIDE;
    const what = n < NUM_EXTERNAL ? `external IRQ${n}` : `internal source ${n - NUM_EXTERNAL}`;
    specs.push(
      { offset: base + SOURCE_VPR, name: sourceRegisterName(n, 'VPR'), doc: `source ${n} (${what}) vector/priority`, reset: n < NUM_EXTERNAL ? VPR_RESET_MASKED : VPR_RESET_INTERNAL, fields: vprFields(vb, true), onRead: 'activity', onWrite: 'vpr', unit: n },
      { offset: base + SOURCE_DR, name: sourceRegisterName(n, 'DR'), doc: `source ${n} (${what}) destination`, reset: 1, fields: DEST_FIELDS, onWrite: 'destination', unit: n },
    );
  }
  specs.push(...perCpuSpecs(vb));
  return new RegisterTable(specs);
}
