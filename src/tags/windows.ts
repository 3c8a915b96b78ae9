// Windows platform tags: `win_amd64`, `win32`, `win_arm64` (and `win_arm32`, which CPython's ARM
// builds of 3.8–3.10 reported): `sysconfig.get_platform()` with `-` as `_`. Which PE images a tag's
// hosts load (DESIGN §3.7).

export const WINDOWS_TAGS = ["win32", "win_amd64", "win_arm64", "win_arm32"] as const;
export type WindowsTag = (typeof WINDOWS_TAGS)[number];

export function isWindowsTag(tag: string): tag is WindowsTag {
  return (WINDOWS_TAGS as readonly string[]).includes(tag);
}

/** A PE image's facts as the rules read them (src/model/binary.ts ImageReport). */
export interface PeImageFacts {
  /** The reader's platform for the Machine field: `win_amd64`, `win32`, `win_arm64`, `win_arm32`, `machine(0x…)`. */
  arch: string;
  hybrid: "arm64ec" | "arm64x" | null;
  /** A DLL (every `.pyd`) or an executable. */
  type: string;
}

/**
 * The tags whose hosts can load the image:
 * - A DLL loads into a process of its own machine only. Python on x64 hardware is x64, so an
 *   ARM64EC DLL (Machine AMD64, but ARM64 code: it loads only into x64 processes emulated on ARM64
 *   Windows) fits no tag: a `win_amd64` wheel installs on x64 machines, where its code cannot run.
 *   An ARM64X DLL holds native ARM64 code (and an ARM64EC view): `win_arm64`.
 * - An executable runs in a process of its own: x86 ones on every Windows (WOW64, and x86
 *   emulation on ARM64), x64 ones on x64 and on ARM64 Windows 11 (x64 emulation), ARM64 ones (and
 *   ARM64EC, ARM64X) on ARM64 only.
 */
export function peFitTags(image: PeImageFacts): WindowsTag[] {
  const own = isWindowsTag(image.arch) ? image.arch : null;
  if (image.type === "dll") {
    if (image.hybrid === "arm64ec") return [];
    return own === null ? [] : [own];
  }
  if (image.hybrid !== null) return ["win_arm64"];
  if (own === "win32") return ["win32", "win_amd64", "win_arm64"];
  if (own === "win_amd64") return ["win_amd64", "win_arm64"];
  return own === null ? [] : [own];
}

/** The one tag every image natively is (its own machine; an ARM64EC image is none), or null when they do not agree. */
export function agreedWindowsTag(images: readonly PeImageFacts[]): WindowsTag | null {
  const owns = images.map((i) => (i.hybrid === "arm64ec" || !isWindowsTag(i.arch) ? null : i.arch));
  const first = owns[0] ?? null;
  return first !== null && owns.every((o) => o === first) ? first : null;
}
