// The hostile inputs of issue 11 (../shared/repros/), each built here: what retag must do with them.
// The repro files themselves were found by an attack on retag; these tests build the same shapes
// (smaller where the size does not matter) so they run without the repro folder.
import { describe, expect, it } from "vitest";
import { MAX_FINDINGS_PER_CODE, MAX_MESSAGE } from "../../src/model/findings.js";
import { MAX_RECORD_FIELD } from "../../src/wheel/record.js";
import { checkBytes, retagBytes } from "../helpers/core.js";
import { readFixture } from "../helpers/fixtures.js";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";
import { buildFat, buildImage } from "../macho/builder.js";

const PURE = "red-1.0-py3-none-any.whl";

/** The longest message in a result, and the size of the whole result as JSON: what a person or a CI log receives. */
function sizes(result: { findings: { message: string }[] }): { longest: number; json: number } {
  return { longest: Math.max(0, ...result.findings.map((f) => f.message.length)), json: JSON.stringify(result).length };
}

describe("D1: a huge RECORD field is R006, found in linear time", () => {
  // mk-record-oom.py: one 130 MB path field (a 3 MB wheel) aborted Node with a heap out-of-memory;
  // record-60mb-field.whl (60 KB) took 30–55 s and 2.4 GB. 8 MB is enough to tell linear from not.
  it.each([
    ["a plain field", (field: string) => [`red/${field}`, "", ""]],
    ["a quoted field with line breaks", (field: string) => [`red/${field.slice(0, 4_000_000)}\n${field.slice(4_000_000)},x`, "", ""]],
    ["a huge hash", (field: string) => ["red/__init__.py", `sha256=${field}`, "2"]],
  ])("%s", async (_, row) => {
    const field = "a".repeat(63).concat("b").repeat(8_000_000 / 64);
    const wheel = await makeWheel({ filename: PURE, members: { "red/__init__.py": "#\n" }, record: (rows) => [...rows, row(field)] });
    const result = await checkBytes(wheel.filename, wheel.bytes);
    const r006 = result.findings.filter((f) => f.code === "R006");
    expect(r006.map((f) => f.message)).toEqual([expect.stringContaining(`a field is longer than ${MAX_RECORD_FIELD} characters`)]);
    expect(sizes(result).longest).toBeLessThan(200);
  });

  it("a field of MAX_RECORD_FIELD characters is still read (a row naming no member: R009)", async () => {
    const path = `red/${"p".repeat(MAX_RECORD_FIELD - 4)}`;
    const wheel = await makeWheel({ filename: PURE, record: (rows) => [...rows, [path, "", ""]] });
    const result = await checkBytes(wheel.filename, wheel.bytes);
    expect(result.findings.map((f) => [f.code, f.member])).toEqual([["R009", path]]);
    expect(sizes(result).longest).toBeLessThan(300);
  });
});

describe("D2: many findings of one code are capped, never a stack overflow", () => {
  // record-130k-ghost-rows.whl: 130,000 rows naming no member; `findings.push(...x)` overflowed the stack.
  it("130,000 ghost rows: 100 R009 findings listed and one that counts the rest", async () => {
    const ghosts = Array.from({ length: 130_000 }, (_, i) => [`red/ghost_${i}.py`, "", ""]);
    const wheel = await makeWheel({ filename: PURE, record: (rows) => [...rows, ...ghosts] });
    for (const result of [await checkBytes(wheel.filename, wheel.bytes), (await retagBytes(wheel.filename, wheel.bytes, { rehash: true })).check]) {
      const r009 = result.findings.filter((f) => f.code === "R009");
      expect(r009).toHaveLength(MAX_FINDINGS_PER_CODE + 1);
      expect(r009.slice(0, 3).map((f) => f.member)).toEqual(["red/ghost_0.py", "red/ghost_1.py", "red/ghost_2.py"]);
      expect(r009.at(-1)).toMatchObject({ severity: "error", data: { suppressed: 130_000 - MAX_FINDINGS_PER_CODE } });
      expect(r009.at(-1)?.message).toMatch(/^129900 more R009 findings are not listed/);
      expect(result.ok).toBe(false);
    }
  });

  it("--rehash still rewrites such a wheel: the cap changes what is listed, not what is decided", async () => {
    const ghosts = Array.from({ length: 1000 }, (_, i) => [`red/ghost_${i}.py`, "", ""]);
    const wheel = await makeWheel({ filename: PURE, record: (rows) => [...rows, ...ghosts] });
    const fixed = await retagBytes(wheel.filename, wheel.bytes, { rehash: true });
    expect(fixed.action).toBe("rewritten");
    expect(fixed.reasons.filter((f) => f.code === "R009")).toHaveLength(MAX_FINDINGS_PER_CODE + 1);
    expect((await checkBytes(fixed.filename, fixed.bytes!)).findings).toEqual([]);
  });
});

describe("D10: messages quote at most a short prefix of the input", () => {
  const long = "B".repeat(5_000_000);
  // wheel-50mb-line.whl: a 50 KB wheel whose WHEEL has one 50 MB line printed a 50 MB R005 message.
  it.each([
    ["a WHEEL line that is no header (R005)", { filename: PURE, wheelText: `Wheel-Version: 1.0\n${long}\n` }, "R005"],
    ["a Wheel-Version that is not a version (R005)", { filename: PURE, wheelText: `Wheel-Version: ${long}\nTag: py3-none-any\n` }, "R005"],
    ["a Tag line that disagrees with the name (R011)", { filename: PURE, tags: [`py3-none-${long}`] }, "R011"],
    ["a RECORD hash of an unknown algorithm (R013)", { filename: PURE, members: { "red/a.py": "" }, record: (rows: string[][]) => rows.map((r) => (r[0] === "red/a.py" ? [r[0]!, `x=${long.slice(0, 60_000)}`, "0"] : r)) }, "R013"],
    ["a RECORD size that is not a number (R006)", { filename: PURE, members: { "red/a.py": "" }, record: (rows: string[][]) => rows.map((r) => (r[0] === "red/a.py" ? [r[0]!, r[1]!, long.slice(0, 60_000)] : r)) }, "R006"],
    ["a member name of 60,000 characters (R008)", { filename: PURE, members: { [`red/${long.slice(0, 60_000)}`]: "" }, record: (rows: string[][]) => rows.filter((r) => !r[0]!.startsWith("red/B")) }, "R008"],
  ])("%s", async (_, spec: WheelSpec, code) => {
    const wheel = await makeWheel(spec);
    const result = await checkBytes(wheel.filename, wheel.bytes);
    expect(result.findings.map((f) => f.code)).toContain(code);
    const { longest, json } = sizes(result);
    expect(longest).toBeLessThanOrEqual(MAX_MESSAGE);
    // The JSON result keeps full member names (a program needs them) but never a whole line or field.
    expect(json).toBeLessThan(spec.members === undefined ? 10_000 : 150_000);
  });

  it("a file name given through the API is clipped in R010's message", async () => {
    const wheel = await makeWheel({ filename: PURE });
    const result = await checkBytes(`red-${"1".repeat(100_000)}-x-py3-none-any-and-more.whl`, wheel.bytes);
    expect(result.findings.map((f) => f.code)).toContain("R010");
    expect(sizes(result).longest).toBeLessThan(600);
  });
});

describe("D12: a fat binary with many slices is a fat binary, not a Java class file", () => {
  // fat-31-slices.whl: arm64 and 30 slices of other CPUs, no x86_64, in a universal2 wheel; the
  // slice count (31) was taken for a class file version, the binary ignored, and the tag kept.
  const EXT = "red/_m.cpython-313-darwin.so";
  it.each([31, 44, 45, 60])("%i slices: R201 for the missing x86_64, and the tag repaired", async (count) => {
    const others = Array.from({ length: count - 1 }, (_, i) => ({ bytes: buildImage({ cputype: 100 + i }).bytes }));
    const fat = buildFat([{ bytes: readFixture("ext_arm64_11.0.so") }, ...others]).bytes;
    const wheel = await makeWheel({ filename: "red-1.0-cp313-cp313-macosx_10_9_universal2.whl", members: { [EXT]: fat } });
    const result = await checkBytes(wheel.filename, wheel.bytes);
    expect(result.binaries.map((b) => [b.member, b.kind, b.slices.length])).toEqual([[EXT, "fat", count]]);
    expect(result.findings.map((f) => f.code)).toContain("R201");
    expect(result.tags.expected).toEqual(["macosx_11_0_arm64"]);
  });
});

describe("D3 (the core's half): a member name with a control character is R002, and no message carries one", () => {
  // inject-member-name.whl, inject-unrecorded-member.whl: names that print `::error` / `::add-mask::`
  // lines GitHub runs as workflow commands, and terminal escapes.
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  it.each([
    ["a newline and a workflow command", "red/x\n::error file=README.md,line=1::forged\n::add-mask::retag\n/_m.py", "U+000A"],
    ["an OSC title and a CSI erase", "red/\u001b]0;pwned\u0007\u001b[2K.py", "U+001B"],
    ["a carriage return", "red/x\r.py", "U+000D"],
    ["a tab", "red/a\tb.py", "U+0009"],
    ["DEL", "red/a\u007f.py", "U+007F"],
    ["a C1 control (CSI)", "red/a\u009b2K.py", "U+009B"],
  ])("%s", async (_, name, codePoint) => {
    for (const recorded of [true, false]) {
      const wheel = await makeWheel({ filename: PURE, members: { [name]: "x = 1\n" }, record: recorded ? "auto" : (rows) => rows.filter((r) => r[0] !== name) });
      const result = await checkBytes(wheel.filename, wheel.bytes);
      const r002 = result.findings.filter((f) => f.code === "R002");
      expect(r002.map((f) => f.member)).toEqual([name]);
      expect(r002[0]?.message).toContain(`control character (${codePoint})`);
      expect(result.findings.filter((f) => CONTROL.test(f.message))).toEqual([]);
      expect(result.ok).toBe(false);
    }
  });

  it("a name with ordinary Unicode is not one", async () => {
    const wheel = await makeWheel({ filename: PURE, members: { "red/ünïcödé/日本.py": "" } });
    expect((await checkBytes(wheel.filename, wheel.bytes)).findings).toEqual([]);
  });
});

describe("names that are one path where case is ignored: R022, a warning", () => {
  const codes = async (members: string[]): Promise<Array<[string, string | undefined]>> => {
    const wheel = await makeWheel({ filename: PURE, members: Object.fromEntries(members.map((m) => [m, "x\n"])) });
    const result = await checkBytes(wheel.filename, wheel.bytes);
    return result.findings.map((f) => [f.code, f.member]);
  };
  it.each([
    { what: "two files that differ in case", members: ["red/Data.txt", "red/data.txt"], expected: [["R022", "red/data.txt"]] },
    { what: "the difference in a folder", members: ["red/A/x.py", "red/a/x.py"], expected: [["R022", "red/a/x.py"]] },
    { what: "a file where another member needs a folder", members: ["red/a", "red/A/x.py"], expected: [["R022", "red/A/x.py"]] },
    { what: "the folder first, then the file", members: ["red/A/x.py", "red/a"], expected: [["R022", "red/a"]] },
    { what: "NFC and NFD spellings of one name (macOS ignores normalization)", members: ["red/caf\u00e9.py", "red/cafe\u0301.py"], expected: [["R022", "red/cafe\u0301.py"]] },
    { what: "three spellings: each later one reported", members: ["red/x.py", "red/X.py", "red/X.PY"], expected: [["R022", "red/X.py"], ["R022", "red/X.PY"]] },
    { what: "files in folders that differ in case merge, they do not collide", members: ["red/A/x.py", "red/a/y.py"], expected: [] },
    { what: "different names", members: ["red/a.py", "red/b.py"], expected: [] },
  ])("$what", async ({ members, expected }) => {
    expect(await codes(members)).toEqual(expected);
  });

  it("is linear in the names, however deep (1,000 members of 2,000 segments)", async () => {
    const deep = Array.from({ length: 1000 }, (_, i) => `red/${"d/".repeat(2_000)}${i}.py`);
    const wheel = await makeWheel({ filename: PURE, members: Object.fromEntries(deep.map((m) => [m, ""])) });
    const result = await checkBytes(wheel.filename, wheel.bytes);
    expect(result.findings).toEqual([]);
  });
});

describe("D11: an end record hidden in the comment is R001, and nothing is written", () => {
  // eocd-in-comment.whl: the archive comment ends in a second end record (no comment of its own);
  // Python's zipfile takes it and cannot open the wheel; retag took the real one and wrote a rewrite
  // whose comment still held it, so pip could not open the rewrite either.
  it("check says R001 and fix writes nothing", async () => {
    const wheel = await makeWheel({ filename: "red-1.0-cp313-cp313-macosx_10_9_universal2.whl", members: { "red/_m.cpython-313-darwin.so": readFixture("ext_arm64_11.0.so") } });
    const bytes = wheel.bytes;
    const eocd = bytes.length - 22;
    const fake = new Uint8Array(22);
    const view = new DataView(fake.buffer);
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, 5, true);
    view.setUint16(10, 5, true);
    view.setUint32(12, 999_999, true);
    view.setUint32(16, 999_999, true);
    const comment = new Uint8Array([...new TextEncoder().encode("DDDDDDDDDD"), ...fake]);
    const hidden = new Uint8Array([...bytes.subarray(0, eocd + 20), comment.length & 0xff, comment.length >> 8, ...comment]);
    const check = await checkBytes(wheel.filename, hidden);
    expect(check.findings.map((f) => f.code)).toEqual(["R001"]);
    const fixed = await retagBytes(wheel.filename, hidden);
    // Nothing a rewrite could repair: left as it is, not fine, nothing written.
    expect(fixed.action).toBe("unchanged");
    expect(fixed.ok).toBe(false);
    expect(fixed.bytes).toBeNull();
  });
});
