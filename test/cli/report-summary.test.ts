/** The run summary's report section: each distinct finding once, with its count and where it fired. */
import { describe, expect, it } from 'vitest';
import { summariseReports } from '../../src/cli/report-summary.js';
import type { Report } from '../../src/kernel/report/types.js';

function report(id: string, device: string, time: number, fn?: string, details: Record<string, unknown> = {}): Report {
  return {
    kind: 'warn',
    id,
    title: `driverlab: ${id}: headline ${time}`,
    text: `driverlab: ${id}: headline ${time}\nsecond line`,
    device,
    trace: fn ? [{ fn: 'kernel_helper', file: 'src/kernel/x.ts', line: 1, column: 1, user: false }, { fn, file: 'drivers/d.ts', line: 42, column: 3, user: true }] : [],
    seed: 1,
    time,
    details,
  };
}

describe('summariseReports', () => {
  it('says none when there are none', () => {
    expect(summariseReports([])).toEqual(['Reports: 0']);
  });

  it('groups by check and device, counts repeats, and shows the first occurrence in full at its first user frame', () => {
    const lines = summariseReports([
      report('dma.a', 'dev0', 1e6, 'drv_rx'),
      report('dma.b', 'dev0', 2e6),
      report('dma.a', 'dev0', 3e6, 'drv_rx'),
      report('dma.a', 'dev1', 4e6, 'drv_rx'),
    ]);
    expect(lines).toEqual([
      'Reports: 4 (3 distinct; each shown once, first occurrence)',
      '',
      '  dma.a (dev0) at drv_rx (drivers/d.ts:42): 2 times, first at 1.000 ms',
      '    driverlab: dma.a: headline 1000000',
      '    second line',
      '',
      '  dma.b (dev0): 1 time, first at 2.000 ms',
      '    driverlab: dma.b: headline 2000000',
      '    second line',
      '',
      '  dma.a (dev1) at drv_rx (drivers/d.ts:42): 1 time, first at 4.000 ms',
      '    driverlab: dma.a: headline 4000000',
      '    second line',
    ]);
  });

  it('labels the CPU frame of a device access as where the CPU was, not as the bug site', () => {
    expect(summariseReports([report('dma.device-access-unmapped', 'dev0', 0, 'drv_poll', { actor: 'device' })])[2]).toBe(
      '  dma.device-access-unmapped (dev0) while the CPU was at drv_poll (drivers/d.ts:42): 1 time, first at 0.000 ms',
    );
  });

  it('does not claim grouping when every report is distinct', () => {
    expect(summariseReports([report('dma.a', 'dev0', 0)])[0]).toBe('Reports: 1');
  });
});
