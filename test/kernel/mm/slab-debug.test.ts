import { describe, expect, it } from 'vitest';
import { PAGE_OFFSET, PAGE_SIZE } from '../../../src/kernel/layout.js';
import { GFP_KERNEL, SandboxArgumentError, SLAB_HWCACHE_ALIGN, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER } from '../../../src/kernel/mm/index.js';
import { boot, SMALL_BANK } from './helpers.js';

const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

describe('SLUB debug: double free', () => {
  it('reports "Object already free" with the object trailer, and does not free it again', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(64, GFP_KERNEL, 'probe')!;
    const b = mm.kmalloc(64, GFP_KERNEL, 'probe')!;
    machine.time = 8_000_000;
    mm.kfree(a, 'remove');
    expect(sink.reports).toEqual([]);
    machine.time = 20_000_000;
    mm.kfree(a, 'remove');
    const [r] = sink.reports;
    expect(r).toMatchObject({ kind: 'bug', id: 'slab.double-free', title: 'BUG kmalloc-64 (Not tainted): Object already free' });
    expect(r!.text).toContain('Allocated in probe age=5 cpu=0 pid=1 (at 0 ns)');
    expect(r!.text).toContain('Freed in remove age=3 cpu=0 pid=1 (at 8000000 ns)');
    expect(r!.text).toMatch(/Slab 0x[0-9a-f]{8} objects=21 used=1 fp=0x[0-9a-f]{8} flags=0x200\(slab\|zone=0\)/);
    expect(r!.text).toContain(`Object ${hex(a)} @offset=64 fp=`);
    expect(r!.text).toContain(`Object   ${hex(a).slice(2)}: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk`);
    expect(r!.text).toContain(`FIX kmalloc-64: Object at ${hex(a)} not freed`);
    expect(r!.details).toMatchObject({ cache: 'kmalloc-64', object: a, allocated: { owner: 'probe' }, freed: { owner: 'remove' } });
    mm.kfree(b);
    expect(sink.reports).toHaveLength(1);
  });

  it('reports "Slab has 0 allocated objects" when the slab is already empty', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(100, GFP_KERNEL)!;
    mm.kfree(a);
    mm.kfree(a);
    expect(sink.reports[0]).toMatchObject({ id: 'slab.double-free', title: 'BUG kmalloc-128 (Not tainted): Slab has 0 allocated objects but 1 are to be freed' });
  });

  it('a free, a new allocation of the same object and its free are not a double free', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(64, GFP_KERNEL)!;
    mm.kfree(a);
    const b = mm.kmalloc(64, GFP_KERNEL)!;
    expect(b).toBe(a); // LIFO free list
    mm.kfree(b);
    expect(sink.reports).toEqual([]);
  });

  it('is caught even with slub_debug off (the sandbox never corrupts its free list)', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK }, { slubDebug: false });
    const a = mm.kmalloc(64, GFP_KERNEL)!;
    mm.kfree(a);
    mm.kfree(a);
    expect(sink.reports[0]).toMatchObject({ id: 'slab.double-free', title: 'BUG kmalloc-64 (Not tainted): Object already free' });
  });
});

describe('SLUB debug: invalid free', () => {
  it('reports a pointer inside an object as "Invalid object pointer" and leaves the object allocated', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(64, GFP_KERNEL, 'drv')!;
    mm.kfree(a + 8);
    expect(sink.reports[0]).toMatchObject({ kind: 'bug', id: 'slab.invalid-free', title: `BUG kmalloc-64 (Not tainted): Invalid object pointer ${hex(a + 8)}` });
    expect(sink.reports[0]!.text).toContain(`FIX kmalloc-64: Object at ${hex(a + 8)} not freed`);
    expect(sink.reports[0]!.details).toMatchObject({ containingObject: a, offsetInObject: 8 });
    expect(mm.leaks('drv')).toHaveLength(1);
    mm.kfree(a);
    expect(mm.leaks('drv')).toEqual([]);
    expect(sink.reports).toHaveLength(1);
  });

  it('reports kfree of memory that kmalloc never gave out: pages, vmalloc, kernel image, user addresses', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const stack = mm.__get_free_pages(GFP_KERNEL, 1, 'kthread'); // a kernel stack, say
    const v = mm.vmalloc(100)!;
    for (const p of [stack + 0x100, v, PAGE_OFFSET + 0x1000, 0x1000_0000]) mm.kfree(p);
    expect(sink.reports.map((r) => [r.kind, r.id])).toEqual(new Array(4).fill(['warn', 'slab.invalid-free']));
    expect(sink.reports[0]!.text).toContain(`object pointer: ${hex(stack + 0x100)}`);
    expect(sink.reports[0]!.text).toContain('in a page block from alloc_pages/__get_free_pages (owner kthread)');
    expect(sink.reports[1]!.text).toContain('a vmalloc-area address (use vfree)');
    expect(sink.reports[2]!.text).toContain('in reserved memory');
    expect(sink.reports[3]!.text).toContain('a user-space address');
  });
});

describe('SLUB debug: use after free (poison)', () => {
  it('finds a write to a freed object when the object is allocated again', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(64, GFP_KERNEL, 'rx_alloc')!;
    mm.kfree(a, 'rx_free');
    machine.write(a + 10, [0x41, 0x42]); // use after free
    const b = mm.kmalloc(64, GFP_KERNEL)!;
    expect(b).not.toBe(a); // the damaged slab is taken out of use
    expect(b).not.toBeNull();
    const [r] = sink.reports;
    expect(r).toMatchObject({ kind: 'bug', id: 'slab.use-after-free', title: 'BUG kmalloc-64 (Not tainted): Poison overwritten' });
    expect(r!.text).toContain(`${hex(a + 10)}-${hex(a + 11)} @offset=74. First byte 0x41 instead of 0x6b`);
    expect(r!.text).toContain('Allocated in rx_alloc');
    expect(r!.text).toContain('Freed in rx_free');
    expect(r!.text).toContain(`Object   ${hex(a).slice(2)}: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 41 42 6b 6b 6b 6b  kkkkkkkkkkABkkkk`);
    expect(r!.text).toContain(`FIX kmalloc-64: Restoring Poison ${hex(a + 10)}-${hex(a + 11)}=0x6b`);
    expect(r!.text).toContain('FIX kmalloc-64: Marking all objects used');
    expect(r!.details).toMatchObject({ firstBad: a + 10, actual: 0x41, expected: 0x6b, damage: [0x41, 0x42], offsetInObject: 10 });
    expect(machine.peek(a + 10)).toBe(0x6b); // restored
  });

  it('finds it on validate() too, including a damaged last byte (End Poison)', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(32, GFP_KERNEL)!;
    const b = mm.kmalloc(32, GFP_KERNEL)!;
    mm.kfree(a);
    mm.kfree(b);
    expect(mm.validate()).toBe(0);
    machine.write(b + 31, [0]);
    expect(mm.validate()).toBe(1);
    expect(sink.reports[0]).toMatchObject({ id: 'slab.use-after-free', title: 'BUG kmalloc-32 (Not tainted): End Poison overwritten' });
    expect(mm.validate()).toBe(0); // restored
  });

  it('leaves alloc → write → free → alloc alone', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    for (let i = 0; i < 50; i++) {
      const p = mm.kmalloc(200, GFP_KERNEL)!;
      machine.write(p, new Array(200).fill(i));
      mm.kfree(p);
    }
    expect(mm.validate()).toBe(0);
    expect(sink.reports).toEqual([]);
  });
});

describe('SLUB debug: red zones', () => {
  it('catches a write past the end at kfree (Right Redzone) and does not free the object', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(64, GFP_KERNEL, 'tx')!;
    machine.write(a, new Array(64).fill(0x11));
    machine.write(a + 64, [0xde, 0xad]);
    mm.kfree(a);
    const [r] = sink.reports;
    expect(r).toMatchObject({ kind: 'bug', id: 'slab.redzone', title: 'BUG kmalloc-64 (Not tainted): Right Redzone overwritten' });
    expect(r!.text).toContain(`${hex(a + 64)}-${hex(a + 65)} @offset=128. First byte 0xde instead of 0xcc`);
    expect(r!.text).toContain(`Redzone  ${hex(a + 64).slice(2)}: de ad cc cc`);
    expect(r!.text).toContain(`FIX kmalloc-64: Restoring Right Redzone ${hex(a + 64)}-${hex(a + 65)}=0xcc`);
    expect(r!.text).toContain(`FIX kmalloc-64: Object at ${hex(a)} not freed`);
    expect(mm.leaks('tx')).toHaveLength(1);
  });

  it('catches a write before the start (Left Redzone) on validate()', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(128, GFP_KERNEL)!;
    machine.write(a - 1, [0]);
    expect(mm.validate()).toBe(1);
    expect(sink.reports[0]).toMatchObject({ id: 'slab.redzone', title: 'BUG kmalloc-128 (Not tainted): Left Redzone overwritten' });
  });

  it('catches a write past the requested size inside the object (kmalloc Redzone)', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(60, GFP_KERNEL)!;
    machine.write(a, new Array(60).fill(1));
    expect(mm.objectAt(a + 59)!.state).toBe('allocated');
    expect(mm.objectAt(a + 60)!.state).toBe('redzone');
    machine.write(a + 60, [2]);
    mm.kfree(a);
    expect(sink.reports[0]).toMatchObject({ id: 'slab.redzone', title: 'BUG kmalloc-64 (Not tainted): kmalloc Redzone overwritten' });
    expect(sink.reports[0]!.details).toMatchObject({ requested: 60, offsetInObject: 60 });
  });

  it('catches damage to object padding and to the slab tail padding', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(64, GFP_KERNEL)!;
    // kmalloc-64 with debug: 64 left red zone, object, 4 red zone, free pointer, 2 tracks, orig_size, then padding.
    machine.write(a + 64 + 4 + 4 + 40 + 4, [1]);
    expect(mm.validate()).toBe(1);
    expect(sink.reports[0]!.title).toBe('BUG kmalloc-64 (Not tainted): Object padding overwritten');
    const slabEnd = Math.floor(a / PAGE_SIZE) * PAGE_SIZE + PAGE_SIZE;
    machine.write(slabEnd - 1, [0]);
    expect(mm.validate()).toBe(1);
    expect(sink.reports[1]!.title).toMatch(/^BUG kmalloc-64 \(Tainted: G {4}B {13}\): Padding overwritten\. 0x[0-9a-f]{8}-0x[0-9a-f]{8} @offset=4095$/);
  });

  it('keeps quiet for writes that stay inside the object', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const ptrs = [1, 7, 32, 33, 64, 96, 100, 192, 500, 1024, 3000, 8192].map((s) => [mm.kmalloc(s, GFP_KERNEL)!, s] as const);
    for (const [p, s] of ptrs) machine.write(p, new Array(s).fill(0xff));
    expect(mm.validate()).toBe(0);
    for (const [p] of ptrs) mm.kfree(p);
    expect(mm.validate()).toBe(0);
    expect(sink.reports).toEqual([]);
  });

  it('does not poison or red-zone with slub_debug off, so overflows go unseen there', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK }, { slubDebug: false });
    const a = mm.kmalloc(64, GFP_KERNEL)!;
    const b = mm.kmalloc(64, GFP_KERNEL)!;
    expect(b - a).toBe(64);
    machine.write(a, new Array(70).fill(0x11)); // runs into b
    mm.kfree(a);
    expect(machine.peek(a)).toBe(0x11);
    expect(mm.validate()).toBe(0);
    expect(sink.reports).toEqual([]);
  });
});

describe('slab object queries', () => {
  it('objectAt tells allocated, free and red-zone bytes apart; isSlabFreed is the cheap form', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const a = mm.kmalloc(64, GFP_KERNEL)!;
    const b = mm.kmalloc(64, GFP_KERNEL)!;
    mm.kfree(b);
    expect(mm.objectAt(a)).toEqual({ cache: 'kmalloc-64', objectStart: a, size: 64, requested: 64, state: 'allocated' });
    expect(mm.objectAt(a + 63)!.state).toBe('allocated');
    expect(mm.objectAt(a + 64)).toMatchObject({ objectStart: a, state: 'redzone' });
    expect(mm.objectAt(a - 1)).toMatchObject({ objectStart: a, state: 'redzone' });
    expect(mm.objectAt(b + 5)).toMatchObject({ objectStart: b, state: 'free' });
    expect(mm.objectAt(mm.__get_free_pages(GFP_KERNEL, 0))).toBeNull();
    expect(mm.objectAt(0xf100_0000)).toBeNull();
    expect(mm.isSlabFreed(a, 64)).toBe(false);
    expect(mm.isSlabFreed(b, 1)).toBe(true);
    expect(mm.isSlabFreed(a, b - a + 1)).toBe(true);
    expect(mm.isSlabFreed(b + 64, 8)).toBe(false); // red zone, not the object
  });
});

describe('kmem_cache', () => {
  it('creates caches with calculate_alignment rules and allocates, frees and destroys them', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const c = mm.kmem_cache_create('gfar_rxbd', 24, 0, SLAB_HWCACHE_ALIGN);
    expect(c.align).toBe(32);
    const d = mm.kmem_cache_create('tiny', 3, 0, 0);
    expect(d.align).toBe(8);
    const p = mm.kmem_cache_zalloc(c, GFP_KERNEL, 'gfar')!;
    expect(p % 32).toBe(0);
    expect(machine.cpuFindNot(p, 0, 24)).toBe(-1);
    expect(mm.objectAt(p)!.cache).toBe('gfar_rxbd');
    expect(mm.leaks('gfar')).toMatchObject([{ kind: 'kmem_cache', cache: 'gfar_rxbd', address: p, size: 24 }]);
    expect(mm.slabinfo()).toMatch(/\ngfar_rxbd +1 +\d+ +\d+/);
    mm.kmem_cache_free(c, p);
    mm.kmem_cache_destroy(c);
    expect(mm.slabinfo()).not.toContain('gfar_rxbd');
    expect(() => mm.kmem_cache_alloc(c, GFP_KERNEL)).toThrow(SandboxArgumentError);
    mm.kmem_cache_destroy(null);
    expect(sink.reports).toEqual([]);
  });

  it('refuses to destroy a cache with live objects, with SLUB\'s report', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const c = mm.kmem_cache_create('skbuff_cache', 200, 0, 0);
    const p = mm.kmem_cache_alloc(c, GFP_KERNEL, 'netdev')!;
    mm.kmem_cache_destroy(c);
    expect(sink.ids).toEqual(['slab.destroy-busy', 'slab.destroy-busy']);
    expect(sink.reports[0]!.title).toBe('BUG skbuff_cache (Not tainted): Objects remaining in skbuff_cache on __kmem_cache_shutdown()');
    expect(sink.reports[0]!.text).toContain(`Object ${hex(p)} @offset=`);
    expect(sink.reports[0]!.text).toContain('Allocated in netdev');
    expect(sink.reports[1]).toMatchObject({ kind: 'warn', title: 'kmem_cache_destroy skbuff_cache: Slab cache still has objects when called from swapper' });
    expect(mm.kmem_cache_alloc(c, GFP_KERNEL)).not.toBeNull(); // still usable
  });

  it('warns when an object is freed to the wrong cache, then frees it to its own', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const a = mm.kmem_cache_create('a_cache', 40, 0, 0);
    const b = mm.kmem_cache_create('b_cache', 40, 0, 0);
    const p = mm.kmem_cache_alloc(a, GFP_KERNEL)!;
    mm.kmem_cache_free(b, p);
    expect(sink.reports[0]).toMatchObject({ kind: 'warn', id: 'slab.wrong-cache', title: 'cache_from_obj: Wrong slab cache. b_cache but object is from a_cache' });
    expect(mm.objectAt(p)!.state).toBe('free');
  });

  it('honours per-cache debug flags when slub_debug is off', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK }, { slubDebug: false });
    const c = mm.kmem_cache_create('dbg', 48, 0, SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER);
    const p = mm.kmem_cache_alloc(c, GFP_KERNEL)!;
    machine.write(p + 48, [0]);
    mm.kmem_cache_free(c, p);
    expect(sink.reports[0]!.title).toBe('BUG dbg (Not tainted): Right Redzone overwritten');
  });

  it('gives empty slabs back to the page allocator once min_partial slabs are kept', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const before = mm.meminfoValues();
    const ptrs: number[] = [];
    for (let i = 0; i < 2000; i++) ptrs.push(mm.kmalloc(64, GFP_KERNEL)!);
    const peak = mm.meminfoValues().Slab;
    expect(peak - before.Slab).toBeGreaterThanOrEqual(Math.ceil(2000 / 21) * 4);
    for (const p of ptrs) mm.kfree(p);
    const after = mm.meminfoValues().Slab;
    expect(after - before.Slab).toBeLessThanOrEqual(5 * 4);
    expect(sink.reports).toEqual([]);
  });
});
