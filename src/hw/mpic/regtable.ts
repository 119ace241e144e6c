/**
 * A small declarative register-table kit: registers with offset, name, reset value and fields whose
 * access (rw/ro/wo) gives the store and read masks, plus aliases and named side-effect hooks; it
 * knows nothing of any particular device and does no dispatch itself.
 */

/** How software may touch a field: `rw` stored, `ro` read-only, `wo` write-only (reads 0, not stored). */
export type FieldAccess = 'rw' | 'ro' | 'wo';

/** A register's overall access, derived from its fields. */
export type RegisterAccess = 'rw' | 'ro' | 'wo';

/** One bit field, bits `hi`..`lo` inclusive, LSB-0 numbering. */
export interface FieldDef {
  readonly name: string;
  readonly hi: number;
  readonly lo: number;
  readonly access: FieldAccess;
  /** One line on what the field means. */
  readonly doc?: string;
}

/** What a device author writes for one register. */
export interface RegisterSpec<R extends string, W extends string> {
  /** Byte offset inside the device window. */
  readonly offset: number;
  /** Datasheet-style name, unique in the table (used in traces and snapshots). */
  readonly name: string;
  /** One line on what the register is. */
  readonly doc: string;
  /** Value after reset (ignored for aliases). */
  readonly reset?: number;
  /** Fields; bits not covered are reserved (read 0, writes ignored). */
  readonly fields?: readonly FieldDef[];
  /** Named hook computing (part of) the read value. */
  readonly onRead?: R;
  /** Named hook run after the stored value has been updated by a write. */
  readonly onWrite?: W;
  /** Which bank entry the row belongs to (source, timer, IPI number), for the hooks. */
  readonly unit?: number;
  /** Reading has side effects or the value moves on its own (excluded from generated reset checks). */
  readonly volatile?: boolean;
  /** This row is another name for the register called `aliasOf` (same storage, same hooks). */
  readonly aliasOf?: string;
}

/** A register row after the table is built: masks derived, storage slot assigned, alias resolved. */
export interface RegisterDef<R extends string, W extends string> {
  readonly offset: number;
  readonly name: string;
  readonly doc: string;
  readonly reset: number;
  readonly fields: readonly FieldDef[];
  readonly access: RegisterAccess;
  /** Bits a write stores (rw fields). */
  readonly storeMask: number;
  /** Bits a read returns from storage (rw and ro fields). */
  readonly readMask: number;
  readonly onRead: R | undefined;
  readonly onWrite: W | undefined;
  readonly unit: number;
  readonly volatile: boolean;
  /** Index into the device's register file (shared by a register and its aliases). */
  readonly slot: number;
  /** The register this row stands for: itself, or the register it aliases. */
  readonly target: RegisterDef<R, W>;
}

/** The mask of a field's bits. */
export function fieldMask(f: FieldDef): number {
  const width = f.hi - f.lo + 1;
  return (width >= 32 ? 0xffff_ffff : ((1 << width) - 1) << f.lo) >>> 0;
}

/** A field's value inside a register value. */
export function fieldValue(f: FieldDef, reg: number): number {
  return ((reg & fieldMask(f)) >>> f.lo) >>> 0;
}

/** Offset → register lookup, the storage layout, and reset values, all derived from the rows. */
export class RegisterTable<R extends string, W extends string> {
  /** Every row, aliases included, in declaration order. */
  readonly defs: readonly RegisterDef<R, W>[];
  /** Number of storage slots (registers that are not aliases). */
  readonly slots: number;
  private readonly byOffset = new Map<number, RegisterDef<R, W>>();
  private readonly byName = new Map<string, RegisterDef<R, W>>();

  constructor(specs: readonly RegisterSpec<R, W>[]) {
    const defs: RegisterDef<R, W>[] = [];
    let slot = 0;
    const pendingAliases: RegisterSpec<R, W>[] = [];
    for (const s of specs) {
      if (s.aliasOf !== undefined) {
        pendingAliases.push(s);
        continue;
      }
      const def = this.makeDef(s, slot++);
      defs.push(def);
    }
    for (const s of pendingAliases) {
      const target = this.byName.get(s.aliasOf!);
      if (!target) throw new Error(`register table: ${s.name} aliases unknown register ${s.aliasOf}`);
      const def: RegisterDef<R, W> = { ...target, offset: s.offset, name: s.name, doc: s.doc, target };
      this.index(def);
      defs.push(def);
    }
    this.defs = defs.sort((a, b) => a.offset - b.offset);
    this.slots = slot;
  }

  /** The row at exactly `offset`, or undefined for an unimplemented offset. */
  lookup(offset: number): RegisterDef<R, W> | undefined {
    return this.byOffset.get(offset);
  }

  /** The row called `name`; throws when there is none (a typo in model code). */
  named(name: string): RegisterDef<R, W> {
    const d = this.byName.get(name);
    if (!d) throw new Error(`register table: no register named ${name}`);
    return d;
  }

  /** Whether a row called `name` exists. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Storage rows only (no aliases), in offset order. */
  storage(): RegisterDef<R, W>[] {
    return this.defs.filter((d) => d.target === d);
  }

  /** Load every register's reset value into `regs`. */
  resetInto(regs: Uint32Array): void {
    for (const d of this.defs) if (d.target === d) regs[d.slot] = d.reset;
  }

  private makeDef(s: RegisterSpec<R, W>, slot: number): RegisterDef<R, W> {
    const fields = s.fields ?? [];
    let storeMask = 0;
    let readMask = 0;
    let seen = 0;
    for (const f of fields) {
      if (f.hi < f.lo || f.lo < 0 || f.hi > 31) throw new Error(`register table: ${s.name}.${f.name} has bad bits ${f.hi}:${f.lo}`);
      const m = fieldMask(f);
      if (seen & m) throw new Error(`register table: ${s.name}.${f.name} overlaps another field`);
      seen |= m;
      if (f.access === 'rw') storeMask |= m;
      if (f.access !== 'wo') readMask |= m;
    }
    const kinds = new Set(fields.map((f) => f.access));
    const access: RegisterAccess = kinds.size === 1 && kinds.has('ro') ? 'ro' : kinds.size === 1 && kinds.has('wo') ? 'wo' : 'rw';
    const reset = (s.reset ?? 0) >>> 0;
    if ((reset & ~readMask) !== 0) {
      throw new Error(`register table: ${s.name} reset 0x${reset.toString(16)} sets bits outside its readable fields`);
    }
    const def = {
      offset: s.offset,
      name: s.name,
      doc: s.doc,
      reset,
      fields,
      access,
      storeMask: storeMask >>> 0,
      readMask: readMask >>> 0,
      onRead: s.onRead,
      onWrite: s.onWrite,
      unit: s.unit ?? 0,
      volatile: s.volatile ?? false,
      slot,
    } as Omit<RegisterDef<R, W>, 'target'> as RegisterDef<R, W>;
    (def as { target: RegisterDef<R, W> }).target = def;
    this.index(def);
    return def;
  }

  private index(def: RegisterDef<R, W>): void {
    if (this.byOffset.has(def.offset)) throw new Error(`register table: ${def.name} at 0x${def.offset.toString(16)} collides with ${this.byOffset.get(def.offset)!.name}`);
    if (this.byName.has(def.name)) throw new Error(`register table: duplicate register name ${def.name}`);
    this.byOffset.set(def.offset, def);
    this.byName.set(def.name, def);
  }
}
