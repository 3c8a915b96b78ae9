// Windows wheels (`win_amd64`, `win32`, `win_arm64`, `win_arm32`; DESIGN §3.7): every PE image must
// load on every host a tag selects (a DLL: its own machine, and never ARM64EC, whose ARM64 code no
// x64 machine runs; an executable: its own machine or one that emulates it), each `.pyd` exports
// its init function and carries the tag's suffix (`.cp313-win_amd64.pyd`). Fix mode replaces the
// tag when every image is of one other machine.
import { finding, type Finding } from "../model/findings.js";
import { agreedWindowsTag, isWindowsTag, peFitTags } from "../tags/windows.js";
import { suffixPlatformFindings, type ExtensionSuffix } from "./common.js";
import { collectImages, noBinariesFinding, tagList } from "./native.js";
import type { PlatformRules, PlatformVerdict } from "./rules.js";

export const windowsRules: PlatformRules = {
  family: "windows",
  applies: (tags) => tags.length > 0 && tags.every(isWindowsTag),
  check({ name, facts }): PlatformVerdict {
    const findings: Finding[] = [];
    const platformTags = name.platformTags;
    const { counted, contradicted } = collectImages(facts.binaries, "pe", "a Windows", findings);
    const done = (expected: string[] | null): PlatformVerdict => {
      findings.push(...suffixPlatformFindings(name, facts.binaries, expected, windowsSuffixFits, "Windows"));
      return { findings, expected, widest: [] };
    };
    if (counted.length === 0 && !contradicted) {
      findings.push(noBinariesFinding(platformTags, "PE"));
      return done(platformTags);
    }
    let wrongArch = false;
    for (const { member, image } of counted) {
      const fits = peFitTags(image);
      if (platformTags.every((t) => (fits as string[]).includes(t))) continue;
      wrongArch = true;
      const what =
        image.hybrid === "arm64ec"
          ? "ARM64EC (ARM64 code that loads only into x64 processes on ARM64 Windows, never on an x64 machine)"
          : image.hybrid === "arm64x"
            ? "ARM64X (ARM64 and ARM64EC code: ARM64 Windows only)"
            : `${MACHINE_NAMES[image.arch] ?? `a ${image.arch}`} (${image.arch}) ${image.type === "dll" ? "DLL" : "executable"}`;
      findings.push(
        finding("R211", `${member} is ${what}, but the wheel is tagged ${tagList(platformTags)}`, {
          member,
          arch: image.hybrid ?? image.arch,
          data: { tags: platformTags },
        }),
      );
    }
    if (contradicted) return done(null);
    if (!wrongArch) return done(platformTags);
    const agreed = agreedWindowsTag(counted.map((c) => c.image));
    const fitsAll = agreed !== null && counted.every((c) => (peFitTags(c.image) as string[]).includes(agreed));
    return done(fitsAll ? [agreed] : null);
  },
};

const MACHINE_NAMES: { [arch: string]: string } = { win_amd64: "an x64", win32: "an x86", win_arm64: "an ARM64", win_arm32: "an ARM32" };

/** A Windows interpreter's suffixes: `.cp3XY[t]-<tag>.pyd`, `.pyd` (EXTENSION_SUFFIXES has no `.so`). */
function windowsSuffixFits(s: ExtensionSuffix, tags: readonly string[]): boolean {
  return s.kind === "pyd" && (s.platform === null || tags.every((t) => t === s.platform));
}
