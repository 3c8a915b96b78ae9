// macOS versions as they appear in minos fields, tags and options, and the rules that turn a
// binary's minimum into something a tag can say (DESIGN §3.3, §3.4).
import type { MacVersion } from "../model/tags.js";

/** "10.9", "11.0", "10.9.5" or "11"; null for anything else. */
export function parseVersion(s: string): MacVersion | null {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(s.trim());
  if (m === null) return null;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
}

/** "10.9", "11.0"; the patch only when it is not 0 ("10.9.5"), as the Mach-O reader writes minos. */
export function formatVersion(v: MacVersion): string {
  return v.patch === 0 ? `${v.major}.${v.minor}` : `${v.major}.${v.minor}.${v.patch}`;
}

export function compareVersions(a: MacVersion, b: MacVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function maxVersion(a: MacVersion, b: MacVersion): MacVersion {
  return compareVersions(a, b) >= 0 ? a : b;
}

export function version(major: number, minor = 0, patch = 0): MacVersion {
  return { major, minor, patch };
}

export const MACOS_11 = version(11);
export const MACOS_26 = version(26);

/**
 * The oldest real macOS that satisfies `v`. Two numbering gaps exist:
 * - 10.16 is what Big Sur and later report to processes built with an older SDK
 *   (SYSTEM_VERSION_COMPAT); there is no 10.16 release, so 10.16 (and anything above 10.15) means 11.0.
 * - Apple went from 15 to 26 (clang maps `macos16` to 26: llvm/llvm-project#143548, and Tahoe
 *   reports 16.0 in compatibility mode); dyld on 26 loads a minos of 16…25, macOS 15 does not,
 *   so 16.x–25.x means 26.0.
 */
export function realMinimum(v: MacVersion): MacVersion {
  if (v.major === 10 && v.minor >= 16) return MACOS_11;
  if (v.major >= 16 && v.major < 26) return MACOS_26;
  return v;
}

/** The next major after `major` that macOS really has (15 → 26: the numbering gap above). */
function nextMajor(major: number): number {
  return major === 15 ? 26 : major + 1;
}

/**
 * The version a tag writes for a minimum `v` (§3.4): from 11 on a tag can only say X_0, and below 11
 * only 10_Y. A minimum such as 12.3 or 10.9.5 cannot be said exactly: rounding down (delocate's and
 * wheel's choice) keeps the hosts that have the major but not the update; rounding up excludes them.
 */
export function tagVersionFor(v: MacVersion, round: "down" | "up"): MacVersion {
  const real = realMinimum(v);
  if (real.major >= 11) {
    if (real.minor === 0 && real.patch === 0) return version(real.major);
    return round === "down" ? version(real.major) : version(nextMajor(real.major));
  }
  if (real.patch === 0) return version(real.major, real.minor);
  return round === "down" ? version(real.major, real.minor) : realMinimum(version(real.major, real.minor + 1));
}
