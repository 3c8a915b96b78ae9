// Narrowing a release's wheels: `--platform macos` (a platform family, judged from the platform tags
// of the file name, PEP 425 / PEP 427) or `--platform '*arm64*'` (a glob on the file name).
import { RemoteError } from "../model/remote.js";
import type { PlatformFamily } from "../model/remote.js";

export type WheelSelector = { families: PlatformFamily[] } | { glob: string };

export const PLATFORM_FAMILIES: readonly PlatformFamily[] = ["macos", "linux", "windows", "ios", "android", "any"];

/**
 * The family of one platform tag, or null for one of none of them (emscripten, freebsd, …).
 * Prefixes: `macosx_` (packaging.tags.mac_platforms), `manylinux1_` / `manylinux2010_` /
 * `manylinux2014_` / `manylinux_X_Y_` (PEP 513/571/599/600), `musllinux_X_Y_` (PEP 656), `linux_`,
 * `win32` / `win_amd64` / `win_arm64` / `win_ia64`, `ios_` (PEP 730), `android_` (PEP 738).
 */
export function familyOfTag(tag: string): PlatformFamily | null {
  if (tag === "any") return "any";
  if (tag.startsWith("macosx_")) return "macos";
  if (/^(manylinux|musllinux|linux)_?/.test(tag)) return "linux";
  if (tag === "win32" || tag.startsWith("win_")) return "windows";
  if (tag.startsWith("ios_")) return "ios";
  if (tag.startsWith("android_")) return "android";
  return null;
}

/** The platform tags of a wheel file name: its last `-` part, split at `.` (a compressed tag set). */
export function platformTagsOf(filename: string): string[] {
  const stem = filename.endsWith(".whl") ? filename.slice(0, -".whl".length) : filename;
  const last = stem.slice(stem.lastIndexOf("-") + 1);
  return last === "" ? [] : last.split(".");
}

/** Every family one of the file name's platform tags belongs to. */
export function familiesOf(filename: string): PlatformFamily[] {
  const families = new Set<PlatformFamily>();
  for (const tag of platformTagsOf(filename)) {
    const family = familyOfTag(tag);
    if (family !== null) families.add(family);
  }
  return PLATFORM_FAMILIES.filter((f) => families.has(f));
}

/**
 * `macos`, `macos,ios` (families), or a glob (`*`, `?`, `[…]`, `[!…]` as Python's fnmatch) on the
 * file name. Anything else is a usage error naming the choices, so `--platform mac` does not quietly
 * select nothing.
 */
export function parseWheelSelector(text: string): WheelSelector {
  const words = text.split(",").map((w) => w.trim().toLowerCase());
  if (words.every((w) => (PLATFORM_FAMILIES as readonly string[]).includes(w))) {
    return { families: PLATFORM_FAMILIES.filter((f) => words.includes(f)) };
  }
  if (/[*?[]/.test(text) || text.endsWith(".whl")) {
    globToRegExp(text); // a bad class fails here, as a usage error
    return { glob: text };
  }
  throw new RemoteError(
    "bad-url",
    text,
    `not a platform (${PLATFORM_FAMILIES.join(", ")}, several joined with ',') nor a glob on the file name such as '*arm64*'`,
  );
}

export function selectWheels<T extends { filename: string }>(wheels: readonly T[], selector: WheelSelector): T[] {
  if ("glob" in selector) {
    const pattern = globToRegExp(selector.glob);
    return wheels.filter((w) => pattern.test(w.filename));
  }
  return wheels.filter((w) => familiesOf(w.filename).some((f) => selector.families.includes(f)));
}

/** fnmatch's translation: `*` any run, `?` one character, `[seq]` / `[!seq]` a class; case-sensitive. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      let j = i + 1;
      if (glob[j] === "!") j++;
      if (glob[j] === "]") j++; // a `]` first in the class is a member
      while (j < glob.length && glob[j] !== "]") j++;
      if (j >= glob.length) {
        source += "\\["; // fnmatch: an unclosed `[` is a literal
        continue;
      }
      let members = glob.slice(i + 1, j);
      const negated = members.startsWith("!");
      if (negated) members = members.slice(1);
      const escaped = members.replace(/[\\\]^]/g, (m) => `\\${m}`);
      source += `[${negated ? "^" : ""}${escaped}]`;
      i = j;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  try {
    return new RegExp(`^${source}$`, "s");
  } catch {
    throw new RemoteError("bad-url", glob, "not a usable glob");
  }
}
