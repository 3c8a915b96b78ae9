// rewriteZip: what fix mode relies on (DESIGN §4): untouched members carried over byte for byte, order,
// times and permissions kept, replaced members in place, dropped members gone, and the output readable
// by Python's zipfile (what pip installs with).
import { describe, expect, it } from "vitest";
import { openZip, type ZipArchive } from "../../src/zip/index.js";
import { readMemberBytes as readMember, rewriteZipBytes as rewriteZip, zipBytes as writeZip } from "../helpers/core.js";
import type { ArchiveMember } from "../../src/model/zip.js";
import {
  concatBytes,
  encode,
  hasInfoZip,
  hasPython,
  infoZipArchive,
  pythonArchive,
  pythonOnArchive,
  pythonTestzip,
  sameBytes,
} from "../helpers/make-zip.js";

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** A member's local record (header, extra fields, data, descriptor) as raw bytes. */
function localRecord(archive: ZipArchive, member: ArchiveMember): Promise<Uint8Array> {
  const place = archive.layout[member.index]!;
  return archive.source.read(place.localHeaderOffset, place.recordEnd - place.localHeaderOffset);
}

/** A member's central entry with the local header offset field zeroed (the only field allowed to change). */
async function centralEntryWithoutOffset(archive: ZipArchive, member: ArchiveMember): Promise<Uint8Array> {
  const place = archive.layout[member.index]!;
  const copy = (await archive.source.read(place.centralOffset, place.centralLength)).slice();
  new DataView(copy.buffer).setUint32(42, 0, true);
  if (place.offsetFieldAt !== 42) copy.fill(0, place.offsetFieldAt, place.offsetFieldAt + 8);
  return copy;
}

interface Source {
  what: string;
  make: () => Uint8Array | Promise<Uint8Array>;
  skip: boolean;
}

// The same wheel-like content from several writers: a 0755 script, a stored binary, deflated text,
// and the two dist-info files fix mode edits (WHEEL replaced, RECORD.jws dropped).
const when = new Date(Date.UTC(2022, 10, 11, 12, 13, 14));
const sources: Source[] = [
  {
    what: "writeZip",
    skip: false,
    make: () =>
      writeZip([
        { name: "pkg/__init__.py", data: encode("from ._x import *\n".repeat(50)), date: when },
        { name: "pkg/_x.so", data: encode("\xcf\xfa\xed\xfe binary"), method: 0, date: when },
        { name: "pkg-1.0.data/scripts/tool", data: encode("#!python\n"), mode: 0o755, date: when },
        { name: "pkg-1.0.dist-info/WHEEL", data: encode("Wheel-Version: 1.0\nTag: py3-none-any\n"), date: when },
        { name: "pkg-1.0.dist-info/RECORD.jws", data: encode("{}"), date: when },
        { name: "pkg-1.0.dist-info/RECORD", data: encode("pkg/__init__.py,,\n"), date: when },
      ]),
  },
  {
    what: "Python zipfile, streamed (data descriptors, zip64 extras)",
    skip: !hasPython,
    make: () =>
      pythonArchive(`
import sys, zipfile
class Unseekable:
    def __init__(self, f): self.f = f
    def write(self, b): return self.f.write(b)
    def flush(self): self.f.flush()
with open(sys.argv[1], "wb") as out, zipfile.ZipFile(Unseekable(out), "w", zipfile.ZIP_DEFLATED) as z:
    def put(name, data, mode=0o644, method=zipfile.ZIP_DEFLATED, zip64=False):
        i = zipfile.ZipInfo(name, (2021, 3, 4, 5, 6, 8))
        i.compress_type = method
        i.external_attr = (0o100000 | mode) << 16
        with z.open(i, "w", force_zip64=zip64) as f: f.write(data)
    put("pkg/__init__.py", b"from ._x import *\\n" * 50)
    put("pkg/_x.so", b"\\xcf\\xfa\\xed\\xfe binary", method=zipfile.ZIP_STORED, zip64=True)
    put("pkg-1.0.data/scripts/tool", b"#!python\\n", mode=0o755)
    put("pkg-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\\nTag: py3-none-any\\n", zip64=True)
    put("pkg-1.0.dist-info/RECORD.jws", b"{}")
    put("pkg-1.0.dist-info/RECORD", b"pkg/__init__.py,,\\n")
`),
  },
  {
    what: "Info-ZIP zip (extended timestamp and Unix extra fields)",
    skip: !hasInfoZip,
    make: () =>
      infoZipArchive({
        "pkg/__init__.py": { data: "from ._x import *\n".repeat(50) },
        "pkg/_x.so": { data: "\xcf\xfa\xed\xfe binary" },
        "pkg-1.0.data/scripts/tool": { data: "#!python\n", mode: 0o755 },
        "pkg-1.0.dist-info/WHEEL": { data: "Wheel-Version: 1.0\nTag: py3-none-any\n" },
        "pkg-1.0.dist-info/RECORD.jws": { data: "{}" },
        "pkg-1.0.dist-info/RECORD": { data: "pkg/__init__.py,,\n" },
      }),
  },
];

const newWheel = encode("Wheel-Version: 1.0\nTag: cp312-cp312-macosx_11_0_arm64\n");

describe.each(sources)("rewriteZip on an archive from $what", ({ make, skip }) => {
  it.skipIf(skip)("keeps untouched members byte for byte, replaces and drops the others", async () => {
    const input = await openZip(await make());
    const output = concatBytes(
      await rewriteZip(input, {
        replace: new Map([["pkg-1.0.dist-info/WHEEL", newWheel]]),
        drop: new Set(["pkg-1.0.dist-info/RECORD.jws"]),
      }),
    );
    const result = await openZip(output);

    expect(result.members.map((m) => m.name)).toEqual(
      input.members.map((m) => m.name).filter((name) => name !== "pkg-1.0.dist-info/RECORD.jws"),
    );
    for (const after of result.members) {
      const before = input.members.find((m) => m.name === after.name)!;
      expect(after.modified).toEqual(before.modified);
      expect(after.externalAttributes).toBe(before.externalAttributes);
      expect(after.method).toBe(before.method);
      if (after.name === "pkg-1.0.dist-info/WHEEL") {
        expect(decode(await readMember(result, after))).toBe(decode(newWheel));
        continue;
      }
      expect(sameBytes(await localRecord(result, after), await localRecord(input, before))).toBe(true);
      expect(sameBytes(await centralEntryWithoutOffset(result, after), await centralEntryWithoutOffset(input, before))).toBe(true);
      expect(sameBytes(await readMember(result, after), await readMember(input, before))).toBe(true);
    }
    expect((result.members.find((m) => m.name.endsWith("scripts/tool"))!.unixMode ?? 0) & 0o777).toBe(0o755);
    if (hasPython) {
      expect(pythonTestzip(output)).toBeNull();
      const wheel = pythonOnArchive(output, "import sys, zipfile\nprint(zipfile.ZipFile(sys.argv[1]).read('pkg-1.0.dist-info/WHEEL').decode(), end='')");
      expect(wheel).toBe(decode(newWheel));
    }
  });

  it.skipIf(skip)("with no changes, reproduces the archive exactly", async () => {
    const bytes = await make();
    expect(sameBytes(concatBytes(await rewriteZip(await openZip(bytes), { replace: new Map(), drop: new Set() })), bytes)).toBe(true);
  });
});

describe("rewriteZip details", async () => {
  const bytes = await writeZip([
    { name: "a.txt", data: encode("a") },
    { name: "b.bin", data: encode("b"), method: 0 },
    { name: "c.txt", data: encode("c") },
  ]);
  const archive = await openZip(bytes);

  it("keeps a replaced member's place and method (stored stays stored, deflated stays deflated)", async () => {
    const out = await openZip(
      concatBytes(await rewriteZip(archive, { replace: new Map([["b.bin", encode("B".repeat(1000))], ["a.txt", encode("A".repeat(1000))]]), drop: new Set() })),
    );
    expect(out.members.map((m) => [m.name, m.method])).toEqual([["a.txt", 8], ["b.bin", 0], ["c.txt", 8]]);
    expect(out.members[0]!.compressedSize).toBeLessThan(100);
    expect(decode(await readMember(out, out.members[1]!))).toBe("B".repeat(1000));
  });

  it("returns views into the input for untouched members (no copy of their data)", async () => {
    const chunks = await rewriteZip(archive, { replace: new Map(), drop: new Set(["a.txt"]) });
    expect(chunks.some((chunk) => chunk.buffer === bytes.buffer)).toBe(true);
  });

  it("can drop every member", async () => {
    const out = await openZip(concatBytes(await rewriteZip(archive, { replace: new Map(), drop: new Set(["a.txt", "b.bin", "c.txt"]) })));
    expect(out.members).toEqual([]);
  });

  it("refuses names that are not in the archive, or both replaced and dropped", async () => {
    await expect(rewriteZip(archive, { replace: new Map([["nope", encode("")]]), drop: new Set() })).rejects.toThrow(/no member named nope/);
    await expect(rewriteZip(archive, { replace: new Map([["a.txt", encode("")]]), drop: new Set(["a.txt"]) })).rejects.toThrow(/both/);
  });

  it("keeps the archive comment", async () => {
    const bytes = await writeZip([{ name: "a", data: encode("a") }]);
    const withComment = concatBytes([bytes.subarray(0, bytes.length - 2), new Uint8Array([5, 0]), encode("hello")]);
    const out = concatBytes(await rewriteZip(await openZip(withComment), { replace: new Map([["a", encode("b")]]), drop: new Set() }));
    expect(decode(out.subarray(out.length - 5))).toBe("hello");
    expect(decode((await openZip(out)).comment)).toBe("hello");
  });
});

describe.skipIf(!hasPython)("rewriteZip keeps zip64 end records", () => {
  it("when the input had them (65536 members), and Python reads the result", async () => {
    const input = await openZip(
      pythonArchive(`
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(65536): z.writestr(str(i), str(i))
`),
    );
    const output = await rewriteZip(input, { replace: new Map([["7", encode("seven")]]), drop: new Set(["0"]) });
    const result = await openZip(concatBytes(output));
    expect(result.zip64).not.toBeNull();
    expect(result.members).toHaveLength(65535);
    expect(pythonOnArchive(output, "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(len(z.namelist()), z.read('7').decode(), z.testzip())").trim()).toBe(
      "65535 seven None",
    );
  });
});
