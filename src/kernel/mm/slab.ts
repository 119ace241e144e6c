/**
 * The slab allocator (SLUB's object layout and list policy): caches of equal-sized objects carved
 * out of lowmem page blocks, free objects on per-slab LIFO free lists kept in typed arrays, partial
 * slabs on a per-cache list, empty slabs given back once `min_partial` partial slabs exist, and
 * SLUB's debug layout (left/right red zones, poison, free pointer and alloc/free tracks outside the
 * object) with the checks in slab-debug.ts. Left out: per-cpu slabs and partial lists, NUMA nodes,
 * cache merging, RCU-deferred freeing, constructors, memcg accounting and freelist randomisation.
 */
import { PAGE_SIZE } from '../layout.js';
import type { MmContext } from './context.js';
import { SandboxArgumentError } from './errors.js';
import {
  __GFP_COMP,
  __GFP_DMA32,
  __GFP_HIGHMEM,
  __GFP_NOFAIL,
  __GFP_NORETRY,
  __GFP_NOWARN,
  __GFP_ZERO,
  GFP_DMA,
  gfpMode,
  gfpNames,
} from './gfp.js';
import type { PageAllocator } from './page-alloc.js';
import { PG_slab } from './page.js';
import { SlabDebug } from './slab-debug.js';

/** Full consistency checks on alloc and free (`slub_debug=F`). */
export const SLAB_CONSISTENCY_CHECKS = 0x100;
/** Red zones around objects (`Z`). */
export const SLAB_RED_ZONE = 0x400;
/** Poison free objects (`P`). */
export const SLAB_POISON = 0x800;
/** The cache is a kmalloc cache. */
export const SLAB_KMALLOC = 0x1000;
/** Align objects on cache lines. */
export const SLAB_HWCACHE_ALIGN = 0x2000;
/** Take slab pages from ZONE_DMA. */
export const SLAB_CACHE_DMA = 0x4000;
/** Store alloc/free tracks (`U`). */
export const SLAB_STORE_USER = 0x10000;
/** Panic if the cache cannot be created (accepted, creation never fails here). */
export const SLAB_PANIC = 0x40000;
/** What `slub_debug` with no options turns on. */
export const DEBUG_DEFAULT_FLAGS = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
/** Flags kmem_cache_create accepts. */
export const SLAB_VALID_FLAGS = DEBUG_DEFAULT_FLAGS | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_PANIC;

/** `PAGE_ALLOC_COSTLY_ORDER`, SLUB's default `slub_max_order`. */
export const SLUB_MAX_ORDER = 3;
/** `4 * (fls(nr_cpus) + 1)` with one CPU. */
export const SLUB_MIN_OBJECTS = 8;
/** `sizeof(void *)`. */
const PTR = 4;
/** `sizeof(struct track)` on 32-bit with a stack-depot handle: addr, handle, cpu, pid, when. */
export const TRACK_SIZE = 20;
const MIN_PARTIAL = 5;
const MAX_PARTIAL = 10;
const MAX_OBJS_PER_PAGE = 32767;

/** Object states in {@link Slab.state}. */
export const OBJ_FREE = 0;
/** Allocated object. */
export const OBJ_ALLOCATED = 1;

function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}

/** `get_order`: smallest order whose block holds `size` bytes. */
export function getOrder(size: number): number {
  let order = 0;
  while (PAGE_SIZE * 2 ** order < size) order++;
  return order;
}

function orderObjects(order: number, size: number): number {
  return Math.floor((PAGE_SIZE << order) / size);
}

/** SLUB's `calculate_order`: the slab order for an object stride. */
export function calculateOrder(size: number): number {
  const maxObjects = Math.max(orderObjects(SLUB_MAX_ORDER, size), 1);
  const minObjects = Math.min(SLUB_MIN_OBJECTS, maxObjects);
  const minOrder = getOrder(minObjects * size);
  if (orderObjects(minOrder, size) > MAX_OBJS_PER_PAGE) return getOrder(size * MAX_OBJS_PER_PAGE) - 1;
  for (let fraction = 16; fraction > 1; fraction /= 2) {
    let order = minOrder;
    for (; order <= SLUB_MAX_ORDER; order++) {
      const slabSize = PAGE_SIZE << order;
      if (slabSize % size <= slabSize / fraction) break;
    }
    if (order <= SLUB_MAX_ORDER) return order;
  }
  return getOrder(size);
}

/** A slab: one page block of a cache, its objects' free list and per-object bookkeeping. */
export class Slab {
  /** Free-list link per object (index of the next free object, -1 at the end). */
  readonly next: Int32Array;
  /** OBJ_FREE / OBJ_ALLOCATED per object. */
  readonly state: Uint8Array;
  /** Requested size per allocated object (`orig_size`). */
  readonly req: Int32Array;
  /** Alloc track: owner id (-1 never allocated), time (ns), pid. */
  readonly allocOwner: Int32Array;
  /** Alloc track time, ns. */
  readonly allocTime: Float64Array;
  /** Alloc track pid. */
  readonly allocPid: Int32Array;
  /** Free track: owner id (-1 never freed). */
  readonly freeOwner: Int32Array;
  /** Free track time, ns. */
  readonly freeTime: Float64Array;
  /** Free track pid. */
  readonly freePid: Int32Array;
  /** Objects in use (`slab->inuse`). */
  inuse = 0;
  /** First free object index (`slab->freelist`), -1 when full. */
  freeHead = -1;
  /** Partial-list links. */
  prev: Slab | null = null;
  /** Partial-list links. */
  nextPartial: Slab | null = null;
  /** On the cache's partial list. */
  onPartial = false;

  constructor(
    /** Index in the slab table (stored in the head page's `private`). */
    readonly id: number,
    /** Owning cache. */
    readonly cache: KmemCache,
    /** Head pfn. */
    readonly pfn: number,
    /** `slab_address`: lowmem VA of the first byte. */
    readonly va: number,
    /** Page order of the block. */
    readonly order: number,
    /** Objects in this slab. */
    readonly objects: number,
  ) {
    this.next = new Int32Array(objects);
    this.state = new Uint8Array(objects);
    this.req = new Int32Array(objects);
    this.allocOwner = new Int32Array(objects).fill(-1);
    this.allocTime = new Float64Array(objects);
    this.allocPid = new Int32Array(objects);
    this.freeOwner = new Int32Array(objects).fill(-1);
    this.freeTime = new Float64Array(objects);
    this.freePid = new Int32Array(objects);
    for (let i = 0; i < objects; i++) this.next[i] = i + 1 < objects ? i + 1 : -1;
    this.freeHead = objects > 0 ? 0 : -1;
  }

  /** Object pointer of object `idx` (after the left red zone). */
  objectVa(idx: number): number {
    return this.va + this.cache.redLeftPad + idx * this.cache.size;
  }

  /** Bytes of the slab block. */
  get bytes(): number {
    return PAGE_SIZE << this.order;
  }
}

/** A slab cache (`struct kmem_cache`). Drivers hold it as the handle kmem_cache_create returned. */
export class KmemCache {
  /** Cache id (index in the allocator's list). */
  readonly id: number;
  /** `s->flags` after debug options were applied. */
  readonly flags: number;
  /** `s->align`. */
  readonly align: number;
  /** `s->size`: stride of one object slot including metadata. */
  readonly size: number;
  /** `s->inuse`: object plus right red zone. */
  readonly inuse: number;
  /** Free pointer offset from the object (outside the object when ≥ inuse). */
  readonly offset: number;
  /** `s->red_left_pad`. */
  readonly redLeftPad: number;
  /** Offset (from the object) where the tracks start. */
  readonly trackOffset: number;
  /** Offset (from the object) where the padding starts. */
  readonly padOffset: number;
  /** Default slab order and objects (`s->oo`). */
  readonly order: number;
  /** Objects per default slab. */
  readonly objects: number;
  /** Fallback order (`s->min`). */
  readonly minOrder: number;
  /** `s->min_partial`. */
  readonly minPartial: number;
  /** Slabs on the partial list. */
  nrPartial = 0;
  /** Head of the partial list. */
  partialHead: Slab | null = null;
  /** Tail of the partial list. */
  partialTail: Slab | null = null;
  /** Every slab of the cache. */
  readonly slabs = new Set<Slab>();
  /** Total objects in all slabs. */
  totalObjects = 0;
  /** Allocated objects. */
  activeObjects = 0;
  /** Pages in slabs. */
  pages = 0;
  /** Set by kmem_cache_destroy. */
  destroyed = false;

  constructor(
    id: number,
    /** `s->name`. */
    readonly name: string,
    /** `s->object_size`: what the user asked for. */
    readonly objectSize: number,
    align: number,
    flags: number,
  ) {
    this.id = id;
    this.flags = flags;
    this.align = align;
    // calculate_sizes()
    let size = alignUp(objectSize, PTR);
    if (flags & SLAB_RED_ZONE && size === objectSize) size += PTR;
    this.inuse = size;
    const origSize = (flags & SLAB_KMALLOC) !== 0 && (flags & SLAB_STORE_USER) !== 0;
    if (origSize || flags & SLAB_POISON || (flags & SLAB_RED_ZONE && objectSize < PTR)) {
      this.offset = size;
      size += PTR;
    } else {
      this.offset = Math.floor(objectSize / 2 / PTR) * PTR;
    }
    const infoEnd = this.offset >= this.inuse ? this.inuse + PTR : this.inuse;
    this.trackOffset = infoEnd;
    let pad = infoEnd;
    if (flags & SLAB_STORE_USER) {
      size += 2 * TRACK_SIZE;
      pad += 2 * TRACK_SIZE;
      if (flags & SLAB_KMALLOC) {
        size += 4;
        pad += 4;
      }
    }
    this.padOffset = pad;
    let rlp = 0;
    if (flags & SLAB_RED_ZONE) {
      size += PTR;
      rlp = alignUp(PTR, align);
      size += rlp;
    }
    this.redLeftPad = rlp;
    this.size = alignUp(size, align);
    this.order = calculateOrder(this.size);
    this.objects = orderObjects(this.order, this.size);
    this.minOrder = getOrder(this.size);
    this.minPartial = Math.max(MIN_PARTIAL, Math.min(MAX_PARTIAL, Math.floor(Math.log2(this.size) / 2)));
  }

  /** True for kmalloc caches. */
  get isKmalloc(): boolean {
    return (this.flags & SLAB_KMALLOC) !== 0;
  }

  /** Debug checks on (any of F/Z/P/U). */
  get debug(): boolean {
    return (this.flags & DEBUG_DEFAULT_FLAGS) !== 0;
  }

  /** Bytes from the object to the end of its slot (`size_from_object`). */
  get sizeFromObject(): number {
    return this.size - this.redLeftPad;
  }
}

/** Where an address falls in slab memory. */
export interface SlabObjectInfo {
  /** Cache name, or null for a large kmalloc (page allocator) block. */
  readonly cache: string | null;
  /** Object pointer (what kmalloc returned). */
  readonly objectStart: number;
  /** `object_size` of the cache (or the requested size of a large kmalloc). */
  readonly size: number;
  /** Requested size when allocated (kmalloc: bytes past it are red zone), else the object size. */
  readonly requested: number;
  /** `allocated`, `free`, or `redzone` (red zones, metadata, padding, or past the requested size). */
  readonly state: 'allocated' | 'free' | 'redzone';
}

/** One live slab object, for leak listings. */
export interface LiveObject {
  readonly cache: KmemCache;
  readonly address: number;
  readonly requested: number;
  readonly time: number;
}

/** The set of caches and slabs. */
export class SlabAllocator {
  /** Every cache, in creation order. */
  readonly caches: KmemCache[] = [];
  private readonly slabTable: (Slab | undefined)[] = [];
  private readonly freeIds: number[] = [];
  /** The debug checks (a no-op is never needed: caches without debug flags skip them). */
  readonly dbg: SlabDebug;

  constructor(
    private readonly ctx: MmContext,
    private readonly pageAlloc: PageAllocator,
    /** Apply DEBUG_DEFAULT_FLAGS to every cache (`slub_debug`). */
    readonly debugAll: boolean,
  ) {
    this.dbg = new SlabDebug(ctx);
  }

  /** Create a cache; `align` as computed by the caller (kmalloc or calculate_alignment). */
  create(name: string, size: number, align: number, flags: number): KmemCache {
    const f = this.debugAll ? flags | DEBUG_DEFAULT_FLAGS : flags;
    const cache = new KmemCache(this.caches.length, name, size, align, f);
    this.caches.push(cache);
    return cache;
  }

  /** The slab a frame (page-array index) belongs to; the frame must have PG_slab. */
  slabOfFrame(i: number): Slab {
    const pages = this.ctx.pages;
    return this.slabTable[pages.priv[pages.head[i]!]!]!;
  }

  /** The slab holding lowmem VA `va`, or undefined. */
  slabAt(va: number): Slab | undefined {
    if (!this.ctx.isLowmemVa(va)) return undefined;
    const pages = this.ctx.pages;
    const i = pages.index(Math.floor(this.ctx.lowmemPa(va) / PAGE_SIZE));
    if (i < 0 || !(pages.flags[i]! & PG_slab)) return undefined;
    return this.slabTable[pages.priv[pages.head[i]!]!];
  }

  // ---- slab creation and disposal ------------------------------------------------------------

  private newSlab(cache: KmemCache, gfp: number): Slab | null {
    let flags = gfp;
    if (flags & (__GFP_HIGHMEM | __GFP_DMA32)) flags = this.fixFlags(flags);
    flags &= ~__GFP_ZERO;
    if (cache.flags & SLAB_CACHE_DMA) flags |= GFP_DMA;
    let order = cache.order;
    let pfn = -1;
    if (order > cache.minOrder) {
      const first = ((flags | __GFP_NOWARN | __GFP_NORETRY | __GFP_COMP) & ~__GFP_NOFAIL) >>> 0;
      pfn = this.pageAlloc.alloc(first, order, 'slab', -1);
    }
    if (pfn < 0) {
      order = cache.minOrder;
      pfn = this.pageAlloc.alloc(order > 0 ? flags | __GFP_COMP : flags, order, 'slab', -1);
    }
    if (pfn < 0) return null;
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.slabTable.length;
    const objects = orderObjects(order, cache.size);
    const slab = new Slab(id, cache, pfn, this.ctx.lowmemVa(pfn * PAGE_SIZE), order, objects);
    this.slabTable[id] = slab;
    const pages = this.ctx.pages;
    const head = pages.index(pfn);
    for (let i = 0; i < 1 << order; i++) pages.flags[head + i] = pages.flags[head + i]! | PG_slab;
    pages.priv[head] = id;
    cache.slabs.add(slab);
    cache.totalObjects += objects;
    cache.pages += 1 << order;
    if (cache.debug) this.dbg.setupSlab(slab);
    return slab;
  }

  /** `kmalloc_fix_flags`: warn about __GFP_HIGHMEM/__GFP_DMA32 in a slab allocation and drop them. */
  fixFlags(gfp: number): number {
    const invalid = gfp & (__GFP_HIGHMEM | __GFP_DMA32);
    const fixed = gfp & ~(__GFP_HIGHMEM | __GFP_DMA32);
    this.ctx.report(
      {
        kind: 'warn',
        id: 'slab.bad-gfp',
        title: `Unexpected gfp: 0x${invalid.toString(16)} (${gfpNames(invalid)}). Fixing up to gfp: 0x${fixed.toString(16)} (${gfpNames(fixed)}). Fix your code!`,
        details: { gfp, fixed },
      },
      false,
    );
    return fixed;
  }

  private discard(slab: Slab): void {
    const cache = slab.cache;
    if (cache.debug) this.dbg.checkDiscard(slab);
    cache.slabs.delete(slab);
    cache.totalObjects -= slab.objects;
    cache.pages -= 1 << slab.order;
    this.slabTable[slab.id] = undefined;
    this.freeIds.push(slab.id);
    this.pageAlloc.freeInternal(slab.pfn, slab.order, 'slab');
  }

  private addPartial(cache: KmemCache, slab: Slab, tail: boolean): void {
    slab.onPartial = true;
    cache.nrPartial++;
    if (tail) {
      slab.prev = cache.partialTail;
      slab.nextPartial = null;
      if (cache.partialTail) cache.partialTail.nextPartial = slab;
      else cache.partialHead = slab;
      cache.partialTail = slab;
    } else {
      slab.prev = null;
      slab.nextPartial = cache.partialHead;
      if (cache.partialHead) cache.partialHead.prev = slab;
      else cache.partialTail = slab;
      cache.partialHead = slab;
    }
  }

  private removePartial(cache: KmemCache, slab: Slab): void {
    slab.onPartial = false;
    cache.nrPartial--;
    if (slab.prev) slab.prev.nextPartial = slab.nextPartial;
    else cache.partialHead = slab.nextPartial;
    if (slab.nextPartial) slab.nextPartial.prev = slab.prev;
    else cache.partialTail = slab.prev;
    slab.prev = null;
    slab.nextPartial = null;
  }

  // ---- allocation and free -------------------------------------------------------------------

  /**
   * `slab_alloc_node`: take an object from the first partial slab (or a new slab). `orig` is the
   * requested size (kmalloc) or the object size. Returns the object pointer, or 0.
   */
  alloc(cache: KmemCache, gfp: number, orig: number, owner: number): number {
    for (;;) {
      let slab = cache.partialHead;
      let fresh = false;
      if (slab === null) {
        slab = this.newSlab(cache, gfp);
        if (slab === null) {
          if (!(gfp & __GFP_NOWARN)) this.outOfMemory(cache, gfp);
          return 0;
        }
        fresh = true;
      }
      const idx = slab.freeHead;
      slab.freeHead = slab.next[idx]!;
      slab.inuse++;
      if (fresh) {
        if (slab.freeHead >= 0) this.addPartial(cache, slab, false);
      } else if (slab.freeHead < 0) {
        this.removePartial(cache, slab);
      }
      const p = slab.va + cache.redLeftPad + idx * cache.size;
      if (cache.debug && !this.dbg.allocChecks(slab, idx, p, orig)) {
        // alloc_debug_processing failed: "Marking all objects used", then try another slab.
        if (slab.onPartial) this.removePartial(cache, slab);
        cache.activeObjects += slab.objects - slab.inuse + 1;
        slab.inuse = slab.objects;
        slab.freeHead = -1;
        continue;
      }
      slab.state[idx] = OBJ_ALLOCATED;
      slab.req[idx] = orig;
      slab.allocOwner[idx] = owner;
      slab.allocTime[idx] = this.ctx.now();
      slab.allocPid[idx] = this.ctx.current().pid;
      cache.activeObjects++;
      if (gfp & __GFP_ZERO) this.ctx.machine.cpuFill(p, 0, cache.debug && cache.isKmalloc ? orig : cache.objectSize);
      return p;
    }
  }

  /** `slab_out_of_memory`. */
  private outOfMemory(cache: KmemCache, gfp: number): void {
    const body = [
      `  cache: ${cache.name}, object size: ${cache.objectSize}, buffer size: ${cache.size}, default order: ${cache.order}, min order: ${cache.minOrder}`,
    ];
    if (cache.minOrder > getOrder(cache.objectSize)) body.push(`  ${cache.name} debugging increased min order, use slab_debug=O to disable.`);
    body.push(`  node 0: slabs: ${cache.slabs.size}, objs: ${cache.totalObjects}, free: ${cache.totalObjects - cache.activeObjects}`);
    this.ctx.report(
      { kind: 'warn', id: 'slab.oom', title: `SLUB: Unable to allocate memory on node -1, gfp=${gfpMode(gfp)}`, body, details: { cache: cache.name, gfp } },
      false,
    );
  }

  /**
   * Free object `p` of `slab` (`slab_free` with `free_debug_processing`); `owner` goes into the
   * free track. Returns true when the object went back on the free list.
   */
  free(slab: Slab, p: number, owner: number): boolean {
    const cache = slab.cache;
    const rel = p - slab.va - cache.redLeftPad;
    const idx = rel / cache.size;
    if (!(rel >= 0) || !Number.isInteger(idx) || idx >= slab.objects) {
      this.dbg.invalidPointer(slab, p);
      return false;
    }
    if (cache.debug) {
      if (!this.dbg.freeChecks(slab, idx, p)) return false;
    } else if (slab.state[idx] === OBJ_FREE) {
      this.dbg.alreadyFree(slab, idx, p);
      return false;
    }
    slab.state[idx] = OBJ_FREE;
    slab.freeOwner[idx] = owner;
    slab.freeTime[idx] = this.ctx.now();
    slab.freePid[idx] = this.ctx.current().pid;
    cache.activeObjects--;
    const wasFull = slab.freeHead < 0;
    slab.next[idx] = slab.freeHead;
    slab.freeHead = idx;
    slab.inuse--;
    if (slab.inuse === 0 && cache.nrPartial >= cache.minPartial) {
      if (slab.onPartial) this.removePartial(cache, slab);
      this.discard(slab);
    } else if (wasFull && !slab.onPartial) {
      this.addPartial(cache, slab, true);
    }
    return true;
  }

  /** kmem_cache_destroy: report remaining objects (cache kept) or release every slab. */
  destroy(cache: KmemCache): boolean {
    if (cache.activeObjects > 0) {
      this.dbg.objectsRemaining(cache);
      return false;
    }
    for (const slab of [...cache.slabs]) {
      if (slab.onPartial) this.removePartial(cache, slab);
      this.discard(slab);
    }
    cache.destroyed = true;
    const i = this.caches.indexOf(cache);
    if (i >= 0) this.caches.splice(i, 1);
    return true;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Check every object and slab padding of every debug cache; returns the number of reports. */
  validate(): number {
    let bad = 0;
    for (const cache of this.caches) {
      if (!cache.debug) continue;
      for (const slab of cache.slabs) bad += this.dbg.validateSlab(slab);
    }
    return bad;
  }

  /** What the slab allocator knows about `va` (for access checkers), or null. */
  objectAt(va: number): SlabObjectInfo | null {
    if (!this.ctx.isLowmemVa(va)) return null;
    const slab = this.slabAt(va);
    if (!slab) return this.largeAt(va);
    const cache = slab.cache;
    const off = va - slab.va;
    const idx = Math.min(slab.objects - 1, Math.floor(off / cache.size));
    const start = slab.objectVa(idx);
    const inObj = va - start;
    const allocated = slab.state[idx] === OBJ_ALLOCATED;
    const requested = allocated && cache.isKmalloc ? slab.req[idx]! : cache.objectSize;
    let state: SlabObjectInfo['state'];
    if (inObj < 0 || inObj >= cache.objectSize || off >= slab.objects * cache.size) state = 'redzone';
    else if (!allocated) state = 'free';
    else state = inObj < requested ? 'allocated' : 'redzone';
    return { cache: cache.name, objectStart: start, size: cache.objectSize, requested, state };
  }

  /** Large-kmalloc handler for {@link objectAt}; the caller installs it. */
  largeAt: (va: number) => SlabObjectInfo | null = () => null;

  /** True when any byte of [va, va+len) is inside a free slab object. */
  isSlabFreed(va: number, len: number): boolean {
    const end = va + Math.max(1, len);
    let a = va;
    while (a < end) {
      const slab = this.slabAt(a);
      const pageEnd = (Math.floor(a / PAGE_SIZE) + 1) * PAGE_SIZE;
      if (!slab) {
        a = pageEnd;
        continue;
      }
      const cache = slab.cache;
      const first = Math.max(0, Math.floor((a - slab.va - cache.redLeftPad) / cache.size));
      const stop = Math.min(end, pageEnd);
      for (let idx = first; idx < slab.objects; idx++) {
        const s = slab.objectVa(idx);
        if (s >= stop) break;
        if (slab.state[idx] === OBJ_FREE && s < stop && s + cache.objectSize > a) return true;
      }
      a = stop;
    }
    return false;
  }

  /** Live objects of an owner across every cache. */
  liveObjects(owner: number): LiveObject[] {
    const out: LiveObject[] = [];
    for (const cache of this.caches) {
      for (const slab of cache.slabs) {
        for (let i = 0; i < slab.objects; i++) {
          if (slab.state[i] === OBJ_ALLOCATED && slab.allocOwner[i] === owner) {
            out.push({ cache, address: slab.objectVa(i), requested: slab.req[i]!, time: slab.allocTime[i]! });
          }
        }
      }
    }
    return out;
  }

  /** The object index of pointer `p` in `slab`, or -1 when `p` is not an object start. */
  objectIndex(slab: Slab, p: number): number {
    const rel = p - slab.va - slab.cache.redLeftPad;
    const idx = rel / slab.cache.size;
    return rel >= 0 && Number.isInteger(idx) && idx < slab.objects ? idx : -1;
  }

  /** Check a cache argument from driver code. */
  static checkCache(fn: string, cache: unknown): KmemCache {
    if (!(cache instanceof KmemCache)) {
      throw new SandboxArgumentError(fn, 's', 'a struct kmem_cache * returned by kmem_cache_create', cache);
    }
    if (cache.destroyed) throw new SandboxArgumentError(fn, 's', 'a live cache (this one was destroyed by kmem_cache_destroy)', cache.name);
    return cache;
  }
}
