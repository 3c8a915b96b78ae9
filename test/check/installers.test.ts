// Where the installers draw the line on a wheel's metadata and RECORD, retag draws it too (issue 12,
// items 6–9). Each row cites the peer behaviour it follows: repository, file and function.
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../src/model/results.js";
import { parseWheelMetadata } from "../../src/wheel/metadata.js";
import { parseRecord } from "../../src/wheel/record.js";
import { sameVersion } from "../../src/wheel/version.js";
import { openZip } from "../../src/zip/index.js";
import { checkBytes, readMemberBytes, retagBytes, zipBytes } from "../helpers/core.js";
import { makeWheel, sha256Field, type WheelSpec } from "../helpers/make-wheel.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codes = (result: CheckResult): string[] => [...new Set(result.findings.map((f) => f.code))].sort();
const EXT = "pkg/_m.cpython-313-darwin.so";
const arm64 = { fixture: "ext_arm64_11.0.so" };

/** A member of a wheel's bytes, as text. */
async function memberText(bytes: Uint8Array, suffix: string): Promise<string> {
  const archive = await openZip(bytes);
  const m = archive.members.find((x) => x.name.endsWith(suffix))!;
  return decoder.decode(await readMemberBytes(archive, m));
}

/** A pure wheel whose .dist-info folder is `folder`, whatever the file name says; RECORD correct. */
async function wheelWithFolder(folder: string): Promise<Uint8Array> {
  const files: [string, Uint8Array][] = [
    ["pkg/__init__.py", encoder.encode("")],
    [`${folder}/METADATA`, encoder.encode("Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n")],
    [`${folder}/WHEEL`, encoder.encode("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")],
  ];
  const record = files.map(([n, d]) => `${n},${sha256Field(d)},${d.length}\n`).join("") + `${folder}/RECORD,,\n`;
  return zipBytes([...files.map(([name, data]) => ({ name, data })), { name: `${folder}/RECORD`, data: encoder.encode(record) }]);
}

describe("item 6: WHEEL's Build and the file name's build tag (R017)", () => {
  // pypa/wheel src/wheel/_commands/tags.py `tags`: `info.get("Build") != build` raises, comparing the
  // first Build header as email's compat32 parser keeps it (trailing spaces included) with the name's.
  // pip, uv and installer do not read Build: a warning, and fix makes WHEEL agree with the name.
  const wheel = (build: string | null): string => `Wheel-Version: 1.0\nRoot-Is-Purelib: true\n${build === null ? "" : `Build: ${build}\n`}Tag: py3-none-any\n`;
  it.each([
    { name: "pkg-1.0-1-py3-none-any.whl", build: "1", expected: [] },
    { name: "pkg-1.0-py3-none-any.whl", build: null, expected: [] },
    { name: "pkg-1.0-1-py3-none-any.whl", build: null, expected: ["R017"] },
    { name: "pkg-1.0-py3-none-any.whl", build: "1", expected: ["R017"] },
    { name: "pkg-1.0-1-py3-none-any.whl", build: "01", expected: ["R017"] },
    { name: "pkg-1.0-1-py3-none-any.whl", build: "1 ", expected: ["R017"] },
    { name: "pkg-1.0-2abc-py3-none-any.whl", build: "2abc", expected: [] },
  ])("$name with Build: $build → $expected", async ({ name, build, expected }) => {
    const result = await checkBytes(name, (await makeWheel({ filename: name, wheelText: wheel(build) })).bytes);
    expect(codes(result)).toEqual(expected);
    expect(result.ok).toBe(true);
  });

  it.each([
    { name: "pkg-1.0-2-cp313-cp313-macosx_10_9_universal2.whl", build: "1", written: "2" },
    { name: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl", build: "1", written: null },
    { name: "pkg-1.0-3-cp313-cp313-macosx_10_9_universal2.whl", build: null, written: "3" },
    { name: "pkg-1.0-3-cp313-cp313-macosx_11_0_arm64.whl", build: null, written: "3" },
  ])("a rewrite of $name (Build: $build) writes Build: $written", async ({ name, build, written }) => {
    const tags = name.includes("universal2") ? "cp313-cp313-macosx_10_9_universal2" : "cp313-cp313-macosx_11_0_arm64";
    const text = `Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n${build === null ? "" : `Build: ${build}\n`}Tag: ${tags}\n`;
    const fixed = await retagBytes(name, (await makeWheel({ filename: name, members: { [EXT]: arm64 }, wheelText: text })).bytes);
    expect(fixed.action).toBe("rewritten");
    const meta = parseWheelMetadata(await memberText(fixed.bytes!, "/WHEEL"));
    expect(meta.build).toBe(written);
    expect(meta.lines.filter((l) => l.key === "Build")).toHaveLength(written === null ? 0 : 1);
    expect(codes(await checkBytes(fixed.filename, fixed.bytes!))).toEqual([]);
  });
});

describe("item 7: the .dist-info folder against the file name (R018, R019)", () => {
  // pypa/installer src/installer/sources.py `WheelFile.dist_info_dir`: canonicalize_name of the
  // folder's rsplit("-", 2)[0] must be the file name's distribution. uv crates/uv-install-wheel
  // metadata.rs `find_archive_dist_info`: the stem's part before the last `-` must be the package
  // name (and a stem without `-` is refused); a version that differs only warns. pip
  // src/pip/_internal/utils/wheel.py `wheel_dist_info_dir`: the canonical folder must start with the
  // canonical name. packaging src/packaging/utils.py `canonicalize_name` normalizes the names.
  it.each([
    { file: "Pkg_Name-1.0-py3-none-any.whl", folder: "pkg_name-1.0.dist-info", expected: [], refusedBy: null },
    { file: "pkg.sub-1.0-py3-none-any.whl", folder: "pkg_sub-1.0.dist-info", expected: [], refusedBy: null },
    { file: "pkg-1.0-py3-none-any.whl", folder: "PKG-1.0.dist-info", expected: [], refusedBy: null },
    { file: "foo-1.0-py3-none-any.whl", folder: "foobar-1.0.dist-info", expected: ["R018"], refusedBy: "pypa/installer, uv refuse" },
    { file: "foo-1.0-py3-none-any.whl", folder: "bar-1.0.dist-info", expected: ["R018"], refusedBy: "pypa/installer, uv, pip refuse" },
    { file: "foo-1.0-py3-none-any.whl", folder: "foo.dist-info", expected: ["R018"], refusedBy: "pypa/installer, uv refuse" },
    { file: "foo-1.0-py3-none-any.whl", folder: "foo-1.0-extra.dist-info", expected: ["R018"], refusedBy: "pypa/installer, uv refuse" },
    { file: "foo-1.0-py3-none-any.whl", folder: "foo-1.0.0.dist-info", expected: [], refusedBy: null },
    { file: "foo-1.0.post1-py3-none-any.whl", folder: "foo-1.0_post1.dist-info", expected: [], refusedBy: null },
    { file: "foo-1.0-py3-none-any.whl", folder: "foo-2.0.dist-info", expected: ["R019"], refusedBy: null },
    { file: "foo-1.0-py3-none-any.whl", folder: "foo-one.dist-info", expected: ["R019"], refusedBy: null },
  ])("$file with $folder → $expected", async ({ file, folder, expected, refusedBy }) => {
    const result = await checkBytes(file, await wheelWithFolder(folder));
    expect(codes(result)).toEqual(expected);
    const r018 = result.findings.find((f) => f.code === "R018");
    if (refusedBy !== null) expect(r018?.message).toContain(`(${refusedBy} it)`);
    expect(result.ok).toBe(!expected.includes("R018"));
  });

  it.each([
    ["1.0", "1.0.0", true],
    ["1.0", "v1.0", true],
    ["1.0-1", "1.0.post1", true],
    ["1.0a", "1.0a0", true],
    ["1.0alpha1", "1.0a1", true],
    ["1.0c1", "1.0rc1", true],
    ["1!1.0", "1.0", false],
    ["1.0+Local.01", "1.0+local.1", true],
    ["1.0.dev", "1.0.dev0", true],
    ["1.0", "1.1", false],
    ["1.0", "not a version", false],
  ])("PEP 440: %s and %s are one version: %s", (a, b, same) => {
    expect(sameVersion(a, b)).toBe(same);
  });
});

describe("item 8: backslashes in RECORD paths (R020)", () => {
  // pypa/installer src/installer/records.py `parse_record_file`: "Convert Windows paths to use / for
  // consistency" (elements[0].replace("\\", "/")). A warning; a rewrite keeps the row's spelling.
  const backslashed = (paths: string[]) => (rows: string[][]) => rows.map((r) => (paths.includes(r[0]!) ? [r[0]!.replaceAll("/", "\\"), r[1]!, r[2]!] : r));

  it("a row with backslashes names the member: R020 only, and the wheel is fine", async () => {
    const spec: WheelSpec = { filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/sub/a.py": "x = 1\n" }, record: backslashed(["pkg/sub/a.py"]) };
    const result = await checkBytes(spec.filename, (await makeWheel(spec)).bytes);
    expect(result.findings.map((f) => [f.code, f.member])).toEqual([["R020", "pkg/sub/a.py"]]);
    expect(result.ok).toBe(true);
  });

  it("a path listed once with each separator is listed twice (R006)", async () => {
    const spec: WheelSpec = { filename: "pkg-1.0-py3-none-any.whl", members: { "pkg/a.py": "" }, record: (rows) => [...rows, ["pkg\\a.py", rows[0]![1]!, rows[0]![2]!]] };
    expect(codes(await checkBytes(spec.filename, (await makeWheel(spec)).bytes))).toEqual(["R006", "R020"]);
  });

  it.each([{ rehash: false }, { rehash: true }])("a rewrite keeps each backslashed row's spelling (rehash: $rehash)", async ({ rehash }) => {
    const name = "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl";
    const spec: WheelSpec = { filename: name, members: { [EXT]: arm64, "pkg/sub/a.py": "x = 1\n" }, record: backslashed(["pkg/sub/a.py", "pkg-1.0.dist-info/WHEEL"]) };
    const input = await makeWheel(spec);
    const before = parseRecord(await memberText(input.bytes, "/RECORD"));
    const fixed = await retagBytes(name, input.bytes, { rehash });
    expect(fixed.action).toBe("rewritten");
    const after = parseRecord(await memberText(fixed.bytes!, "/RECORD"));
    // The untouched member's row byte for byte; WHEEL's row anew (its hash changed), spelled as it was.
    expect(after.rows.find((r) => r.path === "pkg\\sub\\a.py")?.raw).toBe(before.rows.find((r) => r.path === "pkg\\sub\\a.py")?.raw);
    const wheelRow = after.rows.find((r) => r.path === "pkg-1.0.dist-info\\WHEEL");
    expect(wheelRow?.hash).toBe(sha256Field(encoder.encode(await memberText(fixed.bytes!, "/WHEEL"))));
    expect(after.rows.map((r) => r.path)).toEqual(before.rows.map((r) => r.path));
    expect(codes(await checkBytes(fixed.filename, fixed.bytes!))).toEqual(["R020"]);
  });
});

describe("item 9: signatures and RECORD's own row (R006)", () => {
  // pypa/installer src/installer/sources.py `WheelFile.validate_record`: "digital signature file …
  // is incorrectly contained in RECORD" for a RECORD.jws / RECORD.p7s row of a signature the wheel
  // has, and "RECORD file incorrectly contains hash / size" for RECORD's own row.
  const withRecordRow = (hash: string, size: string) => (rows: string[][]) => rows.map((r) => (r[0]!.endsWith("/RECORD") ? [r[0]!, hash, size] : r));
  it.each<{ what: string; spec: Partial<WheelSpec>; expected: string[]; message: RegExp | null }>([
    { what: "RECORD's own row with a hash", spec: { record: withRecordRow("sha256=AAAA", "") }, expected: ["R006"], message: /own row has a hash or a size/ },
    { what: "RECORD's own row with a size", spec: { record: withRecordRow("", "120") }, expected: ["R006"], message: /own row has a hash or a size/ },
    { what: "RECORD's own row empty", spec: {}, expected: [], message: null },
    {
      what: "a row for RECORD.jws, which the wheel has",
      spec: { trailing: { "pkg-1.0.dist-info/RECORD.jws": "{}" }, record: (rows: string[][]) => [...rows, ["pkg-1.0.dist-info/RECORD.jws", sha256Field(encoder.encode("{}")), "2"]] },
      expected: ["R006"],
      message: /lists the signature pkg-1\.0\.dist-info\/RECORD\.jws/,
    },
    { what: "a row for RECORD.p7s, which the wheel does not have", spec: { record: (rows: string[][]) => [...rows, ["pkg-1.0.dist-info/RECORD.p7s", "", ""]] }, expected: ["R009"], message: null },
    { what: "a signature with no row (as the spec wants)", spec: { trailing: { "pkg-1.0.dist-info/RECORD.p7s": "sig" } }, expected: [], message: null },
  ])("$what → $expected", async ({ spec, expected, message }) => {
    const wheel = await makeWheel({ filename: "pkg-1.0-py3-none-any.whl", ...spec });
    const result = await checkBytes(wheel.filename, wheel.bytes);
    expect(codes(result)).toEqual(expected);
    if (message !== null) expect(result.findings.find((f) => f.code === "R006")?.message).toMatch(message);
  });
});
