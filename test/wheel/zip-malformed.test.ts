// Broken archives: every one must end in a ZipError whose kind the read stage maps to a finding
// (R001 not a readable zip, R014 a member that cannot be read), never in another exception.
import { randomBytes } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ZipError } from "../../src/model/errors.js";
import { openZip, type ZipArchive } from "../../src/zip/index.js";
import { readMemberBytes as readMember, readMemberHeadBytes as readMemberHead, zipBytes as writeZip } from "../helpers/core.js";
import type { ArchiveMember } from "../../src/model/zip.js";
import { concatBytes, encode, eocdOffset, getU32, sameBytes, setU16, setU32 } from "../helpers/make-zip.js";

/**
 * The ZipError `fn` rejects with, with the finding code the read stage maps its kind to (fails the
 * test when it throws anything else, or nothing).
 */
async function wheelError(fn: () => Promise<unknown>): Promise<{ code: string; message: string; member: string | undefined }> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    const zip = error as ZipError;
    return { code: zip.kind === "corrupt" ? "R001" : "R014", message: zip.message, member: zip.member };
  }
  throw new Error("expected a ZipError, nothing was thrown");
}

const text = encode("def f():\n    return 1\n".repeat(200));
const base = await writeZip([
  { name: "first.py", data: text },
  { name: "second.bin", data: new Uint8Array(randomBytes(3000)), method: 0 },
  { name: "third.py", data: encode("x = 3\n") },
]);
const layout = (await openZip(base)).layout;
const eocd = eocdOffset(base);
const cdOffset = getU32(base, eocd + 16);
/** Offset of member i's central entry / local header in `base`. */
const central = (i: number): number => layout[i]!.centralOffset;
const local = (i: number): number => layout[i]!.localHeaderOffset;
const patched = (edit: (bytes: Uint8Array) => void): Uint8Array => {
  const copy = base.slice();
  edit(copy);
  return copy;
};

describe("openZip rejects what is not a readable zip (R001)", () => {
  it.each([
    { what: "empty file", bytes: new Uint8Array(0), message: /empty/ },
    { what: "a few bytes", bytes: encode("PK"), message: /no end of central directory/ },
    { what: "text", bytes: encode("Wheel-Version: 1.0\n".repeat(10)), message: /no end of central directory/ },
    { what: "truncated in the end record", bytes: base.subarray(0, base.length - 5), message: /end of central directory signature .* no room/ },
    { what: "truncated in the central directory", bytes: base.subarray(0, cdOffset + 60), message: /no end of central directory/ },
    { what: "cut before the data (end record kept)", bytes: concatBytes([base.subarray(0, 40), base.subarray(cdOffset)]), message: /runs past the end|central directory/ },
    { what: "no EOCD signature", bytes: patched((b) => setU32(b, eocd, 0)), message: /no end of central directory/ },
    { what: "EOCD count too high", bytes: patched((b) => (setU16(b, eocd + 8, 4), setU16(b, eocd + 10, 4))), message: /central directory/ },
    { what: "EOCD count too low", bytes: patched((b) => (setU16(b, eocd + 8, 2), setU16(b, eocd + 10, 2))), message: /entries take/ },
    { what: "EOCD counts disagree", bytes: patched((b) => setU16(b, eocd + 8, 2)), message: /disagrees/ },
    { what: "EOCD central directory offset past the end", bytes: patched((b) => setU32(b, eocd + 16, base.length + 10)), message: /runs past the end of the file/ },
    { what: "EOCD central directory size too big", bytes: patched((b) => setU32(b, eocd + 12, 100_000)), message: /runs past the end of the file/ },
    { what: "EOCD central directory offset shifted", bytes: patched((b) => setU32(b, eocd + 16, cdOffset - 1)), message: /zipfile would look for it elsewhere/ },
    { what: "EOCD multi-disk", bytes: patched((b) => setU16(b, eocd + 4, 1)), message: /multi-disk/ },
    { what: "comment length past the end", bytes: patched((b) => setU16(b, eocd + 20, 10)), message: /comment/ },
    { what: "central entry pointing past the end", bytes: patched((b) => setU32(b, central(2) + 42, base.length + 100)), message: /third\.py/ },
    { what: "central entry pointing into the central directory", bytes: patched((b) => setU32(b, central(2) + 42, cdOffset)), message: /third\.py/ },
    { what: "central entry pointing at no local header", bytes: patched((b) => setU32(b, central(1) + 42, local(1) + 1)), message: /no local header for second\.bin/ },
    { what: "compressed size past the central directory", bytes: patched((b) => setU32(b, central(2) + 20, 1_000_000)), message: /third\.py.*runs into the central directory/ },
    { what: "members overlapping (size grown into the next)", bytes: patched((b) => setU32(b, central(0) + 20, local(1) - local(0))), message: /overlap/ },
    { what: "local header name mismatch", bytes: patched((b) => (b[local(1) + 30] = "S".charCodeAt(0))), message: /names a different member.*second\.bin/ },
    { what: "local name length mismatch", bytes: patched((b) => setU16(b, local(1) + 26, 3)), message: /names a different member/ },
    { what: "stored member with two sizes", bytes: patched((b) => setU32(b, central(1) + 24, 10)), message: /stored member second\.bin/ },
    { what: "central name runs past the directory", bytes: patched((b) => setU16(b, central(2) + 28, 500)), message: /runs past the end of the central directory/ },
    { what: "zip64 placeholder without zip64 field", bytes: patched((b) => setU32(b, central(0) + 24, 0xffffffff)), message: /zip64 extra field/ },
    { what: "bad central signature", bytes: patched((b) => setU32(b, central(1), 0x12345678)), message: /central directory signature/ },
  ])("$what", async ({ bytes, message }) => {
    const error = await wheelError(() => openZip(bytes));
    expect(error.code).toBe("R001");
    expect(error.message).toMatch(message);
  });

  it("rejects two central entries that share one local record (overlap bomb)", async () => {
    const bytes = await writeZip([
      { name: "a", data: encode("same") },
      { name: "a", data: encode("same") },
    ]);
    const { layout: places } = await openZip(bytes);
    setU32(bytes, places[1]!.centralOffset + 42, places[0]!.localHeaderOffset);
    const error = await wheelError(() => openZip(bytes));
    expect([error.code, error.message]).toEqual(["R001", expect.stringMatching(/overlap/)]);
  });
  // Signatures in the comment, stubs and junk before the end records: test/wheel/zip-eocd.test.ts.
});

describe("readMember refuses what cannot be read safely", async () => {
  const member = (archive: ZipArchive, name: string): ArchiveMember => archive.members.find((m) => m.name === name)!;

  // A bomb: 10 MB of zeros deflate to about 10 KB; the central directory says 1000 bytes.
  const zeros = new Uint8Array(10_000_000);
  const bomb = await writeZip([{ name: "bomb.bin", data: zeros }, { name: "ok.txt", data: encode("ok") }]);
  setU32(bomb, (await openZip(bomb)).layout[0]!.centralOffset + 24, 1000);

  it.each([
    { what: "bomb (inflates past the declared size)", bytes: bomb, name: "bomb.bin", code: "R014", message: /more than its declared size of 1000/ },
    { what: "CRC mismatch", bytes: patched((b) => setU32(b, central(0) + 16, 0xdeadbeef)), name: "first.py", code: "R001", message: /CRC-32/ },
    { what: "CRC mismatch (stored)", bytes: patched((b) => (b[layout[1]!.dataOffset] = (b[layout[1]!.dataOffset] ?? 0) ^ 0xff)), name: "second.bin", code: "R001", message: /CRC-32/ },
    { what: "declared size larger than the data", bytes: patched((b) => setU32(b, central(0) + 24, text.length + 1)), name: "first.py", code: "R001", message: /has \d+ bytes, but its header says/ },
    { what: "corrupt deflate stream", bytes: patched((b) => b.fill(0xff, layout[0]!.dataOffset, layout[0]!.dataOffset + 4)), name: "first.py", code: "R001", message: /corrupt/ },
    { what: "encrypted flag", bytes: patched((b) => setU16(b, central(0) + 8, 1)), name: "first.py", code: "R014", message: /encrypted/ },
    { what: "method 12 (bzip2)", bytes: patched((b) => setU16(b, central(0) + 10, 12)), name: "first.py", code: "R014", message: /compression method 12 is not supported/ },
    { what: "method 14 (LZMA)", bytes: patched((b) => setU16(b, central(2) + 10, 14)), name: "third.py", code: "R014", message: /compression method 14/ },
  ])("$what → $code", async ({ bytes, name, code, message }) => {
    const archive = await openZip(bytes);
    const error = await wheelError(() => readMember(archive, member(archive, name)));
    expect([error.code, error.member]).toEqual([code, name]);
    expect(error.message).toMatch(message);
  });

  it("refuses a bomb from its declared sizes, before inflating it", async () => {
    const archive = await openZip(bomb);
    expect((await wheelError(() => readMember(archive, member(archive, "bomb.bin")))).code).toBe("R014");
    expect((await wheelError(() => readMemberHead(archive, member(archive, "bomb.bin"), 4096))).code).toBe("R014");
    expect(new TextDecoder().decode(await readMember(archive, member(archive, "ok.txt")))).toBe("ok");
  });

  it("refuses a member above maxMemberSize before inflating it", async () => {
    const archive = await openZip(base);
    const error = await wheelError(() => readMember(archive, member(archive, "first.py"), { maxMemberSize: 100 }));
    expect([error.code, error.message]).toEqual(["R014", expect.stringMatching(/more than the limit of 100/)]);
    expect(await readMember(archive, member(archive, "third.py"), { maxMemberSize: 100 })).toHaveLength(6);
  });

  it("reads a member's head without inflating the rest (a corrupt tail does not matter)", async () => {
    const data = new Uint8Array(randomBytes(100_000));
    const bytes = await writeZip([{ name: "x.so", data }]);
    const place = (await openZip(bytes)).layout[0]!;
    bytes.fill(0xff, place.dataEnd - 2000, place.dataEnd);
    const archive = await openZip(bytes);
    expect(sameBytes(await readMemberHead(archive, archive.members[0]!, 4096), data.subarray(0, 4096))).toBe(true);
    expect((await wheelError(() => readMember(archive, archive.members[0]!))).code).toBe("R001");
  });

  it("an empty member whose data inflates to something is a bomb", async () => {
    const bytes = await writeZip([{ name: "e", data: new Uint8Array(0) }]);
    const archive0 = await openZip(bytes);
    // Swap in data that inflates to one byte, keeping the declared size 0.
    const one = deflateRawSync(encode("!"));
    const place = archive0.layout[0]!;
    const rebuilt = concatBytes([bytes.subarray(0, place.dataOffset), one, bytes.subarray(place.dataEnd)]);
    const shift = one.length - (place.dataEnd - place.dataOffset);
    const eocdAt = eocdOffset(rebuilt);
    setU32(rebuilt, eocdAt + 16, getU32(rebuilt, eocdAt + 16) + shift);
    setU32(rebuilt, place.centralOffset + shift + 20, one.length);
    const archive = await openZip(rebuilt);
    expect((await wheelError(() => readMember(archive, archive.members[0]!))).code).toBe("R014");
  });
});
