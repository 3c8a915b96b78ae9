// The binary formats of macOS tags and which hosts accept them. "Installable" means exactly what pip
// and uv accept: both generate a host's compatible tags with packaging.tags.mac_platforms (uv's
// uv-platform-tags ports the same rules), so a tag is installable iff some real (host arch, host
// macOS) makes mac_platforms yield it. The rules below restate mac_platforms / _mac_binary_formats.
import type { MacVersion } from "../model/tags.js";

/**
 * The archs a host may run for a format to be selected (DESIGN §3.4). `fat3` and `fat32` are two
 * spellings of one set: packaging up to 26.2 and uv (uv-platform-tags `BinaryFormat`) write `fat32`;
 * packaging 26.3 renamed it `fat3`, the name CPython's _osx_support always used. Both are accepted.
 */
const FORMAT_ARCHS: { [format: string]: readonly string[] } = {
  arm64: ["arm64"],
  x86_64: ["x86_64"],
  i386: ["i386"],
  ppc: ["ppc"],
  ppc64: ["ppc64"],
  universal2: ["x86_64", "arm64"],
  intel: ["i386", "x86_64"],
  fat: ["i386", "ppc"],
  fat32: ["i386", "ppc", "x86_64"],
  fat3: ["i386", "ppc", "x86_64"],
  fat64: ["ppc64", "x86_64"],
  universal: ["i386", "ppc", "ppc64", "x86_64"],
};

/** The archs a format selects; null for a format retag does not know. */
export function formatArchs(format: string): string[] | null {
  const archs = Object.hasOwn(FORMAT_ARCHS, format) ? FORMAT_ARCHS[format] : undefined;
  return archs === undefined ? null : [...archs];
}

/** Formats that name exactly one arch: the only ones retag writes besides universal2 and intel. */
export const SINGLE_ARCH_FORMATS: readonly string[] = ["arm64", "x86_64", "i386", "ppc", "ppc64"];

/**
 * packaging.tags._mac_binary_formats: the formats a host arch accepts at one compatible version. The
 * i386/ppc/x86_64 set is listed under both its names: a host whose installer is uv or packaging ≤ 26.2
 * accepts `fat32`, one whose installer vendors packaging ≥ 26.3 accepts `fat3` (DESIGN §3.4). The
 * lists are constants, in packaging's order: this is asked ~500 times per tag judged (every host
 * release), and a list made per call was most of what a small check allocated (issue 13).
 */
const HOST_FORMATS: { [hostArch: string]: readonly string[] } = {
  x86_64: ["x86_64", "intel", "fat64", "fat32", "fat3", "universal2", "universal"],
  i386: ["i386", "intel", "fat32", "fat3", "fat", "universal"],
  ppc64: ["ppc64", "fat64", "universal"],
  ppc: ["ppc", "fat32", "fat3", "fat", "universal"],
  arm64: ["arm64", "universal2"],
};
const NO_FORMATS: readonly string[] = [];

/** A version as one comparable number: 10.4 → 10004. */
const versionKey = (v: MacVersion): number => v.major * 1000 + v.minor;

function binaryFormats(v: MacVersion, hostArch: string): readonly string[] {
  const key = versionKey(v);
  // x86_64 and i386 from 10.4; ppc64 on 10.4 and 10.5; ppc up to 10.6.
  if ((hostArch === "x86_64" || hostArch === "i386") && key < 10004) return NO_FORMATS;
  if (hostArch === "ppc64" && (key > 10005 || key < 10004)) return NO_FORMATS;
  if (hostArch === "ppc" && key > 10006) return NO_FORMATS;
  return (Object.hasOwn(HOST_FORMATS, hostArch) ? HOST_FORMATS[hostArch] : undefined) ?? [hostArch];
}

/** Does packaging.tags.mac_platforms(host version, host arch) yield `macosx_{tag}_{format}`? */
function hostAccepts(host: MacVersion, hostArch: string, tag: MacVersion, format: string): boolean {
  if (tag.patch !== 0) return false;
  if (host.major === 10) {
    // Before 11 each release bumped the minor: the host accepts 10_Y for every Y up to its own.
    return tag.major === 10 && tag.minor <= host.minor && binaryFormats(tag, hostArch).includes(format);
  }
  // From 11 on: X_0 for every X from the host's major down to 11 ...
  if (tag.minor === 0 && tag.major >= 11 && tag.major <= host.major) return binaryFormats(tag, hostArch).includes(format);
  // ... then 10_16 … 10_4: every format an x86_64 host took at that version, and for any other
  // host arch universal2 only (arm64 hosts run the x86_64 half's promise as 11.0).
  if (tag.major === 10 && tag.minor >= 4 && tag.minor <= 16) {
    return hostArch === "x86_64" ? binaryFormats(tag, hostArch).includes(format) : format === "universal2";
  }
  return false;
}

/**
 * The macOS releases that exist (assuming yearly majors up to 99 from 26 on). 10.16 is not a host
 * version: packaging asks the system for the real version when Python reports 10.16.
 */
const MACOS_RELEASES: readonly MacVersion[] = [
  ...Array.from({ length: 16 }, (_, minor) => ({ major: 10, minor, patch: 0 })),
  ...[11, 12, 13, 14, 15].map((major) => ({ major, minor: 0, patch: 0 })),
  ...Array.from({ length: 99 - 26 + 1 }, (_, i) => ({ major: 26 + i, minor: 0, patch: 0 })),
];

/**
 * Which releases each host arch (as packaging names it: 32-bit interpreters report i386 / ppc) ran:
 * PowerPC Macs up to 10.5 and ppc code under Rosetta up to 10.6; 32-bit Intel processes up to 10.14
 * (10.15 dropped them); x86_64 from 10.4 on (Rosetta 2 on later arm64 releases); arm64 from 11.0.
 */
const HOST_RANGES: ReadonlyArray<{ arch: string; from: MacVersion; to: MacVersion }> = [
  { arch: "ppc", from: { major: 10, minor: 0, patch: 0 }, to: { major: 10, minor: 6, patch: 0 } },
  { arch: "ppc64", from: { major: 10, minor: 0, patch: 0 }, to: { major: 10, minor: 5, patch: 0 } },
  { arch: "i386", from: { major: 10, minor: 4, patch: 0 }, to: { major: 10, minor: 14, patch: 0 } },
  { arch: "x86_64", from: { major: 10, minor: 4, patch: 0 }, to: { major: 99, minor: 0, patch: 0 } },
  { arch: "arm64", from: { major: 11, minor: 0, patch: 0 }, to: { major: 99, minor: 0, patch: 0 } },
];

function within(v: MacVersion, from: MacVersion, to: MacVersion): boolean {
  const key = versionKey(v);
  return key >= versionKey(from) && key <= versionKey(to);
}

/** Hosts (arch, release) for which pip / uv would install `macosx_{tag}_{format}`. */
export function acceptingHosts(tag: MacVersion, format: string): Array<{ arch: string; version: MacVersion }> {
  const hosts: Array<{ arch: string; version: MacVersion }> = [];
  for (const range of HOST_RANGES) {
    for (const release of MACOS_RELEASES) {
      if (within(release, range.from, range.to) && hostAccepts(release, range.arch, tag, format)) {
        hosts.push({ arch: range.arch, version: release });
      }
    }
  }
  return hosts;
}

/**
 * True when some real host would install `macosx_{tag}_{format}`. Asked for the same few tags again
 * and again (every wheel, every candidate repair), and each answer tries ~500 hosts: remembered per
 * process, and the search stops at the first host that accepts.
 */
export function isInstallable(tag: MacVersion, format: string): boolean {
  const key = `${format} ${tag.major}.${tag.minor}.${tag.patch}`;
  let known = installableCache.get(key);
  if (known === undefined) {
    known = HOST_RANGES.some((range) => MACOS_RELEASES.some((release) => within(release, range.from, range.to) && hostAccepts(release, range.arch, tag, format)));
    installableCache.set(key, known);
  }
  return known;
}

const installableCache = new Map<string, boolean>();

/** Every version a macOS tag can meaningfully carry: the releases plus 10.16 (x86_64 hosts on 11+ accept 10_16). */
const TAG_VERSIONS: readonly MacVersion[] = [...MACOS_RELEASES, { major: 10, minor: 16, patch: 0 }].sort(
  (a, b) => a.major - b.major || a.minor - b.minor,
);

/** The lowest and highest tag versions pip / uv accept for a format; null when none is ever accepted. */
export function acceptedTagRange(format: string): { lowest: MacVersion; highest: MacVersion } | null {
  if (!rangeCache.has(format)) rangeCache.set(format, computeAcceptedTagRange(format));
  return rangeCache.get(format) ?? null;
}

const rangeCache = new Map<string, { lowest: MacVersion; highest: MacVersion } | null>();

/** Searched from both ends, so only the versions outside the range are tried against every host. */
function computeAcceptedTagRange(format: string): { lowest: MacVersion; highest: MacVersion } | null {
  const lowest = TAG_VERSIONS.find((v) => isInstallable(v, format));
  const highest = [...TAG_VERSIONS].reverse().find((v) => isInstallable(v, format));
  return lowest === undefined || highest === undefined ? null : { lowest, highest };
}
