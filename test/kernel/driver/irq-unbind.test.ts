/** Interrupts and unbind on the default board: devm_request_irq is released in the one devres order (newest first, interleaved with every other managed resource); a request_irq never freed is reported. */
import { describe, expect, it } from 'vitest';
import { bootBoard, DEFAULT_DT_BOARD } from '../../../src/board/board.js';
import { devm_add_action, devm_kzalloc } from '../../../src/kernel/api/devres.js';
import { irq_of_parse_and_map, of_get_child_by_name } from '../../../src/kernel/api/of.js';
import { platform_driver_register, platform_get_irq, platform_set_drvdata } from '../../../src/kernel/api/platform.js';
import { devm_request_irq, free_irq, request_irq } from '../../../src/kernel/irq/api.js';
import { IRQ_HANDLED } from '../../../src/kernel/irq/constants.js';
import { GFP_KERNEL } from '../../../src/kernel/mm/gfp.js';
import type { PlatformDriver } from '../../../src/kernel/driver/platform-device.js';

function gianfarLike(probe: NonNullable<PlatformDriver['probe']>, remove?: NonNullable<PlatformDriver['remove']>): PlatformDriver {
  return { probe, ...(remove ? { remove } : {}), driver: { name: 'toy-gfar', of_match_table: [{ compatible: 'gianfar' }] } };
}

describe('interrupts at unbind', () => {
  /** Probe a toy gianfar that registers `steps` in order; unbind it and return what the actions saw. */
  function unbindOrder(steps: readonly ('irq' | 'action' | 'kzalloc')[]): { order: string[]; leaks: readonly unknown[]; actionsAfter: number } {
    const b = bootBoard(DEFAULT_DT_BOARD);
    const order: string[] = [];
    let irq = 0;
    b.run(() =>
      platform_driver_register(
        gianfarLike((pdev) => {
          if (pdev.name !== 'ffe24000.ethernet') return -19;
          const priv = { name: 'priv' };
          irq = platform_get_irq(pdev, 0);
          let n = 0;
          for (const step of steps) {
            if (step === 'kzalloc') devm_kzalloc(pdev.dev, 64, GFP_KERNEL);
            else if (step === 'action') {
              const tag = `action ${++n}`;
              devm_add_action(pdev.dev, () => order.push(`${tag} (irq requested: ${b.kernel.irq.descs.get(irq)!.actions.length})`), null);
            } else {
              const ret = devm_request_irq(pdev.dev, irq, () => IRQ_HANDLED, 0, 'eth0_g0_tx', priv);
              if (ret) return ret;
            }
          }
          platform_set_drvdata(pdev, priv);
          return 0;
        }),
      ),
    );
    expect(b.kernel.irq.descs.get(irq)!.actions.map((a) => a.name)).toEqual(['eth0_g0_tx']);
    const { leaks } = b.platform.unbind('ffe24000.ethernet');
    return { order, leaks, actionsAfter: b.kernel.irq.descs.get(irq)!.actions.length };
  }

  it('a devm_request_irq made after the other managed resources is released first', () => {
    expect(unbindOrder(['kzalloc', 'action', 'irq'])).toEqual({ order: ['action 1 (irq requested: 0)'], leaks: [], actionsAfter: 0 });
  });

  it('a devm_request_irq made before a resource its handler uses is still requested while that resource is released (newest first, as Linux)', () => {
    expect(unbindOrder(['action', 'irq', 'action'])).toEqual({ order: ['action 2 (irq requested: 1)', 'action 1 (irq requested: 0)'], leaks: [], actionsAfter: 0 });
  });

  it('a request_irq without free_irq in remove is reported at unbind; with free_irq it is not', () => {
    for (const frees of [false, true]) {
      const b = bootBoard(DEFAULT_DT_BOARD);
      let irq = 0;
      const priv = {};
      b.run(() =>
        platform_driver_register(
          gianfarLike(
            (pdev) => {
              if (pdev.name !== 'ffe24000.ethernet') return -19;
              irq = platform_get_irq(pdev, 2);
              platform_set_drvdata(pdev, priv);
              return request_irq(irq, () => IRQ_HANDLED, 0, 'eth0_g0_er', priv);
            },
            () => {
              if (frees) free_irq(irq, priv);
            },
          ),
        ),
      );
      const { leaks } = b.platform.unbind('ffe24000.ethernet');
      if (frees) expect(leaks).toEqual([]);
      else {
        expect(leaks.map((l) => l.text)).toEqual([`irq ${irq} ("eth0_g0_er") still requested after unbind (missing free_irq)`]);
        expect(b.reports.at(-1)!.id).toBe('driver.leak.irq');
      }
    }
  });

  it('irq_of_parse_and_map maps the interrupts of a node that is not a platform device (as gianfar does for queue groups)', () => {
    const b = bootBoard(DEFAULT_DT_BOARD);
    const enet0 = b.platform.device('ffe24000.ethernet')!;
    const r = b.run(() => [irq_of_parse_and_map(enet0.of_node, 1), irq_of_parse_and_map(of_get_child_by_name(enet0.of_node, 'mdio'), 0), irq_of_parse_and_map({ name: 'x', interrupts: [30, 2, 0, 0] }, 0)]);
    expect(r).toEqual({ ok: true, value: [enet0.irqs[1]!.virq, 0, enet0.irqs[1]!.virq] });
  });
});
