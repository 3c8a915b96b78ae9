// iOS platform tags (PEP 730): `ios_{X}_{Y}_{arch}_{sdk}`, e.g. `ios_13_0_arm64_iphoneos`,
// `ios_12_0_x86_64_iphonesimulator`. Unlike macOS from 11 on, the minor is significant: installers
// accept every X.Y up to the host's version (packaging.tags.ios_platforms).
//
// Parse and format only, as a start. The full model of DESIGN §3.7 — support from slices whose
// platform is ios (2) or iossimulator (7), validity, repair — is future work.
import type { IosTag } from "../model/tags.js";

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
