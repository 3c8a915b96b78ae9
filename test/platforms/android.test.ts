// Android wheels (PEP 738, DESIGN §3.7): the ABI from the ELF machine and class, bionic rather than
// glibc or musl, the API level from `.note.android.ident`, init exports and suffixes; fix mode raises
// the API level and replaces the ABI when every binary agrees on another.
import { describe, it } from "vitest";
import { macho, native, runRow, type FamilyRow } from "./rows.js";

const ARM64 = "pkg/_m.cpython-313-aarch64-linux-android.so";

/** Each NDK fixture at API 21 in the wheel of its own ABI. */
const perAbi: FamilyRow[] = [
  ["ext_android_aarch64_21.so", "arm64_v8a", "aarch64-linux-android"],
  ["ext_android_armv7l_21.so", "armeabi_v7a", "arm-linux-androideabi"],
  ["ext_android_i686_21.so", "x86", "i686-linux-android"],
  ["ext_android_x86_64_21.so", "x86_64", "x86_64-linux-android"],
].map(([file, abi, triple]) => ({
  name: `${file} in android_21_${abi}`,
  platform: `android_21_${abi}`,
  members: { [`pkg/_m.cpython-313-${triple}.so`]: native(file!) },
  codes: [],
  expected: [`android_21_${abi}`],
}));

const rows: FamilyRow[] = [
  ...perAbi,
  {
    name: "an API 24 library under android_21: R202, raised to 24",
    platform: "android_21_arm64_v8a",
    members: { [ARM64]: native("ext_android_aarch64_24.so") },
    codes: ["R202"],
    expected: ["android_24_arm64_v8a"],
    rewrite: "pkg-1.0-cp313-cp313-android_24_arm64_v8a.whl",
    findings: [{ code: "R202", data: { tag: "android_21_arm64_v8a", needs: "24", tagVersion: "21" } }],
  },
  { name: "an API 21 library under android_24 is fine", platform: "android_24_arm64_v8a", members: { [ARM64]: native("ext_android_aarch64_21.so") }, codes: [], expected: ["android_24_arm64_v8a"] },
  {
    name: "an arm64 library under x86_64 at API 21: R211 and R202, rewritten to the ABI and level the binaries have",
    platform: "android_21_x86_64",
    members: { [ARM64]: native("ext_android_aarch64_24.so") },
    codes: ["R202", "R211"],
    expected: ["android_24_arm64_v8a"],
    rewrite: "pkg-1.0-cp313-cp313-android_24_arm64_v8a.whl",
  },
  {
    name: "arm64 and x86_64 libraries under arm64_v8a: no ABI agreed, nothing written",
    platform: "android_21_arm64_v8a",
    members: { [ARM64]: native("ext_android_aarch64_21.so"), "pkg/sub/_m.cpython-313-x86_64-linux-android.so": native("ext_android_x86_64_21.so") },
    codes: ["R211", "R303"],
    expected: null,
  },
  {
    name: "an NDK library without .note.android.ident: R103, its level unknown",
    platform: "android_21_arm64_v8a",
    members: { [ARM64]: native("ext_android_aarch64_nonote.so") },
    codes: ["R103"],
    expected: ["android_21_arm64_v8a"],
  },
  {
    name: "a glibc (Linux) library in an Android wheel: R112, not an Android binary",
    platform: "android_21_arm64_v8a",
    members: { [ARM64]: native("ext_linux_aarch64_glibc2.17.so") },
    codes: ["R112"],
    expected: null,
    findings: [{ code: "R112", data: { libc: "glibc", expected: ["bionic"] } }],
  },
  { name: "a musl library in an Android wheel", platform: "android_21_arm64_v8a", members: { [ARM64]: native("ext_linux_aarch64_musl.so") }, codes: ["R112"], expected: null },
  {
    name: "armv6l Linux code under armeabi_v7a is still glibc's",
    platform: "android_21_armeabi_v7a",
    members: { "pkg/_m.cpython-313-arm-linux-androideabi.so": native("ext_linux_armv6l_glibc2.17.so") },
    codes: ["R112"],
    expected: null,
  },
  // The laundering defect: a PE in an Android wheel, with WHEEL disagreeing, is never rewritten.
  {
    name: "a Windows .pyd in an Android wheel whose WHEEL disagrees: R106, and no rewrite to the Android tags",
    platform: "android_21_arm64_v8a",
    members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64.pyd") },
    tags: ["cp313-cp313-win_amd64"],
    codes: ["R011", "R106", "R303"],
    expected: null,
  },
  { name: "a Mach-O in an Android wheel", platform: "android_21_arm64_v8a", members: { "pkg/_m.cpython-313-aarch64-linux-android.so": macho("ext_arm64_11.0.so") }, codes: ["R106"], expected: null },
  // Tags no installer matches.
  {
    name: "android_21_armeabi is no PEP 738 ABI: R203, rewritten to the ABI the binary has",
    platform: "android_21_armeabi",
    members: { "pkg/_m.cpython-313-arm-linux-androideabi.so": native("ext_android_armv7l_21.so") },
    codes: ["R203"],
    expected: ["android_21_armeabi_v7a"],
    rewrite: "pkg-1.0-cp313-cp313-android_21_armeabi_v7a.whl",
  },
  {
    name: "API level 15 is below what installers accept: R203, raised to the binaries' 21",
    platform: "android_15_arm64_v8a",
    members: { [ARM64]: native("ext_android_aarch64_21.so") },
    codes: ["R203"],
    expected: ["android_21_arm64_v8a"],
    rewrite: "pkg-1.0-cp313-cp313-android_21_arm64_v8a.whl",
  },
  // Suffixes.
  {
    name: "an arm64 library named for x86_64 in an arm64 wheel",
    platform: "android_21_arm64_v8a",
    members: { "pkg/_m.cpython-313-x86_64-linux-android.so": native("ext_android_aarch64_21.so") },
    codes: ["R303"],
    expected: ["android_21_arm64_v8a"],
  },
  {
    name: "a Linux suffix in an Android wheel",
    platform: "android_21_arm64_v8a",
    members: { "pkg/_m.cpython-313-aarch64-linux-gnu.so": native("ext_android_aarch64_21.so") },
    codes: ["R303"],
    expected: ["android_21_arm64_v8a"],
  },
  { name: "no ELF at all", platform: "android_21_arm64_v8a", members: { "pkg/a.py": "" }, codes: ["R206"], expected: ["android_21_arm64_v8a"] },
];

describe("Android wheels", () => {
  it.each(rows.map((r) => ({ ...r, label: r.name })))("$label", async (row) => {
    await runRow(row);
  });
});
