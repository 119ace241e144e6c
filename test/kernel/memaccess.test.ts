import { describe, it, expect } from 'vitest';
import { withKernel } from '../../src/kernel/current.js';
import {
  copy_from_host, copy_to_host, ld_be16, ld_be32, ld_be64, ld_le16, ld_le32, ld_u8, memchr_inv, memcmp, memcpy, memmove, memset,
  st_be16, st_be32, st_be64, st_le32, st_u8,
} from '../../src/kernel/memaccess.js';
import { array, be16, be32, bytes, defineStruct, le32, offsetof, sizeof, u8 } from '../../src/kernel/struct.js';
import { PAGE_OFFSET, ramBytes, testMachine } from '../hw/helpers.js';

const p = PAGE_OFFSET + 0x4000;

function onBoard<T>(fn: () => T): T {
  const m = testMachine();
  return withKernel({ cpu: m.cpu }, fn);
}

describe('driver memory accessors', () => {
  it('load and store at every width in both byte orders', () => {
    onBoard(() => {
      st_be32(p, 0x01020304);
      expect(ld_u8(p)).toBe(1);
      expect(ld_be16(p + 2)).toBe(0x0304);
      expect(ld_le32(p)).toBe(0x04030201);
      expect(ld_le16(p)).toBe(0x0201);
      st_u8(p + 4, 0xff);
      st_be16(p + 6, 0xabcd);
      st_le32(p + 8, 0x11223344);
      expect(Array.from(copy_to_host(p + 4, 8))).toEqual([0xff, 0, 0xab, 0xcd, 0x44, 0x33, 0x22, 0x11]);
      st_be64(p + 16, 0x0123456789abcdefn);
      expect(ld_be64(p + 16)).toBe(0x0123456789abcdefn);
      expect(ld_be32(p + 20)).toBe(0x89abcdef);
    });
  });

  it('memcpy, memmove, memset, memcmp and memchr_inv behave like the C library', () => {
    onBoard(() => {
      copy_from_host(p, [1, 2, 3, 4, 5, 6, 7, 8]);
      expect(memcpy(p + 100, p, 8)).toBe(p + 100);
      expect(memcmp(p, p + 100, 8)).toBe(0);
      memmove(p + 2, p, 6);
      expect(Array.from(copy_to_host(p, 8))).toEqual([1, 2, 1, 2, 3, 4, 5, 6]);
      memset(p, 0x1ab, 4); // c is converted to unsigned char
      expect(Array.from(copy_to_host(p, 5))).toEqual([0xab, 0xab, 0xab, 0xab, 3]);
      expect(memchr_inv(p, 0xab, 8)).toBe(4);
      expect(memcmp(p, p + 100, 1)).toBeGreaterThan(0);
    });
  });

  it('goes through the cache: a store is not in RAM until written back', () => {
    const m = testMachine();
    withKernel({ cpu: m.cpu }, () => st_be32(p, 0xfeedface));
    expect(ramBytes(m, 0x4000, 4)).toEqual([0, 0, 0, 0]);
    m.cache.flush(0x4000, 4);
    expect(ramBytes(m, 0x4000, 4)).toEqual([0xfe, 0xed, 0xfa, 0xce]);
  });

  it('names the bad argument instead of crashing', () => {
    onBoard(() => {
      expect(() => ld_be32(-4)).toThrow('ld_be32: p must be a 32-bit kernel address (a non-negative integer), got -4');
      expect(() => ld_be32(Number.NaN)).toThrow(/ld_be32: p must be .*got NaN/);
      expect(() => ld_be32('0xc0000000' as unknown as number)).toThrow(/got "0xc0000000"/);
      expect(() => memcpy(p, p + 8, 1.5)).toThrow('memcpy: n must be a non-negative integer byte count, got 1.5');
      expect(() => st_be32(0x1_0000_0000, 1)).toThrow(/st_be32: p must be/);
    });
  });

  it('says clearly when no board is running', () => {
    expect(() => ld_be32(p)).toThrow(/ld_be32: no board is running/);
  });
});

describe('struct layouts', () => {
  const RxBd = defineStruct('rxbd8', { status: be16, length: be16, bufPtr: be32 });
  const Mixed = defineStruct('mixed', { flag: u8, word: be32, tail: u8 });
  const Packed = defineStruct('packed', { flag: u8, word: be32 }, { packed: true });
  const Outer = defineStruct('outer', { hdr: u8, bd: RxBd, mac: bytes(6), ring: array(RxBd, 4), le: le32 });

  it('lays out members with C alignment and padding', () => {
    expect(sizeof(RxBd)).toBe(8);
    expect(offsetof(RxBd, 'bufPtr')).toBe(4);
    expect(sizeof(Mixed)).toBe(12);
    expect(offsetof(Mixed, 'word')).toBe(4);
    expect(offsetof(Mixed, 'tail')).toBe(8);
    expect(sizeof(Packed)).toBe(5);
    expect(offsetof(Outer, 'bd')).toBe(4);
    expect(offsetof(Outer, 'mac')).toBe(12);
    expect(offsetof(Outer, 'ring')).toBe(20);
    expect(offsetof(Outer, 'le')).toBe(52);
    expect(sizeof(Outer)).toBe(56);
  });

  it('reads and writes fields in their declared byte order', () => {
    onBoard(() => {
      RxBd.status.set(p, 0x8000);
      RxBd.length.set(p, 1514);
      RxBd.bufPtr.set(p, 0x01234560);
      expect(Array.from(copy_to_host(p, 8))).toEqual([0x80, 0, 0x05, 0xea, 0x01, 0x23, 0x45, 0x60]);
      expect(RxBd.length.get(p)).toBe(1514);
      Outer.le.set(p + 64, 0x11223344);
      expect(ld_be32(p + 64 + 52)).toBe(0x44332211);
      expect(RxBd.bufPtr.get(Outer.bd.addr(p + 64) - 4 + 4)).toBe(RxBd.bufPtr.get(p + 64 + 4));
    });
  });

  it('refuses scalar access to aggregate fields and unknown members', () => {
    onBoard(() => {
      expect(() => Outer.mac.get(p)).toThrow(/outer.mac.get: mac must be a scalar field/);
      expect(() => offsetof(RxBd, 'nope' as 'status')).toThrow(/offsetof: member must be a member of struct rxbd8, got "nope"/);
    });
  });
});
