// DESIGN §3.7: Linux and Windows wheels get the arch checks that need no policy.
import { describe, expect, it } from "vitest";
import { elfArch, peArch, tagArch } from "../../src/native/foreign.js";
import { readFixture } from "../helpers/fixtures.js";
import { checkSpec, codesOf } from "./check-helpers.js";

/** An ELF header: class, byte order and e_machine are all the checks read. */
function elf(machine: number, opts: { is64?: boolean; little?: boolean } = {}): Uint8Array {
  const out = new Uint8Array(64);
  const little = opts.little ?? true;
  out.set([0x7f, 0x45, 0x4c, 0x46, opts.is64 === false ? 1 : 2, little ? 1 : 2, 1], 0);
  new DataView(out.buffer).setUint16(18, machine, little);
  return out;
}

/** A PE: DOS stub, e_lfanew → "PE\0\0", then the COFF Machine. */
function pe(machine: number): Uint8Array {
  const out = new Uint8Array(0x80 + 24);
  out.set([0x4d, 0x5a], 0);
  const view = new DataView(out.buffer);
  view.setUint32(0x3c, 0x80, true);
  out.set([0x50, 0x45, 0, 0], 0x80);
  view.setUint16(0x84, machine, true);
  return out;
}

describe("machine names", () => {
  it.each([
    [elf(62), "x86_64"],
    [elf(183), "aarch64"],
    [elf(3, { is64: false }), "i686"],
    [elf(21, { little: true }), "ppc64le"],
    [elf(21, { little: false }), "ppc64"],
    [elf(22, { little: false }), "s390x"],
    [elf(40, { is64: false }), "armv7l"],
    [elf(243), "riscv64"],
    [elf(9999), "machine(9999)"],
  ])("ELF %# → %s", (bytes, arch) => {
    expect(elfArch(bytes)).toBe(arch);
  });

  it.each([
    [pe(0x8664), "win_amd64"],
    [pe(0xaa64), "win_arm64"],
    [pe(0x14c), "win32"],
    [pe(0x1c4), "machine(452)"],
  ])("PE %# → %s", (bytes, arch) => {
    expect(peArch(bytes)).toBe(arch);
  });

  it.each([
    ["manylinux_2_17_x86_64", { system: "linux", arch: "x86_64" }],
    ["manylinux2014_aarch64", { system: "linux", arch: "aarch64" }],
    ["musllinux_1_2_armv7l", { system: "linux", arch: "armv7l" }],
    ["linux_x86_64", { system: "linux", arch: "x86_64" }],
    ["manylinux1_i686", { system: "linux", arch: "i686" }],
    ["win_amd64", { system: "windows", arch: "win_amd64" }],
    ["macosx_11_0_arm64", null],
    ["any", null],
  ])("tag %s", (tag, expected) => {
    expect(tagArch(tag)).toEqual(expected);
  });
});

describe("Linux and Windows wheels", () => {
  // auditwheel's usual (unsorted) spelling: a warning only (R015).
  const linux = "pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
  it.each([
    ["an x86_64 extension in an x86_64 wheel", linux, { "pkg/_m.cpython-313-x86_64-linux-gnu.so": elf(62) }, ["R015", "R209"]],
    ["an aarch64 extension in an x86_64 wheel", linux, { "pkg/_m.cpython-313-x86_64-linux-gnu.so": elf(183) }, ["R015", "R209", "R211"]],
    ["a Mach-O in a Linux wheel", linux, { "pkg/_m.so": readFixture("ext_arm64_11.0.so") }, ["R015", "R106", "R209"]],
    ["an x64 DLL in a win_amd64 wheel", "pkg-1.0-cp313-cp313-win_amd64.whl", { "pkg/_m.pyd": pe(0x8664) }, ["R209"]],
    ["an x64 DLL in a win32 wheel", "pkg-1.0-cp313-cp313-win32.whl", { "pkg/_m.pyd": pe(0x8664) }, ["R209", "R211"]],
    ["an ELF in a Windows wheel", "pkg-1.0-cp313-cp313-win_amd64.whl", { "pkg/_m.so": elf(62) }, ["R106", "R209"]],
  ])("%s", async (_label, filename, members, codes) => {
    const result = await checkSpec({ filename, members });
    expect(codesOf(result)).toEqual(codes);
    expect(result.needsRewrite).toBe(false);
    expect(result.tags.expected).toEqual(filename.replace(/\.whl$/, "").split("-").at(-1)!.split("."));
  });

  it("names the member and its arch", async () => {
    const result = await checkSpec({ filename: linux, members: { "pkg/_m.cpython-313-x86_64-linux-gnu.so": elf(183) } });
    expect(result.findings.find((f) => f.code === "R211")).toMatchObject({
      member: "pkg/_m.cpython-313-x86_64-linux-gnu.so",
      arch: "aarch64",
      message: `pkg/_m.cpython-313-x86_64-linux-gnu.so is aarch64, but the wheel is tagged manylinux_2_17_x86_64.manylinux2014_x86_64`,
    });
  });
});
