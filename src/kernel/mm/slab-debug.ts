/**
 * SLUB debugging (`slub_debug=FZPU`): poisoning and red-zoning object memory through the CPU,
 * checking it on allocation, free, slab discard and on demand, and reporting damage, double frees
 * and bad pointers with SLUB's own wording, hex dumps and alloc/free tracks. Bytes are read and
 * written only through the machine port, so the checks see what the CPU sees. Left out: stack-depot
 * traces in tracks (the owner tag stands in for the call site) and sysfs `validate` files.
 */
import { PAGE_SIZE } from '../layout.js';
import type { MmContext, MmReportInput } from './context.js';
import { hexDump, hptr } from './format.js';
import type { KmemCache, Slab } from './slab.js';

/** Filler of slab memory that is not an object (`POISON_INUSE`). */
export const POISON_INUSE = 0x5a;
/** Poison of a free object's bytes (`POISON_FREE`). */
export const POISON_FREE = 0x6b;
/** Last byte of a poisoned object (`POISON_END`). */
export const POISON_END = 0xa5;
/** Red zone of a free object (`SLUB_RED_INACTIVE`). */
export const SLUB_RED_INACTIVE = 0xbb;
/** Red zone of an allocated object (`SLUB_RED_ACTIVE`). */
export const SLUB_RED_ACTIVE = 0xcc;

const SLAB_RED_ZONE = 0x400;
const SLAB_POISON = 0x800;
const SLAB_KMALLOC = 0x1000;
const SLAB_STORE_USER = 0x10000;
const OBJ_FREE = 0;
const DASHES = '-'.repeat(77);

/** The report id a damaged area maps to. */
function idFor(what: string): string {
  return what === 'Poison' || what === 'End Poison' ? 'slab.use-after-free' : 'slab.redzone';
}

/** The SLUB debug checks and reports for one memory manager. */
export class SlabDebug {
  /** Reports made so far (validate() returns how many it added). */
  reports = 0;

  constructor(private readonly ctx: MmContext) {}

  private report(input: MmReportInput, badPage = false): void {
    this.reports++;
    this.ctx.report(input, badPage);
  }

  private fill(va: number, byte: number, len: number): void {
    if (len > 0) this.ctx.machine.cpuFill(va, byte, len);
  }

  // ---- object initialisation -----------------------------------------------------------------

  /** `setup_slab_debug` + `setup_object_debug` for a new slab: 0x5a everywhere, then each object free. */
  setupSlab(slab: Slab): void {
    const cache = slab.cache;
    if (cache.flags & SLAB_POISON) this.fill(slab.va, POISON_INUSE, slab.bytes);
    for (let i = 0; i < slab.objects; i++) {
      const p = slab.objectVa(i);
      this.initObject(cache, p, SLUB_RED_INACTIVE, cache.objectSize);
      if (cache.flags & SLAB_STORE_USER) {
        // free pointer, both tracks and orig_size start out zeroed (init_tracking).
        const from = cache.offset >= cache.inuse ? cache.offset : cache.trackOffset;
        this.fill(p + from, 0, cache.padOffset - from);
      }
    }
  }

  /** `init_object`: red zones to `val`, poison the first `poisonSize` bytes. */
  private initObject(cache: KmemCache, p: number, val: number, poisonSize: number): void {
    if (cache.flags & SLAB_RED_ZONE) this.fill(p - cache.redLeftPad, val, cache.redLeftPad);
    if (cache.flags & SLAB_POISON) {
      this.fill(p, POISON_FREE, poisonSize - 1);
      this.fill(p + poisonSize - 1, POISON_END, 1);
    }
    if (cache.flags & SLAB_RED_ZONE) this.fill(p + poisonSize, val, cache.inuse - poisonSize);
  }

  private origTracked(cache: KmemCache): boolean {
    return (cache.flags & SLAB_KMALLOC) !== 0 && (cache.flags & SLAB_STORE_USER) !== 0 && (cache.flags & SLAB_RED_ZONE) !== 0;
  }

  // ---- alloc / free hooks --------------------------------------------------------------------

  /** `alloc_debug_processing`: check the free object, then initialise it as allocated. */
  allocChecks(slab: Slab, idx: number, p: number, orig: number): boolean {
    this.padCheck(slab);
    if (!this.checkObject(slab, idx, SLUB_RED_INACTIVE, 'Marking all objects used')) return false;
    const cache = slab.cache;
    const poisonSize = this.origTracked(cache) ? Math.max(1, orig) : cache.objectSize;
    this.initObject(cache, p, SLUB_RED_ACTIVE, poisonSize);
    return true;
  }

  /** `free_debug_processing`: every check a debug free makes; on success the object is re-poisoned. */
  freeChecks(slab: Slab, idx: number, p: number): boolean {
    const cache = slab.cache;
    this.padCheck(slab);
    if (slab.inuse < 1) {
      this.slabErr(slab, 'slab.double-free', `Slab has ${slab.inuse} allocated objects but 1 are to be freed`, [this.notFreed(cache, p)], { object: p });
      return false;
    }
    if (slab.state[idx] === OBJ_FREE) {
      this.alreadyFree(slab, idx, p);
      return false;
    }
    if (!this.checkObject(slab, idx, SLUB_RED_ACTIVE, null, p)) return false;
    this.initObject(cache, p, SLUB_RED_INACTIVE, cache.objectSize);
    return true;
  }

  /** Double free reported with the object's trailer (`object_err(..., "Object already free")`). */
  alreadyFree(slab: Slab, idx: number, p: number): void {
    this.objectErr(slab, idx, 'slab.double-free', 'Object already free', [], [this.notFreed(slab.cache, p)], { object: p });
  }

  /** `Invalid object pointer` (`slab_err`), for a pointer inside a slab that is not an object start. */
  invalidPointer(slab: Slab, p: number): void {
    const cache = slab.cache;
    const rel = p - slab.va - cache.redLeftPad;
    const idx = Math.max(0, Math.min(slab.objects - 1, Math.floor(rel / cache.size)));
    const start = slab.objectVa(idx);
    this.slabErr(slab, 'slab.invalid-free', `Invalid object pointer ${hptr(p)}`, [this.notFreed(cache, p)], {
      object: p,
      containingObject: start,
      offsetInObject: p - start,
    });
  }

  /** `free_slab` with consistency checks: padding and every (free) object before the pages go back. */
  checkDiscard(slab: Slab): void {
    this.validateSlab(slab);
  }

  /** Check a whole slab; returns the number of reports made. */
  validateSlab(slab: Slab): number {
    const before = this.reports;
    this.padCheck(slab);
    for (let i = 0; i < slab.objects; i++) {
      this.checkObject(slab, i, slab.state[i] === OBJ_FREE ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE, null);
    }
    return this.reports - before;
  }

  /** kmem_cache_destroy of a cache that still has objects: `list_slab_objects` per slab, then the WARN. */
  objectsRemaining(cache: KmemCache): void {
    for (const slab of cache.slabs) {
      if (slab.inuse === 0) continue;
      const objects: string[] = [];
      for (let i = 0; i < slab.objects; i++) {
        if (slab.state[i] === OBJ_FREE) continue;
        const p = slab.objectVa(i);
        objects.push(`Object ${hptr(p)} @offset=${p - slab.va}`, ...this.tracking(slab, i));
      }
      this.slabErr(slab, 'slab.destroy-busy', `Objects remaining in ${cache.name} on __kmem_cache_shutdown()`, objects, { objects: slab.inuse });
    }
    this.report({
      kind: 'warn',
      id: 'slab.destroy-busy',
      title: `kmem_cache_destroy ${cache.name}: Slab cache still has objects when called from ${this.ctx.current().comm}`,
      details: { cache: cache.name, objects: cache.activeObjects },
    });
  }

  // ---- checks --------------------------------------------------------------------------------

  /** `check_object`: stops at the first damaged area (reported and restored). */
  private checkObject(slab: Slab, idx: number, val: number, fix: string | null, notFreedAt?: number): boolean {
    const cache = slab.cache;
    const p = slab.objectVa(idx);
    const tail = notFreedAt === undefined ? fix : this.notFreed(cache, notFreedAt);
    if (cache.flags & SLAB_RED_ZONE) {
      if (!this.checkBytes(slab, idx, 'Left Redzone', p - cache.redLeftPad, val, cache.redLeftPad, tail)) return false;
      if (!this.checkBytes(slab, idx, 'Right Redzone', p + cache.objectSize, val, cache.inuse - cache.objectSize, tail)) return false;
      if (this.origTracked(cache) && val === SLUB_RED_ACTIVE) {
        const orig = slab.req[idx]!;
        if (cache.objectSize > orig && !this.checkBytes(slab, idx, 'kmalloc Redzone', p + orig, val, cache.objectSize - orig, tail)) return false;
      }
    } else if (cache.flags & SLAB_POISON && cache.objectSize < cache.inuse) {
      this.checkBytes(slab, idx, 'Alignment padding', p + cache.objectSize, POISON_INUSE, cache.inuse - cache.objectSize, null);
    }
    if (cache.flags & SLAB_POISON) {
      if (val !== SLUB_RED_ACTIVE) {
        if (!this.checkBytes(slab, idx, 'Poison', p, POISON_FREE, cache.objectSize - 1, tail)) return false;
        if (!this.checkBytes(slab, idx, 'End Poison', p + cache.objectSize - 1, POISON_END, 1, tail)) return false;
      }
      if (cache.padOffset < cache.sizeFromObject) {
        this.checkBytes(slab, idx, 'Object padding', p + cache.padOffset, POISON_INUSE, cache.sizeFromObject - cache.padOffset, null);
      }
    }
    return true;
  }

  /** `check_bytes_and_report`: find the first byte that is not `value`, report it, restore. */
  private checkBytes(slab: Slab, idx: number, what: string, start: number, value: number, len: number, fixTail: string | null): boolean {
    if (len <= 0) return true;
    const m = this.ctx.machine;
    const off = m.cpuFindNot(start, value, len);
    if (off < 0) return true;
    const bytes = m.cpuRead(start, len);
    let end = len;
    while (end > off && bytes[end - 1] === value) end--;
    const cache = slab.cache;
    const fault = start + off;
    const p = slab.objectVa(idx);
    const body = [
      DASHES,
      '',
      `${hptr(fault)}-${hptr(start + end - 1)} @offset=${fault - slab.va}. First byte 0x${bytes[off]!.toString(16)} instead of 0x${value.toString(16)}`,
      ...this.trailer(slab, idx),
    ];
    const after = [`FIX ${cache.name}: Restoring ${what} ${hptr(fault)}-${hptr(start + end - 1)}=0x${value.toString(16)}`];
    if (fixTail) after.push(fixTail.startsWith('FIX ') ? fixTail : `FIX ${cache.name}: ${fixTail}`);
    this.report(
      {
        kind: 'bug',
        id: idFor(what),
        title: `BUG ${cache.name} (${this.ctx.taintText()}): ${what} overwritten`,
        body,
        after,
        details: {
          cache: cache.name,
          what,
          object: p,
          objectSize: cache.objectSize,
          requested: slab.req[idx],
          firstBad: fault,
          lastBad: start + end - 1,
          offsetInObject: fault - p,
          actual: bytes[off],
          expected: value,
          damage: Array.from(bytes.subarray(off, end)),
          ...this.trackDetails(slab, idx),
        },
      },
      true,
    );
    m.cpuFill(fault, value, end - off);
    return false;
  }

  /** `slab_pad_check`: the tail of the slab past the last object must still be 0x5a. */
  private padCheck(slab: Slab): boolean {
    const cache = slab.cache;
    if (!(cache.flags & SLAB_POISON)) return true;
    const length = slab.bytes;
    const remainder = length % cache.size;
    if (remainder === 0) return true;
    const pad = slab.va + length - remainder;
    const m = this.ctx.machine;
    const off = m.cpuFindNot(pad, POISON_INUSE, remainder);
    if (off < 0) return true;
    const bytes = m.cpuRead(pad, remainder);
    let end = remainder;
    while (end > off && bytes[end - 1] === POISON_INUSE) end--;
    const fault = pad + off;
    this.slabErr(
      slab,
      'slab.redzone',
      `Padding overwritten. ${hptr(fault)}-${hptr(pad + end - 1)} @offset=${fault - slab.va}`,
      [...hexDump('Padding ', pad, bytes), `FIX ${cache.name}: Restoring slab padding ${hptr(fault)}-${hptr(pad + end - 1)}=0x5a`],
      { what: 'Padding', firstBad: fault, damage: Array.from(bytes.subarray(off, end)) },
    );
    m.cpuFill(fault, POISON_INUSE, end - off);
    return false;
  }

  // ---- report pieces -------------------------------------------------------------------------

  private notFreed(cache: KmemCache, p: number): string {
    return `FIX ${cache.name}: Object at ${hptr(p)} not freed`;
  }

  /** `slab_err`: BUG line, slab info, the stack trace, then `extra`. */
  private slabErr(slab: Slab, id: string, msg: string, extra: string[], details: Record<string, unknown>): void {
    const cache = slab.cache;
    this.report(
      {
        kind: 'bug',
        id,
        title: `BUG ${cache.name} (${this.ctx.taintText()}): ${msg}`,
        body: [DASHES, '', this.slabInfo(slab)],
        after: extra,
        details: { cache: cache.name, slab: this.ctx.pages.pfnToPage(slab.pfn), ...details },
      },
      true,
    );
  }

  /** `object_err`: BUG line and the object's trailer (then the stack trace and `post`). */
  private objectErr(slab: Slab, idx: number, id: string, reason: string, pre: string[], post: string[], details: Record<string, unknown>): void {
    const cache = slab.cache;
    this.report(
      {
        kind: 'bug',
        id,
        title: `BUG ${cache.name} (${this.ctx.taintText()}): ${reason}`,
        body: [DASHES, '', ...pre, ...this.trailer(slab, idx)],
        after: post,
        details: { cache: cache.name, objectSize: cache.objectSize, ...details, ...this.trackDetails(slab, idx) },
      },
      true,
    );
  }

  /** `print_slab_info`. */
  private slabInfo(slab: Slab): string {
    const pages = this.ctx.pages;
    const fp = slab.freeHead >= 0 ? slab.objectVa(slab.freeHead) : 0;
    return `Slab ${hptr(pages.pfnToPage(slab.pfn))} objects=${slab.objects} used=${slab.inuse} fp=${hptr(fp)} flags=${pages.formatFlags(pages.index(slab.pfn))}`;
  }

  /** `print_tracking`: Allocated in / Freed in lines. */
  private tracking(slab: Slab, idx: number): string[] {
    if (!(slab.cache.flags & SLAB_STORE_USER)) return [];
    const lines: string[] = [];
    const now = this.ctx.now();
    const line = (what: string, owner: number, t: number, pid: number): string => {
      const age = Math.floor(((now - t) * this.ctx.hz) / 1e9);
      return `${what} in ${this.ctx.owners.name(owner)} age=${age} cpu=0 pid=${pid} (at ${t} ns)`;
    };
    if (slab.allocOwner[idx]! >= 0) lines.push(line('Allocated', slab.allocOwner[idx]!, slab.allocTime[idx]!, slab.allocPid[idx]!));
    if (slab.freeOwner[idx]! >= 0) lines.push(line('Freed', slab.freeOwner[idx]!, slab.freeTime[idx]!, slab.freePid[idx]!));
    return lines;
  }

  private trackDetails(slab: Slab, idx: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (slab.allocOwner[idx]! >= 0) out['allocated'] = { owner: this.ctx.owners.name(slab.allocOwner[idx]!), time: slab.allocTime[idx], pid: slab.allocPid[idx] };
    if (slab.freeOwner[idx]! >= 0) out['freed'] = { owner: this.ctx.owners.name(slab.freeOwner[idx]!), time: slab.freeTime[idx], pid: slab.freePid[idx] };
    return out;
  }

  /** `print_trailer`: tracks, slab info, object line and hex dumps of red zones, object, padding. */
  private trailer(slab: Slab, idx: number): string[] {
    const cache = slab.cache;
    const m = this.ctx.machine;
    const p = slab.objectVa(idx);
    const next = slab.next[idx]!;
    const fp = next >= 0 && slab.state[idx] === OBJ_FREE ? slab.objectVa(next) : 0;
    const lines = [...this.tracking(slab, idx), this.slabInfo(slab), `Object ${hptr(p)} @offset=${p - slab.va} fp=${hptr(fp)}`, ''];
    if (cache.flags & SLAB_RED_ZONE) lines.push(...hexDump('Redzone  ', p - cache.redLeftPad, m.cpuRead(p - cache.redLeftPad, cache.redLeftPad)));
    else if (p > slab.va + 16) lines.push(...hexDump('Bytes b4 ', p - 16, m.cpuRead(p - 16, 16)));
    const objLen = Math.min(cache.objectSize, PAGE_SIZE);
    lines.push(...hexDump('Object   ', p, m.cpuRead(p, objLen)));
    if (cache.flags & SLAB_RED_ZONE) lines.push(...hexDump('Redzone  ', p + cache.objectSize, m.cpuRead(p + cache.objectSize, cache.inuse - cache.objectSize)));
    if (cache.padOffset !== cache.sizeFromObject) {
      lines.push(...hexDump('Padding  ', p + cache.padOffset, m.cpuRead(p + cache.padOffset, cache.sizeFromObject - cache.padOffset)));
    }
    return lines;
  }
}
