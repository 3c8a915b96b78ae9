// macOS wheels (DESIGN §3): which Mach-O binaries count, which of their slices are usable, what the
// binaries support, whether each platform tag's promise holds, and the repair when it does not.
import type { BinaryReport, SliceReport } from "../model/binary.js";
import { finding, type Finding } from "../model/findings.js";
import type { CheckOptions } from "../model/results.js";
import type { MacVersion, TagOptions } from "../model/tags.js";
import {
  compareVersions,
  computeSupport,
  evaluateTag,
  formatVersion,
  parseMacTag,
  parseVersion,
  repairTags,
  samePromise,
  widestTags,
} from "../tags/index.js";
import { COUNTED_FILETYPES, isStaticCode, kindName, staticCodeFinding, suffixPlatformFindings } from "./common.js";
import type { PlatformRules, PlatformVerdict } from "./rules.js";

/** Variants that do not stand in for the plain arch (§3.3): arm64 CPython does not load arm64e-only code. */
const ARCH_VARIANTS: { [variant: string]: string } = { arm64e: "arm64", x86_64h: "x86_64" };

interface Counted {
  binary: BinaryReport;
  member: string;
  usable: SliceReport[];
}

export const macosRules: PlatformRules = {
  family: "macos",
  applies: (tags) => tags.length > 0 && tags.every((t) => t.startsWith("macosx_")),
  check({ name, facts, options }): PlatformVerdict {
    const findings: Finding[] = [];
    const platformTags = name.platformTags;
    const verdict: PlatformVerdict = { findings, expected: null, widest: [] };
    const target = options.macosTarget === null ? null : parseVersion(options.macosTarget);
    const tagOptions: TagOptions = { round: options.round, macosTarget: target };
    const counted = collectCounted(facts.binaries, findings, "macOS");
    checkTargetAndRequiredArchs(counted, options, tagOptions, findings);
    // A macOS interpreter's suffixes: `.cpython-3XY-darwin.so`, `.abi3.so`, `.so` (a repair never
    // changes the platform, so the wheel's own tags decide).
    findings.push(...suffixPlatformFindings(name, facts.binaries, null, (s) => s.kind === "so" && (s.platform === null || s.platform === "darwin"), "macOS"));

    if (counted.length === 0) {
      findings.push(finding("R206", `the wheel is tagged ${platformTags.join(".")} but has no Mach-O binary loaded at run time`));
      verdict.expected = platformTags;
      return verdict;
    }
    if (counted.some((c) => c.binary.error !== null)) return verdict; // a corrupt binary: no tag can be computed (R101 says why)

    const usableSlices = counted.map((c) => ({ slices: c.usable.map((s) => ({ arch: s.arch, minos: s.minos })) }));
    const support = computeSupport(usableSlices, tagOptions);
    /** What the binaries alone need, to tell a tag below the binaries from a tag below the target. */
    const binariesNeed = target === null ? support : computeSupport(usableSlices, { ...tagOptions, macosTarget: null });
    if (support.size === 0) {
      if (!findings.some((f) => f.code === "R102")) {
        findings.push(finding("R208", "no architecture has a usable macOS slice in every binary", { data: archsByBinary(counted) }));
      }
      return verdict;
    }

    let tagsInvalid = false;
    for (const tag of platformTags) {
      const parsed = parseMacTag(tag);
      if (parsed === null || parsed.form !== "ok") {
        tagsInvalid = true;
        findings.push(finding("R203", `${tag}: ${parsed?.reason ?? "not a macOS platform tag"}`, { data: { tag } }));
        continue;
      }
      const evaluation = evaluateTag(tag, support, tagOptions);
      if (evaluation.valid) {
        for (const r of evaluation.inexact) {
          findings.push(
            finding("R204", `${r.arch} needs macOS ${formatVersion(r.needs)}, which ${tag} cannot say exactly (use --round up to tag the next major)`, {
              arch: r.arch,
              data: { tag, needs: formatVersion(r.needs), tagged: formatVersion(r.tagVersion) },
            }),
          );
        }
        continue;
      }
      tagsInvalid = true;
      for (const arch of evaluation.missingArchs) {
        const lacking = counted.filter((c) => !c.usable.some((s) => s.arch === arch)).map((c) => c.member);
        findings.push(
          finding("R201", `${tag} promises ${arch}, but ${describeMembers(lacking)} ${lacking.length === 1 ? "has" : "have"} no usable ${arch} slice`, {
            arch,
            member: lacking[0] ?? "",
            data: { tag, members: lacking },
          }),
        );
      }
      for (const old of evaluation.tooOld) {
        const own = binariesNeed.get(old.arch);
        const byTarget = own !== undefined && compareVersions(own, old.needs) < 0;
        // The binary that sets the version, named as delocate names the library that needs more.
        const member = neediest(counted, old.arch, tagOptions);
        const why = byTarget
          ? `the deployment target is ${options.macosTarget}${targetOrigin(options)} (the binaries alone need ${formatVersion(own)})`
          : `${member ?? "the binaries"} ${member === null ? "need" : "needs"} ${formatVersion(old.needs)}`;
        findings.push(
          finding("R202", `${tag} promises macOS ${formatVersion(old.tagVersion)} on ${old.arch}, but ${why}`, {
            arch: old.arch,
            ...(member === null ? {} : { member }),
            data: { tag, needs: formatVersion(old.needs), tagVersion: formatVersion(old.tagVersion), ...(byTarget ? { target: options.macosTarget } : {}) },
          }),
        );
      }
    }

    const repair = repairTags(platformTags, support, tagOptions);
    // The widest tags promise each arch at the version its binaries need; when some arch's slices
    // carry no version at all, nothing says how wide it could be, so none is offered (no R205).
    const unversioned = [...support.keys()].some((arch) => !counted.some((c) => c.usable.some((s) => s.arch === arch && s.minos !== null)));
    verdict.widest = unversioned ? [] : widestTags(support, tagOptions);
    if (tagsInvalid && repair.tags.length === 0) {
      // The binaries support only archs no installable tag can name (arm64_32, ppc needing 10.9): there
      // is nothing true to write, so the wheel is not rewritten (found by the fuzz harness).
      findings.push(
        finding("R210", `no installable macOS tag describes what the binaries support (${[...support.keys()].sort().join(", ")})`, {
          data: { archs: [...support.keys()].sort() },
        }),
      );
      return verdict;
    }
    verdict.expected = tagsInvalid ? repair.tags : platformTags;
    if (tagsInvalid) {
      for (const r of repair.rounded) {
        findings.push(
          finding("R204", `${r.arch} needs macOS ${formatVersion(r.from)}, which no tag can say; tagged ${formatVersion(r.to)} (${options.round === "up" ? "--round up" : "use --round up for the next major"})`, {
            arch: r.arch,
            data: { needs: formatVersion(r.from), tagged: formatVersion(r.to) },
          }),
        );
      }
    } else if (verdict.widest.length > 0 && !samePromise(verdict.widest, platformTags)) {
      // Compared by what the tags promise each arch, not by spelling: `fat3` and `intel` + `ppc`
      // promise the same hosts, and a valid tag that promises all the binaries allow is not narrower.
      findings.push(
        finding("R205", `${platformTags.join(".")} is valid; the binaries would allow ${verdict.widest.join(".")}`, {
          data: { widest: verdict.widest },
        }),
      );
    }
    return verdict;
  },
};

/** Which binaries count, and which of their slices are usable (§3.1–§3.3), with the binary findings. */
function collectCounted(binaries: BinaryReport[], findings: Finding[], platform: string): Counted[] {
  const counted: Counted[] = [];
  for (const b of binaries) {
    const member = b.member ?? "";
    if (b.format === "elf" || b.format === "pe" || b.format === "wasm") {
      findings.push(finding("R106", `${member} is ${kindName(b.format)} binary in a ${platform} wheel`, { member }));
      continue;
    }
    if (b.error !== null) {
      findings.push(finding("R101", `${member} is not a valid Mach-O file: ${b.error}`, { member }));
      counted.push({ binary: b, member, usable: [] });
      continue;
    }
    if (isStaticCode(b)) {
      findings.push(staticCodeFinding(b));
      continue;
    }
    const loaded = b.slices.filter((s) => COUNTED_FILETYPES.has(s.filetype));
    const usable: SliceReport[] = [];
    for (const s of loaded) {
      if (s.platform !== null && s.platform !== "macos") {
        findings.push(finding("R104", `${s.arch} slice of ${member} is built for ${s.platform}, not macOS`, { member, arch: s.arch, data: { platform: s.platform } }));
        continue;
      }
      if (s.platform === null) {
        findings.push(finding("R103", `${s.arch} slice of ${member} has no LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX; its minimum macOS is unknown`, { member, arch: s.arch }));
      }
      if (s.pyinit === false) continue;
      usable.push(s);
    }
    const withoutInit = loaded.filter((s) => s.pyinit === false);
    if (withoutInit.length > 0 && withoutInit.length === loaded.length) {
      findings.push(
        finding("R102", `${member} exports ${b.initSymbol} in no slice (${withoutInit.map((s) => s.arch).join(", ")}): it cannot be imported anywhere`, {
          member,
          data: { symbol: b.initSymbol },
        }),
      );
    } else {
      for (const s of withoutInit) {
        findings.push(
          finding("R110", `${s.arch} slice of ${member} does not export ${b.initSymbol}: the ${s.arch} build linked no module code, so the import fails on ${s.arch}`, {
            member,
            arch: s.arch,
            data: { symbol: b.initSymbol },
          }),
        );
      }
    }
    for (const [variant, plain] of Object.entries(ARCH_VARIANTS)) {
      if (usable.some((s) => s.arch === variant) && !usable.some((s) => s.arch === plain)) {
        findings.push(finding("R105", `${member} has an ${variant} slice but no ${plain} slice; ${plain} Python cannot load ${variant} code`, { member, arch: variant }));
      }
    }
    counted.push({ binary: b, member, usable: usable.filter((s) => !(s.arch in ARCH_VARIANTS)) });
  }
  return counted;
}

function checkTargetAndRequiredArchs(counted: Counted[], options: CheckOptions, tagOptions: TagOptions, findings: Finding[]): void {
  const withoutTarget: TagOptions = { ...tagOptions, macosTarget: null };
  for (const c of counted) {
    if (tagOptions.macosTarget !== null) {
      for (const s of c.usable) {
        // Compare as the tag model does (§3.3): arm64 is never below 11.0 and 10.16 is 11.0, so the
        // arm64 slice (11.0) of a universal2 build with MACOSX_DEPLOYMENT_TARGET=10.9 is within target.
        const needs = computeSupport([{ slices: [{ arch: s.arch, minos: s.minos }] }], withoutTarget).get(s.arch);
        const allowed = computeSupport([{ slices: [{ arch: s.arch, minos: null }] }], tagOptions).get(s.arch);
        if (needs !== undefined && allowed !== undefined && compareVersions(needs, allowed) > 0) {
          findings.push(
            finding("R108", `${s.arch} slice of ${c.member} needs macOS ${s.minos}, above the deployment target ${options.macosTarget}${targetOrigin(options)}`, {
              member: c.member,
              arch: s.arch,
              data: { minos: s.minos, target: options.macosTarget },
            }),
          );
        }
      }
    }
    for (const arch of options.requireArchs) {
      if (!c.usable.some((s) => s.arch === arch)) {
        findings.push(finding("R109", `${c.member} has no usable ${arch} slice (required by ${options.origins?.requireArchs ?? "--require-archs"})`, { member: c.member, arch }));
      }
    }
  }
}

/** Where the deployment target came from, as a parenthesis for a message ("" when not known). */
function targetOrigin(options: CheckOptions): string {
  return options.origins?.macosTarget === undefined ? "" : ` (${options.origins.macosTarget})`;
}

/** The counted binary whose usable `arch` slices need the newest macOS (the first of equals), or null. */
function neediest(counted: Counted[], arch: string, tagOptions: TagOptions): string | null {
  const alone: TagOptions = { ...tagOptions, macosTarget: null };
  let best: { member: string; needs: MacVersion } | null = null;
  for (const c of counted) {
    const needs = computeSupport([{ slices: c.usable.filter((s) => s.arch === arch).map((s) => ({ arch, minos: s.minos })) }], alone).get(arch);
    if (needs !== undefined && (best === null || compareVersions(needs, best.needs) > 0)) best = { member: c.member, needs };
  }
  return best?.member ?? null;
}

function archsByBinary(counted: Counted[]): { [member: string]: string[] } {
  return Object.fromEntries(counted.map((c) => [c.member, [...new Set(c.usable.map((s) => s.arch))]]));
}

function describeMembers(members: string[]): string {
  if (members.length <= 2) return members.join(" and ");
  return `${members[0]} and ${members.length - 1} other binaries`;
}
