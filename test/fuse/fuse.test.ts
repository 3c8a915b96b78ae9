// retag fuse on real thin wheels (test/fuse/helpers.ts): the fused binaries are what llvm-lipo makes
// of the same files (the committed lipo and llvm-objdump oracles), each slice comes back out byte for
// byte, the rest is copied compressed, the tags come from the fused binaries, and the wheel checks
// clean, reads in Python's zipfile and installs with pip. Then every way the inputs can disagree.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseMachO } from "../../src/macho/index.js";
import { thinSlice } from "../../src/macho/thin.js";
import { fuseWheelSources } from "../../src/flow/fuse.js";
import { isSourceRange, joinParts, memorySource, openZip, type ZipArchive } from "../../src/zip/index.js";
import { readOracle, expectedMachOFile } from "../fixtures/oracle.js";
import { readFatOracle } from "../fixtures/fat/oracle.js";
import { checkBytes, nodeCodecs, readMemberBytes } from "../helpers/core.js";
import { readFixture } from "../helpers/fixtures.js";
import { hasPython, pythonListing, pythonVerifyRecord } from "../helpers/python-zip.js";
import { ARM64_WHEEL, COMMON, countingCodecs, DYLIB, EXTENSION, FUSED_WHEEL, fuseBytes, lipoOutput, thinPair, X86_64_WHEEL } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "retag-fuse-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function member(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const zip = await openZip(bytes);
  const m = zip.members.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no member ${name}`);
  return readMemberBytes(zip, m);
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** A member's local record (header, compressed data, descriptor) as stored. */
function localRecord(zip: ZipArchive, bytes: Uint8Array, name: string): Uint8Array {
  const m = zip.members.find((x) => x.name === name)!;
  const place = zip.layout[m.index]!;
  return bytes.subarray(place.localHeaderOffset, place.recordEnd);
}

const hasPip = hasPython && spawnSync("python3", ["-m", "pip", "--version"]).status === 0;

describe("fuse: an arm64 and an x86_64 build → one universal2 wheel", async () => {
  const [arm64, x86_64] = await thinPair();
  const fused = await fuseBytes([arm64!, x86_64!]);
  const bytes = fused.bytes!;

  it("is named and tagged from the fused binaries", async () => {
    expect(fused.action).toBe("fused");
    expect(fused.filename).toBe(FUSED_WHEEL);
    expect(fused.tags).toEqual(["macosx_10_9_universal2"]);
    const wheel = new TextDecoder().decode(await member(bytes, "pkg-1.0.dist-info/WHEEL"));
    expect(wheel.split("\n").filter((l) => l.startsWith("Tag:"))).toEqual(["Tag: cp313-cp313-macosx_10_9_universal2"]);
  });

  it.each([
    ["in this order", () => [arm64!, x86_64!]],
    ["in the other order", () => [x86_64!, arm64!]],
  ])("gives llvm-lipo's bytes for each pair of binaries, inputs %s", async (_order, inputs) => {
    const result = await fuseBytes(inputs());
    expect(same(await member(result.bytes!, EXTENSION), lipoOutput("universal2"))).toBe(true);
    expect(same(await member(result.bytes!, DYLIB), lipoOutput("dylibs"))).toBe(true);
    expect(result.fused.map((f) => [f.member, f.archs, f.container])).toEqual([
      [EXTENSION, ["x86_64", "arm64"], "fat"],
      [DYLIB, ["x86_64", "arm64"], "fat"],
    ]);
  });

  it("agrees with llvm-objdump --private-headers --arch=all and llvm-lipo -info (the committed oracles)", async () => {
    // ext_universal2.so is llvm-lipo -create of the same two fixtures; its oracle is llvm-objdump's view.
    const ext = await member(bytes, EXTENSION);
    expect(parseMachO(ext)).toEqual(expectedMachOFile(readOracle("ext_universal2.so"), ext.length));
    const lib = await member(bytes, DYLIB);
    const fat = readFatOracle("dylibs");
    const thin: { [arch: string]: string } = { arm64: "lib_rpath_arm64.dylib", x86_64: "lib_libsystem_x86_64.dylib" };
    expect(parseMachO(lib)).toEqual({
      container: fat.magic === "FAT_MAGIC" ? "fat" : "fat64",
      slices: fat.archs.map((a) => ({ ...expectedMachOFile(readOracle(thin[a.name]!), a.size).slices[0]!, offset: a.offset, size: a.size })),
    });
  });

  it.each([
    [EXTENSION, "x86_64", "ext_x86_64_10.9.so"],
    [EXTENSION, "arm64", "ext_arm64_11.0.so"],
    [DYLIB, "x86_64", "lib_libsystem_x86_64.dylib"],
    [DYLIB, "arm64", "lib_rpath_arm64.dylib"],
  ])("thinning %s back to %s gives the input binary byte for byte", async (name, arch, fixture) => {
    const slice = thinSlice(await member(bytes, name), arch);
    expect(slice).not.toBeNull();
    expect(same(slice!.bytes, readFixture(fixture))).toBe(true);
  });

  it("copies the members both builds share as they are stored (compressed bytes and all)", async () => {
    const out = await openZip(bytes);
    const input = await openZip(arm64!.bytes);
    for (const name of [...Object.keys(COMMON), "pkg-1.0.dist-info/METADATA"]) {
      expect(same(localRecord(out, bytes, name), localRecord(input, arm64!.bytes, name)), name).toBe(true);
    }
    expect(fused.copied).toBe(Object.keys(COMMON).length + 1);
  });

  it("reuses the inputs' compressed binaries instead of deflating them again", async () => {
    const sources = [arm64!, x86_64!].map((w) => memorySource(w.bytes));
    const result = await fuseWheelSources([{ wheel: ARM64_WHEEL, source: sources[0]! }, { wheel: X86_64_WHEEL, source: sources[1]! }], nodeCodecs);
    const reused = (source: unknown) => result.output!.parts.filter(isSourceRange).filter((p) => p.source === source).reduce((n, p) => n + p.length, 0);
    const compressed = async (bytes: Uint8Array, names: string[]) => {
      const zip = await openZip(bytes);
      return zip.members.filter((m) => names.includes(m.name)).reduce((n, m) => n + m.compressedSize, 0);
    };
    // The x86_64 slices come first in the fat files: their streams are copied but for a patched byte or two each.
    expect(reused(sources[1])).toBeGreaterThanOrEqual((await compressed(x86_64!.bytes, [EXTENSION, DYLIB])) - 4);
    expect(reused(sources[0])).toBeGreaterThanOrEqual(await compressed(arm64!.bytes, [EXTENSION, DYLIB]));
    // A host with one-shot deflate only gets the same members, deflated anew.
    const oneShot = await fuseWheelSources(
      [arm64!, x86_64!].map((w) => ({ wheel: w.filename, source: memorySource(w.bytes) })),
      { ...nodeCodecs, deflateRawPart: undefined, deflateRawChunks: undefined, digestChunks: undefined },
    );
    const plain = await joinParts(oneShot.output!);
    expect(oneShot.output!.parts.filter(isSourceRange).every((p) => p.source !== sources[1])).toBe(true);
    expect(same(await member(plain, EXTENSION), lipoOutput("universal2"))).toBe(true);
  });

  it.each([
    ["in this order", () => [arm64!, x86_64!]],
    ["in the other order", () => [x86_64!, arm64!]],
  ])("inflates each input member once, inputs %s (the fat files are made while the inputs are read)", async (_order, inputs) => {
    const { codecs: counting, counts } = countingCodecs();
    const result = await fuseWheelSources(
      inputs().map((w) => ({ wheel: w.filename, source: memorySource(w.bytes) })),
      counting,
    );
    let members = 0;
    for (const w of inputs()) members += (await openZip(w.bytes)).members.filter((m) => !m.isDirectory && m.method === 8 && m.size > 0).length;
    expect(counts.inflated).toBe(members);
    // The x86_64 slices' streams (first in each fat file) were learnt while their check inflated them.
    expect(counts.scanned).toBe(0);
    expect(same(await member(await joinParts(result.output!), EXTENSION), lipoOutput("universal2"))).toBe(true);
  });

  it.each([
    ["unknown", () => null],
    ["wrong", () => ({ start: { input: 0, output: 0 }, end: { input: 1, output: 1 } })],
  ])("gives the same wheel when the final blocks the check learnt are %s (the stream is scanned instead)", async (_how, bounds) => {
    const lying = {
      ...nodeCodecs,
      inflateRawBlocks: async (data: Uint8Array, max: number) => ({ bytes: (await nodeCodecs.inflateRawBlocks!(data, max)).bytes, finalBlock: bounds() }),
    };
    const result = await fuseWheelSources(
      [arm64!, x86_64!].map((w) => ({ wheel: w.filename, source: memorySource(w.bytes) })),
      lying,
    );
    expect(same(await joinParts(result.output!), bytes)).toBe(true);
  });

  it("checks clean: no finding at all", async () => {
    const check = await checkBytes(FUSED_WHEEL, bytes);
    expect(check.findings).toEqual([]);
    expect(check.ok).toBe(true);
  });

  it.skipIf(!hasPython)("reads in Python's zipfile (every CRC) and RECORD verifies as pip verifies it", () => {
    const path = join(tmp, FUSED_WHEEL);
    writeFileSync(path, bytes);
    const names = pythonListing(path).map((m) => m.name);
    expect(names).toEqual([...Object.keys(COMMON), EXTENSION, DYLIB, "pkg-1.0.dist-info/METADATA", "pkg-1.0.dist-info/WHEEL", "pkg-1.0.dist-info/RECORD"]);
    expect(pythonVerifyRecord(path)).toEqual([]);
  });

  it.skipIf(!hasPip)(`installs with pip install --no-index --no-deps --target${hasPip ? "" : " (skipped: no pip)"}`, () => {
    const path = join(tmp, FUSED_WHEEL);
    writeFileSync(path, bytes);
    const target = join(tmp, "site");
    // pip on Linux installs a macOS wheel only when told the target platform (--platform needs --only-binary).
    const run = spawnSync(
      "python3",
      ["-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--target", target, "--platform", "macosx_11_0_universal2", "--python-version", "3.13", "--implementation", "cp", "--abi", "cp313", "--only-binary=:all:", path],
      { encoding: "utf8" },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const installed = spawnSync("python3", ["-c", "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", join(target, EXTENSION)], { encoding: "utf8" });
    expect(installed.stdout.trim()).toBe(createHash("sha256").update(lipoOutput("universal2")).digest("hex"));
  });

  it("a dry run decides the same and assembles nothing", async () => {
    const dry = await fuseBytes([arm64!, x86_64!], {}, { dryRun: true });
    expect(dry.output).toBeNull();
    expect([dry.action, dry.filename, dry.tags, dry.copied, dry.fused.map((f) => f.member)]).toEqual([fused.action, fused.filename, fused.tags, fused.copied, fused.fused.map((f) => f.member)]);
  });
});
