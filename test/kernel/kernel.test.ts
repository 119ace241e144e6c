import { describe, it, expect } from 'vitest';
import { bootBoard } from '../../src/board/board.js';
import { BoardHaltedError } from '../../src/kernel/kernel.js';
import { kfree, kmalloc, stack_buf, vmalloc, virt_addr_valid, virt_to_phys } from '../../src/kernel/api/mm.js';
import { GFP_KERNEL } from '../../src/kernel/mm/gfp.js';
import { ld_be32, st_be32, st_u8 } from '../../src/kernel/memaccess.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** 1-based line of this test file holding `marker` (so assertions survive edits above it). */
function lineOf(marker: string): number {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  return lines.findIndex((l) => l.includes(marker) && !l.includes('lineOf(')) + 1;
}

describe('boot', () => {
  it('prints a Linux-style boot log with the memory layout and zones', () => {
    const b = bootBoard();
    const log = b.dmesg();
    expect(log).toMatch(/Using driverlab e500v2 router \(non-coherent\) machine description/);
    expect(log).toMatch(/Zone ranges:\n.*DMA +\[mem 0x0000000000000000-0x000000000fffffff\]/);
    expect(log).toMatch(/Memory: \d+K\/262144K available/);
    expect(b.reports).toEqual([]);
  });

  it('maps lowmem linearly at PAGE_OFFSET and keeps kernel text read-only', () => {
    const b = bootBoard();
    const r = b.run(() => {
      const p = kmalloc(32, GFP_KERNEL)!;
      return { p, pa: virt_to_phys(p), valid: virt_addr_valid(p), vm: virt_addr_valid(vmalloc(4096)!) };
    });
    if (!r.ok) throw new Error(r.oops.text);
    expect(r.value.p - r.value.pa).toBe(0xc000_0000);
    expect(r.value.valid).toBe(true);
    expect(r.value.vm).toBe(false);
  });
});

describe('oops at the dispatch boundary', () => {
  function nullDerefDriver(): number {
    const regs = 0x10;
    return ld_be32(regs); // BUG-LINE: an unset pointer
  }

  it('a NULL dereference oopses with the PowerPC layout and the driver line, and the board goes on', () => {
    const b = bootBoard();
    const r = b.run(nullDerefDriver);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.id).toBe('oops.null-deref');
    const lines = r.oops.text.split('\n');
    expect(lines[0]).toBe('BUG: Kernel NULL pointer dereference on read at 0x00000010');
    expect(lines[1]).toMatch(/^Faulting instruction address: 0x[0-9a-f]{8}$/);
    expect(lines[2]).toBe('Oops: Kernel access of bad area, sig: 11 [#1]');
    const line = lineOf('BUG-LINE');
    expect(r.oops.text).toMatch(new RegExp(`NIP \\[[0-9a-f]{8}\\] nullDerefDriver\\+0x[0-9a-f]+/0x[0-9a-f]+ \\(test/kernel/kernel\\.test\\.ts:${line}\\)`));
    expect(r.oops.text).toMatch(/---\[ end trace 0000000000000000 \]---/);
    expect(r.oops.trace[0]).toMatchObject({ fn: 'nullDerefDriver', file: 'test/kernel/kernel.test.ts', line, user: true });
    // The board carries on.
    expect(b.run(() => 42)).toEqual({ ok: true, value: 42 });
  });

  it('a store into kernel text is a bad-area write fault', () => {
    const b = bootBoard();
    const r = b.run(() => st_be32(0xc000_0008, 1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.oops.text).toMatch(/^BUG: Unable to handle kernel data access on write at 0xc0000008$/m);
  });

  it('an unmapped vmalloc-area address faults', () => {
    const b = bootBoard();
    const r = b.run(() => ld_be32(0xd800_0000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.oops).toMatchObject({ id: 'oops.bad-area', details: { address: 0xd800_0000, access: 'read', reason: 'unmapped' } });
  });

  it('a JavaScript exception from driver code is an oops naming the throw site', () => {
    const b = bootBoard();
    function buggy_probe(): void {
      throw new TypeError('cannot read properties of undefined');
    }
    const r = b.run(buggy_probe);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.oops.text).toMatch(/kernel BUG at test\/kernel\/kernel\.test\.ts:\d+!/);
    expect(r.oops.text).toMatch(/TypeError: cannot read properties of undefined/);
    expect(r.oops.text).toMatch(/Oops: Exception in kernel mode, sig: 5 \[#1\]/);
  });

  it('a bad argument becomes an oops whose text names the argument', () => {
    const b = bootBoard();
    const r = b.run(() => st_u8(-1, 0));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.oops.text).toMatch(/st_u8: p must be a 32-bit kernel address \(a non-negative integer\), got -1/);
  });

  it('with panic_on_oops the oops panics and the board halts', () => {
    const b = bootBoard(undefined, { bootargs: 'panic_on_oops=1' });
    const r = b.run(nullDerefDriver);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.oops.text).toMatch(/Kernel panic - not syncing: Fatal exception/);
    expect(() => b.run(() => 1)).toThrow(BoardHaltedError);
  });
});

describe('kernel stacks and ownership', () => {
  it('stack buffers live in the task stack and are released when the call returns', () => {
    const b = bootBoard();
    const a = b.run(() => stack_buf(64));
    const c = b.run(() => stack_buf(64));
    if (!a.ok || !c.ok) throw new Error('stack_buf failed');
    expect(a.value).toBe(c.value);
    const task = b.kernel.ctx.task;
    expect(a.value).toBeGreaterThanOrEqual(task.stackBase);
    expect(a.value).toBeLessThan(task.stackTop);
  });

  it('overflowing the 8 KiB kernel stack is a BUG, not a crash', () => {
    const b = bootBoard();
    const r = b.run(() => stack_buf(10000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.oops.text).toMatch(/Kernel stack overflow in process swapper\[1\]/);
  });

  it('allocations carry the owner the call ran for, for leak checks', () => {
    const b = bootBoard();
    const r = b.run(() => kmalloc(100, GFP_KERNEL), { owner: 'ffe24000.ethernet' });
    if (!r.ok) throw new Error(r.oops.text);
    expect(b.kernel.mm.leaks('ffe24000.ethernet')).toMatchObject([{ kind: 'kmalloc', address: r.value, size: 100 }]);
    b.run(() => kfree(r.value));
    expect(b.kernel.mm.leaks('ffe24000.ethernet')).toEqual([]);
  });
});
