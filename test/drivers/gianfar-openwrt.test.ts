/**
 * A porting exercise as a user would start it: OpenWrt's TP-Link TL-WDR4900 v1 tree (a P1014,
 * fsl,etsec2 Ethernet) booted unmodified from the corpus, the reference driver bound to its
 * Ethernet, and a peer pinging it — on the board as the tree describes it (nothing declares DMA
 * coherence, so it is non-coherent here).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardNics, dev_close, dev_open, Link, platform_driver_register, TrafficEndpoint } from 'driverlab';
import { bootDts } from '../../src/board/assembly/load.js';
import { driverCore } from '../../src/kernel/driver/core.js';
import { gfar_driver } from '../../drivers/gianfar/gianfar.js';
import { arpRequest, echoRequest, isEchoReply } from '../../src/cli/frames.js';
import { corpusDts } from '../board/assembly/helpers.js';

const BOARD_IP = Uint8Array.of(192, 168, 1, 1);
const PEER_IP = Uint8Array.of(192, 168, 1, 2);
const PEER_MAC = Uint8Array.of(2, 0, 0, 0, 0xee, 1);

describe('OpenWrt tl-wdr4900-v1.dts, unmodified', () => {
  it('the reference driver binds its fsl,etsec2 Ethernet (queue-group registers and interrupts) and answers pings', () => {
    const dir = corpusDts();
    const b = bootDts(path.join(dir, 'openwrt/tl-wdr4900-v1.dts'), { includeDirs: [path.join(dir, 'include'), dir] });
    const reg = b.run(() => platform_driver_register(gfar_driver));
    expect(reg).toEqual({ ok: true, value: 0 });
    const ndev = b.kernel.net.devices.get('eth0')!;
    expect(ndev).toBeDefined();
    expect(b.dmesg()).toMatch(/Using random MAC address/); // the tree leaves the address to U-Boot
    const [name, nic] = [...boardNics(b)][0]!;
    ndev.ipv4 = BOARD_IP;
    const peer = new TrafficEndpoint({ name: 'peer', events: b.machine.events, mac: PEER_MAC });
    new Link(nic.port, peer);
    let replies = 0;
    peer.frames$.subscribe((f) => void (isEchoReply(f.bytes) && replies++));
    expect(b.run(() => dev_open(ndev))).toEqual({ ok: true, value: 0 });
    b.idle(2_000_000);
    peer.send(arpRequest(PEER_MAC, PEER_IP, BOARD_IP));
    for (let i = 0; i < 50; i++) peer.send(echoRequest(PEER_MAC, PEER_IP, ndev.dev_addr, BOARD_IP, 3, i, 100 + i));
    b.idle(20_000_000);
    expect(replies).toBe(50);
    b.run(() => dev_close(ndev));
    expect(driverCore(b.kernel).bus.unbind(name).leaks).toEqual([]);
    expect(b.reports).toEqual([]);
  });
});
