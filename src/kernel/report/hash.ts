/** Small deterministic integer hashes used to derive synthetic addresses, registers and words. */

/** FNV-1a over the UTF-16 code units of `s`, as an unsigned 32-bit number. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finaliser (murmur3 fmix32): spreads the bits of `x` so nearby inputs give unrelated outputs. */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A tiny stream of deterministic 32-bit values from one seed (SplitMix32), for synthetic register files. */
export function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    return mix32(x);
  };
}

/** `n` as 8 lower-case hex digits (a 32-bit register or address as the kernel prints it). */
export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
