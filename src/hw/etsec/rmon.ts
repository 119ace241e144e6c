/**
 * RMON statistics as the MAC keeps them: size buckets shared by both directions, receive and
 * transmit frame, byte, cast and error counters, 32 bits wide; not modelled: carry (CAR1/CAR2
 * never set, MSRO never raised), clear-on-read, collision and PAUSE counters (full duplex only).
 */
import { SLOT as SLOT_ } from './registers.js';

const S = SLOT_;
const S_TR64 = S.TR64; // TR64..TRMGV are consecutive slots (declared in order)
const S_RBYT = S.RBYT;
const S_RPKT = S.RPKT;
const S_RFCS = S.RFCS;
const S_RMCA = S.RMCA;
const S_RBCA = S.RBCA;
const S_RFLR = S.RFLR;
const S_RUND = S.RUND;
const S_ROVR = S.ROVR;
const S_RFRG = S.RFRG;
const S_RJBR = S.RJBR;
const S_RDRP = S.RDRP;
const S_TBYT = S.TBYT;
const S_TPKT = S.TPKT;
const S_TMCA = S.TMCA;
const S_TBCA = S.TBCA;
const S_TDRP = S.TDRP;
const S_TFCS = S.TFCS;
const S_TOVR = S.TOVR;
const S_TUND = S.TUND;

/** Which TRxx bucket (0 = TR64 … 5 = TRMAX, 6 = TRMGV) a frame of `len` bytes (FCS included) counts in, or -1. */
export function sizeBucket(len: number, vlanTagged: boolean): number {
  if (len <= 64) return len === 64 ? 0 : -1;
  if (len <= 127) return 1;
  if (len <= 255) return 2;
  if (len <= 511) return 3;
  if (len <= 1023) return 4;
  if (len <= 1518) return 5;
  if (len <= 1522 && vlanTagged) return 6;
  return -1;
}

function inc(regs: Uint32Array, slot: number, by = 1): void {
  regs[slot] = (regs[slot]! + by) >>> 0;
}

function bucket(regs: Uint32Array, len: number, frame: Uint8Array): void {
  const b = sizeBucket(len, frame[12] === 0x81 && frame[13] === 0x00);
  if (b >= 0) inc(regs, S_TR64 + b);
}

/** A frame seen by the receiver (before filtering). `len` includes the FCS. */
export function countRx(regs: Uint32Array, frame: Uint8Array, len: number, crcError: boolean, minLen: number, maxLen: number): void {
  inc(regs, S_RPKT);
  inc(regs, S_RBYT, len);
  bucket(regs, len, frame);
  if ((frame[0]! & 1) !== 0) {
    if (frame[0] === 0xff && frame[1] === 0xff && frame[2] === 0xff && frame[3] === 0xff && frame[4] === 0xff && frame[5] === 0xff) inc(regs, S_RBCA);
    else inc(regs, S_RMCA);
  }
  if (crcError) inc(regs, S_RFCS);
  if (len < minLen) inc(regs, crcError ? S_RFRG : S_RUND);
  else if (len > maxLen) inc(regs, crcError ? S_RJBR : S_ROVR);
  if (len < minLen || len > maxLen) inc(regs, S_RFLR);
}

/** A received frame the MAC had to throw away (no BD, halted queue, overrun). */
export function countRxDrop(regs: Uint32Array): void {
  inc(regs, S_RDRP);
}

/** A transmitted frame. `len` includes the FCS. */
export function countTx(regs: Uint32Array, frame: Uint8Array, len: number, crcError: boolean, maxLen: number): void {
  inc(regs, S_TPKT);
  inc(regs, S_TBYT, len);
  bucket(regs, len, frame);
  if ((frame[0]! & 1) !== 0) {
    if (frame[0] === 0xff && frame[1] === 0xff && frame[2] === 0xff && frame[3] === 0xff && frame[4] === 0xff && frame[5] === 0xff) inc(regs, S_TBCA);
    else inc(regs, S_TMCA);
  }
  if (crcError) inc(regs, S_TFCS);
  if (len > maxLen) inc(regs, S_TOVR);
  if (len < 64) inc(regs, S_TUND);
}

/** A frame the transmitter discarded (aborted by reset or bus error). */
export function countTxDrop(regs: Uint32Array): void {
  inc(regs, S_TDRP);
}
