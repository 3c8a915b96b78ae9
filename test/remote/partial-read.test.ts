// A partial read (DESIGN §10) reads WHEEL, RECORD and the members whose first bytes may start a
// binary: it must find every binary a full read finds (DESIGN §3.1: by magic, never by extension),
// list the rest as unread, and, through a source that takes hints, batch its reads.
import { describe, expect, it } from "vitest";
import type { ByteSource } from "../../src/model/ports.js";
import { nodeCodecs } from "../../src/node/codecs.js";
import { binaryMembers, mayBeBinary, readWheel, SNIFF_BYTES, type ReadOptions } from "../../src/read/index.js";
import { memorySource, openZip } from "../../src/zip/index.js";
import { PREFETCH_BATCH } from "../../src/zip/prefetch.js";
import { makeWheel } from "../helpers/make-wheel.js";

const OPTIONS: ReadOptions = { python2Only: false, maxMemberSize: 2 ** 31, maxTotalSize: 2 ** 32, sha256: false };

/** `MZ` with `e_lfanew` at `lfanew`, and `PE\0\0` there: a PE header whose signature lies `lfanew` bytes in. */
function peImage(lfanew: number): Uint8Array {
  const bytes = new Uint8Array(lfanew + 64);
  bytes.set([0x4d, 0x5a]);
  new DataView(bytes.buffer).setUint32(0x3c, lfanew, true);
  bytes.set([0x50, 0x45, 0, 0, 0x64, 0x86], lfanew); // IMAGE_FILE_MACHINE_AMD64
  return bytes;
}

/** An ELF header for x86-64 (e_ident, e_type, e_machine = 62). */
const elf = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(8).fill(0), 3, 0, 62, 0, ...new Array(44).fill(0)]);
/** A Java class file: 0xcafebabe then a version (major 52), not a slice count. */
const javaClass = Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, ...new Array(40).fill(1)]);

describe("a partial read finds every binary a full read finds", () => {
  const members = {
    "pkg/__init__.py": "print('hello')\n" + "#".repeat(5000),
    "pkg/_m.cpython-313-darwin.so": { fixture: "ext_universal2.so" },
    // Named like nothing: only its bytes say it is a Mach-O executable.
    "pkg.data/scripts/tool": { fixture: "exe_arm64" },
    "pkg/.dylibs/libz": { fixture: "lib_rpath_arm64.dylib" },
    "pkg/libstatic.a": { fixture: "archive_arm64.a" },
    "pkg/lib.so": elf,
    "pkg/near.pyd": peImage(0x80),
    // e_lfanew past the sniffed head: read whole to decide.
    "pkg/far.pyd": peImage(SNIFF_BYTES + 100),
    "pkg/Fake.class": javaClass,
    // Starts with "MZ" but has no PE signature: read whole to decide, and not a binary.
    "pkg/data.txt": "MZ is not a PE file without its signature".repeat(40),
    "pkg/empty": "",
  };

  it("the same binaries and findings; every member not read is listed, and none of them is a binary", async () => {
    const wheel = await makeWheel({ filename: "pkg-1.0-cp313-cp313-macosx_11_0_universal2.whl", members });
    const full = await readWheel(memorySource(wheel.bytes), nodeCodecs, OPTIONS);
    const partial = await readWheel(memorySource(wheel.bytes), nodeCodecs, { ...OPTIONS, select: binaryMembers });
    expect(partial.facts.binaries).toEqual(full.facts.binaries);
    expect(partial.facts.findings).toEqual(full.facts.findings);
    expect(full.facts.unread).toEqual([]);
    expect(partial.facts.unread).toEqual(["pkg/__init__.py", "pkg/Fake.class", "pkg/empty", "pkg-1.0.dist-info/METADATA"]);
    const binaryNames = new Set(full.facts.binaries.map((b) => b.member));
    expect(partial.facts.unread.filter((n) => binaryNames.has(n))).toEqual([]);
    expect(full.facts.binaries.map((b) => b.member)).toContain("pkg/far.pyd");
    expect(full.facts.binaries.map((b) => b.member)).not.toContain("pkg/data.txt");
  });

  it("a member whose head cannot be read is read whole, so its finding is the full read's", async () => {
    const wheel = await makeWheel({ filename: "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl", members: { "pkg/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" }, "pkg/x.txt": "x".repeat(3000) } });
    // Corrupt the deflate stream of pkg/x.txt: its first compressed byte becomes a reserved block type.
    const archive = await openZip(wheel.bytes);
    const x = archive.members.find((m) => m.name === "pkg/x.txt")!;
    const bytes = wheel.bytes.slice();
    bytes[archive.layout[x.index]!.dataOffset] = 0x07;
    const full = await readWheel(memorySource(bytes), nodeCodecs, OPTIONS);
    const partial = await readWheel(memorySource(bytes), nodeCodecs, { ...OPTIONS, select: binaryMembers });
    expect(full.facts.findings.map((f) => f.code)).toContain("R001");
    expect(partial.facts.findings).toEqual(full.facts.findings);
    expect(partial.facts.unread).not.toContain("pkg/x.txt");
  });

  it.each([
    ["a thin Mach-O magic", true, Uint8Array.from([0xcf, 0xfa, 0xed, 0xfe]), 4096],
    ["a fat header with 2 slices", true, Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]), 4096],
    ["a Java class file", false, javaClass, 4096],
    ["MZ whose PE signature is in the head", true, peImage(0x80).subarray(0, SNIFF_BYTES), 4096],
    ["MZ whose e_lfanew points past the head", true, peImage(4000).subarray(0, SNIFF_BYTES), 8000],
    ["MZ that is the whole member and has no PE signature", false, Uint8Array.from([0x4d, 0x5a, 1, 2, 3]), 5],
    ["text", false, new TextEncoder().encode("import os\n"), 10],
  ] as const)("mayBeBinary: %s → %s", (_, expected, head, size) => {
    expect(mayBeBinary(head, size)).toBe(expected);
  });
});

/** A source that records its reads and the prefetch calls it is given. */
function hintedSource(bytes: Uint8Array): ByteSource & { reads: number; hints: Array<Array<{ offset: number; length: number }>> } {
  const inner = memorySource(bytes);
  const source = {
    size: bytes.length,
    reads: 0,
    hints: [] as Array<Array<{ offset: number; length: number }>>,
    read(offset: number, length: number) {
      source.reads++;
      return inner.read(offset, length);
    },
    async prefetch(ranges: ReadonlyArray<{ offset: number; length: number }>) {
      for (const r of ranges) expect(r.offset + r.length).toBeLessThanOrEqual(bytes.length);
      source.hints.push([...ranges]);
    },
  };
  return source;
}

describe("read-ahead hints", () => {
  it("local headers, heads and member data are named in batches of at most PREFETCH_BATCH, each inside the file", async () => {
    const count = PREFETCH_BATCH + 44;
    const files: { [path: string]: string | { fixture: string } } = { "pkg/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } };
    for (let i = 0; i < count; i++) files[`pkg/m${i}.py`] = `x = ${i}\n`;
    const wheel = await makeWheel({ filename: "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl", members: files });
    const source = hintedSource(wheel.bytes);
    const read = await readWheel(source, nodeCodecs, { ...OPTIONS, select: binaryMembers });
    expect(read.facts.binaries.map((b) => b.member)).toEqual(["pkg/_m.cpython-313-darwin.so"]);
    const members = count + 4; // + METADATA, WHEEL, RECORD, the extension
    const sizes = source.hints.map((h) => h.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(PREFETCH_BATCH);
    // Two batches of local headers, two of heads, one of member data (the extension).
    expect(sizes).toEqual([PREFETCH_BATCH, members - PREFETCH_BATCH, PREFETCH_BATCH, members - PREFETCH_BATCH, 1]);
  });

  it("a source without prefetch is read as before: the same facts, no hint", async () => {
    const wheel = await makeWheel({ filename: "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl", members: { "pkg/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } } });
    const hinted = await readWheel(hintedSource(wheel.bytes), nodeCodecs, OPTIONS);
    const plain = await readWheel(memorySource(wheel.bytes), nodeCodecs, OPTIONS);
    expect(hinted.facts).toEqual(plain.facts);
  });
});
