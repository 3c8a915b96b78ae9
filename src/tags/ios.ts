// iOS platform tags (PEP 730): `ios_{X}_{Y}_{arch}_{sdk}`, e.g. `ios_13_0_arm64_iphoneos`,
// `ios_12_0_x86_64_iphonesimulator`. Unlike macOS from 11 on, the minor is significant: installers
// accept every X.Y up to the host's version (packaging.tags.ios_platforms).
//
// The model of DESIGN §3.7 (iOS): support from slices whose platform is ios (2, `iphoneos`) or
// iossimulator (7, `iphonesimulator`), per arch/SDK pair; a tag is valid when its pair is supported
// and its X.Y is at least the binaries' minimum; the repair keeps the claim's pairs and versions as
// far as the binaries allow.
import type { IosTag, MacVersion } from "../model/tags.js";
import { compareVersions, maxVersion, parseVersion, version } from "./version.js";

/**
 * The `{arch}_{sdk}` pairs PEP 730 defines ("Packaging": `ios_12_0_arm64_iphoneos`,
 * `ios_12_0_arm64_iphonesimulator`, `ios_12_0_x86_64_iphonesimulator`): an interpreter's
 * sys.implementation._multiarch is one of these three, and installers build the tags they accept from
 * it (packaging.tags.ios_platforms; uv's IosMultiarch knows exactly these). There is no x86_64 device,
 * so `x86_64_iphoneos` matches no host, nor does any other arch.
 */
const IOS_MULTIARCHS: ReadonlyArray<{ arch: string; sdk: IosTag["sdk"] }> = [
  { arch: "arm64", sdk: "iphoneos" },
  { arch: "arm64", sdk: "iphonesimulator" },
  { arch: "x86_64", sdk: "iphonesimulator" },
];

const IOS_TAG = /^ios_(\d+)_(\d+)_([a-z0-9_]+)_(iphoneos|iphonesimulator)$/;

/** Parse `ios_X_Y_<arch>_<sdk>` for one of PEP 730's three arch/SDK pairs; null for anything else. */
export function parseIosTag(tag: string): IosTag | null {
  const m = IOS_TAG.exec(tag.toLowerCase());
  if (m === null) return null;
  const [, major = "", minor = "", arch = "", sdk = ""] = m;
  const pair = IOS_MULTIARCHS.find((p) => p.arch === arch && p.sdk === sdk);
  if (pair === undefined) return null;
  return { tag, version: { major: Number(major), minor: Number(minor), patch: 0 }, arch: pair.arch, sdk: pair.sdk };
}

export function formatIosTag(tag: Pick<IosTag, "version" | "arch" | "sdk">): string {
  return `ios_${tag.version.major}_${tag.version.minor}_${tag.arch}_${tag.sdk}`;
}

export type IosSdk = IosTag["sdk"];

/** The first iOS any installer accepts a tag for (packaging: "if the requested major version is less than 12, there won't be any matches"). */
export const MIN_IOS = version(12, 0);

/** `arm64_iphoneos`: an arch/SDK pair as tags and `_multiarch` spell it. */
export function iosPair(arch: string, sdk: IosSdk): string {
  return `${arch}_${sdk}`;
}

/** Whether an arch/SDK pair is one PEP 730 names (only those can be written as a tag). */
export function isIosPair(arch: string, sdk: IosSdk): boolean {
  return IOS_MULTIARCHS.some((p) => p.arch === arch && p.sdk === sdk);
}

/** One loaded slice as the iOS rules see it: its arch, the SDK its platform means, its minos. */
export interface IosSliceFacts {
  arch: string;
  sdk: IosSdk;
  minos: string | null;
}

/**
 * What the binaries support: for each PEP 730 pair every binary has a slice of, the minimum iOS
 * (the max minos over those slices; null when none of them says one). Keyed by `iosPair`.
 */
export type IosSupport = Map<string, { arch: string; sdk: IosSdk; needs: MacVersion | null }>;

export function iosSupport(binaries: ReadonlyArray<{ slices: readonly IosSliceFacts[] }>): IosSupport {
  const support: IosSupport = new Map();
  if (binaries.length === 0) return support;
  for (const { arch, sdk } of IOS_MULTIARCHS) {
    if (!binaries.every((b) => b.slices.some((s) => s.arch === arch && s.sdk === sdk))) continue;
    let needs: MacVersion | null = null;
    for (const b of binaries) {
      for (const s of b.slices) {
        if (s.arch !== arch || s.sdk !== sdk || s.minos === null) continue;
        const minos = parseVersion(s.minos);
        if (minos !== null) needs = needs === null ? minos : maxVersion(needs, minos);
      }
    }
    support.set(iosPair(arch, sdk), { arch, sdk, needs });
  }
  return support;
}

/**
 * The X.Y a tag writes for a minimum: a tag has no patch part, so 13.4.1 is 13.4 rounding down (it
 * installs on 13.4.0, where loading may fail: reported) or 13.5 rounding up; never below 12.0.
 */
export function iosTagVersion(needs: MacVersion | null, round: "down" | "up"): MacVersion {
  if (needs === null) return MIN_IOS;
  const v = needs.patch === 0 || round === "down" ? version(needs.major, needs.minor) : version(needs.major, needs.minor + 1);
  return maxVersion(v, MIN_IOS);
}

/** The version part of any `ios_X_Y_…` tag, even one whose pair PEP 730 does not name (a claim's floor). */
export function iosClaimVersion(tag: string): MacVersion | null {
  const m = /^ios_(\d+)_(\d+)_/.exec(tag);
  return m === null ? null : version(Number(m[1]), Number(m[2]));
}

/**
 * The repaired tag set: the claim's pairs that the binaries support, else every supported pair
 * (the binaries agree on another SDK or arch: a simulator build tagged iphoneos); each pair at the
 * version its binaries need, but never below what the claim promised it (the lowest claimed version
 * for that pair, or over the whole claim for a pair it did not name), and never below 12.0.
 */
export function repairIosTags(claim: readonly string[], support: IosSupport, round: "down" | "up"): string[] {
  const claimed = claim.map(parseIosTag).filter((t) => t !== null);
  const kept = [...support.values()].filter((p) => claimed.some((t) => t.arch === p.arch && t.sdk === p.sdk));
  const pairs = kept.length > 0 ? kept : [...support.values()];
  const lowest = (versions: MacVersion[]): MacVersion | null => versions.reduce<MacVersion | null>((a, v) => (a === null || compareVersions(v, a) < 0 ? v : a), null);
  const anyFloor = lowest(claim.map(iosClaimVersion).filter((v) => v !== null));
  const tags = pairs.map((p) => {
    const floor = lowest(claimed.filter((t) => t.arch === p.arch && t.sdk === p.sdk).map((t) => t.version)) ?? anyFloor ?? MIN_IOS;
    const v = maxVersion(iosTagVersion(p.needs, round), version(floor.major, floor.minor));
    return formatIosTag({ version: v, arch: p.arch, sdk: p.sdk });
  });
  return [...new Set(tags)].sort();
}

/** Every supported pair at the version its binaries need; empty when a pair has no version facts (nothing to offer). */
export function widestIosTags(support: IosSupport, round: "down" | "up"): string[] {
  const pairs = [...support.values()];
  if (pairs.some((p) => p.needs === null)) return [];
  return pairs.map((p) => formatIosTag({ version: iosTagVersion(p.needs, round), arch: p.arch, sdk: p.sdk })).sort();
}
