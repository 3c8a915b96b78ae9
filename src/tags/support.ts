// What the binaries support (DESIGN §3.3): the archs every counted binary can be loaded as, each with
// the oldest macOS that loads all of them.
import type { MacVersion, Support, TagOptions } from "../model/tags.js";
import { MACOS_11, maxVersion, parseVersion, realMinimum, version } from "./version.js";

/**
 * The version used for an arch when no slice of it says one (no LC_BUILD_VERSION / LC_VERSION_MIN_*):
 * nothing constrains it, so the oldest macOS the arch ever ran; the caller reports the missing command.
 */
function neutralFloor(arch: string): MacVersion {
  return arch === "arm64" ? MACOS_11 : version(10, 0);
}

/**
 * Support from the usable slices of each counted binary (the caller decides usability: macOS platform,
 * PyInit exported, arch not a variant such as arm64e). An arch is supported when every binary has at
 * least one usable slice of it; its minimum is the max minos over those slices, slices without minos
 * being ignored for the version. Floors: arm64 never below 11.0 (no arm64 Mac runs less); versions in
 * the numbering gaps (10.16, 16–25) become the real release; `options.macosTarget` is a floor.
 */
export function computeSupport(
  binaries: Array<{ slices: Array<{ arch: string; minos: string | null }> }>,
  options: TagOptions,
): Support {
  const support: Support = new Map();
  const first = binaries[0];
  if (first === undefined) return support;
  const candidates = [...new Set(first.slices.map((s) => s.arch))].sort();
  for (const arch of candidates) {
    if (!binaries.every((b) => b.slices.some((s) => s.arch === arch))) continue;
    let minimum = neutralFloor(arch);
    for (const b of binaries) {
      for (const s of b.slices) {
        if (s.arch !== arch || s.minos === null) continue;
        const minos = parseVersion(s.minos);
        if (minos !== null) minimum = maxVersion(minimum, realMinimum(minos));
      }
    }
    if (options.macosTarget !== null) minimum = maxVersion(minimum, realMinimum(options.macosTarget));
    support.set(arch, minimum);
  }
  return support;
}
