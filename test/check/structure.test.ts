// The wheel-structure rules (R0xx): the archive, the .dist-info folder, WHEEL, RECORD and the file
// name, each broken one way at a time around an otherwise correct universal2 wheel.
import { describe, expect, test } from "vitest";
import type { Finding } from "../../src/model/findings.js";
import { checkBytes, zipBytes } from "../helpers/core.js";
import { readFixture } from "../helpers/fixtures.js";
import { makeWheel, sha256Field, tagsOfFilename, type WheelSpec } from "../helpers/make-wheel.js";
import { codesOf } from "./check-helpers.js";

const NAME = "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl";
const EXT = "pkg/_m.cpython-313-darwin.so";
const good = { [EXT]: { fixture: "ext_universal2.so" } };
const encoder = new TextEncoder();
const wheelText = `Wheel-Version: 1.0\nGenerator: retag-tests (0.1)\nRoot-Is-Purelib: false\n${tagsOfFilename(NAME)
  .map((t) => `Tag: ${t}\n`)
  .join("")}`;

/** Rows whose path ends with `suffix` get `edit` applied (for RECORD edits). */
const editRow =
  (suffix: string, edit: (row: string[]) => string[]) =>
  (rows: string[][]): string[][] =>
    rows.map((r) => (r[0]?.endsWith(suffix) ? edit(r) : r));

type RawMember = [name: string, data: Uint8Array | string];
const toEntry = ([name, data]: RawMember) => ({ name, data: typeof data === "string" ? encoder.encode(data) : data });

/**
 * A zip with exactly these members, a correct RECORD at `record` (when given), then `after` (not in
 * RECORD), written with writeZip directly for layouts makeWheel cannot express.
 */
function rawWheel(members: RawMember[], record: string | null, after: RawMember[] = []): Promise<Uint8Array> {
  const entries = members.map(toEntry);
  if (record !== null) {
    const text = entries.map((e) => `${e.name},${sha256Field(e.data)},${e.data.length}\r\n`).join("") + `${record},,\r\n`;
    entries.push({ name: record, data: encoder.encode(text) });
  }
  return zipBytes([...entries, ...after.map(toEntry)]);
}
const METADATA: RawMember = ["pkg-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n"];

interface Row {
  name: string;
  spec?: Partial<WheelSpec>;
  /** Raw bytes instead of a makeWheel spec. */
  bytes?: () => Uint8Array | Promise<Uint8Array>;
  filename?: string;
  codes: string[];
  expected: string[] | null;
  needsRewrite: boolean;
  expectedFilename: string | null;
  ok: boolean;
  findings?: Array<Partial<Finding>>;
}

const rows: Row[] = [
  {
    name: "the correct wheel every row breaks: ok",
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R001 not a zip at all",
    bytes: () => encoder.encode("<html>404 Not Found</html>"),
    codes: ["R001"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R001 a truncated download (the central directory is gone)",
    bytes: async () => {
      const bytes = (await makeWheel({ filename: NAME, members: good })).bytes;
      return bytes.subarray(0, Math.floor(bytes.length / 2));
    },
    codes: ["R001"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R001 an empty file",
    bytes: () => new Uint8Array(0),
    codes: ["R001"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R002 a '..' member name",
    spec: { members: { ...good, "../evil.py": "x = 1\n" } },
    codes: ["R002"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R002", member: "../evil.py", severity: "error" }],
  },
  {
    name: "R002 an absolute member name",
    spec: { members: { ...good, "/etc/evil.py": "x = 1\n" } },
    codes: ["R002"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    // Its RECORD row is read as pkg/evil.py (pypa/installer's records.py maps `\\` to `/`), which is
    // not the member's name: the member has no row (R008) and the row no member (R009).
    name: "R002 a backslash in a member name",
    spec: { members: { ...good, "pkg\\evil.py": "x = 1\n" } },
    codes: ["R002", "R008", "R009", "R020"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R003 two members with the same name",
    bytes: () => {
      // Appended after RECORD with the same bytes, so RECORD's row matches both copies: only the name repeats.
      const so = readFixture("ext_universal2.so");
      return rawWheel([[EXT, so], METADATA, ["pkg-1.0.dist-info/WHEEL", wheelText]], "pkg-1.0.dist-info/RECORD", [[EXT, so]]);
    },
    codes: ["R003"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R003", member: EXT }],
  },
  {
    name: "R004 no .dist-info folder",
    bytes: () => rawWheel([[EXT, readFixture("ext_universal2.so")]], null),
    codes: ["R004"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R004 two .dist-info folders",
    spec: { members: { ...good, "other-2.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: other\nVersion: 2.0\n" } },
    codes: ["R004"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R004", data: { folders: ["other-2.0.dist-info", "pkg-1.0.dist-info"] } }],
  },
  {
    name: "R005 WHEEL is missing",
    bytes: () => rawWheel([[EXT, readFixture("ext_universal2.so")], METADATA], "pkg-1.0.dist-info/RECORD"),
    codes: ["R005"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R005", member: "pkg-1.0.dist-info/WHEEL" }],
  },
  {
    name: "R005 WHEEL is not a header block",
    spec: { wheelText: "this is not a header\n" },
    codes: ["R005"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R005 WHEEL is empty",
    spec: { wheelText: "" },
    codes: ["R005"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R006 RECORD is missing",
    spec: { record: "omit" },
    codes: ["R006"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R006", member: "pkg-1.0.dist-info/RECORD" }],
  },
  {
    name: "R006 RECORD rows without three fields",
    spec: { record: (rows) => rows.map((r) => r.slice(0, 2)) },
    codes: ["R006"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R007 a hash that differs from the member",
    spec: { record: editRow(".so", ([path, , size]) => [path ?? "", `sha256=${"A".repeat(43)}`, size ?? ""]) },
    codes: ["R007"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R007", member: EXT }],
  },
  {
    name: "R007 a size that differs from the member",
    spec: { record: editRow(".so", ([path, hash]) => [path ?? "", hash ?? "", "12"]) },
    codes: ["R007"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R007", member: EXT, data: { size: 82752, recorded: "12" } }],
  },
  {
    name: "R007 a row without a hash",
    spec: { record: editRow(".so", ([path]) => [path ?? "", "", ""]) },
    codes: ["R007"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R008 a member without a RECORD row",
    spec: { record: (rows) => rows.filter((r) => r[0] !== EXT) },
    codes: ["R008"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R008", member: EXT }],
  },
  {
    name: "RECORD.jws needs no RECORD row",
    spec: { trailing: { "pkg-1.0.dist-info/RECORD.jws": "{}" } },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R009 a RECORD row for a member that is not there",
    spec: { record: (rows) => [...rows, ["pkg/gone.py", `sha256=${"A".repeat(43)}`, "3"]] },
    codes: ["R009"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R009", member: "pkg/gone.py" }],
  },
  {
    name: "R010 a file name with four parts: no tags to judge",
    filename: "pkg-1.0-cp313-macosx_10_9_universal2.whl",
    codes: ["R010"],
    expected: null,
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
  },
  {
    name: "R015 a compressed tag set out of order: information (pip and uv accept it); the tags are valid and kept",
    filename: "pkg-1.0-cp313-cp313-macosx_11_0_arm64.macosx_10_9_x86_64.whl",
    // The pair promises what the binaries allow (universal2 at 10.9 spells the same hosts): no R205.
    codes: ["R015"],
    expected: ["macosx_11_0_arm64", "macosx_10_9_x86_64"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R011 WHEEL Tag lines disagree with a valid name: rewrite WHEEL, keep the file name",
    spec: { tags: ["cp313-cp313-macosx_11_0_arm64"] },
    codes: ["R011"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: true,
    expectedFilename: NAME,
    ok: false,
    findings: [{ code: "R011", data: { wheel: ["cp313-cp313-macosx_11_0_arm64"], filename: ["cp313-cp313-macosx_10_9_universal2"] } }],
  },
  {
    name: "R011 WHEEL with no Tag lines",
    spec: { tags: [] },
    codes: ["R011"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: true,
    expectedFilename: NAME,
    ok: false,
  },
  {
    name: "R011 + R201: the repaired name wins and WHEEL follows it",
    filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
    spec: { members: { [EXT]: { fixture: "ext_arm64_11.0.so" } }, tags: ["cp313-cp313-macosx_10_9_x86_64"] },
    codes: ["R011", "R201"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: true,
    expectedFilename: "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl",
    ok: false,
  },
  {
    name: "R011 in a py3-none-any wheel is rewritten too",
    filename: "pkg-1.0-py3-none-any.whl",
    spec: { members: { "pkg/__init__.py": "" }, tags: ["py2-none-any"] },
    codes: ["R011"],
    expected: ["any"],
    needsRewrite: true,
    expectedFilename: "pkg-1.0-py3-none-any.whl",
    ok: false,
  },
  {
    name: "R011 + R206 in a platform wheel without native code",
    filename: "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl",
    spec: { members: { "pkg/__init__.py": "" }, tags: ["cp313-cp313-macosx_10_9_x86_64"] },
    codes: ["R011", "R206"],
    expected: ["macosx_11_0_arm64"],
    needsRewrite: true,
    expectedFilename: "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl",
    ok: false,
  },
  {
    name: "R011 Tag lines in another order or repeated are not a mismatch",
    spec: { tags: ["cp313-cp313-macosx_10_9_universal2", "cp313-cp313-macosx_10_9_universal2"] },
    codes: [],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: true,
  },
  {
    name: "R013 an md5 RECORD hash",
    spec: { record: editRow(".so", ([path, , size]) => [path ?? "", "md5=1B2M2Y8AsgTpgAmY7PhCfg", size ?? ""]) },
    codes: ["R013"],
    expected: ["macosx_10_9_universal2"],
    needsRewrite: false,
    expectedFilename: null,
    ok: false,
    findings: [{ code: "R013", member: EXT, data: { hash: "md5=1B2M2Y8AsgTpgAmY7PhCfg" } }],
  },
];

describe("check rules on the wheel's structure", () => {
  test.each(rows)("$name", async (row) => {
    const filename = row.filename ?? NAME;
    const bytes = (await row.bytes?.()) ?? (await makeWheel({ filename, members: good, ...row.spec })).bytes;
    const result = await checkBytes(filename, bytes);
    expect(codesOf(result)).toEqual(row.codes);
    expect(result.tags.expected).toEqual(row.expected);
    expect(result.needsRewrite).toBe(row.needsRewrite);
    expect(result.expectedFilename).toBe(row.expectedFilename);
    expect(result.ok).toBe(row.ok);
    for (const wanted of row.findings ?? []) expect(result.findings).toContainEqual(expect.objectContaining(wanted));
  });

  test("the wheel is named by its base name: a path's folders do not matter", async () => {
    const { bytes } = await makeWheel({ filename: NAME, members: good });
    const result = await checkBytes(`dist/sub/${NAME}`, bytes);
    expect(result.wheel).toBe(`dist/sub/${NAME}`);
    expect(result.name?.filename).toBe(NAME);
    expect(result.ok).toBe(true);
  });
});
