/** MMIO: ioremap and its accessors' endianness through a fake register block, faults outside the window, and the ioremap rules. */
import { describe, expect, it } from 'vitest';
import { devm_ioremap_resource, devm_platform_ioremap_resource, in_8, in_be16, in_be32, in_le32, ioread32, ioread32be, iounmap, ioremap, iowrite32be, mb, out_8, out_be32, out_le16, readl, readw, setbits32, clrsetbits_be32, writel, writew, dma_wmb, of_iomap } from '../../../src/kernel/api/io.js';
import { driverCore } from '../../../src/kernel/driver/core.js';
import { IS_ERR, PTR_ERR, EBUSY, EINVAL } from '../../../src/kernel/driver/errno.js';
import { IOREMAP_END } from '../../../src/kernel/driver/ioremap.js';
import { IOREMAP_BASE } from '../../../src/kernel/layout.js';
import { run, toyBoard } from './helpers.js';

describe('MMIO accessors', () => {
  it('big-endian accessors are native; readl/writel and friends byte-swap (little-endian registers)', () => {
    const { board, regs } = toyBoard();
    regs.regs[0] = 0x1234_5678;
    const r = run(board, () => {
      const base = ioremap(0xffe0_8000, 0x100)!;
      const out = { be: in_be32(base), le: in_le32(base), readl: readl(base), ioread32: ioread32(base), be32: ioread32be(base), b0: in_8(base), h0: in_be16(base), w0: readw(base) };
      out_be32(base + 4, 0xa1b2_c3d4);
      writel(0xa1b2_c3d4, base + 8);
      iowrite32be(0xcafe_f00d, base + 12);
      writew(0x1122, base + 16);
      out_le16(base + 18, 0x3344);
      out_8(base + 20, 0x99);
      setbits32(base + 24, 0x0000_00f0);
      clrsetbits_be32(base + 24, 0x0000_0030, 0x0100_0000);
      return out;
    });
    expect(r).toEqual({ be: 0x1234_5678, le: 0x7856_3412, readl: 0x7856_3412, ioread32: 0x7856_3412, be32: 0x1234_5678, b0: 0x12, h0: 0x1234, w0: 0x3412 });
    expect(regs.regs[1]).toBe(0xa1b2_c3d4);
    expect(regs.regs[2]).toBe(0xd4c3_b2a1);
    expect(regs.regs[3]).toBe(0xcafe_f00d);
    expect(regs.regs[4]).toBe(0x2211_4433);
    expect(regs.regs[5]! >>> 24).toBe(0x99);
    expect(regs.regs[6]).toBe(0x0100_00c0);
  });

  it('barriers exist, order nothing here, and are counted', () => {
    const { board } = toyBoard();
    run(board, () => {
      mb();
      dma_wmb();
      dma_wmb();
    });
    expect(driverCore(board.kernel).barriers).toMatchObject({ mb: 1, dma_wmb: 2 });
  });
});

describe('faults', () => {
  it('an access past the ioremapped window (into the guard page) oopses with a bad-area fault', () => {
    const { board } = toyBoard();
    const base = run(board, () => ioremap(0xffe0_8000, 0x100)!);
    const r = board.run(() => in_be32(base + 0x1000));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.id).toBe('oops.bad-area');
    expect(r.oops.text).toContain('Oops: Kernel access of bad area, sig: 11 [#1]');
  });

  it('an access inside the mapped page where no device answers is a machine check', () => {
    const { board } = toyBoard();
    const base = run(board, () => ioremap(0xffe0_8000, 0x100)!);
    const r = board.run(() => readl(base + 0x800));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.id).toBe('oops.machine-check');
  });

  it('an access after iounmap faults', () => {
    const { board } = toyBoard();
    const base = run(board, () => {
      const b = ioremap(0xffe0_8000, 0x100)!;
      iounmap(b);
      return b;
    });
    expect(board.run(() => in_be32(base)).ok).toBe(false);
  });
});

describe('ioremap rules', () => {
  it('hands out page-granular areas top-down in the ioremap area, with the page offset kept', () => {
    const { board } = toyBoard();
    const [a, b] = run(board, () => [ioremap(0xffe0_8010, 0x10)!, ioremap(0xffe0_9000, 0x2000)!]);
    expect(a % 0x1000).toBe(0x10);
    expect(a).toBeLessThan(IOREMAP_END);
    expect(b).toBeLessThan(a);
    expect(b).toBeGreaterThanOrEqual(IOREMAP_BASE);
    expect(a - b).toBeGreaterThanOrEqual(0x3000);
  });

  it('refuses RAM with Linux\'s message and returns null; size 0 returns null', () => {
    const { board } = toyBoard();
    expect(run(board, () => [ioremap(0x10_0000, 0x1000), ioremap(0xffe0_8000, 0)])).toEqual([null, null]);
    expect(board.dmesg()).toMatch(/__ioremap_caller\(\): phys addr 0x00100000 is RAM lr /);
  });

  it('iounmap of an address ioremap did not return is a WARN (vunmap of a nonexistent area)', () => {
    const { board } = toyBoard();
    run(board, () => iounmap(0xf700_0000));
    expect(board.reports.map((r) => r.id)).toEqual(['io.iounmap-bad']);
    expect(board.reports[0]!.text).toContain('Trying to vunmap() nonexistent vm area (f7000000)');
  });

  it('devm_ioremap_resource claims the region: a second claim is -EBUSY; a missing resource is -EINVAL', () => {
    const { board, pdev } = toyBoard();
    const p = pdev('toy@8000');
    const [first, second, none] = run(board, () => [devm_platform_ioremap_resource(p, 0), devm_platform_ioremap_resource(p, 0), devm_ioremap_resource(p.dev, null)]);
    expect(IS_ERR(first)).toBe(false);
    expect(IS_ERR(second) && PTR_ERR(second!)).toBe(-EBUSY);
    expect(IS_ERR(none) && PTR_ERR(none!)).toBe(-EINVAL);
    expect(board.dmesg()).toContain("platform ffe08000.toy: can't request region for resource [mem 0xffe08000-0xffe080ff]");
    expect(board.dmesg()).toContain('platform ffe08000.toy: invalid resource (null)');
  });

  it('of_iomap maps a node\'s reg translated through the bus ranges', () => {
    const { board, node, regs } = toyBoard();
    regs.regs[1] = 0xdead_beef;
    expect(run(board, () => in_be32(of_iomap(node('toy@8000'), 0)! + 4))).toBe(0xdead_beef);
  });
});
