// Thin wheels made from the real Mach-O fixtures, as two cibuildwheel runners would build them: the
// same sources and metadata, one arm64 build (macOS 11.0) and one x86_64 build (10.9), each with an
// extension module and a vendored library in .dylibs/. Fusing them must give what llvm-lipo gives
// for the same files (test/fixtures/fat/out/universal2 and dylibs).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fuseWheelSources, type FuseOptions, type FuseResult } from "../../src/flow/fuse.js";
import { splitWheelSource, type SplitOptions, type SplitResult } from "../../src/flow/split.js";
import { parseRecord, replaceRows } from "../../src/wheel/record.js";
import { joinParts, memorySource, openZip, readMember, writeZip } from "../../src/zip/index.js";
import { nodeCodecs } from "../helpers/core.js";
import { readFixture } from "../helpers/fixtures.js";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";

export const EXTENSION = "pkg/_m.cpython-313-darwin.so";
export const DYLIB = "pkg/.dylibs/libfoo.dylib";
export const ARM64_WHEEL = "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl";
export const X86_64_WHEEL = "pkg-1.0-cp313-cp313-macosx_10_9_x86_64.whl";
export const FUSED_WHEEL = "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl";

const fatDir = fileURLToPath(new URL("../fixtures/fat/", import.meta.url));

/** A fat file llvm-lipo wrote (test/fixtures/fat/out/<name>), or a slice it took out (fat/thin/<name>). */
export function lipoOutput(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${fatDir}out/${name}`));
}

export function lipoText(name: string): string {
  return readFileSync(`${fatDir}out/${name}.txt`, "utf8");
}

/** Members both builds have, byte for byte. */
export const COMMON: { [path: string]: string } = {
  "pkg/__init__.py": "from ._m import *\n",
  "pkg/data/config.json": '{"answer": 42}\n',
};

export interface ThinBuild {
  arch: "arm64" | "x86_64";
  filename: string;
  members: NonNullable<WheelSpec["members"]>;
}

export function thinBuild(arch: "arm64" | "x86_64", extra: NonNullable<WheelSpec["members"]> = {}): ThinBuild {
  const ext = arch === "arm64" ? "ext_arm64_11.0.so" : "ext_x86_64_10.9.so";
  const lib = arch === "arm64" ? "lib_rpath_arm64.dylib" : "lib_libsystem_x86_64.dylib";
  return {
    arch,
    filename: arch === "arm64" ? ARM64_WHEEL : X86_64_WHEEL,
    members: { ...COMMON, [EXTENSION]: { fixture: ext }, [DYLIB]: { fixture: lib }, ...extra },
  };
}

export async function wheelOf(build: ThinBuild, spec: Partial<WheelSpec> = {}): Promise<{ filename: string; bytes: Uint8Array }> {
  return makeWheel({ filename: build.filename, members: build.members, ...spec });
}

/** The two thin wheels, arm64 first. */
export async function thinPair(): Promise<Array<{ filename: string; bytes: Uint8Array }>> {
  return [await wheelOf(thinBuild("arm64")), await wheelOf(thinBuild("x86_64"))];
}

export async function fuseBytes(
  wheels: ReadonlyArray<{ filename: string; bytes: Uint8Array }>,
  options: Partial<FuseOptions> = {},
  run: { dryRun?: boolean } = {},
): Promise<FuseResult & { bytes: Uint8Array | null }> {
  const result = await fuseWheelSources(wheels.map((w) => ({ wheel: w.filename, source: memorySource(w.bytes) })), nodeCodecs, options, run);
  return { ...result, bytes: result.output === null ? null : await joinParts(result.output) };
}

export async function splitBytes(
  wheel: { filename: string; bytes: Uint8Array },
  options: Partial<SplitOptions> = {},
): Promise<SplitResult & { wheels: Array<{ filename: string; bytes: Uint8Array }> }> {
  const result = await splitWheelSource(wheel.filename, memorySource(wheel.bytes), nodeCodecs, options);
  const wheels = [];
  for (const o of result.outputs) if (o.output !== null) wheels.push({ filename: o.filename, bytes: await joinParts(o.output) });
  return { ...result, wheels };
}

/**
 * The wheel with one member's bytes replaced and its RECORD row made to match (other rows and every
 * other member as they were, written anew by retag's zip writer).
 */
export async function replaceMember(wheel: { filename: string; bytes: Uint8Array }, name: string, data: Uint8Array | string): Promise<{ filename: string; bytes: Uint8Array }> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const zip = await openZip(wheel.bytes);
  const entries: Array<{ name: string; data: Uint8Array; method: 8 }> = [];
  for (const m of zip.members) entries.push({ name: m.name, data: m.name === name ? bytes : await readMember(zip, m, nodeCodecs), method: 8 });
  const record = entries.find((e) => e.name.endsWith(".dist-info/RECORD"))!;
  const rows = parseRecord(new TextDecoder().decode(record.data));
  const changed = new Map([[name, { hash: `sha256=${createHash("sha256").update(bytes).digest("base64url")}`, size: bytes.length }]]);
  record.data = new TextEncoder().encode(replaceRows(rows, changed));
  return { filename: wheel.filename, bytes: await writeZip(entries, nodeCodecs) };
}

export { readFixture };

/** nodeCodecs counting every inflate of a member (whole, with its final block, or into a buffer) and every scan for a final block. */
export function countingCodecs(): { codecs: typeof nodeCodecs; counts: { inflated: number; scanned: number } } {
  const counts = { inflated: 0, scanned: 0 };
  const codecs = {
    ...nodeCodecs,
    inflateRaw: (...args: Parameters<typeof nodeCodecs.inflateRaw>) => (counts.inflated++, nodeCodecs.inflateRaw(...args)),
    inflateRawBlocks: (...args: Parameters<NonNullable<typeof nodeCodecs.inflateRawBlocks>>) => (counts.inflated++, nodeCodecs.inflateRawBlocks!(...args)),
    // The reads into reused buffers (src/read/recycler.ts): one inflater per member.
    inflateRawInto: (...args: Parameters<NonNullable<typeof nodeCodecs.inflateRawInto>>) => (counts.inflated++, nodeCodecs.inflateRawInto!(...args)),
    deflateFinalBlock: (...args: Parameters<NonNullable<typeof nodeCodecs.deflateFinalBlock>>) => (counts.scanned++, nodeCodecs.deflateFinalBlock!(...args)),
  };
  return { codecs, counts };
}
