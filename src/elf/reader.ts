// A bounds-checked view of one ELF file. Every read checks its range first and throws FormatError
// ("elf") naming the file offset, so a malformed file can never cause a RangeError from DataView or a
// read past the buffer. All offsets are file offsets.

import { FormatError } from "../model/errors.js";

export interface ElfBytes {
  bytes: Uint8Array;
  view: DataView;
  little: boolean;
  bits: 32 | 64;
}

export function elfBytes(bytes: Uint8Array, little: boolean, bits: 32 | 64): ElfBytes {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), little, bits };
}

export function fail(message: string, offset: number): never {
  throw new FormatError("elf", message, offset);
}

/** `0x1f`: offsets and sizes in messages are hexadecimal, as readelf prints them. */
export function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

/** `offset` brought inside the file: for reporting an offset read from a field that may lie. */
export function inFile(f: ElfBytes, offset: number): number {
  return Math.min(Math.max(offset, 0), f.bytes.length) || 0;
}

/** Throws unless `length` bytes at `offset` lie inside the file. Safe for any numbers (NaN, huge, negative). */
export function need(f: ElfBytes, offset: number, length: number, what: string): void {
  const size = f.bytes.length;
  if (!(offset >= 0 && length >= 0 && offset <= size && length <= size - offset)) {
    fail(`${what}: ${length} bytes at ${hex(offset)} run past the end of the file (${hex(size)})`, Math.min(Math.max(offset, 0), size) || 0);
  }
}

export function u8(f: ElfBytes, offset: number, what: string): number {
  need(f, offset, 1, what);
  return f.view.getUint8(offset);
}

export function u16(f: ElfBytes, offset: number, what: string): number {
  need(f, offset, 2, what);
  return f.view.getUint16(offset, f.little);
}

export function u32(f: ElfBytes, offset: number, what: string): number {
  need(f, offset, 4, what);
  return f.view.getUint32(offset, f.little);
}

/**
 * A u64 as a number. Above 2^53 it is rounded, which is harmless: such a value cannot be an offset,
 * size or address inside a buffer, and every later range check rejects it.
 */
export function u64(f: ElfBytes, offset: number, what: string): number {
  need(f, offset, 8, what);
  const lo = f.view.getUint32(f.little ? offset : offset + 4, f.little);
  const hi = f.view.getUint32(f.little ? offset + 4 : offset, f.little);
  return hi * 0x1_0000_0000 + lo;
}

/** An address-sized field (Elf32_Addr / Elf64_Addr, _Off, _Xword): u32 or u64 by class. */
export function word(f: ElfBytes, offset: number, what: string): number {
  return f.bits === 64 ? u64(f, offset, what) : u32(f, offset, what);
}

/** A signed address-sized field (d_tag is Elf32_Sword / Elf64_Sxword). Only its low values matter. */
export function signedWord(f: ElfBytes, offset: number, what: string): number {
  if (f.bits === 32) {
    need(f, offset, 4, what);
    return f.view.getInt32(offset, f.little);
  }
  need(f, offset, 8, what);
  const lo = f.view.getUint32(f.little ? offset : offset + 4, f.little);
  const hi = f.view.getInt32(f.little ? offset + 4 : offset, f.little);
  return hi * 0x1_0000_0000 + lo;
}

const utf8 = new TextDecoder("utf-8");

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD; decoding never throws). */
export function decode(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** A string table: `size` bytes at file offset `offset`, already checked to lie inside the file. */
export interface StringTable {
  offset: number;
  size: number;
  what: string;
}

/** A longer name is treated as corruption (mangled C++ names stay far below this). */
export const MAX_NAME_LENGTH = 64 * 1024;

/**
 * The NUL-terminated string at `index` in `table`. Throws when the index is outside the table, or
 * when no NUL ends the string inside the table (or within MAX_NAME_LENGTH bytes).
 */
export function stringAt(f: ElfBytes, table: StringTable, index: number, what: string): string {
  return decode(stringBytesAt(f, table, index, what));
}

/** The bytes of the string `stringAt` would decode, without decoding them. */
export function stringBytesAt(f: ElfBytes, table: StringTable, index: number, what: string): Uint8Array {
  if (!(index >= 0 && index < table.size)) {
    fail(`${what}: name index ${index} is outside ${table.what} (size ${hex(table.size)})`, table.offset);
  }
  const start = table.offset + index;
  const end = Math.min(table.offset + table.size, start + MAX_NAME_LENGTH + 1);
  const nul = f.bytes.subarray(start, end).indexOf(0);
  if (nul < 0) {
    if (end < table.offset + table.size) fail(`${what}: name at ${hex(start)} is longer than ${MAX_NAME_LENGTH} bytes`, start);
    fail(`${what}: name at ${hex(start)} is not NUL-terminated inside ${table.what}`, start);
  }
  return f.bytes.subarray(start, start + nul);
}
