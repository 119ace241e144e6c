import { expect, it } from 'vitest';
import { Reporter, SymbolTable, isKernelOops } from '../../../src/kernel/report/index.js';
import { lineOf } from './helpers.js';
import { toy_poll, toy_tx_irq } from './toy-driver.js';

const TOY = 'test/kernel/report/toy-driver.ts';

/** The run docs/reports.md shows (set DRIVERLAB_SHOW=1 to print its dmesg). */
it('the toy driver\'s WARN and oops, as docs/reports.md shows them', () => {
  const r = new Reporter({
    seed: 1234,
    clock: () => 3_141_592_653,
    platform: 'MPC8544 DS',
    hardware: 'MPC8544DS e500v2 0x80210030 MPC8544 DS',
    symbols: new SymbolTable(),
  });
  const warn = toy_tx_irq(r);
  let oopsText = '';
  try {
    toy_poll(r, 64);
  } catch (e) {
    if (!isKernelOops(e)) throw e;
    oopsText = e.report.text;
  }
  if (process.env['DRIVERLAB_SHOW']) console.log(r.log.dmesg());

  expect(warn.text).toMatch(/\n\[[0-9a-f]{8}\] \[[0-9a-f]{8}\] toy_clean_tx\+0x[0-9a-f]+\/0x[0-9a-f]+ \(test\/kernel\/report\/toy-driver\.ts:(\d+)\)\n/);
  expect(warn.text).toContain(`(${TOY}:${lineOf(TOY, '@tx-irq-call')})`);
  expect(oopsText).toContain('BUG: Unable to handle kernel data access on write at 0xf001f800');
  expect(oopsText).toContain(`toy_refill_rx+`);
  expect(oopsText).toContain(`(${TOY}:${lineOf(TOY, '@refill-throw')})`);
  expect(oopsText).toContain(`(${TOY}:${lineOf(TOY, '@poll-call')})`);
  expect(oopsText).toContain('CPU: 0 PID: 1 Comm: swapper Tainted: G        W          6.6.0-driverlab #1');
  // the DMA stand-in hid itself with `below`: the frame after the synthetic ones is the driver's
  const trace = oopsText.split('\n');
  const i = trace.indexOf('Call Trace:');
  expect(trace[i + 2]).toMatch(/ toy_refill_rx\+/);
});
