// iOS wheels (PEP 730: `ios_13_0_arm64_iphoneos`, `ios_13_0_arm64_iphonesimulator`,
// `ios_13_0_x86_64_iphonesimulator`; DESIGN §3.7): the macOS model with the slice's platform as the
// SDK (2 device, 7 simulator) and significant minors. Every loaded slice must be for the tag's SDK
// and arch, export its init function and need no newer iOS than the tag's X.Y; no binary may be, or
// load, a plain `.dylib` (apps load frameworks only). Fix mode raises the version and corrects the
// SDK / arch when every binary agrees on another.
import type { BinaryReport, SliceReport } from "../model/binary.js";
import { finding, type Finding } from "../model/findings.js";
import type { MacVersion } from "../model/tags.js";
import { compareVersions, formatVersion, parseVersion } from "../tags/index.js";
import {
  iosPair,
  iosSupport,
  iosTagVersion,
  MIN_IOS,
  parseIosTag,
  repairIosTags,
  widestIosTags,
  type IosSdk,
  type IosSliceFacts,
} from "../tags/ios.js";
import { COUNTED_FILETYPES, isStaticCode, kindName, sameTagSet, staticCodeFinding, suffixPlatformFindings, type ExtensionSuffix } from "./common.js";
import type { PlatformRules, PlatformVerdict } from "./rules.js";

interface Counted {
  binary: BinaryReport;
  member: string;
  usable: IosSliceFacts[];
}

export const iosRules: PlatformRules = {
  family: "ios",
  applies: (tags) => tags.length > 0 && tags.every((t) => t.startsWith("ios_")),
  check({ name, facts, options }): PlatformVerdict {
    const findings: Finding[] = [];
    const platformTags = name.platformTags;
    const done = (expected: string[] | null, widest: string[] = []): PlatformVerdict => {
      findings.push(...suffixPlatformFindings(name, facts.binaries, expected, iosSuffixFits, "iOS"));
      return { findings, expected, widest };
    };

    let tagsInvalid = false;
    const tags = [];
    for (const tag of platformTags) {
      const parsed = parseIosTag(tag);
      const reason =
        parsed === null
          ? "not one of PEP 730's iOS tags (ios_X_Y_arm64_iphoneos, ios_X_Y_arm64_iphonesimulator, ios_X_Y_x86_64_iphonesimulator)"
          : compareVersions(parsed.version, MIN_IOS) < 0
            ? "no installer accepts an iOS version below 12.0"
            : null;
      if (reason !== null) {
        tagsInvalid = true;
        findings.push(finding("R203", `${tag}: ${reason}`, { data: { tag } }));
      } else if (parsed !== null) tags.push(parsed);
    }

    const { counted, blocked } = collectCounted(facts.binaries, findings);
    if (counted.length === 0 && !blocked) {
      findings.push(finding("R206", `the wheel is tagged ${platformTags.join(".")} but has no Mach-O binary loaded at run time`));
      return done(tagsInvalid ? null : platformTags);
    }
    if (blocked) return done(null);

    const support = iosSupport(counted.map((c) => ({ slices: c.usable })));
    if (support.size === 0) {
      if (!findings.some((f) => f.code === "R102")) {
        findings.push(
          finding("R208", "no arch/SDK pair has a usable iOS slice in every binary", {
            data: Object.fromEntries(counted.map((c) => [c.member, [...new Set(c.usable.map((s) => iosPair(s.arch, s.sdk)))]])),
          }),
        );
      }
      return done(null);
    }

    for (const tag of tags) {
      const pair = support.get(iosPair(tag.arch, tag.sdk));
      if (pair === undefined) {
        tagsInvalid = true;
        const lacking = counted.filter((c) => !c.usable.some((s) => s.arch === tag.arch && s.sdk === tag.sdk)).map((c) => c.member);
        findings.push(
          finding("R201", `${tag.tag} promises ${tag.arch} ${tag.sdk === "iphoneos" ? "devices" : "simulators"}, but ${lacking.join(", ")} ${lacking.length === 1 ? "has" : "have"} no usable ${iosPair(tag.arch, tag.sdk)} slice`, {
            arch: tag.arch,
            member: lacking[0] ?? "",
            data: { tag: tag.tag, members: lacking },
          }),
        );
        continue;
      }
      const needs = iosTagVersion(pair.needs, options.round);
      if (compareVersions(tag.version, needs) < 0) {
        tagsInvalid = true;
        findings.push(
          finding("R202", `${tag.tag} promises iOS ${formatVersion(tag.version)}, but the binaries need ${formatVersion(pair.needs ?? needs)}`, {
            arch: tag.arch,
            data: { tag: tag.tag, needs: formatVersion(pair.needs ?? needs), tagVersion: formatVersion(tag.version) },
          }),
        );
      } else if (pair.needs !== null && pair.needs.patch !== 0 && compareVersions(tag.version, pair.needs) < 0) {
        findings.push(roundedFinding(tag.arch, pair.needs, tag.version, tag.tag));
      }
    }

    const widest = widestIosTags(support, options.round);
    if (!tagsInvalid) {
      if (widest.length > 0 && !sameTagSet(widest, platformTags)) {
        findings.push(finding("R205", `${platformTags.join(".")} is valid; the binaries would allow ${widest.join(".")}`, { data: { widest } }));
      }
      return done(platformTags, widest);
    }
    const repair = repairIosTags(platformTags, support, options.round);
    if (repair.length === 0) {
      findings.push(finding("R210", "no installable iOS tag describes what the binaries support", { data: { archs: [...support.keys()].sort() } }));
      return done(null, widest);
    }
    for (const p of support.values()) {
      if (p.needs !== null && p.needs.patch !== 0 && options.round === "down") findings.push(roundedFinding(p.arch, p.needs, iosTagVersion(p.needs, "down"), null));
    }
    return done(repair, widest);
  },
};

function roundedFinding(arch: string, needs: MacVersion, tagged: MacVersion, tag: string | null): Finding {
  return finding("R204", `${arch} needs iOS ${formatVersion(needs)}, which no iOS tag can say; ${tag ?? "tagged"} ${formatVersion(tagged)} (use --round up for the next release)`, {
    arch,
    data: { ...(tag === null ? {} : { tag }), needs: formatVersion(needs), tagged: formatVersion(tagged) },
  });
}

/**
 * The SDK a slice is built for: platform 2 (ios) is a device, 7 (iossimulator) the simulator. Before
 * Xcode 11 simulator builds carried LC_VERSION_MIN_IPHONEOS too, on the simulator's Intel archs.
 * Null for every other platform.
 */
function sdkOf(s: SliceReport): IosSdk | null {
  if (s.platform === "iossimulator") return "iphonesimulator";
  if (s.platform !== "ios") return null;
  return s.versionCommand === "LC_VERSION_MIN_IPHONEOS" && (s.arch === "x86_64" || s.arch === "i386") ? "iphonesimulator" : "iphoneos";
}

/** System libraries an iOS app may load: /usr/lib and /System (frameworks). */
function isSystemLibrary(path: string): boolean {
  return path.startsWith("/usr/lib/") || path.startsWith("/System/");
}

/** Which binaries count, and which of their slices are usable, with the binary findings on the way. */
function collectCounted(binaries: readonly BinaryReport[], findings: Finding[]): { counted: Counted[]; blocked: boolean } {
  const counted: Counted[] = [];
  let blocked = false;
  for (const b of binaries) {
    const member = b.member ?? "";
    if (b.format === "elf" || b.format === "pe" || b.format === "wasm") {
      findings.push(finding("R106", `${member} is ${kindName(b.format)} binary in an iOS wheel`, { member }));
      blocked = true;
      continue;
    }
    if (b.error !== null) {
      findings.push(finding("R101", `${member} is not a valid Mach-O file: ${b.error}`, { member }));
      blocked = true;
      continue;
    }
    if (isStaticCode(b)) {
      findings.push(staticCodeFinding(b));
      continue;
    }
    const loaded = b.slices.filter((s) => COUNTED_FILETYPES.has(s.filetype));
    // iOS apps load dynamic code from frameworks only (pypa/cibuildwheel#2493): a dylib cannot be
    // loaded, nor can a binary that needs one from outside the system and outside a framework.
    if (loaded.some((s) => s.filetype === "dylib") || /\.dylib$/.test(member)) {
      blocked = true;
      findings.push(finding("R113", `${member} is a dynamic library: an iOS app cannot load it (link it statically)`, { member, data: { library: member } }));
    }
    const strays = [...new Set(loaded.flatMap((s) => s.loadDylibs).filter((d) => d.endsWith(".dylib") && !isSystemLibrary(d) && !d.includes(".framework/")))];
    for (const library of strays) {
      blocked = true;
      findings.push(finding("R113", `${member} loads ${library}, which an iOS app cannot load (link it statically)`, { member, data: { library } }));
    }
    const usable: IosSliceFacts[] = [];
    for (const s of loaded) {
      const sdk = sdkOf(s);
      if (s.platform === null) {
        findings.push(finding("R103", `${s.arch} slice of ${member} has no LC_BUILD_VERSION or LC_VERSION_MIN_IPHONEOS: its SDK and minimum iOS are unknown`, { member, arch: s.arch }));
      } else if (sdk === null) {
        findings.push(finding("R104", `${s.arch} slice of ${member} is built for ${s.platform}, not iOS`, { member, arch: s.arch, data: { platform: s.platform } }));
        continue;
      }
      if (s.pyinit === false) continue;
      // A slice that does not say its platform may be either SDK's; it is ignored for the version.
      if (sdk === null) usable.push({ arch: s.arch, sdk: "iphoneos", minos: null }, { arch: s.arch, sdk: "iphonesimulator", minos: null });
      else usable.push({ arch: s.arch, sdk, minos: s.minos !== null && parseVersion(s.minos) !== null ? s.minos : null });
    }
    const withoutInit = loaded.filter((s) => s.pyinit === false);
    if (withoutInit.length > 0 && withoutInit.length === loaded.length) {
      findings.push(finding("R102", `${member} exports ${b.initSymbol} in no slice: it cannot be imported anywhere`, { member, data: { symbol: b.initSymbol } }));
    } else {
      for (const s of withoutInit) {
        findings.push(finding("R110", `${s.arch} slice of ${member} does not export ${b.initSymbol}: the import fails on ${s.arch}`, { member, arch: s.arch, data: { symbol: b.initSymbol } }));
      }
    }
    counted.push({ binary: b, member, usable });
  }
  return { counted, blocked };
}

/** An iOS interpreter's suffixes: `.cpython-3XY-iphoneos.so` / `-iphonesimulator.so` (the SDK), `.abi3.so`, `.so`. */
function iosSuffixFits(s: ExtensionSuffix, tags: readonly string[]): boolean {
  if (s.kind !== "so") return false;
  if (s.platform === null) return true;
  return tags.every((t) => parseIosTag(t)?.sdk === s.platform);
}
