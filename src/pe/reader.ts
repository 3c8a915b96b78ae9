// A bounds-checked view of one PE image. Every read checks its range first and throws
// FormatError("pe") naming the file offset, so a malformed image can never cause a RangeError from
// DataView or a read past the buffer. PE is little-endian throughout.

import { FormatError } from "../model/errors.js";

export interface PeBytes {
  bytes: Uint8Array;
  view: DataView;
}

export function peBytes(bytes: Uint8Array): PeBytes {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

export function fail(message: string, offset: number): never {
  throw new FormatError("pe", message, offset);
}

export function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

/** `offset` brought inside the file: for reporting an offset read from a field that may lie. */
export function inFile(f: PeBytes, offset: number): number {
  return Math.min(Math.max(offset, 0), f.bytes.length) || 0;
}

/** Throws unless `length` bytes at `offset` lie inside the file. Safe for any numbers. */
export function need(f: PeBytes, offset: number, length: number, what: string): void {
  const size = f.bytes.length;
  if (!(offset >= 0 && length >= 0 && offset <= size && length <= size - offset)) {
    fail(`${what}: ${length} bytes at ${hex(offset)} run past the end of the file (${hex(size)})`, inFile(f, offset));
  }
}

export function u16(f: PeBytes, offset: number, what: string): number {
  need(f, offset, 2, what);
  return f.view.getUint16(offset, true);
}

export function u32(f: PeBytes, offset: number, what: string): number {
  need(f, offset, 4, what);
  return f.view.getUint32(offset, true);
}

/** A u64 as a number (rounded above 2^53, which no later range check accepts). */
export function u64(f: PeBytes, offset: number, what: string): number {
  need(f, offset, 8, what);
  return f.view.getUint32(offset + 4, true) * 0x1_0000_0000 + f.view.getUint32(offset, true);
}

const utf8 = new TextDecoder("utf-8");

export function decode(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
