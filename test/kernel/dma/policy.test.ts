/**
 * Switching the checker: dma-debug's "print only the first error" (policy.limit) next to the
 * default "report all", per-check disable/enable and severity, strict mode and assertClean,
 * the driver filter (`dma_debug_driver=`), and `dma_debug=off`, which leaves the core
 * behaviours (BUG on DMA_NONE, the bad-sync oops, the cache maintenance and its symptoms) alone.
 */
import { describe, expect, it } from 'vitest';
import { kfree, kmalloc } from '../../../src/kernel/api/mm.js';
import {
  dma_map_single, dma_mapping_error, dma_sync_single_for_cpu, dma_sync_single_for_device, dma_unmap_single, dma_debug_dump,
} from '../../../src/kernel/dma/api.js';
import { NULL_DMA_CHECKER } from '../../../src/kernel/dma/debug/checker.js';
import { DMA_FROM_DEVICE, DMA_NONE, DMA_TO_DEVICE } from '../../../src/kernel/dma/types.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import { copy_to_host, ld_be32 } from '../../../src/kernel/memaccess.js';
import { ids, pattern, rig, type Rig } from './helpers.js';

/** Three distinct DMA-API errors in a row: an unknown unmap, an unknown sync, an unchecked map error. */
function threeErrors(r: Rig): void {
  r.run(() => {
    dma_unmap_single(r.dev, 0x0100_0000, 64, DMA_TO_DEVICE);
    dma_sync_single_for_cpu(r.dev, 0x0100_0000, 64, DMA_TO_DEVICE);
    const buf = kmalloc(64, GFP_KERNEL)!;
    dma_unmap_single(r.dev, dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE), 64, DMA_TO_DEVICE);
  });
}

describe('report all (the default) versus print only the first error', () => {
  it('by default every error is printed', () => {
    const r = rig();
    threeErrors(r);
    expect(ids(r.b.reports)).toEqual(['dma.unmap-unknown', 'dma.sync-unknown', 'dma.map-err-unchecked']);
  });

  it('policy.limit("dma.", 1) is dma-debug\'s num_errors=1: the first error is printed, the rest only counted', () => {
    const r = rig();
    const p = r.b.kernel.reporter.policy;
    p.limit('dma.', 1);
    threeErrors(r);
    expect(ids(r.b.reports)).toEqual(['dma.unmap-unknown']);
    expect(p.seen('dma.')).toBe(3); // error_count
    expect(p.suppressed('dma.')).toBe(2);
    expect(p.remaining('dma.')).toBe(0);
    expect(r.b.kernel.dma.debug!.out.errorCount).toBe(3);
    expect(r.b.dmesg().match(/DMA-API: /g)).toHaveLength(1);
  });

  it('the budget is global to the checker, beyond-dma-debug checks included; unlimit is all_errors', () => {
    const r = rig();
    const p = r.b.kernel.reporter.policy;
    p.limit('dma.', 1);
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      ld_be32(buf); // dma.cpu-access-device-owned: uses the budget
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE); // dma.sync-dir: suppressed
      p.unlimit('dma.');
      dma_sync_single_for_cpu(r.dev, h, 64, DMA_TO_DEVICE); // printed again
    });
    expect(ids(r.b.reports)).toEqual(['dma.cpu-access-device-owned', 'dma.sync-dir']);
  });

  it('a kernel BUG or an oops is printed whatever the budget', () => {
    const r = rig();
    r.b.kernel.reporter.policy.limit('dma.', 0);
    threeErrors(r);
    r.oops(() => dma_sync_single_for_device(r.dev, 0x1000, 64, DMA_NONE));
    r.oops(() => dma_sync_single_for_device(r.dev, 0x3f00_0000, 64, DMA_FROM_DEVICE));
    expect(ids(r.b.reports)).toEqual(['dma.bug-dma-none', 'oops.bad-area']);
  });

  it('clear() forgets printed reports and refills the budget', () => {
    const r = rig();
    const rep = r.b.kernel.reporter;
    rep.policy.limit('dma.', 1);
    threeErrors(r);
    rep.clear();
    threeErrors(r);
    expect(ids(rep.reports)).toEqual(['dma.unmap-unknown']);
  });
});

describe('per-check switches', () => {
  it('disable one id: it is counted, not printed; enable brings it back', () => {
    const r = rig();
    const p = r.b.kernel.reporter.policy;
    p.disable('dma.map-err-unchecked');
    threeErrors(r);
    expect(ids(r.b.reports)).toEqual(['dma.unmap-unknown', 'dma.sync-unknown']);
    expect(p.disabledCount('dma.map-err-unchecked')).toBe(1);
    p.enable('dma.map-err-unchecked');
    threeErrors(r);
    expect(ids(r.b.reports).slice(2)).toEqual(['dma.unmap-unknown', 'dma.sync-unknown', 'dma.map-err-unchecked']);
  });

  it('disable a family with a trailing-* pattern (the only wildcard)', () => {
    const r = rig();
    r.b.kernel.reporter.policy.disable('dma.sync-*');
    r.b.kernel.reporter.policy.disable('dma.*-unknown'); // no trailing *: an exact id, which matches nothing
    threeErrors(r);
    expect(ids(r.b.reports)).toEqual(['dma.unmap-unknown', 'dma.map-err-unchecked']);
  });

  it('setSeverity prints a check as another kind (a driverlab check as a WARN splat)', () => {
    const r = rig();
    r.b.kernel.reporter.policy.setSeverity('dma.cpu-access-device-owned', 'warn');
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      ld_be32(buf);
    });
    const w = r.b.reports[0]!;
    expect(w.kind).toBe('warn');
    expect(w.text).toMatch(/^------------\[ cut here \]------------\nDMA-API: gianfar ffe24000\.ethernet: CPU read of 4 byte\(s\)/);
    expect(w.text).toMatch(/\nWARNING: CPU: 0 PID: 1 at /);
  });
});

describe('strict mode and assertClean', () => {
  it('outside strict mode assertClean fails only on oops, BUG and panic reports', () => {
    const r = rig();
    threeErrors(r);
    expect(() => r.b.kernel.reporter.assertClean()).not.toThrow();
    r.oops(() => dma_sync_single_for_device(r.dev, 0x3f00_0000, 64, DMA_FROM_DEVICE));
    expect(() => r.b.kernel.reporter.assertClean()).toThrow(/Unable to handle kernel data access/);
  });

  it('in strict mode (the knob or driverlab.strict=1) any printed report fails, with its text', () => {
    for (const knobs of [{ strict: true }, { bootargs: 'driverlab.strict=1' }]) {
      const r = rig(knobs);
      r.run(() => dma_unmap_single(r.dev, 0x0100_0000, 64, DMA_TO_DEVICE));
      expect(() => r.b.kernel.reporter.assertClean()).toThrow(/device driver tries to free DMA memory it has not allocated/);
    }
  });

  it('a correct driver passes strict mode; assertClean can be narrowed to a prefix', () => {
    const r = rig({ strict: true });
    r.run(() => {
      const buf = kmalloc(128, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 128, DMA_FROM_DEVICE);
      if (dma_mapping_error(r.dev, h)) return;
      r.dev.busMaster.write(h, pattern(128, 3), 0, 128);
      dma_sync_single_for_cpu(r.dev, h, 128, DMA_FROM_DEVICE);
      copy_to_host(buf, 128);
      dma_unmap_single(r.dev, h, 128, DMA_FROM_DEVICE);
      kfree(buf);
    });
    expect(() => r.b.kernel.reporter.assertClean()).not.toThrow();
    r.b.kernel.reporter.warn({ id: 'other.thing', title: 'something else' });
    expect(() => r.b.kernel.reporter.assertClean('dma.')).not.toThrow();
    expect(() => r.b.kernel.reporter.assertClean()).toThrow(/something else/);
  });
});

describe('the driver filter (dma_debug_driver=)', () => {
  it('only the named driver\'s errors are printed; the others are still counted', () => {
    const r = rig({ bootargs: 'dma_debug_driver=e1000' });
    threeErrors(r);
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.dma.debug!.out.errorCount).toBe(3);
    const e1000 = r.b.kernel.createDevice('0000:00:01.0', { driver: 'e1000' });
    r.run(() => dma_unmap_single(e1000, 0x0100_0000, 64, DMA_TO_DEVICE));
    expect(r.b.reports.map((x) => x.title)).toEqual([
      'DMA-API: e1000 0000:00:01.0: device driver tries to free DMA memory it has not allocated [device address=0x0000000001000000] [size=64 bytes]',
    ]);
  });

  it('applies to the checks beyond dma-debug too', () => {
    const r = rig({ bootargs: 'dma_debug_driver=e1000' });
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      dma_mapping_error(r.dev, h);
      ld_be32(buf);
    });
    expect(r.b.reports).toEqual([]);
  });

  it('the filter can be changed at run time (debugfs driver_filter) and switched off', () => {
    const r = rig({ bootargs: 'dma_debug_driver=gianfar' });
    threeErrors(r);
    expect(r.b.reports).toHaveLength(3);
    r.b.kernel.dma.debug!.out.driverFilter = 'e1000';
    threeErrors(r);
    expect(r.b.reports).toHaveLength(3);
    r.b.kernel.dma.debug!.out.driverFilter = null;
    threeErrors(r);
    expect(r.b.reports).toHaveLength(6);
  });
});

describe('dma_debug=off', () => {
  it('switches the whole checker off: no DMA-API or ownership report, no entries, no dump', () => {
    const r = rig({ bootargs: 'dma_debug=off' });
    expect(r.b.kernel.dma.debug).toBeNull();
    expect(r.b.kernel.dma.checker).toBe(NULL_DMA_CHECKER);
    threeErrors(r);
    r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      ld_be32(buf); // CPU touches a device-owned buffer
      kfree(buf); // frees it while mapped
      r.dev.busMaster.write(h + 0x10000, pattern(8, 0), 0, 8); // DMA outside every mapping
      expect(dma_debug_dump()).toEqual([]);
    });
    expect(r.b.reports).toEqual([]);
    expect(r.b.kernel.dma.checker.pendingAtUnbind(r.dev)).toBe(0);
  });

  it('keeps the core behaviours: BUG on DMA_NONE and the oops of a bogus handle', () => {
    const r = rig({ bootargs: 'dma_debug=off' });
    expect(r.oops(() => dma_sync_single_for_device(r.dev, 0x1000, 64, DMA_NONE)).id).toBe('dma.bug-dma-none');
    expect(r.oops(() => dma_sync_single_for_device(r.dev, 0x3f00_0000, 64, DMA_FROM_DEVICE)).id).toBe('oops.bad-area');
  });

  it('keeps the cache maintenance, so the data symptoms of a missing sync still happen, unexplained', () => {
    const r = rig({ bootargs: 'dma_debug=off' });
    const frame = pattern(32, 0x60);
    const seen = r.run(() => {
      const buf = kmalloc(64, GFP_KERNEL)!;
      const h = dma_map_single(r.dev, buf, 64, DMA_FROM_DEVICE);
      ld_be32(buf);
      r.dev.busMaster.write(h, frame, 0, 32);
      return copy_to_host(buf, 32);
    });
    expect(Array.from(seen)).not.toEqual(Array.from(frame));
    expect(r.b.kernel.symptoms.entries.map((s) => s.kind)).toEqual(['stale-read']);
    expect(r.b.reports).toEqual([]);
  });

  it('dma_debug=on is the default, and any other value is refused at boot', () => {
    expect(rig({ bootargs: 'dma_debug=on' }).b.kernel.dma.debug).not.toBeNull();
    expect(() => rig({ bootargs: 'dma_debug=maybe' })).toThrow(/dma_debug takes off or on/);
  });
});
