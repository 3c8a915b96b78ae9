// Android wheels (PEP 738: `android_{api}_{abi}`; DESIGN §3.7): every ELF file must be of the tag's
// ABI (machine, class, and for armeabi-v7a no newer ARM than v7), link bionic, not glibc or musl, and
// need no newer API level than the tag's (the NDK's `.note.android.ident`); extensions export their
// init function and carry the ABI's suffix. Fix mode raises the API level to the binaries' minimum,
// and replaces the ABI when every binary is of one other ABI.
import { finding, type Finding } from "../model/findings.js";
import { androidAbiOf, formatAndroidTag, MIN_ANDROID_API, parseAndroidTag, type AndroidAbi, type AndroidTag } from "../tags/android.js";
import { suffixPlatformFindings, type ExtensionSuffix } from "./common.js";
import { collectImages, noBinariesFinding, tagList } from "./native.js";
import type { PlatformRules, PlatformVerdict } from "./rules.js";

/** The multiarch part of each ABI's extension suffix (`.cpython-313-aarch64-linux-android.so`, PEP 738). */
const ABI_SUFFIXES: { [abi in AndroidAbi]: string } = {
  arm64_v8a: "aarch64-linux-android",
  armeabi_v7a: "arm-linux-androideabi",
  x86: "i686-linux-android",
  x86_64: "x86_64-linux-android",
};

export const androidRules: PlatformRules = {
  family: "android",
  applies: (tags) => tags.length > 0 && tags.every((t) => t.startsWith("android_")),
  check({ name, facts }): PlatformVerdict {
    const findings: Finding[] = [];
    const platformTags = name.platformTags;
    const tags: AndroidTag[] = [];
    let tagsInvalid = false;
    for (const tag of platformTags) {
      const parsed = parseAndroidTag(tag);
      const reason =
        parsed === null
          ? "not an Android platform tag (android_<api>_<abi>)"
          : parsed.abi === null
            ? `${parsed.abiText} is not an ABI PEP 738 names (arm64_v8a, armeabi_v7a, x86, x86_64)`
            : parsed.api < MIN_ANDROID_API
              ? `no installer accepts an API level below ${MIN_ANDROID_API}`
              : null;
      if (parsed !== null) tags.push(parsed);
      if (reason !== null) {
        tagsInvalid = true;
        findings.push(finding("R203", `${tag}: ${reason}`, { data: { tag } }));
      }
    }
    const { counted, contradicted } = collectImages(facts.binaries, "elf", "an Android", findings);
    const done = (expected: string[] | null): PlatformVerdict => {
      findings.push(...suffixPlatformFindings(name, facts.binaries, expected, androidSuffixFits, "Android"));
      return { findings, expected, widest: [] };
    };
    if (counted.length === 0 && !contradicted) {
      findings.push(noBinariesFinding(platformTags, "ELF"));
      return done(tagsInvalid ? null : platformTags);
    }

    let unrepairable = contradicted;
    let needs = 0;
    for (const { member, image } of counted) {
      if (image.libc === "glibc" || image.libc === "musl") {
        // Not an Android binary at all: its ABI and API level mean nothing here.
        unrepairable = true;
        findings.push(
          finding("R112", `${member} links ${image.libc === "glibc" ? "glibc (libc.so.6)" : "musl"}: it is a Linux binary, not an Android one (Android's C library is bionic, libc.so)`, {
            member,
            data: { libc: image.libc, expected: ["bionic"] },
          }),
        );
        continue;
      }
      const abi = androidAbiOf(image.arch);
      const misfits = tags.filter((t) => t.abi !== null && t.abi !== abi);
      if (misfits.length > 0) {
        tagsInvalid = true;
        findings.push(
          finding("R211", `${member} is ${abi ?? image.arch}${abi === null ? "" : ` (${image.arch})`}, but the wheel is tagged ${tagList(platformTags)}`, {
            member,
            arch: image.arch,
            data: { tags: platformTags },
          }),
        );
      }
      if (image.minos === null) {
        findings.push(finding("R103", `${member} has no .note.android.ident: its minimum API level is unknown`, { member, arch: image.arch }));
      } else needs = Math.max(needs, Number(image.minos));
    }
    for (const t of tags) {
      if (t.abi !== null && t.api >= MIN_ANDROID_API && t.api < needs) {
        tagsInvalid = true;
        findings.push(
          finding("R202", `${t.tag} promises API level ${t.api}, but the binaries need ${needs}`, { data: { tag: t.tag, needs: String(needs), tagVersion: String(t.api) } }),
        );
      }
    }
    if (unrepairable) return done(null);
    if (!tagsInvalid) return done(platformTags);
    return done(repair(tags, counted.map((c) => androidAbiOf(c.image.arch)), needs));
  },
};

/** An Android interpreter's suffixes: `.cpython-3XY-<abi triple>.so`, `.abi3.so`, `.so`. */
function androidSuffixFits(s: ExtensionSuffix, tags: readonly string[]): boolean {
  if (s.kind !== "so") return false;
  if (s.platform === null) return true;
  return tags.every((t) => {
    const abi = parseAndroidTag(t)?.abi ?? null;
    return abi !== null && ABI_SUFFIXES[abi] === s.platform;
  });
}

/**
 * The claim's ABIs that every binary is of, else the one ABI every binary agrees on; each at the
 * binaries' API level, never below the lowest level the claim promised nor below 16. Null when the
 * binaries agree on no ABI.
 */
function repair(tags: readonly AndroidTag[], abis: ReadonlyArray<AndroidAbi | null>, needs: number): string[] | null {
  const claimed = [...new Set(tags.map((t) => t.abi).filter((a) => a !== null))];
  const kept = claimed.filter((abi) => abis.every((a) => a === abi));
  const first = abis[0] ?? null;
  const agreed = first !== null && abis.every((a) => a === first) ? [first] : [];
  const chosen = kept.length > 0 ? kept : agreed;
  if (chosen.length === 0) return null;
  const floor = tags.length === 0 ? MIN_ANDROID_API : Math.min(...tags.map((t) => t.api));
  const api = Math.max(floor, needs, MIN_ANDROID_API);
  return chosen.map((abi) => formatAndroidTag(api, abi)).sort();
}
