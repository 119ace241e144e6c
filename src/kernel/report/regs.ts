/**
 * The synthetic machine state an oops prints: GPRs, CTR/CR/XER/MSR, the stack pointers of the
 * call-trace frames and the instruction dump. None of it is real register content (TypeScript has
 * none); every value is derived deterministically from NIP, the PID and the fault address.
 */
import { THREAD_SIZE } from '../layout.js';
import { hex8, mix32, splitmix32 } from './hash.js';

/** MSR bits a 32-bit BookE (e500) kernel prints, in `print_msr_bits` order. */
const MSR_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x0200_0000, 'VEC'],
  [0x0002_0000, 'CE'],
  [0x0000_8000, 'EE'],
  [0x0000_4000, 'PR'],
  [0x0000_2000, 'FP'],
  [0x0000_1000, 'ME'],
  [0x0000_0200, 'DE'],
  [0x0000_0020, 'IR'],
  [0x0000_0010, 'DR'],
  [0x0000_0004, 'PMM'],
];

/** e500 kernel-mode MSR with interrupts on: CE, EE, ME (`00029000 <CE,EE,ME>`). */
export const MSR_E500_KERNEL = 0x0002_9000;
/** MSR_EE, cleared while local interrupts are disabled (hardirq handlers, spin_lock_irqsave). */
export const MSR_EE = 0x0000_8000;

/** `00029000 <CE,EE,ME>`: the MSR value and its decoded bits. */
export function formatMsr(msr: number): string {
  const names = MSR_BITS.filter(([bit]) => (msr & bit) !== 0).map(([, n]) => n);
  return `${hex8(msr)} <${names.join(',')}>`;
}

/** Well-known instruction words used in the synthetic instruction dump. */
export const INSN = {
  /** `twi 31,r0,0`: what BUG() and WARN() compile to on powerpc. */
  TRAP: 0x0fe0_0000,
  /** `lwz r9,0(r3)`: a load through the faulting pointer. */
  LOAD: 0x8123_0000,
  /** `stw r9,0(r3)`: a store through the faulting pointer. */
  STORE: 0x9123_0000,
  /** `dcbst 0,r3`: clean a cache line (DMA_TO_DEVICE sync). */
  DCBST: 0x7c00_186c,
  /** `dcbf 0,r3`: flush a cache line (DMA_BIDIRECTIONAL sync). */
  DCBF: 0x7c00_18ac,
  /** `dcbi 0,r3`: invalidate a cache line (DMA_FROM_DEVICE sync). */
  DCBI: 0x7c00_1bac,
} as const;

/** Plausible ppc32 filler words (prologue, loads, compares, branches, epilogue). */
const FILLER = [
  0x7c0802a6, 0x9421ffe0, 0x90010024, 0xbfa10014, 0x7c7f1b78, 0x7c9e2378, 0x813f0004, 0x815f0008,
  0x2c090000, 0x2f8a0000, 0x41820018, 0x409e000c, 0x38600000, 0x38800001, 0x4bffff8d, 0x48000115,
  0x80010024, 0xbba10014, 0x7c0803a6, 0x38210020, 0x4e800020, 0x3d20c0a0, 0x7d2903a6, 0x5529103a,
  0x7c0004ac, 0x7fe3fb78, 0x91210008, 0x7d494b78,
] as const;

/** Index of the faulting word in the 16-word dump (NIP - 48 .. NIP + 12, as `show_instructions` reads). */
export const DUMP_NIP_INDEX = 12;

/** Words of the instruction dump around `nip`; `null` prints as `XXXXXXXX` (unreadable, e.g. after an instruction fetch fault). */
export function instructionDump(nip: number, faultWord: number | null): (number | null)[] {
  const rnd = splitmix32(nip ^ 0x1b873593);
  const words: (number | null)[] = [];
  for (let i = 0; i < 16; i++) {
    if (faultWord === null) words.push(null);
    else if (i === DUMP_NIP_INDEX) words.push(faultWord >>> 0);
    else words.push(FILLER[rnd() % FILLER.length] ?? 0x60000000);
  }
  return words;
}

/** The two `Instruction dump:` lines: 8 words each, the word at NIP in `<...>`. */
export function formatInstructionDump(words: readonly (number | null)[]): string[] {
  const lines: string[] = [];
  for (let row = 0; row < words.length; row += 8) {
    const cells = words.slice(row, row + 8).map((w, i) => {
      const t = w === null ? 'XXXXXXXX' : hex8(w);
      return row + i === DUMP_NIP_INDEX ? `<${t}>` : t;
    });
    lines.push(cells.join(' '));
  }
  return lines;
}

/** The synthetic register file of one report. */
export interface SyntheticRegs {
  /** r0..r31. r0 holds LR, r1 the stack pointer, r2 `current`, r3 the fault address when there is one. */
  readonly gpr: readonly number[];
  /** Address of the saved `pt_regs` (the `REGS:` line). */
  readonly regs: number;
  /** Count register. */
  readonly ctr: number;
  /** Condition register. */
  readonly cr: number;
  /** Fixed-point exception register. */
  readonly xer: number;
  /** Machine state register. */
  readonly msr: number;
}

/** Inputs for {@link syntheticRegs}. */
export interface RegsInput {
  /** NIP: seeds the synthetic values. */
  readonly nip: number;
  /** LR, also put in r0 (as after `mflr r0`). */
  readonly lr: number;
  /** PID of `current`: picks its kernel stack (r1) and task struct (r2). */
  readonly pid: number;
  /** Fault address (DEAR), put in r3. */
  readonly fault?: number;
  /** Local interrupts disabled: MSR[EE] clear. */
  readonly irqsDisabled?: boolean;
  /** Explicit GPR values by register number, e.g. `{ 3: handle, 4: size }`. */
  readonly gpr?: Readonly<Record<number, number>>;
}

const CR_PATTERNS = [0x24000882, 0x44000222, 0x28000284, 0x48000822, 0x22000444, 0x84000228] as const;

/** Kernel stack of a task: 8 KiB (THREAD_SIZE) per PID in lowmem, at a made-up but fixed place. */
export function kernelStackBase(pid: number): number {
  return (0xc2000000 + (pid % 0x800) * THREAD_SIZE) >>> 0;
}

/** Derive a deterministic register file for a report. */
export function syntheticRegs(input: RegsInput): SyntheticRegs {
  const rnd = splitmix32(input.nip ^ mix32(input.pid));
  const sp = (kernelStackBase(input.pid) + THREAD_SIZE - 0x140 - (rnd() % 16) * 0x10) >>> 0;
  const gpr: number[] = [];
  for (let i = 0; i < 32; i++) {
    const r = rnd();
    switch (r & 3) {
      case 0:
        gpr.push(0);
        break;
      case 1:
        gpr.push((r >>> 8) & 0xff);
        break;
      default:
        gpr.push((0xc0000000 | ((r >>> 4) & 0x03fffffc)) >>> 0);
    }
  }
  gpr[0] = input.lr >>> 0;
  gpr[1] = sp;
  gpr[2] = (0xc1a00000 + (input.pid % 0x800) * 0x400) >>> 0;
  if (input.fault !== undefined) gpr[3] = input.fault >>> 0;
  for (const [k, v] of Object.entries(input.gpr ?? {})) {
    const n = Number(k);
    if (n >= 0 && n < 32) gpr[n] = v >>> 0;
  }
  const msr = input.irqsDisabled ? MSR_E500_KERNEL & ~MSR_EE : MSR_E500_KERNEL;
  return {
    gpr,
    regs: (sp - 0xb0) >>> 0,
    ctr: rnd() & 0xff,
    cr: CR_PATTERNS[rnd() % CR_PATTERNS.length] ?? CR_PATTERNS[0],
    xer: 0,
    msr,
  };
}

/** The four `GPRnn:` lines, 8 registers each. */
export function formatGprs(gpr: readonly number[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    lines.push(`GPR${String(i).padStart(2, '0')}: ${gpr.slice(i, i + 8).map(hex8).join(' ')}`);
  }
  return lines;
}

/** Stack pointers of successive call-trace frames, starting at `sp`, each frame 0x20..0x70 bytes. */
export function frameStackPointers(sp: number, returnAddresses: readonly number[]): number[] {
  const out: number[] = [];
  let cur = sp >>> 0;
  for (const ra of returnAddresses) {
    out.push(cur);
    cur = (cur + 0x20 + (mix32(ra) % 6) * 0x10) >>> 0;
  }
  return out;
}
