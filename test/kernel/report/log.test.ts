import { describe, expect, it } from 'vitest';
import { KERN_DEBUG, KERN_ERR, KERN_INFO, KERN_WARNING, KernelLog, devPrefix, formatTimestamp, type LogLine } from '../../../src/kernel/report/log.js';

describe('printk timestamps', () => {
  it.each([
    [0, '[    0.000000]'],
    [999, '[    0.000000]'],
    [1_000, '[    0.000001]'],
    [1_234_567_890, '[    1.234567]'],
    [59_000_000_000, '[   59.000000]'],
    [12_345_678_901_234, '[12345.678901]'],
    [123_456_000_000_000, '[123456.000000]'],
  ])('%d ns prints as %s', (ns, text) => {
    expect(formatTimestamp(ns)).toBe(text);
  });
});

describe('KernelLog', () => {
  it('dmesg prefixes each line with the simulated time of its printk', () => {
    let now = 0;
    const log = new KernelLog({ clock: () => now });
    log.info('Linux version 6.6.0-driverlab');
    now = 1_500_000_000;
    log.err('line one\nline two');
    expect(log.dmesg()).toBe(['[    0.000000] Linux version 6.6.0-driverlab', '[    1.500000] line one', '[    1.500000] line two'].join('\n'));
  });

  it('dev_printk formats "<driver> <device>: message"', () => {
    const log = new KernelLog();
    log.dev_printk(KERN_ERR, { driver: 'gianfar', name: 'ffe24000.ethernet' }, 'link up');
    log.dev_printk(KERN_INFO, { name: 'ffe24000.ethernet' }, 'no driver');
    expect(log.lines().map((l) => l.text)).toEqual(['gianfar ffe24000.ethernet: link up', 'ffe24000.ethernet: no driver']);
    expect(devPrefix(null)).toBe('(NULL device *): ');
  });

  it('keeps only the last N lines and counts the dropped ones', () => {
    const log = new KernelLog({ capacity: 3 });
    for (let i = 1; i <= 5; i++) log.info(`msg ${i}`);
    expect(log.lines().map((l) => l.text)).toEqual(['msg 3', 'msg 4', 'msg 5']);
    expect(log.length).toBe(3);
    expect(log.dropped).toBe(2);
  });

  it('defaults to a 10000-line ring', () => {
    const log = new KernelLog();
    for (let i = 0; i < 10_005; i++) log.debug(String(i));
    expect(log.length).toBe(10_000);
    expect(log.lines()[0]?.text).toBe('5');
  });

  it('filters by level and streams lines as they are printed', () => {
    const log = new KernelLog();
    const seen: LogLine[] = [];
    const sub = log.lines$.subscribe((l) => seen.push(l));
    log.warn('careful');
    log.debug('noise');
    sub.unsubscribe();
    log.info('after unsubscribe');
    expect(seen.map((l) => [l.level, l.text])).toEqual([
      [KERN_WARNING, 'careful'],
      [KERN_DEBUG, 'noise'],
    ]);
    expect(log.dmesg({ maxLevel: KERN_WARNING })).toBe('[    0.000000] careful');
  });

  it('clear empties the buffer', () => {
    const log = new KernelLog();
    log.info('x');
    log.clear();
    expect(log.dmesg()).toBe('');
    log.info('y');
    expect(log.lines().map((l) => l.text)).toEqual(['y']);
  });
});
