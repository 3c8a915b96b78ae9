// Thinning: where each slice of a file lies, so that taking one out is a view of the file's bytes
// (what `lipo -thin ARCH` copies out: the fat_arch's offset..offset+size, nothing added or removed,
// so a slice's code signature stays valid). <mach-o/fat.h> for the fat header.

import { MachOError } from "../model/errors.js";
import { archiveArch } from "./archive.js";
import { FAT_ARCH_64_SIZE, FAT_ARCH_SIZE, FAT_HEADER_SIZE } from "./constants.js";
import { parseMachO } from "./parse.js";
import { makeRegion, u32 } from "./reader.js";

/** One slice of a file: a thin image or static archive, or one entry of a fat file. */
export interface SliceRange {
  /** `arm64`, `x86_64h`, … (archName of the pair below). */
  arch: string;
  /** An image's from its mach header (capability bits included), an archive's from its fat_arch entry or, when thin, from its members. */
  cputype: number;
  cpusubtype: number;
  kind: "image" | "archive";
  /** Byte range in the file: the whole file for a thin one. */
  offset: number;
  size: number;
  /** fat_arch.align (log2) of a fat file's slice; null for a thin file. */
  align: number | null;
  /** `file.subarray(offset, offset + size)`: a view, not a copy. */
  bytes: Uint8Array;
}

/**
 * Every slice of `file`, in the order of its fat header (a thin file is its own one slice). Null when
 * the bytes are not a Mach-O image, fat file or static archive at all; throws MachOError for a
 * malformed one (the fat header and every image are checked by parseMachO).
 */
export function sliceRanges(file: Uint8Array): SliceRange[] | null {
  const parsed = parseMachO(file);
  if (parsed === null) return null;
  if (parsed.container === "archive") {
    const { arch, cputype, cpusubtype } = archiveArch(file);
    return [{ arch, cputype, cpusubtype, kind: "archive", offset: 0, size: file.length, align: null, bytes: file }];
  }
  const header = makeRegion(file, 0, false); // fat headers are big-endian (<mach-o/fat.h>)
  return parsed.slices.map((slice, index) => {
    let align: number | null = null;
    if (parsed.container !== "thin") {
      // fat_arch.align is the 5th u32 of fat_arch; fat_arch_64 has two u64 before it (offset, size).
      const entry = FAT_HEADER_SIZE + index * (parsed.container === "fat64" ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE);
      align = u32(header, entry + (parsed.container === "fat64" ? 24 : 16), "fat arch align");
    }
    return {
      arch: slice.arch,
      cputype: slice.cputype,
      cpusubtype: slice.cpusubtype,
      kind: slice.filetype === "archive" ? "archive" : "image",
      offset: slice.offset,
      size: slice.size,
      align,
      bytes: file.subarray(slice.offset, slice.offset + slice.size),
    };
  });
}

/**
 * The slice of `file` for `arch` (a name as archName spells it: `arm64`, `arm64e`, `x86_64h`; an
 * arch matches only its own name, so `arm64` never selects an arm64e slice): a fat file's slice,
 * or a thin file itself when it is that arch. Null when the file has no such slice. Throws
 * MachOError for a malformed file, and when the bytes are not Mach-O at all.
 */
export function thinSlice(file: Uint8Array, arch: string): SliceRange | null {
  const slices = sliceRanges(file);
  if (slices === null) throw new MachOError("not a Mach-O image, fat file or static archive", 0);
  return slices.find((slice) => slice.arch === arch) ?? null;
}
