import { describe, expect, it } from 'vitest';
import { TraceBus } from '../../../src/sim/trace.js';
import { KernelOops, Reporter, SymbolTable, captureStackLazy, kernelFrame, type Report, type ReporterOptions } from '../../../src/kernel/report/index.js';
import { lineOf } from './helpers.js';

const FILE = 'test/kernel/report/reporter.test.ts';

function board(over: Partial<ReporterOptions> = {}): Reporter {
  return new Reporter({ seed: 0xd15ea5e, clock: () => 2_500_000_000, platform: 'MPC8544 DS', symbols: new SymbolTable(), ...over });
}

// A "driver": a read through a bad pointer, reported as an oops from the line that does it.
function my_rx_poll(r: Reporter): never {
  throw r.oops({ fault: { address: 0, access: 'read' } }); // @oops-line
}
function my_napi_poll(r: Reporter): void {
  my_rx_poll(r); // @caller-line
}

function catchOops(f: () => void): KernelOops {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelOops) return e;
    throw e;
  }
  throw new Error('no oops');
}

describe('oops from driver code', () => {
  it('NIP, LR and the call trace point at the driver functions and their TypeScript lines', () => {
    const r = board();
    const oops = catchOops(() => my_napi_poll(r));
    const rep = oops.report;
    expect(rep.trace[0]).toMatchObject({ fn: 'my_rx_poll', file: FILE, line: lineOf(FILE, '@oops-line'), user: true });
    expect(rep.trace[1]).toMatchObject({ fn: 'my_napi_poll', file: FILE, line: lineOf(FILE, '@caller-line'), user: true });
    const lines = rep.text.split('\n');
    const nip = lines.find((l) => l.startsWith('NIP ['));
    const lr = lines.find((l) => l.startsWith('LR ['));
    expect(nip).toMatch(new RegExp(`^NIP \\[[0-9a-f]{8}\\] my_rx_poll\\+0x[0-9a-f]+/0x[0-9a-f]+ \\(${FILE}:${lineOf(FILE, '@oops-line')}\\)$`));
    expect(lr).toMatch(new RegExp(`^LR \\[[0-9a-f]{8}\\] my_napi_poll\\+0x[0-9a-f]+/0x[0-9a-f]+ \\(${FILE}:${lineOf(FILE, '@caller-line')}\\)$`));
    const trace = lines.slice(lines.indexOf('Call Trace:') + 1);
    expect(trace[0]).toMatch(/my_napi_poll\+.* \(unreliable\)$/);
    expect(lines).toContain('BUG: Kernel NULL pointer dereference on read at 0x00000000');
    expect(rep.id).toBe('oops.null-deref');
    expect(rep.seed).toBe(0xd15ea5e);
    expect(rep.time).toBe(2_500_000_000);
    expect(rep.details).toMatchObject({ oops: 1, signal: 11, fatal: false, address: 0, access: 'read' });
  });

  it('none of the reporter\'s own frames appear in the trace', () => {
    const oops = catchOops(() => my_napi_poll(board()));
    expect(oops.report.trace.some((f) => f.file.startsWith('src/kernel/report/'))).toBe(false);
  });

  it('synthetic kernel frames come first: NIP in arch_sync_dma_for_device, LR in __dma_sync_single_for_device', () => {
    const r = board();
    const oops = catchOops(function bad_sync_driver() {
      throw r.oops({
        fault: { address: 0xf000_1000, access: 'write' },
        frames: [kernelFrame('arch_sync_dma_for_device'), kernelFrame('__dma_sync_single_for_device')],
      });
    });
    const lines = oops.report.text.split('\n');
    expect(lines.find((l) => l.startsWith('NIP ['))).toMatch(/\] arch_sync_dma_for_device\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
    expect(lines.find((l) => l.startsWith('LR ['))).toMatch(/\] __dma_sync_single_for_device\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
    expect(lines.slice(lines.indexOf('Call Trace:') + 1, lines.indexOf('Call Trace:') + 3).join('\n')).toMatch(
      /__dma_sync_single_for_device.*\(unreliable\)\n.*bad_sync_driver\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/report\/reporter\.test\.ts:\d+\)$/,
    );
    expect(lines).toContain('DEAR: f0001000 ESR: 00800000');
  });

  it('counts oopses per board ([#N]) and taints D after the first', () => {
    const r = board();
    const a = catchOops(() => my_napi_poll(r));
    const b = catchOops(() => my_napi_poll(r));
    expect(a.report.text).toContain('Oops: Kernel access of bad area, sig: 11 [#1]');
    expect(a.report.text).toContain('Comm: swapper Not tainted 6.6.0-driverlab #1');
    expect(b.report.text).toContain('Oops: Kernel access of bad area, sig: 11 [#2]');
    expect(b.report.text).toContain(`Comm: swapper Tainted: G      D${' '.repeat(11)} 6.6.0-driverlab #1`);
    expect(r.oopsCount).toBe(2);
    expect(board().oopsCount).toBe(0); // another board has its own counter
  });

  it('the same call sites get the same addresses on two reporters', () => {
    const nipOf = (r: Reporter) => catchOops(() => my_napi_poll(r)).report.details['nip'];
    const a = nipOf(board({ symbols: new SymbolTable() }));
    const b = nipOf(board({ symbols: new SymbolTable() }));
    expect(typeof a).toBe('number');
    expect(a).toBe(b);
  });

  it('the oops lands in dmesg with the timestamp, and in reports / reports$', () => {
    const r = board();
    const seen: Report[] = [];
    r.reports$.subscribe((x) => seen.push(x));
    const oops = catchOops(() => my_napi_poll(r));
    expect(r.log.dmesg()).toContain('[    2.500000] Oops: Kernel access of bad area, sig: 11 [#1]');
    expect(r.reports).toEqual([oops.report]);
    expect(seen).toEqual([oops.report]);
  });

  it('publishes a report event on the trace bus', () => {
    const bus = new TraceBus();
    const events: unknown[] = [];
    bus.events$.subscribe((e) => events.push(e));
    const r = board({ trace: bus });
    catchOops(() => my_napi_poll(r));
    expect(events).toContainEqual({ kind: 'report', t: 2_500_000_000, id: 'oops.null-deref', title: 'BUG: Kernel NULL pointer dereference on read at 0x00000000' });
  });
});

describe('panic cases', () => {
  it('an oops in interrupt context panics the board', () => {
    const r = board({ context: () => ({ inInterrupt: true, irqsDisabled: true }) });
    const oops = catchOops(() => my_napi_poll(r));
    expect(oops.fatal).toBe(true);
    expect(r.panicked).toBe(true);
    expect(oops.report.text.split('\n').slice(-2)).toEqual([
      'Kernel panic - not syncing: Fatal exception in interrupt',
      '---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---',
    ]);
    expect(oops.report.text).toMatch(/MSR: {2}00021000 <CE,ME>/);
  });

  it('panic_on_oops turns any oops into "Fatal exception"', () => {
    const r = board({ panicOnOops: true });
    const oops = catchOops(() => my_napi_poll(r));
    expect(oops.fatal).toBe(true);
    expect(r.panicked).toBe(true);
    expect(oops.report.text).toContain('Kernel panic - not syncing: Fatal exception\n');
  });

  it('without either, the oops only kills the path and the board goes on', () => {
    const r = board();
    const oops = catchOops(() => my_napi_poll(r));
    expect(oops.fatal).toBe(false);
    expect(r.panicked).toBe(false);
    expect(oops.report.text).not.toContain('Kernel panic');
  });

  it('panic(msg) prints the panic lines, marks the board and returns the report', () => {
    const r = board();
    const rep = r.panic('Attempted to kill init! exitcode=0x0000000b');
    expect(r.panicked).toBe(true);
    expect(rep.kind).toBe('panic');
    expect(rep.title).toBe('Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b');
    expect(rep.text.split('\n').at(-1)).toBe('---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b ]---');
    expect(r.log.dmesg()).toContain('[    2.500000] Kernel panic - not syncing: Attempted to kill init!');
  });
});

describe('BUG and JavaScript exceptions', () => {
  it('bug(): kernel BUG at the given site, sig 5, returned as a KernelOops', () => {
    const r = board();
    const oops = r.bug({ site: { file: 'kernel/dma/mapping.c', line: 331 }, frames: [kernelFrame('__dma_sync_single_for_device')] });
    expect(oops.signal).toBe(5);
    expect(oops.report.title).toBe('kernel BUG at kernel/dma/mapping.c:331!');
    expect(oops.report.text).toContain('Oops: Exception in kernel mode, sig: 5 [#1]');
  });

  it('exception(): a TypeError from driver code becomes a BUG at the throwing line', () => {
    const r = board();
    let err: unknown;
    try {
      (null as unknown as { len: number }).len; // @throw-line
    } catch (e) {
      err = e;
    }
    const oops = r.exception(err);
    expect(oops.report.title).toBe(`kernel BUG at ${FILE}:${lineOf(FILE, '@throw-line')}!`);
    expect(oops.report.text).toMatch(/\nTypeError: Cannot read properties of null/);
    expect(r.exception(oops)).toBe(oops); // already an oops: passes through, not reported twice
    expect(r.count()).toBe(1);
  });
});

describe('WARN through the reporter', () => {
  function my_driver_sync(r: Reporter): Report {
    return r.warn({
      id: 'dma.sync-not-allocated',
      title: 'DMA-API: gianfar ffe24000.ethernet: device driver tries to sync DMA memory it has not allocated [device address=0x0000000001234000] [size=1536 bytes]',
      frames: [kernelFrame('check_sync'), kernelFrame('debug_dma_sync_single_for_device')],
      site: { file: 'kernel/dma/debug.c', line: 1148 },
      driver: 'gianfar',
      device: 'ffe24000.ethernet',
    });
  }

  it('prints the splat, keeps driver/device, taints W for later reports', () => {
    const r = board();
    const w = my_driver_sync(r);
    expect(w.kind).toBe('warn');
    expect(w.driver).toBe('gianfar');
    expect(w.text.split('\n')[2]).toMatch(/^WARNING: CPU: 0 PID: 1 at kernel\/dma\/debug\.c:1148 check_sync\+/);
    expect(w.text).toContain('Not tainted'); // the WARN itself is printed before the taint is added
    expect(r.taint.has('W')).toBe(true);
    expect(r.panic('x').text).toContain('Tainted: G        W         ');
  });

  it('below: hides a subsystem helper so the trace starts at its caller', () => {
    const r = board();
    function internal_helper(): Report {
      return r.report({ kind: 'check', id: 'x', title: 't', below: internal_helper });
    }
    const rep = (function api_entry() {
      return internal_helper();
    })();
    expect(rep.trace[0]?.fn).toBe('api_entry');
  });

  it('a lazily captured stack can be reported later (e.g. the mapping call of a DMA-API error)', () => {
    const r = board();
    const mappedAt = (function my_map_call() {
      return captureStackLazy();
    })();
    const rep = r.report({ kind: 'check', id: 'dma.leak', title: 'mapping never unmapped', trace: mappedAt });
    expect(rep.trace[0]?.fn).toBe('my_map_call');
  });
});

describe('policy', () => {
  const dmaErr = (r: Reporter, n: number) => r.warn({ id: 'dma.unmap-unknown', title: `DMA-API: error ${n}` });

  it('first-error-only: the first dma.* report prints, later ones are only counted', () => {
    const r = board();
    r.policy.limit('dma.', 1);
    dmaErr(r, 1);
    const second = dmaErr(r, 2);
    r.warn({ id: 'dma.sync-not-allocated', title: 'DMA-API: error 3' });
    r.report({ kind: 'check', id: 'irq.unhandled', title: 'other prefix' });
    expect(r.reports.map((x) => x.title)).toEqual(['DMA-API: error 1', 'driverlab: irq.unhandled: other prefix']);
    expect(r.suppressed).toBe(2);
    expect(r.seen('dma.')).toBe(3);
    expect(r.count('dma.')).toBe(1);
    expect(second.text).toBe('');
    expect(second.details).toMatchObject({ printed: false, verdict: 'suppressed' });
    expect(r.log.dmesg()).not.toContain('error 2');
    r.policy.unlimit('dma.');
    dmaErr(r, 4);
    expect(r.count('dma.')).toBe(2);
  });

  it('disable/enable per id (and id* patterns): disabled reports are counted, not stored or logged', () => {
    const r = board();
    r.policy.disable('dma.unmap-unknown');
    dmaErr(r, 1);
    expect(r.count()).toBe(0);
    expect(r.seen('dma.unmap-unknown')).toBe(1);
    expect(r.policy.disabledCount()).toBe(1);
    expect(r.log.length).toBe(0);
    r.policy.enable('dma.unmap-unknown');
    dmaErr(r, 2);
    expect(r.count()).toBe(1);
    r.policy.disable('dma.*');
    r.warn({ id: 'dma.sync-not-allocated', title: 'x' });
    expect(r.count()).toBe(1);
  });

  it('severity override prints a report as another kind', () => {
    const r = board();
    r.policy.setSeverity('dma.unmap-unknown', 'check');
    const rep = dmaErr(r, 1);
    expect(rep.kind).toBe('check');
    expect(rep.text.split('\n')[0]).toBe('driverlab: dma.unmap-unknown: DMA-API: error 1');
  });

  it('strict mode: assertClean throws with the report text; count and clear', () => {
    const r = board({ strict: true });
    expect(() => r.assertClean()).not.toThrow();
    dmaErr(r, 1);
    expect(() => r.assertClean()).toThrow(/dma\.unmap-unknown[\s\S]*DMA-API: error 1\nWARNING: CPU: 0 PID: 1 at /);
    expect(() => r.assertClean('irq.')).not.toThrow();
    r.clear();
    expect(r.count()).toBe(0);
    expect(() => r.assertClean()).not.toThrow();
  });

  it('outside strict mode only oops/BUG/panic reports fail assertClean', () => {
    const r = board();
    dmaErr(r, 1);
    r.report({ kind: 'check', id: 'c', title: 'a check' });
    expect(() => r.assertClean()).not.toThrow();
    catchOops(() => my_napi_poll(r));
    expect(() => r.assertClean()).toThrow(/oops\.null-deref/);
  });

  it('clear refills budgets but keeps board state (taint, oops count, panicked)', () => {
    const r = board();
    r.policy.limit('dma.', 1);
    dmaErr(r, 1);
    dmaErr(r, 2);
    catchOops(() => my_napi_poll(r));
    r.clear();
    expect(r.suppressed).toBe(0);
    dmaErr(r, 3);
    expect(r.count('dma.')).toBe(1);
    expect(r.oopsCount).toBe(1);
    expect(r.taint.has('D')).toBe(true);
  });
});
