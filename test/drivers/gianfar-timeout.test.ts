/** The TX watchdog and gianfar's reset: a transmitter that stops making progress is reset, and traffic resumes. */
import { describe, expect, it } from 'vitest';
import { boardNics, bootBoard, DEFAULT_DT_BOARD, dev_open, Link, platform_driver_register, TrafficEndpoint } from 'driverlab';
import { gfar_driver } from '../../drivers/gianfar/gianfar.js';
import { echoRequest, isEchoReply } from '../../src/cli/frames.js';

const BOARD_IP = Uint8Array.of(192, 168, 1, 1);
const PEER_IP = Uint8Array.of(192, 168, 1, 2);
const PEER_MAC = Uint8Array.of(2, 0, 0, 0, 0xee, 1);

describe('TX timeout', () => {
  it('a stalled TX engine fills the ring, the watchdog fires once, the reset work restarts the controller and pings work again', () => {
    const b = bootBoard(DEFAULT_DT_BOARD);
    b.run(() => platform_driver_register(gfar_driver));
    const ndev = b.kernel.net.devices.get('eth0')!;
    ndev.ipv4 = BOARD_IP;
    const nic = boardNics(b).get('ffe24000.ethernet')!;
    const peer = new TrafficEndpoint({ name: 'peer', events: b.machine.events, mac: PEER_MAC });
    new Link(nic.port, peer);
    let replies = 0;
    peer.frames$.subscribe((f) => void (isEchoReply(f.bytes) && replies++));
    b.run(() => dev_open(ndev));
    b.idle(2_000_000);

    // Behind the driver's back, ask the TX engine to stop gracefully (a hung transmitter).
    nic.write(0x02c, 4, nic.read(0x02c, 4) | 0x08);
    for (let i = 0; i < 100; i++) peer.send(echoRequest(PEER_MAC, PEER_IP, ndev.dev_addr, BOARD_IP, 1, i, 100));
    b.idle(50_000_000);
    expect(ndev.queueStopped).toBe(true);
    expect(replies).toBe(0);

    b.idle(12_000_000_000); // the watchdog samples every watchdog_timeo (5 s): within two periods
    const warn = b.reports.find((r) => r.id === 'net.tx-timeout');
    expect(warn?.title).toMatch(/^NETDEV WATCHDOG: eth0 \(fsl-gianfar\): transmit queue 0 timed out \d+ ms$/);
    expect(warn?.text).toMatch(/WARNING: CPU: 0 PID: \d+ at net\/sched\/sch_generic\.c:\d+/);
    expect(b.dmesg()).toMatch(/eth0: transmit timed out, resetting the controller/);
    expect(ndev.queueStopped).toBe(false);

    const before = replies;
    for (let i = 0; i < 10; i++) peer.send(echoRequest(PEER_MAC, PEER_IP, ndev.dev_addr, BOARD_IP, 2, i, 100));
    b.idle(20_000_000);
    // The reset dropped the replies the stalled ring held; those still in the qdisc went out after it.
    const stats = b.run(() => b.kernel.net.stats(ndev));
    if (!stats.ok) throw new Error(stats.oops.text);
    expect(stats.value.tx_dropped).toBe(64);
    expect(replies).toBe(100 + 10 - 64);
    expect(replies - before).toBeGreaterThanOrEqual(10);
    // Only the watchdog's WARN: the reset itself sleeps in process context, as it must.
    expect(b.reports.map((r) => r.id)).toEqual(['net.tx-timeout']);
  });
});
