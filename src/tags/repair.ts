// The computed tag set (DESIGN §3.5): the closest valid repair of a claim.
import type { MacVersion, Support, TagOptions, TagRepair } from "../model/tags.js";
import { promisedMinimums } from "./evaluate.js";
import { acceptedTagRange, isInstallable, SINGLE_ARCH_FORMATS } from "./formats.js";
import { formatMacTag, parseMacTag } from "./mactag.js";
import { compareVersions, MACOS_11, maxVersion, tagVersionFor } from "./version.js";

/**
 * A compressed tag set in the order packaging.utils.parse_wheel_filename(validate_order=True)
 * expects: plain string order (tags are ASCII, so code-unit order is Python's order).
 */
export function sortTags(tags: string[]): string[] {
  return [...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The archs a claim names: the union of its macOS tags' formats (other tags name none). */
export function claimedArchs(claim: string[]): Set<string> {
  return new Set(claim.flatMap((tag) => parseMacTag(tag)?.archs ?? []));
}

/**
 * A tag version for `format` raised to the lowest version installers accept for the format (x86_64,
 * i386, intel and universal2 tags start at 10_4): no host below that accepts any tag of the format,
 * so raising changes no host set and is not reported.
 */
function raised(v: MacVersion, format: string): MacVersion {
  const lowest = acceptedTagRange(format)?.lowest;
  return lowest === undefined ? v : maxVersion(v, lowest);
}

function macTag(v: MacVersion, format: string): string {
  return formatMacTag(raised(v, format), format);
}

/**
 * The repaired tag set for a claim (the file name's platform tags). The arch set is claim ∩ supported,
 * or every supported arch when that is empty: a claim is never widened, and a wholly false claim gets
 * the archs the binaries have. Each arch is written at the version its binaries need, but never below
 * the version the claim promised it (a conservative `macosx_14_0_universal2` over 11.0 arm64-only
 * binaries becomes `macosx_14_0_arm64`, not `11_0`: fix lowers a version only when the claimed one
 * cannot be written for the arch, e.g. `macosx_10_7_ppc`, which no ppc host ever accepted).
 * {x86_64, arm64} → universal2 at the x86_64 version when arm64 needs at most 11.0 or both need the
 * same, else the sorted pair; {i386, x86_64} → intel only when both are written at the same version,
 * else the pair (intel at the later one would shut out the i386 hosts in between, as delocate's
 * _pack_architectures also refuses to); every other arch → its own single-arch tag (fat, fat3, fat32,
 * fat64, universal … are never invented). Archs with no tag format (arm64e, unknown cpu types) are
 * left out. Empty support → no tags.
 */
export function repairTags(claim: string[], support: Support, options: TagOptions): TagRepair {
  const taggable = [...support.keys()].filter((arch) => SINGLE_ARCH_FORMATS.includes(arch)).sort();
  const claimed = claimedArchs(claim);
  const narrowed = taggable.filter((arch) => claimed.has(arch));
  const archs = narrowed.length > 0 ? narrowed : taggable;
  const promised = promisedMinimums(claim);

  const written = new Map<string, MacVersion>();
  const rounded: TagRepair["rounded"] = [];
  for (const arch of archs) {
    const needs = support.get(arch);
    if (needs === undefined) continue;
    const to = tagVersionFor(needs, options.round);
    const floor = promised.get(arch);
    const kept = floor === undefined ? null : tagVersionFor(floor, options.round);
    if (kept !== null && compareVersions(kept, to) > 0 && isInstallable(kept, arch)) {
      written.set(arch, kept);
      continue;
    }
    written.set(arch, to);
    if (compareVersions(to, needs) !== 0) rounded.push({ arch, from: needs, to });
  }

  const planned: Array<{ tag: string; archs: string[] }> = [];
  const remaining = new Set(archs);
  const x86_64 = written.get("x86_64");
  const arm64 = written.get("arm64");
  if (x86_64 !== undefined && arm64 !== undefined) {
    if (compareVersions(arm64, MACOS_11) <= 0 || compareVersions(arm64, x86_64) === 0) {
      planned.push({ tag: macTag(x86_64, "universal2"), archs: ["arm64", "x86_64"] });
    } else {
      planned.push({ tag: macTag(arm64, "arm64"), archs: ["arm64"] }, { tag: macTag(x86_64, "x86_64"), archs: ["x86_64"] });
    }
    remaining.delete("x86_64");
    remaining.delete("arm64");
  }
  const i386 = written.get("i386");
  if (i386 !== undefined && x86_64 !== undefined && remaining.has("x86_64")) {
    if (compareVersions(raised(i386, "i386"), raised(x86_64, "x86_64")) === 0) {
      planned.push({ tag: macTag(x86_64, "intel"), archs: ["i386", "x86_64"] });
      remaining.delete("i386");
      remaining.delete("x86_64");
    }
  }
  for (const arch of remaining) {
    const v = written.get(arch);
    if (v !== undefined) planned.push({ tag: macTag(v, arch), archs: [arch] });
  }
  // A minimum no host of the arch ever ran (ppc64 needing 10.6, i386 needing 10.15, a minos of
  // 110.0) has no tag any installer accepts: that arch is not really supported, so it is left out
  // rather than written as a tag that could never install.
  const kept = planned.filter((p) => parseMacTag(p.tag)?.form === "ok");
  const keptArchs = new Set(kept.flatMap((p) => p.archs));
  return {
    tags: sortTags([...new Set(kept.map((p) => p.tag))]),
    archs: archs.filter((arch) => keptArchs.has(arch)),
    rounded: rounded.filter((r) => keptArchs.has(r.arch)),
  };
}

/**
 * The widest tag set the binaries allow: every supported arch at the version its binaries need, with
 * no claim to hold a version up, for the "info" report (R205). Honest by construction: each arch's
 * hosts are those its binaries load on, and a pair is written where one compressed name would shut
 * some of them out (i386 at 10.6 with x86_64 at 10.9 is `macosx_10_6_i386.macosx_10_9_x86_64`).
 */
export function widestTags(support: Support, options: TagOptions): string[] {
  return repairTags([], support, options).tags;
}
