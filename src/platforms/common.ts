// Rules every wheel gets, whatever its platform: the file name (PEP 427), WHEEL's Tag lines against
// it, and the extension suffixes against the python and abi tags; and the helpers the families share
// (extension suffixes per format, static code, format names).
import type { BinaryReport } from "../model/binary.js";
import { finding, MAX_FINDINGS_PER_CODE, type Finding } from "../model/findings.js";
import { clip, clipList, LIST_LIMIT, QUOTE_LIMIT, quote, truncate } from "../text.js";
import { sameVersion } from "../wheel/version.js";
import type { WheelMetadata, WheelName } from "../model/wheel.js";
import { compareCodePoints, parseWheelName, wheelTags } from "../wheel/name.js";

/** The file name's findings (R010, R015) and the parsed name, null when it is not a wheel name. */
export function nameFindings(filename: string): { name: WheelName | null; findings: Finding[] } {
  const findings: Finding[] = [];
  const parsed = parseWheelName(filename);
  if ("error" in parsed) {
    findings.push(finding("R010", `${clip(filename)}: ${parsed.error}`, { data: { filename } }));
    return { name: null, findings };
  }
  for (const problem of parsed.problems) findings.push(finding("R010", `${clip(filename)}: ${problem}`, { data: { filename } }));
  for (const problem of parsed.unsorted) findings.push(finding("R015", `${clip(filename)}: ${problem}`, { data: { filename } }));
  return { name: parsed.name, findings };
}

/**
 * A WHEEL Tag value as the tags it stands for: `py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64`
 * is two tags. Installers expand a compressed value the way they expand a file name's (packaging's
 * `parse_tag`); a value that is not three `-`-separated parts stands for itself.
 */
function expandTagLine(value: string): string[] {
  const parts = value.split("-");
  if (parts.length !== 3 || !value.includes(".")) return [value];
  return wheelTags({ pythonTags: parts[0]!.split("."), abiTags: parts[1]!.split("."), platformTags: parts[2]!.split(".") });
}

/**
 * PEP 427: the `Tag:` lines of WHEEL are the expanded product of the file name's compressed tags.
 * Lines that say the right tags in compressed form are R021 (a warning fix mode repairs by writing
 * them expanded); lines that say other tags are R011.
 */
export function wheelTagLineFindings(name: WheelName, tagLines: string[]): Finding[] {
  const expected = wheelTags(name);
  const expanded = [...new Set(tagLines.flatMap(expandTagLine))].sort(compareCodePoints);
  if (expected.length !== expanded.length || !expected.every((t, i) => t === expanded[i])) {
    const actual = [...new Set(tagLines)].sort();
    return [
      // A hostile WHEEL may hold any number of Tag lines of any length: the message names a few, clipped,
      // and the data at most MAX_FINDINGS_PER_CODE of them (the file name's own tags are the user's).
      finding("R011", `WHEEL says ${clipList(actual, LIST_LIMIT, QUOTE_LIMIT) || "no Tag lines"}; the file name says ${clipList(expected, LIST_LIMIT, QUOTE_LIMIT)}`, {
        data: { wheel: actual.slice(0, MAX_FINDINGS_PER_CODE).map((t) => truncate(t, QUOTE_LIMIT)), filename: expected },
      }),
    ];
  }
  const compressed = [...new Set(tagLines.filter((line) => expandTagLine(line).length > 1 || line.includes(".")))];
  if (compressed.length === 0) return [];
  return [
    // A hostile WHEEL may hold any number of Tag lines of any length: the message names a few, clipped,
    // and the data at most MAX_FINDINGS_PER_CODE of them.
    finding("R021", `WHEEL has compressed Tag lines (${clipList(compressed.map((l) => `Tag: ${l}`), LIST_LIMIT, QUOTE_LIMIT)}); the spec asks for one line per tag`, {
      data: { lines: compressed.slice(0, MAX_FINDINGS_PER_CODE).map((t) => truncate(t, QUOTE_LIMIT)) },
    }),
  ];
}

/** What an extension module's file name says it is built for (PEP 3149, PEP 384, PEP 703; `importlib.machinery.EXTENSION_SUFFIXES`). */
export interface ExtensionSuffix {
  /** The suffix after the module name, as written: `.cpython-313-darwin.so`, `.cp313-win_amd64.pyd`, `.so`. */
  suffix: string;
  /** `.so` (every platform but Windows) or `.pyd` (Windows). */
  kind: "so" | "pyd";
  /** CPython's python tag (`cp313`), null for a suffix without one (`.so`, `.abi3.so`, PyPy's). */
  python: string | null;
  /** `cp313`, `cp313t` (free-threaded), `abi3`; null when the suffix names no ABI. */
  abi: string | null;
  /**
   * The platform part: `darwin`, `x86_64-linux-gnu`, `aarch64-linux-musl`, `iphoneos`,
   * `aarch64-linux-android`, `wasm32-emscripten`, `win_amd64`; null when the suffix has none.
   */
  platform: string | null;
}

/** The suffix of an extension module's file name; null when the file is not named like one. */
export function extensionSuffix(member: string): ExtensionSuffix | null {
  const base = member.slice(member.lastIndexOf("/") + 1);
  const dot = base.indexOf(".");
  if (dot <= 0) return null;
  const suffix = base.slice(dot);
  let m = /^\.cpython-(\d)(\d+)([a-z]*)-([A-Za-z0-9_.-]+)\.so$/.exec(suffix);
  if (m !== null) return { suffix, kind: "so", python: `cp${m[1]}${m[2]}`, abi: `cp${m[1]}${m[2]}${m[3]}`, platform: m[4]! };
  m = /^\.cp(\d)(\d+)(t?)-([A-Za-z0-9_]+)\.pyd$/.exec(suffix);
  if (m !== null) return { suffix, kind: "pyd", python: `cp${m[1]}${m[2]}`, abi: `cp${m[1]}${m[2]}${m[3]}`, platform: m[4]! };
  // PyPy: `.pypy310-pp73-x86_64-linux-gnu.so`, `.pypy310-pp73-win_amd64.pyd`: the platform part only.
  m = /^\.pypy\d+-pp\d+-([A-Za-z0-9_.-]+)\.(so|pyd)$/.exec(suffix);
  if (m !== null) return { suffix, kind: m[2] as "so" | "pyd", python: null, abi: null, platform: m[1]! };
  if (suffix === ".abi3.so") return { suffix, kind: "so", python: null, abi: "abi3", platform: null };
  if (suffix.endsWith(".pyd")) return { suffix, kind: "pyd", python: null, abi: null, platform: null };
  if (suffix.endsWith(".so")) return { suffix, kind: "so", python: null, abi: null, platform: null };
  return null;
}

/**
 * WHEEL's Build header against the file name's build tag (binary distribution format spec: "Build is
 * the build number and is omitted if there is no build number"). Compared as pypa/wheel's `wheel
 * tags` does (src/wheel/_commands/tags.py `tags`: `info.get("Build") != build` raises), exactly.
 */
export function wheelBuildFindings(name: WheelName, metadata: WheelMetadata): Finding[] {
  if (metadata.build === name.build) return [];
  const wheel = metadata.build === null ? "WHEEL has no Build header" : `WHEEL says Build: ${quote(metadata.build)}`;
  const filename = name.build === null ? "the file name has no build tag" : `the file name's build tag is ${quote(name.build)}`;
  return [finding("R017", `${wheel}, but ${filename}`, { data: { wheel: metadata.build === null ? null : truncate(metadata.build, QUOTE_LIMIT), filename: name.build } })];
}

/** packaging.utils.canonicalize_name (PEP 503): lower case, every run of `-`, `_` and `.` one `-`. */
export function canonicalizeName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/**
 * The `.dist-info` folder against the file name's distribution and version: `{name}-{version}.dist-info`
 * (binary distribution format spec). The name must pass what each installer checks, and each checks
 * another way:
 * - pypa/installer (src/installer/sources.py `WheelFile.dist_info_dir`): the folder's
 *   `rsplit("-", 2)[0]`, canonicalized, is the canonical distribution;
 * - uv (crates/uv-install-wheel metadata.rs `find_archive_dist_info`): the part before the last `-`
 *   of the folder's stem is a package name equal to the distribution's; a stem without `-` is refused;
 * - pip (src/pip/_internal/utils/wheel.py `wheel_dist_info_dir`): the canonicalized folder name starts
 *   with the canonical distribution.
 * The version only uv compares, and only warns (PEP 440 equality, so `1.0` is `1.0.0`): R019.
 */
export function distInfoFindings(name: WheelName, distInfo: string): Finding[] {
  const distribution = canonicalizeName(name.distribution);
  const stem = distInfo.slice(0, -".dist-info".length);
  const refused: string[] = [];
  if (canonicalizeName(rsplitFirst(distInfo, "-", 2)) !== distribution) refused.push("pypa/installer");
  const dash = stem.lastIndexOf("-");
  if (dash < 0 || !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(stem.slice(0, dash)) || canonicalizeName(stem.slice(0, dash)) !== distribution) refused.push("uv");
  if (!canonicalizeName(distInfo).startsWith(distribution)) refused.push("pip");
  const data = { folder: truncate(distInfo), distribution: name.distribution };
  if (refused.length > 0) {
    return [finding("R018", `the .dist-info folder ${clip(distInfo)} is not named for ${clip(name.distribution)}-${clip(name.version)} (${refused.join(", ")} refuse${refused.length === 1 ? "s" : ""} it)`, { data })];
  }
  const version = stem.slice(dash + 1);
  if (!sameVersion(version, name.version)) {
    return [finding("R019", `the .dist-info folder ${clip(distInfo)} names version ${quote(version)}, the file name ${quote(name.version)} (uv warns)`, { data: { folder: data.folder, version: truncate(version, QUOTE_LIMIT) } })];
  }
  return [];
}

/** Python's `text.rsplit(separator, limit)[0]`: the text before the `limit`-th separator from the end (or all of it). */
function rsplitFirst(text: string, separator: string, limit: number): string {
  let end = text.length;
  for (let i = 0; i < limit; i++) {
    const at = text.lastIndexOf(separator, end - 1);
    if (at < 0) break;
    end = at;
  }
  return text.slice(0, end);
}

/**
 * Extension suffixes vs python / abi tags (PEP 3149, PEP 384, PEP 703): `_x.cpython-313-darwin.so`
 * (or `_x.cp313-win_amd64.pyd`) loads only on CPython 3.13 with the default ABI, so its wheel must be
 * tagged `cp313`; `t` marks the free-threaded ABI (`cp313t`); `.abi3.so` belongs in an `abi3` wheel.
 */
export function extensionSuffixFindings(name: WheelName, binaries: BinaryReport[]): Finding[] {
  const findings: Finding[] = [];
  for (const b of binaries) {
    if (b.module === null || b.member === null) continue;
    const s = extensionSuffix(b.member);
    if (s === null) continue;
    if (s.python !== null && s.abi !== null) {
      if (!name.abiTags.includes(s.abi) || !name.pythonTags.includes(s.python)) {
        findings.push(
          finding("R301", `${clip(b.member)} is built for ${s.abi}, but the wheel is tagged ${name.pythonTags.join(".")}-${name.abiTags.join(".")}`, {
            member: b.member,
            data: { suffixAbi: s.abi, pythonTags: name.pythonTags, abiTags: name.abiTags },
          }),
        );
      }
    } else if (s.abi === "abi3" && !name.abiTags.includes("abi3")) {
      findings.push(
        finding("R302", `${clip(b.member)} uses the stable ABI, but the wheel is tagged ${name.abiTags.join(".")}`, {
          member: b.member,
          data: { abiTags: name.abiTags },
        }),
      );
    }
  }
  return findings;
}

/**
 * R303: each extension's suffix must be one the tagged platform's interpreter looks for. `accepts`
 * is the family's rule (its EXTENSION_SUFFIXES) for a tag set; `platform` names the platform in
 * messages. The tags are those fix mode would write (`expected`) when it would rewrite them, since
 * a repair that gives the tags the suffixes already name makes the finding untrue of the output;
 * else the wheel's own.
 */
export function suffixPlatformFindings(
  name: WheelName,
  binaries: readonly BinaryReport[],
  expected: readonly string[] | null,
  accepts: (suffix: ExtensionSuffix, tags: readonly string[]) => boolean,
  platform: string,
): Finding[] {
  const findings: Finding[] = [];
  const tags = expected ?? name.platformTags;
  const repaired = expected !== null && !sameTagSet(expected, name.platformTags);
  for (const b of binaries) {
    if (b.module === null || b.member === null) continue;
    const s = extensionSuffix(b.member);
    if (s === null || accepts(s, tags)) continue;
    const tagged = repaired ? `the wheel would be tagged ${tags.join(".")}` : `the wheel is tagged ${tags.join(".")}`;
    findings.push(
      finding("R303", `${b.member}: ${platform} Python does not import a module named *${s.suffix} (${tagged})`, {
        member: b.member,
        data: { suffix: s.suffix, tags: [...tags] },
      }),
    );
  }
  return findings;
}

/** Whether two platform tag lists are the same set (order and repeats aside). */
export function sameTagSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}

/** Mach-O files loaded at run time count toward support (DESIGN §3.1); objects and archives do not. */
export const COUNTED_FILETYPES: ReadonlySet<string> = new Set(["bundle", "dylib", "execute"]);

/** A readable binary none of whose images is loaded at run time: an object file or a static archive (§3.1). */
export function isStaticCode(b: BinaryReport): boolean {
  return b.error === null && b.images.every((i) => !i.loaded);
}

export function staticCodeFinding(b: BinaryReport): Finding {
  const member = b.member ?? "";
  const what = b.format === "ar" || b.slices.some((s) => s.filetype === "archive") ? "a static archive" : `an ${b.images[0]?.type === "rel" ? "object" : (b.images[0]?.type ?? "object")} file`;
  return finding("R107", `${clip(member)} is ${what}; it is not loaded at run time and does not count`, { member });
}

/** The format as the platform it belongs to, for messages: "an ELF (Linux, Android)". */
export function kindName(format: BinaryReport["format"]): string {
  switch (format) {
    case "elf":
      return "an ELF (Linux, Android)";
    case "pe":
      return "a PE (Windows)";
    case "wasm":
      return "a WebAssembly";
    case "ar":
      return "a static archive";
    default:
      return "a Mach-O (macOS, iOS)";
  }
}
