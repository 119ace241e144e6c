/**
 * The main job (`npm start`): boot the default board (or its coherent twin), bind the reference
 * gianfar driver, bring eth0 up, and let a peer on the wire ARP for it and then ping it with a
 * seeded mix of frame sizes; then take the interface down, unbind the driver and report what
 * happened — frames, drops with their reasons, interrupts, DMA mappings, and every report.
 */
import type { Board } from '../board/board.js';
import { PcapWriter } from '../hw/net/pcap.js';
import { Prng } from '../sim/prng.js';
import { proc_interrupts } from '../kernel/irq/api.js';
import type { PlatformDriver } from '../kernel/driver/platform-device.js';
import { isEchoReply } from '../testing/frames.js';
import { nicRig } from '../testing/nic-rig.js';
import { gfar_bugs } from '../../drivers/gianfar/gianfar.js';
import { summariseReports } from './report-summary.js';

/** A bug the reference driver can be run with (a key of `gfar_bugs`). */
export type GfarBug = keyof typeof gfar_bugs;

/** The reference driver's switchable bugs, as the CLI spells them (`rx-no-sync-for-cpu`). */
export const GFAR_BUG_NAMES: ReadonlyMap<string, GfarBug> = new Map((Object.keys(gfar_bugs) as GfarBug[]).map((k) => [bugCliName(k), k]));

/** `rxNoSyncForCpu` → `rx-no-sync-for-cpu`. */
function bugCliName(bug: GfarBug): string {
  return bug.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Options of the main job. */
export interface NicRunOptions {
  /** Echo requests the peer sends. */
  readonly frames: number;
  readonly seed: number;
  /** Use the coherent twin board. */
  readonly coherent: boolean;
  /** Write a pcap of the wire here (written by the CLI). */
  readonly pcap?: boolean;
  /** The Ethernet driver to bind (default: the reference gianfar). */
  readonly driver?: PlatformDriver;
  /** Bugs to switch on in the reference driver for this run (switched off again after it). */
  readonly bugs?: readonly GfarBug[];
}

/** What the main job found. */
export interface NicRunResult {
  readonly board: Board;
  readonly lines: string[];
  readonly sent: number;
  readonly replies: number;
  readonly badReplies: number;
  /** Frames the peer sent (its ARP request and the echo requests) neither answered nor counted as dropped somewhere (should be 0). */
  readonly unaccounted: number;
  readonly leaks: number;
  readonly pcap: Uint8Array | null;
}


/** Run the main job. */
export function runNic(opts: NicRunOptions): NicRunResult {
  const bugs = opts.bugs ?? [];
  if (bugs.length > 0 && opts.driver) throw new Error('bugs switch the reference driver; they cannot apply to another driver');
  const saved = { ...gfar_bugs };
  for (const b of bugs) gfar_bugs[b] = true;
  try {
    return runNicWith(opts);
  } finally {
    Object.assign(gfar_bugs, saved);
  }
}

function runNicWith(opts: NicRunOptions): NicRunResult {
  const rig = nicRig({ coherent: opts.coherent, seed: opts.seed, ...(opts.driver ? { driver: opts.driver } : {}) });
  const { board, ndev, peer, link, driver } = rig;
  const k = board.kernel;
  const lines: string[] = [];
  const say = (s: string): void => void lines.push(s);
  const must = <T>(what: string, r: ReturnType<typeof board.run<T>>): T => {
    if (!r.ok) throw new Error(`${what} oopsed:\n${r.oops.text}`);
    return r.value;
  };
  const pcap = opts.pcap ? new PcapWriter() : null;
  if (pcap) pcap.tap(link);
  let arpReplies = 0;
  let badReplies = 0;
  peer.frames$.subscribe((f) => {
    if (f.bytes.length >= 42 && f.bytes[12] === 0x08 && f.bytes[13] === 0x06) arpReplies++;
    else if (!isEchoReply(f.bytes)) badReplies++;
  });
  const rc = rig.up();
  if (rc !== 0) throw new Error(`dev_open(eth0) returned ${rc}`);

  // The peer ARPs for the board, then pings it with seeded sizes, paced at line rate.
  const prng = new Prng(opts.seed);
  const replies = rig.ping(opts.frames, () => 18 + prng.below(1400));
  const stats = must('dev_get_stats', board.run(() => k.net.stats(ndev)));
  const interrupts = must('proc_interrupts', board.run(() => proc_interrupts()));
  const liveMappings = k.dma.debug?.entries().length ?? 0;
  const unbind = rig.down();

  // Every frame the peer sent (one ARP request, then the echo requests) is answered, answered
  // malformed, or dropped somewhere with a reason: by the driver, the qdisc, or the host stack.
  const sc = k.net.stack.counters;
  const dropped = stats.rx_errors + stats.rx_missed_errors + stats.rx_dropped + stats.tx_dropped + stats.tx_errors + k.net.drops['qdisc-full'] + sc.otherHost + sc.unhandled;
  const unaccounted = opts.frames + 1 - replies - arpReplies - badReplies - dropped;
  say(`Board: ${board.spec.name}, seed ${opts.seed}`);
  say(`Driver: ${driver.driver.name} bound to ${rig.nicName} as eth0 (${ndev.macString}), ${Array.from(rig.ip).join('.')}`);
  if (opts.bugs?.length) say(`Bugs switched on in the driver: ${opts.bugs.map(bugCliName).join(', ')}`);
  say('');
  say(`Peer sent ${opts.frames} ICMP echo requests (18..1417-byte payloads) after one ARP request; simulated time ${(board.machine.now / 1e6).toFixed(3)} ms`);
  say(`  ARP replies ${arpReplies}, echo replies ${replies}${badReplies ? `, malformed frames ${badReplies}` : ''}`);
  say(`  eth0 rx ${stats.rx_packets} packets / ${stats.rx_bytes} bytes, tx ${stats.tx_packets} packets / ${stats.tx_bytes} bytes`);
  say(`  drops: rx errors ${stats.rx_errors} (crc ${stats.rx_crc_errors}, length ${stats.rx_length_errors}), rx missed (no free descriptor) ${stats.rx_missed_errors} in ${stats.rx_over_errors} busy event(s), rx dropped ${stats.rx_dropped}, tx dropped ${stats.tx_dropped}, qdisc ${k.net.drops['qdisc-full']}, stack: not for us ${sc.otherHost}, not handled ${sc.unhandled}`);
  say(`  unaccounted: ${unaccounted}`);
  say('');
  say('/proc/interrupts while eth0 was up:');
  for (const l of interrupts.split('\n')) if (l.trim()) say('  ' + l);
  say('');
  say(`DMA mappings live while eth0 was up: ${liveMappings}; after ifdown and unbind: ${k.dma.debug?.entries().length ?? 0}`);
  say(`Leaks at unbind: ${unbind.leaks.length === 0 ? 'none' : unbind.leaks.map((l) => l.kind).join(', ')}`);
  const c = board.machine.cache.counters;
  say(`Cache: ${c.hits} hits, ${c.misses} misses, ${c.writebacks} write-backs, ${c.evictions} evictions`);
  for (const l of summariseReports(board.reports)) say(l);
  return { board, lines, sent: opts.frames, replies, badReplies, unaccounted, leaks: unbind.leaks.length, pcap: pcap ? pcap.bytes() : null };
}
