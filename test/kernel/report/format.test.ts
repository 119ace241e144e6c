import { describe, expect, it } from 'vitest';
import { CUT_HERE, END_TRACE, faultLines, formatReport, type FormatContext } from '../../../src/kernel/report/format.js';
import { SymbolTable, kernelFrame } from '../../../src/kernel/report/symbols.js';
import { formatTaint } from '../../../src/kernel/report/taint.js';
import type { StackFrame } from '../../../src/kernel/report/types.js';

/** A bad sync_for_device on a handle beyond lowmem, as §4.1 of the DMA reference describes it. */
const SYNC_TRACE: StackFrame[] = [
  kernelFrame('arch_sync_dma_for_device', { offset: 0x48 }),
  kernelFrame('__dma_sync_single_for_device', { offset: 0x5c }),
  { fn: 'dma_sync_single_for_device', file: 'src/kernel/dma/api.ts', line: 120, column: 3, user: false },
  { fn: 'gfar_clean_rx_ring', file: 'drivers/gianfar.ts', line: 412, column: 5, user: true },
  { fn: 'gfar_poll', file: 'drivers/gianfar.ts', line: 530, column: 9, user: true },
];

function ctx(over: Partial<FormatContext> = {}): FormatContext {
  return {
    kind: 'oops',
    id: 'oops.bad-area',
    title: '',
    trace: SYNC_TRACE,
    pid: 1,
    comm: 'swapper',
    platform: 'MPC8544 DS',
    version: '6.6.0-driverlab',
    oopsNumber: 1,
    symbols: new SymbolTable(),
    ...over,
  };
}

/** Index of each pattern in `lines`, in order; fails when one is missing or out of order. */
function expectInOrder(lines: readonly string[], patterns: readonly (string | RegExp)[]): void {
  let from = 0;
  for (const p of patterns) {
    const i = lines.findIndex((l, k) => k >= from && (typeof p === 'string' ? l === p : p.test(l)));
    expect(i, `line matching ${String(p)} at or after line ${from}:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(from);
    from = i + 1;
  }
}

describe('oops text (32-bit powerpc layout, reference §4.2)', () => {
  it('matches the hand-checked text for a fixed input, line for line', () => {
    const out = formatReport(
      ctx({
        fault: { address: 0xf000_1000, access: 'write', insn: 0x7c001bac },
        oopsNumber: 3,
        panicOnOops: true,
        taint: 'Tainted: G        W         ',
        hardware: 'MPC8544DS e500v2 0x80210030 MPC8544 DS',
        modules: ['gianfar'],
      }),
    );
    expect(out.text).toBe(EXPECTED_OOPS);
    expect(out.fatal).toBe(true);
    expect(out.title).toBe('BUG: Unable to handle kernel data access on write at 0xf0001000');
  });

  it('prints every layout line in the kernel order', () => {
    const out = formatReport(ctx({ fault: { address: 0x10, access: 'read', kuap: true } }));
    expectInOrder(out.lines, [
      'Kernel attempted to read user page (10) - exploit attempt? (uid: 0)',
      'BUG: Kernel NULL pointer dereference on read at 0x00000010',
      /^Faulting instruction address: 0x[0-9a-f]{8}$/,
      'Oops: Kernel access of bad area, sig: 11 [#1]',
      'BE PAGE_SIZE=4K MPC8544 DS',
      'Modules linked in:',
      'CPU: 0 PID: 1 Comm: swapper Not tainted 6.6.0-driverlab #1',
      /^NIP: {2}[0-9a-f]{8} LR: [0-9a-f]{8} CTR: [0-9a-f]{8}$/,
      /^REGS: [0-9a-f]{8} TRAP: 0300 {3}Not tainted {2}\(6\.6\.0-driverlab\)$/,
      /^MSR: {2}00029000 <CE,EE,ME> {2}CR: [0-9a-f]{8} {2}XER: 00000000$/,
      'DEAR: 00000010 ESR: 00000000',
      /^GPR00: c[0-9a-f]{7} c[0-9a-f]{7} c[0-9a-f]{7} 00000010( [0-9a-f]{8}){4}$/,
      /^GPR08:( [0-9a-f]{8}){8}$/,
      /^GPR16:( [0-9a-f]{8}){8}$/,
      /^GPR24:( [0-9a-f]{8}){8}$/,
      /^NIP \[[0-9a-f]{8}\] arch_sync_dma_for_device\+0x48\/0x[0-9a-f]+$/,
      /^LR \[[0-9a-f]{8}\] __dma_sync_single_for_device\+0x5c\/0x[0-9a-f]+$/,
      'Call Trace:',
      /^\[[0-9a-f]{8}\] \[[0-9a-f]{8}\] __dma_sync_single_for_device\+0x5c\/0x[0-9a-f]+ \(unreliable\)$/,
      /^\[[0-9a-f]{8}\] \[[0-9a-f]{8}\] dma_sync_single_for_device\+0x[0-9a-f]+\/0x[0-9a-f]+$/,
      /^\[[0-9a-f]{8}\] \[[0-9a-f]{8}\] gfar_clean_rx_ring\+0x[0-9a-f]+\/0x[0-9a-f]+ \(drivers\/gianfar\.ts:412\)$/,
      /gfar_poll\+0x[0-9a-f]+\/0x[0-9a-f]+ \(drivers\/gianfar\.ts:530\)$/,
      'Instruction dump:',
      /^([0-9a-f]{8} ){7}[0-9a-f]{8}$/,
      /^([0-9a-f]{8} ){4}<81230000> ([0-9a-f]{8} ){2}[0-9a-f]{8}$/,
      END_TRACE,
    ]);
    expect(out.lines[out.lines.length - 1]).toBe(END_TRACE); // no fate line: the task is killed, the board goes on
    expect(out.fatal).toBe(false);
  });

  it('the faulting instruction address and NIP are the same address', () => {
    const out = formatReport(ctx({ fault: { address: 0xf000_1000, access: 'write' } }));
    const fia = /^Faulting instruction address: 0x([0-9a-f]{8})$/.exec(out.lines[1] ?? '')?.[1];
    const nip = out.lines.find((l) => l.startsWith('NIP:  '))?.slice(6, 14);
    expect(fia).toBeDefined();
    expect(fia).toBe(nip);
    expect(out.lines).toContain(`NIP [${fia}] arch_sync_dma_for_device+0x48/0x${out.nip?.symbol.size.toString(16)}`);
  });

  it('same input, same text (deterministic)', () => {
    const a = formatReport(ctx({ fault: { address: 0xf000_1000, access: 'write' } })).text;
    const b = formatReport(ctx({ fault: { address: 0xf000_1000, access: 'write' } })).text;
    expect(a).toBe(b);
  });
});

describe('fault line variants (≥ 5.6 wording)', () => {
  it.each([
    [0x0000_0000, 'read', 'BUG: Kernel NULL pointer dereference on read at 0x00000000'],
    [0x0000_0ffc, 'write', 'BUG: Kernel NULL pointer dereference on write at 0x00000ffc'],
    [0x0000_1000, 'read', 'BUG: Unable to handle kernel data access on read at 0x00001000'],
    [0xf000_0000, 'write', 'BUG: Unable to handle kernel data access on write at 0xf0000000'],
    [0xffff_ffff, 'read', 'BUG: Unable to handle kernel data access on read at 0xffffffff'],
  ] as const)('address %s on %s', (address, access, line) => {
    expect(faultLines({ address, access })).toEqual([line]);
  });

  it('an instruction fetch says so, and hints NULL below PAGE_SIZE', () => {
    expect(faultLines({ address: 0, access: 'exec' })).toEqual(['BUG: Unable to handle kernel instruction fetch (NULL pointer?)']);
    expect(faultLines({ address: 0xd000_0000, access: 'exec' })).toEqual(['BUG: Unable to handle kernel instruction fetch']);
  });

  it('KUAP line comes first with the unpadded address', () => {
    expect(faultLines({ address: 0xbfff_fff0, access: 'write', kuap: true })[0]).toBe(
      'Kernel attempted to write user page (bffffff0) - exploit attempt? (uid: 0)',
    );
  });

  it('a store fault sets ESR[ST], a load does not', () => {
    const w = formatReport(ctx({ fault: { address: 0xf000_0000, access: 'write' } })).lines;
    const r = formatReport(ctx({ fault: { address: 0xf000_0000, access: 'read' } })).lines;
    expect(w).toContain('DEAR: f0000000 ESR: 00800000');
    expect(r).toContain('DEAR: f0000000 ESR: 00000000');
  });

  it('an instruction fetch fault: TRAP 0400, NIP at the bad address, the caller in LR, unreadable dump', () => {
    const out = formatReport(ctx({ fault: { address: 0, access: 'exec' }, trace: SYNC_TRACE.slice(3) }));
    expect(out.lines).toContain('Faulting instruction address: 0x00000000');
    expect(out.lines.some((l) => / TRAP: 0400 /.test(l))).toBe(true);
    expect(out.lines.some((l) => l.startsWith('DEAR:'))).toBe(false);
    expect(out.lines).toContain('NIP [00000000] 0x0');
    expect(out.lines.find((l) => l.startsWith('LR ['))).toMatch(/gfar_clean_rx_ring\+0x20\/0x[0-9a-f]+ \(drivers\/gianfar\.ts:412\)$/);
    expect(out.lines).toContain('XXXXXXXX XXXXXXXX XXXXXXXX XXXXXXXX <XXXXXXXX> XXXXXXXX XXXXXXXX XXXXXXXX');
  });

  it('machine check (bus error): e500 wording, sig 7, TRAP 0200', () => {
    const out = formatReport(ctx({ id: 'oops.machine-check', fault: { address: 0xe000_0000, access: 'read', machineCheck: true } }));
    expectInOrder(out.lines, [
      'Machine check in kernel mode.',
      'Caused by (from MCSR=8): Bus - Read Data Bus Error',
      'Oops: Machine check, sig: 7 [#1]',
      'BE PAGE_SIZE=4K MPC8544 DS',
      /^REGS: [0-9a-f]{8} TRAP: 0200 /,
      'DEAR: e0000000 ESR: 00000000',
      END_TRACE,
    ]);
    expect(out.title).toBe('Machine check in kernel mode.');
    const w = formatReport(ctx({ fault: { address: 0xe000_0000, access: 'write', machineCheck: true } }));
    expect(w.lines).toContain('Caused by (from MCSR=4): Bus - Write Data Bus Error');
  });
});

describe('fate of an oops', () => {
  const fault = { address: 0xf000_0000, access: 'read' } as const;
  it('in interrupt context it panics, whatever panic_on_oops says', () => {
    const out = formatReport(ctx({ fault, inInterrupt: true }));
    expect(out.lines.slice(-3)).toEqual([
      END_TRACE,
      'Kernel panic - not syncing: Fatal exception in interrupt',
      '---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---',
    ]);
    expect(out.fatal).toBe(true);
  });
  it('with panic_on_oops it panics with "Fatal exception"', () => {
    const out = formatReport(ctx({ fault, panicOnOops: true }));
    expect(out.lines.slice(-2)).toEqual(['Kernel panic - not syncing: Fatal exception', '---[ end Kernel panic - not syncing: Fatal exception ]---']);
    expect(out.fatal).toBe(true);
  });
  it('otherwise the report ends with the end-of-trace marker', () => {
    const out = formatReport(ctx({ fault }));
    expect(out.lines.at(-1)).toBe(END_TRACE);
    expect(out.fatal).toBe(false);
  });
});

describe('kernel BUG', () => {
  it('cut here, kernel BUG at file:line!, sig 5, TRAP 0700, trap word in the dump', () => {
    const out = formatReport(
      ctx({ kind: 'bug', die: true, id: 'bug.kernel-bug', site: { file: 'kernel/dma/mapping.c', line: 331 }, trace: SYNC_TRACE.slice(1) }),
    );
    expectInOrder(out.lines, [
      CUT_HERE,
      'kernel BUG at kernel/dma/mapping.c:331!',
      'Oops: Exception in kernel mode, sig: 5 [#1]',
      'BE PAGE_SIZE=4K MPC8544 DS',
      'Modules linked in:',
      /^CPU: 0 PID: 1 Comm: swapper /,
      /^REGS: [0-9a-f]{8} TRAP: 0700 {3}Not tainted/,
      /^NIP \[[0-9a-f]{8}\] __dma_sync_single_for_device\+0x5c\//,
      /^LR \[[0-9a-f]{8}\] dma_sync_single_for_device\+/,
      'Call Trace:',
      /<0fe00000>/,
      END_TRACE,
    ]);
    expect(out.lines.some((l) => l.startsWith('DEAR:'))).toBe(false);
    expect(out.title).toBe('kernel BUG at kernel/dma/mapping.c:331!');
  });

  it('without a site, names the innermost frame\'s TypeScript line', () => {
    const out = formatReport(ctx({ kind: 'bug', die: true, trace: SYNC_TRACE.slice(3) }));
    expect(out.title).toBe('kernel BUG at drivers/gianfar.ts:412!');
  });

  it('a BUG: message that does not die prints the message and a stack dump only', () => {
    const out = formatReport(
      ctx({
        kind: 'bug',
        id: 'sched.sleep-in-atomic',
        title: 'BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283',
        body: ['in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 0, name: swapper/0'],
        trace: SYNC_TRACE.slice(3),
      }),
    );
    expect(out.lines.slice(0, 4)).toEqual([
      'BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283',
      'in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 0, name: swapper/0',
      'CPU: 0 PID: 1 Comm: swapper Not tainted 6.6.0-driverlab #1',
      'Call Trace:',
    ]);
    expect(out.lines.some((l) => l.startsWith('Oops:') || l.startsWith('NIP'))).toBe(false);
  });
});

describe('WARN splat', () => {
  const message =
    'DMA-API: gianfar ffe24000.ethernet: device driver tries to sync DMA memory it has not allocated [device address=0x0000000001234000] [size=1536 bytes]';
  const warnTrace = [kernelFrame('check_sync', { offset: 0x1ec }), kernelFrame('debug_dma_sync_single_for_device', { offset: 0x9c }), ...SYNC_TRACE.slice(2)];

  it('cut here, message, WARNING line, modules, CPU, registers (TRAP 0700), trace, end marker', () => {
    const out = formatReport(
      ctx({ kind: 'warn', id: 'dma.sync-not-allocated', title: message, trace: warnTrace, site: { file: 'kernel/dma/debug.c', line: 1148 }, after: ['DMA-API: Mapped at:'] }),
    );
    expect(out.lines[0]).toBe(CUT_HERE);
    expect(out.lines[1]).toBe(message);
    expect(out.lines[2]).toMatch(/^WARNING: CPU: 0 PID: 1 at kernel\/dma\/debug\.c:1148 check_sync\+0x1ec\/0x[0-9a-f]+$/);
    expect(out.lines[3]).toBe('Modules linked in:');
    expect(out.lines[4]).toBe('CPU: 0 PID: 1 Comm: swapper Not tainted 6.6.0-driverlab #1');
    expectInOrder(out.lines, [
      /^NIP: {2}/,
      /^REGS: [0-9a-f]{8} TRAP: 0700 {3}Not tainted {2}\(6\.6\.0-driverlab\)$/,
      /^MSR: /,
      /^GPR00: /,
      /^NIP \[[0-9a-f]{8}\] check_sync\+0x1ec\//,
      /^LR \[[0-9a-f]{8}\] debug_dma_sync_single_for_device\+0x9c\//,
      'Call Trace:',
      /debug_dma_sync_single_for_device\+0x9c\/0x[0-9a-f]+ \(unreliable\)$/,
      /gfar_clean_rx_ring\+0x[0-9a-f]+\/0x[0-9a-f]+ \(drivers\/gianfar\.ts:412\)$/,
      'Instruction dump:',
      /<0fe00000>/,
      END_TRACE,
      'DMA-API: Mapped at:',
    ]);
    expect(out.lines.some((l) => l.startsWith('Oops') || l.startsWith('DEAR') || l.startsWith('Kernel panic'))).toBe(false);
    expect(out.title).toBe(message);
  });

  it('a WARN_ON without message names the site in its headline', () => {
    const out = formatReport(ctx({ kind: 'warn', trace: SYNC_TRACE.slice(3) }));
    expect(out.lines[1]).toMatch(/^WARNING: CPU: 0 PID: 1 at drivers\/gianfar\.ts:412 gfar_clean_rx_ring\+0x20\/0x[0-9a-f]+$/);
    expect(out.title).toBe(out.lines[1]);
  });
});

describe('panic and check reports', () => {
  it('panic: the panic line, a stack dump, the end-of-panic line', () => {
    const out = formatReport(ctx({ kind: 'panic', id: 'panic', title: 'Attempted to kill init! exitcode=0x0000000b', trace: SYNC_TRACE.slice(3) }));
    expect(out.lines[0]).toBe('Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b');
    expect(out.lines[1]).toBe('CPU: 0 PID: 1 Comm: swapper Not tainted 6.6.0-driverlab #1');
    expect(out.lines[2]).toBe('Call Trace:');
    expect(out.lines.at(-1)).toBe('---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b ]---');
    expect(out.fatal).toBe(true);
  });

  it('check: driverlab headline, body, CPU line and a call trace pointing at TypeScript lines', () => {
    const out = formatReport(
      ctx({ kind: 'check', id: 'dma.cpu-write-device-owned', title: 'CPU store to a buffer the device owns', body: ['buffer c1234000+1536 mapped DMA_FROM_DEVICE'], trace: SYNC_TRACE.slice(3) }),
    );
    expect(out.lines[0]).toBe('driverlab: dma.cpu-write-device-owned: CPU store to a buffer the device owns');
    expect(out.lines[1]).toBe('buffer c1234000+1536 mapped DMA_FROM_DEVICE');
    expect(out.lines[2]).toMatch(/^CPU: 0 PID: 1 Comm: swapper /);
    expect(out.lines[3]).toBe('Call Trace:');
    expect(out.lines[4]).toMatch(/^\[[0-9a-f]{8}\] \[[0-9a-f]{8}\] gfar_clean_rx_ring\+0x20\/0x[0-9a-f]+ \(drivers\/gianfar\.ts:412\) \(unreliable\)$/);
    expect(out.lines[5]).toMatch(/gfar_poll\+0x20\/0x[0-9a-f]+ \(drivers\/gianfar\.ts:530\)$/);
    expect(out.lines).toHaveLength(6);
  });
});

describe('taint text', () => {
  it('Not tainted, or one column per 6.6 flag with G for a clear P', () => {
    expect(formatTaint(new Set())).toBe('Not tainted');
    expect(formatTaint(new Set(['W']))).toBe('Tainted: G        W         ');
    expect(formatTaint(new Set(['D', 'W']))).toBe('Tainted: G      D W         ');
    expect(formatTaint(new Set(['P', 'O']))).toBe('Tainted: P           O      ');
  });
  it('the CPU and REGS lines carry it', () => {
    const out = formatReport(ctx({ fault: { address: 0xf000_0000, access: 'read' }, taint: formatTaint(new Set(['W'])) }));
    expect(out.lines).toContain('CPU: 0 PID: 1 Comm: swapper Tainted: G        W          6.6.0-driverlab #1');
    expect(out.lines.find((l) => l.startsWith('REGS:'))).toMatch(/ TRAP: 0300 {3}Tainted: G {8}W {9} {2}\(6\.6\.0-driverlab\)$/);
  });
  it('MSR loses EE when local interrupts are off', () => {
    const out = formatReport(ctx({ fault: { address: 0xf000_0000, access: 'read' }, irqsDisabled: true }));
    expect(out.lines.find((l) => l.startsWith('MSR:'))).toMatch(/^MSR: {2}00021000 <CE,ME> {2}CR: /);
  });
});

const EXPECTED_OOPS = `BUG: Unable to handle kernel data access on write at 0xf0001000
Faulting instruction address: 0xc0034c8c
Oops: Kernel access of bad area, sig: 11 [#3]
BE PAGE_SIZE=4K MPC8544 DS
Modules linked in: gianfar
CPU: 0 PID: 1 Comm: swapper Tainted: G        W          6.6.0-driverlab #1
Hardware name: MPC8544DS e500v2 0x80210030 MPC8544 DS
NIP:  c0034c8c LR: c03aac88 CTR: 00000009
REGS: c2003d60 TRAP: 0300   Tainted: G        W           (6.6.0-driverlab)
MSR:  00029000 <CE,EE,ME>  CR: 22000444  XER: 00000000
DEAR: f0001000 ESR: 00800000
GPR00: c03aac88 c2003e10 c1a00400 f0001000 c10e4ee8 c27afc74 c0f2b6e0 00000061
GPR08: c21e94a4 000000e8 c28f55f8 000000b7 c2f7bf10 00000000 00000000 00000000
GPR16: c0e000f0 c019fe00 c371f6dc 000000c1 c2f21e18 00000000 00000088 c313da74
GPR24: c2dca7b4 00000081 c3004b54 00000000 c18524c4 000000ad c36714d0 c150dfa0
NIP [c0034c8c] arch_sync_dma_for_device+0x48/0x2b0
LR [c03aac88] __dma_sync_single_for_device+0x5c/0x380
Call Trace:
[c2003e10] [c03aac88] __dma_sync_single_for_device+0x5c/0x380 (unreliable)
[c2003e80] [c008a3c0] dma_sync_single_for_device+0x20/0x3f0
[c2003ef0] [c009c328] gfar_clean_rx_ring+0x20/0x380 (drivers/gianfar.ts:412)
[c2003f10] [c03b02d0] gfar_poll+0x20/0x490 (drivers/gianfar.ts:530)
Instruction dump:
7d2903a6 7c9e2378 90010024 41820018 7d2903a6 3d20c0a0 bfa10014 9421ffe0
38800001 48000115 7d2903a6 5529103a <7c001bac> bfa10014 91210008 7d2903a6
---[ end trace 0000000000000000 ]---
Kernel panic - not syncing: Fatal exception
---[ end Kernel panic - not syncing: Fatal exception ]---`;
