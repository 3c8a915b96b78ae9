// `.ARM.attributes` (SHT_ARM_ATTRIBUTES; "Addenda to, and Errata in, the ABI for the Arm
// Architecture", "Build Attributes"): format-version 'A', then subsections (u32 length, NUL-terminated
// vendor name); in the "aeabi" one, sub-subsections (ULEB128 tag, u32 size) of which Tag_File (1)
// holds the attributes of the whole file as (ULEB128 tag, value) pairs. A value is a ULEB128, or a
// NUL-terminated string for Tag_CPU_raw_name (4), Tag_CPU_name (5), Tag_conformance (67) and, by the
// addenda's rule for unknown tags, every odd tag from 32 on; Tag_compatibility (32) is both.

import type { ElfSection } from "../model/elf.js";
import { fail, hex, need, u32, type ElfBytes } from "./reader.js";

const Tag_File = 1;
const Tag_CPU_arch = 6;
const Tag_CPU_arch_profile = 7;
const Tag_compatibility = 32;

export interface ArmAttributes {
  cpuArch: number | null;
  profile: string | null;
}

export function readArmAttributes(f: ElfBytes, section: ElfSection, index: number): ArmAttributes {
  const what = `.ARM.attributes (section ${index})`;
  need(f, section.offset, section.size, what);
  const out: ArmAttributes = { cpuArch: null, profile: null };
  if (section.size === 0) return out;
  const start = section.offset;
  const end = start + section.size;
  if (f.bytes[start] !== 0x41) fail(`${what}: format version ${f.bytes[start]} is not 'A'`, start);
  let at = start + 1;
  while (at < end) {
    const length = u32(f, at, what);
    if (length < 5 || length > end - at) fail(`${what}: subsection at ${hex(at)} has length ${length}, outside the section`, at);
    const subEnd = at + length;
    const vendorEnd = f.bytes.subarray(at + 4, subEnd).indexOf(0);
    if (vendorEnd < 0) fail(`${what}: vendor name at ${hex(at + 4)} is not NUL-terminated`, at + 4);
    const vendor = String.fromCharCode(...f.bytes.subarray(at + 4, at + 4 + Math.min(vendorEnd, 32)));
    if (vendor === "aeabi") readAeabi(f, at + 4 + vendorEnd + 1, subEnd, what, out);
    at = subEnd;
  }
  return out;
}

function readAeabi(f: ElfBytes, at: number, end: number, what: string, out: ArmAttributes): void {
  while (at < end) {
    const cursor = { at };
    const tag = uleb(f, cursor, end, what);
    const size = u32(f, cursor.at, what);
    if (size < 5 || size > end - at) fail(`${what}: attribute block at ${hex(at)} has size ${size}, outside its subsection`, at);
    if (tag === Tag_File) readFileAttributes(f, cursor.at + 4, at + size, what, out);
    at += size;
  }
}

function readFileAttributes(f: ElfBytes, at: number, end: number, what: string, out: ArmAttributes): void {
  const cursor = { at };
  while (cursor.at < end) {
    const tag = uleb(f, cursor, end, what);
    const isString = tag === 4 || tag === 5 || tag === 67 || (tag > Tag_compatibility && tag % 2 === 1);
    if (tag === Tag_compatibility) {
      uleb(f, cursor, end, what);
      skipString(f, cursor, end, what);
    } else if (isString) {
      skipString(f, cursor, end, what);
    } else {
      const value = uleb(f, cursor, end, what);
      if (tag === Tag_CPU_arch) out.cpuArch = value;
      else if (tag === Tag_CPU_arch_profile) out.profile = value === 0 ? null : String.fromCharCode(value & 0x7f);
    }
  }
}

function skipString(f: ElfBytes, cursor: { at: number }, end: number, what: string): void {
  const nul = f.bytes.subarray(cursor.at, end).indexOf(0);
  if (nul < 0) fail(`${what}: attribute string at ${hex(cursor.at)} is not NUL-terminated`, cursor.at);
  cursor.at += nul + 1;
}

/** A ULEB128 below 2^32 (attribute tags and values are small); longer or unterminated ones throw. */
function uleb(f: ElfBytes, cursor: { at: number }, end: number, what: string): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const at = cursor.at + i;
    if (at >= end) fail(`${what}: ULEB128 at ${hex(cursor.at)} runs past its block`, cursor.at);
    const b = f.bytes[at]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (value > 0xffffffff) break;
      cursor.at = at + 1;
      return value;
    }
  }
  return fail(`${what}: ULEB128 at ${hex(cursor.at)} is too large`, cursor.at);
}
