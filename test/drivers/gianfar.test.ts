/** The reference gianfar driver on the default board and its coherent twin, with a peer and between two boards. */
import { describe, expect, it } from 'vitest';
import {
  bootBoard, boardNics, COHERENT_DT_BOARD, DEFAULT_DT_BOARD, dev_close, dev_open, dev_set_mac_address, Link, platform_driver_register, readPcap, type Board,
} from 'driverlab';
import { gfar_driver } from '../../drivers/gianfar/gianfar.js';
import { runNic } from '../../src/cli/nic-run.js';
import { echoRequest, isEchoReply } from '../../src/testing/frames.js';
import { driverCore } from '../../src/kernel/driver/core.js';
import { idleTogether } from '../../src/board/together.js';

describe('the main job: a peer pings eth0', () => {
  for (const coherent of [false, true]) {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      it(`${coherent ? 'coherent' : 'non-coherent'} board, seed ${seed}: every request answered, zero reports, no leak at unbind`, () => {
        const r = runNic({ frames: 300, seed, coherent });
        expect(r.replies).toBe(300);
        expect(r.badReplies).toBe(0);
        expect(r.unaccounted).toBe(0);
        expect(r.leaks).toBe(0);
        expect(r.board.reports).toEqual([]);
        expect(r.board.kernel.dma.debug!.entries()).toEqual([]);
      });
    }
  }

  it('writes a pcap of the wire that reads back with the requests and replies', () => {
    const r = runNic({ frames: 20, seed: 4, coherent: false, pcap: true });
    const file = readPcap(r.pcap!);
    const echo = file.records.filter((x) => x.data.length > 34 && x.data[23] === 1);
    expect(echo.filter((x) => x.data[34] === 8)).toHaveLength(20);
    expect(echo.filter((x) => isEchoReply(x.data))).toHaveLength(20);
  });

  it('is reproducible from the seed', () => {
    const a = runNic({ frames: 50, seed: 9, coherent: false }).lines;
    const b = runNic({ frames: 50, seed: 9, coherent: false }).lines;
    expect(a).toEqual(b);
  });
});

function boardWithDriver(spec = DEFAULT_DT_BOARD, seed = 1): Board {
  const b = bootBoard(spec, { seed });
  const r = b.run(() => platform_driver_register(gfar_driver));
  if (!r.ok || r.value !== 0) throw new Error(r.ok ? `register: ${r.value}` : r.oops.text);
  return b;
}

describe('two boards talking', () => {
  it('board A floods board B with pings over a cable; every request is answered or counted as dropped; both stay clean', () => {
    const a = boardWithDriver(DEFAULT_DT_BOARD, 1);
    const b = boardWithDriver(DEFAULT_DT_BOARD, 2);
    const ea = a.kernel.net.devices.get('eth0')!;
    const eb = b.kernel.net.devices.get('eth0')!;
    ea.ipv4 = Uint8Array.of(10, 0, 0, 1);
    eb.ipv4 = Uint8Array.of(10, 0, 0, 2);
    new Link(boardNics(a).get('ffe24000.ethernet')!.port, boardNics(b).get('ffe24000.ethernet')!.port, { propagationNs: 2000 });
    const replies: Uint8Array[] = [];
    a.kernel.net.stack.addRawHook((_n, f) => void (isEchoReply(f) && replies.push(f)));
    for (const x of [a, b]) {
      const o = x.run(() => dev_open(x.kernel.net.devices.get('eth0')!));
      expect(o).toEqual({ ok: true, value: 0 });
    }
    idleTogether([a, b], 2_000_000, 2000);
    // Bulk: 1000 echo requests of 18..1417-byte payloads, queued at once (the qdisc and the TX ring pace them).
    const n = 1000;
    a.run(() => {
      for (let i = 0; i < n; i++) a.kernel.net.stack.send(ea, echoRequest(ea.dev_addr, ea.ipv4!, eb.dev_addr, eb.ipv4!, 7, i, 18 + ((i * 37) % 1400)));
    });
    idleTogether([a, b], 40_000_000, 2000);
    const sa = a.run(() => a.kernel.net.stats(ea));
    const sb = b.run(() => b.kernel.net.stats(eb));
    if (!sa.ok || !sb.ok) throw new Error('stats oopsed');
    // Every request was answered or counted as dropped, with a reason, on the way there or back.
    const requestsLost = sb.value.rx_missed_errors + sb.value.rx_errors;
    expect(b.kernel.net.stack.counters.echoReplies).toBe(n - requestsLost);
    expect(replies.length + sa.value.rx_missed_errors + sa.value.rx_errors).toBe(n - requestsLost);
    // Board B's RX ring overflows at times under this burst (counted above as missed frames).
    expect(replies.length).toBeGreaterThan(n * 0.8);
    for (const x of [a, b]) {
      x.run(() => dev_close(x.kernel.net.devices.get('eth0')!));
      expect(driverCore(x.kernel).bus.unbind('ffe24000.ethernet').leaks).toEqual([]);
      expect(x.reports).toEqual([]);
    }
  });
});

describe('MAC address', () => {
  it('ip link set address: gianfar programs the station address (reversed byte order) and answers on the new address', () => {
    const b = boardWithDriver();
    const ndev = b.kernel.net.devices.get('eth0')!;
    const nic = boardNics(b).get('ffe24000.ethernet')!;
    const r = b.run(() => dev_set_mac_address(ndev, [0x02, 0x11, 0x22, 0x33, 0x44, 0x55]));
    expect(r).toEqual({ ok: true, value: 0 });
    expect(nic.read(0x540, 4)).toBe(0x55443322);
    expect(nic.read(0x544, 4)).toBe(0x11020000);
    expect(b.run(() => dev_set_mac_address(ndev, [0x01, 0, 0, 0, 0, 1]))).toEqual({ ok: true, value: -99 }); // multicast
    expect(b.reports).toEqual([]);
  });
});

describe('driver lifecycle', () => {
  it('unbind and rebind: eth0 comes back and still answers', () => {
    const b = boardWithDriver(COHERENT_DT_BOARD);
    const bus = driverCore(b.kernel).bus;
    expect(bus.unbind('ffe24000.ethernet').leaks).toEqual([]);
    expect(b.kernel.net.devices.has('eth0')).toBe(false);
    expect(bus.bind('ffe24000.ethernet', gfar_driver.driver.name)).toBe(0);
    expect(b.reports).toEqual([]);
  });
});
