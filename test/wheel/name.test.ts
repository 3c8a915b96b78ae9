import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compareCodePoints, formatWheelName, parseWheelName, wheelTags } from "../../src/wheel/name.js";
import type { WheelName } from "../../src/model/wheel.js";

function parsed(filename: string): { name: WheelName; problems: string[]; unsorted: string[] } {
  const result = parseWheelName(filename);
  if ("error" in result) throw new Error(result.error);
  return result;
}

describe("parseWheelName", () => {
  it.each([
    {
      filename: "numpy-1.24.1-2-cp311-cp311-macosx_10_9_universal2.whl",
      expected: { distribution: "numpy", version: "1.24.1", build: "2", pythonTags: ["cp311"], abiTags: ["cp311"], platformTags: ["macosx_10_9_universal2"] },
    },
    {
      filename: "fakepkg1-1.0-cp36-abi3-macosx_10_9_universal2.whl",
      expected: { distribution: "fakepkg1", version: "1.0", build: null, pythonTags: ["cp36"], abiTags: ["abi3"], platformTags: ["macosx_10_9_universal2"] },
    },
    {
      filename: "foo-1.0-cp312-cp312-macosx_10_9_x86_64.macosx_11_0_arm64.whl",
      expected: { distribution: "foo", version: "1.0", build: null, pythonTags: ["cp312"], abiTags: ["cp312"], platformTags: ["macosx_10_9_x86_64", "macosx_11_0_arm64"] },
    },
    {
      // Original spelling kept: capitals, dots in the name, a local version, a build tag with a suffix.
      filename: "Foo.Bar_baz-2.0rc1+local.7-12abc-py2.py3-none-any.whl",
      expected: { distribution: "Foo.Bar_baz", version: "2.0rc1+local.7", build: "12abc", pythonTags: ["py2", "py3"], abiTags: ["none"], platformTags: ["any"] },
    },
    {
      filename: "black-24.1a1-cp312-cp312-macosx_10_9_universal2.whl",
      expected: { distribution: "black", version: "24.1a1", build: null, pythonTags: ["cp312"], abiTags: ["cp312"], platformTags: ["macosx_10_9_universal2"] },
    },
    {
      filename: "pkg-1!2.0.post3.dev4-cp313-cp313t-macosx_11_0_arm64.whl",
      expected: { distribution: "pkg", version: "1!2.0.post3.dev4", build: null, pythonTags: ["cp313"], abiTags: ["cp313t"], platformTags: ["macosx_11_0_arm64"] },
    },
    {
      // The build tags uv takes at the edge of its rules: '.', '_', leading zeros, u64::MAX itself
      // (astral-sh/uv crates/uv-distribution-filename/src/build_tag.rs BuildTag::from_str, parse_periods).
      filename: "pkg-1.0-0.editable-py3-none-any.whl",
      expected: { distribution: "pkg", version: "1.0", build: "0.editable", pythonTags: ["py3"], abiTags: ["none"], platformTags: ["any"] },
    },
    {
      filename: "pkg-1.0-018446744073709551615_x-py3-none-any.whl",
      expected: { distribution: "pkg", version: "1.0", build: "018446744073709551615_x", pythonTags: ["py3"], abiTags: ["none"], platformTags: ["any"] },
    },
    {
      // Identifiers, as packaging 26.3's parse_tag requires (src/packaging/tags.py): a leading '_' is one.
      filename: "pkg-1.0-_x3.cp313.py3-none-any.whl",
      expected: { distribution: "pkg", version: "1.0", build: null, pythonTags: ["_x3", "cp313", "py3"], abiTags: ["none"], platformTags: ["any"] },
    },
  ])("splits $filename keeping its spelling", ({ filename, expected }) => {
    const { name, problems } = parsed(filename);
    expect(name).toEqual({ filename, ...expected });
    expect(problems).toEqual([]);
  });

  it.each([
    ["foo-1.0-py3-none-any.zip", "'.whl'"],
    ["foo-1.0-py3-none-any.WHL", "'.whl'"],
    ["foo-py3-none-any.whl", "5 or 6"],
    ["foo-1.0-1-2-py3-none-any.whl", "5 or 6"],
    ["foo-bar-1.0-py3-none-any.whl", "version 'bar'"], // an unescaped "-" in the name shifts the parts
    ["foo-1.0-x1-py3-none-any.whl", "build tag 'x1'"],
    ["foo-1.0--py3-none-any.whl", "build tag ''"],
    ["-1.0-py3-none-any.whl", "distribution name is empty"],
    ["foo__bar-1.0-py3-none-any.whl", "'foo__bar'"],
    ["foo+bar-1.0-py3-none-any.whl", "'foo+bar'"],
    ["foo bar-1.0-py3-none-any.whl", "'foo bar'"],
    ["foo-1.0.x-py3-none-any.whl", "version '1.0.x'"],
    ["foo--py3-none-any.whl", "version ''"],
    ["foo-latest-py3-none-any.whl", "version 'latest'"],
    ["foo-1.0-py3-none-.whl", "empty platform tag"],
    ["foo-1.0-py3-none-macosx_11_0_arm64..whl", "empty platform tag"],
    ["foo-1.0--none-any.whl", "empty python tag"],
  ])("rejects %s", (filename, message) => {
    const result = parseWheelName(filename);
    expect("error" in result && result.error).toContain(message);
  });

  // Issue item 5: the name check is the union of what packaging and uv refuse. Each row cites the peer
  // that refuses the name.
  const UV_BUILD = "astral-sh/uv crates/uv-distribution-filename/src/build_tag.rs BuildTag::from_str";
  const PACKAGING_263 = "pypa/packaging src/packaging/tags.py parse_tag (26.3: InvalidTag unless interpreter.isidentifier())";
  it.each<{ filename: string; message: string; peer: string }>([
    { filename: "foo-1.0-1 target-py3-none-any.whl", message: "build tag '1 target'", peer: UV_BUILD }, // uv's err_invalid_characters
    { filename: "foo-1.0-1target:stream-py3-none-any.whl", message: "build tag '1target:stream'", peer: UV_BUILD },
    { filename: "foo-1.0-1targeté-py3-none-any.whl", message: "build tag '1targeté'", peer: UV_BUILD },
    { filename: "foo-1.0-1+local-py3-none-any.whl", message: "build tag '1+local'", peer: UV_BUILD },
    { filename: "foo-1.0-18446744073709551616-py3-none-any.whl", message: "64-bit", peer: UV_BUILD }, // u64::MAX + 1: ParseInt
    { filename: "foo-1.0-99999999999999999999abc-py3-none-any.whl", message: "64-bit", peer: UV_BUILD },
    { filename: "foo-1.0-2-none-any.whl", message: "python tag '2'", peer: PACKAGING_263 },
    { filename: "foo-1.0-py3.2-none-any.whl", message: "python tag '2' in 'py3.2'", peer: PACKAGING_263 },
    { filename: "foo-1.0-2.7.6-none-any.whl", message: "python tag '2'", peer: PACKAGING_263 },
    { filename: "foo-1.0-1-3py-none-any.whl", message: "python tag '3py'", peer: PACKAGING_263 },
  ])("rejects $filename ($peer)", ({ filename, message }) => {
    const result = parseWheelName(filename);
    expect("error" in result && result.error).toContain(message);
  });

  it.each([
    ["foo-1.0-cp312-cp312-macosx_11_0_arm64.macosx_10_9_x86_64.whl", ["platform"]],
    ["foo-1.0-py3.py2-none-any.whl", ["python"]],
    ["foo-1.0-cp311-cp311.abi3-any.whl", ["abi"]],
    ["foo-1.0-py2.py3-none-macosx_10_9_x86_64.macosx_10_10_x86_64.whl", ["platform"]], // plain string order, not version order
  ])("accepts %s but reports its unsorted tag set", (filename, kinds) => {
    const { problems, unsorted } = parsed(filename);
    expect(problems).toEqual([]);
    expect(unsorted).toHaveLength(kinds.length);
    kinds.forEach((kind, i) => expect(unsorted[i]).toContain(`the ${kind} tag set`));
  });
});

describe("formatWheelName", () => {
  it.each([
    ["numpy-1.24.1-2-cp311-cp311-macosx_10_9_universal2.whl", ["macosx_11_0_arm64"], "numpy-1.24.1-2-cp311-cp311-macosx_11_0_arm64.whl"],
    ["Foo.Bar-2.0RC1-py2.py3-none-any.whl", ["macosx_10_9_x86_64"], "Foo.Bar-2.0RC1-py2.py3-none-macosx_10_9_x86_64.whl"],
    // Sorted as validate_order expects, whatever order the caller gives.
    ["foo-1.0-cp312-cp312-macosx_10_9_universal2.whl", ["macosx_12_0_arm64", "macosx_10_9_x86_64"], "foo-1.0-cp312-cp312-macosx_10_9_x86_64.macosx_12_0_arm64.whl"],
    ["foo-1.0-cp312-cp312-any.whl", ["macosx_10_9_x86_64", "macosx_10_10_x86_64"], "foo-1.0-cp312-cp312-macosx_10_10_x86_64.macosx_10_9_x86_64.whl"],
    ["foo-1.0-cp312-cp312-any.whl", ["macosx_11_0_arm64", "macosx_11_0_arm64"], "foo-1.0-cp312-cp312-macosx_11_0_arm64.whl"],
    // An unsorted python tag set is kept as written: only the platform part is retag's to change.
    ["foo-1.0-py3.py2-none-any.whl", ["macosx_11_0_arm64"], "foo-1.0-py3.py2-none-macosx_11_0_arm64.whl"],
  ])("%s with %j → %s", (filename, platformTags, expected) => {
    const formatted = formatWheelName(parsed(filename).name, platformTags);
    expect(formatted).toBe(expected);
    expect(parsed(formatted).name.platformTags).toEqual([...new Set(platformTags)].sort());
  });

  it("gives back the same name when the platform tags are the same", () => {
    const filename = "fakepkg1-1.0-cp36-abi3-macosx_10_9_x86_64.macosx_11_0_arm64.whl";
    expect(formatWheelName(parsed(filename).name, ["macosx_11_0_arm64", "macosx_10_9_x86_64"])).toBe(filename);
  });

  it("refuses an empty platform tag list", () => {
    expect(() => formatWheelName(parsed("foo-1.0-py3-none-any.whl").name, [])).toThrow();
  });
});

describe("wheelTags", () => {
  it.each([
    ["fakepkg1-1.0-cp36-abi3-macosx_10_9_universal2.whl", ["cp36-abi3-macosx_10_9_universal2"]],
    [
      "foo-1.0-py3.py2-none-macosx_11_0_arm64.macosx_10_9_x86_64.whl",
      ["py2-none-macosx_10_9_x86_64", "py2-none-macosx_11_0_arm64", "py3-none-macosx_10_9_x86_64", "py3-none-macosx_11_0_arm64"],
    ],
    ["foo-1.0-py3.py3-none-any.whl", ["py3-none-any"]],
  ])("%s → %j", (filename, expected) => {
    expect(wheelTags(parsed(filename).name)).toEqual(expected);
  });
});

describe("compareCodePoints", () => {
  it("orders by code point as Python's sorted() does, not by UTF-16 unit", () => {
    // U+1F600 is one code point above U+FFFD, though its first UTF-16 unit (0xD83D) is below it.
    expect(["\u{1F600}", "\uFFFD", "a"].sort(compareCodePoints)).toEqual(["a", "\uFFFD", "\u{1F600}"]);
  });
});

// packaging.utils.parse_wheel_filename is what pip uses; our verdicts must agree with it, except
// where we are deliberately stricter (empty distribution name, empty tags: accepted by packaging,
// installable nowhere; what uv refuses and packaging takes, below).
const PACKAGING_ORACLE = `
import json, sys
try:
    import packaging
    from packaging.utils import parse_wheel_filename
    parse_wheel_filename("a-1-py3-none-any.whl", validate_order=True)
except Exception:
    sys.exit(3)
out = []
for name in json.load(sys.stdin):
    verdict = []
    for order in (False, True):
        try:
            parse_wheel_filename(name, validate_order=order)
            verdict.append(True)
        except ValueError:  # InvalidWheelFilename, and from 26.3 InvalidTag
            verdict.append(False)
    out.append(verdict)
print(json.dumps({"version": packaging.__version__, "verdicts": out}))
`;

/** `since`: the packaging release whose verdict the row encodes; older releases are not compared. */
const ORACLE_NAMES: Array<{ name: string; since?: [number, number] }> = [
  { name: "numpy-1.24.1-2-cp311-cp311-macosx_10_9_universal2.whl" },
  { name: "foo-1.0-cp312-cp312-macosx_11_0_arm64.macosx_10_9_x86_64.whl" },
  { name: "foo-1.0-cp312-cp312-macosx_10_9_x86_64.macosx_11_0_arm64.whl" },
  { name: "foo-1.0-py3.py2-none-any.whl" },
  { name: "Foo.Bar_baz-2.0rc1+local.7-12abc-py2.py3-none-any.whl" },
  { name: "foo__bar-1.0-py3-none-any.whl" },
  { name: "foo+bar-1.0-py3-none-any.whl" },
  { name: "foo bar-1.0-py3-none-any.whl" },
  { name: "föö-1.0-py3-none-any.whl" },
  { name: "foo٣-1.0-py3-none-any.whl" },
  { name: "foo-1.0.x-py3-none-any.whl" },
  { name: "foo-V1.0-py3-none-any.whl" },
  { name: "foo-1.0.POST1-py3-none-any.whl" },
  { name: "foo- 1.0\u3000-py3-none-any.whl" },
  { name: "foo-\uFEFF1.0-py3-none-any.whl" },
  { name: "foo-1.0_a.1-py3-none-any.whl" },
  { name: "foo-1.0+abc..d-py3-none-any.whl" },
  { name: "foo-1.0+ABC-py3-none-any.whl" },
  { name: "foo-1.0a-py3-none-any.whl" },
  { name: "foo-1.0.rev-py3-none-any.whl" },
  { name: "foo-١.0-py3-none-any.whl" },
  { name: "foo-1!2!3-py3-none-any.whl" },
  { name: "foo-1.0-x1-py3-none-any.whl" },
  { name: "foo-1.0-١-py3-none-any.whl" },
  { name: "foo-1.0-py3-none-any.WHL" },
  { name: "foo-1.0-1-2-py3-none-any.whl" },
  { name: "pkg-1.0-0.editable-py3-none-any.whl" },
  { name: "pkg-1.0-_x3.cp313.py3-none-any.whl" },
  // packaging 26.3 parse_tag: interpreter tags must be identifiers
  { name: "foo-1.0-2-none-any.whl", since: [26, 3] },
  { name: "foo-1.0-py3.2-none-any.whl", since: [26, 3] },
  { name: "foo-1.0-2.7.6-none-any.whl", since: [26, 3] },
];

/** Names uv refuses and packaging takes: retag refuses them (the union), packaging must still take them. */
const UV_ONLY_REFUSALS = [
  "foo-1.0-1 target-py3-none-any.whl",
  "foo-1.0-1target:stream-py3-none-any.whl",
  "foo-1.0-1targeté-py3-none-any.whl",
  "foo-1.0-18446744073709551616-py3-none-any.whl",
];

const hasPackaging = spawnSync("python3", ["-c", "from packaging.utils import parse_wheel_filename"]).status === 0;

function runPackaging(names: string[]): { version: [number, number]; verdicts: [boolean, boolean][] } | null {
  const run = spawnSync("python3", ["-c", PACKAGING_ORACLE], { input: JSON.stringify(names), encoding: "utf8" });
  if (run.status === 3) return null; // packaging too old for validate_order: nothing to compare with
  expect(run.status, run.stderr).toBe(0);
  const out = JSON.parse(run.stdout) as { version: string; verdicts: [boolean, boolean][] };
  const [major = 0, minor = 0] = out.version.split(".").map((part) => Number.parseInt(part, 10));
  return { version: [major, minor], verdicts: out.verdicts };
}

describe("against packaging.utils.parse_wheel_filename", () => {
  it.skipIf(!hasPackaging)("accepts and rejects the same names (skipped when python3 with packaging ≥ 26.1 is absent)", () => {
    const oracle = runPackaging(ORACLE_NAMES.map((row) => row.name));
    if (oracle === null) return;
    const [major, minor] = oracle.version;
    const compared = ORACLE_NAMES.map((row, i) => ({ ...row, verdict: oracle.verdicts[i] })).filter(
      ({ since }) => since === undefined || major > since[0] || (major === since[0] && minor >= since[1]),
    );
    const ours = compared.map(({ name }) => {
      const result = parseWheelName(name);
      return "error" in result ? [false, false] : [true, result.problems.length === 0 && result.unsorted.length === 0];
    });
    expect(ours).toEqual(compared.map(({ verdict }) => verdict));
  });

  it.skipIf(!hasPackaging)("is stricter only where uv refuses: packaging takes these names, retag does not", () => {
    const oracle = runPackaging(UV_ONLY_REFUSALS);
    if (oracle === null) return;
    expect(oracle.verdicts).toEqual(UV_ONLY_REFUSALS.map(() => [true, true]));
    for (const name of UV_ONLY_REFUSALS) expect(parseWheelName(name)).toHaveProperty("error");
  });
});
