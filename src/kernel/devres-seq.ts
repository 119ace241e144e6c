/**
 * One registration order for every managed resource, whichever layer keeps it (the driver core's
 * devres list, genirq's managed interrupts), so release at unbind runs strictly newest first
 * across all of them — as Linux's single per-device devres list does.
 */
let next = 1;

/** The next registration sequence number. */
export function nextDevresSeq(): number {
  return next++;
}
