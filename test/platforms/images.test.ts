// The facts every format gives the platform rules and `retag show` (BinaryReport.images), checked on
// every ELF, PE and wasm fixture against what LLVM's tools say about it (test/fixtures/oracle/) and
// what build-native.sh built it as (its file name: arch, libc, Android or Linux).
import { describe, expect, it } from "vitest";
import type { ImageReport } from "../../src/model/binary.js";
import { analyzeBinary } from "../../src/read/binary.js";
import { nativeFixtures, readNativeFixture, type NativeFixture } from "../fixtures/native.js";
import { readElfOracle, type ElfOracle } from "../fixtures/oracle-elf.js";
import { readPeOracle } from "../fixtures/oracle-pe.js";
import { entries, readWasmOracle, scalar } from "../fixtures/oracle-wasm.js";

/**
 * The module a member name makes (DESIGN §3.1): `<mod>.so`, `<mod>.<tag>.so`, `<mod>[.<tag>].pyd`,
 * except a plain `lib<name>.so` (a shared library by the linker's naming) — the manifest names the
 * module a fixture was built for, the member name decides whether Python would import it.
 */
function moduleOf(member: string): string | null {
  const m = /(?:^|\/)([A-Za-z_][A-Za-z0-9_]*)(\.[^/]*)?\.(?:so|pyd)$/.exec(member);
  if (m === null || (m[1]!.startsWith("lib") && m[2] === undefined)) return null;
  return m[1]!;
}

/** The archs build-native.sh builds, as its LINUX / ANDROID tables key them (longest first, so x86_64 wins over x86). */
const BUILT_ARCHS = ["loongarch64", "ppc64le", "riscv64", "x86_64", "aarch64", "mips64", "armv7l", "armv6l", "s390x", "ppc64", "i686", "mips"];

function builtArch(file: string): string {
  const rest = file.replace(/^(?:ext|lib|exe)_(?:linux|android)_/, "");
  const arch = BUILT_ARCHS.find((a) => rest === a || rest.startsWith(`${a}_`));
  if (arch === undefined) throw new Error(`${file}: no arch in its name`);
  return arch;
}

/** PyInit_<module> as dlsym finds it: defined, global / weak / unique, default or protected (llvm-readelf --dyn-syms). */
function elfExportsInit(oracle: ElfOracle, module: string): boolean {
  return (oracle.dynsym?.symbols ?? []).some(
    (s) => s.name === `PyInit_${module}` && s.ndx !== "UND" && ["GLOBAL", "WEAK", "UNIQUE"].includes(s.bind) && ["DEFAULT", "PROTECTED"].includes(s.visibility),
  );
}

/** `GLIBC_2.N` → 2.N, the highest of the version needs llvm-readelf lists (manylinux compares 2.N only). */
function highestGlibc(oracle: ElfOracle): string | null {
  const minors = oracle.versionNeeds.flatMap((n) => n.versions).flatMap((v) => /^GLIBC_2\.(\d+)/.exec(v)?.[1] ?? []).map(Number);
  return minors.length === 0 ? null : `2.${Math.max(...minors)}`;
}

/** The API level: the first u32 (little-endian) of the NT_ANDROID_TYPE_IDENT descriptor llvm-readelf dumps. */
function androidApi(oracle: ElfOracle): string | null {
  const note = oracle.notes.find((n) => n.owner === "Android" && n.type === "NT_ANDROID_TYPE_IDENT");
  const data = note?.details.find((d) => d.startsWith("description data:"))?.replace("description data:", "").trim().split(/\s+/);
  if (data === undefined) return null;
  return String(data.slice(0, 4).reduce((v, byte, i) => v + parseInt(byte, 16) * 256 ** i, 0));
}

function elfExpected(f: NativeFixture): ImageReport {
  const oracle = readElfOracle(f.file);
  // Without section headers llvm-readelf prints no .dynsym or version needs: those come from the unstripped original.
  const symbols = f.strippedFrom === undefined ? oracle : readElfOracle(f.strippedFrom);
  const android = f.file.includes("_android_");
  const type = oracle.header.type.toLowerCase();
  return {
    arch: builtArch(f.file),
    platform: android ? "android" : "linux",
    minos: androidApi(oracle),
    type,
    loaded: type === "dyn" || type === "exec",
    initExported: moduleOf(f.member) === null ? null : elfExportsInit(symbols, moduleOf(f.member)!),
    libc: android ? "bionic" : f.file.includes("_musl") ? "musl" : "glibc",
    glibc: highestGlibc(symbols),
    hybrid: null,
  };
}

/** llvm-readobj's Machine, hybrid pseudo-machines included → the Windows tag and the hybrid kind. */
const PE_MACHINES: { [name: string]: [string, "arm64ec" | "arm64x" | null] } = {
  IMAGE_FILE_MACHINE_AMD64: ["win_amd64", null],
  IMAGE_FILE_MACHINE_I386: ["win32", null],
  IMAGE_FILE_MACHINE_ARM64: ["win_arm64", null],
  IMAGE_FILE_MACHINE_ARM64EC: ["win_amd64", "arm64ec"],
  IMAGE_FILE_MACHINE_ARM64X: ["win_arm64", "arm64x"],
};

function peExpected(f: NativeFixture): ImageReport {
  const oracle = readPeOracle(f.file);
  const [arch, hybrid] = PE_MACHINES[oracle.machine.name] ?? [`unknown ${oracle.machine.name}`, null];
  return {
    arch,
    platform: "windows",
    minos: null,
    type: (oracle.characteristics & 0x2000) !== 0 ? "dll" : "exe",
    loaded: true,
    initExported: moduleOf(f.member) === null ? null : oracle.exports.some((e) => e.name === `PyInit_${moduleOf(f.member)}`),
    libc: null,
    glibc: null,
    hybrid,
  };
}

function wasmExpected(f: NativeFixture): ImageReport {
  const oracle = readWasmOracle(f.file);
  const side = oracle.sections.some((s) => s.name === "dylink.0");
  const exportSection = oracle.yamlSections.find((s) => scalar(f.file, s.Type) === "EXPORT");
  const exports = exportSection === undefined ? [] : entries(f.file, exportSection.Exports);
  return {
    arch: "wasm32",
    platform: side ? "emscripten" : null,
    minos: null,
    type: side ? "side-module" : "module",
    loaded: true,
    initExported: moduleOf(f.member) === null ? null : exports.some((e) => scalar(f.file, e.Name) === `PyInit_${moduleOf(f.member)}` && scalar(f.file, e.Kind) === "FUNCTION"),
    libc: null,
    glibc: null,
    hybrid: null,
  };
}

const EXPECTED = { elf: elfExpected, pe: peExpected, wasm: wasmExpected };

describe.each(["elf", "pe", "wasm"] as const)("%s fixtures: the image facts agree with the oracle", (format) => {
  it.each(nativeFixtures(format).map((f) => ({ ...f, label: f.file })))("$label", (f) => {
    const report = analyzeBinary(f.member, readNativeFixture(format, f.file), { python2Only: false });
    expect(report).not.toBeNull();
    expect(report!.format).toBe(format);
    expect(report!.error).toBeNull();
    expect(report!.slices).toEqual([]);
    expect(report!.images).toEqual([EXPECTED[format](f)]);
    // The init symbol has no leading underscore outside Mach-O.
    expect(report!.initSymbol).toBe(moduleOf(f.member) === null ? null : `PyInit_${moduleOf(f.member)}`);
  });
});

describe("the extension module a file name makes", () => {
  it.each([
    ["pkg/_m.cp313-win_amd64.pyd", "_m"],
    ["pkg/_m.pyd", "_m"],
    ["pkg/_m.cpython-313-x86_64-linux-gnu.so", "_m"],
    ["pkg/_m.cpython-313-wasm32-emscripten.so", "_m"],
    ["pkg-1.0.data/scripts/tool.exe", null],
    ["pkg.libs/libfoo-5f3c1a2b.so.1", null],
    ["pkg/lib/libfoo.so", null], // a shared library by the linker's naming, not a module
    ["pkg/libfoo.cpython-313-x86_64-linux-gnu.so", "libfoo"], // with an interpreter tag it is one
  ])("%s → %s", (member, module) => {
    const report = analyzeBinary(member, readNativeFixture("pe", "ext_win_amd64.pyd"), { python2Only: false });
    expect(report?.module).toBe(module);
  });

  it("a Python-2-only wheel's ELF module must export init<mod> (no underscore)", () => {
    const report = analyzeBinary("pkg/_m.so", readNativeFixture("elf", "ext_linux_x86_64_glibc2.17.so"), { python2Only: true });
    expect(report?.initSymbol).toBe("init_m");
    expect(report?.images[0]?.initExported).toBe(false);
  });

  it("a malformed ELF is a report with its error and no images (R111 in a wheel)", () => {
    const report = analyzeBinary("pkg/_m.so", readNativeFixture("elf", "ext_linux_x86_64_glibc2.17.so").subarray(0, 100), { python2Only: false });
    expect(report).toMatchObject({ format: "elf", images: [] });
    expect(report?.error).toMatch(/offset/);
  });
});
