// Is a tag's promise inside what the binaries support? (DESIGN §3.4)
import type { MacVersion, Support, TagEvaluation, TagOptions } from "../model/tags.js";
import { parseMacTag } from "./mactag.js";
import { compareVersions, MACOS_11, maxVersion, realMinimum, tagVersionFor } from "./version.js";

/**
 * The oldest macOS a host of `arch` that accepts the tag can run: the tag's version, read through the
 * numbering gaps (a 10_16 tag is accepted from 11.0), and for arm64 never below 11.0 (an arm64 host
 * accepts macosx_10_Y_universal2, but every arm64 host runs 11 or later).
 */
export function hostMinimum(arch: string, tagVersion: MacVersion): MacVersion {
  const real = realMinimum(tagVersion);
  return arch === "arm64" ? maxVersion(real, MACOS_11) : real;
}

/**
 * Validity of one platform tag against the support: every arch of its format supported, and each
 * arch's minimum at most the tag's version for that arch. A minimum no tag can say exactly (12.1,
 * 10.9.5) is compared as the tag retag would write for it (`options.round`, default down), so the
 * honest-as-possible `12_0` is valid under rounding down; such archs are listed in `inexact`.
 * A tag whose form no installer accepts is never valid, whatever its promise.
 */
export function evaluateTag(tag: string, support: Support, options: Pick<TagOptions, "round"> = { round: "down" }): TagEvaluation {
  const evaluation: TagEvaluation = { tag, valid: false, form: "not-macos", missingArchs: [], tooOld: [], inexact: [] };
  const parsed = parseMacTag(tag);
  if (parsed === null) return evaluation;
  evaluation.form = parsed.form;
  if (parsed.archs === null) return evaluation;
  for (const arch of parsed.archs) {
    const needs = support.get(arch);
    if (needs === undefined) {
      evaluation.missingArchs.push(arch);
      continue;
    }
    const tagVersion = hostMinimum(arch, parsed.version);
    if (compareVersions(tagVersion, tagVersionFor(needs, options.round)) < 0) {
      evaluation.tooOld.push({ arch, needs, tagVersion });
    } else if (compareVersions(tagVersion, needs) < 0) {
      evaluation.inexact.push({ arch, needs, tagVersion });
    }
  }
  evaluation.valid = parsed.form === "ok" && evaluation.missingArchs.length === 0 && evaluation.tooOld.length === 0;
  return evaluation;
}

/**
 * The oldest macOS each arch named by `tags` is promised: for every tag whose version is a macOS
 * version at all (not `macosx_110_0_*`), its version as a host of that arch reads it (hostMinimum:
 * 10_16 is 11.0, 16_0 is 26.0, arm64 never below 11.0); over several tags naming an arch, the lowest,
 * since any one of them lets a host install the wheel. The repair's floor (§3.5).
 */
export function promisedMinimums(tags: readonly string[]): Map<string, MacVersion> {
  const minimums = new Map<string, MacVersion>();
  for (const tag of tags) {
    const parsed = parseMacTag(tag);
    if (parsed === null || parsed.archs === null || parsed.form === "malformed") continue;
    for (const arch of parsed.archs) {
      const promised = hostMinimum(arch, parsed.version);
      const known = minimums.get(arch);
      minimums.set(arch, known === undefined || compareVersions(promised, known) < 0 ? promised : known);
    }
  }
  return minimums;
}

/**
 * Do two tag sets make the same promise: the same archs, each from the same macOS? Spelling aside,
 * `macosx_10_9_universal2` and `macosx_10_9_x86_64.macosx_11_0_arm64` do, and so do `fat3`, `fat32`
 * and `intel` + `ppc` at one version: a valid tag set that promises what the widest one does is not
 * narrower than the binaries allow (R205).
 */
export function samePromise(a: readonly string[], b: readonly string[]): boolean {
  const x = promisedMinimums(a);
  const y = promisedMinimums(b);
  if (x.size !== y.size) return false;
  for (const [arch, v] of x) {
    const w = y.get(arch);
    if (w === undefined || compareVersions(v, w) !== 0) return false;
  }
  return true;
}
