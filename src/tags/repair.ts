// The computed tag set (DESIGN §3.5): the closest valid repair of a claim.
import type { MacVersion, Support, TagOptions, TagRepair } from "../model/tags.js";
import { acceptedTagRange, SINGLE_ARCH_FORMATS } from "./formats.js";
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
 * A tag for `format` at `v`, raised to the lowest version installers accept for the format (x86_64,
 * i386, intel and universal2 tags start at 10_4): no host below that accepts any tag of the format,
 * so raising changes no host set and is not reported.
 */
function macTag(v: MacVersion, format: string): string {
  const lowest = acceptedTagRange(format)?.lowest;
  return formatMacTag(lowest === undefined ? v : maxVersion(v, lowest), format);
}

/**
 * The repaired tag set for a claim (the file name's platform tags). The arch set is claim ∩ supported,
 * or every supported arch when that is empty: a claim is never widened, and a wholly false claim gets
 * the archs the binaries have. {x86_64, arm64} → universal2 at the x86_64 minimum when arm64 needs at
 * most 11.0 or both need the same, else the sorted pair; {i386, x86_64} → intel at the max of both;
 * every other arch → its own single-arch tag (fat, fat64, universal … are never invented). Archs with
 * no tag format (arm64e, unknown cpu types) are left out. Empty support → no tags.
 */
export function repairTags(claim: string[], support: Support, options: TagOptions): TagRepair {
  const taggable = [...support.keys()].filter((arch) => SINGLE_ARCH_FORMATS.includes(arch)).sort();
  const claimed = claimedArchs(claim);
  const narrowed = taggable.filter((arch) => claimed.has(arch));
  const archs = narrowed.length > 0 ? narrowed : taggable;

  const written = new Map<string, MacVersion>();
  const rounded: TagRepair["rounded"] = [];
  for (const arch of archs) {
    const needs = support.get(arch);
    if (needs === undefined) continue;
    const to = tagVersionFor(needs, options.round);
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
  if (i386 !== undefined && remaining.has("x86_64") && x86_64 !== undefined) {
    planned.push({ tag: macTag(maxVersion(i386, x86_64), "intel"), archs: ["i386", "x86_64"] });
    remaining.delete("i386");
    remaining.delete("x86_64");
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

/** The widest tag set the binaries allow (every supported arch), for the "info" report. */
export function widestTags(support: Support, options: TagOptions): string[] {
  return repairTags([], support, options).tags;
}
