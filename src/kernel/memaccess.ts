/**
 * The driver's stand-ins for pointer dereference and the string.h memory functions. Kernel
 * pointers are plain numbers (kernel virtual addresses); every access goes through the CPU, its
 * MMU and data cache, so a driver never holds a raw view of RAM. Loads and stores are big-endian
 * like the e500 (`ld_be32`), with explicit little-endian variants for LE structures (`ld_le32`).
 */
import { currentKernel, peekCurrentKernel } from './current.js';
import { SandboxArgumentError } from './errors.js';

function cpuFor(fn: string) {
  const k = peekCurrentKernel();
  return (k ?? currentKernel(fn)).cpu;
}

function ptr(fn: string, name: string, p: number): number {
  if ((p >>> 0) !== p) throw new SandboxArgumentError(fn, name, 'a 32-bit kernel address (a non-negative integer)', p);
  return p;
}

function len(fn: string, name: string, n: number): number {
  if ((n >>> 0) !== n) throw new SandboxArgumentError(fn, name, 'a non-negative integer byte count', n);
  return n;
}

/** Load an unsigned byte at `p` (`*(u8 *)p`). */
export function ld_u8(p: number): number {
  return cpuFor('ld_u8').load8(ptr('ld_u8', 'p', p));
}
/** Load a big-endian u16 at `p` (`be16_to_cpu(*(__be16 *)p)`, a plain load on PowerPC). */
export function ld_be16(p: number): number {
  return cpuFor('ld_be16').load16(ptr('ld_be16', 'p', p));
}
/** Load a big-endian u32 at `p`. */
export function ld_be32(p: number): number {
  return cpuFor('ld_be32').load32(ptr('ld_be32', 'p', p));
}
/** Load a big-endian u64 at `p` as a bigint. */
export function ld_be64(p: number): bigint {
  return cpuFor('ld_be64').load64(ptr('ld_be64', 'p', p));
}
/** Load a little-endian u16 at `p` (`le16_to_cpu`, a byte-reversed load on PowerPC). */
export function ld_le16(p: number): number {
  return cpuFor('ld_le16').load16le(ptr('ld_le16', 'p', p));
}
/** Load a little-endian u32 at `p`. */
export function ld_le32(p: number): number {
  return cpuFor('ld_le32').load32le(ptr('ld_le32', 'p', p));
}
/** Load a little-endian u64 at `p` as a bigint. */
export function ld_le64(p: number): bigint {
  return cpuFor('ld_le64').load64le(ptr('ld_le64', 'p', p));
}

/** Store a byte at `p` (`*(u8 *)p = v`). */
export function st_u8(p: number, v: number): void {
  cpuFor('st_u8').store8(ptr('st_u8', 'p', p), v);
}
/** Store a big-endian u16 at `p`. */
export function st_be16(p: number, v: number): void {
  cpuFor('st_be16').store16(ptr('st_be16', 'p', p), v);
}
/** Store a big-endian u32 at `p`. */
export function st_be32(p: number, v: number): void {
  cpuFor('st_be32').store32(ptr('st_be32', 'p', p), v);
}
/** Store a big-endian u64 (bigint) at `p`. */
export function st_be64(p: number, v: bigint): void {
  cpuFor('st_be64').store64(ptr('st_be64', 'p', p), v);
}
/** Store a little-endian u16 at `p`. */
export function st_le16(p: number, v: number): void {
  cpuFor('st_le16').store16le(ptr('st_le16', 'p', p), v);
}
/** Store a little-endian u32 at `p`. */
export function st_le32(p: number, v: number): void {
  cpuFor('st_le32').store32le(ptr('st_le32', 'p', p), v);
}
/** Store a little-endian u64 (bigint) at `p`. */
export function st_le64(p: number, v: bigint): void {
  cpuFor('st_le64').store64le(ptr('st_le64', 'p', p), v);
}

/** `memcpy(dst, src, n)`; returns `dst`. Overlapping ranges are copied as by memmove. */
export function memcpy(dst: number, src: number, n: number): number {
  cpuFor('memcpy').copy(ptr('memcpy', 'dst', dst), ptr('memcpy', 'src', src), len('memcpy', 'n', n));
  return dst;
}
/** `memmove(dst, src, n)`; returns `dst`. */
export function memmove(dst: number, src: number, n: number): number {
  cpuFor('memmove').copy(ptr('memmove', 'dst', dst), ptr('memmove', 'src', src), len('memmove', 'n', n));
  return dst;
}
/** `memset(p, c, n)`; returns `p`. */
export function memset(p: number, c: number, n: number): number {
  cpuFor('memset').fill(ptr('memset', 'p', p), c & 0xff, len('memset', 'n', n));
  return p;
}
/** `memcmp(a, b, n)`: negative, 0 or positive. */
export function memcmp(a: number, b: number, n: number): number {
  return cpuFor('memcmp').compare(ptr('memcmp', 'a', a), ptr('memcmp', 'b', b), len('memcmp', 'n', n));
}
/** `memchr_inv(p, c, n)`-like: offset of the first byte that is not `c`, or -1. */
export function memchr_inv(p: number, c: number, n: number): number {
  return cpuFor('memchr_inv').findNot(ptr('memchr_inv', 'p', p), c & 0xff, len('memchr_inv', 'n', n));
}

/** Copy host bytes into simulated memory at `p`, through the CPU (for test fixtures and payloads). */
export function copy_from_host(p: number, bytes: Uint8Array | readonly number[]): void {
  const src = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
  cpuFor('copy_from_host').write(ptr('copy_from_host', 'p', p), src);
}
/** Copy `n` bytes at `p`, as the CPU sees them, out to a new host array. */
export function copy_to_host(p: number, n: number): Uint8Array {
  const out = new Uint8Array(len('copy_to_host', 'n', n));
  cpuFor('copy_to_host').read(ptr('copy_to_host', 'p', p), out);
  return out;
}
