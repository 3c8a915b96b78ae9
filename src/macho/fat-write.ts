// Writing a fat file (<mach-o/fat.h>) from thin images, static archives and other fat files, byte for
// byte as `llvm-lipo -create` writes it (LLVM's llvm-lipo.cpp and MachOUniversalWriter.cpp): the
// same slice order, the same alignment per slice, zero padding, a big-endian header. Slices are
// copied unchanged, so each keeps its code signature. The output is a list of chunks (the header,
// padding, and views of the inputs), never one joined buffer.
//
// Where retag differs from llvm-lipo 19, it is where lipo fails:
// - a duplicate arch whose slices are byte-identical is kept once (lipo refuses every duplicate);
// - an archive slice of a fat input is accepted (lipo 19 cannot read one: "Unrecognized MachO magic");
// - FAT_MAGIC_64 is chosen when an offset or size does not fit in 32 bits (lipo refuses an offset
//   past 2^32 without -fat64 and silently truncates a size);
// - two slices of one arch whose cpusubtypes differ only in the capability bits are a duplicate
//   (lipo compares the raw cpusubtype; retag's reader, like dyld, would see two slices of one arch);
// - more than MAX_FAT_ARCHS slices are refused (a FAT_MAGIC file with more reads as a Java class).
// Like lipo, the writer does not look at platforms: an iOS slice next to a macOS one is written.

import { FatWriteError, MachOError } from "../model/errors.js";
import { archName } from "./arch.js";
import * as C from "./constants.js";
import { archiveArch } from "./archive.js";
import { makeRegion, u32, type Region } from "./reader.js";
import { MAX_FAT_ARCHS, thinMagic, magicOf } from "./sniff.js";
import { sliceRanges } from "./thin.js";

/** MachOUniversalBinary::MaxSectionAlignment: 2^15 is the largest alignment lipo computes. */
const MAX_SECTION_ALIGNMENT = 15;
/** A fat_arch field holds at most this (lipo's FatArchTraits<fat_arch>::OffsetLimit, UINT32_MAX). */
const FAT_ARCH_LIMIT = 0xffffffff;

export interface FatWriteOptions {
  /** Write FAT_MAGIC_64 even when every offset and size fits in 32 bits (`lipo -create -fat64`). */
  fat64?: boolean;
}

/** One fat_arch entry of the output, in output order. */
export interface FatArchLayout {
  arch: string;
  cputype: number;
  cpusubtype: number;
  /** log2 of the slice's alignment (fat_arch.align). */
  align: number;
  offset: number;
  size: number;
  /** Index into the inputs of the file the slice came from. */
  input: number;
}

export interface FatOutput {
  container: "fat" | "fat64";
  /** Total size in bytes: the sum of the chunks' lengths. */
  size: number;
  /** Header, then for each slice its zero padding (when there is any) and the slice's bytes (views of the inputs). */
  chunks: Uint8Array[];
  archs: FatArchLayout[];
}

/** A slice before layout: what the fat_arch entry needs, plus its bytes. */
interface Candidate {
  arch: string;
  cputype: number;
  cpusubtype: number;
  align: number;
  bytes: Uint8Array;
  input: number;
}

/**
 * The fat file holding every slice of `inputs` (each a thin Mach-O image, a static archive, or a fat
 * file whose slices it contributes). Throws FatWriteError for inputs that cannot be combined (not
 * Mach-O, two different slices of one arch, too many slices) and MachOError for a malformed input.
 */
export function writeFat(inputs: readonly Uint8Array[], options: FatWriteOptions = {}): FatOutput {
  if (inputs.length === 0) throw new FatWriteError("no-input", "a fat file needs at least one input", null);
  const kept: Candidate[] = [];
  inputs.forEach((input, index) => {
    for (const candidate of candidatesOf(input, index)) {
      const same = kept.find((k) => sameArch(k, candidate));
      if (same === undefined) kept.push(candidate);
      else if (!equalBytes(same.bytes, candidate.bytes)) {
        throw new FatWriteError(
          "duplicate-arch",
          `inputs ${same.input} and ${index} both have an ${candidate.arch} slice, and the two differ`,
          index,
          candidate.arch,
        );
      }
      // A byte-identical second copy adds nothing: the first is kept, with its alignment.
    }
  });
  if (kept.length > MAX_FAT_ARCHS) {
    throw new FatWriteError("too-many-slices", `${kept.length} slices; a fat file retag can read has at most ${MAX_FAT_ARCHS}`, null);
  }
  const ordered = lipoOrder(kept);
  const layout = layoutFat(ordered.map((c) => ({ ...c, size: c.bytes.length })), options.fat64 ?? false);
  return {
    container: layout.container,
    size: layout.size,
    chunks: chunksOf(layout, ordered.map((c) => c.bytes)),
    archs: layout.archs.map((entry, i) => ({ ...entry, arch: ordered[i]!.arch, input: ordered[i]!.input })),
  };
}

/** The slices one input contributes, with the alignment lipo gives each (buildSlices in llvm-lipo.cpp). */
function candidatesOf(input: Uint8Array, index: number): Candidate[] {
  const ranges = sliceRanges(input);
  if (ranges === null) throw new FatWriteError("not-macho", `input ${index} is not a Mach-O image, fat file or static archive`, index);
  return ranges.map((range) => {
    const { bytes } = range;
    if (range.kind === "archive") {
      // Slice::create(const Archive &): the members' arch, aligned to 2^3 (64-bit) or 2^2. From a fat
      // input the entry's own alignment is kept, as for images.
      const members = archiveArch(bytes, range.offset);
      const align = range.align ?? (members.bits === 64 ? 3 : 2);
      return { arch: members.arch, cputype: members.cputype, cpusubtype: members.cpusubtype, align, bytes, input: index };
    }
    // Slice(const MachOObjectFile &): cputype and cpusubtype from the image's own header; a fat
    // input's slice keeps its fat_arch.align (O.getAlign()), a thin image gets calculateAlignment.
    const thin = thinMagic(magicOf(bytes));
    if (thin === null) throw new MachOError("not a Mach-O image", range.offset); // sliceRanges said it is one
    const image = makeRegion(bytes, range.offset, thin.little);
    const cputype = u32(image, 4, "cputype");
    const cpusubtype = u32(image, 8, "cpusubtype");
    const align = range.align ?? lipoAlignment(image, thin.bits);
    return { arch: archName(cputype, cpusubtype), cputype, cpusubtype, align, bytes, input: index };
  });
}

/** Same cputype and the same cpusubtype without its capability bits: one arch to dyld and to retag. */
function sameArch(a: Candidate, b: Candidate): boolean {
  return a.cputype === b.cputype && ((a.cpusubtype ^ b.cpusubtype) & ~C.CPU_SUBTYPE_MASK) === 0;
}

/** Byte equality; four bytes at a time when both views allow it (slices start 4-aligned), as this may compare 100 MiB. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = Math.floor(a.length / 4);
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (wa[i] !== wb[i]) return false;
    i = words * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The log2 alignment lipo gives a thin image (calculateAlignment in MachOUniversalWriter.cpp): the
 * page size of the CPUs Apple shipped (4 KiB for x86 and PowerPC, 16 KiB for ARM), else the image's
 * own alignment from its segments.
 */
function lipoAlignment(image: Region, bits: 32 | 64): number {
  switch (u32(image, 4, "cputype") >>> 0) {
    case C.CPU_TYPE_I386:
    case C.CPU_TYPE_X86_64:
    case C.CPU_TYPE_POWERPC:
    case C.CPU_TYPE_POWERPC64:
      return 12;
    case C.CPU_TYPE_ARM:
    case C.CPU_TYPE_ARM64:
    case C.CPU_TYPE_ARM64_32:
      return 14;
    default:
      return segmentAlignment(image, bits === 64);
  }
}

/**
 * calculateFileAlignment, "for compatibility with cctools lipo": the smallest alignment of the
 * segments, each being the trailing zero bits of its vmaddr; in an object file (MH_OBJECT) a
 * segment's is instead the largest of its sections' `align` (2^2 at least; 2^15 for one with no
 * sections). Only segment commands of the image's own width count. Clamped to 2^2..2^15.
 */
function segmentAlignment(image: Region, is64: boolean): number {
  const isObject = u32(image, 12, "filetype") === C.MH_OBJECT;
  const ncmds = u32(image, 16, "ncmds");
  const segmentCmd = is64 ? C.LC_SEGMENT_64 : C.LC_SEGMENT;
  const sectionSize = is64 ? C.SECTION_64_SIZE : C.SECTION_SIZE;
  let minimum = MAX_SECTION_ALIGNMENT;
  // parseMachO has checked that ncmds commands of at least 8 bytes fit in sizeofcmds, so this loop
  // is bounded by the image; every read is still range-checked.
  let p = is64 ? C.MACH_HEADER_64_SIZE : C.MACH_HEADER_SIZE;
  for (let i = 0; i < ncmds; i++) {
    const cmd = u32(image, p, "load command");
    const cmdsize = u32(image, p + 4, "load command");
    if (cmdsize < C.LOAD_COMMAND_SIZE) throw new MachOError(`load command ${i}: cmdsize ${cmdsize} is too small`, image.base + p + 4);
    if (cmd === segmentCmd) {
      let alignment: number;
      if (isObject) {
        const nsects = u32(image, p + (is64 ? 64 : 48), "segment nsects");
        alignment = nsects === 0 ? MAX_SECTION_ALIGNMENT : 2;
        const first = p + (is64 ? C.SEGMENT_COMMAND_64_SIZE : C.SEGMENT_COMMAND_SIZE);
        // section.align is after sectname[16], segname[16], addr, size, offset (<mach-o/loader.h>).
        const alignField = is64 ? 52 : 44;
        for (let s = 0; s < nsects; s++) alignment = Math.max(alignment, u32(image, first + s * sectionSize + alignField, "section align"));
      } else {
        // vmaddr follows cmd, cmdsize, segname[16]: a u32, or a u64 read as two halves.
        const low = u32(image, p + (is64 ? (image.little ? 24 : 28) : 24), "segment vmaddr");
        const high = is64 ? u32(image, p + (image.little ? 28 : 24), "segment vmaddr") : 0;
        alignment = low !== 0 ? trailingZeros(low) : high !== 0 ? 32 + trailingZeros(high) : is64 ? 64 : 32;
      }
      minimum = Math.min(minimum, alignment);
    }
    p += cmdsize;
  }
  return Math.max(2, Math.min(minimum, MAX_SECTION_ALIGNMENT));
}

/** Trailing zero bits of a non-zero u32. */
function trailingZeros(value: number): number {
  return 31 - Math.clz32(value & -value);
}

/** What lipo's sort looks at. */
interface SortKey {
  cputype: number;
  cpusubtype: number;
  align: number;
}

/**
 * Slice::operator< (MachOUniversalWriter.h): within one cputype by cpusubtype (raw, unsigned);
 * arm64 after every other cputype "for compatibility with cctools lipo"; otherwise by alignment, to
 * keep padding small.
 */
function lipoLess(a: SortKey, b: SortKey): boolean {
  if (a.cputype === b.cputype) return a.cpusubtype >>> 0 < b.cpusubtype >>> 0;
  if (a.cputype === C.CPU_TYPE_ARM64) return false;
  if (b.cputype === C.CPU_TYPE_ARM64) return true;
  return a.align < b.align;
}

/**
 * The order `llvm::stable_sort(Slices)` leaves the slices in. operator< is not a strict weak order
 * once slices of one cputype have different alignments (which fat inputs can carry), and then the
 * result depends on the sorting algorithm: this is libstdc++'s std::stable_sort step by step (the
 * one Debian's llvm-lipo is built with): the two halves split at (n + 1) / 2, each sorted by
 * insertion sort in runs of 7 and merged bottom-up, then the halves merged, from the back when the
 * first half is the longer one.
 */
function lipoOrder<T extends SortKey>(items: readonly T[]): T[] {
  const out = [...items];
  if (out.length < 2) return out;
  const middle = Math.floor((out.length + 1) / 2);
  const left = mergeSortWithBuffer(out.slice(0, middle));
  const right = mergeSortWithBuffer(out.slice(middle));
  return left.length <= right.length ? mergeForward(left, right) : mergeBackward(left, right);
}

/** __merge_sort_with_buffer: __chunk_insertion_sort with runs of 7, then merge passes of doubling runs. */
function mergeSortWithBuffer<T extends SortKey>(items: T[]): T[] {
  const chunk = 7;
  for (let start = 0; start < items.length; start += chunk) insertionSort(items, start, Math.min(start + chunk, items.length));
  let runs = items;
  for (let step = chunk; step < runs.length; step *= 2) {
    const merged: T[] = [];
    for (let start = 0; start < runs.length; start += 2 * step) {
      merged.push(...mergeForward(runs.slice(start, start + step), runs.slice(start + step, start + 2 * step)));
    }
    runs = merged;
  }
  return runs;
}

/** __insertion_sort: an element less than the first goes straight to the front. */
function insertionSort<T extends SortKey>(items: T[], start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const value = items[i]!;
    if (lipoLess(value, items[start]!)) {
      items.copyWithin(start + 1, start, i);
      items[start] = value;
      continue;
    }
    // __unguarded_linear_insert: it stops at `start` at the latest, since value is not less than it.
    let hole = i;
    while (hole > start && lipoLess(value, items[hole - 1]!)) {
      items[hole] = items[hole - 1]!;
      hole--;
    }
    items[hole] = value;
  }
}

/** __move_merge: take from the right run only when its head is less than the left run's. */
function mergeForward<T extends SortKey>(left: readonly T[], right: readonly T[]): T[] {
  const out: T[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) out.push(lipoLess(right[r]!, left[l]!) ? right[r++]! : left[l++]!);
  return out.concat(left.slice(l), right.slice(r));
}

/** __move_merge_adaptive_backward: fill from the end; the left run's tail goes last only when the right's is less than it. */
function mergeBackward<T extends SortKey>(left: readonly T[], right: readonly T[]): T[] {
  const out = new Array<T>(left.length + right.length);
  let l = left.length - 1;
  let r = right.length - 1;
  let at = out.length - 1;
  while (l >= 0 && r >= 0) out[at--] = lipoLess(right[r]!, left[l]!) ? left[l--]! : right[r--]!;
  while (l >= 0) out[at--] = left[l--]!;
  while (r >= 0) out[at--] = right[r--]!;
  return out;
}

/** The numbers of a fat file: where each slice goes and how big the whole is. */
export interface FatLayout {
  container: "fat" | "fat64";
  headerSize: number;
  size: number;
  archs: { cputype: number; cpusubtype: number; align: number; offset: number; size: number }[];
}

/**
 * buildFatArchList: after the header each slice starts at the next multiple of its alignment.
 * 32-bit fat_arch entries unless `fat64` is asked for or an offset or size does not fit in 32 bits.
 */
export function layoutFat(slices: readonly { cputype: number; cpusubtype: number; align: number; size: number }[], fat64: boolean): FatLayout {
  const place = (container: "fat" | "fat64"): FatLayout => {
    const headerSize = C.FAT_HEADER_SIZE + slices.length * (container === "fat64" ? C.FAT_ARCH_64_SIZE : C.FAT_ARCH_SIZE);
    let at = headerSize;
    const archs = slices.map(({ cputype, cpusubtype, align, size }) => {
      const offset = Math.ceil(at / 2 ** align) * 2 ** align;
      at = offset + size;
      return { cputype, cpusubtype, align, offset, size };
    });
    return { container, headerSize, size: at, archs };
  };
  const narrow = place("fat");
  const fits = narrow.archs.every((a) => a.offset <= FAT_ARCH_LIMIT && a.size <= FAT_ARCH_LIMIT);
  return !fat64 && fits ? narrow : place("fat64");
}

/** The header (fat_header and the fat_arch entries, big-endian), then padding and slice views. */
function chunksOf(layout: FatLayout, bodies: readonly Uint8Array[]): Uint8Array[] {
  const header = new Uint8Array(layout.headerSize);
  const view = new DataView(header.buffer);
  const wide = layout.container === "fat64";
  view.setUint32(0, wide ? C.FAT_MAGIC_64 : C.FAT_MAGIC);
  view.setUint32(4, layout.archs.length);
  const u64 = (at: number, value: number): void => {
    view.setUint32(at, Math.floor(value / 0x1_0000_0000));
    view.setUint32(at + 4, value % 0x1_0000_0000);
  };
  layout.archs.forEach((arch, i) => {
    const at = C.FAT_HEADER_SIZE + i * (wide ? C.FAT_ARCH_64_SIZE : C.FAT_ARCH_SIZE);
    view.setUint32(at, arch.cputype >>> 0);
    view.setUint32(at + 4, arch.cpusubtype >>> 0);
    if (wide) {
      u64(at + 8, arch.offset);
      u64(at + 16, arch.size);
      view.setUint32(at + 24, arch.align); // then fat_arch_64.reserved, left 0
    } else {
      view.setUint32(at + 8, arch.offset);
      view.setUint32(at + 12, arch.size);
      view.setUint32(at + 16, arch.align);
    }
  });

  const chunks: Uint8Array[] = [header];
  // Each gap is shorter than its slice's alignment (at most 2^15 bytes): one zero buffer serves all.
  const gaps = layout.archs.map((arch, i) => {
    const previous = layout.archs[i - 1];
    return arch.offset - (previous === undefined ? layout.headerSize : previous.offset + previous.size);
  });
  const zeros = new Uint8Array(Math.max(0, ...gaps));
  layout.archs.forEach((_, i) => {
    const gap = gaps[i]!;
    if (gap > 0) chunks.push(zeros.subarray(0, gap));
    chunks.push(bodies[i]!);
  });
  return chunks;
}
