// retag split: every binary cut down to one arch's slice with its bytes unchanged (llvm-lipo -thin's
// output, the committed fat/thin/ oracle), the tags computed from the thinned binaries, an arch whose
// slices do not work reported instead of written, and split(fuse(a, b)) giving back a's and b's binaries.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SplitError } from "../../src/flow/wheel-set-errors.js";
import { openZip } from "../../src/zip/index.js";
import { checkBytes, readMemberBytes } from "../helpers/core.js";
import { readFixture } from "../fixtures/fat/oracle.js";
import { hasPython, pythonVerifyRecord } from "../helpers/python-zip.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { ARM64_WHEEL, COMMON, DYLIB, EXTENSION, FUSED_WHEEL, fuseBytes, splitBytes, thinPair, X86_64_WHEEL } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "retag-split-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

async function members(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await openZip(bytes);
  const out = new Map<string, Uint8Array>();
  for (const m of zip.members) if (!m.isDirectory) out.set(m.name, await readMemberBytes(zip, m));
  return out;
}

describe("split(fuse(a, b))", async () => {
  const [arm64, x86_64] = await thinPair();
  const fused = await fuseBytes([arm64!, x86_64!]);
  const split = await splitBytes({ filename: FUSED_WHEEL, bytes: fused.bytes! });

  it("gives one wheel per arch the tag promises, named as the thin builds were", () => {
    expect(split.ok).toBe(true);
    expect(split.archs).toEqual(["arm64", "x86_64"]);
    expect(split.outputs.map((o) => [o.arch, o.filename, o.thinned])).toEqual([
      ["arm64", ARM64_WHEEL, [EXTENSION, DYLIB]],
      ["x86_64", X86_64_WHEEL, [EXTENSION, DYLIB]],
    ]);
    expect(split.missing).toEqual([]);
  });

  it.each([0, 1])("output %i holds exactly the thin build's members, byte for byte", async (i) => {
    const original = await members([arm64!, x86_64!][i]!.bytes);
    const back = await members(split.wheels[i]!.bytes);
    for (const name of [EXTENSION, DYLIB, ...Object.keys(COMMON), "pkg-1.0.dist-info/METADATA", "pkg-1.0.dist-info/WHEEL"]) {
      expect(same(back.get(name)!, original.get(name)!), name).toBe(true);
    }
    expect([...back.keys()].sort()).toEqual([...original.keys()].sort());
  });

  it.each([0, 1])("output %i checks clean and its RECORD verifies in Python", async (i) => {
    const wheel = split.wheels[i]!;
    expect((await checkBytes(wheel.filename, wheel.bytes)).findings).toEqual([]);
    if (hasPython) {
      const path = join(tmp, wheel.filename);
      writeFileSync(path, wheel.bytes);
      expect(pythonVerifyRecord(path)).toEqual([]);
    }
  });
});

describe("split on fat fixtures", () => {
  it.each([
    ["ext_universal2.so", "macosx_10_9_universal2"],
    ["ext_universal2_fat64.so", "macosx_10_9_universal2"],
  ])("%s: each slice is what llvm-lipo -thin takes out", async (fixture, platform) => {
    const result = await splitBytes(await makeWheel({ filename: `pkg-1.0-cp313-cp313-${platform}.whl`, members: { [EXTENSION]: { fixture } } }));
    expect(result.outputs.map((o) => o.tags)).toEqual([["macosx_11_0_arm64"], ["macosx_10_9_x86_64"]]);
    for (const [i, arch] of ["arm64", "x86_64"].entries()) {
      const ext = (await members(result.wheels[i]!.bytes)).get(EXTENSION)!;
      expect(same(ext, readFixture(`fat/thin/${fixture}.${arch}`))).toBe(true);
    }
  });

  it("a universal2 wheel whose x86_64 slice lacks PyInit_ gives an arm64 wheel and says why there is no x86_64 one", async () => {
    const ldap = "pkg/_ldap.cpython-313-darwin.so";
    const wheel = await makeWheel({ filename: FUSED_WHEEL, members: { [ldap]: { fixture: "ext_universal2_x86_64_noinit.so" } } });
    const result = await splitBytes(wheel);
    expect(result.action).toBe("split");
    expect(result.ok).toBe(false);
    expect(result.outputs.map((o) => [o.arch, o.filename, o.ok])).toEqual([["arm64", ARM64_WHEEL, true]]);
    expect(result.missing.map((m) => m.arch)).toEqual(["x86_64"]);
    const reasons = result.missing[0]!.reasons;
    expect(reasons.map((f) => f.code)).toContain("R102");
    expect(reasons.find((f) => f.code === "R102")!.message).toMatch(/_PyInit__ldap in no slice \(x86_64\)/);
    const arm = (await members(result.wheels[0]!.bytes)).get(ldap)!;
    expect(same(arm, readFixture("fat/thin/ext_universal2_x86_64_noinit.so.arm64"))).toBe(true);
  });

  it("--arch picks the archs (formats expand); one the binaries lack is missing with the rules' reason", async () => {
    const wheel = await makeWheel({ filename: FUSED_WHEEL, members: { [EXTENSION]: { fixture: "ext_universal2.so" } } });
    expect((await splitBytes(wheel, { archs: ["x86_64"] })).outputs.map((o) => o.filename)).toEqual([X86_64_WHEEL]);
    expect((await splitBytes(wheel, { archs: ["universal2"] })).outputs.map((o) => o.arch)).toEqual(["x86_64", "arm64"]);
    const i386 = await splitBytes(wheel, { archs: ["i386"] });
    expect(i386.outputs).toEqual([]);
    expect(i386.missing.map((m) => [m.arch, m.reasons.map((f) => f.code)])).toEqual([["i386", ["R201"]]]);
  });

  it("a fat static archive is thinned too; a thin one is copied as it is", async () => {
    const wheel = await makeWheel({
      filename: FUSED_WHEEL,
      members: { [EXTENSION]: { fixture: "ext_universal2.so" }, "pkg/lib/libm.a": { fixture: "archive_fat.a" }, "pkg/lib/libarm.a": { fixture: "archive_arm64.a" } },
    });
    const result = await splitBytes(wheel);
    expect(result.outputs.map((o) => [o.arch, o.thinned, o.kept])).toEqual([
      ["arm64", [EXTENSION, "pkg/lib/libm.a"], []],
      // A thin archive's arch is its members': retag does not look inside, so it is copied without a word.
      ["x86_64", [EXTENSION, "pkg/lib/libm.a"], []],
    ]);
    const x86 = await members(result.wheels[1]!.bytes);
    expect(same(x86.get("pkg/lib/libm.a")!, readFixture("fat/thin/archive_fat.a.x86_64"))).toBe(true);
    expect(same(x86.get("pkg/lib/libarm.a")!, readFixture("macho/archive_arm64.a"))).toBe(true);
  });

  it("a wheel that already is the thin wheel comes back as it is", async () => {
    const thin = await makeWheel({ filename: ARM64_WHEEL, members: { [EXTENSION]: { fixture: "ext_arm64_11.0.so" } } });
    const result = await splitBytes(thin);
    expect(result.outputs.map((o) => [o.filename, o.unchanged])).toEqual([[ARM64_WHEEL, true]]);
    expect(same(result.wheels[0]!.bytes, thin.bytes)).toBe(true);
  });

  it.each([
    [["amd64"], "archs", /"amd64" is not a macOS architecture/],
  ] as const)("--arch %j is a usage error", async (archs, problem, message) => {
    const wheel = await makeWheel({ filename: FUSED_WHEEL, members: { [EXTENSION]: { fixture: "ext_universal2.so" } } });
    const error = await splitBytes(wheel, { archs: [...archs] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SplitError);
    expect((error as SplitError).problem).toBe(problem);
    expect((error as SplitError).message).toMatch(message);
  });

  it("a wheel that is not a macOS wheel is a usage error", async () => {
    const error = await splitBytes(await makeWheel({ filename: "pkg-1.0-cp313-cp313-linux_x86_64.whl", members: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SplitError);
    expect((error as SplitError).problem).toBe("platforms");
  });

  it("an input with errors split does not repair is refused", async () => {
    const wheel = await makeWheel({ filename: FUSED_WHEEL, members: { [EXTENSION]: { fixture: "ext_universal2.so" } }, record: (rows) => rows.filter((r) => r[0] !== EXTENSION) });
    const result = await splitBytes(wheel);
    expect(result.action).toBe("refused");
    expect(result.blockers.map((f) => f.code)).toEqual(["R008"]);
    expect(result.wheels).toEqual([]);
  });
});
