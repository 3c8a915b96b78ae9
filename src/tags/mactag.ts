// Parse and format `macosx_X_Y_FORMAT` platform tags, and say whether any installer can accept one
// (DESIGN §3.4; the installability rules live in formats.ts).
import type { MacTag, MacVersion } from "../model/tags.js";
import { acceptedTagRange, formatArchs, isInstallable } from "./formats.js";

const MAC_TAG = /^macosx_(\d+)_(\d+)_([a-z0-9_]+)$/;

/** The version part of a tag: `10_9`, `11_0`. */
export function formatTagVersion(v: MacVersion): string {
  return `${v.major}_${v.minor}`;
}

export function formatMacTag(v: MacVersion, format: string): string {
  return `macosx_${formatTagVersion(v)}_${format}`;
}

/**
 * Parse `macosx_X_Y_FORMAT`; null when the text is not of that shape (not a macOS tag at all).
 * Tags are compared lower-cased, as packaging's Tag does.
 */
export function parseMacTag(tag: string): MacTag | null {
  const m = MAC_TAG.exec(tag.toLowerCase());
  if (m === null) return null;
  const [, majorText = "", minorText = "", format = ""] = m;
  const version: MacVersion = { major: Number(majorText), minor: Number(minorText), patch: 0 };
  const archs = formatArchs(format);
  const result = (form: MacTag["form"], reason: string | null): MacTag => ({ tag, version, format, archs, form, reason });

  if (archs === null) {
    return result("unknown-format", `"${format}" is not a macOS binary format installers know (arm64, x86_64, universal2, intel, …)`);
  }
  // Installers compare tags as text: `macosx_11_00_arm64` is in no host's list.
  if (/^0\d/.test(majorText) || /^0\d/.test(minorText)) {
    return result("malformed", `the version ${majorText}_${minorText} has a leading zero; installers compare tags as text`);
  }
  if (version.major < 10 || version.major > 99) {
    const hint = version.major >= 110 && version.major % 10 === 0 && version.major <= 990 ? ` (${version.major / 10}_0 written without its separator?)` : "";
    return result("malformed", `macOS has no version ${version.major}${hint}`);
  }
  // Majors 16–25 name no macOS release (Apple went from 15 to 26), but pip and uv count a host's
  // majors down to 11 one by one, so every macOS 26+ host accepts macosx_16_0 … macosx_25_0: such a
  // tag is installable, and promises what 26_0 promises (evaluate.ts reads it through realMinimum).
  if (version.major >= 11 && version.minor !== 0) {
    return result("uninstallable", `from macOS 11 on installers accept only X_0 tags: ${version.major}_${version.minor} matches no host (tag it ${version.major}_0)`);
  }
  if (!isInstallable(version, format)) {
    const range = acceptedTagRange(format);
    const accepted =
      range === null
        ? `pip and uv never accept ${format} tags`
        : range.highest.major >= 99
          ? `pip and uv accept ${format} tags from ${formatTagVersion(range.lowest)} on`
          : `pip and uv accept ${format} tags from ${formatTagVersion(range.lowest)} to ${formatTagVersion(range.highest)}`;
    return result("uninstallable", `no Mac accepts ${format} at ${formatTagVersion(version)}: ${accepted}`);
  }
  return result("ok", null);
}
