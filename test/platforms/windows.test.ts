// Windows wheels (DESIGN §3.7): each PE image's machine against the tag (ARM64EC and ARM64X named
// for what they are), PyInit in the export directory, the `.pyd` suffix; fix mode replaces the tag
// when every image is of one other machine.
import { describe, it } from "vitest";
import { macho, native, runRow, type FamilyRow } from "./rows.js";

const rows: FamilyRow[] = [
  { name: "an x64 .pyd in win_amd64", platform: "win_amd64", members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64.pyd") }, codes: [], expected: ["win_amd64"] },
  { name: "an x86 .pyd in win32", platform: "win32", members: { "pkg/_m.cp313-win32.pyd": native("ext_win32.pyd") }, codes: [], expected: ["win32"] },
  { name: "an ARM64 .pyd in win_arm64", platform: "win_arm64", members: { "pkg/_m.cp313-win_arm64.pyd": native("ext_win_arm64.pyd") }, codes: [], expected: ["win_arm64"] },
  { name: "an ARM64X .pyd in win_arm64 (its ARM64 view loads natively)", platform: "win_arm64", members: { "pkg/_m.cp313-win_arm64.pyd": native("ext_win_arm64x.pyd") }, codes: [], expected: ["win_arm64"] },
  { name: "an abi3 .pyd (plain suffix) in cp313-abi3", platform: "pkg-1.0-cp313-abi3-win_amd64.whl", members: { "pkg/_m.pyd": native("ext_win_amd64_abi3.pyd") }, codes: [], expected: ["win_amd64"] },
  {
    name: "an x64 .pyd in win32: R211, rewritten to win_amd64 (its suffix already says so)",
    platform: "win32",
    members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64.pyd") },
    codes: ["R211"],
    expected: ["win_amd64"],
    rewrite: "pkg-1.0-cp313-cp313-win_amd64.whl",
    findings: [{ code: "R211", arch: "win_amd64" }],
  },
  {
    name: "an ARM64EC .pyd in win_amd64: x64 machines cannot run its ARM64 code, and no tag names its host",
    platform: "win_amd64",
    members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_arm64ec.pyd") },
    codes: ["R211"],
    expected: null,
    findings: [{ code: "R211", arch: "arm64ec" }],
  },
  { name: "an ARM64EC .pyd in win_arm64: native ARM64 Python does not load it", platform: "win_arm64", members: { "pkg/_m.cp313-win_arm64.pyd": native("ext_win_arm64ec.pyd") }, codes: ["R211"], expected: null },
  {
    name: "an ARM64X .pyd in win_amd64: rewritten to win_arm64",
    platform: "win_amd64",
    members: { "pkg/_m.cp313-win_arm64.pyd": native("ext_win_arm64x.pyd") },
    codes: ["R211"],
    expected: ["win_arm64"],
    rewrite: "pkg-1.0-cp313-cp313-win_arm64.whl",
    findings: [{ code: "R211", arch: "arm64x" }],
  },
  {
    name: "x64 and x86 .pyd files together: they agree on no machine",
    platform: "win_amd64",
    members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64.pyd"), "pkg/sub/_m.pyd": native("ext_win32.pyd") },
    codes: ["R211"],
    expected: null,
  },
  // Executables run in a process of their own, and Windows emulates older machines.
  {
    name: "an x64 executable next to an ARM64 .pyd in win_arm64 (x64 emulation)",
    platform: "win_arm64",
    members: { "pkg/_m.cp313-win_arm64.pyd": native("ext_win_arm64.pyd"), "pkg-1.0.data/scripts/tool.exe": native("exe_win_amd64.exe") },
    codes: [],
    expected: ["win_arm64"],
  },
  { name: "an x64 executable in win32: no x86 machine runs it", platform: "win32", members: { "pkg-1.0.data/scripts/tool.exe": native("exe_win_amd64.exe") }, codes: ["R211"], expected: ["win_amd64"], rewrite: "pkg-1.0-cp313-cp313-win_amd64.whl" },
  // Init export and suffix.
  { name: "PyInit__mm in a .pyd named _m", platform: "win_amd64", members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64_noinit.pyd") }, codes: ["R102"], expected: null },
  { name: "an x64 .pyd named for win32 in win_amd64", platform: "win_amd64", members: { "pkg/_m.cp313-win32.pyd": native("ext_win_amd64.pyd") }, codes: ["R303"], expected: ["win_amd64"] },
  { name: "a .pyd built for cp312 in a cp313 wheel", platform: "win_amd64", members: { "pkg/_m.cp312-win_amd64.pyd": native("ext_win_amd64.pyd") }, codes: ["R301"], expected: ["win_amd64"] },
  // Other formats.
  { name: "an ELF .so in a Windows wheel", platform: "win_amd64", members: { "pkg/_m.cpython-313-x86_64-linux-gnu.so": native("ext_linux_x86_64_glibc2.17.so") }, codes: ["R106", "R303"], expected: null },
  { name: "a Mach-O in a Windows wheel", platform: "win_amd64", members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64.pyd"), "pkg/lib/libfoo.dylib": macho("lib_rpath_arm64.dylib") }, codes: ["R106"], expected: null },
  { name: "no PE at all", platform: "win_amd64", members: { "pkg/a.py": "" }, codes: ["R206"], expected: ["win_amd64"] },
];

describe("Windows wheels", () => {
  it.each(rows.map((r) => ({ ...r, label: r.name })))("$label", async (row) => {
    await runRow(row);
  });
});
