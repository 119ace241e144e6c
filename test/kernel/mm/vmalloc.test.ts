import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, VMALLOC_END } from '../../../src/kernel/layout.js';
import { FakeFault } from './fake-machine.js';
import { boot, GIB_BANK, SMALL_BANK } from './helpers.js';

describe('vmalloc', () => {
  it('maps physically scattered pages at the lowest free address in the vmalloc area', () => {
    const { mm, machine } = boot({ banks: SMALL_BANK });
    const v = mm.vmalloc(5 * PAGE_SIZE - 100, 'fw')!;
    expect(v).toBe(mm.vmallocStart);
    expect(mm.is_vmalloc_addr(v)).toBe(true);
    const pfns = [0, 1, 2, 3, 4].map((i) => mm.vmalloc_to_pfn(v + i * PAGE_SIZE));
    for (let i = 1; i < pfns.length; i++) expect(pfns[i]).not.toBe(pfns[i - 1]! + 1);
    expect(machine.translate(v + 3 * PAGE_SIZE + 7)).toBe(pfns[3]! * PAGE_SIZE + 7);
    expect(mm.vmalloc_to_page(v + 100)).toBe(mm.pfn_to_page(pfns[0]!));
    expect(mm.pageInfo(mm.vmalloc_to_page(v)!).flagNames).toContain('vmalloc');
  });

  it('leaves an unmapped guard page after each area', () => {
    const { mm, machine } = boot({ banks: SMALL_BANK });
    const a = mm.vmalloc(2 * PAGE_SIZE)!;
    const b = mm.vmalloc(PAGE_SIZE)!;
    expect(b).toBe(a + 3 * PAGE_SIZE);
    expect(machine.translate(a + 2 * PAGE_SIZE)).toBe(-1);
    expect(() => machine.write(a + 2 * PAGE_SIZE - 1, [1, 2])).toThrow(FakeFault);
    expect(mm.vmalloc_to_page(a + 2 * PAGE_SIZE)).toBeNull();
    // A freed hole is reused, lowest address first.
    mm.vfree(a);
    expect(machine.translate(a)).toBe(-1);
    expect(mm.vmalloc(PAGE_SIZE)).toBe(a);
  });

  it('takes highmem pages first on a board with highmem', () => {
    const { mm } = boot({ banks: GIB_BANK });
    const v = mm.vmalloc(3 * PAGE_SIZE)!;
    const page = mm.vmalloc_to_page(v)!;
    expect(mm.pageInfo(page).zone).toBe('HighMem');
    expect(mm.page_address(page)).toBeNull();
  });

  it('vzalloc zeroes; vfree gives every page back; VmallocUsed follows', () => {
    const { mm, machine, sink } = boot({ banks: SMALL_BANK });
    const before = mm.meminfoValues();
    const v = mm.vmalloc(3 * PAGE_SIZE)!;
    machine.write(v, new Array(3 * PAGE_SIZE).fill(0x55));
    expect(mm.meminfoValues().VmallocUsed).toBe(12);
    mm.vfree(v);
    expect(mm.meminfoValues()).toEqual(before);
    const z = mm.vzalloc(3 * PAGE_SIZE)!;
    expect(machine.cpuFindNot(z, 0, 3 * PAGE_SIZE)).toBe(-1);
    expect(sink.reports).toEqual([]);
  });

  it('WARNs for vfree of an address that is not a vmalloc area; vfree(NULL) is fine', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    const v = mm.vmalloc(2 * PAGE_SIZE)!;
    mm.vfree(null);
    mm.vfree(v + PAGE_SIZE);
    mm.vfree(v + 12);
    mm.vfree(0xc000_1000);
    expect(sink.reports.map((r) => [r.kind, r.id, r.title])).toEqual([
      ['warn', 'vmalloc.bad-free', `Trying to vfree() nonexistent vm area (${(v + PAGE_SIZE).toString(16)})`],
      ['warn', 'vmalloc.bad-free', `Trying to vfree() bad address (${(v + 12).toString(16)})`],
      ['warn', 'vmalloc.bad-free', 'Trying to vfree() nonexistent vm area (c0001000)'],
    ]);
    expect(sink.reports[0]!.text).toContain(`is 4096 bytes into the vmalloc area at 0x${v.toString(16)}`);
    mm.vfree(v);
    mm.vfree(v);
    expect(sink.reports).toHaveLength(4);
  });

  it('fails with warn_alloc text when the request exceeds RAM or the area, and for size 0', () => {
    const { mm, sink } = boot({ banks: SMALL_BANK });
    expect(mm.vmalloc(128 << 20)).toBeNull();
    expect(sink.reports[0]).toMatchObject({ id: 'page.alloc-failure', title: 'swapper: vmalloc error: size 134217728, exceeds total pages, mode:0xcc2(GFP_KERNEL|__GFP_HIGHMEM), nodemask=(null)' });
    expect(mm.vmalloc(0)).toBeNull();
    expect(sink.reports[1]).toMatchObject({ kind: 'warn', id: 'vmalloc.zero-size' });
    const big = boot({ banks: GIB_BANK }).mm;
    const area = VMALLOC_END - big.vmallocStart;
    const s2 = boot({ banks: GIB_BANK });
    expect(s2.mm.vmalloc(area)).toBeNull(); // no room for the guard page
    expect(s2.sink.reports[0]!.title).toContain('vm_struct allocation failed');
  });

  it('lists vmalloc areas under their owner', () => {
    const { mm } = boot({ banks: SMALL_BANK });
    const v = mm.vmalloc(10000, 'gianfar')!;
    expect(mm.leaks('gianfar')).toMatchObject([{ kind: 'vmalloc', address: v, size: 10000 }]);
    mm.vfree(v);
    expect(mm.leaks('gianfar')).toEqual([]);
  });
});
