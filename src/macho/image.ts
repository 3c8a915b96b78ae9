// One Mach-O image (a thin file, or one slice of a fat file): the header, the load commands, and
// the exports. Layouts from <mach-o/loader.h>. Only the load commands, the export trie and the
// symbol table are read, so the cost does not depend on the size of the code.

import { MachOError } from "../model/errors.js";
import type { PlatformVersion, Slice, VersionCommandName } from "../model/macho.js";
import { archName } from "./arch.js";
import * as C from "./constants.js";
import { checkSymtab, readExportTrie, readSymtabExports, type SymtabLocation } from "./exports.js";
import { fileTypeName, loadCommandName } from "./names.js";
import { cString, hex, makeRegion, need, subRegion, u32, type Region } from "./reader.js";
import { formatVersion, platformName } from "./versions.js";

/**
 * The smallest `cmdsize` of each command whose fields are read or validated: the fixed part of its
 * structure. A shorter command would make those reads run into the next command.
 */
const MIN_CMDSIZE: ReadonlyMap<number, number> = new Map([
  [C.LC_SEGMENT, C.SEGMENT_COMMAND_SIZE],
  [C.LC_SEGMENT_64, C.SEGMENT_COMMAND_64_SIZE],
  [C.LC_SYMTAB, C.SYMTAB_COMMAND_SIZE],
  [C.LC_LOAD_DYLIB, C.DYLIB_COMMAND_SIZE],
  [C.LC_ID_DYLIB, C.DYLIB_COMMAND_SIZE],
  [C.LC_LOAD_WEAK_DYLIB, C.DYLIB_COMMAND_SIZE],
  [C.LC_REEXPORT_DYLIB, C.DYLIB_COMMAND_SIZE],
  [C.LC_LAZY_LOAD_DYLIB, C.DYLIB_COMMAND_SIZE],
  [C.LC_LOAD_UPWARD_DYLIB, C.DYLIB_COMMAND_SIZE],
  [C.LC_LOAD_DYLINKER, C.DYLINKER_COMMAND_SIZE],
  [C.LC_ID_DYLINKER, C.DYLINKER_COMMAND_SIZE],
  [C.LC_DYLD_ENVIRONMENT, C.DYLINKER_COMMAND_SIZE],
  [C.LC_SUB_FRAMEWORK, 12],
  [C.LC_SUB_UMBRELLA, 12],
  [C.LC_SUB_CLIENT, 12],
  [C.LC_SUB_LIBRARY, 12],
  [C.LC_RPATH, C.RPATH_COMMAND_SIZE],
  [C.LC_VERSION_MIN_MACOSX, C.VERSION_MIN_COMMAND_SIZE],
  [C.LC_VERSION_MIN_IPHONEOS, C.VERSION_MIN_COMMAND_SIZE],
  [C.LC_VERSION_MIN_TVOS, C.VERSION_MIN_COMMAND_SIZE],
  [C.LC_VERSION_MIN_WATCHOS, C.VERSION_MIN_COMMAND_SIZE],
  [C.LC_BUILD_VERSION, C.BUILD_VERSION_COMMAND_SIZE],
  [C.LC_DYLD_INFO, C.DYLD_INFO_COMMAND_SIZE],
  [C.LC_DYLD_INFO_ONLY, C.DYLD_INFO_COMMAND_SIZE],
  [C.LC_DYLD_EXPORTS_TRIE, C.LINKEDIT_DATA_COMMAND_SIZE],
]);

/** Commands whose only variable part is one lc_str right after cmd/cmdsize (dylib_command, rpath_command, dylinker_command, sub_*_command). */
const LC_STR_COMMANDS: ReadonlySet<number> = new Set([
  C.LC_LOAD_DYLIB,
  C.LC_ID_DYLIB,
  C.LC_LOAD_WEAK_DYLIB,
  C.LC_REEXPORT_DYLIB,
  C.LC_LAZY_LOAD_DYLIB,
  C.LC_LOAD_UPWARD_DYLIB,
  C.LC_LOAD_DYLINKER,
  C.LC_ID_DYLINKER,
  C.LC_DYLD_ENVIRONMENT,
  C.LC_SUB_FRAMEWORK,
  C.LC_SUB_UMBRELLA,
  C.LC_SUB_CLIENT,
  C.LC_SUB_LIBRARY,
  C.LC_RPATH,
]);

/** The dependency commands listed in `Slice.loadDylibs`. */
const LOAD_DYLIB_COMMANDS: ReadonlySet<number> = new Set([
  C.LC_LOAD_DYLIB,
  C.LC_LOAD_WEAK_DYLIB,
  C.LC_REEXPORT_DYLIB,
  C.LC_LAZY_LOAD_DYLIB,
  C.LC_LOAD_UPWARD_DYLIB,
]);

/**
 * Version-min commands and the platform they imply. LC_VERSION_MIN_IPHONEOS is also what old iOS
 * *simulator* builds (i386 / x86_64) carried; like LLVM we report it as "ios" and leave telling
 * simulator from device to the arch, which the slice carries next to it.
 */
const VERSION_MIN_COMMANDS: ReadonlyMap<number, [VersionCommandName, PlatformVersion["platform"]]> = new Map([
  [C.LC_VERSION_MIN_MACOSX, ["LC_VERSION_MIN_MACOSX", "macos"]],
  [C.LC_VERSION_MIN_IPHONEOS, ["LC_VERSION_MIN_IPHONEOS", "ios"]],
  [C.LC_VERSION_MIN_TVOS, ["LC_VERSION_MIN_TVOS", "tvos"]],
  [C.LC_VERSION_MIN_WATCHOS, ["LC_VERSION_MIN_WATCHOS", "watchos"]],
]);

/** Where the slice is inside the file, and what the fat header said about it (null for a thin file). */
export interface ImagePlacement {
  offset: number;
  size: number;
  fatEntry: { index: number; cputype: number; cpusubtype: number } | null;
}

/**
 * Parses the image at `placement` in `file`; `bits` and `little` come from its magic number.
 * Throws MachOError for anything malformed.
 */
export function parseImage(file: Uint8Array, placement: ImagePlacement, bits: 32 | 64, little: boolean): Slice {
  const { offset, size } = placement;
  const image = makeRegion(file.subarray(offset, offset + size), offset, little);
  const headerSize = bits === 64 ? C.MACH_HEADER_64_SIZE : C.MACH_HEADER_SIZE;
  need(image, 0, headerSize, `${bits}-bit mach header`);
  const cputype = u32(image, 4, "cputype");
  const cpusubtype = u32(image, 8, "cpusubtype");
  const filetype = u32(image, 12, "filetype");
  const ncmds = u32(image, 16, "ncmds");
  const sizeofcmds = u32(image, 20, "sizeofcmds");
  const arch = archName(cputype, cpusubtype);

  const fat = placement.fatEntry;
  if (fat !== null) {
    // <mach-o/fat.h>: the fat_arch entry describes the image it points at; LLVM rejects a mismatch.
    if (fat.cputype !== cputype) {
      throw new MachOError(
        `fat arch ${fat.index} says cputype ${fat.cputype} (${archName(fat.cputype, fat.cpusubtype)}) but its mach header says ${cputype} (${arch})`,
        offset + 4,
      );
    }
    if (((fat.cpusubtype ^ cpusubtype) & ~C.CPU_SUBTYPE_MASK) !== 0) {
      throw new MachOError(
        `fat arch ${fat.index} says cpusubtype ${hex(fat.cpusubtype)} but its mach header says ${hex(cpusubtype)}`,
        offset + 8,
      );
    }
  }

  if (sizeofcmds > size - headerSize) {
    throw new MachOError(
      `sizeofcmds ${hex(sizeofcmds)}: the load commands run past the end of the image (${hex(size)} bytes)`,
      offset + 20,
    );
  }
  // Every load command is at least 8 bytes, so more than sizeofcmds / 8 of them cannot be there.
  if (ncmds > sizeofcmds / C.LOAD_COMMAND_SIZE) {
    throw new MachOError(`ncmds ${ncmds} cannot fit in sizeofcmds ${hex(sizeofcmds)}`, offset + 16);
  }

  const slice = bareSlice({ arch, cputype, cpusubtype, offset, size, bits, filetype: fileTypeName(filetype) });

  let symtab: SymtabLocation | null = null;
  let exportsTrie: DataRange | null = null;
  let dyldInfoExports: DataRange | null = null;

  const commandsEnd = headerSize + sizeofcmds;
  let p = headerSize;
  for (let i = 0; i < ncmds; i++) {
    if (p + C.LOAD_COMMAND_SIZE > commandsEnd) {
      throw new MachOError(`load command ${i} at offset ${hex(offset + p)}: starts past the end of the load commands (sizeofcmds ${hex(sizeofcmds)})`, offset + p);
    }
    const cmd = u32(image, p, "load command");
    const cmdsize = u32(image, p + 4, "load command");
    const label = `load command ${i} (${loadCommandName(cmd)}, cmdsize ${cmdsize}) at offset ${hex(offset + p)}`;
    if (cmdsize === 0) throw new MachOError(`${label}: cmdsize is 0`, offset + p);
    // <mach-o/loader.h>: cmdsize is a multiple of 4 (32-bit) or 8 (64-bit). Real 64-bit files are
    // sometimes only 4-aligned and load fine, so 4 is what we require of both.
    if (cmdsize % 4 !== 0) throw new MachOError(`${label}: cmdsize is not a multiple of 4`, offset + p + 4);
    const minimum = MIN_CMDSIZE.get(cmd) ?? C.LOAD_COMMAND_SIZE;
    if (cmdsize < minimum) throw new MachOError(`${label}: cmdsize is smaller than the ${minimum} bytes of the command`, offset + p + 4);
    if (cmdsize > commandsEnd - p) {
      throw new MachOError(`${label}: runs past the end of the load commands (sizeofcmds ${hex(sizeofcmds)})`, offset + p + 4);
    }
    const command = subRegion(image, p, cmdsize, label);

    if (LC_STR_COMMANDS.has(cmd)) {
      const text = lcString(command, MIN_CMDSIZE.get(cmd) ?? 12, label);
      if (LOAD_DYLIB_COMMANDS.has(cmd)) slice.loadDylibs.push(text);
      else if (cmd === C.LC_ID_DYLIB) {
        if (slice.installName !== null) throw new MachOError(`${label}: a second LC_ID_DYLIB`, offset + p);
        slice.installName = text;
      } else if (cmd === C.LC_RPATH) slice.rpaths.push(text);
    } else if (cmd === C.LC_BUILD_VERSION) {
      const ntools = u32(command, 20, label);
      // build_version_command is followed by ntools build_tool_version entries of 8 bytes.
      if (ntools > (cmdsize - C.BUILD_VERSION_COMMAND_SIZE) / 8) {
        throw new MachOError(`${label}: ntools ${ntools} does not fit in the command`, offset + p + 20);
      }
      slice.versions.push({
        platform: platformName(u32(command, 8, label)),
        minos: formatVersion(u32(command, 12, label)),
        sdk: formatVersion(u32(command, 16, label)),
        command: "LC_BUILD_VERSION",
      });
    } else if (VERSION_MIN_COMMANDS.has(cmd)) {
      const [name, platform] = VERSION_MIN_COMMANDS.get(cmd)!;
      slice.versions.push({
        platform,
        minos: formatVersion(u32(command, 8, label)),
        sdk: formatVersion(u32(command, 12, label)),
        command: name,
      });
    } else if (cmd === C.LC_SEGMENT || cmd === C.LC_SEGMENT_64) {
      const is64 = cmd === C.LC_SEGMENT_64;
      const nsects = u32(command, is64 ? 64 : 48, label);
      const fixed = is64 ? C.SEGMENT_COMMAND_64_SIZE : C.SEGMENT_COMMAND_SIZE;
      const sectionSize = is64 ? C.SECTION_64_SIZE : C.SECTION_SIZE;
      if (nsects > (cmdsize - fixed) / sectionSize) {
        throw new MachOError(`${label}: nsects ${nsects} does not fit in the command`, offset + p + (is64 ? 64 : 48));
      }
    } else if (cmd === C.LC_SYMTAB) {
      if (symtab !== null) throw new MachOError(`${label}: a second LC_SYMTAB`, offset + p);
      symtab = {
        symoff: u32(command, 8, label),
        nsyms: u32(command, 12, label),
        stroff: u32(command, 16, label),
        strsize: u32(command, 20, label),
      };
      checkSymtab(image, symtab, bits, p);
    } else if (cmd === C.LC_DYLD_INFO || cmd === C.LC_DYLD_INFO_ONLY) {
      if (dyldInfoExports !== null) throw new MachOError(`${label}: a second LC_DYLD_INFO`, offset + p);
      dyldInfoExports = dataRange(image, command, 40, label); // export_off, export_size
    } else if (cmd === C.LC_DYLD_EXPORTS_TRIE) {
      if (exportsTrie !== null) throw new MachOError(`${label}: a second LC_DYLD_EXPORTS_TRIE`, offset + p);
      exportsTrie = dataRange(image, command, 8, label); // dataoff, datasize
    }
    p += cmdsize;
  }

  // The slice's own platform: the macOS command when there is one (zippered binaries also carry
  // a Mac Catalyst one), else the first.
  const primary = slice.versions.find((v) => v.platform === "macos") ?? slice.versions[0];
  if (primary !== undefined) {
    slice.platform = primary.platform;
    slice.minos = primary.minos;
    slice.sdk = primary.sdk;
    slice.versionCommand = primary.command;
  }

  // dyld looks symbols up in the export trie when the image has one (LC_DYLD_EXPORTS_TRIE replaces
  // the export part of LC_DYLD_INFO), else in the symbol table.
  const trie = exportsTrie ?? dyldInfoExports;
  if (trie !== null && trie.size > 0) {
    slice.exports = readExportTrie(subRegion(image, trie.offset, trie.size, "export trie"));
  } else if (symtab !== null) {
    slice.exports = readSymtabExports(image, symtab, bits);
  }
  return slice;
}

/**
 * The lc_str of a command: its offset (at +8) must point past the fixed part of the structure and
 * inside the command, and the string must end with a NUL before the command ends.
 */
function lcString(command: Region, fixedSize: number, label: string): string {
  const strOffset = u32(command, 8, label);
  const cmdsize = command.bytes.length;
  if (strOffset < fixedSize || strOffset >= cmdsize) {
    throw new MachOError(
      `${label}: string offset ${strOffset} is outside the command's string area (${fixedSize}..${cmdsize - 1})`,
      command.base + 8,
    );
  }
  return cString(command, strOffset, cmdsize, label);
}

interface DataRange {
  offset: number;
  size: number;
}

/** The (offset, size) pair at `fieldAt` in a command, checked to lie inside the image. */
function dataRange(image: Region, command: Region, fieldAt: number, label: string): DataRange {
  const dataOffset = u32(command, fieldAt, label);
  const dataSize = u32(command, fieldAt + 4, label);
  const imageSize = image.bytes.length;
  if (dataSize > 0 && !(dataOffset <= imageSize && dataSize <= imageSize - dataOffset)) {
    throw new MachOError(
      `${label}: export data (offset ${hex(dataOffset)}, size ${hex(dataSize)}) runs past the end of the image (${hex(imageSize)} bytes)`,
      command.base + fieldAt,
    );
  }
  return { offset: dataOffset, size: dataSize };
}

/** A slice's identity with none of the facts load commands add (filled in as they are read). */
export function bareSlice(identity: Pick<Slice, "arch" | "cputype" | "cpusubtype" | "offset" | "size" | "bits" | "filetype">): Slice {
  return {
    ...identity,
    platform: null,
    minos: null,
    sdk: null,
    versionCommand: null,
    versions: [],
    installName: null,
    loadDylibs: [],
    rpaths: [],
    exports: [],
  };
}
