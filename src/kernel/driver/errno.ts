/**
 * Linux error numbers as drivers return them (negated: `return -ENOMEM;`), their symbolic names as
 * `%pe` prints them, and the ERR_PTR encoding of an error in a pointer-sized return value.
 */

/** Operation not permitted. */
export const EPERM = 1;
/** No such file or directory. */
export const ENOENT = 2;
/** Interrupted system call. */
export const EINTR = 4;
/** I/O error. */
export const EIO = 5;
/** No such device or address. */
export const ENXIO = 6;
/** Argument list too long. */
export const E2BIG = 7;
/** Try again. */
export const EAGAIN = 11;
/** Out of memory. */
export const ENOMEM = 12;
/** Permission denied. */
export const EACCES = 13;
/** Bad address. */
export const EFAULT = 14;
/** Device or resource busy. */
export const EBUSY = 16;
/** File exists. */
export const EEXIST = 17;
/** No such device. */
export const ENODEV = 19;
/** Invalid argument. */
export const EINVAL = 22;
/** No space left on device. */
export const ENOSPC = 28;
/** Math result not representable. */
export const ERANGE = 34;
/** Function not implemented. */
export const ENOSYS = 38;
/** No data available. */
export const ENODATA = 61;
/** Timer expired. */
export const ETIME = 62;
/** Protocol error. */
export const EPROTO = 71;
/** Value too large for defined data type. */
export const EOVERFLOW = 75;
/** Illegal byte sequence. */
export const EILSEQ = 84;
/** Operation not supported on transport endpoint. */
export const EOPNOTSUPP = 95;
/** Address already in use. */
export const EADDRINUSE = 98;
/** Cannot assign requested address. */
export const EADDRNOTAVAIL = 99;
/** Network is down. */
export const ENETDOWN = 100;
/** No buffer space available. */
export const ENOBUFS = 105;
/** Connection timed out. */
export const ETIMEDOUT = 110;
/** Operation already in progress. */
export const EALREADY = 114;
/** Operation now in progress. */
export const EINPROGRESS = 115;
/** Operation canceled. */
export const ECANCELED = 125;
/** Kernel-internal: restart the system call. */
export const ERESTARTSYS = 512;
/** Kernel-internal: driver requests probe retry (a resource it needs is not there yet). */
export const EPROBE_DEFER = 517;
/** Kernel-internal: operation is not supported. */
export const ENOTSUPP = 524;

/** Largest errno an ERR_PTR can carry (`MAX_ERRNO`). */
export const MAX_ERRNO = 4095;

/** Every errno this module names, value → symbol. */
export const ERRNO_NAMES: ReadonlyMap<number, string> = new Map([
  [EPERM, 'EPERM'], [ENOENT, 'ENOENT'], [EINTR, 'EINTR'], [EIO, 'EIO'], [ENXIO, 'ENXIO'], [E2BIG, 'E2BIG'],
  [EAGAIN, 'EAGAIN'], [ENOMEM, 'ENOMEM'], [EACCES, 'EACCES'], [EFAULT, 'EFAULT'], [EBUSY, 'EBUSY'],
  [EEXIST, 'EEXIST'], [ENODEV, 'ENODEV'], [EINVAL, 'EINVAL'], [ENOSPC, 'ENOSPC'], [ERANGE, 'ERANGE'],
  [ENOSYS, 'ENOSYS'], [ENODATA, 'ENODATA'], [ETIME, 'ETIME'], [EPROTO, 'EPROTO'], [EOVERFLOW, 'EOVERFLOW'],
  [EILSEQ, 'EILSEQ'], [EOPNOTSUPP, 'EOPNOTSUPP'], [EADDRINUSE, 'EADDRINUSE'], [EADDRNOTAVAIL, 'EADDRNOTAVAIL'],
  [ENETDOWN, 'ENETDOWN'], [ENOBUFS, 'ENOBUFS'], [ETIMEDOUT, 'ETIMEDOUT'], [EALREADY, 'EALREADY'],
  [EINPROGRESS, 'EINPROGRESS'], [ECANCELED, 'ECANCELED'], [ERESTARTSYS, 'ERESTARTSYS'],
  [EPROBE_DEFER, 'EPROBE_DEFER'], [ENOTSUPP, 'ENOTSUPP'],
]);

/**
 * An error value as `%pe` prints it: `-ENOMEM` for a known negative errno, the decimal number
 * otherwise (as a kernel without the symbol would).
 */
export function errname(err: number): string {
  const name = err < 0 ? ERRNO_NAMES.get(-err) : undefined;
  return name !== undefined ? `-${name}` : String(err);
}

/** `ERR_PTR(err)`: a negative errno encoded as a pointer in the top 4 KiB of the address space. */
export function ERR_PTR(err: number): number {
  return err >>> 0;
}

/** `IS_ERR(ptr)`: true when `ptr` encodes an errno (see {@link ERR_PTR}). */
export function IS_ERR(ptr: number | null | undefined): boolean {
  return typeof ptr === 'number' && ptr >>> 0 >= 0x1_0000_0000 - MAX_ERRNO;
}

/** `IS_ERR_OR_NULL(ptr)`. */
export function IS_ERR_OR_NULL(ptr: number | null | undefined): boolean {
  return ptr === null || ptr === undefined || ptr === 0 || IS_ERR(ptr);
}

/** `PTR_ERR(ptr)`: the negative errno an ERR_PTR holds. */
export function PTR_ERR(ptr: number): number {
  return ptr | 0;
}

/** `PTR_ERR_OR_ZERO(ptr)`: the errno for an ERR_PTR, else 0. */
export function PTR_ERR_OR_ZERO(ptr: number | null): number {
  return ptr !== null && IS_ERR(ptr) ? PTR_ERR(ptr) : 0;
}
