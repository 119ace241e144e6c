/** CRC-32 as the FCS and Linux's ether_crc compute it. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bitrev32, crc32, etherCrc } from '../../../src/hw/net/crc32.js';

/** Bit-at-a-time MSB-first CRC (the form the old crc32_be-based ether_crc used), for cross-checking. */
function crc32BeBitwise(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    for (let k = 0; k < 8; k++) {
      const bit = ((byte >>> k) & 1) ^ (c >>> 31);
      c = (c << 1) >>> 0;
      if (bit) c = (c ^ 0x04c11db7) >>> 0;
    }
  }
  return c >>> 0;
}

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bytewise reference on any data and offset (slicing-by-8 edges)', () => {
    const ref = (d: Uint8Array): number => {
      let c = 0xffffffff;
      for (const x of d) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      }
      return ~c >>> 0;
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(7), (d, off) => {
      const buf = new Uint8Array(d.length + off);
      buf.set(d, off);
      return crc32(buf, off, d.length) === ref(d);
    }));
  });

  it('gives the same value on the native path for long runs at any offset', () => {
    const buf = new Uint8Array(3000).map((_, i) => (i * 31 + 7) & 0xff);
    for (const [off, len] of [[0, 3000], [1, 1514], [3, 127], [5, 128], [17, 2049]] as const) {
      let c = 0xffffffff;
      for (let i = off; i < off + len; i++) {
        c ^= buf[i]!;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      }
      expect(crc32(buf, off, len), `${off}+${len}`).toBe(~c >>> 0);
    }
  });

  it('ether_crc is the MSB-first CRC of the address (bit-reversed raw register)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (mac) => etherCrc(mac) === crc32BeBitwise(mac)));
    expect(bitrev32(0x1)).toBe(0x8000_0000);
    expect(bitrev32(0xf0f0_0000)).toBe(0x0000_0f0f);
  });
});
