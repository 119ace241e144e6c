/**
 * A fixture for testing an Ethernet driver end to end: a booted board from a device tree, the
 * driver registered and bound to the first eTSEC as eth0 with an IPv4 address, a traffic peer on
 * the wire, and helpers to bring the link up, ping, and tear down with the leak checks.
 */
import { Board, COHERENT_DT_BOARD, DEFAULT_DT_BOARD, type BoardSpec, type BootKnobs } from '../board/board.js';
import { boardNics } from '../board/models/nics.js';
import type { Etsec } from '../hw/etsec/index.js';
import { Link, type LinkOptions } from '../hw/net/link.js';
import { TrafficEndpoint } from '../hw/net/endpoint.js';
import { platform_driver_register } from '../kernel/api/platform.js';
import { driverCore } from '../kernel/driver/core.js';
import { errname } from '../kernel/driver/errno.js';
import { compatibles } from '../kernel/driver/of-node.js';
import type { PlatformDriver } from '../kernel/driver/platform-device.js';
import type { UnbindResult } from '../kernel/driver/platform-bus.js';
import { dev_close, dev_open } from '../kernel/net/api.js';
import type { NetDevice } from '../kernel/net/netdevice.js';
import { gfar_driver } from '../../drivers/gianfar/gianfar.js';
import { arpRequest, echoRequest, isEchoReply } from './frames.js';

/** Options of {@link nicRig}. */
export interface NicRigOptions extends BootKnobs {
  /** The driver under test (default: the reference gianfar). */
  readonly driver?: PlatformDriver;
  /** Board (default: the default board, or its coherent twin with `coherent`). */
  readonly spec?: BoardSpec;
  readonly coherent?: boolean;
  /** Which eTSEC (device name) the peer is cabled to; default the first. */
  readonly nicName?: string;
  /** The board's address (default 192.168.1.1) and the peer's (192.168.1.2). */
  readonly ip?: Uint8Array;
  readonly peerIp?: Uint8Array;
  readonly peerMac?: Uint8Array;
  /** Cable options (propagation delay, faults, seed). */
  readonly link?: LinkOptions;
}

/** What {@link nicRig} built. */
export interface NicRig {
  readonly board: Board;
  readonly driver: PlatformDriver;
  /** eth0 as the driver registered it. */
  readonly ndev: NetDevice;
  /** The eTSEC model behind it, and its device name. */
  readonly nic: Etsec;
  readonly nicName: string;
  /** The peer on the other end of the cable. */
  readonly peer: TrafficEndpoint;
  readonly link: Link;
  readonly ip: Uint8Array;
  readonly peerIp: Uint8Array;
  /** Echo replies the peer has received (valid checksums). */
  readonly replies: () => number;
  /** `ip link set eth0 up` and let autonegotiation settle; returns ndo_open's result. */
  up(): number;
  /** Let `ns` of simulated time pass with the CPU idle. */
  idle(ns: number): void;
  /** The peer ARPs for the board, then sends `count` echo requests (payload sizes from `size(i)`); returns replies received. */
  ping(count: number, size?: (i: number) => number, settleNs?: number): number;
  /** `ip link set eth0 down`, then unbind the driver: what the leak checks found. */
  down(): UnbindResult;
}

const DEFAULT_IP = Uint8Array.of(192, 168, 1, 1);
const DEFAULT_PEER_IP = Uint8Array.of(192, 168, 1, 2);
const DEFAULT_PEER_MAC = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0xee, 0x01);

/** The driver did not come up as eth0 on the rig's eTSEC; `message` says why, `dmesg` holds the boot log. */
export class RigBindError extends Error {
  constructor(
    message: string,
    /** The board's kernel log up to the failure. */
    readonly dmesg: string,
  ) {
    super(message);
    this.name = 'RigBindError';
  }
}

/** Why registering `driver` left no eth0 on `name`, in the driver core's terms. */
function whyNotBound(board: Board, driver: PlatformDriver, name: string | undefined, reg: ReturnType<Board['run']>): string {
  if (!reg.ok) return `platform_driver_register oopsed:\n${reg.oops.text}`;
  if (reg.value !== 0) return `platform_driver_register returned ${errname(reg.value as number)}`;
  if (name === undefined) return 'the board has no eTSEC';
  const pdev = board.platform.device(name);
  if (!pdev) return `no platform device ${name}`;
  const b = board.platform.binding(pdev);
  if (b.state === 'bound' && b.driver !== driver) return `it is bound to ${b.driver?.driver.name ?? 'another driver'}`;
  if (b.state === 'bound') return 'probe returned 0 but registered no net_device named eth0 (alloc_etherdev + register_netdev)';
  if (b.oops) return `probe oopsed:\n${b.oops.text}`;
  if (b.lastDriver === driver.driver.name) return `probe returned ${errname(b.error)}${b.state === 'deferred' ? ' (deferred)' : ''}`;
  const compat = (driver.driver.of_match_table ?? []).map((m) => m.compatible).filter(Boolean).join(', ');
  const has = pdev.of_node ? compatibles(pdev.of_node).join(', ') : '';
  return `its of_match_table (${compat || 'empty'}) does not match the device (compatible: ${has || 'none'})`;
}

/** Build the fixture: boot, register the driver, cable a peer to the first eTSEC. Throws a clear error when the driver does not bind. */
export function nicRig(opts: NicRigOptions = {}): NicRig {
  const { driver: drv, spec, coherent, nicName, ip, peerIp, peerMac, link: linkOpts, ...knobs } = opts;
  const board = new Board(spec ?? (coherent ? COHERENT_DT_BOARD : DEFAULT_DT_BOARD), knobs);
  const driver = drv ?? gfar_driver;
  const reg = board.run(() => platform_driver_register(driver));
  const nics = boardNics(board);
  const name = nicName ?? [...nics.keys()][0];
  const nic = name === undefined ? undefined : nics.get(name);
  const ndev = board.kernel.net.devices.get('eth0');
  if (!reg.ok || reg.value !== 0 || !nic || !ndev || name === undefined) {
    throw new RigBindError(`${driver.driver.name} did not bind ${name ?? 'an eTSEC'} as eth0: ${whyNotBound(board, driver, name, reg)}`, board.dmesg());
  }
  const addr = ip ?? DEFAULT_IP;
  const pip = peerIp ?? DEFAULT_PEER_IP;
  const pmac = peerMac ?? DEFAULT_PEER_MAC;
  ndev.ipv4 = addr;
  const peer = new TrafficEndpoint({ name: 'peer', events: board.machine.events, mac: pmac });
  const link = new Link(nic.port, peer, { propagationNs: 50, ...linkOpts });
  let replies = 0;
  peer.frames$.subscribe((f) => void (isEchoReply(f.bytes) && replies++));
  let seq = 0;
  const rig: NicRig = {
    board,
    driver,
    ndev,
    nic,
    nicName: name,
    peer,
    link,
    ip: addr,
    peerIp: pip,
    replies: () => replies,
    up() {
      const r = board.run(() => dev_open(ndev));
      if (!r.ok) throw new Error(`dev_open(eth0) oopsed:\n${r.oops.text}`);
      board.idle(2_000_000);
      return r.value;
    },
    idle(ns) {
      board.idle(ns);
    },
    ping(count, size = () => 56, settleNs = 5_000_000) {
      const before = replies;
      peer.send(arpRequest(pmac, pip, addr));
      for (let i = 0; i < count; i++) peer.send(echoRequest(pmac, pip, ndev.dev_addr, addr, 0x4242, seq++ & 0xffff, size(i)));
      // Idle while replies keep coming; stop once a settle period brings nothing new.
      let last = -1;
      for (let guard = 0; guard < 100_000 && replies !== last; guard++) {
        last = replies;
        board.idle(settleNs);
      }
      return replies - before;
    },
    down() {
      if (ndev.up) {
        const r = board.run(() => dev_close(ndev));
        if (!r.ok) throw new Error(`dev_close(eth0) oopsed:\n${r.oops.text}`);
      }
      return driverCore(board.kernel).bus.unbind(name);
    },
  };
  return rig;
}

/** Throw an Error carrying every report's text when the board reported anything (for any test runner). */
export function assertNoReports(board: Board): void {
  if (board.reports.length === 0) return;
  throw new Error(`${board.reports.length} report(s) on the board:\n\n${board.reports.map((r) => r.text).join('\n\n')}`);
}
