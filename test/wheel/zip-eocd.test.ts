// Which archive a file is: retag must read the one Python's zipfile (so pip) reads, and refuse a
// file that readers could take for different archives (issue 11, D11: an end of central directory
// signature in the archive comment made retag and zipfile read different archives, and retag wrote
// a rewrite pip could not open). Each row says what zipfile (the local python3, 3.11 or later) does
// with the same bytes, checked when python3 is there; rows where retag is stricter say why.
import { describe, expect, it } from "vitest";
import { ZipError } from "../../src/model/errors.js";
import { writeVariantZip, type VariantEntry } from "../../fuzz/zip-variants.mjs";
import { crc32Portable } from "../../src/zip/crc32.js";
import { openZip } from "../../src/zip/index.js";
import { readMemberBytes, zipBytes as writeZip } from "../helpers/core.js";
import { concatBytes, encode, eocdOffset, getU32, hasPython, pythonOnArchive, setU16, setU32 } from "../helpers/make-zip.js";

const base = await writeZip([
  { name: "first.py", data: encode("x = 1\n".repeat(50)) },
  { name: "second.py", data: encode("y = 2\n") },
  { name: "third.py", data: encode("z = 3\n") },
]);
const eocd = eocdOffset(base);
const cdOffset = getU32(base, eocd + 16);
const cdSize = getU32(base, eocd + 12);

/** An end record (no zip64) for `entries` entries at `offset`, `size` bytes, with `comment`. */
function endRecord(entries: number, offset: number, size: number, comment: Uint8Array = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(22 + comment.length);
  setU32(out, 0, 0x06054b50);
  setU16(out, 8, entries);
  setU16(out, 10, entries);
  setU32(out, 12, size);
  setU32(out, 16, offset);
  setU16(out, 20, comment.length);
  out.set(comment, 22);
  return out;
}

/** `base` with its end record given `comment` (the comment length updated). */
const withComment = (comment: Uint8Array): Uint8Array => concatBytes([base.subarray(0, eocd), endRecord(3, cdOffset, cdSize, comment)]);

/** The central directory entries of `base` but the last (for an end record that describes fewer members). */
const centralWithout = (skip: number): Uint8Array => {
  let at = cdOffset;
  const kept: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    const length = 46 + (base[at + 28]! | (base[at + 29]! << 8)) + (base[at + 30]! | (base[at + 31]! << 8)) + (base[at + 32]! | (base[at + 33]! << 8));
    if (i !== skip) kept.push(base.subarray(at, at + length));
    at += length;
  }
  return concatBytes(kept);
};

/** What Python's zipfile makes of the bytes: the member names (every member read back), or the exception's class. */
function zipfileReads(bytes: Uint8Array): string[] | string {
  const out = pythonOnArchive(
    bytes,
    "import json, sys, zipfile\ntry:\n    z = zipfile.ZipFile(sys.argv[1])\n    [z.read(i) for i in z.infolist()]\n    print(json.dumps(z.namelist()))\nexcept Exception as e:\n    print(json.dumps(type(e).__name__))",
  );
  return JSON.parse(out) as string[] | string;
}

const pythonIsNew = hasPython && pythonOnArchive(new Uint8Array(), "import sys\nprint(sys.version_info >= (3, 12))").trim() === "True";

/** The member names, every member read back; or the ZipError's message. */
async function retagReads(bytes: Uint8Array): Promise<string[] | string> {
  try {
    const archive = await openZip(bytes);
    for (const m of archive.members) await readMemberBytes(archive, m);
    return archive.members.map((m) => m.name);
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    return (error as ZipError).message;
  }
}

const ALL = ["first.py", "second.py", "third.py"];
const prefix = encode("#!/bin/sh\nexec python3 -m pkg \"$@\"\n");

/** `base` with `bytes` in front and every offset moved past them (as `zip -A` adjusts a self-extractor). */
function prefixedAdjusted(): Uint8Array {
  const out = concatBytes([prefix, base]);
  let at = prefix.length + cdOffset;
  for (let i = 0; i < 3; i++) {
    setU32(out, at + 42, getU32(out, at + 42) + prefix.length);
    at += 46 + (out[at + 28]! | (out[at + 29]! << 8));
  }
  setU32(out, prefix.length + eocd + 16, cdOffset + prefix.length);
  return out;
}

interface Row {
  what: string;
  bytes: () => Uint8Array;
  /** The member names retag reads, or what its R001 message says. */
  retag: string[] | RegExp;
  /** What zipfile reads: the names, or the exception it raises. */
  zipfile: string[] | string;
}

const rows: Row[] = [
  { what: "a plain archive", bytes: () => base, retag: ALL, zipfile: ALL },
  { what: "a comment without the signature", bytes: () => withComment(encode("built by hand")), retag: ALL, zipfile: ALL },
  {
    // eocd-in-comment.whl: a comment ending in a record with no comment of its own; zipfile's first
    // check (the last 22 bytes) takes it, and its offsets point nowhere.
    what: "a fake end record at the very end of the comment",
    bytes: () => withComment(endRecord(5, 999_999, 999_999)),
    retag: /central directory at offset 999999/,
    zipfile: "BadZipFile",
  },
  {
    what: "a fake end record earlier in the comment (zipfile takes the last signature)",
    bytes: () => withComment(concatBytes([endRecord(1, 0, 46), encode(" trailing words")])),
    retag: /central directory|end of central directory/,
    zipfile: "BadZipFile",
  },
  {
    // A second archive's directory and end record in the comment, both consistent: zipfile reads the
    // two-member one, a reader that takes the first consistent record the three-member one.
    what: "a second consistent directory in the comment, listing fewer members",
    bytes: () => {
      const inner = centralWithout(2);
      const innerAt = eocd + 22;
      return withComment(concatBytes([inner, endRecord(2, innerAt, inner.length)]));
    },
    retag: /both describe an archive/,
    zipfile: ["first.py", "second.py"],
  },
  {
    what: "junk between the central directory and the end record",
    bytes: () => concatBytes([base.subarray(0, eocd), encode("JUNKJUNK"), base.subarray(eocd)]),
    retag: /ends 8 bytes before the end records.*elsewhere/,
    zipfile: "BadZipFile",
  },
  { what: "a stub before the archive, offsets adjusted (zip -A)", bytes: prefixedAdjusted, retag: ALL, zipfile: ALL },
  {
    // zipfile shifts every offset by the stub's length; retag refuses rather than rewrite offsets it
    // would have to guess (no wheel builder writes this).
    what: "a stub before the archive, offsets not adjusted (stricter than zipfile)",
    bytes: () => concatBytes([prefix, base]),
    retag: /ends \d+ bytes before the end records/,
    zipfile: ALL,
  },
  {
    // The record 65,558 bytes from the end: inside the window Python 3.11 searches, one byte outside
    // the one 3.12 and later search (ZIP_MAX_COMMENT became 65535).
    what: "an end record only Python 3.11 finds (stricter than 3.11)",
    bytes: () => concatBytes([withComment(new Uint8Array(0xffff).fill(0x20)), encode("!")]),
    retag: /just outside the 65557 bytes/,
    zipfile: ALL,
  },
  {
    what: "a signature in the last 21 bytes with no room for a record",
    bytes: () => withComment(concatBytes([encode("...."), new Uint8Array([0x50, 0x4b, 5, 6, 0, 0])])),
    retag: /no room for its record/,
    zipfile: "BadZipFile",
  },
];

/** An extra field: id, then its body. */
function extra(id: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  setU16(out, 0, id);
  setU16(out, 2, body.length);
  out.set(body, 4);
  return out;
}

/** A Unicode Path extra field (0x7075, version 1) naming `stored` as `name`. */
function unicodePath(stored: string, name: string): Uint8Array {
  const utf8 = encode(name);
  const body = new Uint8Array(5 + utf8.length);
  body[0] = 1;
  setU32(body, 1, crc32Portable(encode(stored)));
  body.set(utf8, 5);
  return extra(0x7075, body);
}

const one = (entry: Partial<VariantEntry>): Uint8Array =>
  writeVariantZip([{ name: "a.py", data: encode("x = 1\n"), method: 8, ...entry }]);
/** `bytes` with the u16 at `at` (local header) and at the same field of the first central entry set to `value`. */
function patchFlags(bytes: Uint8Array, value: (flags: number) => number, headers: "both" | "local" = "both"): Uint8Array {
  const out = bytes.slice();
  setU16(out, 6, value(out[6]! | (out[7]! << 8)));
  if (headers === "both") {
    const central = getU32(out, eocdOffset(out) + 16);
    setU16(out, central + 8, value(out[central + 8]! | (out[central + 9]! << 8)));
  }
  return out;
}

const entryRows: Row[] = [
  {
    what: "an entry that needs zip 6.4 (zipfile opens nothing above 6.3)",
    bytes: () => {
      const out = one({});
      setU16(out, getU32(out, eocdOffset(out) + 16) + 6, 64);
      return out;
    },
    retag: /needs zip version 6.4/,
    zipfile: "NotImplementedError",
  },
  { what: "an extra field that runs past its entry", bytes: () => one({ extra: extra(0x5455, new Uint8Array(5)).subarray(0, 7) }), retag: /runs past its central directory entry/, zipfile: "BadZipFile" },
  { what: "a known extra field (Info-ZIP time stamp)", bytes: () => one({ extra: extra(0x5455, new Uint8Array(5)) }), retag: ["a.py"], zipfile: ["a.py"] },
  {
    // Python 3.12 and later read the Unicode Path name; 3.11 and retag the stored one.
    what: "a Unicode Path field that renames the member",
    bytes: () => one({ extra: unicodePath("a.py", "b.py") }),
    retag: /Unicode Path extra field naming it b\.py/,
    zipfile: pythonIsNew ? ["b.py"] : ["a.py"],
  },
  { what: "a Unicode Path field that agrees with the name", bytes: () => one({ extra: unicodePath("a.py", "a.py") }), retag: ["a.py"], zipfile: ["a.py"] },
  { what: "a stale Unicode Path field (its CRC is of another name)", bytes: () => one({ extra: unicodePath("old.py", "b.py") }), retag: ["a.py"], zipfile: ["a.py"] },
  { what: "compressed patched data (general purpose bit 5)", bytes: () => patchFlags(one({}), (f) => f | 0x20), retag: /compressed patched data/, zipfile: "NotImplementedError" },
  { what: "strong encryption (general purpose bit 6)", bytes: () => patchFlags(one({}), (f) => f | 0x40), retag: /strongly encrypted/, zipfile: "NotImplementedError" },
  {
    // Found by the fuzz harness: installers never read a folder, but zipfile's testzip does.
    what: "a folder entry with an unknown compression method",
    bytes: () => {
      const out = writeVariantZip([{ name: "pkg/", data: new Uint8Array(), method: 0 }, { name: "pkg/a.py", data: encode("x = 1\n") }]);
      const central = getU32(out, eocdOffset(out) + 16);
      setU16(out, 8, 0xffff);
      setU16(out, central + 10, 0xffff);
      return out;
    },
    retag: /compression method 65535 is not supported/,
    zipfile: "NotImplementedError",
  },
  {
    what: "a UTF-8 name flagged in the central directory only",
    bytes: () => patchFlags(one({ name: "pkg/é.py" }), (f) => f & ~0x800, "local"),
    retag: /disagree on whether its name is UTF-8/,
    zipfile: "BadZipFile",
  },
];

describe("the archive is the one Python's zipfile reads", () => {
  it.each([...rows, ...entryRows])("$what", async ({ bytes, retag, zipfile }) => {
    const input = bytes();
    const got = await retagReads(input);
    if (Array.isArray(retag)) expect(got).toEqual(retag);
    else expect(got).toMatch(retag);
    if (hasPython) expect(zipfileReads(input)).toEqual(zipfile);
  });
});
