// Linux wheels (DESIGN §3.7): arch with class and byte order, ARM build attributes, the C library
// family, the glibc floor, init exports and suffixes, on wheels of real ELF fixtures; and what fix
// mode does with them (it rewrites only the arch of a `linux_<arch>` tag).
import { describe, expect, it } from "vitest";
import { nativeFixtures, readNativeFixture } from "../fixtures/native.js";
import { checkSpec, codesOf } from "../check/check-helpers.js";
import { retagBytes } from "../helpers/core.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { macho, native, runRow, type FamilyRow } from "./rows.js";

const X86_EXT = "pkg/_m.cpython-313-x86_64-linux-gnu.so";
const ARM_EXT = "pkg/_m.cpython-313-arm-linux-gnueabihf.so";

/**
 * The armv7l fixture with its `.ARM.attributes` section retyped (SHT_ARM_ATTRIBUTES 0x70000003 →
 * SHT_PROGBITS): a 32-bit ARM file that does not say which ARM it needs, as a stripped one.
 */
function armWithoutAttributes(): Uint8Array {
  const bytes = readNativeFixture("elf", "ext_linux_armv7l_glibc2.17.so").slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = view.getUint32(0x20, true);
  const shentsize = view.getUint16(0x2e, true);
  const shnum = view.getUint16(0x30, true);
  let patched = 0;
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize + 4; // sh_type
    if (view.getUint32(at, true) === 0x70000003) {
      view.setUint32(at, 1, true);
      patched++;
    }
  }
  if (patched !== 1) throw new Error("the armv7l fixture has no single .ARM.attributes section");
  return bytes;
}

/** Every Linux arch fixture in the manylinux_2_17 wheel of its own arch: each passes (the EM_MIPS and EM_ARM defects). */
const perArch: FamilyRow[] = nativeFixtures("elf")
  .filter((f) => /^ext_linux_[a-z0-9_]+_glibc2\.17\.so$/.test(f.file))
  .map((f) => {
    const arch = /^ext_linux_([a-z0-9_]+)_glibc2\.17\.so$/.exec(f.file)![1]!;
    return { name: `${f.file} in manylinux_2_17_${arch}`, platform: `manylinux_2_17_${arch}`, members: { [f.member]: native(f.file) }, codes: [], expected: [`manylinux_2_17_${arch}`] };
  });

const rows: FamilyRow[] = [
  ...perArch,
  // auditwheel's and maturin's order: R015 is information, so --strict passes it.
  {
    name: "the standard manylinux pair, in auditwheel's order: R015 information only, even under --strict",
    platform: "manylinux_2_17_x86_64.manylinux2014_x86_64",
    members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.17.so") },
    options: { strict: true },
    codes: ["R015"],
    expected: ["manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    findings: [{ code: "R015", severity: "info" }],
  },
  {
    name: "as auditwheel leaves it: GLIBC_2.28, a vendored library, in manylinux_2_28",
    platform: "manylinux_2_28_x86_64",
    members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.28.so"), "pkg.libs/libfoo-5f3c1a2b.so.1": native("lib_linux_x86_64_libfoo.so.1") },
    codes: [],
    expected: ["manylinux_2_28_x86_64"],
  },
  {
    name: "sstripped extension: its glibc floor and init export come from PT_DYNAMIC",
    platform: "manylinux_2_28_x86_64",
    members: { [X86_EXT]: native("ext_linux_x86_64_sstripped.so") },
    codes: [],
    expected: ["manylinux_2_28_x86_64"],
  },
  // ARM: any armv*l tag fits unless the build attributes say the code needs a newer ARM.
  { name: "armv6l code under linux_armv6l", platform: "linux_armv6l", members: { [ARM_EXT]: native("ext_linux_armv6l_glibc2.17.so") }, codes: [], expected: ["linux_armv6l"] },
  { name: "armv6l code under linux_armv7l (v7 runs v6 code)", platform: "linux_armv7l", members: { [ARM_EXT]: native("ext_linux_armv6l_glibc2.17.so") }, codes: [], expected: ["linux_armv7l"] },
  {
    name: "ARM code with no build attributes fits even linux_armv5l",
    platform: "linux_armv5l",
    members: { [ARM_EXT]: armWithoutAttributes() },
    codes: [],
    expected: ["linux_armv5l"],
  },
  {
    name: "armv6l code under linux_armv5l: R211, rewritten to linux_armv6l",
    platform: "linux_armv5l",
    members: { [ARM_EXT]: native("ext_linux_armv6l_glibc2.17.so") },
    codes: ["R211"],
    expected: ["linux_armv6l"],
    rewrite: "pkg-1.0-cp313-cp313-linux_armv6l.whl",
    findings: [{ code: "R211", arch: "armv6l" }],
  },
  {
    name: "armv7l code under manylinux_2_17_armv6l: R211, never rewritten (manylinux is auditwheel's)",
    platform: "manylinux_2_17_armv6l",
    members: { [ARM_EXT]: native("ext_linux_armv7l_glibc2.17.so") },
    codes: ["R211"],
    expected: null,
  },
  // Class and byte order are part of the arch: ppc64 and ppc64le share EM_PPC64.
  {
    name: "big-endian ppc64 code in a ppc64le wheel",
    platform: "manylinux_2_17_ppc64le",
    members: { "pkg/_m.cpython-313-powerpc64-linux-gnu.so": native("ext_linux_ppc64_glibc2.17.so") },
    codes: ["R211", "R303"],
    expected: null,
  },
  {
    name: "32-bit mips code in a mips64 wheel",
    platform: "linux_mips64",
    members: { "pkg/_m.cpython-313-mips-linux-gnu.so": native("ext_linux_mips_glibc2.17.so") },
    codes: ["R211"],
    expected: ["linux_mips"],
    rewrite: "pkg-1.0-cp313-cp313-linux_mips.whl",
  },
  {
    name: "an aarch64 extension in linux_x86_64: the arch (and suffix) agree on aarch64, rewritten",
    platform: "linux_x86_64",
    members: { "pkg/_m.cpython-313-aarch64-linux-gnu.so": native("ext_linux_aarch64_glibc2.17.so") },
    codes: ["R211"],
    expected: ["linux_aarch64"],
    rewrite: "pkg-1.0-cp313-cp313-linux_aarch64.whl",
  },
  {
    name: "an aarch64 extension in manylinux_2_17_x86_64: R211 and R303, nothing written",
    platform: "manylinux_2_17_x86_64",
    members: { "pkg/_m.cpython-313-aarch64-linux-gnu.so": native("ext_linux_aarch64_glibc2.17.so") },
    codes: ["R211", "R303"],
    expected: null,
  },
  {
    name: "x86_64 and aarch64 extensions in linux_x86_64: they agree on no arch",
    platform: "linux_x86_64",
    members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.17.so"), "pkg/sub/_m.cpython-313-aarch64-linux-gnu.so": native("ext_linux_aarch64_glibc2.17.so") },
    codes: ["R211", "R303"],
    expected: null,
  },
  { name: "i686 code under manylinux2014_i686", platform: "manylinux2014_i686", members: { "pkg/_m.cpython-313-i386-linux-gnu.so": native("ext_linux_i686_glibc2.17.so") }, codes: [], expected: ["manylinux2014_i686"] },
  // The glibc floor.
  {
    name: "GLIBC_2.28 in a manylinux_2_17 wheel: R212, never raised",
    platform: "manylinux_2_17_x86_64.manylinux2014_x86_64",
    members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.28.so"), "pkg.libs/libfoo-5f3c1a2b.so.1": native("lib_linux_x86_64_libfoo.so.1") },
    codes: ["R015", "R212"],
    expected: null,
    findings: [{ code: "R212", member: X86_EXT, data: { tag: "manylinux_2_17_x86_64", needs: "2.28", tagVersion: "2.17" } }],
  },
  { name: "GLIBC_2.34 in manylinux_2_28", platform: "manylinux_2_28_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.34.so") }, codes: ["R212"], expected: null },
  { name: "GLIBC_2.17 under manylinux1 (glibc 2.5)", platform: "manylinux1_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.17.so") }, codes: ["R212"], expected: null },
  { name: "a linux_ tag promises no glibc version", platform: "linux_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.34.so") }, codes: [], expected: ["linux_x86_64"] },
  // The C library family.
  { name: "musl code in musllinux", platform: "musllinux_1_2_x86_64", members: { "pkg/_m.cpython-313-x86_64-linux-musl.so": native("ext_linux_x86_64_musl.so") }, codes: [], expected: ["musllinux_1_2_x86_64"] },
  {
    name: "musl code in manylinux: R112 (and its suffix is musl's)",
    platform: "manylinux_2_17_x86_64",
    members: { "pkg/_m.cpython-313-x86_64-linux-musl.so": native("ext_linux_x86_64_musl.so") },
    codes: ["R112", "R303"],
    expected: null,
    findings: [{ code: "R112", data: { libc: "musl", expected: ["glibc"] } }],
  },
  { name: "glibc code in musllinux", platform: "musllinux_1_2_aarch64", members: { "pkg/_m.cpython-313-aarch64-linux-musl.so": native("ext_linux_aarch64_glibc2.17.so") }, codes: ["R112"], expected: null },
  { name: "musl code under linux_aarch64 (either C library)", platform: "linux_aarch64", members: { "pkg/_m.cpython-313-aarch64-linux-musl.so": native("ext_linux_aarch64_musl.so") }, codes: [], expected: ["linux_aarch64"] },
  {
    name: "an Android (bionic) library in a manylinux wheel",
    platform: "manylinux_2_17_aarch64",
    members: { "pkg/_m.cpython-313-aarch64-linux-android.so": native("ext_android_aarch64_24.so") },
    codes: ["R112", "R303"],
    expected: null,
  },
  // Init exports.
  { name: "PyInit__mm in a file named _m", platform: "manylinux_2_17_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_noinit.so") }, codes: ["R102"], expected: null },
  { name: "a hidden PyInit__m is not exported", platform: "manylinux_2_17_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_hidden.so") }, codes: ["R102"], expected: null },
  // Suffixes.
  {
    name: "an x86_64 extension named for aarch64 in an x86_64 wheel: the interpreter never finds it",
    platform: "manylinux_2_17_x86_64",
    members: { "pkg/_m.cpython-313-aarch64-linux-gnu.so": native("ext_linux_x86_64_glibc2.17.so") },
    codes: ["R303"],
    expected: ["manylinux_2_17_x86_64"],
  },
  { name: "a .pyd in a Linux wheel", platform: "manylinux_2_17_x86_64", members: { "pkg/_m.pyd": native("ext_linux_x86_64_glibc2.17.so") }, codes: ["R303"], expected: ["manylinux_2_17_x86_64"] },
  { name: "plain .so and .abi3.so suffixes fit every Linux tag", platform: "manylinux_2_17_x86_64", members: { "pkg/_m.so": native("ext_linux_x86_64_glibc2.17.so"), "pkg/sub/_m.abi3.so": native("ext_linux_x86_64_glibc2.17.so") }, codes: ["R302"], expected: ["manylinux_2_17_x86_64"] },
  // Other formats, static code, no code.
  { name: "a Mach-O in a Linux wheel", platform: "manylinux_2_17_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.17.so"), "pkg/_n.so": macho("ext_arm64_11.0.so") }, codes: ["R106"], expected: null },
  { name: "a wasm module in a Linux wheel", platform: "manylinux_2_17_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.17.so"), "pkg/lib/libfoo.so": native("lib_emscripten_wasm32_libfoo.so") }, codes: ["R106"], expected: null },
  { name: "a static archive is listed, not counted", platform: "manylinux_2_17_x86_64", members: { [X86_EXT]: native("ext_linux_x86_64_glibc2.17.so"), "pkg/lib/libm.a": macho("archive_arm64.a") }, codes: ["R107"], expected: ["manylinux_2_17_x86_64"] },
  { name: "an executable under .data/scripts counts like a library", platform: "manylinux_2_17_x86_64", members: { "pkg-1.0.data/scripts/tool": native("exe_linux_x86_64") }, codes: [], expected: ["manylinux_2_17_x86_64"] },
  { name: "no ELF file at all", platform: "manylinux_2_17_x86_64", members: { "pkg/a.py": "x = 1\n" }, codes: ["R206"], expected: ["manylinux_2_17_x86_64"] },
  {
    name: "a corrupt ELF: R111, nothing to write",
    platform: "manylinux_2_17_x86_64",
    members: { [X86_EXT]: readNativeFixture("elf", "ext_linux_x86_64_glibc2.17.so").subarray(0, 200) },
    codes: ["R111"],
    expected: null,
  },
];

describe("Linux wheels", () => {
  it.each(rows.map((r) => ({ ...r, label: r.name })))("$label", async (row) => {
    await runRow(row);
  });

  it("R211 names the member, its arch and the tags", async () => {
    const result = await checkSpec({ filename: "pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", members: { [X86_EXT]: native("ext_linux_aarch64_glibc2.17.so") } });
    expect(result.findings.find((f) => f.code === "R211")).toMatchObject({
      member: X86_EXT,
      arch: "aarch64",
      message: `${X86_EXT} is aarch64, but the wheel is tagged manylinux_2_17_x86_64.manylinux2014_x86_64`,
      data: { tags: ["manylinux_2_17_x86_64", "manylinux2014_x86_64"] },
    });
    expect(codesOf(result)).toEqual(["R015", "R211"]);
  });
});

describe("fix mode on Linux wheels", () => {
  it("a rewrite for --rehash alone does not count an untrue manylinux tag as fixed (found by the fuzz harness)", async () => {
    const wheel = await makeWheel({
      filename: "pkg-1.0-cp313-cp313-manylinux_2_17_s390x.whl",
      members: { "pkg/_m.cpython-313-s390x-linux-gnu.so": native("ext_linux_x86_64_glibc2.17.so"), "pkg/a.py": "x = 1\n" },
      record: (rows) => rows.filter((r) => r[0] !== "pkg/a.py"),
    });
    const fixed = await retagBytes(wheel.filename, wheel.bytes, { rehash: true });
    expect(fixed.check.tags.expected).toBeNull();
    expect(fixed.action).toBe("refused");
    expect(fixed.reasons.map((f) => f.code)).toContain("R211");
    expect(fixed.ok).toBe(false);
  });
});
