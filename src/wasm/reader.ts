// A bounds-checked cursor over a WebAssembly module. Every read checks its range first and throws
// FormatError("wasm") naming the file offset; LEB128 reads stop at the width the spec allows
// (5 bytes for u32), so a run of continuation bytes cannot make them loop on.

import { FormatError } from "../model/errors.js";

export interface Cursor {
  bytes: Uint8Array;
  /** The next byte to read. */
  pos: number;
  /** One past the last byte this cursor may read (the end of a section or subsection). */
  end: number;
}

export function fail(message: string, offset: number): never {
  throw new FormatError("wasm", message, offset);
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

export function byte(c: Cursor, what: string): number {
  if (c.pos >= c.end) fail(`${what}: runs past the end of its ${c.end === c.bytes.length ? "file" : "section"} at ${hex(c.end)}`, Math.min(c.pos, c.bytes.length));
  return c.bytes[c.pos++]!;
}

/**
 * An unsigned LEB128 of at most `bits` bits (core spec, "Integers": at most ceil(bits / 7) bytes, and
 * the unused bits of the last byte zero). Values above 2^53 cannot be sizes or counts and are refused.
 */
export function leb(c: Cursor, what: string, bits: 32 | 64 = 32): number {
  const start = c.pos;
  const maxBytes = Math.ceil(bits / 7);
  let value = 0;
  for (let i = 0; i < maxBytes; i++) {
    if (c.pos >= c.end) fail(`${what}: LEB128 at ${hex(start)} runs past the end of its ${c.end === c.bytes.length ? "file" : "section"} at ${hex(c.end)}`, start);
    const b = c.bytes[c.pos++]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (value >= 2 ** bits || value > Number.MAX_SAFE_INTEGER) fail(`${what}: LEB128 at ${hex(start)} is too large for u${bits}`, start);
      return value;
    }
  }
  return fail(`${what}: LEB128 at ${hex(start)} is longer than the ${maxBytes} bytes of a u${bits}`, start);
}

const utf8 = new TextDecoder("utf-8");

/** A `name` (vec(byte), UTF-8): its length, then that many bytes inside the cursor's range. */
export function name(c: Cursor, what: string): string {
  const start = c.pos;
  const length = leb(c, `${what} length`);
  if (length > c.end - c.pos) fail(`${what}: a name of ${length} bytes at ${hex(c.pos)} runs past the end of its section (${hex(c.end)})`, start);
  const text = utf8.decode(c.bytes.subarray(c.pos, c.pos + length));
  c.pos += length;
  return text;
}

/**
 * A vector length, checked against the bytes left: each element takes at least `minSize` bytes, so
 * a count the section cannot hold is corruption (and nothing is allocated for it).
 */
export function count(c: Cursor, what: string, minSize: number): number {
  const start = c.pos;
  const n = leb(c, `${what} count`);
  if (n * minSize > c.end - c.pos) fail(`${what}: ${n} entries cannot fit in the ${c.end - c.pos} bytes left`, start);
  return n;
}

/** A cursor over the next `size` bytes of `c` (which it skips). */
export function sub(c: Cursor, size: number, what: string): Cursor {
  if (size > c.end - c.pos) fail(`${what}: ${size} bytes at ${hex(c.pos)} run past the end of their ${c.end === c.bytes.length ? "file" : "section"} (${hex(c.end)})`, c.pos);
  const inner = { bytes: c.bytes, pos: c.pos, end: c.pos + size };
  c.pos += size;
  return inner;
}
