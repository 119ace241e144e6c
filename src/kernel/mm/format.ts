/**
 * printk-style formatting helpers for memory reports: `%p` on a 32-bit kernel (shown unhashed, as
 * with `no_hash_pointers`), `%#018Lx` physical ranges, and `print_hex_dump` rows with an address
 * prefix and an ASCII column. Nothing here touches memory; callers pass the bytes.
 */

/** `%p` on a 32-bit kernel: 8 lower-case hex digits, no prefix. */
export function ptr(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** `0x%p`. */
export function hptr(v: number): string {
  return `0x${ptr(v)}`;
}

/** `%#018Lx`: a 64-bit physical address with 0x and 16 digits (works above 4 GiB). */
export function phys64(v: number): string {
  return `0x${v.toString(16).padStart(16, '0')}`;
}

/** `%#x`: hex with 0x prefix (0 prints as `0`, as C does). */
export function hexAlt(v: number): string {
  return v === 0 ? '0' : `0x${v.toString(16)}`;
}

/** `0x%x` for a byte value. */
export function hexByte(v: number): string {
  return `0x${v.toString(16)}`;
}

/**
 * `print_hex_dump(level, prefix, DUMP_PREFIX_ADDRESS, 16, 1, buf, len, true)`: one line per 16
 * bytes, `prefix` + address + `: ` + bytes + ASCII column.
 */
export function hexDump(prefix: string, addr: number, bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, Math.min(i + 16, bytes.length));
    let hex = '';
    let ascii = '';
    for (let j = 0; j < row.length; j++) {
      const b = row[j]!;
      hex += (j === 0 ? '' : ' ') + b.toString(16).padStart(2, '0');
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    // The ASCII column starts at rowsize*2 + rowsize/groupsize + 1 = 49.
    lines.push(`${prefix}${ptr(addr + i)}: ${hex.padEnd(49, ' ')}${ascii}`);
  }
  return lines;
}

/** Pages to KiB as /proc prints them. */
export function kib(pages: number): number {
  return pages * 4;
}
