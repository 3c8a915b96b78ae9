// iOS wheels (PEP 730, DESIGN §3.7): each loaded slice's platform (device or simulator) and arch
// against the tag, the minimum iOS with significant minors, init exports, no plain dylibs, suffixes;
// fix mode raises the version and corrects the SDK / arch when every binary agrees on another.
import { describe, it } from "vitest";
import * as C from "../../src/macho/constants.js";
import { buildFat, buildImage, lc, version } from "../macho/builder.js";
import { macho, native, runRow, type FamilyRow } from "./rows.js";

const DEVICE = "pkg/_m.cpython-313-iphoneos.so";
const SIM = "pkg/_m.cpython-313-iphonesimulator.so";

/** A bundle exporting _PyInit__m with the given load commands (no committed fixture has these shapes). */
function bundle(cputype: number, commands: ReturnType<typeof lc.buildVersion>[]): Uint8Array {
  return buildImage({ cputype, filetype: C.MH_BUNDLE, commands, exportTrie: { names: ["_PyInit__m"] } }).bytes;
}
const device = (minos: number, extra: ReturnType<typeof lc.buildVersion>[] = []) => bundle(C.CPU_TYPE_ARM64, [lc.buildVersion(C.PLATFORM_IOS, minos, version(17)), ...extra]);

const rows: FamilyRow[] = [
  { name: "a device extension at 13.0 in ios_13_0_arm64_iphoneos", platform: "ios_13_0_arm64_iphoneos", members: { [DEVICE]: macho("ext_ios_arm64_13.0.so") }, codes: [], expected: ["ios_13_0_arm64_iphoneos"] },
  {
    name: "a 13.4 device extension under ios_13_0: the minor counts (R202), raised to 13_4",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [DEVICE]: macho("ext_ios_arm64_13.4.so") },
    codes: ["R202"],
    expected: ["ios_13_4_arm64_iphoneos"],
    rewrite: "pkg-1.0-cp313-cp313-ios_13_4_arm64_iphoneos.whl",
    findings: [{ code: "R202", data: { tag: "ios_13_0_arm64_iphoneos", needs: "13.4", tagVersion: "13.0" } }],
  },
  { name: "a 13.4 device extension under ios_13_4", platform: "ios_13_4_arm64_iphoneos", members: { [DEVICE]: macho("ext_ios_arm64_13.4.so") }, codes: [], expected: ["ios_13_4_arm64_iphoneos"] },
  {
    name: "a 13.0 extension under ios_15_0: valid, and conservative (R205)",
    platform: "ios_15_0_arm64_iphoneos",
    members: { [DEVICE]: macho("ext_ios_arm64_13.0.so") },
    codes: ["R205"],
    expected: ["ios_15_0_arm64_iphoneos"],
    findings: [{ code: "R205", data: { widest: ["ios_13_0_arm64_iphoneos"] } }],
  },
  {
    name: "a simulator build tagged iphoneos: R201, rewritten to the simulator tag its suffix already names",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [SIM]: macho("ext_iossim_arm64_13.0.so") },
    codes: ["R201"],
    expected: ["ios_13_0_arm64_iphonesimulator"],
    rewrite: "pkg-1.0-cp313-cp313-ios_13_0_arm64_iphonesimulator.whl",
  },
  {
    name: "a fat simulator build under the arm64 simulator tag: valid, narrower than both simulator archs (R205)",
    platform: "ios_13_0_arm64_iphonesimulator",
    members: { [SIM]: macho("ext_iossim_fat_13.0.so") },
    codes: ["R205"],
    expected: ["ios_13_0_arm64_iphonesimulator"],
  },
  {
    name: "a fat simulator build under both simulator tags",
    platform: "ios_13_0_arm64_iphonesimulator.ios_13_0_x86_64_iphonesimulator",
    members: { [SIM]: macho("ext_iossim_fat_13.0.so") },
    codes: [],
    expected: ["ios_13_0_arm64_iphonesimulator", "ios_13_0_x86_64_iphonesimulator"],
  },
  {
    name: "an arm64-only simulator build under both simulator tags: the x86_64 promise is dropped",
    platform: "ios_13_0_arm64_iphonesimulator.ios_13_0_x86_64_iphonesimulator",
    members: { [SIM]: macho("ext_iossim_arm64_13.0.so") },
    codes: ["R201"],
    expected: ["ios_13_0_arm64_iphonesimulator"],
    rewrite: "pkg-1.0-cp313-cp313-ios_13_0_arm64_iphonesimulator.whl",
  },
  {
    name: "device and simulator extensions together: no pair in every binary (R208)",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [DEVICE]: macho("ext_ios_arm64_13.0.so"), "pkg/sub/_m.cpython-313-iphoneos.so": macho("ext_iossim_arm64_13.0.so") },
    codes: ["R208"],
    expected: null,
  },
  // Foreign Apple platforms.
  { name: "a macOS slice in an iOS wheel", platform: "ios_13_0_arm64_iphoneos", members: { [DEVICE]: macho("ext_arm64_11.0.so") }, codes: ["R104", "R208"], expected: null, findings: [{ code: "R104", data: { platform: "macos" } }] },
  { name: "a Mac Catalyst slice in an iOS wheel", platform: "ios_14_0_arm64_iphoneos", members: { [DEVICE]: macho("ext_maccatalyst_arm64_14.0.so") }, codes: ["R104", "R208"], expected: null },
  { name: "an iOS slice in a macOS wheel (R104 there, as before)", platform: "macosx_11_0_arm64", members: { "pkg/_m.cpython-313-darwin.so": macho("ext_ios_arm64_13.0.so") }, codes: ["R104", "R208"], expected: null },
  // Plain dylibs (the Pillow case).
  {
    name: "a .dylib in an iOS wheel: R113, apps load frameworks only",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [DEVICE]: macho("ext_ios_arm64_13.0.so"), "pkg/lib/libfoo.dylib": macho("lib_ios_arm64_13.0.dylib") },
    codes: ["R113"],
    expected: null,
  },
  {
    name: "an extension that loads a dylib from the build machine (Pillow 11.3.0): R113",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [DEVICE]: device(version(13), [lc.dylib(C.LC_LOAD_DYLIB, "/Users/runner/work/Pillow/build/deps/iphoneos/lib/libjpeg.62.dylib")]) },
    codes: ["R113"],
    expected: null,
    findings: [{ code: "R113", data: { library: "/Users/runner/work/Pillow/build/deps/iphoneos/lib/libjpeg.62.dylib" } }],
  },
  {
    name: "system libraries and frameworks are fine to load",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [DEVICE]: device(version(13), [lc.dylib(C.LC_LOAD_DYLIB, "/usr/lib/libSystem.B.dylib"), lc.dylib(C.LC_LOAD_DYLIB, "@rpath/Foo.framework/Foo")]) },
    codes: [],
    expected: ["ios_13_0_arm64_iphoneos"],
  },
  // Versions the facts cannot say, or tags cannot.
  {
    name: "a 13.4.1 minimum: R204, tagged 13_4 (rounding down)",
    platform: "ios_13_4_arm64_iphoneos",
    members: { [DEVICE]: device(version(13, 4, 1)) },
    codes: ["R204"],
    expected: ["ios_13_4_arm64_iphoneos"],
  },
  {
    name: "a 13.4.1 minimum with --round up: ios_13_4 is too old, 13_5 is written",
    platform: "ios_13_4_arm64_iphoneos",
    members: { [DEVICE]: device(version(13, 4, 1)) },
    options: { round: "up" },
    codes: ["R202"],
    expected: ["ios_13_5_arm64_iphoneos"],
    rewrite: "pkg-1.0-cp313-cp313-ios_13_5_arm64_iphoneos.whl",
  },
  {
    name: "no version command: R103, counted for either SDK, no widest version offered",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [DEVICE]: bundle(C.CPU_TYPE_ARM64, []) },
    codes: ["R103"],
    expected: ["ios_13_0_arm64_iphoneos"],
  },
  {
    name: "an x86_64 slice with LC_VERSION_MIN_IPHONEOS is a simulator build (before Xcode 11)",
    platform: "ios_12_0_x86_64_iphonesimulator",
    members: { [SIM]: bundle(C.CPU_TYPE_X86_64, [lc.versionMin(C.LC_VERSION_MIN_IPHONEOS, version(12), version(13))]) },
    codes: [],
    expected: ["ios_12_0_x86_64_iphonesimulator"],
  },
  // Tags no installer matches.
  {
    name: "ios_11_0 is below what installers accept: R203, written at the binaries' 13.0",
    platform: "ios_11_0_arm64_iphoneos",
    members: { [DEVICE]: macho("ext_ios_arm64_13.0.so") },
    codes: ["R203"],
    expected: ["ios_13_0_arm64_iphoneos"],
    rewrite: "pkg-1.0-cp313-cp313-ios_13_0_arm64_iphoneos.whl",
  },
  {
    name: "x86_64_iphoneos names no host: R203, rewritten to the x86_64 simulator the binary is for",
    platform: "ios_13_0_x86_64_iphoneos",
    members: { [SIM]: macho("ext_iossim_x86_64_13.0.so") },
    codes: ["R203"],
    expected: ["ios_13_0_x86_64_iphonesimulator"],
    rewrite: "pkg-1.0-cp313-cp313-ios_13_0_x86_64_iphonesimulator.whl",
  },
  {
    name: "an arm64e-only device build: no PEP 730 tag names it (R208)",
    platform: "ios_13_0_arm64_iphoneos",
    members: { [DEVICE]: buildFat([{ bytes: buildImage({ cputype: C.CPU_TYPE_ARM64, cpusubtype: 2, filetype: C.MH_BUNDLE, commands: [lc.buildVersion(C.PLATFORM_IOS, version(13), version(17))], exportTrie: { names: ["_PyInit__m"] } }).bytes }]).bytes },
    codes: ["R208"],
    expected: null,
  },
  // Suffixes and other formats.
  { name: "a device extension named for the simulator", platform: "ios_13_0_arm64_iphoneos", members: { [SIM]: macho("ext_ios_arm64_13.0.so") }, codes: ["R303"], expected: ["ios_13_0_arm64_iphoneos"] },
  { name: "a macOS suffix in an iOS wheel", platform: "ios_13_0_arm64_iphoneos", members: { "pkg/_m.cpython-313-darwin.so": macho("ext_ios_arm64_13.0.so") }, codes: ["R303"], expected: ["ios_13_0_arm64_iphoneos"] },
  { name: "an ELF in an iOS wheel", platform: "ios_13_0_arm64_iphoneos", members: { [DEVICE]: native("ext_linux_aarch64_glibc2.17.so") }, codes: ["R106"], expected: null },
  { name: "no Mach-O at all", platform: "ios_13_0_arm64_iphoneos", members: { "pkg/a.py": "" }, codes: ["R206"], expected: ["ios_13_0_arm64_iphoneos"] },
];

describe("iOS wheels", () => {
  it.each(rows.map((r) => ({ ...r, label: r.name })))("$label", async (row) => {
    await runRow(row);
  });
});
