// iOS platform tags (PEP 730): `ios_{X}_{Y}_{arch}_{sdk}`, e.g. `ios_13_0_arm64_iphoneos`,
// `ios_12_0_x86_64_iphonesimulator`. Unlike macOS from 11 on, the minor is significant: installers
// accept every X.Y up to the host's version (packaging.tags.ios_platforms).
//
// Parse and format only, as a start. The full model of DESIGN §3.7 — support from slices whose
// platform is ios (2) or iossimulator (7), validity, repair — is future work.
import type { IosTag } from "../model/tags.js";

const IOS_TAG = /^ios_(\d+)_(\d+)_([a-z0-9_]+)_(iphoneos|iphonesimulator)$/;

/** Parse `ios_X_Y_<arch>_<iphoneos|iphonesimulator>`; null when the text is not of that shape. */
export function parseIosTag(tag: string): IosTag | null {
  const m = IOS_TAG.exec(tag.toLowerCase());
  if (m === null) return null;
  const [, major = "", minor = "", arch = "", sdk = ""] = m;
  if (sdk !== "iphoneos" && sdk !== "iphonesimulator") return null;
  return { tag, version: { major: Number(major), minor: Number(minor), patch: 0 }, arch, sdk };
}

export function formatIosTag(tag: Pick<IosTag, "version" | "arch" | "sdk">): string {
  return `ios_${tag.version.major}_${tag.version.minor}_${tag.arch}_${tag.sdk}`;
}
