/**
 * Seeded pseudo-random numbers for the simulation: xoshiro128** (Blackman & Vigna), 32-bit state
 * words seeded through SplitMix32, so every board run is reproducible from one integer seed.
 */

/** A deterministic random source. Never use `Math.random` in the simulation; draw from one of these. */
export class Prng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** The seed this generator started from (reports quote it so a run can be replayed). */
  readonly seed: number;

  /** @param seed any integer; it is reduced to 32 bits. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Prng: seed must be a finite number, got ${seed}`);
    this.seed = seed >>> 0;
    let x = this.seed;
    // SplitMix32 expands the seed so that nearby seeds give unrelated states.
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, n) for 0 < n ≤ 2^32 (modulo bias is below 2^-32·n, irrelevant here). */
  below(n: number): number {
    return Math.floor((this.nextU32() / 4294967296) * n);
  }

  /** Uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }

  /** A child generator whose stream is independent of this one (for a device or a subsystem). */
  fork(): Prng {
    return new Prng(this.nextU32());
  }

  /** Plain state, for save/restore. */
  save(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Restore a state taken with {@link Prng.save}. */
  restore(state: readonly [number, number, number, number]): void {
    [this.s0, this.s1, this.s2, this.s3] = state;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
