import { describe, expect, it } from "vitest";
import { parseMachO } from "../../src/macho/index.js";
import * as C from "../../src/macho/constants.js";
import type { MachOFile, Slice } from "../../src/model/macho.js";
import { buildArchive, buildFat, buildImage, lc, version } from "./builder.js";

/** The slice a parse should give: the lists a case does not mention must be empty. */
function slice(fields: Partial<Slice>): Partial<Slice> {
  return {
    loadDylibs: [],
    rpaths: [],
    exports: [],
    installName: null,
    ...fields,
  };
}

const macos11 = lc.buildVersion(C.PLATFORM_MACOS, version(11), version(14));
const arm64 = buildImage({
  filetype: C.MH_BUNDLE,
  commands: [
    lc.segment64(2),
    macos11,
    lc.dylib(C.LC_LOAD_DYLIB, "/usr/lib/libSystem.B.dylib"),
    lc.rpath("@loader_path/.dylibs"),
  ],
  exportTrie: { names: ["_PyInit__m"] },
}).bytes;
const x86_64 = buildImage({
  cputype: C.CPU_TYPE_X86_64,
  cpusubtype: 3,
  filetype: C.MH_DYLIB,
  commands: [
    lc.dylib(C.LC_ID_DYLIB, "@rpath/libx.dylib"),
    lc.versionMin(C.LC_VERSION_MIN_MACOSX, version(10, 9), version(11, 3)),
    lc.dylib(C.LC_LOAD_WEAK_DYLIB, "/usr/lib/libweak.dylib"),
    lc.dylib(C.LC_REEXPORT_DYLIB, "@rpath/libre.dylib"),
    lc.dylib(C.LC_LAZY_LOAD_DYLIB, "/usr/lib/liblazy.dylib"),
    lc.dylib(C.LC_LOAD_UPWARD_DYLIB, "/usr/lib/libup.dylib"),
  ],
  exportTrie: { names: ["_a", "_ab", "_abc", "_b"], via: "dyld-info-only" },
}).bytes;

const wellFormed: { name: string; bytes: Uint8Array; expected: Omit<MachOFile, "slices"> & { slices: Partial<Slice>[] } }[] = [
  {
    name: "thin 64-bit little-endian arm64 bundle with LC_BUILD_VERSION, a dependency, an rpath and an export trie",
    bytes: arm64,
    expected: {
      container: "thin",
      slices: [
        slice({
          arch: "arm64",
          cputype: C.CPU_TYPE_ARM64,
          cpusubtype: 0,
          offset: 0,
          size: arm64.length,
          bits: 64,
          filetype: "bundle",
          platform: "macos",
          minos: "11.0",
          sdk: "14.0",
          versionCommand: "LC_BUILD_VERSION",
          versions: [{ platform: "macos", minos: "11.0", sdk: "14.0", command: "LC_BUILD_VERSION" }],
          loadDylibs: ["/usr/lib/libSystem.B.dylib"],
          rpaths: ["@loader_path/.dylibs"],
          exports: ["_PyInit__m"],
        }),
      ],
    },
  },
  {
    name: "thin x86_64 dylib: LC_VERSION_MIN_MACOSX, install name, every kind of dependency, LC_DYLD_INFO_ONLY exports",
    bytes: x86_64,
    expected: {
      container: "thin",
      slices: [
        slice({
          arch: "x86_64",
          bits: 64,
          filetype: "dylib",
          platform: "macos",
          minos: "10.9",
          sdk: "11.3",
          versionCommand: "LC_VERSION_MIN_MACOSX",
          installName: "@rpath/libx.dylib",
          loadDylibs: ["/usr/lib/libweak.dylib", "@rpath/libre.dylib", "/usr/lib/liblazy.dylib", "/usr/lib/libup.dylib"],
          exports: ["_a", "_ab", "_abc", "_b"],
        }),
      ],
    },
  },
  {
    name: "thin 64-bit big-endian image",
    bytes: buildImage({
      little: false,
      cputype: C.CPU_TYPE_POWERPC64,
      cpusubtype: 100,
      filetype: C.MH_EXECUTE,
      commands: [lc.versionMin(C.LC_VERSION_MIN_MACOSX, version(10, 5), version(10, 5)), lc.rpath("/opt/lib")],
      symbols: [{ name: "_main" }],
    }).bytes,
    expected: {
      container: "thin",
      slices: [slice({ arch: "ppc64", bits: 64, filetype: "execute", platform: "macos", minos: "10.5", rpaths: ["/opt/lib"], exports: ["_main"] })],
    },
  },
  {
    name: "thin 32-bit little-endian i386 object with sdk 0 and a symbol table",
    bytes: buildImage({
      bits: 32,
      filetype: C.MH_OBJECT,
      commands: [lc.segment(1), lc.versionMin(C.LC_VERSION_MIN_MACOSX, version(10, 6), 0)],
      symbols: [
        { name: "_initfoo" },
        { name: "_undefined", type: C.N_UNDF | C.N_EXT },
        { name: "_local", type: C.N_SECT },
        { name: "_private_extern", type: C.N_SECT | C.N_PEXT },
        { name: "_stab", type: 0x24 | C.N_EXT }, // N_FUN debugging entry
        { name: "_prebound", type: C.N_PBUD | C.N_EXT },
        { name: "_absolute", type: C.N_ABS | C.N_EXT },
        { name: "_indirect", type: C.N_INDR | C.N_EXT },
      ],
    }).bytes,
    expected: {
      container: "thin",
      slices: [
        slice({
          arch: "i386",
          cputype: 7,
          cpusubtype: 3,
          bits: 32,
          filetype: "object",
          platform: "macos",
          minos: "10.6",
          sdk: "0.0",
          exports: ["_initfoo", "_absolute", "_indirect"],
        }),
      ],
    },
  },
  {
    name: "thin 32-bit big-endian ppc7400 bundle without a version command is named ppc",
    bytes: buildImage({ bits: 32, little: false, cputype: C.CPU_TYPE_POWERPC, cpusubtype: C.CPU_SUBTYPE_POWERPC_7400 }).bytes,
    expected: {
      container: "thin",
      slices: [slice({ arch: "ppc", cputype: 18, cpusubtype: 10, bits: 32, filetype: "bundle", platform: null, minos: null, sdk: null, versionCommand: null })],
    },
  },
  {
    name: "zippered image: the macOS build version is the slice's own, both are listed in order",
    bytes: buildImage({
      commands: [
        lc.buildVersion(C.PLATFORM_MACCATALYST, version(14), version(17, 2), 1),
        lc.buildVersion(C.PLATFORM_MACOS, version(11, 0), version(14, 2), 2),
      ],
    }).bytes,
    expected: {
      container: "thin",
      slices: [
        slice({
          platform: "macos",
          minos: "11.0",
          sdk: "14.2",
          versionCommand: "LC_BUILD_VERSION",
          versions: [
            { platform: "maccatalyst", minos: "14.0", sdk: "17.2", command: "LC_BUILD_VERSION" },
            { platform: "macos", minos: "11.0", sdk: "14.2", command: "LC_BUILD_VERSION" },
          ],
        }),
      ],
    },
  },
  {
    name: "LC_VERSION_MIN_IPHONEOS on x86_64 (an old simulator build) is reported as ios",
    bytes: buildImage({
      cputype: C.CPU_TYPE_X86_64,
      cpusubtype: 3,
      commands: [lc.versionMin(C.LC_VERSION_MIN_IPHONEOS, version(9), version(10, 3))],
    }).bytes,
    expected: {
      container: "thin",
      slices: [slice({ arch: "x86_64", platform: "ios", minos: "9.0", sdk: "10.3", versionCommand: "LC_VERSION_MIN_IPHONEOS" })],
    },
  },
  {
    name: "tvOS and watchOS version-min commands; the first is the slice's when none is macOS",
    bytes: buildImage({
      commands: [
        lc.versionMin(C.LC_VERSION_MIN_TVOS, version(12), version(13)),
        lc.versionMin(C.LC_VERSION_MIN_WATCHOS, version(5), version(6)),
      ],
    }).bytes,
    expected: {
      container: "thin",
      slices: [
        slice({
          platform: "tvos",
          versionCommand: "LC_VERSION_MIN_TVOS",
          versions: [
            { platform: "tvos", minos: "12.0", sdk: "13.0", command: "LC_VERSION_MIN_TVOS" },
            { platform: "watchos", minos: "5.0", sdk: "6.0", command: "LC_VERSION_MIN_WATCHOS" },
          ],
        }),
      ],
    },
  },
  {
    name: "a patch version and an unknown platform number",
    bytes: buildImage({ commands: [lc.buildVersion(99, version(10, 10, 10), version(10, 14))] }).bytes,
    expected: { container: "thin", slices: [slice({ platform: "unknown(99)", minos: "10.10.10", sdk: "10.14" })] },
  },
  {
    name: "arm64e (capability bits in cpusubtype) and unknown file type",
    bytes: buildImage({ cpusubtype: 0x80000002, filetype: 0x42 }).bytes,
    expected: { container: "thin", slices: [slice({ arch: "arm64e", cpusubtype: 0x80000002, filetype: "unknown" })] },
  },
  {
    name: "a thin static archive has no slices",
    bytes: buildArchive(),
    expected: { container: "archive", slices: [] },
  },
];

describe("parseMachO on well-formed builder output", () => {
  it.each(wellFormed)("$name", ({ bytes, expected }) => {
    expect(parseMachO(bytes)).toMatchObject(expected);
  });

  it("reads a fat file's slices in header order, with their placement", () => {
    const fat = buildFat([{ bytes: x86_64 }, { bytes: arm64 }]);
    const parsed = parseMachO(fat.bytes);
    expect(parsed?.container).toBe("fat");
    expect(parsed?.slices.map((s) => [s.arch, s.offset, s.size, s.minos, s.exports])).toEqual([
      ["x86_64", fat.sliceOffsets[0], x86_64.length, "10.9", ["_a", "_ab", "_abc", "_b"]],
      ["arm64", fat.sliceOffsets[1], arm64.length, "11.0", ["_PyInit__m"]],
    ]);
  });

  it("reads FAT_MAGIC_64 files the same way", () => {
    const fat = buildFat([{ bytes: x86_64 }, { bytes: arm64 }], { fat64: true });
    const parsed = parseMachO(fat.bytes);
    expect(parsed?.container).toBe("fat64");
    expect(parsed?.slices.map((s) => [s.arch, s.offset])).toEqual([
      ["x86_64", fat.sliceOffsets[0]],
      ["arm64", fat.sliceOffsets[1]],
    ]);
  });

  it("names an archive slice of a fat file from its fat_arch entry", () => {
    const archive = buildArchive();
    const fat = buildFat([{ bytes: archive, cputype: C.CPU_TYPE_X86_64, cpusubtype: 3 }, { bytes: arm64 }]);
    const [first, second] = parseMachO(fat.bytes)!.slices;
    expect(first).toEqual({
      arch: "x86_64",
      cputype: C.CPU_TYPE_X86_64,
      cpusubtype: 3,
      offset: fat.sliceOffsets[0],
      size: archive.length,
      bits: null,
      filetype: "archive",
      platform: null,
      minos: null,
      sdk: null,
      versionCommand: null,
      versions: [],
      installName: null,
      loadDylibs: [],
      rpaths: [],
      exports: [],
    });
    expect(second?.arch).toBe("arm64");
  });

  it("parses a fat file held in a subarray of a larger buffer (offsets are relative to the file)", () => {
    const fat = buildFat([{ bytes: x86_64 }, { bytes: arm64 }]).bytes;
    const big = new Uint8Array(fat.length + 100);
    big.set(fat, 37);
    expect(parseMachO(big.subarray(37, 37 + fat.length))).toEqual(parseMachO(fat));
  });

  it("prefers LC_DYLD_EXPORTS_TRIE to LC_DYLD_INFO, and either to the symbol table", () => {
    const withTrie = buildImage({ exportTrie: { names: ["_fromTrie"] }, symbols: [{ name: "_fromSymtab" }] });
    expect(parseMachO(withTrie.bytes)?.slices[0]?.exports).toEqual(["_fromTrie"]);
    const dyldInfo = buildImage({ exportTrie: { names: ["_fromDyldInfo"], via: "dyld-info" }, symbols: [{ name: "_fromSymtab" }] });
    expect(parseMachO(dyldInfo.bytes)?.slices[0]?.exports).toEqual(["_fromDyldInfo"]);
    const both = buildImage({
      commands: [{ cmd: C.LC_DYLD_INFO_ONLY, words: new Array<number>(10).fill(0) }],
      exportTrie: { names: ["_fromExportsTrie"] },
    });
    expect(parseMachO(both.bytes)?.slices[0]?.exports).toEqual(["_fromExportsTrie"]);
    const emptyTrie = buildImage({ exportTrie: { raw: new Uint8Array(0) }, symbols: [{ name: "_fromSymtab" }] });
    expect(parseMachO(emptyTrie.bytes)?.slices[0]?.exports).toEqual(["_fromSymtab"]);
  });

  it("accepts 64-bit load commands that are only 4-byte aligned (real files have them)", () => {
    const image = buildImage({ commands: [{ ...lc.rpath("@loader_path"), noPad: true, extra: 3 }] });
    expect(parseMachO(image.bytes)?.slices[0]?.rpaths).toEqual(["@loader_path"]);
  });
});

describe("parseMachO on other files", () => {
  const java = Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0x00, 0x0a]);
  it.each([
    ["an empty file", new Uint8Array(0)],
    ["three bytes", Uint8Array.from([0xcf, 0xfa, 0xed])],
    ["a Java class file (0xcafebabe, major version 52)", java],
    ["an ELF file", Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0])],
    ["a PE file", Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])],
    ["text", new TextEncoder().encode("#!/bin/sh\necho hi\n")],
    ["FAT_CIGAM (no such files exist on disk)", Uint8Array.from([0xbe, 0xba, 0xfe, 0xca, 1, 0, 0, 0])],
  ])("returns null for %s", (_name, bytes) => {
    expect(parseMachO(bytes)).toBeNull();
  });

  it("reads a large image by its load commands, trie and symbol table (its speed is measured by npm run bench)", () => {
    const small = buildImage({ commands: [macos11], exportTrie: { names: ["_PyInit__big"] } }).bytes;
    const big = new Uint8Array(100 * 1024 * 1024);
    big.set(small);
    expect(parseMachO(big)?.slices[0]?.exports).toEqual(["_PyInit__big"]);
  });
});
