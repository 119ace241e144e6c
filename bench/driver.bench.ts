/**
 * The whole data path with the reference driver: a peer's ICMP echo requests through the eTSEC
 * model, gianfar's NAPI RX (sync for CPU, copy into an skb), the host stack, and the reply back
 * through gianfar's TX (map, descriptor, kick, completion, unmap) — 64 round trips per iteration,
 * checker on, on the non-coherent board and its coherent twin.
 */
import { bench, describe } from 'vitest';
import { echoRequest, nicRig } from '../src/testing/index.js';

function rig(coherent: boolean, payload: number) {
  const r = nicRig({ coherent });
  r.up();
  const frames = Array.from({ length: 64 }, (_, i) => echoRequest(r.peer.mac, r.peerIp, r.ndev.dev_addr, r.ip, 1, i, payload));
  return () => {
    const before = r.peer.counters.rxFrames;
    for (const f of frames) r.peer.send(f);
    while (r.peer.counters.rxFrames - before < 64) r.idle(100_000);
    if (r.board.reports.length) throw new Error(`bench run was reported: ${r.board.reports[0]!.title}`);
  };
}

for (const payload of [56, 1400]) {
  describe(`64 ping round trips through gianfar, ${payload}-byte payloads`, () => {
    bench('non-coherent board', rig(false, payload));
    bench('coherent board', rig(true, payload));
  });
}
