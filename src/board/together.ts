/**
 * Running several boards joined by links: each board's CPU idles (delivering its interrupts,
 * softirqs and device events) a slice at a time, in turn. A frame one board sends reaches the other
 * no earlier than the link's propagation delay, so slices no longer than that delay keep every
 * board's clock from passing a time at which another may still hand it a frame.
 */
import type { Board } from './board.js';

/** Let `ns` of simulated time pass on every board, in slices of `sliceNs` (≤ the links' propagation delay). */
export function idleTogether(boards: readonly Board[], ns: number, sliceNs: number): void {
  if (!(sliceNs > 0)) throw new RangeError(`idleTogether: sliceNs must be positive, got ${sliceNs}`);
  const start = Math.min(...boards.map((b) => b.machine.now));
  const end = start + ns;
  for (let t = start; t < end; ) {
    t = Math.min(end, t + sliceNs);
    for (const b of boards) if (b.machine.now < t) b.idle(t - b.machine.now);
  }
}
