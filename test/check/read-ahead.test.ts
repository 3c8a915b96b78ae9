// Large members are read ahead of their turn (src/read/wheel.ts: the codec inflates them in the
// background while the member before is hashed). What a check reports must not depend on it: the
// same findings in the same order, the same members, binaries and budget cut as a sequential read.
// A source that takes hints is read without the look-ahead, so it is the sequential reference.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nodeCodecs } from "../../src/node/codecs.js";
import { readWheel, type ReadOptions } from "../../src/read/index.js";
import type { ByteSource } from "../../src/model/ports.js";
import { memorySource } from "../../src/zip/source.js";
import { openZip } from "../../src/zip/index.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { noise } from "../helpers/noise.js";
import { fixturePath } from "../helpers/fixtures.js";

/** Incompressible, so each member's compressed data is above the 256 KiB floor. */
const BIG = 400 * 1024;

async function wheelBytes(): Promise<Uint8Array> {
  const { bytes } = await makeWheel({
    filename: "t-1.0-cp313-cp313-macosx_10_9_x86_64.whl",
    members: {
      "t/a.bin": noise(1, BIG),
      "t/small.txt": "small\n",
      "t/b.bin": noise(2, BIG),
      "t/_m.cpython-313-darwin.so": { fixture: "ext_x86_64_10.13.so" },
      "t/c.bin": noise(3, BIG),
      "t/d.bin": noise(4, BIG),
      "t/e.bin": noise(5, BIG),
      "t/f.bin": noise(6, BIG),
    },
    // d.bin's row has a wrong digest: a RECORD finding in the middle of the large members.
    record: (rows) => rows.map((r) => (r[0] === "t/d.bin" ? [r[0] ?? "", "sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", r[2] ?? ""] : r)),
  });
  // c.bin's compressed data damaged in the middle: a read error (R001) among members read ahead.
  const archive = await openZip(bytes);
  const c = archive.members.find((m) => m.name === "t/c.bin");
  const place = c === undefined ? undefined : archive.layout[c.index];
  if (place === undefined) throw new Error("no t/c.bin");
  const damaged = bytes.slice();
  const middle = place.dataOffset + Math.floor((place.dataEnd - place.dataOffset) / 2);
  damaged[middle] = (damaged[middle] ?? 0) ^ 0xff;
  return damaged;
}

/** The same bytes, but a source that takes hints: readWheel reads it member by member, in order. */
function sequential(bytes: Uint8Array): ByteSource {
  return { ...memorySource(bytes), prefetch: () => Promise.resolve() };
}

const OPTIONS: ReadOptions = { python2Only: false, maxMemberSize: 2 ** 31, maxTotalSize: 2 ** 32, sha256: true };

describe("reading large members ahead", () => {
  it.each([
    ["every member within the budget", OPTIONS],
    // The budget runs out at e.bin: it and later members are not read, whatever was read ahead.
    ["the total budget cut in the middle of the large members", { ...OPTIONS, maxTotalSize: 4 * BIG + 60_000 }],
  ])("%s: the same facts, findings and order as a sequential read", async (_, options) => {
    const bytes = await wheelBytes();
    const ahead = (await readWheel(memorySource(bytes), nodeCodecs, options)).facts;
    const inOrder = (await readWheel(sequential(bytes), nodeCodecs, options)).facts;
    expect(ahead).toEqual(inOrder);
    // And the cases above happened: the damaged member, the wrong digest, the binary.
    const codes = ahead.findings.map((f) => `${f.code} ${f.member ?? ""}`);
    expect(codes).toContain("R001 t/c.bin");
    expect(ahead.binaries.map((b) => b.member)).toEqual(["t/_m.cpython-313-darwin.so"]);
    expect(codes).toContain("R007 t/d.bin");
    if (options.maxTotalSize < 2 ** 32) expect(codes).toContain("R014 t/e.bin");
  });
});

/** Codecs without inflateRawInto: every member in a fresh buffer of its own (the reference). */
const { inflateRawInto: _into, hasher: _hasher, ...freshCodecs } = nodeCodecs;

describe("reading members into reused buffers (an arena for large members, a scratch buffer for small ones)", () => {
  it("gives the facts of fresh buffers, also after the arena wraps around and for binaries read into it", async () => {
    const fixture = new Uint8Array(readFileSync(fixturePath("ext_x86_64_10.13.so")));
    // A binary large enough to be read into the arena: the fixture with incompressible bytes after it.
    const bigBinary = new Uint8Array(fixture.length + 700 * 1024);
    bigBinary.set(fixture);
    bigBinary.set(noise(99, 700 * 1024), fixture.length);
    const members: Record<string, Uint8Array | string> = {};
    // ~21 MiB of large members of many sizes (the arena holds 16 MiB, so it wraps), small ones between.
    for (let i = 0; i < 30; i++) {
      members[`t/d${String(i).padStart(2, "0")}.bin`] = noise(i + 1, 300 * 1024 + ((i * 7919) % 13) * 100 * 1024);
      members[`t/s${i}.py`] = `x = ${i}\n`.repeat(1 + i * 40);
      if (i === 20) members["t/_m.cpython-313-darwin.so"] = bigBinary;
    }
    const { bytes } = await makeWheel({ filename: "t-1.0-cp313-cp313-macosx_10_9_x86_64.whl", members });
    const reused = await readWheel(memorySource(bytes), nodeCodecs, OPTIONS);
    const fresh = await readWheel(memorySource(bytes), freshCodecs, OPTIONS);
    expect(reused.facts).toEqual(fresh.facts);
    expect(reused.facts.binaries.map((b) => [b.member, b.error])).toEqual([["t/_m.cpython-313-darwin.so", null]]);
    expect(reused.facts.recordOk).toBe(true);
    expect(reused.facts.members.every((m) => m.read && m.sha256 !== null)).toBe(true);
  });
});
