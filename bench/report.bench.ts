/** Cost of capturing a call trace: eager structured capture, lazy capture, and the formatted-string baseline. */
import { bench, describe } from 'vitest';
import { captureStack, captureStackLazy } from '../src/kernel/report/stack.js';

function depth(n: number, f: () => unknown): unknown {
  return n <= 0 ? f() : depth(n - 1, f);
}

describe('stack capture (8 extra frames deep)', () => {
  bench('captureStack (structured + source-mapped)', () => {
    depth(8, () => captureStack());
  });
  bench('captureStackLazy (not materialised)', () => {
    depth(8, () => captureStackLazy());
  });
  bench('captureStackLazy({ limit: 8 }) (not materialised)', () => {
    depth(8, () => captureStackLazy({ limit: 8 }));
  });
  bench('captureStackLazy + .frames', () => {
    depth(8, () => captureStackLazy().frames);
  });
  bench('baseline: new Error().stack (formatted by the runner)', () => {
    depth(8, () => new Error('x').stack);
  });
});
