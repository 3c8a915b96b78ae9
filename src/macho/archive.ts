// The architecture of a static archive (<ar.h>), which a fat file's entry for it must name. LLVM's
// Slice::create(const Archive &) (MachOUniversalWriter.cpp) takes cputype / cpusubtype from the
// first Mach-O member, requires every other member to have the same pair, and refuses members that
// are fat files or not Mach-O at all. retag does the same, except for LLVM bitcode members: lipo
// asks LLVM for the bitcode's target triple, which retag cannot read, so it refuses them.

import { MachOError } from "../model/errors.js";
import { archName } from "./arch.js";
import { ARMAG, FAT_MAGIC, FAT_MAGIC_64 } from "./constants.js";
import { decode, hex, makeRegion, u32 } from "./reader.js";
import { magicOf, thinMagic } from "./sniff.js";

/** What an archive's Mach-O members say (all of them say the same). */
export interface ArchiveArch {
  arch: string;
  cputype: number;
  cpusubtype: number;
  /** From the members' magic: lipo aligns an archive slice to 2^3 when they are 64-bit, else 2^2. */
  bits: 32 | 64;
}

/** <ar.h>: each member starts with a 60-byte header; ar_size is decimal at 48..58, then "`\n". */
const AR_HEADER_SIZE = 60;
/** BSD long names: ar_name is "#1/<length>" and the name is the first <length> bytes of the data. */
const BSD_LONG_NAME = "#1/";
/** Symbol and string tables (BSD ranlib and GNU), which carry no code and are not looked at. */
const INTERNAL_MEMBERS = new Set(["__.SYMDEF", "__.SYMDEF SORTED", "__.SYMDEF_64", "__.SYMDEF_64 SORTED", "/", "//", "/SYM64/"]);
/** LLVM bitcode: raw ("BC" 0xC0DE) or in its wrapper header (0x0B17C0DE, little-endian). */
const BITCODE_MAGICS = new Set([0x4243c0de, 0xdec0170b]);

/**
 * The architecture of the static archive `bytes` (which start with ARMAG). `base` is where the
 * archive starts in the file, for error offsets. Throws MachOError for a malformed archive, or one
 * with no single Mach-O architecture (no Mach-O member, mixed members, fat or foreign members).
 */
export function archiveArch(bytes: Uint8Array, base = 0): ArchiveArch {
  let found: (ArchiveArch & { member: string }) | null = null;
  // Each pass moves past a 60-byte header, so the loop ends within bytes.length / 60 passes.
  let at = ARMAG.length;
  while (at < bytes.length) {
    const { name, dataStart, dataEnd } = memberAt(bytes, at, base);
    at = dataEnd + (dataEnd % 2); // members start on an even offset (<ar.h>)
    if (INTERNAL_MEMBERS.has(name)) continue;
    const where = `archive member "${name}" at ${hex(base + dataStart)}`;
    const magic = magicOf(bytes.subarray(dataStart, dataEnd));
    const thin = thinMagic(magic);
    if (thin === null) {
      if (magic === FAT_MAGIC || magic === FAT_MAGIC_64) throw new MachOError(`${where} is a fat file (not allowed in an archive)`, base + dataStart);
      if (magic !== null && BITCODE_MAGICS.has(magic)) {
        throw new MachOError(`${where} is LLVM bitcode, whose architecture retag cannot read`, base + dataStart);
      }
      throw new MachOError(`${where} is not a Mach-O object`, base + dataStart);
    }
    const member = makeRegion(bytes.subarray(dataStart, dataEnd), base + dataStart, thin.little);
    const cputype = u32(member, 4, `${where}: mach header`);
    const cpusubtype = u32(member, 8, `${where}: mach header`);
    if (found === null) {
      found = { arch: archName(cputype, cpusubtype), cputype, cpusubtype, bits: thin.bits, member: name };
    } else if (found.cputype !== cputype || found.cpusubtype !== cpusubtype) {
      throw new MachOError(
        `${where} is ${archName(cputype, cpusubtype)} (cputype ${cputype}, cpusubtype ${hex(cpusubtype)}) but "${found.member}" is ${found.arch} (cputype ${found.cputype}, cpusubtype ${hex(found.cpusubtype)}): all members must match`,
        base + dataStart + 4,
      );
    }
  }
  if (found === null) throw new MachOError("static archive has no Mach-O member, so no architecture", base);
  const { member: _, ...arch } = found;
  return arch;
}

/** The member whose header is at `at`: its name and the range of its data (after a BSD long name). */
function memberAt(bytes: Uint8Array, at: number, base: number): { name: string; dataStart: number; dataEnd: number } {
  if (at + AR_HEADER_SIZE > bytes.length) {
    throw new MachOError(`archive member header at ${hex(base + at)}: ${AR_HEADER_SIZE} bytes run past the end of the archive`, base + at);
  }
  const field = (from: number, to: number): string => decode(bytes.subarray(at + from, at + to));
  if (field(58, 60) !== "`\n") throw new MachOError(`archive member header at ${hex(base + at)}: no "\`\\n" terminator`, base + at + 58);
  const size = decimal(field(48, 58), base + at + 48, "ar_size");
  const dataStart = at + AR_HEADER_SIZE;
  if (size > bytes.length - dataStart) {
    throw new MachOError(`archive member at ${hex(base + at)}: ar_size ${size} runs past the end of the archive`, base + at + 48);
  }
  let name = field(0, 16).trimEnd();
  if (name.startsWith(BSD_LONG_NAME)) {
    const length = decimal(name.slice(BSD_LONG_NAME.length), base + at, "BSD name length");
    if (length > size) throw new MachOError(`archive member at ${hex(base + at)}: name length ${length} is longer than the member (${size})`, base + at);
    name = decode(bytes.subarray(dataStart, dataStart + length)).replace(/\0+$/, "");
    return { name, dataStart: dataStart + length, dataEnd: dataStart + size };
  }
  return { name, dataStart, dataEnd: dataStart + size };
}

/** A space-padded decimal field of an ar header. */
function decimal(text: string, offset: number, what: string): number {
  const digits = text.trim();
  if (!/^[0-9]{1,10}$/.test(digits)) throw new MachOError(`archive ${what} "${text}" is not a decimal number`, offset);
  return Number(digits);
}
