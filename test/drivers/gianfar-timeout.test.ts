/** The TX watchdog and gianfar's reset: a transmitter that stops making progress is reset, and traffic resumes. */
import { describe, expect, it } from 'vitest';
import { echoRequest, nicRig } from 'driverlab/testing';

describe('TX timeout', () => {
  it('a stalled TX engine fills the ring, the watchdog fires once, the reset work restarts the controller and pings work again', () => {
    const rig = nicRig();
    const { board: b, ndev, nic, peer } = rig;
    const send = (id: number, i: number): void => peer.send(echoRequest(rig.peer.mac, rig.peerIp, ndev.dev_addr, rig.ip, id, i, 100));
    rig.up();

    // Behind the driver's back, ask the TX engine to stop gracefully (a hung transmitter).
    nic.write(0x02c, 4, nic.read(0x02c, 4) | 0x08);
    for (let i = 0; i < 100; i++) send(1, i);
    b.idle(50_000_000);
    expect(ndev.queueStopped).toBe(true);
    expect(rig.replies()).toBe(0);

    b.idle(12_000_000_000); // the watchdog samples every watchdog_timeo (5 s): within two periods
    const warn = b.reports.find((r) => r.id === 'net.tx-timeout');
    expect(warn?.title).toMatch(/^NETDEV WATCHDOG: eth0 \(fsl-gianfar\): transmit queue 0 timed out \d+ ms$/);
    expect(warn?.text).toMatch(/WARNING: CPU: 0 PID: \d+ at net\/sched\/sch_generic\.c:\d+/);
    expect(b.dmesg()).toMatch(/eth0: transmit timed out, resetting the controller/);
    expect(ndev.queueStopped).toBe(false);

    const before = rig.replies();
    for (let i = 0; i < 10; i++) send(2, i);
    b.idle(20_000_000);
    // The reset dropped the replies the stalled ring held; those still in the qdisc went out after it.
    const stats = b.run(() => b.kernel.net.stats(ndev));
    if (!stats.ok) throw new Error(stats.oops.text);
    expect(stats.value.tx_dropped).toBe(64);
    expect(rig.replies()).toBe(100 + 10 - 64);
    expect(rig.replies() - before).toBeGreaterThanOrEqual(10);
    // Only the watchdog's WARN: the reset itself sleeps in process context, as it must.
    expect(b.reports.map((r) => r.id)).toEqual(['net.tx-timeout']);
  });
});
