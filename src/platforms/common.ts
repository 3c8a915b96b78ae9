// Rules every wheel gets, whatever its platform: the file name (PEP 427), WHEEL's Tag lines against
// it, and the extension suffixes against the python and abi tags.
import type { BinaryReport } from "../model/binary.js";
import { finding, MAX_FINDINGS_PER_CODE, type Finding } from "../model/findings.js";
import { clip, clipList, LIST_LIMIT, QUOTE_LIMIT, quote, truncate } from "../text.js";
import { sameVersion } from "../wheel/version.js";
import type { WheelMetadata, WheelName } from "../model/wheel.js";
import { parseWheelName, wheelTags } from "../wheel/name.js";

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

/** PEP 427: the `Tag:` lines of WHEEL are the expanded product of the file name's compressed tags. */
export function wheelTagLineFindings(name: WheelName, tagLines: string[]): Finding[] {
  const expected = wheelTags(name);
  const actual = [...new Set(tagLines)].sort();
  if (expected.length === actual.length && expected.every((t, i) => t === actual[i])) return [];
  return [
    // A hostile WHEEL may hold any number of Tag lines of any length: the message names a few, clipped,
    // and the data at most MAX_FINDINGS_PER_CODE of them (the file name's own tags are the user's).
    finding("R011", `WHEEL says ${clipList(actual, LIST_LIMIT, QUOTE_LIMIT) || "no Tag lines"}; the file name says ${clipList(expected, LIST_LIMIT, QUOTE_LIMIT)}`, {
      data: { wheel: actual.slice(0, MAX_FINDINGS_PER_CODE).map((t) => truncate(t, QUOTE_LIMIT)), filename: expected },
    }),
  ];
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
 * loads only on CPython 3.13 with the default ABI, so its wheel must be tagged `cp313`; `t` marks the
 * free-threaded ABI (`cp313t`); `.abi3.so` belongs in an `abi3` wheel.
 */
export function extensionSuffixFindings(name: WheelName, binaries: BinaryReport[]): Finding[] {
  const findings: Finding[] = [];
  for (const b of binaries) {
    if (b.module === null || b.member === null) continue;
    const base = b.member.slice(b.member.lastIndexOf("/") + 1);
    const cpython = /\.cpython-(\d)(\d+)([a-z]*)-darwin\.so$/.exec(base) ?? /\.cpython-(\d)(\d+)([a-z]*)-[a-z0-9_-]+\.so$/.exec(base);
    if (cpython !== null) {
      const abi = `cp${cpython[1]}${cpython[2]}${cpython[3]}`;
      const py = `cp${cpython[1]}${cpython[2]}`;
      if (!name.abiTags.includes(abi) || !name.pythonTags.includes(py)) {
        findings.push(
          finding("R301", `${clip(b.member)} is built for ${abi}, but the wheel is tagged ${name.pythonTags.join(".")}-${name.abiTags.join(".")}`, {
            member: b.member,
            data: { suffixAbi: abi, pythonTags: name.pythonTags, abiTags: name.abiTags },
          }),
        );
      }
    } else if (base.endsWith(".abi3.so") && !name.abiTags.includes("abi3")) {
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

/** Files loaded at run time count toward support (DESIGN §3.1); objects and archives do not. */
export const COUNTED_FILETYPES: ReadonlySet<string> = new Set(["bundle", "dylib", "execute"]);

/** A readable Mach-O file none of whose slices is loaded at run time: an object file or a static archive (§3.1). */
export function isStaticCode(b: BinaryReport): boolean {
  return b.kind !== "elf" && b.kind !== "pe" && b.error === null && !b.slices.some((s) => COUNTED_FILETYPES.has(s.filetype));
}

export function staticCodeFinding(b: BinaryReport): Finding {
  const member = b.member ?? "";
  const what = b.container === "archive" || b.slices.some((s) => s.filetype === "archive") ? "a static archive" : `an ${b.slices[0]?.filetype ?? "object"} file`;
  return finding("R107", `${clip(member)} is ${what}; it is not loaded at run time and does not count`, { member });
}

export function kindName(kind: BinaryReport["kind"]): string {
  return kind === "elf" ? "an ELF (Linux)" : kind === "pe" ? "a PE (Windows)" : "a Mach-O (macOS)";
}
