/**
 * The MPIC's delivery decision for CPU 0: which pending interrupt (if any) wins by priority against
 * the current task priority and the in-service interrupts; it changes no state and leaves out
 * multi-CPU distribution and critical/machine-check routing.
 */
import { DEST_P0 as DEST_P0_, VPR_MSK as VPR_MSK_, VPR_PRIORITY_SHIFT as VPR_PRIORITY_SHIFT_ } from './layout.js';
import type { IrqState } from './state.js';

const VPR_MSK = VPR_MSK_;
const VPR_PRIORITY_SHIFT = VPR_PRIORITY_SHIFT_;
const DEST_P0 = DEST_P0_;

/** Where each interrupt's configuration lives in the register file. */
export interface DeliveryMap {
  /** Register-file slot of interrupt i's vector/priority register. */
  readonly vprSlot: Int32Array;
  /** Slot of interrupt i's destination register, or -1 (IPIs: pending is already per CPU). */
  readonly destSlot: Int32Array;
}

/** Priority field of a vector/priority register value. */
export function priorityOf(vpr: number): number {
  return (vpr >>> VPR_PRIORITY_SHIFT) & 0xf;
}

/**
 * The interrupt CPU 0 would take now: the pending, unmasked, not-in-service interrupt routed to
 * CPU 0 with the highest priority strictly above `threshold` (max of CTPR and the highest
 * in-service priority); ties go to the lower index. Priority 0 never qualifies. Returns -1 when
 * nothing qualifies. Cost: proportional to the number of pending interrupts.
 */
export function selectDeliverable(st: IrqState, regs: Uint32Array, map: DeliveryMap, threshold: number): number {
  const pending = st.pending;
  const inService = st.inService;
  const vprSlot = map.vprSlot;
  const destSlot = map.destSlot;
  let best = -1;
  let bestPrio = threshold < 0 ? 0 : threshold;
  for (let w = 0; w < pending.length; w++) {
    let bits = pending[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      const i = (w << 5) + (31 - Math.clz32(low));
      bits ^= low;
      if (inService[i]) continue;
      const vpr = regs[vprSlot[i]!]!;
      if (vpr & VPR_MSK) continue;
      const prio = (vpr >>> VPR_PRIORITY_SHIFT) & 0xf;
      if (prio <= bestPrio) continue; // strict: lower index wins ties
      const ds = destSlot[i]!;
      if (ds >= 0 && (regs[ds]! & DEST_P0) === 0) continue;
      best = i;
      bestPrio = prio;
    }
  }
  return best;
}
