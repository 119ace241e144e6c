/** Interrupts and unbind on the default board: devm_request_irq is freed before other managed resources; a request_irq never freed is reported. */
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
  it('devm_request_irq lines are freed at unbind, before the other managed resources', () => {
    const b = bootBoard(DEFAULT_DT_BOARD);
    const order: string[] = [];
    b.run(() =>
      platform_driver_register(
        gianfarLike((pdev) => {
          if (pdev.name !== 'ffe24000.ethernet') return -19;
          const priv = { name: 'priv' };
          devm_kzalloc(pdev.dev, 64, GFP_KERNEL);
          devm_add_action(pdev.dev, () => order.push(`action (irq requested: ${b.kernel.irq.descs.get(platform_get_irq(pdev, 0))!.actions.length})`), null);
          const ret = devm_request_irq(pdev.dev, platform_get_irq(pdev, 0), () => IRQ_HANDLED, 0, 'eth0_g0_tx', priv);
          platform_set_drvdata(pdev, priv);
          return ret;
        }),
      ),
    );
    const tx = b.platform.device('ffe24000.ethernet')!.irqs[0]!.virq;
    expect(b.kernel.irq.descs.get(tx)!.actions.map((a) => a.name)).toEqual(['eth0_g0_tx']);
    const { leaks } = b.platform.unbind('ffe24000.ethernet');
    expect(leaks).toEqual([]);
    expect(order).toEqual(['action (irq requested: 0)']);
    expect(b.kernel.irq.descs.get(tx)!.actions).toEqual([]);
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
