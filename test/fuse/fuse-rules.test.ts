// What retag fuse decides: the output's tags from the fused binaries (never the inputs' names), the
// usage errors that name each difference, what --prefer settles and what it does not, inputs with
// errors refused, signatures dropped, and wheels written by another zip writer (Python's zipfile).
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FuseError, type FuseProblem } from "../../src/flow/wheel-set-errors.js";
import { openZip } from "../../src/zip/index.js";
import { checkBytes, readMemberBytes } from "../helpers/core.js";
import { hasPython, pythonVerifyRecord, pythonWheel } from "../helpers/python-zip.js";
import { fixturePath } from "../helpers/fixtures.js";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";
import { ARM64_WHEEL, DYLIB, EXTENSION, fuseBytes, lipoOutput, readFixture, replaceMember, thinBuild, wheelOf, X86_64_WHEEL } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "retag-fuse-rules-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

async function memberOf(bytes: Uint8Array, name: string): Promise<Uint8Array | null> {
  const zip = await openZip(bytes);
  const m = zip.members.find((x) => x.name === name);
  return m === undefined ? null : readMemberBytes(zip, m);
}

/** A wheel with one extension module built from `fixture`, named with `platform`. */
function extWheel(platform: string, fixture: string, members: NonNullable<WheelSpec["members"]> = {}, spec: Partial<WheelSpec> = {}) {
  return makeWheel({ filename: `pkg-1.0-cp313-cp313-${platform}.whl`, members: { "pkg/__init__.py": "", [EXTENSION]: { fixture }, ...members }, ...spec });
}

async function fuseError(promise: Promise<unknown>): Promise<FuseError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof FuseError)) throw new Error(`expected a FuseError, got ${String(error)}`);
  return error;
}

describe("the output's tags come from the fused binaries", () => {
  it("judges each slice by its own file type: an arm64 slice that is an object file does not count (found by the fuzzer)", async () => {
    // Fuzz seed 1621847497, case 18700: the fused file's facts were its first input's images, so an
    // arm64 MH_OBJECT slice made the whole fat file static code and the fuse wrote universal2 over an
    // x86_64-only binary, which its own check then called R201.
    const object = readFixture("ext_arm64_11.0.so").slice();
    new DataView(object.buffer).setUint32(12, 1, true); // mach_header.filetype = MH_OBJECT (<mach-o/loader.h>)
    const arm = await makeWheel({ filename: ARM64_WHEEL, members: { "pkg/__init__.py": "", [EXTENSION]: object } });
    const result = await fuseBytes([arm, await extWheel("macosx_10_13_x86_64", "ext_x86_64_10.13.so")]);
    expect(result.tags).toEqual(["macosx_10_13_x86_64"]);
    const check = await checkBytes(result.filename!, result.bytes!);
    expect(check.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(check.needsRewrite).toBe(false);
  });

  it.each([
    // arm64 needs ≤ 11.0: universal2 at the x86_64 minimum; else the sorted pair (DESIGN §3.5).
    ["ext_arm64_11.0.so", "macosx_11_0_arm64", "ext_x86_64_10.9.so", "macosx_10_9_x86_64", ["macosx_10_9_universal2"], []],
    ["ext_arm64_11.0.so", "macosx_11_0_arm64", "ext_x86_64_11.0.so", "macosx_11_0_x86_64", ["macosx_11_0_universal2"], []],
    ["ext_arm64_12.0.so", "macosx_12_0_arm64", "ext_x86_64_10.9.so", "macosx_10_9_x86_64", ["macosx_10_9_x86_64", "macosx_12_0_arm64"], []],
    // arm64 is never below 11.0, whatever the slice says.
    ["ext_arm64_10.15.so", "macosx_11_0_arm64", "ext_x86_64_10.13.so", "macosx_10_13_x86_64", ["macosx_10_13_universal2"], []],
    // 13.3 cannot be tagged exactly: 13_0, with the warning fix mode gives.
    ["ext_arm64_13.3.so", "macosx_13_0_arm64", "ext_x86_64_10.14.so", "macosx_10_14_x86_64", ["macosx_10_14_x86_64", "macosx_13_0_arm64"], ["R204"]],
    // The inputs' own names do not count: a conservatively tagged x86_64 build gives the binaries' 10.9.
    ["ext_arm64_11.0.so", "macosx_11_0_arm64", "ext_x86_64_10.9.so", "macosx_10_13_x86_64", ["macosx_10_9_universal2"], []],
  ])("%s (%s) + %s (%s) → %j", async (armFixture, armTag, intelFixture, intelTag, tags, codes) => {
    const result = await fuseBytes([await extWheel(armTag, armFixture), await extWheel(intelTag, intelFixture)]);
    expect(result.tags).toEqual(tags);
    expect(result.findings.map((f) => f.code)).toEqual(codes);
    expect(result.filename).toBe(`pkg-1.0-cp313-cp313-${(tags as string[]).join(".")}.whl`);
    const check = await checkBytes(result.filename!, result.bytes!);
    expect(check.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(check.needsRewrite).toBe(false);
  });

  it("--macos-target is a floor, as for fix", async () => {
    const result = await fuseBytes([await extWheel("macosx_11_0_arm64", "ext_arm64_11.0.so"), await extWheel("macosx_10_9_x86_64", "ext_x86_64_10.9.so")], { macosTarget: "10.13" });
    expect(result.tags).toEqual(["macosx_10_13_universal2"]);
  });
});

describe("inputs that cannot be fused are usage errors naming the difference", () => {
  const arm = () => wheelOf(thinBuild("arm64"));
  const intel = (extra: NonNullable<WheelSpec["members"]> = {}, filename = X86_64_WHEEL) => makeWheel({ filename, members: thinBuild("x86_64", extra).members });
  const rows: Array<[string, () => Promise<Array<{ filename: string; bytes: Uint8Array }>>, FuseProblem, RegExp]> = [
    ["one wheel", async () => [await arm()], "inputs", /two or more/],
    ["another version", async () => [await arm(), await intel({}, "pkg-1.1-cp313-cp313-macosx_10_9_x86_64.whl")], "names", /version: 1\.0 in pkg-1\.0-\S+, 1\.1 in pkg-1\.1-/],
    ["other python tags", async () => [await arm(), await intel({}, "pkg-1.0-cp312-cp312-macosx_10_9_x86_64.whl")], "names", /python tags: cp313 in .*, cp312 in/],
    ["a build tag on one", async () => [await arm(), await intel({}, "pkg-1.0-1-cp313-cp313-macosx_10_9_x86_64.whl")], "names", /build tag: \(none\) in .*, 1 in/],
    ["two arm64 builds", async () => [await arm(), await makeWheel({ filename: "pkg-1.0-cp313-cp313-macosx_12_0_arm64.whl", members: thinBuild("arm64").members })], "platforms", /both tagged for arm64/],
    ["a universal2 wheel and an arm64 one", async () => [await arm(), await makeWheel({ filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl", members: thinBuild("x86_64").members })], "platforms", /both tagged for arm64/],
    ["a Linux wheel", async () => [await arm(), await makeWheel({ filename: "pkg-1.0-cp313-cp313-linux_x86_64.whl", members: { "pkg/__init__.py": "" } })], "platforms", /linux_x86_64 is not a macOS platform tag set/],
  ];
  it.each(rows)("%s", async (_label, inputs, problem, message) => {
    const error = await fuseError(fuseBytes(await inputs()));
    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(message);
  });

  it("lists every member that differs or is missing, with the first differing line of a text file", async () => {
    const a = await makeWheel({ filename: ARM64_WHEEL, members: thinBuild("arm64", { "pkg/_version.py": "version = '1.0'\ncommit = 'abc123'\n", "pkg/extra.py": "x = 1\n", "pkg/.dylibs/libextra.dylib": { fixture: "lib_rpath_arm64.dylib" } }).members });
    const b = await makeWheel({ filename: X86_64_WHEEL, members: thinBuild("x86_64", { "pkg/_version.py": "version = '1.0'\ncommit = 'def456'\n" }).members });
    const error = await fuseError(fuseBytes([a, b]));
    expect(error.problem).toBe("members");
    expect(error.members.map((m) => [m.member, m.problem])).toEqual([
      ["pkg/_version.py", "differs"],
      ["pkg/extra.py", "missing"],
      ["pkg/.dylibs/libextra.dylib", "missing"],
    ]);
    expect(error.message).toContain(`pkg/_version.py: line 2: "commit = 'abc123'" in ${ARM64_WHEEL}, "commit = 'def456'" in ${X86_64_WHEEL}`);
    expect(error.message).toContain(`pkg/extra.py: only in ${ARM64_WHEEL} (not in ${X86_64_WHEEL})`);
    expect(error.message).toContain(`pkg/.dylibs/libextra.dylib: a binary only in ${ARM64_WHEEL}`);
    expect(error.message).toMatch(/--prefer INPUT/);
  });

  it("a Mach-O file against a non-Mach-O file of the same name differs", async () => {
    const b = await makeWheel({ filename: X86_64_WHEEL, members: thinBuild("x86_64", { [DYLIB]: "not a library\n" }).members });
    const error = await fuseError(fuseBytes([await arm(), b]));
    expect(error.members).toEqual([{ member: DYLIB, problem: "differs", holders: [ARM64_WHEEL, X86_64_WHEEL], detail: `a Mach-O file only in ${ARM64_WHEEL}` }]);
  });

  it("two different slices of one arch cannot be fused; two identical ones are one", async () => {
    // ext_universal2.so is lipo of ext_x86_64_10.9.so and ext_arm64_11.0.so.
    const fat = await extWheel("macosx_10_9_x86_64", "ext_universal2.so");
    const different = await fuseError(fuseBytes([await extWheel("macosx_12_0_arm64", "ext_arm64_12.0.so"), fat]));
    expect(different.problem).toBe("binaries");
    expect(different.message).toMatch(new RegExp(`${EXTENSION.replace(/[.]/g, "\\.")}: .*arm64 slice.*differ`));
    const identical = await fuseBytes([await extWheel("macosx_11_0_arm64", "ext_arm64_11.0.so"), fat]);
    expect(same((await memberOf(identical.bytes!, EXTENSION))!, lipoOutput("universal2"))).toBe(true);
  });

  it("an unknown --prefer input", async () => {
    const error = await fuseError(fuseBytes([await arm(), await intel()], { prefer: "ppc" }));
    expect(error.problem).toBe("inputs");
    expect(error.message).toMatch(/--prefer.*ppc.*position 1–2/);
  });
});

describe("--prefer settles members that differ", () => {
  const pair = async () => {
    const a = await makeWheel({ filename: ARM64_WHEEL, members: thinBuild("arm64", { "pkg/_version.py": "commit = 'abc'\n", "pkg/arm_only.py": "" }).members });
    const b = await makeWheel({ filename: X86_64_WHEEL, members: thinBuild("x86_64", { "pkg/_version.py": "commit = 'def'\n" }).members });
    return [a, b];
  };
  const text = async (bytes: Uint8Array, name: string) => {
    const data = await memberOf(bytes, name);
    return data === null ? null : new TextDecoder().decode(data);
  };

  it.each([
    ["1", "commit = 'abc'\n", ""],
    ["arm64", "commit = 'abc'\n", ""],
    [ARM64_WHEEL, "commit = 'abc'\n", ""],
    ["2", "commit = 'def'\n", null],
    ["x86_64", "commit = 'def'\n", null],
  ])("--prefer %s: the preferred input's copy, or none when it has none", async (prefer, version, armOnly) => {
    const result = await fuseBytes(await pair(), { prefer });
    expect(await text(result.bytes!, "pkg/_version.py")).toBe(version);
    expect(await text(result.bytes!, "pkg/arm_only.py")).toBe(armOnly);
    // The binaries are still fused, whichever input is preferred.
    expect(same((await memberOf(result.bytes!, EXTENSION))!, lipoOutput("universal2"))).toBe(true);
    const check = await checkBytes(result.filename!, result.bytes!);
    expect(check.findings).toEqual([]);
    if (hasPython) {
      const path = join(tmp, `prefer-${prefer}.whl`);
      writeFileSync(path, result.bytes!);
      expect(pythonVerifyRecord(path)).toEqual([]);
    }
  });

  it("--prefer MEMBER=INPUT settles that member only", async () => {
    const preferMembers = [{ member: "pkg/_version.py", input: "2" }];
    const error = await fuseError(fuseBytes(await pair(), { preferMembers }));
    expect(error.members.map((m) => m.member)).toEqual(["pkg/arm_only.py"]);
    const result = await fuseBytes(await pair(), { preferMembers: [...preferMembers, { member: "pkg/arm_only.py", input: "1" }] });
    expect(await text(result.bytes!, "pkg/_version.py")).toBe("commit = 'def'\n");
    expect(result.preferred).toEqual([
      { member: "pkg/_version.py", from: 1, rule: "prefer-member" },
      { member: "pkg/arm_only.py", from: 0, rule: "prefer-member" },
    ]);
  });

  it(".dist-info files are not settled by --prefer INPUT, only by naming them", async () => {
    const a = await wheelOf(thinBuild("arm64"));
    const metadata = "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\nSummary: built on x86_64\n";
    const b = await replaceMember(await wheelOf(thinBuild("x86_64")), "pkg-1.0.dist-info/METADATA", metadata);
    const error = await fuseError(fuseBytes([a, b], { prefer: "1" }));
    expect(error.members.map((m) => m.member)).toEqual(["pkg-1.0.dist-info/METADATA"]);
    expect(error.message).toMatch(/not for \.dist-info files/);
    const result = await fuseBytes([a, b], { preferMembers: [{ member: "pkg-1.0.dist-info/METADATA", input: "2" }] });
    expect(await text(result.bytes!, "pkg-1.0.dist-info/METADATA")).toBe(metadata);
    expect((await checkBytes(result.filename!, result.bytes!)).findings).toEqual([]);
  });
});

describe("inputs with errors are refused, signatures are dropped", () => {
  it("an input whose RECORD does not hold is refused, with its findings", async () => {
    const broken = await makeWheel({ filename: X86_64_WHEEL, members: thinBuild("x86_64").members, record: (rows) => rows.map((r) => (r[0] === "pkg/__init__.py" ? [r[0]!, r[1]!, "1"] : r)) });
    const result = await fuseBytes([await wheelOf(thinBuild("arm64")), broken]);
    expect(result.action).toBe("refused");
    expect(result.output).toBeNull();
    expect(result.blockers.map((b) => [b.wheel, b.findings.map((f) => f.code)])).toEqual([[X86_64_WHEEL, ["R007"]]]);
  });

  it("a wrongly tagged input is no obstacle: its tag is not used", async () => {
    // An arm64 build tagged 12_0 over 11.0 binaries (R205 in a check): the output's tags come from the binaries.
    const result = await fuseBytes([await makeWheel({ filename: "pkg-1.0-cp313-cp313-macosx_12_0_arm64.whl", members: thinBuild("arm64").members }), await wheelOf(thinBuild("x86_64"))]);
    expect(result.tags).toEqual(["macosx_10_9_universal2"]);
  });

  it("RECORD.jws signs an input's RECORD: it is left out, with R012", async () => {
    const signed = await makeWheel({ filename: ARM64_WHEEL, members: thinBuild("arm64").members, trailing: { "pkg-1.0.dist-info/RECORD.jws": "{}" } });
    const result = await fuseBytes([signed, await wheelOf(thinBuild("x86_64"))]);
    expect(result.dropped).toEqual(["pkg-1.0.dist-info/RECORD.jws"]);
    expect(result.findings.map((f) => f.code)).toEqual(["R012"]);
    expect(await memberOf(result.bytes!, "pkg-1.0.dist-info/RECORD.jws")).toBeNull();
  });
});

describe.skipIf(!hasPython)("wheels written by Python's zipfile (a directory entry, stored .so files, a 0755 script)", () => {
  it("fuse keeps the stored method, the directory and the script's mode, and RECORD verifies", async () => {
    const make = (platform: string, ext: string) => {
      const filename = `pkg-1.0-cp313-cp313-${platform}.whl`;
      const path = join(tmp, filename);
      pythonWheel(path, filename, { [EXTENSION]: fixturePath(ext) });
      return { filename, bytes: new Uint8Array(readFileSync(path)) };
    };
    const result = await fuseBytes([make("macosx_11_0_arm64", "ext_arm64_11.0.so"), make("macosx_10_9_x86_64", "ext_x86_64_10.9.so")]);
    const zip = await openZip(result.bytes!);
    const ext = zip.members.find((m) => m.name === EXTENSION)!;
    expect(ext.method).toBe(0);
    expect(zip.members.find((m) => m.name === "pkg/")?.isDirectory).toBe(true);
    expect(zip.members.find((m) => m.name.endsWith("/scripts/tool"))?.unixMode).toBe(0o100755);
    expect(same(await readMemberBytes(zip, ext), lipoOutput("universal2"))).toBe(true);
    const path = join(tmp, result.filename!);
    writeFileSync(path, result.bytes!);
    expect(pythonVerifyRecord(path)).toEqual([]);
    expect((await checkBytes(result.filename!, result.bytes!)).findings).toEqual([]);
  });
});
