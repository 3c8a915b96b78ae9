// What a file is, from its first bytes (DESIGN §3.1: by magic number, never by extension).

import type { BinaryKind } from "../model/binary.js";
import { ARMAG, FAT_MAGIC, FAT_MAGIC_64, MH_CIGAM, MH_CIGAM_64, MH_MAGIC, MH_MAGIC_64 } from "./constants.js";

/**
 * Java class files share FAT_MAGIC (0xcafebabe); the next u32 is then their version, minor_version
 * << 16 | major_version (JVM specification §4.1), while a fat file has its slice count there. No class
 * file has a major version below 45 (JDK 1.0.2), so a count whose low half is below 45 is a fat
 * file; a count that also reads as a class file version is a fat file only when its entries are
 * (fatEntriesHold). A slice-count cut-off took a 31-slice fat file for a class file, so a
 * universal2 tag over an arm64-only binary passed (issue 11, D12).
 */
export const JAVA_FIRST_MAJOR = 45;

/**
 * The most slices a fat file retag writes: file(1) calls a FAT_MAGIC file with more "compiled Java
 * class data", and LLVM's identify_magic stops at 42, so a fat file with more would be read by
 * retag but not by every tool. Reading does not use it.
 */
export const MAX_FAT_ARCHS = 30;

/** The first four bytes read big-endian, or null when there are fewer. */
export function magicOf(head: Uint8Array): number | null {
  if (head.length < 4) return null;
  return ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
}

/** `MH_MAGIC*` in either byte order: which word size and byte order the image uses, else null. */
export function thinMagic(magic: number | null): { bits: 32 | 64; little: boolean } | null {
  switch (magic) {
    case MH_MAGIC:
      return { bits: 32, little: false };
    case MH_CIGAM:
      return { bits: 32, little: true };
    case MH_MAGIC_64:
      return { bits: 64, little: false };
    case MH_CIGAM_64:
      return { bits: 64, little: true };
    default:
      return null;
  }
}

export function isArchive(head: Uint8Array): boolean {
  if (head.length < ARMAG.length) return false;
  for (let i = 0; i < ARMAG.length; i++) if (head[i] !== ARMAG.charCodeAt(i)) return false;
  return true;
}

/** Whether the u32 after FAT_MAGIC also reads as a Java class file's version (major ≥ 45). */
export function isJavaVersion(word: number): boolean {
  return (word & 0xffff) >= JAVA_FIRST_MAJOR;
}

/**
 * Whether the `nfat` fat_arch entries after a FAT_MAGIC header (<mach-o/fat.h>, big-endian) all lie
 * in `bytes` and point inside it at a Mach-O image or a static archive: what no class file's
 * constant pool does by chance. Costs one look per entry (at most `bytes.length / 20` of them).
 */
export function fatEntriesHold(bytes: Uint8Array, nfat: number): boolean {
  if (nfat === 0 || 8 + nfat * 20 > bytes.length) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < nfat; i++) {
    const offset = view.getUint32(8 + i * 20 + 8, false);
    const size = view.getUint32(8 + i * 20 + 12, false);
    if (offset < 8 + nfat * 20 || size < 8 || offset > bytes.length - size) return false;
    const slice = bytes.subarray(offset, offset + size);
    if (thinMagic(magicOf(slice)) === null && !isArchive(slice)) return false;
  }
  return true;
}

/**
 * Sniff the first bytes (a shorter input is "macho" when it starts with a thin magic, else "none").
 * A 0xcafebabe file is fat when the word after the magic cannot be a Java class file version (zero
 * included: that is a corrupt fat file, not something else); when it can, the file is fat only if
 * its entries hold (fatEntriesHold), which needs the whole file: from the first 8 bytes alone, such
 * a file is a class file.
 */
export function sniffBinary(head: Uint8Array): BinaryKind {
  const magic = magicOf(head);
  // A thin magic is enough: a 5-byte file that starts like a Mach-O is a truncated Mach-O (and must
  // be reported as one), not "no binary".
  if (thinMagic(magic) !== null) return "macho";
  if (head.length < 8) return "none";
  if (magic === FAT_MAGIC) {
    const nfat = magicOf(head.subarray(4))!;
    return !isJavaVersion(nfat) || fatEntriesHold(head, nfat) ? "fat" : "none";
  }
  if (magic === FAT_MAGIC_64) return "fat";
  if (isArchive(head)) return "archive";
  if (magic === 0x7f454c46) return "elf"; // "\x7fELF"
  if (isPE(head)) return "pe";
  return "none";
}

/**
 * A PE image: the "MZ" DOS stub, whose `e_lfanew` (u32 LE at 0x3c) points at the "PE\0\0" signature
 * (Microsoft PE/COFF specification §2). "MZ" alone is too weak: plenty of data files start with it,
 * so the bytes up to the signature are needed (callers pass the whole member).
 */
function isPE(head: Uint8Array): boolean {
  if (head[0] !== 0x4d || head[1] !== 0x5a) return false;
  if (head.length < 0x40) return false;
  const lfanew = (head[0x3c]! | (head[0x3d]! << 8) | (head[0x3e]! << 16) | (head[0x3f]! << 24)) >>> 0;
  if (lfanew + 4 > head.length) return false;
  return head[lfanew] === 0x50 && head[lfanew + 1] === 0x45 && head[lfanew + 2] === 0 && head[lfanew + 3] === 0;
}
