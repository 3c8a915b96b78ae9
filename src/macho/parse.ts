// A whole file: thin image, fat container (<mach-o/fat.h>), or static archive.

import { MachOError } from "../model/errors.js";
import type { MachOFile, Slice } from "../model/macho.js";
import { archName } from "./arch.js";
import { CPU_SUBTYPE_MASK, FAT_ARCH_64_SIZE, FAT_ARCH_SIZE, FAT_HEADER_SIZE, FAT_MAGIC, FAT_MAGIC_64 } from "./constants.js";
import { bareSlice, parseImage } from "./image.js";
import { hex, makeRegion, u32, u64 } from "./reader.js";
import { fatEntriesHold, isArchive, isJavaVersion, magicOf, thinMagic } from "./sniff.js";

/** LLVM's limit for fat_arch.align (a power of two): larger is corruption. */
const MAX_FAT_ALIGN = 15;

/**
 * Parse a whole file. Throws MachOError (offset + what was wrong) for malformed input, never any
 * other exception. Returns null when the bytes are not Mach-O / fat / archive at all (a Java class
 * file, ELF, text, fewer than 4 bytes). A file that starts with a Mach-O or fat magic but is too short
 * for its header is malformed, not "something else".
 */
export function parseMachO(bytes: Uint8Array): MachOFile | null {
  const magic = magicOf(bytes);
  const thin = thinMagic(magic);
  if (thin !== null) {
    return { container: "thin", slices: [parseImage(bytes, { offset: 0, size: bytes.length, fatEntry: null }, thin.bits, thin.little)] };
  }
  if (magic === FAT_MAGIC || magic === FAT_MAGIC_64) return parseFat(bytes, magic === FAT_MAGIC_64);
  if (isArchive(bytes)) return { container: "archive", slices: [] };
  return null;
}

interface FatEntry {
  index: number;
  cputype: number;
  cpusubtype: number;
  offset: number;
  size: number;
  /** File offset of the fat_arch entry, for messages. */
  at: number;
}

/** Fat headers and entries are big-endian on disk (<mach-o/fat.h>). */
function parseFat(bytes: Uint8Array, is64: boolean): MachOFile | null {
  const file = makeRegion(bytes, 0, false);
  const nfat = u32(file, 4, "fat header");
  // A Java class file (see JAVA_FIRST_MAJOR); FAT_MAGIC_64 has no such twin.
  if (!is64 && isJavaVersion(nfat) && !fatEntriesHold(bytes, nfat)) return null;
  if (nfat === 0) throw new MachOError("fat header: contains zero architectures", 4);
  const entrySize = is64 ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE;
  const headerEnd = FAT_HEADER_SIZE + nfat * entrySize;
  if (headerEnd > bytes.length) {
    throw new MachOError(`fat header: ${nfat} architectures need ${hex(headerEnd)} bytes but the file has ${hex(bytes.length)}`, FAT_HEADER_SIZE);
  }

  const entries: FatEntry[] = [];
  // The first entry of each arch (cputype, cpusubtype without its capability bits): the count is
  // bounded only by the file's size, so duplicates are found by key, not by comparing every pair.
  const byArch = new Map<string, FatEntry>();
  for (let index = 0; index < nfat; index++) {
    const at = FAT_HEADER_SIZE + index * entrySize;
    const what = `fat arch ${index} at ${hex(at)}`;
    const cputype = u32(file, at, what);
    const cpusubtype = u32(file, at + 4, what);
    const offset = is64 ? u64(file, at + 8, what) : u32(file, at + 8, what);
    const size = is64 ? u64(file, at + 16, what) : u32(file, at + 12, what);
    const align = u32(file, is64 ? at + 24 : at + 16, what);
    const label = `${what} (${archName(cputype, cpusubtype)}, offset ${hex(offset)}, size ${hex(size)})`;
    if (offset < headerEnd) {
      throw new MachOError(`${label}: the slice overlaps the fat header (${hex(headerEnd)} bytes)`, at + 8);
    }
    if (offset > bytes.length || size > bytes.length - offset) {
      throw new MachOError(`${label}: the slice runs past the end of the file (${hex(bytes.length)} bytes)`, at + 8);
    }
    if (align > MAX_FAT_ALIGN) throw new MachOError(`${label}: align 2^${align} is too large`, is64 ? at + 24 : at + 16);
    if (offset % 2 ** align !== 0) {
      throw new MachOError(`${label}: offset is not aligned to 2^${align}`, at + 8);
    }
    const key = `${cputype}:${(cpusubtype & ~CPU_SUBTYPE_MASK) >>> 0}`;
    const other = byArch.get(key);
    if (other !== undefined) throw new MachOError(`${label}: fat arch ${other.index} has the same architecture`, at);
    const entry = { index, cputype, cpusubtype, offset, size, at };
    byArch.set(key, entry);
    entries.push(entry);
  }

  const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    const next = byOffset[i]!;
    if (next.offset < prev.offset + prev.size) {
      throw new MachOError(`fat arch ${next.index} (offset ${hex(next.offset)}) overlaps fat arch ${prev.index} (${hex(prev.offset)}..${hex(prev.offset + prev.size)})`, next.at + 8);
    }
  }

  const slices = entries.map((entry) => parseFatSlice(bytes, entry));
  return { container: is64 ? "fat64" : "fat", slices };
}

/** One fat slice: a Mach-O image, or a static archive (lipo can combine archives). */
function parseFatSlice(bytes: Uint8Array, entry: FatEntry): Slice {
  const head = bytes.subarray(entry.offset, entry.offset + entry.size);
  const thin = thinMagic(magicOf(head));
  if (thin !== null) {
    const fatEntry = { index: entry.index, cputype: entry.cputype, cpusubtype: entry.cpusubtype };
    return parseImage(bytes, { offset: entry.offset, size: entry.size, fatEntry }, thin.bits, thin.little);
  }
  if (isArchive(head)) {
    const { cputype, cpusubtype, offset, size } = entry;
    return bareSlice({ arch: archName(cputype, cpusubtype), cputype, cpusubtype, offset, size, bits: null, filetype: "archive" });
  }
  throw new MachOError(
    `fat arch ${entry.index} (${archName(entry.cputype, entry.cpusubtype)}): the slice at ${hex(entry.offset)} is neither a Mach-O image nor a static archive`,
    entry.offset,
  );
}
