/**
 * Matching drivers to devices as the platform bus does (`platform_match`): `driver_override`
 * first, then the device-tree match table (best `compatible` score wins, as `of_match_node`),
 * then the driver's `id_table`, then the device name against the driver name.
 */
import { compatibleScore, type OfNode } from './of-node.js';
import type { OfDeviceId, PlatformDevice, PlatformDeviceId, PlatformDriver } from './platform-device.js';

/** `of_match_node(matches, node)`: the entry matching `node` best, or null. */
export function ofMatchNode(matches: readonly OfDeviceId[] | undefined, node: OfNode | null): OfDeviceId | null {
  if (!matches || !node) return null;
  let best: OfDeviceId | null = null;
  let bestScore = 0;
  for (const m of matches) {
    if (!m.compatible && !m.type && !m.name) continue;
    const score = compatibleScore(node, m.compatible, m.type, m.name);
    if (score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

/** Why a driver matched a device. */
export type MatchResult =
  | { readonly how: 'override' | 'name' }
  | { readonly how: 'of'; readonly entry: OfDeviceId }
  | { readonly how: 'id'; readonly entry: PlatformDeviceId };

/** `platform_match(dev, drv)`: how `drv` matches `pdev`, or null. */
export function platformMatch(pdev: PlatformDevice, drv: PlatformDriver): MatchResult | null {
  if (pdev.driver_override !== null) return pdev.driver_override === drv.driver.name ? { how: 'override' } : null;
  const of = ofMatchNode(drv.driver.of_match_table, pdev.of_node);
  if (of) return { how: 'of', entry: of };
  const id = drv.id_table?.find((e) => e.name !== '' && e.name === pdev.name);
  if (id) return { how: 'id', entry: id };
  return pdev.name === drv.driver.name ? { how: 'name' } : null;
}
