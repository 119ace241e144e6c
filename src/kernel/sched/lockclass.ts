/**
 * Lock classes keyed by the place a lock is initialised, as lockdep keys them by the static key
 * of each init site: every lock made at one source line shares one class (and so one usage
 * history). Names default to that site when the driver gives none.
 */
import { captureStack } from '../report/stack.js';
import { LockClass } from './lockdep.js';

const bySite = new Map<string, LockClass>();

/** The class for a lock initialised now (call from the init function; `below` is dropped from the stack). */
export function lockClassHere(waitType: number, name: string | undefined, below: Function): LockClass {
  if (name !== undefined) return new LockClass(name, waitType);
  const frames = captureStack({ limit: 8, below });
  const f = frames.find((x) => x.user) ?? frames[0];
  const key = f ? `${f.file}:${f.line}:${f.column}` : '<unknown>';
  let cls = bySite.get(key);
  if (!cls) {
    const base = f ? f.file.slice(f.file.lastIndexOf('/') + 1) : 'unknown';
    cls = new LockClass(f ? `&lock@${base}:${f.line}` : '&lock', waitType);
    bySite.set(key, cls);
  }
  return cls;
}
