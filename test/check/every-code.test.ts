// Every code in the finding registry is produced by at least one row here, from a wheel that shows
// the problem and nothing else of note: a code no input can produce is either dead or untested, and
// a registry entry added without a way to reach it fails this test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { inspectTree } from "../../src/flow/tree.js";
import { openTree } from "../../src/node/tree-source.js";
import { install } from "../audit/trees.js";
import * as C from "../../src/macho/constants.js";
import { FINDINGS, type FindingCode } from "../../src/model/findings.js";
import type { CheckOptions } from "../../src/model/results.js";
import { checkBytes, nodeCodecs, retagBytes, zipBytes } from "../helpers/core.js";
import { readFixture } from "../helpers/fixtures.js";
import { makeWheel, readAnyNativeFixture, sha256Field, type WheelSpec } from "../helpers/make-wheel.js";
import { buildImage, lc, version } from "../macho/builder.js";

const EXT = "pkg/_m.cpython-313-darwin.so";
const mac = (platform: string): string => `pkg-1.0-cp313-cp313-${platform}.whl`;
const fixture = (name: string) => ({ fixture: name });
const native = (name: string) => ({ native: name });
const LINUX_EXT = "pkg/_m.cpython-313-x86_64-linux-gnu.so";
const linux = (platform: string): string => `pkg-1.0-cp313-cp313-${platform}.whl`;
const encoder = new TextEncoder();

interface Row {
  code: FindingCode;
  /** A makeWheel spec, or the wheel's bytes and name made another way. */
  spec?: WheelSpec;
  raw?: () => Promise<{ filename: string; bytes: Uint8Array }>;
  options?: Partial<CheckOptions>;
  /** Fix mode instead of check (codes only a rewrite reports). */
  fix?: boolean;
  /** Codes reached another way than a wheel file (an installed distribution: test/audit/). */
  codes?: () => Promise<string[]>;
}

/** An installed distribution whose RECORD lists a console script in ../../../bin, as pip writes it. */
async function installedWithScript(): Promise<string[]> {
  const venv = mkdtempSync(join(tmpdir(), "retag-every-"));
  try {
    const site = join(venv, "lib", "python3.13", "site-packages");
    await install("correct", site);
    const { result } = await inspectTree(site, await openTree(site), "correct-1.0.dist-info", nodeCodecs, {}, { layout: "installed", verify: "all" });
    return result.findings.map((f) => f.code);
  } finally {
    rmSync(venv, { recursive: true, force: true });
  }
}

/** A zip with two members of one name, each with a RECORD row. */
async function duplicateMember(): Promise<{ filename: string; bytes: Uint8Array }> {
  const py = encoder.encode("x = 1\n");
  const wheel = encoder.encode("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
  const record = encoder.encode(`pkg/a.py,${sha256Field(py)},6\npkg-1.0.dist-info/WHEEL,${sha256Field(wheel)},${wheel.length}\npkg-1.0.dist-info/RECORD,,\n`);
  const bytes = await zipBytes([
    { name: "pkg/a.py", data: py },
    { name: "pkg/a.py", data: py },
    { name: "pkg-1.0.dist-info/WHEEL", data: wheel },
    { name: "pkg-1.0.dist-info/RECORD", data: record },
  ]);
  return { filename: "pkg-1.0-py3-none-any.whl", bytes };
}

/** A thin arm64_32 (watchOS) bundle that exports its init function: no macOS tag names that arch. */
const arm64_32 = buildImage({
  cputype: C.CPU_TYPE_ARM64_32,
  cpusubtype: C.CPU_SUBTYPE_ARM64_32_V8,
  bits: 32,
  filetype: C.MH_BUNDLE,
  commands: [lc.buildVersion(C.PLATFORM_MACOS, version(11), version(14))],
  exportTrie: { names: ["_PyInit__m"] },
}).bytes;

const rows: Row[] = [
  { code: "R001", raw: async () => ({ filename: "pkg-1.0-py3-none-any.whl", bytes: encoder.encode("<html>404</html>") }) },
  { code: "R002", spec: { filename: "pkg-1.0-py3-none-any.whl", members: { "../evil.py": "x = 1\n" } } },
  { code: "R003", raw: duplicateMember },
  { code: "R004", raw: async () => ({ filename: "pkg-1.0-py3-none-any.whl", bytes: await zipBytes([{ name: "pkg/a.py", data: encoder.encode("") }]) }) },
  { code: "R005", spec: { filename: "pkg-1.0-py3-none-any.whl", wheelText: "this is not a header\n" } },
  { code: "R006", spec: { filename: "pkg-1.0-py3-none-any.whl", record: "omit" } },
  { code: "R007", spec: { filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/a.py": "x = 1\n" }, record: (rows) => rows.map((r) => (r[0] === "pkg/a.py" ? [r[0]!, r[1]!, "99"] : r)) } },
  { code: "R008", spec: { filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/a.py": "x = 1\n" }, record: (rows) => rows.filter((r) => r[0] !== "pkg/a.py") } },
  { code: "R009", spec: { filename: "pkg-1.0-py3-none-any.whl", record: (rows) => [...rows, ["pkg/gone.py", sha256Field(new Uint8Array()), "0"]] } },
  { code: "R010", spec: { filename: "pkg-1.0-py3-none-any-extra-part.whl" } },
  { code: "R011", spec: { filename: "pkg-1.0-py3-none-any.whl", tags: ["py2-none-any"] } },
  {
    code: "R012",
    fix: true,
    spec: { filename: mac("macosx_10_9_universal2"), members: { [EXT]: fixture("ext_arm64_11.0.so") }, trailing: { "pkg-1.0.dist-info/RECORD.jws": "{}" } },
  },
  { code: "R013", spec: { filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/a.py": "" }, record: (rows) => rows.map((r) => (r[0] === "pkg/a.py" ? [r[0]!, "md5=1B2M2Y8AsgTpgAmY7PhCfg", r[2]!] : r)) } },
  {
    code: "R014",
    raw: async () => {
      const wheel = await makeWheel({ filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/a.py": "x = 1\n" } });
      // Mark the first member encrypted (general purpose bit 0) in its local header and central entry.
      const bytes = wheel.bytes.slice();
      const view = new DataView(bytes.buffer);
      view.setUint16(6, view.getUint16(6, true) | 1, true);
      for (let at = bytes.length - 22; at >= 0; at--) {
        if (view.getUint32(at, true) === 0x02014b50) view.setUint16(at + 8, view.getUint16(at + 8, true) | 1, true);
      }
      return { filename: wheel.filename, bytes };
    },
  },
  { code: "R015", spec: { filename: mac("macosx_11_0_arm64.macosx_10_9_x86_64"), members: { [EXT]: fixture("ext_universal2.so") } } },
  { code: "R016", codes: installedWithScript },
  { code: "R017", spec: { filename: "pkg-1.0-1-py3-none-any.whl", wheelText: "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nBuild: 2\nTag: py3-none-any\n" } },
  { code: "R018", raw: async () => ({ filename: "pkg-1.0-py3-none-any.whl", bytes: (await makeWheel({ filename: "other-1.0-py3-none-any.whl" })).bytes }) },
  { code: "R019", raw: async () => ({ filename: "pkg-2.0-py3-none-any.whl", bytes: (await makeWheel({ filename: "pkg-1.0-py3-none-any.whl" })).bytes }) },
  { code: "R020", spec: { filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/a.py": "x = 1\n" }, record: (rows) => rows.map((r) => (r[0] === "pkg/a.py" ? ["pkg\\a.py", r[1]!, r[2]!] : r)) } },
  {
    code: "R021",
    spec: {
      filename: linux("manylinux_2_17_x86_64.manylinux2014_x86_64"),
      members: { [LINUX_EXT]: native("ext_linux_x86_64_glibc2.17.so") },
      tags: ["cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64"],
    },
  },
  { code: "R022", spec: { filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/Data.txt": "a", "pkg/data.txt": "b" } } },
  { code: "R101", spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: readFixture("ext_arm64_11.0.so").subarray(0, 100) } } },
  { code: "R102", spec: { filename: mac("macosx_11_0_arm64"), members: { "pkg/noinit.cpython-313-darwin.so": fixture("noinit_arm64.so") } } },
  { code: "R103", spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: buildImage({ filetype: C.MH_BUNDLE, exportTrie: { names: ["_PyInit__m"] } }).bytes } } },
  { code: "R104", spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: fixture("ext_ios_arm64_13.0.so") } } },
  { code: "R105", spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: fixture("ext_arm64e_x86_64h.so") } } },
  { code: "R106", spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: fixture("ext_arm64_11.0.so"), "pkg/tool": native("exe_linux_x86_64") } } },
  { code: "R107", spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: fixture("ext_arm64_11.0.so"), "pkg/lib/libm.a": fixture("archive_fat.a") } } },
  { code: "R108", spec: { filename: mac("macosx_10_13_x86_64"), members: { [EXT]: fixture("ext_x86_64_10.13.so") } }, options: { macosTarget: "10.9" } },
  { code: "R109", spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: fixture("ext_arm64_11.0.so") } }, options: { requireArchs: ["x86_64"] } },
  { code: "R110", spec: { filename: mac("macosx_10_9_universal2"), members: { "pkg/_ldap.cpython-313-darwin.so": fixture("ext_universal2_x86_64_noinit.so") } } },
  { code: "R111", spec: { filename: linux("manylinux_2_17_x86_64"), members: { [LINUX_EXT]: readAnyNativeFixture("ext_linux_x86_64_glibc2.17.so").subarray(0, 100) } } },
  { code: "R112", spec: { filename: linux("android_21_arm64_v8a"), members: { "pkg/_m.cpython-313-aarch64-linux-android.so": native("ext_linux_aarch64_glibc2.17.so") } } },
  {
    code: "R113",
    spec: { filename: mac("ios_13_0_arm64_iphoneos"), members: { "pkg/_m.cpython-313-iphoneos.so": fixture("ext_ios_arm64_13.0.so"), "pkg/lib/libfoo.dylib": fixture("lib_ios_arm64_13.0.dylib") } },
  },
  { code: "R114", spec: { filename: linux("pyodide_2024_0_wasm32"), members: { "pkg/_m.cpython-313-wasm32-emscripten.so": native("mod_wasm32_plain.wasm") } } },
  { code: "R201", spec: { filename: mac("macosx_10_9_universal2"), members: { [EXT]: fixture("ext_arm64_11.0.so") } } },
  { code: "R202", spec: { filename: mac("macosx_10_9_x86_64"), members: { [EXT]: fixture("ext_x86_64_10.13.so") } } },
  { code: "R203", spec: { filename: mac("macosx_12_3_arm64"), members: { [EXT]: fixture("ext_arm64_11.0.so") } } },
  { code: "R204", spec: { filename: mac("macosx_13_0_arm64"), members: { [EXT]: fixture("ext_arm64_13.3.so") } } },
  { code: "R205", spec: { filename: mac("macosx_10_9_x86_64"), members: { [EXT]: fixture("ext_universal2.so") } } },
  { code: "R206", spec: { filename: mac("macosx_11_0_arm64"), members: { "pkg/a.py": "x = 1\n" } } },
  { code: "R207", spec: { filename: "pkg-1.0-py3-none-any.whl", members: { [EXT]: fixture("ext_arm64_11.0.so") } } },
  {
    code: "R208",
    spec: { filename: mac("macosx_11_0_arm64"), members: { [EXT]: fixture("ext_arm64_11.0.so"), "pkg/.dylibs/libbar.dylib": fixture("lib_libsystem_x86_64.dylib") } },
  },
  { code: "R209", spec: { filename: linux("freebsd_14_0_amd64"), members: { "pkg/_m.so": native("ext_linux_x86_64_glibc2.17.so") } } },
  { code: "R210", spec: { filename: mac("macosx_10_9_universal2"), members: { "pkg/_m.so": arm64_32 } } },
  {
    code: "R211",
    spec: { filename: linux("manylinux_2_17_aarch64"), members: { "pkg/_m.cpython-313-aarch64-linux-gnu.so": native("ext_linux_x86_64_glibc2.17.so") } },
  },
  { code: "R212", spec: { filename: linux("manylinux_2_17_x86_64"), members: { [LINUX_EXT]: native("ext_linux_x86_64_glibc2.28.so") } } },
  { code: "R301", spec: { filename: mac("macosx_10_9_universal2"), members: { "pkg/_m.cpython-312-darwin.so": fixture("ext_universal2.so") } } },
  { code: "R302", spec: { filename: mac("macosx_10_9_universal2"), members: { "pkg/_m.abi3.so": fixture("ext_universal2.so") } } },
  { code: "R303", spec: { filename: linux("manylinux_2_17_x86_64"), members: { "pkg/_m.cpython-313-aarch64-linux-gnu.so": native("ext_linux_x86_64_glibc2.17.so") } } },
];

describe("every registry code is reachable", () => {
  test("the table has one row per code in the registry, in order", () => {
    expect(rows.map((r) => r.code)).toEqual(Object.keys(FINDINGS));
  });

  test.each(rows)("$code", async (row) => {
    if (row.codes !== undefined) return expect(await row.codes()).toContain(row.code);
    const { filename, bytes } = row.raw !== undefined ? await row.raw() : await makeWheel(row.spec!);
    const codes = row.fix
      ? (await retagBytes(filename, bytes, row.options)).remaining.map((f) => f.code)
      : (await checkBytes(filename, bytes, row.options)).findings.map((f) => f.code);
    expect(codes).toContain(row.code);
  });
});
