// The tag model's data (src/tags/): versions, support, parsed tags, evaluations and repairs.

/** A macOS version: `10.9` is {10, 9, 0}. Minos values and tag versions use the same shape. */
export interface MacVersion {
  major: number;
  minor: number;
  patch: number;
}

/** What the binaries support: for each arch every counted binary has a usable macOS slice for, the minimum macOS (max over those slices' minos, floors applied). */
export type Support = Map<string, MacVersion>;

export interface TagOptions {
  /** How a minimum a tag cannot express (12.3, 10.9.5) becomes one: 12_0 / 10_9 (down) or 13_0 / 10_10 (up). */
  round: "down" | "up";
  /** A floor for every arch's minimum (`--macos-target`). */
  macosTarget: MacVersion | null;
}

/** Whether pip / uv can ever accept a macOS tag (DESIGN §3.4). */
export type MacTagForm = "ok" | "malformed" | "uninstallable" | "unknown-format";

/** A parsed `macosx_X_Y_FORMAT` platform tag. */
export interface MacTag {
  tag: string;
  version: MacVersion;
  format: string;
  /** The archs the format selects on a host (§3.4); null for an unknown format. */
  archs: string[] | null;
  form: MacTagForm;
  /** Why the form is not "ok"; null when it is. */
  reason: string | null;
}

/** A tag's promise checked against the support (§3.4). */
export interface TagEvaluation {
  tag: string;
  /** True when the form is "ok", every arch is supported and no arch needs a newer macOS than the tag says. */
  valid: boolean;
  form: MacTagForm | "not-macos";
  missingArchs: string[];
  tooOld: Array<{ arch: string; needs: MacVersion; tagVersion: MacVersion }>;
  /** Archs whose minimum the tag cannot say exactly (12.1 under `12_0`): accepted when rounding down, and worth a warning. */
  inexact: Array<{ arch: string; needs: MacVersion; tagVersion: MacVersion }>;
}

/** The computed tag set for a claim (§3.5). */
export interface TagRepair {
  /** Sorted; empty when nothing is supported. */
  tags: string[];
  /** The archs the tags cover, sorted. */
  archs: string[];
  /** Minimums no tag can say exactly, and the version written instead. */
  rounded: Array<{ arch: string; from: MacVersion; to: MacVersion }>;
}

/** A parsed iOS platform tag `ios_X_Y_<arch>_<sdk>` (PEP 730). */
export interface IosTag {
  tag: string;
  /** The minor is significant on iOS (`ios_13_2_…` is not `ios_13_0_…`). */
  version: MacVersion;
  arch: string;
  sdk: "iphoneos" | "iphonesimulator";
}
