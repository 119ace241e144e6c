/**
 * A gigabit copper PHY as seen over MDIO: the IEEE 802.3 clause-22 registers Linux's generic PHY
 * code reads (BMCR, BMSR with a latched-low link bit, IDs, advertisement and link-partner
 * abilities, 1000BASE-T control/status, extended status), with the link following the wire's
 * carrier; not modelled: autonegotiation timing, vendor registers, interrupts, cable diagnostics.
 */

export const MII_BMCR = 0x00;
export const MII_BMSR = 0x01;
export const MII_PHYSID1 = 0x02;
export const MII_PHYSID2 = 0x03;
export const MII_ADVERTISE = 0x04;
export const MII_LPA = 0x05;
export const MII_CTRL1000 = 0x09;
export const MII_STAT1000 = 0x0a;
export const MII_ESTATUS = 0x0f;

export const BMCR_RESET = 0x8000;
export const BMCR_LOOPBACK = 0x4000;
export const BMCR_SPEED100 = 0x2000;
export const BMCR_ANENABLE = 0x1000;
export const BMCR_PDOWN = 0x0800;
export const BMCR_ISOLATE = 0x0400;
export const BMCR_ANRESTART = 0x0200;
export const BMCR_FULLDPLX = 0x0100;
export const BMCR_SPEED1000 = 0x0040;

export const BMSR_100FULL = 0x4000;
export const BMSR_100HALF = 0x2000;
export const BMSR_10FULL = 0x1000;
export const BMSR_10HALF = 0x0800;
export const BMSR_ESTATEN = 0x0100;
export const BMSR_ANEGCOMPLETE = 0x0020;
export const BMSR_ANEGCAPABLE = 0x0008;
export const BMSR_LSTATUS = 0x0004;
export const BMSR_ERCAP = 0x0001;

const BMCR_RESET_VALUE = BMCR_ANENABLE | BMCR_FULLDPLX | BMCR_SPEED1000;
const BMSR_ABILITIES = BMSR_100FULL | BMSR_100HALF | BMSR_10FULL | BMSR_10HALF | BMSR_ESTATEN | BMSR_ANEGCAPABLE | BMSR_ERCAP;
const ADVERTISE_RESET = 0x01e1; // 100/10 full/half + IEEE 802.3 selector
const CTRL1000_RESET = 0x0300; // advertise 1000 full + half
const LPA_ACK = 0x4000;
const STAT1000_RX_OK = 0x3000; // local and remote receiver OK
const STAT1000_LP_1000 = 0x0c00; // link partner 1000 full + half
const ESTATUS_1000T = 0x3000;

/** Marvell 88E1111-style ID, the part many mpc85xx reference boards carry. */
export const DEFAULT_PHY_ID = 0x0141_0cc2;

/** Plain state of a PHY. */
export interface PhyState {
  readonly bmcr: number;
  readonly advertise: number;
  readonly ctrl1000: number;
  readonly carrier: boolean;
  readonly latchedDown: boolean;
}

/** The PHY. */
export class Phy {
  private bmcr = BMCR_RESET_VALUE;
  private advertise = ADVERTISE_RESET;
  private ctrl1000 = CTRL1000_RESET;
  private carrier = false;
  /** The link went down since BMSR was last read (the link bit latches low). */
  private latchedDown = true;

  constructor(
    /** MDIO address 0-31. */
    readonly address: number,
    /** PHYSID1 << 16 | PHYSID2. */
    readonly id: number = DEFAULT_PHY_ID,
    /** The wire's line rate: decides what the link partner reports. */
    private readonly lineRateBps: number = 1e9,
  ) {
    if (!Number.isInteger(address) || address < 0 || address > 31) throw new RangeError(`PHY address must be 0..31, got ${address}`);
  }

  /** Whether the PHY reports link up now (carrier present, not powered down or isolated). */
  get linkUp(): boolean {
    return this.carrier && (this.bmcr & (BMCR_PDOWN | BMCR_ISOLATE)) === 0;
  }

  /** The wire's carrier changed. */
  setCarrier(up: boolean): void {
    if (!up && this.linkUp) this.latchedDown = true;
    this.carrier = up;
  }

  /** An MDIO read of register `reg` (0-31). Reading BMSR releases the latched-low link bit. */
  read(reg: number): number {
    const up = this.linkUp;
    switch (reg) {
      case MII_BMCR:
        return this.bmcr;
      case MII_BMSR: {
        const link = up && !this.latchedDown;
        this.latchedDown = false;
        return BMSR_ABILITIES | (link ? BMSR_LSTATUS | BMSR_ANEGCOMPLETE : 0);
      }
      case MII_PHYSID1:
        return this.id >>> 16;
      case MII_PHYSID2:
        return this.id & 0xffff;
      case MII_ADVERTISE:
        return this.advertise;
      case MII_LPA:
        if (!up) return 0;
        return LPA_ACK | 0x0001 | (this.lineRateBps >= 1e8 ? 0x0180 : 0x0060); // 100 or 10 full+half
      case MII_CTRL1000:
        return this.ctrl1000;
      case MII_STAT1000:
        return up ? STAT1000_RX_OK | (this.lineRateBps >= 1e9 ? STAT1000_LP_1000 : 0) : 0;
      case MII_ESTATUS:
        return ESTATUS_1000T;
      default:
        return 0;
    }
  }

  /** An MDIO write. BMCR reset and restart-autonegotiation self-clear. */
  write(reg: number, value: number): void {
    value &= 0xffff;
    switch (reg) {
      case MII_BMCR:
        if (value & BMCR_RESET) {
          this.bmcr = BMCR_RESET_VALUE;
          this.advertise = ADVERTISE_RESET;
          this.ctrl1000 = CTRL1000_RESET;
          return;
        }
        if ((value & (BMCR_PDOWN | BMCR_ISOLATE)) !== 0 && this.linkUp) this.latchedDown = true;
        this.bmcr = value & ~(BMCR_RESET | BMCR_ANRESTART);
        return;
      case MII_ADVERTISE:
        this.advertise = value;
        return;
      case MII_CTRL1000:
        this.ctrl1000 = value;
        return;
      default:
        return;
    }
  }

  /** Plain-data state (pending times relative to now). */
  save(): PhyState {
    return { bmcr: this.bmcr, advertise: this.advertise, ctrl1000: this.ctrl1000, carrier: this.carrier, latchedDown: this.latchedDown };
  }

  /** Load a state taken with `save()`; pending events are re-armed on this clock. */
  restore(s: PhyState): void {
    this.bmcr = s.bmcr;
    this.advertise = s.advertise;
    this.ctrl1000 = s.ctrl1000;
    this.carrier = s.carrier;
    this.latchedDown = s.latchedDown;
  }

  /** Power-on state (the carrier is the wire's and stays). */
  reset(): void {
    this.bmcr = BMCR_RESET_VALUE;
    this.advertise = ADVERTISE_RESET;
    this.ctrl1000 = CTRL1000_RESET;
    this.latchedDown = true;
  }
}
