/** Shared fixtures for the scheduler, locking and time tests. */
export { irqBoard, addToyDevice, mpicOf, reportsOf } from '../irq/helpers.js';

/** Unwrap a RunResult, failing the test with the oops text. */
export function ok<T>(r: { ok: true; value: T } | { ok: false; oops: { text: string } }): T {
  if (!r.ok) throw new Error(r.oops.text);
  return r.value;
}
