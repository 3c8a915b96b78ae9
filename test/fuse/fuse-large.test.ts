// fuse with binaries large enough for the read stage's large-member path (compressed data ≥ 256
// KiB: read in pieces, or whole for the streams it splices, into buffers that are handed back and
// reused: src/read/recycler.ts), through the real CLI on files (the file source reads into those
// buffers) and in memory. Both give the same wheel; it checks clean; and splitting it gives back
// every input binary byte for byte, so no buffer was reused while its bytes were still needed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, requireFreshBuild } from "../cli/spawn.js";
import { fuseWheelSources } from "../../src/flow/fuse.js";
import { splitWheelSource } from "../../src/flow/split.js";
import type { ByteSource } from "../../src/model/ports.js";
import { bufferRecycler, type Recycler } from "../../src/read/recycler.js";
import { joinParts, memorySource, openZip, readMember } from "../../src/zip/index.js";
import { nodeCodecs } from "../helpers/core.js";
import { readFixture } from "../helpers/fixtures.js";
import { ARM64_WHEEL, countingCodecs, FUSED_WHEEL, fuseBytes, splitBytes, thinBuild, wheelOf, X86_64_WHEEL } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "retag-fuse-large-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// bin/ runs the build: one older than src/ would test old code.
beforeAll(requireFreshBuild);

/** `length` bytes no deflater can shrink (xorshift32 from `seed`): the compressed data stays as large. */
function noise(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A real extension image followed by padding, as the bench's binaries are (the reader stops at the image's end). */
function padded(fixture: string, seed: number, length: number): Uint8Array {
  const image = readFixture(fixture);
  const out = new Uint8Array(image.length + length);
  out.set(image);
  out.set(noise(seed, length), image.length);
  return out;
}

// Sizes out of order and unlike each other, so buffers given back are reused for larger and smaller members.
const SIZES = [900, 300, 1500, 420, 1100].map((k) => k * 1024);

function largeBuild(arch: "arm64" | "x86_64") {
  const fixture = arch === "arm64" ? "ext_arm64_11.0.so" : "ext_x86_64_10.9.so";
  const members = Object.fromEntries(SIZES.map((size, i) => [`pkg/mod${i}/_m.cpython-313-darwin.so`, padded(fixture, (arch === "arm64" ? 1000 : 2000) + i, size)]));
  return wheelOf(thinBuild(arch, members));
}

function retag(args: string[]) {
  const env = { ...process.env };
  delete env.MACOSX_DEPLOYMENT_TARGET;
  return spawnSync(process.execPath, [bin, ...args], { cwd: tmp, env, encoding: "utf8" });
}

describe("fuse of wheels with large binaries", async () => {
  const arm64 = await largeBuild("arm64");
  const x86_64 = await largeBuild("x86_64");
  writeFileSync(join(tmp, ARM64_WHEEL), arm64.bytes);
  writeFileSync(join(tmp, X86_64_WHEEL), x86_64.bytes);

  it.each([
    ["arm64 first", [ARM64_WHEEL, X86_64_WHEEL]],
    ["x86_64 first", [X86_64_WHEEL, ARM64_WHEEL]],
  ])("gives the same wheel through the CLI (files) as in memory, %s, and it checks clean", async (_order, names) => {
    const out = join(tmp, `out-${names[0]}`);
    const run = retag(["fuse", "-w", out, ...names.map((n) => join(tmp, n))]);
    expect(run.status, run.stderr).toBe(0);
    const written = new Uint8Array(readFileSync(join(out, FUSED_WHEEL)));
    const inMemory = await fuseBytes(names.map((n) => (n === ARM64_WHEEL ? arm64 : x86_64)));
    expect(inMemory.bytes).not.toBeNull();
    expect(Buffer.from(written).equals(Buffer.from(inMemory.bytes!))).toBe(true);
    const check = retag(["check", join(out, FUSED_WHEEL)]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it("gives the same wheel when every buffer given back is overwritten at once (nothing is used after it goes back)", async () => {
    const pool = bufferRecycler(64 * 2 ** 20);
    let given = 0;
    const poisoning: Recycler = {
      take: (length) => pool.take(length),
      give: (bytes) => {
        given++;
        new Uint8Array(bytes.buffer).fill(0xee);
        pool.give(bytes);
      },
    };
    // And each input member inflated once: the fat files were made from the pool's buffers while the
    // inputs were read, not by inflating the binaries again after (a buffer poisoned too early would
    // send them there).
    const { codecs: counting, counts } = countingCodecs();
    let members = 0;
    for (const w of [arm64, x86_64]) members += (await openZip(w.bytes)).members.filter((m) => !m.isDirectory && m.method === 8 && m.size > 0).length;
    for (const order of [[arm64, x86_64], [x86_64, arm64]]) {
      const plain = await fuseBytes(order);
      counts.inflated = 0;
      const poisoned = await fuseWheelSources(order.map((w) => ({ wheel: w.filename, source: memorySource(w.bytes) })), counting, {}, { recycler: poisoning });
      expect(Buffer.from(await joinParts(poisoned.output!)).equals(Buffer.from(plain.bytes!))).toBe(true);
      expect(counts.inflated).toBe(members);
    }
    // Every large input binary went through the pool and back.
    expect(given).toBeGreaterThanOrEqual(2 * 2 * SIZES.length);
  });

  it("splits back into binaries byte-identical to each input's", async () => {
    const fused = await fuseBytes([arm64, x86_64]);
    const split = await splitBytes({ filename: FUSED_WHEEL, bytes: fused.bytes! });
    for (const input of [arm64, x86_64]) {
      const arch = input === arm64 ? "arm64" : "x86_64";
      const thin = split.wheels.find((w) => w.filename.endsWith(`_${arch}.whl`));
      expect(thin, arch).toBeDefined();
      const [a, b] = [await openZip(input.bytes), await openZip(thin!.bytes)];
      for (let i = 0; i < SIZES.length; i++) {
        const name = `pkg/mod${i}/_m.cpython-313-darwin.so`;
        const want = await readMember(a, a.members.find((m) => m.name === name)!, nodeCodecs);
        const got = await readMember(b, b.members.find((m) => m.name === name)!, nodeCodecs);
        expect(Buffer.from(got).equals(Buffer.from(want)), `${arch} ${name}`).toBe(true);
      }
    }
  });

  it.each([
    ["late in a slice's stream", 0.9],
    ["near its start", 0.05],
  ])("split fails naming the member, and 'did the wheel change', when a fat file's data changes %s after the check", async (_where, where) => {
    const fused = (await fuseBytes([arm64, x86_64])).bytes!;
    const zip = await openZip(fused);
    const fat = zip.members.find((m) => m.name === "pkg/mod2/_m.cpython-313-darwin.so")!;
    const place = zip.layout[fat.index]!;
    const target = place.dataOffset + Math.floor((place.dataEnd - place.dataOffset - 1) * where);
    // The first read that covers the byte is the check's; every later one (the thinning's) sees it changed.
    let seen = 0;
    const source: ByteSource = {
      size: fused.length,
      read: async (offset, length) => {
        const out = fused.slice(offset, offset + length);
        if (offset <= target && target < offset + length && seen++ > 0) out[target - offset] = (out[target - offset] ?? 0) ^ 0x55;
        return out;
      },
    };
    await expect(splitWheelSource(FUSED_WHEEL, source, nodeCodecs)).rejects.toThrow(/pkg\/mod2\/_m\.cpython-313-darwin\.so.*did the wheel change while retag ran/);
    expect(seen).toBeGreaterThan(1);
  });
});
