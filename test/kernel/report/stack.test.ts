import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, captureStack, captureStackLazy, classifyFile, parseStack } from '../../../src/kernel/report/stack.js';
import { lineOf } from './helpers.js';

const FILE = 'test/kernel/report/stack.test.ts';

function probe_outer() {
  return probe_inner(); // @outer-call
}
function probe_inner() {
  return captureStack(); // @inner-capture
}

describe('captureStack', () => {
  it('innermost frame first, with TypeScript file, line and function name', () => {
    const frames = probe_outer();
    expect(frames[0]).toMatchObject({ fn: 'probe_inner', file: FILE, line: lineOf(FILE, '@inner-capture'), user: true });
    expect(frames[1]).toMatchObject({ fn: 'probe_outer', file: FILE, line: lineOf(FILE, '@outer-call'), user: true });
    expect(frames[0]?.column).toBeGreaterThan(1);
  });

  it('drops node internals and node_modules (the test runner), keeps only project files', () => {
    const frames = probe_outer();
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) {
      expect(f.file.startsWith('node:')).toBe(false);
      expect(f.file.includes('node_modules')).toBe(false);
    }
  });

  it('skip drops innermost frames; below drops a function and everything above it', () => {
    expect(captureStack({ skip: 1 })[0]?.fn).not.toBe('probe_inner');
    const viaBelow = (function wrapper() {
      return (function helper_to_hide() {
        return captureStack({ below: helper_to_hide });
      })();
    })();
    expect(viaBelow[0]?.fn).toBe('wrapper');
  });
});

describe('captureStackLazy', () => {
  it('records now, builds frames only when asked, and gives the same frames as the eager capture', () => {
    const lazy = (function lazy_site() {
      return captureStackLazy(); // @lazy-capture
    })();
    expect(lazy.materialised).toBe(false);
    const frames = lazy.frames;
    expect(lazy.materialised).toBe(true);
    expect(frames[0]).toMatchObject({ fn: 'lazy_site', file: FILE, line: lineOf(FILE, '@lazy-capture'), user: true });
    expect(lazy.frames).toBe(frames); // cached
  });

  it('keeps the stack of the moment it was taken, not of the moment it is read', () => {
    const lazy = (function taken_here() {
      return captureStackLazy();
    })();
    const frames = (function read_here() {
      return lazy.frames;
    })();
    expect(frames.map((f) => f.fn)).toContain('taken_here');
    expect(frames.map((f) => f.fn)).not.toContain('read_here');
  });

  it('restores the previous Error.prepareStackTrace', () => {
    const before = Error.prepareStackTrace;
    void captureStackLazy().frames;
    void captureStack();
    expect(Error.prepareStackTrace).toBe(before);
  });
});

describe('classifyFile', () => {
  it('src/ is kernel, other project files are user, node internals and node_modules are hidden', () => {
    expect(classifyFile(`${PROJECT_ROOT}/src/kernel/dma/api.ts`)).toEqual({ file: 'src/kernel/dma/api.ts', origin: 'kernel' });
    expect(classifyFile(`file://${PROJECT_ROOT}/drivers/gianfar.ts`)).toEqual({ file: 'drivers/gianfar.ts', origin: 'user' });
    expect(classifyFile(`${PROJECT_ROOT}/test/x.test.ts`).origin).toBe('user');
    expect(classifyFile('/elsewhere/my-driver.ts')).toEqual({ file: '/elsewhere/my-driver.ts', origin: 'user' });
    expect(classifyFile('node:internal/process/task_queues').origin).toBe('hidden');
    expect(classifyFile(`${PROJECT_ROOT}/node_modules/vitest/dist/index.js`).origin).toBe('hidden');
    expect(classifyFile('/app/node_modules/driverlab/node_modules/x/y.js').origin).toBe('hidden');
  });

  it('the project root is the directory with package.json above src/', () => {
    expect(classifyFile(`${PROJECT_ROOT}/package.json`).file).toBe('package.json');
  });
});

describe('parseStack (fallback for formatted stacks)', () => {
  it('reads named and bare frames, drops hidden ones, the reporter\'s own and sandbox internals', () => {
    const text = [
      'TypeError: boom',
      `    at gfar_poll (${PROJECT_ROOT}/drivers/gianfar.ts:530:9)`,
      `    at Reporter.report (${PROJECT_ROOT}/src/kernel/report/reporter.ts:10:3)`,
      `    at Object.napi_poll (file://${PROJECT_ROOT}/src/kernel/net/api.ts:77:12)`,
      `    at Cache.touch (${PROJECT_ROOT}/src/hw/cache.ts:20:1)`,
      `    at ${PROJECT_ROOT}/test/a.test.ts:12:3`,
      '    at new Promise (<anonymous>)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    // Only API modules (api/ folders, api.ts) show among driverlab's frames: the rest is machinery.
    expect(parseStack(text)).toEqual([
      { fn: 'gfar_poll', file: 'drivers/gianfar.ts', line: 530, column: 9, user: true },
      { fn: 'napi_poll', file: 'src/kernel/net/api.ts', line: 77, column: 12, user: false },
      { fn: '<anonymous>', file: 'test/a.test.ts', line: 12, column: 3, user: true },
    ]);
  });

  it('ends the trace at the dispatch boundary (withKernel)', () => {
    const text = [
      'Error: x',
      `    at probe (${PROJECT_ROOT}/drivers/d.ts:5:1)`,
      `    at withKernel (${PROJECT_ROOT}/src/kernel/current.ts:40:5)`,
      `    at Kernel.run (${PROJECT_ROOT}/src/kernel/kernel.ts:10:1)`,
      `    at ${PROJECT_ROOT}/test/a.test.ts:12:3`,
    ].join('\n');
    expect(parseStack(text).map((f) => f.fn)).toEqual(['probe']);
  });
});
