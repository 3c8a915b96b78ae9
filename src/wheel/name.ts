// Wheel file names: `{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl`
// (PEP 427, "Binary distribution format" in the PyPA specifications). A name is rejected when any
// installer rejects it: the union of `packaging.utils.parse_wheel_filename` (which pip uses) and uv's
// `WheelFilename::from_str` (crates/uv-distribution-filename), so a name retag passes is one both read.
import type { WheelName } from "../model/wheel.js";
import { clip, QUOTE_LIMIT, quote } from "../text.js";

/**
 * `problems`: what makes installers match nothing (R010); `unsorted`: compressed tag sets not in sorted
 * order, which pip and uv accept but `parse_wheel_filename(validate_order=True)` rejects (R015).
 */
export type ParsedWheelName = { name: WheelName; problems: string[]; unsorted: string[] } | { error: string };

// packaging: `re.match(r"^[\w\d._]*$", name_part, re.UNICODE)` and no `__`. Python's Unicode `\w` is
// letters, numbers and `_`; `\p{L}\p{N}` matches the same set (Node's Unicode tables may be newer).
const DISTRIBUTION = /^[\p{L}\p{N}_.]*$/u;

// packaging.version.VERSION_PATTERN (PEP 440), compiled there with re.VERBOSE | re.IGNORECASE and
// surrounded by `\s*`. The `i` flag without `u` folds ASCII letters only, as the `(?a:…)` groups do.
// PY_SPACE is what Python's `\s` matches in a str pattern (str.isspace): JS `\s` plus U+001C–U+001F and
// U+0085, minus U+FEFF.
const PY_SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const VERSION = new RegExp(
  "^" +
    PY_SPACE +
    "*v?" +
    "(?:[0-9]+!)?" + // epoch
    "[0-9]+(?:\\.[0-9]+)*" + // release
    "(?:[._-]?(?:alpha|a|beta|b|preview|pre|c|rc)[._-]?(?:[0-9]+)?)?" + // pre-release
    "(?:-[0-9]+|[._-]?(?:post|rev|r)[._-]?(?:[0-9]+)?)?" + // post release
    "(?:[._-]?dev[._-]?(?:[0-9]+)?)?" + // dev release
    "(?:\\+[a-z0-9]+(?:[._-][a-z0-9]+)*)?" + // local version
    PY_SPACE +
    "*$",
  "i",
);

// packaging: `_build_tag_regex = re.compile(r"(\d+)(.*)", re.ASCII)` with .match: a leading ASCII digit.
// uv (uv-distribution-filename src/build_tag.rs BuildTag::from_str) also refuses any byte but ASCII
// letters, digits, '_' and '.' (a space, ':', non-ASCII), and leading digits that overflow a u64.
const BUILD = /^[0-9][A-Za-z0-9_.]*$/;
const U64_MAX = "18446744073709551615";

/** Do the leading digits of a build tag fit uv's `prefix.parse::<u64>()`? Compared as text: no BigInt. */
function buildNumberFits(build: string): boolean {
  const digits = (/^[0-9]+/.exec(build)?.[0] ?? "").replace(/^0+(?=.)/, "");
  return digits.length < U64_MAX.length || (digits.length === U64_MAX.length && digits <= U64_MAX);
}

// packaging 26.3 (src/packaging/tags.py parse_tag) raises InvalidTag for an interpreter tag that is
// not `str.isidentifier()`: `2`, and so `py3.2` (the set {py3, 2}) or `2.7.6`. Python identifiers are
// XID_Start or '_', then XID_Continue (the Python reference, "Identifiers and keywords").
const IDENTIFIER = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;

/**
 * Splits a wheel file name (a base name, not a path), keeping every part as written. `error` is set
 * when installers would reject the name; `problems` lists what `parse_wheel_filename(validate_order=True)`
 * rejects but plain parsing accepts (compressed tag sets not in sorted order, PEP 425).
 */
export function parseWheelName(filename: string): ParsedWheelName {
  if (!filename.endsWith(".whl")) return { error: `the file name does not end with '.whl': ${clip(filename)}` };
  const stem = filename.slice(0, -".whl".length);
  const parts = stem.split("-");
  if (parts.length !== 5 && parts.length !== 6) {
    return { error: `a wheel file name has 5 or 6 '-'-separated parts, this one has ${parts.length}: ${clip(filename)}` };
  }
  const [distribution, version] = parts as [string, string];
  const build = parts.length === 6 ? (parts[2] as string) : null;
  const [python, abi, platform] = parts.slice(-3) as [string, string, string];

  if (distribution === "") return { error: `the distribution name is empty: ${clip(filename)}` };
  if (distribution.includes("__") || !DISTRIBUTION.test(distribution)) {
    return { error: `invalid distribution name '${clip(distribution, QUOTE_LIMIT)}' (letters, digits, '_' and '.' only, no '__'): ${clip(filename)}` };
  }
  if (!VERSION.test(version)) return { error: `invalid version '${clip(version, QUOTE_LIMIT)}' (not a PEP 440 version): ${clip(filename)}` };
  if (build !== null && !/^[0-9]/.test(build)) {
    return { error: `invalid build tag '${clip(build, QUOTE_LIMIT)}' (must start with a digit): ${clip(filename)}` };
  }
  if (build !== null && !BUILD.test(build)) {
    return { error: `invalid build tag '${clip(build, QUOTE_LIMIT)}' (uv accepts only ASCII letters, digits, '_' and '.'): ${clip(filename)}` };
  }
  if (build !== null && !buildNumberFits(build)) {
    return { error: `invalid build tag '${clip(build, QUOTE_LIMIT)}' (uv reads its leading digits as a 64-bit number, and they overflow it): ${clip(filename)}` };
  }

  const pythonTags = python.split(".");
  const abiTags = abi.split(".");
  const platformTags = platform.split(".");
  const notIdentifier = pythonTags.find((tag) => tag !== "" && !IDENTIFIER.test(tag));
  if (notIdentifier !== undefined) {
    return { error: `invalid python tag '${clip(notIdentifier, QUOTE_LIMIT)}' in '${clip(python, QUOTE_LIMIT)}' (an interpreter tag is an identifier, such as py3 or cp312): ${clip(filename)}` };
  }
  const problems: string[] = [];
  const unsorted: string[] = [];
  const sets: [string, string[]][] = [
    ["python", pythonTags],
    ["abi", abiTags],
    ["platform", platformTags],
  ];
  for (const [kind, tags] of sets) {
    // packaging accepts empty tags, but they match no interpreter: nothing could install the wheel.
    if (tags.some((tag) => tag === "")) return { error: `empty ${kind} tag in '${clip(tags.join("."), QUOTE_LIMIT)}': ${clip(filename)}` };
    // packaging accepts any text here, but the tags installers compare against are made of letters,
    // digits and '_' only (PEP 425: platform tags have every other character replaced by '_'), so a
    // tag with anything else ('macosx_11_0_arm64 ' with a space) matches no interpreter or platform.
    // It would also never agree with WHEEL, whose Tag values are read without surrounding spaces:
    // the fuzz harness found retag rewriting such a wheel again and again.
    const odd = tags.find((tag) => !/^[A-Za-z0-9_]+$/.test(tag));
    if (odd !== undefined) {
      problems.push(`the ${kind} tag ${quote(odd)} has characters no installer's tags have (only letters, digits and '_')`);
    }
    if (!isSorted(tags)) {
      unsorted.push(`the ${kind} tag set '${clip(tags.join("."), QUOTE_LIMIT)}' is not in sorted order`);
    }
  }
  return { name: { filename, distribution, version, build, pythonTags, abiTags, platformTags }, problems, unsorted };
}

/**
 * The file name with its platform part replaced by `platformTags`, sorted and without duplicates (the
 * order `validate_order` expects). Distribution, version, build tag, python and abi tags keep their spelling.
 */
export function formatWheelName(name: WheelName, platformTags: readonly string[]): string {
  if (platformTags.length === 0) throw new Error("formatWheelName: no platform tags");
  const build = name.build === null ? "" : `-${name.build}`;
  const platform = sortedUnique(platformTags).join(".");
  return `${name.distribution}-${name.version}${build}-${name.pythonTags.join(".")}-${name.abiTags.join(".")}-${platform}.whl`;
}

/** Every tag the name expands to (python × abi × platform) as `py-abi-plat`, sorted, no duplicates. */
export function wheelTags(name: Pick<WheelName, "pythonTags" | "abiTags" | "platformTags">): string[] {
  const tags: string[] = [];
  for (const py of name.pythonTags) {
    for (const abi of name.abiTags) {
      for (const plat of name.platformTags) tags.push(`${py}-${abi}-${plat}`);
    }
  }
  return sortedUnique(tags);
}

/**
 * Python's `sorted()` order on strings: by code point. JS `<` compares UTF-16 code units, which differs
 * only for characters above U+FFFF against U+E000–U+FFFF; tags are ASCII in practice, but be exact.
 */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function isSorted(tags: readonly string[]): boolean {
  return tags.every((tag, i) => i === 0 || compareCodePoints(tags[i - 1] as string, tag) <= 0);
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareCodePoints);
}
