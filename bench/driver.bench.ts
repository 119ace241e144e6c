/**
 * The whole data path with the reference driver: a peer's ICMP echo requests through the eTSEC
 * model, gianfar's NAPI RX (sync for CPU, copy into an skb), the host stack, and the reply back
 * through gianfar's TX (map, descriptor, kick, completion, unmap) — 64 round trips per iteration,
 * checker on, on the non-coherent board and its coherent twin.
 */
import { bench, describe } from 'vitest';
import { boardNics, bootBoard, COHERENT_DT_BOARD, DEFAULT_DT_BOARD, dev_open, Link, platform_driver_register, TrafficEndpoint, type BoardSpec } from '../src/index.js';
import { gfar_driver } from '../drivers/gianfar/gianfar.js';
import { echoRequest } from '../src/cli/frames.js';

const BOARD_IP = Uint8Array.of(192, 168, 1, 1);
const PEER_IP = Uint8Array.of(192, 168, 1, 2);
const PEER_MAC = Uint8Array.of(2, 0, 0, 0, 0xee, 1);

function rig(spec: BoardSpec, payload: number) {
  const b = bootBoard(spec);
  b.run(() => platform_driver_register(gfar_driver));
  const ndev = b.kernel.net.devices.get('eth0')!;
  ndev.ipv4 = BOARD_IP;
  const peer = new TrafficEndpoint({ name: 'peer', events: b.machine.events, mac: PEER_MAC });
  new Link(boardNics(b).get('ffe24000.ethernet')!.port, peer);
  b.run(() => dev_open(ndev));
  b.idle(2_000_000);
  const frames = Array.from({ length: 64 }, (_, i) => echoRequest(PEER_MAC, PEER_IP, ndev.dev_addr, BOARD_IP, 1, i, payload));
  return () => {
    const before = peer.counters.rxFrames;
    for (const f of frames) peer.send(f);
    while (peer.counters.rxFrames - before < 64) b.idle(100_000);
    if (b.reports.length) throw new Error(`bench run was reported: ${b.reports[0]!.title}`);
  };
}

for (const payload of [56, 1400]) {
  describe(`64 ping round trips through gianfar, ${payload}-byte payloads`, () => {
    bench('non-coherent board', rig(DEFAULT_DT_BOARD, payload));
    bench('coherent board', rig(COHERENT_DT_BOARD, payload));
  });
}
