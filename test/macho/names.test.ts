import { describe, expect, it } from "vitest";
import { archName, fileTypeName, formatVersion, loadCommandName, platformName, sniffBinary } from "../../src/macho/index.js";
import * as C from "../../src/macho/constants.js";
import { buildArchive, buildFat, buildImage, version } from "./builder.js";

describe("archName", () => {
  it.each([
    [C.CPU_TYPE_X86_64, 3, "x86_64"],
    [C.CPU_TYPE_X86_64, 0x80000003, "x86_64"], // CPU_SUBTYPE_LIB64 on executables
    [C.CPU_TYPE_X86_64, 8, "x86_64h"],
    [C.CPU_TYPE_I386, 3, "i386"],
    [C.CPU_TYPE_ARM64, 0, "arm64"],
    [C.CPU_TYPE_ARM64, 2, "arm64e"],
    [C.CPU_TYPE_ARM64, 0x80000002, "arm64e"], // PtrAuth ABI capability bits
    [C.CPU_TYPE_ARM64, 0x81000002, "arm64e"],
    [C.CPU_TYPE_ARM64, 1, "arm64v8"],
    [C.CPU_TYPE_ARM64_32, 1, "arm64_32"],
    [C.CPU_TYPE_ARM, 9, "armv7"],
    [C.CPU_TYPE_ARM, 11, "armv7s"],
    [C.CPU_TYPE_ARM, 12, "armv7k"],
    [C.CPU_TYPE_ARM, 6, "armv6"],
    [C.CPU_TYPE_POWERPC, 0, "ppc"],
    [C.CPU_TYPE_POWERPC, 10, "ppc"], // ppc7400: wheel tags only know ppc
    [C.CPU_TYPE_POWERPC64, 100, "ppc64"],
    [C.CPU_TYPE_X86_64, 4, "cpu(16777223,4)"],
    [C.CPU_TYPE_ARM64, 0x80000007, "cpu(16777228,7)"],
    [0xffffffff, 0xffffffff, "cpu(4294967295,16777215)"],
    [-1, 3, "cpu(4294967295,3)"], // signed input (cpu_type_t is an int) reads as unsigned
  ])("(%i, %i) → %s", (cputype, cpusubtype, name) => {
    expect(archName(cputype, cpusubtype)).toBe(name);
  });
});

describe("formatVersion", () => {
  it.each([
    [version(10, 9), "10.9"],
    [version(11), "11.0"],
    [version(10, 10, 10), "10.10.10"],
    [version(13, 3, 1), "13.3.1"],
    [version(26, 0), "26.0"],
    [0, "0.0"],
    [0xffffffff, "65535.255.255"],
  ])("%i → %s", (encoded, text) => {
    expect(formatVersion(encoded)).toBe(text);
  });
});

describe("platformName", () => {
  it.each([
    [1, "macos"],
    [2, "ios"],
    [6, "maccatalyst"],
    [7, "iossimulator"],
    [11, "visionos"],
    [14, "sepos"],
    [0, "unknown(0)"],
    [15, "unknown(15)"],
    [0xffffffff, "unknown(4294967295)"],
  ])("%i → %s", (n, name) => {
    expect(platformName(n)).toBe(name);
  });
});

describe("loadCommandName and fileTypeName", () => {
  it("uses Apple's spelling, LC_REQ_DYLD included", () => {
    expect(loadCommandName(0x32)).toBe("LC_BUILD_VERSION");
    expect(loadCommandName(0x80000033)).toBe("LC_DYLD_EXPORTS_TRIE");
    expect(loadCommandName(0x80000022)).toBe("LC_DYLD_INFO_ONLY");
    expect(loadCommandName(0x22)).toBe("LC_DYLD_INFO");
    expect(loadCommandName(0xdeadbeef)).toBe("0xdeadbeef");
    expect(fileTypeName(C.MH_BUNDLE)).toBe("bundle");
    expect(fileTypeName(C.MH_FILESET)).toBe("fileset");
    expect(fileTypeName(0)).toBe("unknown");
    expect(fileTypeName(13)).toBe("unknown");
  });
});

describe("sniffBinary", () => {
  const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
  it.each([
    ["thin 64-bit little-endian", buildImage().bytes, "macho"],
    ["thin 32-bit big-endian", buildImage({ bits: 32, little: false }).bytes, "macho"],
    ["MH_CIGAM", bytes(0xce, 0xfa, 0xed, 0xfe, 7, 0, 0, 0), "macho"],
    ["MH_MAGIC_64", bytes(0xfe, 0xed, 0xfa, 0xcf, 0, 0, 0, 0x12), "macho"],
    ["fat", buildFat([{ bytes: buildImage().bytes }]).bytes, "fat"],
    ["fat64", buildFat([{ bytes: buildImage().bytes }], { fat64: true }).bytes, "fat"],
    ["fat with zero archs (corrupt, but fat)", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0), "fat"],
    ["fat with 30 archs", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 30), "fat"],
    ["a Java class file, major 45", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 45), "none"],
    ["a Java class file, minor 3 major 45", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 3, 0, 45), "none"],
    // The count is fat when it cannot be a class file version (major < 45), whatever its size (issue 11, D12).
    ["31 archs", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 31), "fat"],
    ["44 archs", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 44), "fat"],
    ["a count whose low half is below 45 (65,536 archs: a corrupt fat file)", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 1, 0, 0), "fat"],
    ["45 archs, first 8 bytes only: a class file", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 45), "none"],
    ["a fat file with 45 slices whose entries hold", buildFat(Array.from({ length: 45 }, (_, i) => ({ bytes: buildImage({ cputype: 100 + i }).bytes }))).bytes, "fat"],
    ["a Java class file, major 52, with a constant pool", Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0x1d, 0x0a, 0, 6, 0, 0x0f, 9, 0, 0x10, 0, 0x11, 8, 0, 0x12, 0x0a, 0, 0x13, 0, 0x14, 7]), "none"],
    ["archive", buildArchive(), "archive"],
    ["ELF", bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0), "elf"],
    ["PE", peImage(0x80), "pe"],
    ["MZ with no PE signature (a data file)", peImage(0x80, false), "none"],
    ["MZ whose e_lfanew points past the end", peImage(0x1000).subarray(0, 0x100), "none"],
    ["a DOS stub shorter than its header", bytes(0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0), "none"],
    ["text", new TextEncoder().encode("hello world"), "none"],
    ["seven bytes of a Mach-O header (a truncated Mach-O, for parseMachO to reject)", bytes(0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0), "macho"],
    ["four bytes of a Mach-O header", bytes(0xfe, 0xed, 0xfa, 0xce), "macho"],
    ["three bytes of a Mach-O header", bytes(0xcf, 0xfa, 0xed), "none"],
    ["seven bytes of a fat header", bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0), "none"],
    ["seven bytes of an archive header", bytes(0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e), "none"],
    ["nothing", bytes(), "none"],
  ])("%s → %s", (_name, head, kind) => {
    expect(sniffBinary(head)).toBe(kind);
  });

  it("needs only the first 8 bytes", () => {
    const fat = buildFat([{ bytes: buildImage().bytes }]).bytes;
    expect(sniffBinary(fat.subarray(0, 8))).toBe("fat");
    expect(sniffBinary(buildArchive().subarray(0, 8))).toBe("archive");
  });
});

/** A minimal PE: DOS header with e_lfanew, then "PE\0\0" there (or not). */
function peImage(lfanew: number, signed = true): Uint8Array {
  const b = new Uint8Array(Math.max(lfanew + 0x20, 0x40));
  b[0] = 0x4d;
  b[1] = 0x5a;
  new DataView(b.buffer).setUint32(0x3c, lfanew, true);
  if (signed && lfanew + 4 <= b.length) b.set([0x50, 0x45, 0, 0], lfanew);
  return b;
}
