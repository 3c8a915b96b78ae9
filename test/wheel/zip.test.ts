// The zip reader and writer against themselves and against independent implementations: jszip
// (reads what writeZip writes, writes what openZip reads) and Python's zipfile (what pip uses).
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { memberNameProblems, openZip } from "../../src/zip/index.js";
import { readMemberBytes as readMember, readMemberHeadBytes as readMemberHead, zipBytes as writeZip } from "../helpers/core.js";
import { crc32Portable } from "../../src/zip/crc32.js";
import { crc32 } from "../helpers/core.js";
import type { ArchiveMember } from "../../src/model/zip.js";
import { encode, hasPython, sameBytes, jszipArchive, pythonArchive, readWithJszip } from "../helpers/make-zip.js";

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const when = new Date(Date.UTC(2024, 4, 17, 13, 45, 58));
const compressible = encode("import os\n".repeat(5000));
const noise = new Uint8Array(randomBytes(70_000));

describe("writeZip → openZip / readMember", () => {
  const cases: Array<{ what: string; entry: Parameters<typeof writeZip>[0][number]; method: number; mode: number }> = [
    { what: "deflated text", entry: { name: "pkg/__init__.py", data: compressible }, method: 8, mode: 0o100644 },
    { what: "stored binary", entry: { name: "pkg/_x.so", data: noise, method: 0 }, method: 0, mode: 0o100644 },
    { what: "deflated incompressible", entry: { name: "noise.bin", data: noise }, method: 8, mode: 0o100644 },
    { what: "empty deflated file", entry: { name: "empty.txt", data: new Uint8Array(0) }, method: 8, mode: 0o100644 },
    { what: "empty stored file", entry: { name: "empty0", data: new Uint8Array(0), method: 0 }, method: 0, mode: 0o100644 },
    { what: "folder", entry: { name: "pkg/data/", data: new Uint8Array(0) }, method: 0, mode: 0o040755 },
    { what: "script 0755", entry: { name: "x.data/scripts/run", data: encode("#!/bin/sh\n"), mode: 0o755 }, method: 8, mode: 0o100755 },
    { what: "non-ASCII name", entry: { name: "données/ünï cödé.txt", data: encode("é") }, method: 8, mode: 0o100644 },
    { what: "explicit file type", entry: { name: "link", data: encode("target"), mode: 0o120777 }, method: 8, mode: 0o120777 },
  ];

  it.each(cases)("$what", async ({ entry, method, mode }) => {
    const archive = await openZip(await writeZip([{ ...entry, date: when }]));
    expect(archive.members).toHaveLength(1);
    const member = archive.members[0] as ArchiveMember;
    expect(member).toMatchObject({ name: entry.name, method, size: entry.data.length, unixMode: mode, index: 0 });
    expect(member.isDirectory).toBe(entry.name.endsWith("/"));
    expect(member.modified).toEqual(when);
    expect(sameBytes(await readMember(archive, member), entry.data)).toBe(true);
  });

  it("keeps order and duplicate names (both members are visible)", async () => {
    const names = ["b", "a", "dup", "c/", "dup"];
    const archive = await openZip(await writeZip(names.map((name, i) => ({ name, data: encode(name.endsWith("/") ? "" : `${i}`) }))));
    expect(archive.members.map((m) => m.name)).toEqual(names);
    expect(archive.members.map((m) => m.index)).toEqual([0, 1, 2, 3, 4]);
    expect(decode(await readMember(archive, archive.members[2] as ArchiveMember))).toBe("2");
    expect(decode(await readMember(archive, archive.members[4] as ArchiveMember))).toBe("4");
  });

  it("reads an empty archive", async () => {
    const bytes = await writeZip([]);
    expect(bytes).toHaveLength(22);
    expect((await openZip(bytes)).members).toEqual([]);
  });

  it("is reproducible: same entries, same bytes", async () => {
    const entries = [{ name: "a", data: compressible }, { name: "b/", data: new Uint8Array(0) }];
    expect(await writeZip(entries)).toEqual(await writeZip(entries));
  });

  it("rounds times down to DOS's 2-second resolution and clamps dates before 1980", async () => {
    const archive = await openZip(
      await writeZip([
        { name: "odd", data: encode("x"), date: new Date(Date.UTC(2001, 1, 3, 4, 5, 7, 900)) },
        { name: "old", data: encode("x"), date: new Date(Date.UTC(1970, 0, 1)) },
      ]),
    );
    expect(archive.members.map((m) => m.modified.toISOString())).toEqual(["2001-02-03T04:05:06.000Z", "1980-01-01T00:00:00.000Z"]);
  });
});

describe("cross-check with jszip", () => {
  it("jszip reads what writeZip writes", async () => {
    const entries = [
      { name: "pkg/mod.py", data: compressible, mode: 0o644 },
      { name: "pkg/_x.so", data: noise, method: 0 as const, mode: 0o755 },
      { name: "pkg/dir/", data: new Uint8Array(0) },
      { name: "pkg/ñame with space.txt", data: encode("ü") },
    ];
    const seen = await readWithJszip(await writeZip(entries.map((e) => ({ ...e, date: when }))));
    expect(seen.map((m) => m.name)).toEqual(entries.map((e) => e.name));
    for (const [i, entry] of entries.entries()) {
      const member = seen[i] as (typeof seen)[number];
      expect(sameBytes(member.data, entry.data)).toBe(true);
      expect(member.date).toEqual(when);
      expect(member.dir).toBe(entry.name.endsWith("/"));
      if (entry.mode !== undefined) expect((member.unixPermissions ?? 0) & 0o777).toBe(entry.mode);
    }
  });

  it("openZip reads what jszip writes, non-ASCII names and spaces included", async () => {
    const entries = [
      { name: "plain.txt", data: compressible, compression: "DEFLATE" as const },
      { name: "stored.bin", data: noise, compression: "STORE" as const },
      { name: "dir with space/naïve café.py", data: encode("print('☕')"), unixPermissions: 0o755 },
      { name: "日本語/ファイル.txt", data: encode("テキスト") },
      { name: "empty", data: new Uint8Array(0), compression: "STORE" as const },
    ];
    const archive = await openZip(await jszipArchive(entries.map((e) => ({ ...e, date: when }))));
    expect(archive.members.map((m) => m.name)).toEqual(entries.map((e) => e.name));
    for (const [i, entry] of entries.entries()) {
      const member = archive.members[i] as ArchiveMember;
      expect(sameBytes(await readMember(archive, member), entry.data)).toBe(true);
      expect(member.method).toBe(entry.compression === "STORE" ? 0 : 8);
      expect(member.modified).toEqual(when);
    }
    expect((archive.members[2] as ArchiveMember).unixMode! & 0o777).toBe(0o755);
    expect(memberNameProblems(archive.members)).toEqual([]);
  });
});

describe.skipIf(!hasPython)("archives written by Python's zipfile", () => {
  // Stored, deflated and zip64-forced members; the second archive is written to an unseekable stream,
  // so zipfile uses data descriptors (flag bit 3) for every member.
  const script = (unseekable: boolean): string => `
import sys, zipfile
class Unseekable:
    def __init__(self, f): self.f = f
    def write(self, b): return self.f.write(b)
    def flush(self): self.f.flush()
out = open(sys.argv[1], "wb")
target = Unseekable(out) if ${unseekable ? "True" : "False"} else out
with zipfile.ZipFile(target, "w") as z:
    def info(name, method):
        i = zipfile.ZipInfo(name, (2023, 6, 7, 8, 9, 10))
        i.compress_type = method
        i.external_attr = 0o100755 << 16
        return i
    z.writestr(info("stored.txt", zipfile.ZIP_STORED), b"stored " * 100)
    z.writestr(info("deflated.txt", zipfile.ZIP_DEFLATED), b"deflated " * 1000)
    with z.open(info("zip64.bin", zipfile.ZIP_DEFLATED), "w", force_zip64=True) as f:
        f.write(bytes(range(256)) * 40)
    with z.open(info("zip64-stored.bin", zipfile.ZIP_STORED), "w", force_zip64=True) as f:
        f.write(b"z" * 1000)
    z.writestr(info("ünïcode.txt", zipfile.ZIP_DEFLATED), "é".encode())
out.close()
`;
  const expected: Array<[string, Uint8Array]> = [
    ["stored.txt", encode("stored ".repeat(100))],
    ["deflated.txt", encode("deflated ".repeat(1000))],
    ["zip64.bin", new Uint8Array(Array.from({ length: 256 * 40 }, (_, i) => i % 256))],
    ["zip64-stored.bin", encode("z".repeat(1000))],
    ["ünïcode.txt", encode("é")],
  ];

  it.each([
    { what: "seekable", unseekable: false, descriptor: 0 },
    { what: "streamed (data descriptors)", unseekable: true, descriptor: 8 },
  ])("$what", async ({ unseekable, descriptor }) => {
    const archive = await openZip(pythonArchive(script(unseekable)));
    expect(archive.members.map((m) => m.name)).toEqual(expected.map(([name]) => name));
    for (const [i, [, data]] of expected.entries()) {
      const member = archive.members[i] as ArchiveMember;
      expect(sameBytes(await readMember(archive, member), data)).toBe(true);
      expect(member.flags & 8).toBe(descriptor);
      expect(member.unixMode).toBe(0o100755);
      expect(member.modified).toEqual(new Date(Date.UTC(2023, 5, 7, 8, 9, 10)));
    }
    // Data descriptors are found and measured, so each record ends where the next begins.
    const ends = archive.layout.map((place) => place.recordEnd);
    const starts = archive.layout.map((place) => place.localHeaderOffset);
    expect(ends.slice(0, -1)).toEqual(starts.slice(1));
  });

  it("reads the zip64 end of central directory record (65536 members)", async () => {
    const archive = await openZip(
      pythonArchive(`
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(65536): z.writestr(str(i), b"" if i else b"first")
`),
    );
    expect(archive.zip64).not.toBeNull();
    expect(archive.members).toHaveLength(65536);
    expect(archive.members[65535]?.name).toBe("65535");
    expect(decode(await readMember(archive, archive.members[0] as ArchiveMember))).toBe("first");
  });
});

describe("readMemberHead", async () => {
  const big = new Uint8Array(randomBytes(200_000));
  const archive = await openZip(
    await writeZip([
      { name: "deflated", data: big },
      { name: "stored", data: big, method: 0 },
      { name: "tiny", data: encode("abc") },
      { name: "empty", data: new Uint8Array(0) },
    ]),
  );
  it.each([
    { name: "deflated", n: 4096, expected: big.subarray(0, 4096) },
    { name: "deflated", n: 1, expected: big.subarray(0, 1) },
    { name: "stored", n: 4096, expected: big.subarray(0, 4096) },
    { name: "tiny", n: 4096, expected: encode("abc") },
    { name: "empty", n: 16, expected: new Uint8Array(0) },
  ])("$name, first $n bytes", async ({ name, n, expected }) => {
    const member = archive.members.find((m) => m.name === name) as ArchiveMember;
    expect(sameBytes(await readMemberHead(archive, member, n), expected)).toBe(true);
  });
});

describe("memberNameProblems", () => {
  const member = (name: string, extra: Partial<ArchiveMember> = {}): ArchiveMember => ({
    name,
    method: 8,
    compressedSize: 0,
    size: 0,
    crc32: 0,
    isDirectory: false,
    unixMode: 0o100644,
    index: 0,
    nameBytes: encode(name),
    flags: /^[\x00-\x7f]*$/.test(name) ? 0 : 0x800,
    modified: when,
    externalAttributes: 0o100644 << 16,
    ...extra,
  });

  it.each([
    { name: "pkg/ok.py", problem: null },
    { name: "pkg/..data/ok..py", problem: null },
    { name: "../evil.py", problem: "unsafe-path" },
    { name: "pkg/../../evil.py", problem: "unsafe-path" },
    { name: "/etc/passwd", problem: "unsafe-path" },
    { name: "C:/evil.dll", problem: "unsafe-path" },
    { name: "c:evil.dll", problem: "unsafe-path" },
    { name: "pkg\\evil.py", problem: "unsafe-path" },
    { name: "pkg/evil\0.py", problem: "unsafe-path" },
    { name: "", problem: "unsafe-path" },
  ])("$name → $problem", ({ name, problem }) => {
    expect(memberNameProblems([member(name)]).map((p) => p.problem)).toEqual(problem ? [problem] : []);
  });

  it("reports a later member with the same name as a duplicate", () => {
    const problems = memberNameProblems([member("a", { index: 0 }), member("b", { index: 1 }), member("a", { index: 2 })]);
    expect(problems).toEqual([{ member: "a", problem: "duplicate", detail: expect.stringContaining("0 and 2") }]);
  });

  it("reports symlinks by Unix mode only", () => {
    expect(memberNameProblems([member("l", { unixMode: 0o120777 })]).map((p) => p.problem)).toEqual(["symlink"]);
    expect(memberNameProblems([member("l", { unixMode: null, externalAttributes: 0o120777 << 16 })])).toEqual([]);
  });

  it("reports invalid UTF-8 and non-ASCII names without the UTF-8 flag", () => {
    const invalid = member("x\ufffd", { nameBytes: new Uint8Array([0x78, 0xc3, 0x28]), flags: 0x800 });
    const cp437 = member("Ç", { nameBytes: new Uint8Array([0x80]), flags: 0 });
    expect(memberNameProblems([invalid, cp437]).map((p) => p.problem)).toEqual(["bad-encoding", "bad-encoding"]);
  });

  it("sees duplicates and symlinks in a real archive (jszip would hide the duplicate)", async () => {
    const archive = await openZip(
      await writeZip([
        { name: "pkg/a.py", data: encode("1") },
        { name: "pkg/link", data: encode("../../etc"), mode: 0o120777 },
        { name: "pkg/a.py", data: encode("2") },
      ]),
    );
    expect(memberNameProblems(archive.members).map((p) => [p.member, p.problem])).toEqual([
      ["pkg/link", "symlink"],
      ["pkg/a.py", "duplicate"],
    ]);
  });

  it("decodes names without the UTF-8 flag as CP437, as Python's zipfile does", async () => {
    const bytes = await writeZip([{ name: "ÿ", data: encode("x") }]);
    // Replace the UTF-8 name (C3 BF) with the CP437 bytes 0x98 0x9B and clear flag bit 11.
    const copy = new Uint8Array(bytes);
    for (let at = 0; at + 1 < copy.length; at++) {
      if (copy[at] === 0xc3 && copy[at + 1] === 0xbf) copy.set([0x98, 0x9b], at);
    }
    const view = new DataView(copy.buffer);
    view.setUint16(6, 0, true); // local header flags
    const central = copy.length - 22 - (46 + 2);
    view.setUint16(central + 8, 0, true);
    const archive = await openZip(copy);
    expect(archive.members[0]?.name).toBe("ÿ¢");
    expect(memberNameProblems(archive.members).map((p) => p.problem)).toEqual(["bad-encoding"]);
  });
});

describe("crc32", () => {
  it.each([
    ["", 0],
    ["a", 0xe8b7be43],
    ["123456789", 0xcbf43926], // the standard check value of CRC-32/ISO-HDLC
  ])("%j → %i", (text, expected) => {
    expect(crc32(encode(text))).toBe(expected);
    expect(crc32Portable(encode(text))).toBe(expected);
  });

  it("the portable version agrees with zlib, also when continued", () => {
    expect(crc32Portable(noise)).toBe(crc32(noise));
    expect(crc32Portable(noise.subarray(5000), crc32Portable(noise.subarray(0, 5000)))).toBe(crc32(noise));
  });
});
