// The rules: a wheel's parts → findings, the tags fix mode would write, and whether it must rewrite
// (DESIGN §3, §3.6, §5). Pure: bytes (or a byte source) and options in, data out.
import { isPython2Only } from "./analyze.js";
import { WheelError } from "./model/errors.js";
import { finding, isIgnored } from "./model/findings.js";
import {
  compareVersions,
  computeSupport,
  formatVersion,
  evaluateTag,
  parseMacTag,
  parseVersion,
  repairTags,
  sortTags,
  widestTags,
  type TagOptions,
} from "./tags/index.js";
import type { BinaryReport, SliceReport } from "./model/binary.js";
import type { ByteSource } from "./model/zip.js";
import type { CheckOptions, CheckResult } from "./model/results.js";
import type { Finding } from "./model/findings.js";
import type { WheelName } from "./model/wheel.js";
import { tagArch } from "./native/foreign.js";
import { formatWheelName, parseWheelName, wheelTags } from "./wheel/name.js";
import { readWheel, type WheelContents } from "./wheel/read.js";
import { memorySource } from "./wheel/zip.js";

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  ignore: [],
  strict: false,
  macosTarget: null,
  requireArchs: [],
  round: "down",
  rehash: false,
};

/** Members larger than this are not inflated (a zip bomb must not exhaust memory). */
export const MAX_MEMBER_SIZE = 2 ** 31;
/**
 * What one wheel may inflate in all, by declared sizes: 100 times its own size (real wheels inflate
 * 2–5:1 overall), at least 512 MiB, at most 4 GiB. A small wheel declaring gigabytes of zeros is a
 * bomb: without the ratio, a 4 MiB wheel could cost seconds of inflating (found by the fuzz harness).
 */
export function maxTotalSize(wheelBytes: number): number {
  return Math.min(4 * 2 ** 30, Math.max(512 * 2 ** 20, 100 * wheelBytes));
}

/** Files loaded at run time count toward support (DESIGN §3.1); objects and archives do not. */
const COUNTED_FILETYPES = new Set(["bundle", "dylib", "execute"]);
/** Variants that do not stand in for the plain arch (§3.3): arm64 CPython does not load arm64e-only code. */
const ARCH_VARIANTS: { [variant: string]: string } = { arm64e: "arm64", x86_64h: "x86_64" };

/** A checked wheel plus the parts fix mode needs to rewrite it without reading it again. */
export interface Inspection {
  result: CheckResult;
  contents: WheelContents | null;
}

/** Check the wheel `source` reads; `wheel` is its path or file name (the name carries the tags). */
export function inspectWheel(wheel: string, source: ByteSource, partial: Partial<CheckOptions> = {}): Inspection {
  const options = { ...DEFAULT_CHECK_OPTIONS, ...partial };
  const findings: Finding[] = [];
  const filename = wheel.slice(Math.max(wheel.lastIndexOf("/"), wheel.lastIndexOf("\\")) + 1);
  const parsed = parseWheelName(filename);
  const name = "error" in parsed ? null : parsed.name;
  if ("error" in parsed) findings.push(finding("R010", `${filename}: ${parsed.error}`, { data: { filename } }));
  else {
    for (const problem of parsed.problems) findings.push(finding("R010", `${filename}: ${problem}`, { data: { filename } }));
    for (const problem of parsed.unsorted) findings.push(finding("R015", `${filename}: ${problem}`, { data: { filename } }));
  }

  const result: CheckResult = {
    wheel,
    ok: false,
    name,
    tags: { current: name?.platformTags ?? [], expected: null, widest: [] },
    needsRewrite: false,
    expectedFilename: null,
    findings,
    binaries: [],
  };

  let contents: WheelContents;
  try {
    contents = readWheel(source, {
      python2Only: name !== null && isPython2Only(name.pythonTags),
      maxMemberSize: MAX_MEMBER_SIZE,
      maxTotalSize: maxTotalSize(source.size),
    });
  } catch (error) {
    if (!(error instanceof WheelError)) throw error;
    findings.push(finding("R001", error.message));
    return { result: finish(result, options), contents: null };
  }
  findings.push(...contents.findings);
  result.binaries = contents.binaries;

  if (name !== null) {
    if (contents.metadata !== null) checkWheelTagLines(name, contents.metadata.tags, findings);
    checkPlatform(name, contents.binaries, options, result);
    checkExtensionSuffixes(name, contents.binaries, findings);
    // §3.6: WHEEL Tag lines that disagree with the name are rewritten even when the tags themselves are
    // right (also in `any` and non-macOS wheels; R011's fix text promises it).
    if (!result.needsRewrite && result.tags.expected !== null && findings.some((f) => f.code === "R011")) {
      result.needsRewrite = true;
      result.expectedFilename = formatWheelName(name, result.tags.expected);
    }
  }
  return { result: finish(result, options), contents };
}

/** Check one wheel. `wheel` is its path or file name (the name carries the tags). */
export function checkWheelBytes(wheel: string, bytes: Uint8Array, options: Partial<CheckOptions> = {}): CheckResult {
  return inspectWheel(wheel, memorySource(bytes), options).result;
}

function finish(result: CheckResult, options: CheckOptions): CheckResult {
  result.findings = result.findings.filter((f) => !isIgnored(f.code, options.ignore));
  result.ok = !result.findings.some((f) => f.severity === "error" || (options.strict && f.severity === "warning"));
  return result;
}

/** PEP 427: the `Tag:` lines of WHEEL are the expanded product of the file name's compressed tags. */
function checkWheelTagLines(name: WheelName, tagLines: string[], findings: Finding[]): void {
  const expected = wheelTags(name);
  const actual = [...new Set(tagLines)].sort();
  if (expected.length !== actual.length || expected.some((t, i) => t !== actual[i])) {
    findings.push(
      finding("R011", `WHEEL says ${actual.join(", ") || "no Tag lines"}; the file name says ${expected.join(", ")}`, {
        data: { wheel: actual, filename: expected },
      }),
    );
  }
}

interface Counted {
  binary: BinaryReport;
  member: string;
  usable: SliceReport[];
}

function checkPlatform(name: WheelName, binaries: BinaryReport[], options: CheckOptions, result: CheckResult): void {
  const findings = result.findings;
  const platformTags = name.platformTags;
  const isPure = platformTags.length === 1 && platformTags[0] === "any";
  const isMac = platformTags.length > 0 && platformTags.every((t) => t.startsWith("macosx_"));
  const native = binaries.filter((b) => b.kind !== "none");

  if (isPure) {
    result.tags.expected = platformTags;
    for (const b of native) {
      // §3.1: objects and static archives are never loaded, so they do not make a pure wheel platform-specific.
      if (isStaticCode(b)) findings.push(staticCodeFinding(b));
      // ELF / PE files that Python does not import (setuptools' and distlib's Windows launchers
      // `cli-64.exe`, `t64.exe` ship in every pure setuptools / pip wheel) are data to the installer;
      // a Mach-O loaded at run time, or any extension module, makes the wheel platform-specific.
      else if (b.kind === "macho" || b.kind === "fat" || b.module !== null) {
        findings.push(finding("R207", `${b.member} is native code in a wheel tagged 'any'`, { member: b.member ?? "" }));
      }
    }
    return;
  }
  if (!isMac) {
    result.tags.expected = platformTags;
    findings.push(finding("R209", `platform tag ${platformTags.join(".")} is not macOS; only the generic checks ran`));
    checkForeignArchs(platformTags, native, findings);
    return;
  }

  const target = options.macosTarget === null ? null : parseVersion(options.macosTarget);
  const tagOptions: TagOptions = { round: options.round, macosTarget: target };
  const counted = collectCounted(binaries, findings);
  checkTargetAndRequiredArchs(counted, options, tagOptions, findings);

  if (counted.length === 0) {
    findings.push(finding("R206", `the wheel is tagged ${platformTags.join(".")} but has no Mach-O binary loaded at run time`));
    result.tags.expected = platformTags;
    return;
  }
  if (counted.some((c) => c.binary.error !== null)) return; // a corrupt binary: no tag can be computed (R101 says why)

  const usableSlices = counted.map((c) => ({ slices: c.usable.map((s) => ({ arch: s.arch, minos: s.minos })) }));
  const support = computeSupport(usableSlices, tagOptions);
  /** What the binaries alone need, to tell a tag below the binaries from a tag below the target. */
  const binariesNeed = target === null ? support : computeSupport(usableSlices, { ...tagOptions, macosTarget: null });
  if (support.size === 0) {
    if (!findings.some((f) => f.code === "R102")) {
      findings.push(finding("R208", "no architecture has a usable macOS slice in every binary", { data: archsByBinary(counted) }));
    }
    return;
  }

  let tagsInvalid = false;
  for (const tag of platformTags) {
    const parsed = parseMacTag(tag);
    if (parsed === null || parsed.form !== "ok") {
      tagsInvalid = true;
      findings.push(finding("R203", `${tag}: ${parsed?.reason ?? "not a macOS platform tag"}`, { data: { tag } }));
      continue;
    }
    const verdict = evaluateTag(tag, support, tagOptions);
    if (verdict.valid) {
      for (const r of verdict.inexact) {
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
    for (const arch of verdict.missingArchs) {
      const lacking = counted.filter((c) => !c.usable.some((s) => s.arch === arch)).map((c) => c.member);
      findings.push(
        finding("R201", `${tag} promises ${arch}, but ${describeMembers(lacking)} ${lacking.length === 1 ? "has" : "have"} no usable ${arch} slice`, {
          arch,
          member: lacking[0] ?? "",
          data: { tag, members: lacking },
        }),
      );
    }
    for (const old of verdict.tooOld) {
      const own = binariesNeed.get(old.arch);
      const byTarget = own !== undefined && compareVersions(own, old.needs) < 0;
      const why = byTarget
        ? `the deployment target is ${options.macosTarget} (the binaries alone need ${formatVersion(own)})`
        : `the binaries need ${formatVersion(old.needs)}`;
      findings.push(
        finding("R202", `${tag} promises macOS ${formatVersion(old.tagVersion)} on ${old.arch}, but ${why}`, {
          arch: old.arch,
          data: { tag, needs: formatVersion(old.needs), tagVersion: formatVersion(old.tagVersion), ...(byTarget ? { target: options.macosTarget } : {}) },
        }),
      );
    }
  }

  const repair = repairTags(platformTags, support, tagOptions);
  result.tags.widest = widestTags(support, tagOptions);
  if (tagsInvalid && repair.tags.length === 0) {
    // The binaries support only archs no installable tag can name (arm64_32, ppc needing 10.9): there
    // is nothing true to write, so the wheel is not rewritten (found by the fuzz harness).
    findings.push(
      finding("R210", `no installable macOS tag describes what the binaries support (${[...support.keys()].sort().join(", ")})`, {
        data: { archs: [...support.keys()].sort() },
      }),
    );
    return;
  }
  result.tags.expected = tagsInvalid ? repair.tags : platformTags;
  if (tagsInvalid) {
    for (const r of repair.rounded) {
      findings.push(
        finding("R204", `${r.arch} needs macOS ${formatVersion(r.from)}, which no tag can say; tagged ${formatVersion(r.to)} (${options.round === "up" ? "--round up" : "use --round up for the next major"})`, {
          arch: r.arch,
          data: { needs: formatVersion(r.from), tagged: formatVersion(r.to) },
        }),
      );
    }
  } else if (sortTags(result.tags.widest).join(".") !== sortTags(platformTags).join(".")) {
    findings.push(
      finding("R205", `${platformTags.join(".")} is valid; the binaries would allow ${result.tags.widest.join(".")}`, {
        data: { widest: result.tags.widest },
      }),
    );
  }
  result.needsRewrite = tagsInvalid;
  if (tagsInvalid && result.tags.expected.length > 0) result.expectedFilename = formatWheelName(name, result.tags.expected);
}

/**
 * DESIGN §3.7: in a Linux or Windows wheel, every ELF / PE binary must be of an arch the platform
 * tags name (no policy: manylinux symbol versions are auditwheel's job), and a Mach-O has no place.
 */
function checkForeignArchs(platformTags: string[], binaries: BinaryReport[], findings: Finding[]): void {
  const named = platformTags.map(tagArch).filter((t) => t !== null);
  if (named.length === 0) return;
  const system = named[0]!.system;
  const archs = new Set(named.map((t) => t.arch));
  for (const b of binaries) {
    const member = b.member ?? "";
    const expectedKind = system === "linux" ? "elf" : "pe";
    if (b.kind !== expectedKind) {
      if (b.kind === "macho" || b.kind === "fat" || b.kind === "elf" || b.kind === "pe") {
        findings.push(finding("R106", `${member} is ${kindName(b.kind)} binary in a ${system === "linux" ? "Linux" : "Windows"} wheel`, { member }));
      }
      continue;
    }
    const arch = b.foreignArch ?? null;
    if (arch !== null && !archs.has(arch)) {
      findings.push(
        finding("R211", `${member} is ${arch}, but the wheel is tagged ${platformTags.join(".")}`, { member, arch, data: { tags: platformTags } }),
      );
    }
  }
}

function kindName(kind: BinaryReport["kind"]): string {
  return kind === "elf" ? "an ELF (Linux)" : kind === "pe" ? "a PE (Windows)" : "a Mach-O (macOS)";
}

/** A readable Mach-O file none of whose slices is loaded at run time: an object file or a static archive (§3.1). */
function isStaticCode(b: BinaryReport): boolean {
  return b.kind !== "elf" && b.kind !== "pe" && b.error === null && !b.slices.some((s) => COUNTED_FILETYPES.has(s.filetype));
}

function staticCodeFinding(b: BinaryReport): Finding {
  const member = b.member ?? "";
  const what = b.container === "archive" || b.slices.some((s) => s.filetype === "archive") ? "a static archive" : `an ${b.slices[0]?.filetype ?? "object"} file`;
  return finding("R107", `${member} is ${what}; it is not loaded at run time and does not count`, { member });
}

/** Which binaries count, and which of their slices are usable (§3.1–§3.3), with the binary findings. */
function collectCounted(binaries: BinaryReport[], findings: Finding[]): Counted[] {
  const counted: Counted[] = [];
  for (const b of binaries) {
    const member = b.member ?? "";
    if (b.kind === "elf" || b.kind === "pe") {
      findings.push(finding("R106", `${member} is ${b.kind === "elf" ? "an ELF (Linux)" : "a PE (Windows)"} binary in a macOS wheel`, { member }));
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
            finding("R108", `${s.arch} slice of ${c.member} needs macOS ${s.minos}, above the deployment target ${options.macosTarget}`, {
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
        findings.push(finding("R109", `${c.member} has no usable ${arch} slice (required by --require-archs)`, { member: c.member, arch }));
      }
    }
  }
}

/**
 * Extension suffixes vs python / abi tags (PEP 3149, PEP 384, PEP 703): `_x.cpython-313-darwin.so`
 * loads only on CPython 3.13 with the default ABI, so its wheel must be tagged `cp313`; `t` marks the
 * free-threaded ABI (`cp313t`); `.abi3.so` belongs in an `abi3` wheel.
 */
function checkExtensionSuffixes(name: WheelName, binaries: BinaryReport[], findings: Finding[]): void {
  for (const b of binaries) {
    if (b.module === null || b.member === null) continue;
    const base = b.member.slice(b.member.lastIndexOf("/") + 1);
    const cpython = /\.cpython-(\d)(\d+)([a-z]*)-darwin\.so$/.exec(base) ?? /\.cpython-(\d)(\d+)([a-z]*)-[a-z0-9_-]+\.so$/.exec(base);
    if (cpython !== null) {
      const abi = `cp${cpython[1]}${cpython[2]}${cpython[3]}`;
      const py = `cp${cpython[1]}${cpython[2]}`;
      if (!name.abiTags.includes(abi) || !name.pythonTags.includes(py)) {
        findings.push(
          finding("R301", `${b.member} is built for ${abi}, but the wheel is tagged ${name.pythonTags.join(".")}-${name.abiTags.join(".")}`, {
            member: b.member,
            data: { suffixAbi: abi, pythonTags: name.pythonTags, abiTags: name.abiTags },
          }),
        );
      }
    } else if (base.endsWith(".abi3.so") && !name.abiTags.includes("abi3")) {
      findings.push(
        finding("R302", `${b.member} uses the stable ABI, but the wheel is tagged ${name.abiTags.join(".")}`, {
          member: b.member,
          data: { abiTags: name.abiTags },
        }),
      );
    }
  }
}

function archsByBinary(counted: Counted[]): { [member: string]: string[] } {
  return Object.fromEntries(counted.map((c) => [c.member, [...new Set(c.usable.map((s) => s.arch))]]));
}

function describeMembers(members: string[]): string {
  if (members.length <= 2) return members.join(" and ");
  return `${members[0]} and ${members.length - 1} other binaries`;
}

/**
 * Public API: check one wheel's bytes. `filename` is the wheel's file name (its tags are the claim).
 * Never prints, never reads the environment (pass `macosTarget` yourself).
 */
export function checkWheel(bytes: Uint8Array, options: Partial<CheckOptions> & { filename: string }): CheckResult {
  const { filename, ...rest } = options;
  return checkWheelBytes(filename, bytes, rest);
}
