/**
 * Typed struct layouts over simulated memory, the TypeScript stand-in for a C `struct` with
 * explicit endianness: `const BD = defineStruct('rxbd8', { status: be16, length: be16, bufPtr: be32 })`
 * then `BD.status.get(p)`, `BD.bufPtr.set(p, dma)`, `sizeof(BD)`, `offsetof(BD, 'bufPtr')`.
 * Fields are laid out with C's natural alignment unless the struct is declared packed.
 */
import { SandboxArgumentError } from './errors.js';
import { ld_be16, ld_be32, ld_be64, ld_le16, ld_le32, ld_le64, ld_u8, st_be16, st_be32, st_be64, st_le16, st_le32, st_le64, st_u8 } from './memaccess.js';

/** A scalar or aggregate field type: its size, alignment and (for scalars) accessors. */
export interface FieldType<V> {
  readonly kind: string;
  readonly size: number;
  readonly align: number;
  readonly load?: (p: number) => V;
  readonly store?: (p: number, v: V) => void;
}

/** An unsigned byte. */
export const u8: FieldType<number> = { kind: 'u8', size: 1, align: 1, load: ld_u8, store: st_u8 };
/** A big-endian u16 (`__be16`). */
export const be16: FieldType<number> = { kind: 'be16', size: 2, align: 2, load: ld_be16, store: st_be16 };
/** A big-endian u32 (`__be32`). */
export const be32: FieldType<number> = { kind: 'be32', size: 4, align: 4, load: ld_be32, store: st_be32 };
/** A big-endian u64 (`__be64`), as bigint. */
export const be64: FieldType<bigint> = { kind: 'be64', size: 8, align: 8, load: ld_be64, store: st_be64 };
/** A little-endian u16 (`__le16`). */
export const le16: FieldType<number> = { kind: 'le16', size: 2, align: 2, load: ld_le16, store: st_le16 };
/** A little-endian u32 (`__le32`). */
export const le32: FieldType<number> = { kind: 'le32', size: 4, align: 4, load: ld_le32, store: st_le32 };
/** A little-endian u64 (`__le64`), as bigint. */
export const le64: FieldType<bigint> = { kind: 'le64', size: 8, align: 8, load: ld_le64, store: st_le64 };

/** `u8 name[n]`: a byte array field; use `.addr(p)` to get its address. */
export function bytes(n: number): FieldType<void> {
  if (!Number.isInteger(n) || n <= 0) throw new SandboxArgumentError('bytes', 'n', 'a positive integer', n);
  return { kind: `u8[${n}]`, size: n, align: 1 };
}

/** `T name[n]` of any field type (scalars or structs); `.addr(p)` gives the first element's address. */
export function array(type: FieldType<any> | AnyStruct, n: number): FieldType<void> {
  const t = isStruct(type) ? structType(type) : type;
  if (!Number.isInteger(n) || n <= 0) throw new SandboxArgumentError('array', 'n', 'a positive integer', n);
  return { kind: `${t.kind}[${n}]`, size: t.size * n, align: t.align };
}

/** A field of a defined struct, bound to its offset. */
export interface Field<V> {
  /** Byte offset inside the struct. */
  readonly offset: number;
  /** The field's type. */
  readonly type: FieldType<V>;
  /** Address of this field in the struct at `p`. */
  addr(p: number): number;
  /** Load the field of the struct at `p` (scalar fields only). */
  get(p: number): V;
  /** Store the field of the struct at `p` (scalar fields only). */
  set(p: number, v: V): void;
}

/** Any defined struct (used as a nested member, or with sizeof/offsetof). */
export interface AnyStruct {
  readonly [META]: StructMeta;
}
/** The member list given to {@link defineStruct}. */
export type FieldMap = Record<string, FieldType<any> | AnyStruct>;
/** The value type a field type loads and stores. */
export type ValueOf<T> = T extends FieldType<infer V> ? V : never;

const META = Symbol('struct');
interface StructMeta {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly offsets: Readonly<Record<string, number>>;
}

/** A defined struct: one {@link Field} per member, plus hidden layout data for sizeof/offsetof. */
export type Struct<F extends FieldMap> = { readonly [K in keyof F]: Field<F[K] extends AnyStruct ? void : ValueOf<F[K]>> } & AnyStruct;

function isStruct(t: unknown): t is AnyStruct {
  return typeof t === 'object' && t !== null && META in t;
}

function structType(s: AnyStruct): FieldType<void> {
  const m = s[META];
  return { kind: `struct ${m.name}`, size: m.size, align: m.align };
}

/**
 * Define a struct layout. Members are placed in order with natural alignment (or none when
 * `packed`), and the size is padded to the largest member alignment, as a C compiler would.
 */
export function defineStruct<F extends FieldMap>(name: string, fields: F, opts: { packed?: boolean } = {}): Struct<F> {
  let off = 0;
  let maxAlign = 1;
  const offsets: Record<string, number> = {};
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const t: FieldType<any> = isStruct(spec) ? structType(spec) : spec;
    const align = opts.packed ? 1 : t.align;
    off = Math.ceil(off / align) * align;
    maxAlign = Math.max(maxAlign, align);
    offsets[key] = off;
    out[key] = makeField(name, key, off, t);
    off += t.size;
  }
  const size = Math.ceil(off / maxAlign) * maxAlign;
  Object.defineProperty(out, META, { value: { name, size, align: maxAlign, offsets }, enumerable: false });
  return Object.freeze(out) as Struct<F>;
}

function makeField<V>(struct: string, key: string, offset: number, type: FieldType<V>): Field<V> {
  const load = type.load;
  const store = type.store;
  return Object.freeze({
    offset,
    type,
    addr: (p: number) => p + offset,
    get: load
      ? (p: number) => load(p + offset)
      : () => {
          throw new SandboxArgumentError(`${struct}.${key}.get`, key, 'a scalar field (use .addr(p) for arrays and nested structs)', type.kind);
        },
    set: store
      ? (p: number, v: V) => store(p + offset, v)
      : () => {
          throw new SandboxArgumentError(`${struct}.${key}.set`, key, 'a scalar field (use .addr(p) for arrays and nested structs)', type.kind);
        },
  });
}

/** `sizeof(struct ...)`. */
export function sizeof(s: AnyStruct): number {
  return s[META].size;
}

/** `offsetof(struct ..., member)`. */
export function offsetof<F extends FieldMap>(s: Struct<F>, member: keyof F & string): number {
  const off = s[META].offsets[member];
  if (off === undefined) throw new SandboxArgumentError('offsetof', 'member', `a member of struct ${s[META].name}`, member);
  return off;
}
