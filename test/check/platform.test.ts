// The binary and tag rules (R1xx, R2xx) on wheels built in memory from the committed Mach-O fixtures
// (test/fixtures/manifest.json): what a user sees from `retag check`, and what `retag` would write.
import { describe, expect, test } from "vitest";
import * as C from "../../src/macho/constants.js";
import { sniffBinary } from "../../src/macho/index.js";
import type { CheckOptions } from "../../src/model/results.js";
import type { Finding } from "../../src/model/findings.js";
import { readFixture } from "../helpers/fixtures.js";
import type { WheelSpec } from "../helpers/make-wheel.js";
import { buildFat, buildImage, lc, version } from "../macho/builder.js";
import { checkSpec, codesOf, elfHeader, peHeader } from "./check-helpers.js";

const EXT = "pkg/_m.cpython-313-darwin.so";
/** A second extension built as module _m (the fixtures export _PyInit__m): same module name, another folder. */
const SUB_EXT = "pkg/sub/_m.cpython-313-darwin.so";
const LDAP = "pkg/_ldap.cpython-313-darwin.so";
const DYLIB_X86 = "pkg/.dylibs/libbar.1.dylib";
const wheelName = (platform: string): string => `pkg-1.0-cp313-cp313-${platform}.whl`;
const fixture = (name: string) => ({ fixture: name });

/**
 * A fat file made as `llvm-lipo -create` makes one (slices aligned to 2^12 for x86_64 and 2^14 for
 * arm64) from two committed thin fixtures: no committed fixture has an arm64 slice above 11.0 next to
 * an x86_64 one, which the sorted-pair rule of DESIGN §3.5 needs.
 */
const fatX86_10_9_arm64_12_0 = buildFat([
  { bytes: readFixture("ext_x86_64_10.9.so"), align: 12 },
  { bytes: readFixture("ext_arm64_12.0.so"), align: 14 },
]).bytes;

/** A thin arm64 bundle exporting _PyInit__m with no LC_BUILD_VERSION / LC_VERSION_MIN_* (no fixture lacks one). */
const noVersionArm64 = buildImage({ cputype: C.CPU_TYPE_ARM64, filetype: C.MH_BUNDLE, exportTrie: { names: ["_PyInit__m"] } }).bytes;

/**
 * A bundle of the 10.4–10.6 era: 32-bit i386 / ppc (big-endian) or 64-bit x86_64, LC_VERSION_MIN_MACOSX,
 * _PyInit__m in the symbol table. No committed fixture has an i386 or ppc bundle; the legacy tag rows
 * (issue items 1 and 3) need them.
 */
function legacyBundle(cputype: number, major: number, minor: number): Uint8Array {
  return buildImage({
    bits: cputype === C.CPU_TYPE_X86_64 ? 64 : 32,
    little: cputype !== C.CPU_TYPE_POWERPC,
    cputype,
    cpusubtype: cputype === C.CPU_TYPE_POWERPC ? C.CPU_SUBTYPE_POWERPC_ALL : 3, // CPU_SUBTYPE_I386_ALL / CPU_SUBTYPE_X86_64_ALL
    filetype: C.MH_BUNDLE,
    commands: [lc.versionMin(C.LC_VERSION_MIN_MACOSX, version(major, minor), version(major, minor))],
    symbols: [{ name: "_PyInit__m" }],
  }).bytes;
}
const fatI386PpcX86_10_5 = buildFat([
  { bytes: legacyBundle(C.CPU_TYPE_I386, 10, 5) },
  { bytes: legacyBundle(C.CPU_TYPE_POWERPC, 10, 5) },
  { bytes: legacyBundle(C.CPU_TYPE_X86_64, 10, 5) },
]).bytes;
const fatI386X86_10_5 = buildFat([{ bytes: legacyBundle(C.CPU_TYPE_I386, 10, 5) }, { bytes: legacyBundle(C.CPU_TYPE_X86_64, 10, 5) }]).bytes;
const fatI386_10_6_X86_10_9 = buildFat([{ bytes: legacyBundle(C.CPU_TYPE_I386, 10, 6) }, { bytes: legacyBundle(C.CPU_TYPE_X86_64, 10, 9) }]).bytes;

interface Row {
  name: string;
  filename: string;
  members: NonNullable<WheelSpec["members"]>;
  options?: Partial<CheckOptions>;
  /** Every finding code the check reports, sorted: nothing more, nothing less. */
  codes: string[];
  expected: string[] | null;
  needsRewrite: boolean;
  expectedFilename: string | null;
  ok: boolean;
  /** Findings that must be among the results (compared field by field). */
  findings?: Array<Partial<Finding>>;
}

const rows: Row[] = [
  // R201: the claim names an arch some binary has no usable slice for.
  {
    name: "R201 universal2 wheel with a thin arm64 extension → arm64 at 11.0",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_arm64_11.0.so") },
    codes: ["R201"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_11_0_arm64"),
    ok: false,
    findings: [{ code: "R201", severity: "error", arch: "x86_64", member: EXT }],
  },
  {
    name: "R201 universal2 wheel with a thin x86_64 extension → x86_64 at 10.9",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_x86_64_10.9.so") },
    codes: ["R201"],
    expected: ["macosx_10_9_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_9_x86_64"),
    ok: false,
    findings: [{ code: "R201", arch: "arm64", member: EXT }],
  },
  {
    name: "R110 + R201 python-ldap: the x86_64 slice exports no PyInit, so universal2 → arm64",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [LDAP]: fixture("ext_universal2_x86_64_noinit.so") },
    codes: ["R110", "R201"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_11_0_arm64"),
    ok: false,
    findings: [
      { code: "R110", severity: "warning", arch: "x86_64", member: LDAP, data: { symbol: "_PyInit__ldap" } },
      { code: "R201", arch: "x86_64", member: LDAP },
    ],
  },
  {
    name: "a correct universal2 fat extension: ok, not rewritten",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_universal2.so") },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "a correct universal2 extension in a FAT_MAGIC_64 container",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_universal2_fat64.so") },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R205 arm64 wheel whose binary is fat: the claim is never widened, only reported",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_universal2.so") },
    codes: ["R205"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
    findings: [{ code: "R205", severity: "info", data: { widest: ["macosx_10_9_universal2"] } }],
  },
  {
    name: "R201 a wholly false claim (arm64, binary x86_64 only) gets the binary's arch",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_x86_64_10.9.so") },
    codes: ["R201"],
    expected: ["macosx_10_9_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_9_x86_64"),
    ok: false,
  },
  {
    name: "R201 intel claim over a universal2 binary narrows to x86_64 (i386 is missing, arm64 was never claimed)",
    filename: wheelName("macosx_10_9_intel"),
    members: { [EXT]: fixture("ext_universal2.so") },
    codes: ["R201"],
    expected: ["macosx_10_9_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_9_x86_64"),
    ok: false,
    findings: [{ code: "R201", arch: "i386" }],
  },
  {
    name: "a dylib and an executable count: all arm64 at 11.0 is ok",
    filename: wheelName("macosx_11_0_arm64"),
    members: {
      [EXT]: fixture("ext_arm64_11.0.so"),
      "pkg/.dylibs/libfoo.dylib": fixture("lib_rpath_arm64.dylib"),
      "pkg-1.0.data/scripts/tool": fixture("exe_arm64"),
    },
    codes: [],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R201 an arm64-only executable keeps a universal2 wheel from claiming x86_64",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_universal2.so"), "pkg-1.0.data/scripts/tool": fixture("exe_arm64") },
    codes: ["R201"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_11_0_arm64"),
    ok: false,
    findings: [{ code: "R201", arch: "x86_64", member: "pkg-1.0.data/scripts/tool" }],
  },

  // R202 / R204: versions.
  {
    name: "R202 x86_64 binary needing 10.13 in a 10_9 wheel → 10_13",
    filename: wheelName("macosx_10_9_x86_64"),
    members: { [EXT]: fixture("ext_x86_64_10.13.so") },
    codes: ["R202"],
    expected: ["macosx_10_13_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_13_x86_64"),
    ok: false,
    findings: [{ code: "R202", arch: "x86_64", data: { tag: "macosx_10_9_x86_64", needs: "10.13", tagVersion: "10.9" } }],
  },
  {
    name: "R202 x86_64 binary needing 11.0 in a 10_9 wheel → macosx_11_0_x86_64 (no arm64 implied)",
    filename: wheelName("macosx_10_9_x86_64"),
    members: { [EXT]: fixture("ext_x86_64_11.0.so") },
    codes: ["R202"],
    expected: ["macosx_11_0_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_11_0_x86_64"),
    ok: false,
  },
  {
    name: "R205 a 10_13 tag where 10_9 would do is kept",
    filename: wheelName("macosx_10_13_x86_64"),
    members: { [EXT]: fixture("ext_x86_64_10.9_buildversion.so") },
    codes: ["R205"],
    expected: ["macosx_10_13_x86_64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R202 + R204 arm64 needing 13.3 in an 11_0 wheel → 13_0 with a rounding warning",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_13.3.so") },
    codes: ["R202", "R204"],
    expected: ["macosx_13_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_13_0_arm64"),
    ok: false,
    findings: [{ code: "R204", severity: "warning", arch: "arm64", data: { needs: "13.3", tagged: "13.0" } }],
  },
  {
    name: "R202 + R204 round up: arm64 needing 13.3 → 14_0",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_13.3.so") },
    options: { round: "up" },
    codes: ["R202", "R204"],
    expected: ["macosx_14_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_14_0_arm64"),
    ok: false,
    findings: [{ code: "R204", data: { needs: "13.3", tagged: "14.0" } }],
  },
  {
    name: "R204 a 13_0 tag over a 13.3 binary is kept (honest as possible), with a warning",
    filename: wheelName("macosx_13_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_13.3.so") },
    codes: ["R204"],
    expected: ["macosx_13_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R202 round up: the same 13_0 tag promises 13.0 hosts the binary does not run on → 14_0",
    filename: wheelName("macosx_13_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_13.3.so") },
    options: { round: "up" },
    codes: ["R202", "R204"],
    expected: ["macosx_14_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_14_0_arm64"),
    ok: false,
  },
  {
    name: "an arm64 slice whose minos says 10.15 counts as 11.0",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_10.15.so") },
    codes: [],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "an arm64 slice at 10.15 is valid under a 10_9 universal2 tag (arm64 hosts all run 11+)",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: buildFat([{ bytes: readFixture("ext_x86_64_10.9.so"), align: 12 }, { bytes: readFixture("ext_arm64_10.15.so"), align: 14 }]).bytes },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R202 arm64 needing 12.0 next to x86_64 10.9 → the sorted pair, each at its own minimum",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fatX86_10_9_arm64_12_0 },
    codes: ["R202"],
    expected: ["macosx_10_9_x86_64", "macosx_12_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_9_x86_64.macosx_12_0_arm64"),
    ok: false,
    findings: [{ code: "R202", arch: "arm64", data: { tag: "macosx_10_9_universal2", needs: "12.0", tagVersion: "11.0" } }],
  },
  {
    name: "R202 x86_64 at 10.13 with arm64 at 11.0 stays universal2, at the x86_64 minimum",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: buildFat([{ bytes: readFixture("ext_x86_64_10.13.so"), align: 12 }, { bytes: readFixture("ext_arm64_11.0.so"), align: 14 }]).bytes },
    codes: ["R202"],
    expected: ["macosx_10_13_universal2"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_13_universal2"),
    ok: false,
    findings: [{ code: "R202", arch: "x86_64" }],
  },
  {
    name: "the sorted pair itself is valid and kept",
    filename: wheelName("macosx_10_9_x86_64.macosx_12_0_arm64"),
    members: { [EXT]: fatX86_10_9_arm64_12_0 },
    codes: [],
    expected: ["macosx_10_9_x86_64", "macosx_12_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },

  // R203: forms no installer accepts (parseWheelName accepts both names; the tag model rejects the tag).
  {
    name: "R203 macosx_12_3_arm64 → 12_0",
    filename: wheelName("macosx_12_3_arm64"),
    members: { [EXT]: fixture("ext_arm64_12.0.so") },
    codes: ["R203"],
    expected: ["macosx_12_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_12_0_arm64"),
    ok: false,
    findings: [{ code: "R203", data: { tag: "macosx_12_3_arm64" } }],
  },
  {
    name: "R203 macosx_110_0_arm64 (torch 2.10's spelling) → 11_0",
    filename: wheelName("macosx_110_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_11.0.so") },
    codes: ["R203"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_11_0_arm64"),
    ok: false,
  },
  {
    name: "R203 macosx_10_15_arm64: arm64 below 11 is installable nowhere",
    filename: wheelName("macosx_10_15_arm64"),
    members: { [EXT]: fixture("ext_arm64_11.0.so") },
    codes: ["R203"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_11_0_arm64"),
    ok: false,
  },

  // Issue item 1: fat3 (packaging 26.3's _mac_binary_formats) and fat32 (uv's BinaryFormat, packaging
  // ≤ 26.2) are one set; a rewrite writes neither spelling (DESIGN §3.5).
  {
    name: "fat3 over i386/ppc/x86_64 10.5 binaries is valid and kept (was R203 and a rewrite)",
    filename: wheelName("macosx_10_5_fat3"),
    members: { [EXT]: fatI386PpcX86_10_5 },
    // The widest set is spelled intel + ppc (DESIGN §3.5) but promises the same hosts: no R205.
    codes: [],
    expected: ["macosx_10_5_fat3"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "fat32 over the same binaries is valid and kept",
    filename: wheelName("macosx_10_5_fat32"),
    members: { [EXT]: fatI386PpcX86_10_5 },
    codes: [],
    expected: ["macosx_10_5_fat32"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R201 fat3 without a ppc slice → intel: a rewrite names the set in a form every installer takes",
    filename: wheelName("macosx_10_5_fat3"),
    members: { [EXT]: fatI386X86_10_5 },
    codes: ["R201"],
    expected: ["macosx_10_5_intel"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_5_intel"),
    ok: false,
    findings: [{ code: "R201", arch: "ppc" }],
  },

  // Issue item 2: macosx_16_0 … macosx_25_0 install on every macOS 26+ host (packaging mac_platforms,
  // uv compatible_tags count majors down to 11): valid and conservative, never lowered.
  {
    name: "macosx_16_0_arm64 over an 11.0 binary is kept, R205 at most (was R203 and a rewrite to 11_0)",
    filename: wheelName("macosx_16_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_11.0.so") },
    codes: ["R205"],
    expected: ["macosx_16_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
    findings: [{ code: "R205", severity: "info", data: { widest: ["macosx_11_0_arm64"] } }],
  },
  {
    name: "R201 macosx_16_0_universal2 over a thin arm64 binary → 26_0_arm64, what the claim promised, not 11_0",
    filename: wheelName("macosx_16_0_universal2"),
    members: { [EXT]: fixture("ext_arm64_11.0.so") },
    codes: ["R201"],
    expected: ["macosx_26_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_26_0_arm64"),
    ok: false,
  },

  // Issue item 3: i386 and x86_64 at different minimums (delocate's _pack_architectures packs intel on
  // equal versions only).
  {
    name: "macosx_10_9_intel over i386 10.6 + x86_64 10.9 is valid; the widest hint is the pair",
    filename: wheelName("macosx_10_9_intel"),
    members: { [EXT]: fatI386_10_6_X86_10_9 },
    codes: ["R205"],
    expected: ["macosx_10_9_intel"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
    findings: [{ code: "R205", data: { widest: ["macosx_10_6_i386", "macosx_10_9_x86_64"] } }],
  },
  {
    name: "R202 macosx_10_6_intel over i386 10.6 + x86_64 10.9 → the pair, not macosx_10_9_intel (which drops i386 on 10.6–10.8)",
    filename: wheelName("macosx_10_6_intel"),
    members: { [EXT]: fatI386_10_6_X86_10_9 },
    codes: ["R202"],
    expected: ["macosx_10_6_i386", "macosx_10_9_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_6_i386.macosx_10_9_x86_64"),
    ok: false,
    findings: [{ code: "R202", arch: "x86_64" }],
  },

  // R1xx: the binaries themselves.
  {
    name: "R102 the only slice exports no PyInit: no tag can be computed",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("noinit_arm64.so") },
    codes: ["R102"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R102", severity: "error", member: EXT, data: { symbol: "_PyInit__m" } }],
  },
  {
    name: "R103 a slice without a version command still counts (arm64 floor 11.0), with a warning",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: noVersionArm64 },
    codes: ["R103"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
    findings: [{ code: "R103", severity: "warning", arch: "arm64", member: EXT }],
  },
  {
    name: "R103 a versionless slice does not constrain the version: the other binary's 12.0 decides",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: noVersionArm64, [SUB_EXT]: fixture("ext_arm64_12.0.so") },
    codes: ["R103", "R202"],
    expected: ["macosx_12_0_arm64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_12_0_arm64"),
    ok: false,
  },
  {
    name: "R104 an iOS device extension in a macOS wheel",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_ios_arm64_13.0.so") },
    codes: ["R104", "R208"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R104", arch: "arm64", member: EXT, data: { platform: "ios" } }],
  },
  {
    name: "R104 a Mac Catalyst extension in a macOS wheel",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_maccatalyst_arm64_14.0.so") },
    codes: ["R104", "R208"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R104", data: { platform: "maccatalyst" } }],
  },
  {
    name: "R104 an iOS extension next to a good macOS one: that binary has no macOS slice",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_11.0.so"), [SUB_EXT]: fixture("ext_iossim_arm64_13.0.so") },
    codes: ["R104", "R208"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R104", member: SUB_EXT, data: { platform: "iossimulator" } }],
  },
  {
    name: "R105 arm64e / x86_64h slices do not stand in for arm64 / x86_64",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_arm64e_x86_64h.so") },
    codes: ["R105", "R208"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [
      { code: "R105", arch: "arm64e", member: EXT },
      { code: "R105", arch: "x86_64h", member: EXT },
    ],
  },
  {
    name: "R106 an ELF and a PE file in a macOS wheel (the Mach-O extension alone decides the tag)",
    filename: wheelName("macosx_11_0_arm64"),
    members: {
      [EXT]: fixture("ext_arm64_11.0.so"),
      "pkg/_l.cpython-313-x86_64-linux-gnu.so": { native: "ext_linux_x86_64_glibc2.17.so" },
      "pkg/_w.cp313-win_amd64.pyd": { native: "ext_win_amd64.pyd" },
    },
    // Their suffixes are not macOS's either (R303): macOS Python would never look for them.
    codes: ["R106", "R303"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [
      { code: "R106", severity: "error", member: "pkg/_l.cpython-313-x86_64-linux-gnu.so" },
      { code: "R106", severity: "error", member: "pkg/_w.cp313-win_amd64.pyd" },
    ],
  },
  {
    name: "R107 an object file and static archives are listed, never counted",
    filename: wheelName("macosx_11_0_arm64"),
    members: {
      [EXT]: fixture("ext_arm64_11.0.so"),
      "pkg/_m.o": fixture("obj_arm64.o"),
      "pkg/_i.o": fixture("obj_i386.o"),
      "pkg/lib/libm.a": fixture("archive_arm64.a"),
      "pkg/lib/libfat.a": fixture("archive_fat.a"),
    },
    codes: ["R107"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
    findings: [
      { code: "R107", severity: "info", member: "pkg/_m.o" },
      { code: "R107", member: "pkg/_i.o" },
      { code: "R107", member: "pkg/lib/libm.a" },
      { code: "R107", member: "pkg/lib/libfat.a" },
    ],
  },
  {
    name: "a Java class file shares 0xcafebabe but is not Mach-O (DESIGN §3.1)",
    filename: wheelName("macosx_10_9_universal2"),
    // magic, minor_version 0, major_version 52 (Java 8): the u32 after the magic is 52, no slice count.
    members: { [EXT]: fixture("ext_universal2.so"), "pkg/data/Foo.class": Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0x10]) },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R101 a truncated Mach-O: reported, and no tag is computed",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: readFixture("ext_arm64_11.0.so").subarray(0, 100) },
    codes: ["R101"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R101", member: EXT }],
  },

  // Options that add binary rules.
  {
    name: "R108 a 10.13 binary above macosTarget 10.9; the target never lowers the tag",
    filename: wheelName("macosx_10_9_x86_64"),
    members: { [EXT]: fixture("ext_x86_64_10.13.so") },
    options: { macosTarget: "10.9" },
    codes: ["R108", "R202"],
    expected: ["macosx_10_13_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_13_x86_64"),
    ok: false,
    findings: [{ code: "R108", severity: "error", arch: "x86_64", member: EXT, data: { minos: "10.13", target: "10.9" } }],
  },
  {
    name: "macosTarget 10.9: the 11.0 arm64 slice of a universal2 build is within target (arm64 starts at 11)",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_universal2.so") },
    options: { macosTarget: "10.9" },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "macosTarget 10.13 is a floor: a 10.9 binary in a 10_9 wheel is tagged 10_13",
    filename: wheelName("macosx_10_9_x86_64"),
    members: { [EXT]: fixture("ext_x86_64_10.9.so") },
    options: { macosTarget: "10.13" },
    codes: ["R202"],
    expected: ["macosx_10_13_x86_64"],
    needsRewrite: true,
    expectedFilename: wheelName("macosx_10_13_x86_64"),
    ok: false,
    findings: [{ code: "R202", data: { tag: "macosx_10_9_x86_64", needs: "10.13", tagVersion: "10.9", target: "10.13" } }],
  },
  {
    name: "R109 requireArchs arm64,x86_64 with a thin arm64 binary",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [EXT]: fixture("ext_arm64_11.0.so") },
    options: { requireArchs: ["arm64", "x86_64"] },
    codes: ["R109"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R109", arch: "x86_64", member: EXT }],
  },
  {
    name: "requireArchs arm64,x86_64 met by a universal2 binary",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_universal2.so") },
    options: { requireArchs: ["arm64", "x86_64"] },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R109 a slice without PyInit does not meet requireArchs",
    filename: wheelName("macosx_11_0_arm64"),
    members: { [LDAP]: fixture("ext_universal2_x86_64_noinit.so") },
    options: { requireArchs: ["arm64", "x86_64"] },
    codes: ["R109", "R110"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },

  // R206–R209: what kind of wheel it is.
  {
    name: "R206 a platform wheel with only Python files: not retagged",
    filename: wheelName("macosx_11_0_arm64"),
    members: { "pkg/__init__.py": "", "pkg/core.py": "x = 1\n" },
    codes: ["R206"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
    findings: [{ code: "R206", severity: "warning" }],
  },
  {
    name: "R206 only an object file is no native code at run time",
    filename: wheelName("macosx_11_0_arm64"),
    members: { "pkg/_m.o": fixture("obj_arm64.o") },
    codes: ["R107", "R206"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R207 a py3-none-any wheel with a Mach-O extension",
    filename: "pkg-1.0-py3-none-any.whl",
    members: { "pkg/_m.so": fixture("ext_arm64_11.0.so") },
    codes: ["R207"],
    expected: ["any"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R207", severity: "error", member: "pkg/_m.so" }],
  },
  {
    name: "R207 a py3-none-any wheel with a vendored dylib",
    filename: "pkg-1.0-py3-none-any.whl",
    members: { [DYLIB_X86]: fixture("lib_libsystem_x86_64.dylib") },
    codes: ["R207"],
    expected: ["any"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R107 not R207: a static archive in a py3-none-any wheel is never loaded (DESIGN §3.1)",
    filename: "pkg-1.0-py3-none-any.whl",
    members: { "pkg/lib/libm.a": fixture("archive_arm64.a"), "pkg/_m.o": fixture("obj_arm64.o") },
    codes: ["R107"],
    expected: ["any"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R207 an ELF file in a py3-none-any wheel",
    filename: "pkg-1.0-py3-none-any.whl",
    members: { "pkg/_l.so": elfHeader() },
    codes: ["R207"],
    expected: ["any"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "no R207 for Windows launchers in a py3-none-any wheel (setuptools ships cli-64.exe, distlib t64.exe)",
    filename: "pkg-1.0-py3-none-any.whl",
    members: { "setuptools/cli-64.exe": peHeader(), "pip/_vendor/distlib/t64.exe": peHeader(), "pkg/tool": elfHeader() },
    codes: [],
    expected: ["any"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R207 a file named like an extension module (.so) that is a PE image, in a py3-none-any wheel",
    filename: "pkg-1.0-py3-none-any.whl",
    members: { "pkg/_w.so": peHeader() },
    codes: ["R207"],
    expected: ["any"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "a vendored library named lib*.so under .dylibs/ is not an extension module (no PyInit needed)",
    filename: wheelName("macosx_11_0_arm64"),
    members: { "pkg/_m.cpython-313-darwin.so": fixture("ext_arm64_11.0.so"), "pkg/.dylibs/libfoo.so": fixture("lib_rpath_arm64.dylib") },
    codes: [],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "a py3-none-any wheel with Python only: ok",
    filename: "pkg-1.0-py3-none-any.whl",
    members: { "pkg/__init__.py": "" },
    codes: [],
    expected: ["any"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R208 an arm64-only extension next to an x86_64-only dylib",
    filename: wheelName("macosx_10_9_universal2"),
    members: { [EXT]: fixture("ext_arm64_11.0.so"), [DYLIB_X86]: fixture("lib_libsystem_x86_64.dylib") },
    codes: ["R208"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R208", severity: "error", data: { [EXT]: ["arm64"], [DYLIB_X86]: ["x86_64"] } }],
  },
  {
    name: "R209 a platform no family models (FreeBSD): only the common checks run",
    filename: wheelName("freebsd_14_0_amd64"),
    members: { "pkg/_m.so": { native: "ext_linux_x86_64_glibc2.17.so" } },
    codes: ["R209"],
    expected: ["freebsd_14_0_amd64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
    findings: [{ code: "R209", severity: "info", data: { tags: ["freebsd_14_0_amd64"] } }],
  },
  {
    name: "R209 tags of two families in one name: no family's rules apply",
    filename: wheelName("macosx_11_0_arm64.win_amd64"),
    members: { [EXT]: fixture("ext_arm64_11.0.so") },
    codes: ["R209"],
    expected: ["macosx_11_0_arm64", "win_amd64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "an iOS wheel is judged by the iOS model, not the macOS one (its slice is not foreign there)",
    filename: wheelName("ios_13_0_arm64_iphoneos"),
    members: { "pkg/_m.cpython-313-iphoneos.so": fixture("ext_ios_arm64_13.0.so") },
    codes: [],
    expected: ["ios_13_0_arm64_iphoneos"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
];

describe("check rules on binaries and platform tags", () => {
  test.each(rows)("$name", async (row) => {
    const result = await checkSpec({ filename: row.filename, members: row.members }, row.options);
    expect(codesOf(result)).toEqual(row.codes);
    expect(result.tags.expected).toEqual(row.expected);
    expect(result.needsRewrite).toBe(row.needsRewrite);
    expect(result.expectedFilename).toBe(row.expectedFilename);
    expect(result.ok).toBe(row.ok);
    for (const wanted of row.findings ?? []) expect(result.findings).toContainEqual(expect.objectContaining(wanted));
  });
});

describe("what the check says beyond codes", () => {
  test("sniffBinary recognises the hand-made ELF and PE headers the R106 rows use", () => {
    expect(sniffBinary(elfHeader())).toBe("elf");
    expect(sniffBinary(peHeader())).toBe("pe");
  });

  test("tags.widest is reported separately from what fix mode writes", async () => {
    const result = await checkSpec({ filename: wheelName("macosx_11_0_arm64"), members: { [EXT]: fixture("ext_universal2.so") } });
    expect(result.tags).toEqual({ current: ["macosx_11_0_arm64"], expected: ["macosx_11_0_arm64"], widest: ["macosx_10_9_universal2"] });
  });

  test("R201 names every binary that lacks the arch", async () => {
    const result = await checkSpec({
      filename: wheelName("macosx_10_9_universal2"),
      members: {
        [SUB_EXT]: fixture("ext_arm64_11.0.so"),
        "pkg/_m.cpython-313-darwin.so": fixture("ext_universal2.so"),
        "pkg/.dylibs/libfoo.dylib": fixture("lib_rpath_arm64.dylib"),
      },
    });
    const r201 = result.findings.filter((f) => f.code === "R201");
    expect(r201).toHaveLength(1);
    expect(r201[0]?.data["members"]).toEqual([SUB_EXT, "pkg/.dylibs/libfoo.dylib"]);
    expect(result.tags.expected).toEqual(["macosx_11_0_arm64"]);
  });

  test("the binaries are reported with their slices and PyInit verdicts", async () => {
    const result = await checkSpec({ filename: wheelName("macosx_10_9_universal2"), members: { [LDAP]: fixture("ext_universal2_x86_64_noinit.so") } });
    expect(result.binaries).toHaveLength(1);
    const [binary] = result.binaries;
    expect(binary).toMatchObject({ member: LDAP, kind: "fat", container: "fat", module: "_ldap", initSymbol: "_PyInit__ldap", error: null });
    expect(binary?.slices.map((s) => [s.arch, s.minos, s.pyinit])).toEqual([
      ["x86_64", "10.9", false],
      ["arm64", "11.0", true],
    ]);
  });

  test("a synthetic image with an explicit macOS version command is not R103 (the R103 row is about the missing command)", async () => {
    const withVersion = buildImage({
      cputype: C.CPU_TYPE_ARM64,
      commands: [lc.buildVersion(C.PLATFORM_MACOS, version(11), version(14))],
      exportTrie: { names: ["_PyInit__m"] },
    }).bytes;
    const result = await checkSpec({ filename: wheelName("macosx_11_0_arm64"), members: { [EXT]: withVersion } });
    expect(codesOf(result)).toEqual([]);
  });
});
