// One case per kind of malformation: each must throw MachOError naming where the reader gave up.

import { describe, it } from "vitest";
import { parseMachO } from "../../src/macho/index.js";
import * as C from "../../src/macho/constants.js";
import { buildArchive, buildFat, buildImage, getU32, lc, setU32, version, type BuiltImage, type ImageSpec } from "./builder.js";
import { expectMachOError } from "./expect-error.js";

interface Case {
  name: string;
  bytes: Uint8Array;
  offset: number;
  message: RegExp;
}

/** Builds an image, lets `patch` break it, and returns the bytes with the offset the patch names. */
function broken(spec: ImageSpec, patch: (image: BuiltImage) => number): { bytes: Uint8Array; offset: number } {
  const image = buildImage(spec);
  const offset = patch(image);
  return { bytes: image.bytes, offset };
}

const macos = lc.buildVersion(C.PLATFORM_MACOS, version(11), version(14));
const three = { commands: [lc.segment64(1), macos, lc.dylib(C.LC_LOAD_DYLIB, "/usr/lib/libSystem.B.dylib")] };
const cmd = (image: BuiltImage, i: number): number => image.commandOffsets[i]!;

function thinCases(little: boolean): Case[] {
  const order = little ? "little-endian" : "big-endian";
  const spec = (s: ImageSpec): ImageSpec => ({ little, ...s });
  const set = (image: BuiltImage, at: number, value: number): void => setU32(image.bytes, at, value, little);
  const cases: [string, ImageSpec, (image: BuiltImage) => number, RegExp][] = [
    ["sizeofcmds larger than the image", spec(three), (m) => (set(m, 20, m.bytes.length), 20), /sizeofcmds .* run past the end of the image/],
    ["an absurd ncmds", spec(three), (m) => (set(m, 16, 0xffffffff), 16), /ncmds 4294967295 cannot fit in sizeofcmds/],
    ["one load command more than sizeofcmds holds", spec(three), (m) => (set(m, 16, 4), m.headerSize + getU32(m.bytes, 20, little)), /load command 3 .*starts past the end of the load commands/],
    ["cmdsize 0", spec(three), (m) => (set(m, cmd(m, 1) + 4, 0), cmd(m, 1)), /load command 1 \(LC_BUILD_VERSION, cmdsize 0\) at offset 0x[0-9a-f]+: cmdsize is 0/],
    ["cmdsize below 8", spec({ commands: [lc.uuid()] }), (m) => (set(m, cmd(m, 0) + 4, 4), cmd(m, 0) + 4), /load command 0 \(LC_UUID, cmdsize 4\).*smaller than the 8 bytes/],
    ["LC_LOAD_DYLIB shorter than dylib_command", spec(three), (m) => (set(m, cmd(m, 2) + 4, 16), cmd(m, 2) + 4), /load command 2 .*smaller than the 24 bytes/],
    ["cmdsize not a multiple of 4", spec(three), (m) => (set(m, cmd(m, 1) + 4, 26), cmd(m, 1) + 4), /not a multiple of 4/],
    ["LC_BUILD_VERSION shorter than build_version_command", spec(three), (m) => (set(m, cmd(m, 1) + 4, 16), cmd(m, 1) + 4), /smaller than the 24 bytes/],
    ["LC_SEGMENT_64 shorter than segment_command_64", spec(three), (m) => (set(m, cmd(m, 0) + 4, 56), cmd(m, 0) + 4), /LC_SEGMENT_64.*smaller than the 72 bytes/],
    ["a load command running past sizeofcmds", spec(three), (m) => (set(m, cmd(m, 2) + 4, 64), cmd(m, 2) + 4), /load command 2 .*runs past the end of the load commands/],
    ["an lc_str offset inside the fixed part", spec(three), (m) => (set(m, cmd(m, 2) + 8, 8), cmd(m, 2) + 8), /string offset 8 is outside/],
    ["an lc_str offset past the command", spec(three), (m) => (set(m, cmd(m, 2) + 8, 200), cmd(m, 2) + 8), /string offset 200 is outside/],
    [
      "an lc_str without a NUL inside the command",
      spec({ commands: [lc.rpath("abcd")] }),
      (m) => (m.bytes.fill(0x41, cmd(m, 0) + 16, cmd(m, 0) + 24), cmd(m, 0) + 12),
      /LC_RPATH.*not NUL-terminated/,
    ],
    ["LC_BUILD_VERSION with more tools than fit", spec(three), (m) => (set(m, cmd(m, 1) + 20, 3), cmd(m, 1) + 20), /ntools 3 does not fit/],
    ["LC_SEGMENT_64 with more sections than fit", spec(three), (m) => (set(m, cmd(m, 0) + 64, 2), cmd(m, 0) + 64), /nsects 2 does not fit/],
    [
      "a symbol table past the end",
      spec({ symbols: [{ name: "_a" }] }),
      (m) => (set(m, m.symtabCommandOffset! + 12, 1000), m.symtabOffset!),
      /LC_SYMTAB .*symbol table .*run past the end/,
    ],
    [
      "a string table past the end",
      spec({ symbols: [{ name: "_a" }] }),
      (m) => (set(m, m.symtabCommandOffset! + 20, 1000), m.stringTableOffset!),
      /LC_SYMTAB .*string table .*run past the end/,
    ],
    [
      "a symbol whose name index is outside the string table",
      spec({ symbols: [{ name: "_a" }] }),
      (m) => (set(m, m.symtabOffset!, 999), m.symtabOffset!),
      /symbol 0: string index 999 is outside the string table/,
    ],
    [
      "an LC_DYLD_EXPORTS_TRIE past the end",
      spec({ exportTrie: { names: ["_a"] } }),
      (m) => (set(m, m.trieCommandOffset! + 12, 1000), m.trieCommandOffset! + 8),
      /LC_DYLD_EXPORTS_TRIE.*export data .*runs past the end of the image/,
    ],
    [
      "an LC_DYLD_INFO_ONLY export trie past the end",
      spec({ exportTrie: { names: ["_a"], via: "dyld-info-only" } }),
      (m) => (set(m, m.trieCommandOffset! + 40, 0xfffffff0), m.trieCommandOffset! + 40),
      /LC_DYLD_INFO_ONLY.*export data .*runs past the end of the image/,
    ],
    [
      "two LC_SYMTAB commands",
      spec({ commands: [{ cmd: C.LC_SYMTAB, words: [0, 0, 0, 0] }], symbols: [] }),
      (m) => cmd(m, 1),
      /load command 1 \(LC_SYMTAB.*a second LC_SYMTAB/,
    ],
    [
      "two LC_ID_DYLIB commands",
      spec({ commands: [lc.dylib(C.LC_ID_DYLIB, "a"), lc.dylib(C.LC_ID_DYLIB, "b")] }),
      (m) => cmd(m, 1),
      /a second LC_ID_DYLIB/,
    ],
    [
      "two LC_DYLD_EXPORTS_TRIE commands",
      spec({ commands: [{ cmd: C.LC_DYLD_EXPORTS_TRIE, words: [0, 0] }], exportTrie: { names: ["_a"] } }),
      (m) => cmd(m, 1),
      /a second LC_DYLD_EXPORTS_TRIE/,
    ],
  ];
  const made: Case[] = cases.map(([name, s, patch, message]) => ({ name: `${order} 64-bit: ${name}`, ...broken(s, patch), message }));
  for (const bits of [32, 64] as const) {
    const image = buildImage({ little, bits }).bytes;
    made.push({ name: `${order} ${bits}-bit: a truncated mach header`, bytes: image.subarray(0, bits === 64 ? 31 : 27), offset: 0, message: new RegExp(`${bits}-bit mach header`) });
  }
  const i386 = broken({ little, bits: 32, commands: [lc.segment(1)] }, (m) => (set(m, cmd(m, 0) + 4, 52), cmd(m, 0) + 4));
  made.push({ name: `${order} 32-bit: LC_SEGMENT shorter than segment_command`, ...i386, message: /smaller than the 56 bytes/ });
  return made;
}

const arm64 = buildImage({ commands: [macos] }).bytes;
const x86 = buildImage({ cputype: C.CPU_TYPE_X86_64, cpusubtype: 3, commands: [macos] }).bytes;

/** A two-slice fat file with `patch` applied to its header; returns the offset the patch names. */
function brokenFat(patch: (bytes: Uint8Array, entries: number[], slices: number[]) => number, fat64 = false): { bytes: Uint8Array; offset: number } {
  const fat = buildFat([{ bytes: x86 }, { bytes: arm64 }], { fat64 });
  return { bytes: fat.bytes, offset: patch(fat.bytes, fat.entryOffsets, fat.sliceOffsets) };
}
const be = (bytes: Uint8Array, at: number, value: number): void => setU32(bytes, at, value, false);

const fatCases: Case[] = [
  { name: "a fat header with zero architectures (LLVM's macho-invalid-fat-header)", bytes: Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0]), offset: 4, message: /zero architectures/ },
  { name: "a fat header cut inside nfat_arch", bytes: Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0]), offset: 4, message: /fat header/ },
  // No cut-off on the count (issue 11, D12): the entries must fit in the file, whatever their number.
  { name: "FAT_MAGIC_64 with more entries than the file holds", ...brokenFat((b) => (be(b, 4, 31), 8), true), message: /fat header: 31 architectures need 0x3e8 bytes/ },
  { name: "FAT_MAGIC with 44 entries (no class file version) in a short file", ...brokenFat((b) => (be(b, 4, 44), 8)), message: /fat header: 44 architectures need/ },
  { name: "more fat_arch entries than the file holds", bytes: buildFat([{ bytes: x86 }]).bytes.subarray(0, 20), offset: 8, message: /1 architectures need 0x1c bytes but the file has 0x14/ },
  { name: "a slice overlapping the fat header", ...brokenFat((b, e) => (be(b, e[0]! + 8, 16), e[0]! + 8)), message: /overlaps the fat header/ },
  { name: "a slice past the end of the file", ...brokenFat((b, e) => (be(b, e[1]! + 12, b.length), e[1]! + 8)), message: /fat arch 1 .*runs past the end of the file/ },
  { name: "a fat64 slice offset above 4 GiB", ...brokenFat((b, e) => (be(b, e[1]! + 8, 1), e[1]! + 8), true), message: /fat arch 1 .*runs past the end of the file/ },
  { name: "two slices that overlap", ...brokenFat((b, e, s) => (be(b, e[1]! + 8, s[0]! + 16), e[1]! + 8)), message: /fat arch 1 .*overlaps fat arch 0/ },
  { name: "an alignment above 2^15", ...brokenFat((b, e) => (be(b, e[0]! + 16, 16), e[0]! + 16)), message: /align 2\^16 is too large/ },
  { name: "a slice offset not aligned as its entry says", ...brokenFat((b, e) => (be(b, e[1]! + 16, 14), e[1]! + 8)), message: /not aligned to 2\^14/ },
  { name: "two slices of the same architecture", ...brokenFat((b, e) => (be(b, e[1]! + 0, C.CPU_TYPE_X86_64), be(b, e[1]! + 4, 3), e[1]!)), message: /fat arch 0 has the same architecture/ },
  { name: "a fat_arch cputype that disagrees with the slice (LLVM's macho-invalid-fat_cputype)", ...brokenFat((b, e, s) => (be(b, e[0]! + 0, C.CPU_TYPE_ARM), s[0]! + 4)), message: /fat arch 0 says cputype 12 \(cpu\(12,3\)\) but its mach header says 16777223 \(x86_64\)/ },
  { name: "a fat_arch cpusubtype that disagrees with the slice", ...brokenFat((b, e, s) => (be(b, e[0]! + 4, 8), s[0]! + 8)), message: /fat arch 0 says cpusubtype 0x8/ },
  { name: "a slice that is neither Mach-O nor an archive", ...brokenFat((b, _e, s) => (b.fill(0x41, s[1]!, s[1]! + 8), s[1]!)), message: /neither a Mach-O image nor a static archive/ },
  {
    name: "a slice too small for its mach header",
    ...(() => {
      const fat = buildFat([{ bytes: x86.subarray(0, 12) }, { bytes: buildArchive(), cputype: C.CPU_TYPE_ARM64, cpusubtype: 0 }]);
      return { bytes: fat.bytes, offset: fat.sliceOffsets[0]! };
    })(),
    message: /64-bit mach header/,
  },
];

describe("parseMachO on malformed files", () => {
  it.each([...thinCases(true), ...thinCases(false), ...fatCases])("$name", ({ bytes, offset, message }) => {
    expectMachOError(() => parseMachO(bytes), offset, message);
  });
});
