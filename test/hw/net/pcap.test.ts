/** Classic pcap files: header layout, a round trip through the reader, a capture of a NIC run, and tshark reading it when installed. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Link, PcapWriter, readPcap, sizeSweep, testFrame, testFrameSeq, TrafficEndpoint } from '../../../src/hw/net/index.js';
import { Bench, MiniDriver, OUR_MAC, PEER_MAC } from '../etsec/helpers.js';

function tsharkPath(): string | null {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return 'tshark';
  } catch {
    return null;
  }
}

describe('PcapWriter', () => {
  it('writes the classic header: magic a1b2c3d4, v2.4, snaplen, LINKTYPE_ETHERNET', () => {
    const le = new PcapWriter().bytes();
    expect(Array.from(le.subarray(0, 8))).toEqual([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);
    expect(new DataView(le.buffer).getUint32(16, true)).toBe(65535);
    expect(new DataView(le.buffer).getUint32(20, true)).toBe(1);
    const be = new PcapWriter({ bigEndian: true, snaplen: 128 }).bytes();
    expect(Array.from(be.subarray(0, 4))).toEqual([0xa1, 0xb2, 0xc3, 0xd4]);
    expect(readPcap(be)).toMatchObject({ bigEndian: true, snaplen: 128, linktype: 1, version: [2, 4], records: [] });
  });

  it('round-trips frames with microsecond timestamps from simulated time and snaplen truncation', () => {
    const w = new PcapWriter({ snaplen: 100 });
    const f1 = testFrame({ dst: PEER_MAC, src: OUR_MAC, length: 60, seq: 1 });
    const f2 = testFrame({ dst: PEER_MAC, src: OUR_MAC, length: 300, seq: 2 });
    w.write(1_500_000_123, f1);
    w.write(2_000_000_999_999, f2);
    const p = readPcap(w.bytes());
    expect(p.records.map((r) => [r.tNs, r.origLen, r.data.length])).toEqual([[1_500_000_000, 60, 60], [2_000_000_999_000, 300, 100]]);
    expect(Array.from(p.records[0]!.data)).toEqual(Array.from(f1));
    expect(w.frameCount).toBe(2);
  });

  it('refuses what is not a classic pcap', () => {
    expect(() => readPcap(new Uint8Array(10))).toThrow(/header/);
    expect(() => readPcap(new Uint8Array(24))).toThrow(/magic/);
    const w = new PcapWriter();
    w.write(0, new Uint8Array(60));
    expect(() => readPcap(w.bytes().subarray(0, 50))).toThrow(/truncated/);
  });

  it('captures a NIC run from a link tap; the file reads back (and through tshark when installed)', () => {
    const b = new Bench();
    const drv = new MiniDriver(b, 32, 32);
    drv.keep = false;
    const peer = new TrafficEndpoint({ name: 'peer', events: b.events, mac: PEER_MAC });
    const link = new Link(b.nic.port, peer, { propagationNs: 0 });
    const w = new PcapWriter();
    w.tap(link);
    peer.sendFrom(sizeSweep({ dst: OUR_MAC, src: PEER_MAC, from: 60, to: 1514, step: 91 }));
    for (let i = 0; i < 5; i++) drv.xmit(testFrame({ dst: PEER_MAC, src: OUR_MAC, length: 100 + i, seq: 1000 + i }));
    b.run(1_000_000);
    const p = readPcap(w.bytes());
    const seqs = p.records.map((r) => testFrameSeq(r.data)).sort((x, y) => x - y);
    expect(seqs).toEqual([...Array.from({ length: 16 }, (_, i) => i), 1000, 1001, 1002, 1003, 1004]);
    expect(p.records.every((r, i) => i === 0 || r.tNs >= p.records[i - 1]!.tNs)).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'driverlab-pcap-'));
    try {
      const file = join(dir, 'run.pcap');
      w.save(file);
      expect(Array.from(readFileSync(file))).toEqual(Array.from(w.bytes()));
      const tshark = tsharkPath();
      if (tshark === null) {
        console.info('tshark is not installed: skipping the tshark read of the capture (the built-in reader checked it)');
        return;
      }
      const out = execFileSync(tshark, ['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'eth.src'], { encoding: 'utf8' });
      const lines = out.trim().split('\n');
      expect(lines.length).toBe(p.records.length);
      expect(lines[0]!.split('\t')[0]).toBe(String(p.records[0]!.data.length));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
