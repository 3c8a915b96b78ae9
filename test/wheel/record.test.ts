import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { WheelError } from "../../src/model/errors.js";
import { recordFindings } from "../../src/read/index.js";
import { checkRecordHash as checkHash, hashAlgorithmStatus as algorithmStatus, parseRecordHash, recordHash as hashOf } from "../../src/wheel/hash.js";
import { parseRecord, replaceRows, serializeRecordRow } from "../../src/wheel/record.js";
import { nodeCodecs } from "../helpers/core.js";
import type { RecordChange } from "../../src/wheel/record.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
function python(script: string, input: unknown): unknown {
  const run = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const HASH = "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"; // sha256 of no bytes
const recordHash = (data: Uint8Array): Promise<string> => hashOf(data, nodeCodecs);
const checkRecordHash = (field: string, data: Uint8Array): Promise<string> => checkHash(field, data, nodeCodecs);
const hashAlgorithmStatus = (algorithm: string): string => algorithmStatus(algorithm, nodeCodecs.digests);

// A RECORD as wheel / setuptools write it: csv.writer, \r\n, RECORD itself last with empty fields.
const TYPICAL =
  `fakepkg1/__init__.py,${HASH},0\r\n` +
  `fakepkg1/_m.cpython-313-darwin.so,sha256=abc,123\r\n` +
  `fakepkg1-1.0.dist-info/WHEEL,sha256=def,104\r\n` +
  `fakepkg1-1.0.dist-info/RECORD,,\r\n`;

const TRICKY_PATHS = [
  "pkg/plain.py",
  "pkg/with,comma.py",
  'pkg/with"quote".py',
  "pkg/ünïcödé/日本.py",
  "pkg/line\r\nbreak.txt",
  "pkg/lf\nonly.txt",
  "pkg/cr\ronly.txt",
  " pkg/leading space.py",
  "pkg/tab\there.py",
  'pkg/",all"\n',
  "pkg/\u2028separator.txt",
];

describe("parseRecord", () => {
  it.each([
    ["csv.writer output (\\r\\n)", TYPICAL],
    ["\\n endings", TYPICAL.replaceAll("\r\n", "\n")],
    ["no final newline", TYPICAL.slice(0, -2)],
    ["mixed endings", "a,,\nb,,\r\nc,,\rd,,"],
    ["quoted fields with commas, quotes and line breaks", '"a,b",,\r\n"a""b",,\r\n"a\r\nb",sha256=x,1\r\n"a\nb",,\n'],
    ["a trailing blank line", TYPICAL + "\r\n"],
    ["several trailing blank lines", TYPICAL + "\n\r\n\r"],
    ["empty", ""],
  ])("gives back the same text through replaceRows with no change: %s", (_, text) => {
    expect(replaceRows(parseRecord(text), new Map())).toBe(text);
  });

  it("reads path, hash and size, keeping each row's raw text", () => {
    const record = parseRecord('"x,y",sha256=a,1\r\nRECORD,,\n');
    expect(record.rows).toEqual([
      { path: "x,y", hash: "sha256=a", size: "1", raw: '"x,y",sha256=a,1\r\n' },
      { path: "RECORD", hash: "", size: "", raw: "RECORD,," + "\n" },
    ]);
    expect(record.eol).toBe("\n");
    expect(record.trailer).toBe("");
  });

  it.each([
    [TYPICAL, "\r\n"],
    [TYPICAL.replaceAll("\r\n", "\n"), "\n"],
    ["a,,\nb,,\r\nc,,", "\r\n"], // the last row that has an ending
    ["a,,", "\r\n"], // none: csv.writer's default
  ])("takes the line ending for new rows from the last row: %j", (text, eol) => {
    expect(parseRecord(text).eol).toBe(eol);
  });

  it.each([
    // csv.reader in non-strict mode: quotes inside an unquoted field are literal, text after a
    // closing quote is appended.
    ['a"b,c,d\n', ['a"b', "c", "d"]],
    ['"a"b,c,d\n', ["ab", "c", "d"]],
    ['"a" ,c,d\n', ["a ", "c", "d"]],
    [" a , b , c ", [" a ", " b ", " c "]],
  ])("reads %j as csv.reader does", (text, fields) => {
    const [row] = parseRecord(text).rows;
    expect([row?.path, row?.hash, row?.size]).toEqual(fields);
  });

  it.each([
    ["an unterminated quote", 'a,,\n"b,,\nc,,\n', "never closed"],
    ["two fields", "a,sha256=x\n", "2 fields"],
    ["four fields", "a,sha256=x,1,extra\n", "4 fields"],
    ["one field", "a,,\nb\n", "line 2 has 1 field,"],
    ["a blank line between rows", "a,,\n\nb,,\n", "line 2 is blank"],
    ["a whitespace line at the end", "a,,\n \n", "1 field"],
  ])("refuses %s with R006", (_, text, message) => {
    let error: unknown;
    try {
      parseRecord(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WheelError);
    expect((error as WheelError).code).toBe("R006");
    expect((error as WheelError).message).toContain(message);
  });
});

describe("serializeRecordRow", () => {
  it.each([
    ["pkg/a.py", HASH, 12, "\r\n", `pkg/a.py,${HASH},12\r\n`],
    ["pkg.dist-info/RECORD", "", "", "\n", "pkg.dist-info/RECORD,,\n"],
    ["a,b", "", "", "\r\n", '"a,b",,\r\n'],
    ['a"b', "", "", "\r\n", '"a""b",,\r\n'],
    ["a\nb", "", "", "", '"a\nb",,'],
    ["ü", "", "", "\r\n", "ü,,\r\n"],
  ])("%j", (path, hash, size, eol, expected) => {
    expect(serializeRecordRow(path, hash, size, eol)).toBe(expected);
  });
});

describe("replaceRows", () => {
  const change = (entries: [string, RecordChange][]) => new Map(entries);

  it.each([
    {
      why: "a changed row is written anew, every other row byte for byte",
      before: 'a,sha256=1,1\r\n"b,c",sha256=2,2\nw,sha256=3,3\r\nRECORD,,\r\n',
      changes: change([["w", { hash: "sha256=new", size: 99 }]]),
      after: 'a,sha256=1,1\r\n"b,c",sha256=2,2\nw,sha256=new,99\r\nRECORD,,\r\n',
    },
    {
      why: "a changed row keeps its own line ending",
      before: "w,sha256=3,3\nRECORD,,\r\n",
      changes: change([["w", { hash: "sha256=new", size: "4" }]]),
      after: "w,sha256=new,4\nRECORD,,\r\n",
    },
    {
      why: "a changed path with special characters is quoted",
      before: '"w,1",sha256=3,3\r\n',
      changes: change([["w,1", { hash: "sha256=new", size: 4 }]]),
      after: '"w,1",sha256=new,4\r\n',
    },
    {
      why: "null drops the row (signature files)",
      before: "a,sha256=1,1\r\nd/RECORD.jws,sha256=2,2\r\nd/RECORD,,\r\n",
      changes: change([["d/RECORD.jws", null]]),
      after: "a,sha256=1,1\r\nd/RECORD,,\r\n",
    },
    {
      why: "dropping a path with no row changes nothing",
      before: "a,sha256=1,1\r\n",
      changes: change([["nothing", null]]),
      after: "a,sha256=1,1\r\n",
    },
    {
      why: "the last row without a line ending keeps having none",
      before: "a,sha256=1,1\r\nw,sha256=3,3",
      changes: change([["w", { hash: "sha256=new", size: 4 }]]),
      after: "a,sha256=1,1\r\nw,sha256=new,4",
    },
    {
      why: "a path with no row is added at the end with the record's line ending",
      before: "a,sha256=1,1\n",
      changes: change([["new file", { hash: "sha256=n", size: 5 }]]),
      after: "a,sha256=1,1\nnew file,sha256=n,5\n",
    },
    {
      why: "an added row after a last row without an ending gives that row one",
      before: "a,sha256=1,1\r\nb,,",
      changes: change([["c", { hash: "sha256=n", size: 5 }]]),
      after: "a,sha256=1,1\r\nb,,\r\nc,sha256=n,5\r\n",
    },
    {
      why: "trailing blank lines stay at the end",
      before: "a,sha256=1,1\r\n\r\n",
      changes: change([["a", { hash: "sha256=2", size: 2 }]]),
      after: "a,sha256=2,2\r\n\r\n",
    },
  ])("$why", ({ before, changes, after }) => {
    expect(replaceRows(parseRecord(before), changes)).toBe(after);
  });
});

const WHEEL_HASH = await recordHash(new TextEncoder().encode("Wheel-Version: 1.0\n".repeat(4)));

describe("the RECORD rule (read stage)", () => {
  // The rule the product runs as it reads a wheel, over members whose bytes are known.
  const RECORD = "p-1.0.dist-info/RECORD";
  const wheelText = new TextEncoder().encode("Wheel-Version: 1.0\n".repeat(4));
  const members = async (extra: Array<{ name: string; data: Uint8Array }> = []) =>
    Promise.all(
      [{ name: "p/__init__.py", data: new Uint8Array(0) }, { name: "p-1.0.dist-info/WHEEL", data: wheelText }, { name: RECORD, data: new Uint8Array(300) }, ...extra].map(
        async (m) => ({ name: m.name, size: m.data.length, digests: { sha256: await nodeCodecs.digest("sha256", m.data) } }),
      ),
    );
  const wheelHash = WHEEL_HASH;
  const size = String(wheelText.length);
  const base = `p/__init__.py,${HASH},0\r\np-1.0.dist-info/WHEEL,${wheelHash},${size}\r\n${RECORD},,\r\n`;
  const findings = async (text: string, extra: Array<{ name: string; data: Uint8Array }> = []) =>
    recordFindings(parseRecord(text), await members(extra), RECORD, nodeCodecs.digests);

  it("finds nothing in a consistent RECORD (RECORD's own row and signatures need no rows)", async () => {
    expect(await findings(base, [{ name: `${RECORD}.jws`, data: new Uint8Array(10) }])).toEqual([]);
    // RECORD's own row may be missing too.
    expect(await findings(base.replace(`${RECORD},,\r\n`, ""))).toEqual([]);
  });

  it.each([
    ["a member without a row", base.replace(`p/__init__.py,${HASH},0\r\n`, ""), "R008", "p/__init__.py"],
    ["a row without a member", `${base}p/gone.py,${HASH},0\r\n`, "R009", "p/gone.py"],
    ["a duplicate row", `${base}p/__init__.py,${HASH},0\r\n`, "R006", "p/__init__.py"],
    ["a wrong size", base.replace(`${wheelHash},${size}`, `${wheelHash},${size}1`), "R007", "p-1.0.dist-info/WHEEL"],
    ["a size that is not a number", base.replace(`${wheelHash},${size}`, `${wheelHash},1e2`), "R006", "p-1.0.dist-info/WHEEL"],
    ["a missing hash", base.replace(`${wheelHash},${size}`, `,${size}`), "R007", "p-1.0.dist-info/WHEEL"],
    ["a wrong hash", base.replace(`${wheelHash},${size}`, `${HASH},${size}`), "R007", "p-1.0.dist-info/WHEEL"],
    ["a forbidden hash algorithm", base.replace(wheelHash, `md5=${"A".repeat(22)}`), "R013", "p-1.0.dist-info/WHEEL"],
    ["an unknown hash algorithm", base.replace(wheelHash, "crc32=def"), "R013", "p-1.0.dist-info/WHEEL"],
    ["a hash without '='", base.replace(wheelHash, "def"), "R013", "p-1.0.dist-info/WHEEL"],
  ])("reports %s", async (_, text, code, member) => {
    expect((await findings(text)).map((p) => [p.code, p.member])).toEqual([[code, member]]);
  });

  it("accepts an empty size (installers then check only the hash)", async () => {
    expect(await findings(base.replace(`${wheelHash},${size}`, `${wheelHash},`))).toEqual([]);
  });
});

describe("hash.ts", async () => {
  it("recordHash is sha256, urlsafe base64, no padding", async () => {
    // HASH has `-_` where plain base64 has `+/`, and no `=` padding.
    expect(await recordHash(new Uint8Array())).toBe(HASH);
    expect(await recordHash(new TextEncoder().encode("retag"))).toMatch(/^sha256=[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ["sha256=abc", { algorithm: "sha256", digest: "abc" }],
    ["sha256=ab=", { algorithm: "sha256", digest: "ab=" }],
    ["sha256=", null],
    ["=abc", null],
    ["abc", null],
    ["", null],
  ])("parseRecordHash(%j)", (field, expected) => {
    expect(parseRecordHash(field)).toEqual(expected);
  });

  const data = new TextEncoder().encode("hello wheel\n");
  const good = await recordHash(data);
  it.each([
    [good, "ok"],
    [`${good}=`, "ok"], // padded digests decode to the same bytes
    [good.replace("sha256", "SHA256"), "ok"],
    [await recordHash(new Uint8Array([1])), "mismatch"],
    [`md5=${"A".repeat(22)}`, "forbidden-algorithm"],
    [`sha1=${"A".repeat(27)}`, "forbidden-algorithm"],
    [`sha224=${"A".repeat(38)}`, "forbidden-algorithm"],
    [`sha3_224=${"A".repeat(38)}`, "forbidden-algorithm"],
    [`crc32=AAAAAA`, "unknown-algorithm"],
    [`shake_256=${"A".repeat(43)}`, "unknown-algorithm"],
    ["sha256", "malformed"],
    ["sha256=", "malformed"],
    ["sha256=not base64!", "malformed"],
    [good.slice(0, -4), "malformed"], // too short for sha256
    [`sha256=${good.slice(7)}AAAA`, "malformed"], // too long
  ])("checkRecordHash(%j) → %s", async (field, expected) => {
    expect(await checkRecordHash(field, data)).toBe(expected);
  });

  it.each(["sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s"])(
    "%s is accepted",
    (algorithm) => expect(hashAlgorithmStatus(algorithm)).toBe("ok"),
  );
});

// Python's csv module and hashlib are what wheel, setuptools and installers use: our reading and writing
// must agree with them.
const CSV_ORACLE = `
import csv, io, json, sys
job = json.load(sys.stdin)
out = io.StringIO(newline="")
csv.writer(out).writerows(job["rows"])
lf = io.StringIO(newline="")
# Python 3.11 and older: a writer with lineterminator="\\n" leaves a lone "\\r" unquoted (its own reader then
# splits the row there); rows with "\\r" are left out of this half.
csv.writer(lf, lineterminator="\\n").writerows(r for r in job["rows"] if "\\r" not in r[0])
read = [list(csv.reader(io.StringIO(t, newline=""))) for t in job["texts"]]
print(json.dumps({"crlf": out.getvalue(), "lf": lf.getvalue(), "read": read}))
`;
const HASH_ORACLE = `
import base64, hashlib, json, sys
data = json.load(sys.stdin).encode()
print(json.dumps([a + "=" + base64.urlsafe_b64encode(hashlib.new(a, data).digest()).rstrip(b"=").decode()
    for a in ["sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s"]]))
`;

describe("against Python's csv and hashlib modules", () => {
  const rows = TRICKY_PATHS.map((path, i) => [path, i % 2 ? HASH : "", i % 2 ? String(i * 1000) : ""]);
  const texts = [
    TYPICAL,
    'a"b,c,d\n"a"b,c,d\r\n"a" ,c,d\r a , b , c \r\n',
    '"x\r\ny",sha256=1,2\r\n"z""",,\n',
    "a,b,c\r\r\n",
  ];

  it.skipIf(!hasPython)("reads what csv.writer writes and writes what it writes (skipped when python3 is absent)", () => {
    const oracle = python(CSV_ORACLE, { rows, texts }) as { crlf: string; lf: string; read: string[][][] };
    const lfRows = rows.filter(([path]) => !path!.includes("\r"));
    for (const [text, eol, written] of [
      [oracle.crlf, "\r\n", rows],
      [oracle.lf, "\n", lfRows],
    ] as const) {
      const record = parseRecord(text);
      expect(record.rows.map((r) => [r.path, r.hash, r.size])).toEqual(written);
      expect(written.map(([p, h, s]) => serializeRecordRow(p!, h!, s!, eol)).join("")).toBe(text);
      expect(replaceRows(record, new Map())).toBe(text);
    }
    texts.forEach((text, i) => {
      const expected = (oracle.read[i] as string[][]).filter((row) => row.length > 0);
      expect(parseRecord(text).rows.map((r) => [r.path, r.hash, r.size])).toEqual(expected);
    });
  });

  it.skipIf(!hasPython)("verifies hashes hashlib computes (skipped when python3 is absent)", async () => {
    const text = "data for every algorithm ✓";
    const fields = python(HASH_ORACLE, text) as string[];
    const bytes = new TextEncoder().encode(text);
    expect(await Promise.all(fields.map((field) => checkRecordHash(field, bytes)))).toEqual(fields.map(() => "ok"));
    expect(fields[0]).toBe(await recordHash(bytes));
  });
});
