// What a file is, from its first bytes (DESIGN §3.1: by magic number, never by extension).

import type { BinaryKind } from "../model/binary.js";
import { ARMAG, FAT_MAGIC, FAT_MAGIC_64, MH_CIGAM, MH_CIGAM_64, MH_MAGIC, MH_MAGIC_64 } from "./constants.js";

/**
 * Java class files share FAT_MAGIC (0xcafebabe); the next u32 is then their version
 * (minor << 16 | major, major ≥ 45), while a fat file has a slice count there. Real fat files
 * have a handful of slices; file(1) draws the same line a little lower.
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

/**
 * Sniff the first bytes (needs at most the first 8 bytes; a shorter input is "macho" when it starts
 * with a thin magic, else "none"). A 0xcafebabe file counts as fat only when its slice count is at most
 * MAX_FAT_ARCHS (zero included: that is a corrupt fat file, not something else).
 */
export function sniffBinary(head: Uint8Array): BinaryKind {
  const magic = magicOf(head);
  // A thin magic is enough: a 5-byte file that starts like a Mach-O is a truncated Mach-O (and must
  // be reported as one), not "no binary".
  if (thinMagic(magic) !== null) return "macho";
  if (head.length < 8) return "none";
  if (magic === FAT_MAGIC) return (magicOf(head.subarray(4))! <= MAX_FAT_ARCHS ? "fat" : "none");
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
