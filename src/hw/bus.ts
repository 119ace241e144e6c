/**
 * The physical address map and bus: RAM banks, MMIO windows of devices, and holes. Bus masters
 * (devices doing DMA) reach RAM through here and never through the CPU cache; a snooping master
 * lets the cache supply or drop lines first. Not modelled: bus arbitration, latency, LAWs.
 */
import type { TraceBus } from '../sim/trace.js';
import type { DataCache } from './cache.js';
import { BusError } from './errors.js';
import { FRAME_SIZE as FRAME_SIZE_, type RamStore } from './ram.js';

// Module-local copy: imported bindings can cost a getter call per use under some loaders.
const FRAME_SIZE = FRAME_SIZE_;

/** A device register block as the bus sees it. `size` is the access width in bytes. */
export interface MmioDevice {
  /** Name for traces and errors. */
  readonly name: string;
  /** Read `size` bytes at `offset` (values are as the big-endian core would load them). */
  read(offset: number, size: 1 | 2 | 4): number;
  /** Write `size` bytes at `offset`. */
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}

/** A device's window in physical address space. */
export interface MmioWindow {
  readonly base: number;
  readonly size: number;
  readonly device: MmioDevice;
}

/**
 * Called for every bus-master access before it happens (the DMA checker's view of the bus).
 * `write` is true for device writes into RAM.
 */
export type MasterAccessHook = (master: BusMasterPort, pa: number, len: number, write: boolean) => void;

/** The system bus. */
export class Bus {
  readonly store: RamStore;
  private readonly windows: MmioWindow[] = [];
  private readonly ports = new Map<string, BusMasterPort>();
  private cache: DataCache | null = null;
  /** Checker hook for bus-master traffic; null when nobody checks. */
  onMasterAccess: MasterAccessHook | null = null;
  private readonly trace: TraceBus | undefined;
  private readonly now: () => number;

  constructor(store: RamStore, opts: { trace?: TraceBus; now?: () => number } = {}) {
    this.store = store;
    this.trace = opts.trace;
    this.now = opts.now ?? (() => 0);
  }

  /** Connect the CPU's data cache so masters can snoop it or mark its lines stale. */
  attachCache(cache: DataCache): void {
    this.cache = cache;
  }

  /** Map a device's registers at [base, base+size). Overlaps with RAM or another window are refused. */
  addMmio(base: number, size: number, device: MmioDevice): MmioWindow {
    if (!(size > 0)) throw new RangeError(`Bus: window for ${device.name} must have a positive size`);
    for (const w of this.windows) {
      if (base < w.base + w.size && w.base < base + size) {
        throw new RangeError(`Bus: window for ${device.name} at 0x${base.toString(16)} overlaps ${w.device.name} at 0x${w.base.toString(16)}`);
      }
    }
    for (const b of this.store.banks) {
      if (base < b.base + b.size && b.base < base + size) throw new RangeError(`Bus: window for ${device.name} at 0x${base.toString(16)} overlaps RAM`);
    }
    const win = { base, size, device };
    this.windows.push(win);
    this.windows.sort((a, b) => a.base - b.base);
    return win;
  }

  /** The MMIO window holding `pa`, if any. */
  mmioAt(pa: number): MmioWindow | undefined {
    for (const w of this.windows) if (pa >= w.base && pa < w.base + w.size) return w;
    return undefined;
  }

  /** All device windows, by address. */
  get mmioWindows(): readonly MmioWindow[] {
    return this.windows;
  }

  /** What decodes `pa`: 'ram', 'mmio' or 'hole'. */
  decode(pa: number): 'ram' | 'mmio' | 'hole' {
    if (this.store.isRam(pa)) return 'ram';
    return this.mmioAt(pa) ? 'mmio' : 'hole';
  }

  /** Register read from the device at `pa` (CPU, cache-inhibited). */
  mmioRead(pa: number, size: 1 | 2 | 4, master = 'cpu'): number {
    const w = this.mmioAt(pa);
    if (!w || pa + size > w.base + w.size) throw new BusError(pa, size, 'read', master);
    const v = w.device.read(pa - w.base, size);
    if (this.trace?.enabled) this.trace.emit({ kind: 'mmio', t: this.now(), op: 'read', pa, size, value: v });
    return v;
  }

  /** Register write to the device at `pa` (CPU, cache-inhibited). */
  mmioWrite(pa: number, size: 1 | 2 | 4, value: number, master = 'cpu'): void {
    const w = this.mmioAt(pa);
    if (!w || pa + size > w.base + w.size) throw new BusError(pa, size, 'write', master);
    if (this.trace?.enabled) this.trace.emit({ kind: 'mmio', t: this.now(), op: 'write', pa, size, value });
    w.device.write(pa - w.base, size, value);
  }

  /**
   * The port through which device `name` masters the bus; `snoop` asks the cache to keep coherent
   * with it. Asking again for the same name returns the same port (the hardware model and the
   * kernel's struct device share it), and a different snoop setting for it is an error.
   */
  master(name: string, opts: { snoop: boolean }): BusMasterPort {
    const existing = this.ports.get(name);
    if (existing) {
      if (existing.snoop !== opts.snoop) throw new RangeError(`Bus: master "${name}" exists with snoop=${existing.snoop}, asked again with snoop=${opts.snoop}`);
      return existing;
    }
    const port = new BusMasterPort(this, name, opts.snoop);
    this.ports.set(name, port);
    return port;
  }

  /**
   * Copy RAM [pa, pa+len) into `dst` at `dstOff` as a bus master sees it (the RAM plane).
   * @internal used by {@link BusMasterPort}
   */
  masterRead(port: BusMasterPort, pa: number, dst: Uint8Array, dstOff: number, len: number): void {
    this.checkRam(pa, len, 'read', port.name);
    this.onMasterAccess?.(port, pa, len, false);
    this.cache?.beforeMasterRead(pa, len, port.snoop);
    if (this.trace?.enabled) this.trace.emit({ kind: 'bus', t: this.now(), master: port.name, op: 'read', pa, len });
    this.copyRam(pa, dst, dstOff, len, false);
  }

  /** Copy `src` into RAM [pa, pa+len) as a bus master. @internal */
  masterWrite(port: BusMasterPort, pa: number, src: Uint8Array, srcOff: number, len: number): void {
    this.checkRam(pa, len, 'write', port.name);
    this.onMasterAccess?.(port, pa, len, true);
    this.cache?.beforeMasterWrite(pa, len, port.snoop);
    if (this.trace?.enabled) this.trace.emit({ kind: 'bus', t: this.now(), master: port.name, op: 'write', pa, len });
    this.writeRamFromMaster(pa, src, srcOff, len, port.snoop);
  }

  /**
   * Write a master's bytes frame by frame. Where no line of the frame's part is cached, the bytes
   * go to both planes (they stay equal, the CPU owes no refill); otherwise only RAM changes and the
   * cache marks its lines stale (non-snooping) or refill-owed (snooping, already dropped).
   */
  private writeRamFromMaster(pa: number, src: Uint8Array, srcOff: number, len: number, snoop: boolean): void {
    const st = this.store;
    const cache = this.cache;
    while (len > 0) {
      const inFrame = pa % FRAME_SIZE;
      const n = Math.min(len, FRAME_SIZE - inFrame);
      const slot = st.slotOf(pa);
      const off = st.ramBase(slot) + inFrame;
      const bytes = src.subarray(srcOff, srcOff + n);
      st.data.set(bytes, off);
      if (cache && !cache.anyValid(pa, n)) {
        st.data.set(bytes, off + FRAME_SIZE);
        cache.afterMasterWriteBoth(pa, n);
      } else {
        cache?.afterMasterWrite(pa, n, snoop);
      }
      pa += n;
      srcOff += n;
      len -= n;
    }
  }

  /** Read RAM without any cache effect or check (debuggers, tests). */
  peek(pa: number, len: number): Uint8Array {
    this.checkRam(pa, len, 'read', 'debugger');
    const out = new Uint8Array(len);
    this.copyRam(pa, out, 0, len, false);
    return out;
  }

  /** Throw a bus error unless [pa, pa+len) lies inside one RAM bank. */
  private checkRam(pa: number, len: number, access: 'read' | 'write', master: string): void {
    const bank = this.store.bankOf(pa);
    if (!bank || !(len >= 0) || pa + len > bank.base + bank.size) {
      throw new BusError(bank ? bank.base + bank.size : pa, len, access, master);
    }
  }

  /** Copy between the RAM plane and a host array, frame by frame. */
  private copyRam(pa: number, host: Uint8Array, hostOff: number, len: number, toRam: boolean): void {
    const st = this.store;
    while (len > 0) {
      const inFrame = pa % FRAME_SIZE;
      const n = Math.min(len, FRAME_SIZE - inFrame);
      const slot = toRam ? st.slotOf(pa) : st.peekSlot(pa);
      if (slot < 0) {
        host.fill(0, hostOff, hostOff + n); // never-touched RAM reads as zero
      } else {
        const off = st.ramBase(slot) + inFrame;
        if (toRam) st.data.set(host.subarray(hostOff, hostOff + n), off);
        else host.set(st.data.subarray(off, off + n), hostOff);
      }
      pa += n;
      hostOff += n;
      len -= n;
    }
  }
}

/** A device's handle on the bus for DMA: reads and writes of physical RAM, checked and traced. */
export class BusMasterPort {
  private readonly scratch = new Uint8Array(8);
  private readonly scratchView = new DataView(this.scratch.buffer);
  /**
   * Buffers the device has taken on and will still read or write (a fetched descriptor's
   * buffer with a transfer under way). Device models claim and release them; the DMA checker
   * reports an unmap that lands inside one ("unmap while DMA is in flight").
   */
  readonly claims: { pa: number; len: number }[] = [];

  constructor(
    private readonly bus: Bus,
    /** The master's name (the device), used in traces and reports. */
    readonly name: string,
    /** Whether the CPU cache snoops this master's traffic (a coherent device). */
    readonly snoop: boolean,
  ) {}

  /** The device starts a transfer on [pa, pa+len) that will outlast this instant. */
  claim(pa: number, len: number): void {
    this.claims.push({ pa, len });
  }

  /** The transfer on [pa, pa+len) is over. Releasing what was not claimed is ignored. */
  release(pa: number, len: number): void {
    const i = this.claims.findIndex((c) => c.pa === pa && c.len === len);
    if (i >= 0) this.claims.splice(i, 1);
  }

  /** DMA read of `len` bytes at `pa` into `dst[dstOff..]`. */
  read(pa: number, dst: Uint8Array, dstOff: number, len: number): void {
    this.bus.masterRead(this, pa, dst, dstOff, len);
  }

  /** DMA write of `src[srcOff..srcOff+len)` to RAM at `pa`. */
  write(pa: number, src: Uint8Array, srcOff: number, len: number): void {
    this.bus.masterWrite(this, pa, src, srcOff, len);
  }

  /** DMA read of a big-endian 32-bit word (a descriptor field). */
  read32be(pa: number): number {
    this.bus.masterRead(this, pa, this.scratch, 0, 4);
    return this.scratchView.getUint32(0, false);
  }

  /** DMA write of a big-endian 32-bit word. */
  write32be(pa: number, value: number): void {
    this.scratchView.setUint32(0, value >>> 0, false);
    this.bus.masterWrite(this, pa, this.scratch, 0, 4);
  }

  /** DMA read of a big-endian 16-bit half-word. */
  read16be(pa: number): number {
    this.bus.masterRead(this, pa, this.scratch, 0, 2);
    return this.scratchView.getUint16(0, false);
  }

  /** DMA write of a big-endian 16-bit half-word. */
  write16be(pa: number, value: number): void {
    this.scratchView.setUint16(0, value & 0xffff, false);
    this.bus.masterWrite(this, pa, this.scratch, 0, 2);
  }
}
