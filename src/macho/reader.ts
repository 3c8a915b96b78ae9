// A bounds-checked view of one region of a file (a whole thin image, one fat slice, a table).
// Every read checks its range first and throws MachOError naming the file offset, so a
// malformed file can never cause a RangeError from DataView or a read past the buffer.
// Regions are subarrays of the caller's bytes: nothing is copied.

import { MachOError } from "../model/errors.js";

export interface Region {
  /** The region's bytes (a subarray of the file). */
  bytes: Uint8Array;
  view: DataView;
  /** Offset of `bytes[0]` within the whole file: error offsets are `base + offset`. */
  base: number;
  /** Byte order of multi-byte fields. */
  little: boolean;
}

export function makeRegion(bytes: Uint8Array, base: number, little: boolean): Region {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), base, little };
}

/** The part `[offset, offset + length)` of `r`, checked to lie inside it. */
export function subRegion(r: Region, offset: number, length: number, what: string): Region {
  need(r, offset, length, what);
  return makeRegion(r.bytes.subarray(offset, offset + length), r.base + offset, r.little);
}

/** `0x1f` — offsets and sizes in messages are hexadecimal, as otool and llvm-objdump print them. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Throws unless `length` bytes at `offset` lie inside the region. Safe for any numbers (NaN, huge, negative). */
export function need(r: Region, offset: number, length: number, what: string): void {
  const size = r.bytes.length;
  if (!(offset >= 0 && length >= 0 && offset <= size && length <= size - offset)) {
    throw new MachOError(
      `${what}: ${length} bytes at ${hex(r.base + offset)} run past the end of the data (${hex(r.base + size)})`,
      r.base + Math.min(Math.max(offset, 0), size),
    );
  }
}

export function u8(r: Region, offset: number, what: string): number {
  need(r, offset, 1, what);
  return r.view.getUint8(offset);
}

export function u32(r: Region, offset: number, what: string): number {
  need(r, offset, 4, what);
  return r.view.getUint32(offset, r.little);
}

/**
 * A u64 as a number. Above 2^53 it is rounded, which is harmless: such a value cannot be an offset
 * or size inside a buffer, and every later range check rejects it.
 */
export function u64(r: Region, offset: number, what: string): number {
  need(r, offset, 8, what);
  const lo = r.view.getUint32(r.little ? offset : offset + 4, r.little);
  const hi = r.view.getUint32(r.little ? offset + 4 : offset, r.little);
  return hi * 0x1_0000_0000 + lo;
}

const utf8 = new TextDecoder("utf-8");

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD; decoding never throws). */
export function decode(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * The NUL-terminated string starting at `start` that must end before `end` (both region offsets).
 * Throws when there is no NUL in `[start, end)`.
 */
export function cString(r: Region, start: number, end: number, what: string): string {
  need(r, start, end - start, what);
  const nul = r.bytes.subarray(start, end).indexOf(0);
  if (nul < 0) {
    throw new MachOError(`${what}: string at ${hex(r.base + start)} is not NUL-terminated before ${hex(r.base + end)}`, r.base + start);
  }
  return decode(r.bytes.subarray(start, start + nul));
}
