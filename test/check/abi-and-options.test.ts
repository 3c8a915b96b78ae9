// Python / ABI tags against extension suffixes (R3xx), the Python 2 init symbol, and the options that
// change what a check reports (ignore, strict).
import { describe, expect, test } from "vitest";
import { isPython2Only } from "../../src/wheel/extension.js";
import * as C from "../../src/macho/constants.js";
import type { CheckOptions } from "../../src/model/results.js";
import type { WheelSpec } from "../helpers/make-wheel.js";
import { buildFat, buildImage, lc, version } from "../macho/builder.js";
import { checkSpec, codesOf } from "./check-helpers.js";

const universal2 = { fixture: "ext_universal2.so" };

interface Row {
  name: string;
  filename: string;
  members: NonNullable<WheelSpec["members"]>;
  options?: Partial<CheckOptions>;
  codes: string[];
  ok: boolean;
}

async function run(row: Row): Promise<void> {
  const result = await checkSpec({ filename: row.filename, members: row.members }, row.options);
  expect(codesOf(result)).toEqual(row.codes);
  expect(result.ok).toBe(row.ok);
}

describe("R301 / R302: extension suffixes against the python and abi tags", () => {
  const rows: Row[] = [
    {
      name: "R301 .cpython-312-darwin.so in a cp313 wheel",
      filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: { "pkg/_m.cpython-312-darwin.so": universal2 },
      codes: ["R301"],
      ok: false,
    },
    {
      name: "R301 a free-threaded .cpython-313t-darwin.so in a cp313-cp313 wheel",
      filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: { "pkg/_m.cpython-313t-darwin.so": universal2 },
      codes: ["R301"],
      ok: false,
    },
    {
      name: "R301 a default-ABI .cpython-313-darwin.so in a cp313-cp313t wheel",
      filename: "pkg-1.0-cp313-cp313t-macosx_10_9_universal2.whl",
      members: { "pkg/_m.cpython-313-darwin.so": universal2 },
      codes: ["R301"],
      ok: false,
    },
    {
      name: "R301 a version-specific extension in an abi3 wheel (it would install on 3.10 and not load)",
      filename: "pkg-1.0-cp39-abi3-macosx_10_9_universal2.whl",
      members: { "pkg/_m.cpython-313-darwin.so": universal2 },
      codes: ["R301"],
      ok: false,
    },
    {
      name: ".cpython-313t-darwin.so in a cp313-cp313t wheel: ok",
      filename: "pkg-1.0-cp313-cp313t-macosx_10_9_universal2.whl",
      members: { "pkg/_m.cpython-313t-darwin.so": universal2 },
      codes: [],
      ok: true,
    },
    {
      name: "R302 .abi3.so in a cp313-cp313 wheel: loads, but the wheel could be abi3 (warning)",
      filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: { "pkg/_m.abi3.so": universal2 },
      codes: ["R302"],
      ok: true,
    },
    {
      name: ".abi3.so in a cp39-abi3 wheel: no finding",
      filename: "pkg-1.0-cp39-abi3-macosx_10_9_universal2.whl",
      members: { "pkg/_m.abi3.so": universal2 },
      codes: [],
      ok: true,
    },
    {
      name: "a plain _m.so names no ABI: no finding",
      filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: { "pkg/_m.so": universal2 },
      codes: [],
      ok: true,
    },
    {
      name: "a dylib is not an extension: its name is not checked against the tags",
      filename: "pkg-1.0-cp313-cp313-macosx_10_9_x86_64.whl",
      members: { "pkg/_m.cpython-313-darwin.so": { fixture: "ext_x86_64_10.9.so" }, "pkg/.dylibs/libbar.1.dylib": { fixture: "lib_libsystem_x86_64.dylib" } },
      codes: [],
      ok: true,
    },
  ];
  test.each(rows)("$name", run);

  test("R301 names the member and the ABI its suffix says", async () => {
    const result = await checkSpec({ filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl", members: { "pkg/_m.cpython-312-darwin.so": universal2 } });
    expect(result.findings).toContainEqual(
      expect.objectContaining({ code: "R301", severity: "error", member: "pkg/_m.cpython-312-darwin.so", data: expect.objectContaining({ suffixAbi: "cp312" }) }),
    );
  });
});

describe("Python 2: a Python-2-only wheel's extensions must export _init<mod>", () => {
  /** A universal2 bundle exporting `symbol`, built in the test: the committed fixtures all export _PyInit__m. */
  const fatExporting = (symbol: string): Uint8Array =>
    buildFat([
      {
        bytes: buildImage({
          cputype: C.CPU_TYPE_X86_64,
          commands: [lc.versionMin(C.LC_VERSION_MIN_MACOSX, version(10, 9), version(10, 9))],
          exportTrie: { names: [symbol] },
        }).bytes,
      },
      {
        bytes: buildImage({
          cputype: C.CPU_TYPE_ARM64,
          commands: [lc.buildVersion(C.PLATFORM_MACOS, version(11), version(14))],
          exportTrie: { names: [symbol] },
        }).bytes,
      },
    ]).bytes;

  const rows: Row[] = [
    {
      name: "a cp27 wheel whose extension exports _init_m: ok",
      filename: "pkg-1.0-cp27-cp27m-macosx_10_9_universal2.whl",
      members: { "pkg/_m.so": fatExporting("_init_m") },
      codes: [],
      ok: true,
    },
    {
      name: "R102 a cp27 wheel whose extension exports only _PyInit__m",
      filename: "pkg-1.0-cp27-cp27m-macosx_10_9_universal2.whl",
      members: { "pkg/_m.so": universal2 },
      codes: ["R102"],
      ok: false,
    },
    {
      name: "R102 a py2.py3 wheel is not Python-2-only: _init_m is not enough",
      filename: "pkg-1.0-py2.py3-none-macosx_10_9_universal2.whl",
      members: { "pkg/_m.so": fatExporting("_init_m") },
      codes: ["R102"],
      ok: false,
    },
    {
      name: "a cp313 wheel looks for _PyInit__m",
      filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: { "pkg/_m.so": fatExporting("_PyInit__m") },
      codes: [],
      ok: true,
    },
  ];
  test.each(rows)("$name", run);

  test("R102 says which symbol was looked for", async () => {
    const result = await checkSpec({ filename: "pkg-1.0-cp27-cp27m-macosx_10_9_universal2.whl", members: { "pkg/_m.so": universal2 } });
    expect(result.findings).toContainEqual(expect.objectContaining({ code: "R102", data: { symbol: "_init_m" } }));
    expect(result.binaries[0]?.initSymbol).toBe("_init_m");
  });

  test.each([
    [["cp27"], true],
    [["py2"], true],
    [["py27"], true],
    [["pp27"], true],
    [["cp26", "cp27"], true],
    [["py2", "py3"], false],
    [["cp313"], false],
    [["cp312"], false],
    [["py3"], false],
    [[], false],
  ])("isPython2Only(%j) is %s", (tags, expected) => {
    expect(isPython2Only(tags)).toBe(expected);
  });
});

describe("options: ignore and strict", () => {
  const ARM64_FAT = "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl";
  /** A wheel with an info (R205) and a warning (R302): the arm64 claim over a fat abi3 extension. */
  const infoAndWarning = { "pkg/_m.abi3.so": universal2 };
  /** A wheel whose only finding is a warning (R204: 13.3 under 13_0). */
  const warningOnly = { "pkg/_m.cpython-313-darwin.so": { fixture: "ext_arm64_13.3.so" } };

  const rows: Row[] = [
    { name: "no options: info and warning reported, ok", filename: ARM64_FAT, members: infoAndWarning, codes: ["R205", "R302"], ok: true },
    { name: "ignore R2 drops every R2xx code", filename: ARM64_FAT, members: infoAndWarning, options: { ignore: ["R2"] }, codes: ["R302"], ok: true },
    { name: "ignore R205 drops only that code", filename: ARM64_FAT, members: infoAndWarning, options: { ignore: ["R205"] }, codes: ["R302"], ok: true },
    { name: "ignore r302 (any case)", filename: ARM64_FAT, members: infoAndWarning, options: { ignore: ["r302"] }, codes: ["R205"], ok: true },
    { name: "ignore by name", filename: ARM64_FAT, members: infoAndWarning, options: { ignore: ["narrower-than-binaries"] }, codes: ["R302"], ok: true },
    { name: "ignore R20 is a prefix too", filename: ARM64_FAT, members: infoAndWarning, options: { ignore: ["R20"] }, codes: ["R302"], ok: true },
    { name: "ignore R3 does not touch R2xx", filename: ARM64_FAT, members: infoAndWarning, options: { ignore: ["R3"] }, codes: ["R205"], ok: true },
    { name: "strict: a warning fails", filename: ARM64_FAT, members: infoAndWarning, options: { strict: true }, codes: ["R205", "R302"], ok: false },
    { name: "strict: an info never fails", filename: ARM64_FAT, members: infoAndWarning, options: { strict: true, ignore: ["R302"] }, codes: ["R205"], ok: true },
    { name: "R204 alone: ok without strict", filename: "pkg-1.0-cp313-cp313-macosx_13_0_arm64.whl", members: warningOnly, codes: ["R204"], ok: true },
    { name: "R204 alone: fails with strict", filename: "pkg-1.0-cp313-cp313-macosx_13_0_arm64.whl", members: warningOnly, options: { strict: true }, codes: ["R204"], ok: false },
    {
      name: "ignoring an error makes the wheel pass",
      filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: { "pkg/_m.cpython-312-darwin.so": universal2 },
      options: { ignore: ["R301"] },
      codes: [],
      ok: true,
    },
  ];
  test.each(rows)("$name", run);
});
