/** The MPIC (OpenPIC) model's public surface: the controller, its register table, DT specifier translation and wiring helpers. */
export { Mpic, type MpicOptions, type MpicCounters, type MpicSourceConfig, type MpicState } from './mpic.js';
export { buildMpicRegisters, sourceRegisterName, timerRegisterName, type MpicReadHook, type MpicWriteHook, type MpicRegisterTable, type MpicTableConfig } from './registers.js';
export { RegisterTable, fieldMask, fieldValue, type FieldDef, type FieldAccess, type RegisterAccess, type RegisterDef, type RegisterSpec } from './regtable.js';
export { translateMpicSpecifier, MpicSpecifierError, MPIC_SENSE_TRIGGERS, type MpicIrqSpec, type MpicTrigger, type MpicIrqType, type MpicXlateOptions } from './dt.js';
export { activeLowPin } from './lines.js';
export { ticksIn, nsForTicks, type TimerData } from './timers.js';
export type { IrqStateData } from './state.js';
export { MPIC_WINDOW_SIZE, NUM_SOURCES, NUM_EXTERNAL, NUM_IPIS, NUM_TIMERS, IPI_BASE, TIMER_BASE } from './layout.js';
export * as mpicLayout from './layout.js';
