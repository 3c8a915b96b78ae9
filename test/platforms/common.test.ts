// The rules every wheel gets (DESIGN §3.6, §3.7): which family judges a tag set, extension suffixes
// of every format, R207 for every format, R015 as information, compressed WHEEL Tag lines (R021),
// WHEEL-only repairs that keep the file name, and R205 without version facts.
import { describe, expect, it } from "vitest";
import * as C from "../../src/macho/constants.js";
import { extensionSuffix } from "../../src/platforms/common.js";
import { rulesFor } from "../../src/platforms/index.js";
import { openZip } from "../../src/zip/index.js";
import { memorySource } from "../../src/zip/index.js";
import { checkSpec, codesOf } from "../check/check-helpers.js";
import { readMemberBytes, retagBytes } from "../helpers/core.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { buildFat, buildImage } from "../macho/builder.js";
import { macho, native } from "./rows.js";

describe("which family's rules judge a wheel", () => {
  it.each([
    [["any"], "pure"],
    [["macosx_11_0_arm64"], "macos"],
    [["ios_13_0_arm64_iphoneos"], "ios"],
    [["ios_13_0_x86_64_iphoneos"], "ios"], // not a PEP 730 pair: iOS's rules say so (R203)
    [["android_21_arm64_v8a"], "android"],
    [["manylinux_2_17_x86_64", "manylinux2014_x86_64"], "linux"],
    [["musllinux_1_2_aarch64"], "linux"],
    [["linux_armv6l"], "linux"],
    [["manylinux1_i686"], "linux"],
    [["win_amd64"], "windows"],
    [["win32"], "windows"],
    [["pyodide_2024_0_wasm32"], "wasm"],
    [["emscripten_3_1_58_wasm32"], "wasm"],
    [["pyemscripten_2025_0_wasm32"], "wasm"],
    [["freebsd_14_0_amd64"], "other"],
    [["macosx_11_0_arm64", "win_amd64"], "other"], // two families in one name
  ])("%j → %s", (tags, family) => {
    expect(rulesFor(tags).family).toBe(family);
  });
});

describe("extension suffixes of every format", () => {
  it.each([
    ["pkg/_m.cpython-313-darwin.so", { kind: "so", python: "cp313", abi: "cp313", platform: "darwin" }],
    ["pkg/_m.cpython-313t-x86_64-linux-gnu.so", { kind: "so", python: "cp313", abi: "cp313t", platform: "x86_64-linux-gnu" }],
    ["pkg/_m.cpython-313-iphonesimulator.so", { kind: "so", platform: "iphonesimulator" }],
    ["pkg/_m.cpython-313-aarch64-linux-android.so", { kind: "so", platform: "aarch64-linux-android" }],
    ["pkg/_m.cpython-312-wasm32-emscripten.so", { kind: "so", python: "cp312", platform: "wasm32-emscripten" }],
    ["pkg/_m.cp313-win_amd64.pyd", { kind: "pyd", python: "cp313", abi: "cp313", platform: "win_amd64" }],
    ["pkg/_m.cp313t-win_arm64.pyd", { kind: "pyd", abi: "cp313t", platform: "win_arm64" }],
    ["pkg/_m.pypy310-pp73-x86_64-linux-gnu.so", { kind: "so", python: null, abi: null, platform: "x86_64-linux-gnu" }],
    ["pkg/_m.abi3.so", { kind: "so", abi: "abi3", platform: null }],
    ["pkg/_m.pyd", { kind: "pyd", python: null, platform: null }],
    ["pkg/_m.so", { kind: "so", python: null, platform: null }],
    ["pkg/_m.py", null],
  ])("%s", (member, expected) => {
    const s = extensionSuffix(member);
    if (expected === null) expect(s).toBeNull();
    else expect(s).toMatchObject(expected);
  });
});

describe("R207: native code in a pure wheel, of every format", () => {
  const pure = "pkg-1.0-py3-none-any.whl";
  it.each([
    ["a Windows .pyd (it passed before)", { "pkg/_m.pyd": native("ext_win_amd64_abi3.pyd") }, ["R207"]],
    // (A cp313 suffix in a py3-none wheel is R301 as well.)
    ["a versioned .pyd", { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64.pyd") }, ["R207", "R301"]],
    ["an ELF extension", { "pkg/_m.cpython-313-x86_64-linux-gnu.so": native("ext_linux_x86_64_glibc2.17.so") }, ["R207", "R301"]],
    ["a wasm extension", { "pkg/_m.so": native("ext_emscripten_wasm32.so") }, ["R207"]],
    ["a Mach-O dylib", { "pkg/lib/libfoo.dylib": macho("lib_rpath_arm64.dylib") }, ["R207"]],
    ["setuptools' Windows launcher is data", { "setuptools/cli-64.exe": native("exe_win_amd64.exe") }, []],
    ["a Linux executable is data", { "pkg/bin/tool": native("exe_linux_x86_64") }, []],
    ["a shared library named lib*.so is data", { "pkg/lib/libfoo.so": native("lib_emscripten_wasm32_libfoo.so") }, []],
  ])("%s", async (_label, members, codes) => {
    expect(codesOf(await checkSpec({ filename: pure, members }))).toEqual(codes);
  });
});

const AUDITWHEEL = "pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
const LINUX_EXT = { "pkg/_m.cpython-313-x86_64-linux-gnu.so": native("ext_linux_x86_64_glibc2.17.so") };

async function wheelText(bytes: Uint8Array): Promise<string> {
  const archive = await openZip(memorySource(bytes));
  const member = archive.members.find((m) => m.name.endsWith(".dist-info/WHEEL"))!;
  return new TextDecoder().decode(await readMemberBytes(archive, member));
}

describe("WHEEL Tag lines and the file name", () => {
  it("R015 is information: --strict passes auditwheel's order", async () => {
    const result = await checkSpec({ filename: AUDITWHEEL, members: LINUX_EXT }, { strict: true });
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([["R015", "info"]]);
    expect(result.ok).toBe(true);
  });

  it("a WHEEL-only repair (R011) keeps the file name as it is, in auditwheel's order", async () => {
    const wheel = await makeWheel({ filename: AUDITWHEEL, members: LINUX_EXT, tags: ["cp313-cp313-manylinux_2_17_x86_64"] });
    const fixed = await retagBytes(wheel.filename, wheel.bytes);
    expect(fixed.check.expectedFilename).toBe(AUDITWHEEL);
    expect(fixed.action).toBe("rewritten");
    expect(fixed.filename).toBe(AUDITWHEEL);
    expect(fixed.reasons.map((f) => f.code)).toEqual(["R011"]);
    expect(await wheelText(fixed.bytes!)).toContain("Tag: cp313-cp313-manylinux2014_x86_64\nTag: cp313-cp313-manylinux_2_17_x86_64\n");
  });

  it("a rewrite for --rehash alone keeps the file name too", async () => {
    const wheel = await makeWheel({ filename: AUDITWHEEL, members: { ...LINUX_EXT, "pkg/a.py": "x = 1\n" }, record: (rows) => rows.filter((r) => r[0] !== "pkg/a.py") });
    const fixed = await retagBytes(wheel.filename, wheel.bytes, { rehash: true });
    expect(fixed.action).toBe("rewritten");
    expect(fixed.filename).toBe(AUDITWHEEL);
  });

  it("a compressed Tag line is R021, a warning; fix mode writes the lines expanded and keeps the name", async () => {
    const spec = { filename: AUDITWHEEL, members: LINUX_EXT, tags: ["cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64"] };
    const result = await checkSpec(spec);
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([
      ["R015", "info"],
      ["R021", "warning"],
    ]);
    expect(result.findings[1]?.data).toEqual({ lines: ["cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64"] });
    expect(result.ok).toBe(true);
    expect(result.needsRewrite).toBe(true);
    const wheel = await makeWheel(spec);
    const fixed = await retagBytes(wheel.filename, wheel.bytes);
    expect(fixed.action).toBe("rewritten");
    expect(fixed.filename).toBe(AUDITWHEEL);
    const text = await wheelText(fixed.bytes!);
    expect(text.match(/^Tag: .*$/gm)).toEqual(["Tag: cp313-cp313-manylinux2014_x86_64", "Tag: cp313-cp313-manylinux_2_17_x86_64"]);
  });

  it("a compressed Tag line naming other tags is R011", async () => {
    const result = await checkSpec({ filename: AUDITWHEEL, members: LINUX_EXT, tags: ["cp313-cp313-manylinux_2_17_x86_64.manylinux_2_28_x86_64"] });
    expect(codesOf(result)).toEqual(["R011", "R015"]);
  });
});

describe("R205 offers no widest tag when the slices carry no version facts", () => {
  const noVersion = (cputype: number) =>
    buildImage({ bits: cputype === C.CPU_TYPE_X86_64 ? 64 : 32, cputype, cpusubtype: 3, filetype: C.MH_BUNDLE, symbols: [{ name: "_PyInit__m" }] }).bytes;
  it("an i386 + x86_64 bundle without version commands under macosx_10_9_x86_64: no macosx_10_4_intel", async () => {
    const fat = buildFat([{ bytes: noVersion(C.CPU_TYPE_I386) }, { bytes: noVersion(C.CPU_TYPE_X86_64) }]).bytes;
    const result = await checkSpec({ filename: "pkg-1.0-cp313-cp313-macosx_10_9_x86_64.whl", members: { "pkg/_m.cpython-313-darwin.so": fat } });
    expect(codesOf(result)).toEqual(["R103"]);
    expect(result.tags.widest).toEqual([]);
    expect(result.tags.expected).toEqual(["macosx_10_9_x86_64"]);
  });
});
