/**
 * A porting exercise as a user would start it: OpenWrt's TP-Link TL-WDR4900 v1 tree (a P1014,
 * fsl,etsec2 Ethernet) booted unmodified from the corpus, the reference driver bound to its
 * Ethernet, and a peer pinging it — on the board as the tree describes it (nothing declares DMA
 * coherence, so it is non-coherent here).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nicRig } from 'driverlab/testing';
import { loadBoardSpec } from '../../src/board/assembly/spec-file.js';
import { corpusDts } from '../board/assembly/helpers.js';

describe('OpenWrt tl-wdr4900-v1.dts, unmodified', () => {
  it('the reference driver binds its fsl,etsec2 Ethernet (queue-group registers and interrupts) and answers pings', () => {
    const dir = corpusDts();
    const spec = loadBoardSpec(path.join(dir, 'openwrt/tl-wdr4900-v1.dts'), { includeDirs: [path.join(dir, 'include'), dir] });
    const rig = nicRig({ spec });
    expect(rig.board.dmesg()).toMatch(/Using random MAC address/); // the tree leaves the address to U-Boot
    expect(rig.up()).toBe(0);
    expect(rig.ping(50, (i) => 100 + i)).toBe(50);
    expect(rig.down().leaks).toEqual([]);
    expect(rig.board.reports).toEqual([]);
  });
});
