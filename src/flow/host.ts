// Would a distribution load on a host? (DESIGN §9.3) Two questions, asked as pip / uv and then dyld
// and CPython would: does one of its platform tags accept the host (so an installer puts it there:
// packaging.tags.mac_platforms, src/tags/formats.ts acceptingHosts), and does every binary it loads
// have usable code for the host's arch and macOS (a slice of that arch, built for macOS, exporting
// the module's init function, needing no newer macOS than the host runs: DESIGN §3.1–§3.3). A
// distribution whose tags accept the host while a binary does not is the case audit exists for.
import type { Host, HostReason, HostVerdict } from "../model/audit.js";
import type { BinaryReport } from "../model/binary.js";
import type { MacVersion } from "../model/tags.js";
import type { WheelFacts } from "../model/wheel.js";
import { COUNTED_FILETYPES, isStaticCode, kindName } from "../platforms/common.js";
import { acceptingHosts, compareVersions, computeSupport, formatVersion, parseMacTag } from "../tags/index.js";

/** Variants that do not stand in for the plain arch (§3.3). */
const VARIANT_OF: { [arch: string]: string } = { arm64: "arm64e", x86_64: "x86_64h" };

/** The archs a macOS host's Python can run as (packaging's names; 32-bit hosts report i386 / ppc). */
const HOST_ARCHS = new Set(["arm64", "x86_64", "i386", "ppc", "ppc64"]);

/**
 * `macosx_14_0_x86_64` (a host spelled as a platform tag; a minor release may be given, `macosx_14_4_arm64`)
 * → a Host; an error message when the text names no macOS release or no host arch.
 */
export function parseHost(text: string): Host | { error: string } {
  const m = /^macosx_(\d+)_(\d+)_([a-z0-9_]+)$/.exec(text.trim().toLowerCase());
  if (m === null) return { error: `${JSON.stringify(text)} is not a host: spell it as a platform tag, e.g. macosx_14_0_x86_64` };
  const version: MacVersion = { major: Number(m[1]), minor: Number(m[2]), patch: 0 };
  const arch = m[3] ?? "";
  if (!HOST_ARCHS.has(arch)) return { error: `${text}: a host runs one arch (arm64, x86_64, i386, ppc or ppc64), not ${arch}` };
  const real = (version.major === 10 && version.minor <= 15) || (version.major >= 11 && version.major <= 15) || (version.major >= 26 && version.major <= 99);
  if (!real) return { error: `${text}: macOS ${formatVersion(version)} was never released (10.0–10.15, 11–15, then 26 on)` };
  return { platform: "macos", version, arch, rosetta: false };
}

/** The host as a platform tag spells it. */
export function formatHost(host: Host): string {
  return `macosx_${host.version.major}_${host.version.minor}_${host.arch}`;
}

/** The release a host's installer generates tags for: X.0 from 11 on, 10.Y before (packaging.tags.mac_platforms). */
function tagRelease(v: MacVersion): MacVersion {
  return v.major >= 11 ? { major: v.major, minor: 0, patch: 0 } : { major: 10, minor: v.minor, patch: 0 };
}

const acceptedCache = new Map<string, boolean>();

/** Does pip / uv on this host install a wheel with this platform tag? */
function tagAccepts(tag: string, host: Host): boolean {
  if (tag === "any") return true;
  const key = `${tag} ${formatHost(host)}`;
  let known = acceptedCache.get(key);
  if (known === undefined) {
    const parsed = parseMacTag(tag);
    const release = tagRelease(host.version);
    known =
      parsed !== null &&
      parsed.archs !== null &&
      parsed.form !== "malformed" &&
      acceptingHosts(parsed.version, parsed.format).some((h) => h.arch === host.arch && compareVersions(h.version, release) === 0);
    acceptedCache.set(key, known);
  }
  return known;
}

/** The first platform tag that makes an installer on the host take the distribution, or null. */
export function acceptingTag(platformTags: readonly string[], host: Host): string | null {
  return platformTags.find((t) => tagAccepts(t, host)) ?? null;
}

/** Why one binary cannot be loaded on the host; empty when it can (or is never loaded: §3.1). */
export function binaryReasons(b: BinaryReport, host: Host): HostReason[] {
  const member = b.member ?? "";
  const arch = host.arch;
  const reason = (problem: HostReason["problem"], message: string): HostReason[] => [{ member, arch, problem, message }];
  if (b.kind === "elf" || b.kind === "pe") {
    // Only an extension module is certain to be loaded; any other foreign file may be data.
    return b.module === null ? [] : reason("foreign", `${member} is ${kindName(b.kind)} binary: no Mac loads it`);
  }
  if (b.error !== null) return reason("corrupt", `${member} is not a valid Mach-O file: ${b.error}`);
  if (isStaticCode(b)) return [];
  const loaded = b.slices.filter((s) => COUNTED_FILETYPES.has(s.filetype));
  const slices = loaded.filter((s) => s.arch === arch);
  if (slices.length === 0) {
    const variant = VARIANT_OF[arch];
    if (variant !== undefined && loaded.some((s) => s.arch === variant)) {
      return reason("variant-only", `${member} has an ${variant} slice but no ${arch} slice; ${arch} Python does not load ${variant} code`);
    }
    const has = [...new Set(loaded.map((s) => s.arch))].join(", ") || "none";
    return reason("no-slice", `${member} has no ${arch} code (its slices: ${has})`);
  }
  const problems: HostReason[] = [];
  for (const s of slices) {
    if (s.platform !== null && s.platform !== "macos") {
      problems.push(...reason("other-platform", `the ${arch} slice of ${member} is built for ${s.platform}, not macOS`));
      continue;
    }
    if (s.pyinit === false) {
      problems.push(...reason("no-pyinit", `the ${arch} slice of ${member} does not export ${b.initSymbol}: the import fails on ${arch}`));
      continue;
    }
    // The floors of §3.3 (arm64 never below 11.0; 10.16 is 11.0; 16–25 are 26).
    const needs = computeSupport([{ slices: [{ arch, minos: s.minos }] }], { round: "down", macosTarget: null }).get(arch);
    if (needs !== undefined && compareVersions(needs, host.version) > 0) {
      problems.push(...reason("needs-newer-macos", `${member} needs macOS ${formatVersion(needs)} on ${arch}; the host runs ${formatVersion(host.version)}`));
      continue;
    }
    return []; // one usable slice of the arch is enough
  }
  return problems;
}

/**
 * The verdict for one host, from the platform tags and the facts read. A distribution that could not
 * be read, or one that would load but has files that could not be read, is `unknown`.
 */
export function hostVerdict(platformTags: readonly string[], facts: WheelFacts, host: Host): HostVerdict {
  const label = formatHost(host);
  const acceptedBy = acceptingTag(platformTags, host);
  if (acceptedBy === null) return { host: label, verdict: "not-for-host", acceptedBy, reasons: [] };
  if (!facts.readable) {
    return { host: label, verdict: "unknown", acceptedBy, reasons: [{ member: "", arch: host.arch, problem: "unread", message: "the distribution could not be read" }] };
  }
  const reasons = facts.binaries.flatMap((b) => binaryReasons(b, host));
  if (reasons.length > 0) return { host: label, verdict: "fails", acceptedBy, reasons };
  const unread = facts.members.filter((m) => !m.read);
  if (unread.length > 0) {
    const first = unread[0]?.name ?? "";
    const message = unread.length === 1 ? `${first} could not be read` : `${first} and ${unread.length - 1} other files could not be read`;
    return { host: label, verdict: "unknown", acceptedBy, reasons: [{ member: first, arch: host.arch, problem: "unread", message }] };
  }
  return { host: label, verdict: "loads", acceptedBy, reasons: [] };
}
