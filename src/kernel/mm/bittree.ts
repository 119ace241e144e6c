/**
 * A hierarchical bitmap over block indices: set, clear, test and "lowest set index" in
 * O(levels) word operations, which is what makes the buddy allocator's lowest-address-first choice
 * cheap regardless of RAM size. Purely a data structure; knows nothing about pages.
 */

/** Lowest set bit index of a non-zero 32-bit word. */
function lowBit(w: number): number {
  return 31 - Math.clz32(w & -w);
}

/** A set of integers in [0, size), ordered, with a fast minimum. */
export class BitTree {
  /** levels[0] holds one bit per index; levels[k+1] one bit per non-zero word of levels[k]. */
  private readonly levels: Uint32Array[];
  /** Number of set bits. */
  size = 0;

  constructor(readonly capacity: number) {
    this.levels = [];
    let n = Math.max(1, capacity);
    for (;;) {
      const words = Math.ceil(n / 32);
      this.levels.push(new Uint32Array(words));
      if (words === 1) break;
      n = words;
    }
  }

  /** True when `i` is in the set. */
  has(i: number): boolean {
    return (this.levels[0]![i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** Add `i`. */
  add(i: number): void {
    if (this.has(i)) return;
    this.size++;
    let idx = i;
    for (const level of this.levels) {
      const w = idx >>> 5;
      const before = level[w]!;
      level[w] = before | (1 << (idx & 31));
      if (before !== 0) return;
      idx = w;
    }
  }

  /** Remove `i`. */
  delete(i: number): void {
    if (!this.has(i)) return;
    this.size--;
    let idx = i;
    for (const level of this.levels) {
      const w = idx >>> 5;
      const after = level[w]! & ~(1 << (idx & 31));
      level[w] = after;
      if (after !== 0) return;
      idx = w;
    }
  }

  /** Smallest index in the set, or -1. */
  first(): number {
    const top = this.levels.length - 1;
    const topWord = this.levels[top]![0]!;
    if (topWord === 0) return -1;
    let idx = lowBit(topWord);
    for (let l = top - 1; l >= 0; l--) {
      idx = (idx << 5) | lowBit(this.levels[l]![idx]!);
    }
    return idx;
  }

  /** All members in ascending order (cold path: reports and tests). */
  *values(): IterableIterator<number> {
    const leaf = this.levels[0]!;
    for (let w = 0; w < leaf.length; w++) {
      let word = leaf[w]!;
      while (word !== 0) {
        const b = lowBit(word);
        yield (w << 5) | b;
        word &= ~(1 << b);
      }
    }
  }
}
