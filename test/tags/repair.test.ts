import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareVersions, computeSupport, evaluateTag, isInstallable, parseMacTag, promisedMinimums, repairTags, sortTags, widestTags } from "../../src/tags/index.js";
import { hostMinimum } from "../../src/tags/evaluate.js";
import { tagVersionFor } from "../../src/tags/version.js";
import type { MacVersion, Support, TagOptions } from "../../src/model/tags.js";

const v = (major: number, minor = 0, patch = 0): MacVersion => ({ major, minor, patch });
const support = (entries: Array<[string, MacVersion]>): Support => new Map(entries);
const DOWN: TagOptions = { round: "down", macosTarget: null };
const UP: TagOptions = { round: "up", macosTarget: null };
type Binary = { slices: Array<{ arch: string; minos: string | null }> };
const bin = (...slices: Array<[string, string | null]>): Binary => ({ slices: slices.map(([arch, minos]) => ({ arch, minos })) });
const arm64Ext = bin(["arm64", "11.0"]);

/**
 * The scenarios of ../shared/corpus/README.md, written by hand as (claim, usable slices per counted
 * binary): whether the claimed tag is kept, and the tag fix mode writes otherwise.
 */
const CORPUS: Array<{ n: number; claim: string; binaries: Binary[]; kept: boolean; expected: string }> = [
  { n: 1, claim: "macosx_10_9_x86_64", binaries: [bin(["x86_64", "10.9"]), bin(["x86_64", "12.0"])], kept: false, expected: "macosx_12_0_x86_64" },
  { n: 3, claim: "macosx_10_9_universal2", binaries: [bin(["x86_64", "10.9"]), bin(["x86_64", null])], kept: false, expected: "macosx_10_9_x86_64" },
  { n: 4, claim: "macosx_11_0_arm64", binaries: Array.from({ length: 28 }, () => arm64Ext), kept: true, expected: "macosx_11_0_arm64" },
  { n: 5, claim: "macosx_10_9_universal2", binaries: [bin(["x86_64", "10.9"], ["arm64", "11.0"])], kept: true, expected: "macosx_10_9_universal2" },
  { n: 6, claim: "macosx_10_9_universal2", binaries: [bin(["x86_64", "10.9"])], kept: false, expected: "macosx_10_9_x86_64" },
  { n: 10, claim: "macosx_10_9_universal2", binaries: Array.from({ length: 28 }, () => arm64Ext), kept: false, expected: "macosx_11_0_arm64" },
  { n: 11, claim: "macosx_10_9_universal2", binaries: [arm64Ext], kept: false, expected: "macosx_11_0_arm64" },
  { n: 12, claim: "macosx_11_0_arm64", binaries: [bin(["x86_64", "10.9"])], kept: false, expected: "macosx_10_9_x86_64" },
  { n: 13, claim: "macosx_10_9_x86_64", binaries: [bin(["x86_64", "10.6"], ["i386", "10.6"])], kept: true, expected: "macosx_10_9_x86_64" },
  { n: 14, claim: "macosx_10_9_x86_64", binaries: [bin(["x86_64", "11.0"])], kept: false, expected: "macosx_11_0_x86_64" },
  { n: 15, claim: "macosx_11_0_arm64", binaries: [bin(["x86_64", "10.9"], ["arm64", "11.0"])], kept: true, expected: "macosx_11_0_arm64" },
  { n: 16, claim: "macosx_10_9_universal2", binaries: [arm64Ext], kept: false, expected: "macosx_11_0_arm64" },
  { n: 17, claim: "macosx_10_9_x86_64", binaries: [bin(["x86_64", "12.1"])], kept: false, expected: "macosx_12_0_x86_64" },
];

describe("corpus scenarios (../shared/corpus/README.md)", () => {
  it.each(CORPUS)("#$n $claim → $expected", ({ claim, binaries, kept, expected }) => {
    const s = computeSupport(binaries, DOWN);
    expect(evaluateTag(claim, s).valid).toBe(kept);
    if (!kept) expect(repairTags([claim], s, DOWN).tags).toEqual([expected]);
  });

  it("#17 with --round up gives 13_0", () => {
    const s = computeSupport([bin(["x86_64", "12.1"])], UP);
    expect(repairTags(["macosx_10_9_x86_64"], s, UP).tags).toEqual(["macosx_13_0_x86_64"]);
  });

  it("#18: no usable slice at all gives no tag", () => {
    const s = computeSupport([bin()], DOWN);
    expect(repairTags(["macosx_10_9_x86_64"], s, DOWN)).toEqual({ tags: [], archs: [], rounded: [] });
  });

  it("#13 and #15: the widest tag is reported separately", () => {
    expect(widestTags(computeSupport([bin(["x86_64", "10.6"], ["i386", "10.6"])], DOWN), DOWN)).toEqual(["macosx_10_6_intel"]);
    expect(widestTags(computeSupport([bin(["x86_64", "10.9"], ["arm64", "11.0"])], DOWN), DOWN)).toEqual(["macosx_10_9_universal2"]);
  });
});

describe("repairTags (DESIGN §3.5)", () => {
  it.each<[string, string[], Support, TagOptions, string[]]>([
    ["universal2 at the x86_64 minimum when arm64 needs 11.0", ["macosx_10_9_universal2"], support([["x86_64", v(10, 13)], ["arm64", v(11)]]), DOWN, ["macosx_10_13_universal2"]],
    ["universal2 when both need the same", ["macosx_10_9_universal2"], support([["x86_64", v(12)], ["arm64", v(12)]]), DOWN, ["macosx_12_0_universal2"]],
    ["universal2 when both round to the same", ["macosx_10_9_universal2"], support([["x86_64", v(12, 1)], ["arm64", v(12, 3)]]), DOWN, ["macosx_12_0_universal2"]],
    ["the sorted pair when arm64 needs 12.0 and x86_64 10.9", ["macosx_10_9_universal2"], support([["x86_64", v(10, 9)], ["arm64", v(12)]]), DOWN, ["macosx_10_9_x86_64", "macosx_12_0_arm64"]],
    ["never widened: claim arm64, binaries fat", ["macosx_11_0_arm64"], support([["x86_64", v(10, 9)], ["arm64", v(11)]]), DOWN, ["macosx_11_0_arm64"]],
    ["never widened: claim x86_64, binaries fat", ["macosx_10_9_x86_64"], support([["x86_64", v(10, 9)], ["arm64", v(11)]]), DOWN, ["macosx_10_9_x86_64"]],
    ["wholly false claim: arm64 claimed, x86_64 only", ["macosx_11_0_arm64"], support([["x86_64", v(10, 9)]]), DOWN, ["macosx_10_9_x86_64"]],
    ["a split claim keeps its archs", ["macosx_10_9_x86_64", "macosx_11_0_arm64"], support([["x86_64", v(10, 9)], ["arm64", v(11)]]), DOWN, ["macosx_10_9_universal2"]],
    ["intel when i386 and x86_64 need the same", ["macosx_10_4_intel"], support([["i386", v(10, 6)], ["x86_64", v(10, 6)]]), DOWN, ["macosx_10_6_intel"]],
    ["intel claim with i386 gone", ["macosx_10_6_intel"], support([["x86_64", v(10, 6)]]), DOWN, ["macosx_10_6_x86_64"]],
    ["other legacy sets: one tag per arch, no invented fat", ["macosx_10_3_fat"], support([["i386", v(10, 4)], ["ppc", v(10, 3)]]), DOWN, ["macosx_10_3_ppc", "macosx_10_4_i386"]],
    ["arm64 at 12.3 rounds down", ["macosx_12_3_arm64"], support([["arm64", v(12, 3)]]), DOWN, ["macosx_12_0_arm64"]],
    ["arm64 at 12.3 rounds up", ["macosx_12_3_arm64"], support([["arm64", v(12, 3)]]), UP, ["macosx_13_0_arm64"]],
    ["15.1 rounds up to 26", ["macosx_15_0_arm64"], support([["arm64", v(15, 1)]]), UP, ["macosx_26_0_arm64"]],
    ["the malformed 110_0 claim is repaired", ["macosx_110_0_arm64"], support([["arm64", v(11)]]), DOWN, ["macosx_11_0_arm64"]],
    ["the 16_0 claim is repaired to 26_0", ["macosx_16_0_arm64"], support([["arm64", v(26)]]), DOWN, ["macosx_26_0_arm64"]],
    ["10.9.5 drops the patch level going down", ["macosx_10_9_x86_64"], support([["x86_64", v(10, 9, 5)]]), DOWN, ["macosx_10_9_x86_64"]],
    ["10.9.5 goes to 10_10 going up", ["macosx_10_9_x86_64"], support([["x86_64", v(10, 9, 5)]]), UP, ["macosx_10_10_x86_64"]],
    ["x86_64 from 11 on is X_0", ["macosx_10_9_x86_64"], support([["x86_64", v(13)]]), DOWN, ["macosx_13_0_x86_64"]],
    ["no version info (neutral 10.0) is written at the lowest installable 10_4", [], support([["x86_64", v(10)]]), DOWN, ["macosx_10_4_x86_64"]],
    ["an arch no host ever ran at that version is left out", ["macosx_10_5_fat64"], support([["ppc64", v(10, 6)], ["x86_64", v(10, 6)]]), DOWN, ["macosx_10_6_x86_64"]],
    ["archs without a tag format are left out", ["macosx_11_0_arm64"], support([["arm64e", v(11)]]), DOWN, []],
    ["empty support gives no tags", ["macosx_10_9_universal2"], support([]), DOWN, []],
  ])("%s", (_, claim, s, options, expected) => {
    expect(repairTags(claim, s, options).tags).toEqual(expected);
  });

  it("the target is a floor: 10.13 raises a 10.9 universal2", () => {
    const options: TagOptions = { round: "down", macosTarget: v(10, 13) };
    const s = computeSupport([bin(["x86_64", "10.9"], ["arm64", "11.0"])], options);
    expect(repairTags(["macosx_10_9_universal2"], s, options).tags).toEqual(["macosx_10_13_universal2"]);
  });

  it("an arm64 slice with minos 10.15 gives 11_0", () => {
    const s = computeSupport([bin(["arm64", "10.15"])], DOWN);
    expect(repairTags(["macosx_10_15_arm64"], s, DOWN).tags).toEqual(["macosx_11_0_arm64"]);
  });

  it("an x86_64 slice with minos 10.16 gives 11_0", () => {
    const s = computeSupport([bin(["x86_64", "10.16"])], DOWN);
    expect(repairTags(["macosx_10_9_x86_64"], s, DOWN).tags).toEqual(["macosx_11_0_x86_64"]);
  });

  it("reports what it rounded, and only that", () => {
    const s = support([["x86_64", v(10, 9)], ["arm64", v(12, 3)]]);
    expect(repairTags(["macosx_10_9_universal2"], s, DOWN)).toEqual({
      tags: ["macosx_10_9_x86_64", "macosx_12_0_arm64"],
      archs: ["arm64", "x86_64"],
      rounded: [{ arch: "arm64", from: v(12, 3), to: v(12) }],
    });
    expect(repairTags(["macosx_10_9_universal2"], s, UP).rounded).toEqual([{ arch: "arm64", from: v(12, 3), to: v(13) }]);
    expect(repairTags(["macosx_10_9_x86_64"], s, DOWN).rounded).toEqual([]);
  });

  it("the widest tags cover every supported arch", () => {
    expect(widestTags(support([["x86_64", v(10, 9)], ["arm64", v(11)]]), DOWN)).toEqual(["macosx_10_9_universal2"]);
    expect(widestTags(support([["i386", v(10, 5)], ["x86_64", v(10, 5)], ["arm64", v(11)]]), DOWN)).toEqual([
      "macosx_10_5_i386",
      "macosx_10_5_universal2",
    ]);
  });
});

/**
 * Issue item 3: i386 and x86_64 at different minimums. `intel` at the later one shuts out the i386
 * hosts in between, so the pair is written instead, each at its own minimum.
 * Peer: matthew-brett/delocate delocate/delocating.py _pack_architectures packs intel only when
 * `architecture_versions["i386"] == architecture_versions["x86_64"]`.
 */
describe("i386 + x86_64 (issue item 3)", () => {
  it.each<[string, string[], Support, string[]]>([
    ["the issue's case: i386 10.6, x86_64 10.9 (widest)", [], support([["i386", v(10, 6)], ["x86_64", v(10, 9)]]), ["macosx_10_6_i386", "macosx_10_9_x86_64"]],
    ["an intel claim below both", ["macosx_10_4_intel"], support([["i386", v(10, 4)], ["x86_64", v(10, 6)]]), ["macosx_10_4_i386", "macosx_10_6_x86_64"]],
    ["x86_64 below i386", [], support([["i386", v(10, 7)], ["x86_64", v(10, 5)]]), ["macosx_10_5_x86_64", "macosx_10_7_i386"]],
    ["the same after rounding (10.6.8 and 10.6)", [], support([["i386", v(10, 6, 8)], ["x86_64", v(10, 6)]]), ["macosx_10_6_intel"]],
    ["the same after raising to 10_4, the lowest either format installs at", [], support([["i386", v(10)], ["x86_64", v(10, 3)]]), ["macosx_10_4_intel"]],
    ["a fat32 claim with ppc: intel + ppc when i386 and x86_64 agree", ["macosx_10_4_fat32"], support([["i386", v(10, 5)], ["ppc", v(10, 4)], ["x86_64", v(10, 5)]]), ["macosx_10_4_ppc", "macosx_10_5_intel"]],
    ["a fat3 claim with ppc and differing minimums: three tags", ["macosx_10_4_fat3"], support([["i386", v(10, 5)], ["ppc", v(10, 4)], ["x86_64", v(10, 6)]]), ["macosx_10_4_ppc", "macosx_10_5_i386", "macosx_10_6_x86_64"]],
  ])("%s", (_, claim, s, expected) => {
    expect(repairTags(claim, s, DOWN).tags).toEqual(expected);
  });

  it("the widest hint keeps every i386 host the binaries load on", () => {
    const s = computeSupport([bin(["i386", "10.6"], ["x86_64", "10.9"])], DOWN);
    const widest = widestTags(s, DOWN);
    expect(widest).toEqual(["macosx_10_6_i386", "macosx_10_9_x86_64"]);
    // the merged tag the old repair wrote is valid but narrower: an i386 Mac on 10.6 takes only the pair
    expect(evaluateTag("macosx_10_9_intel", s).valid).toBe(true);
    expect(evaluateTag("macosx_10_6_i386", s).valid).toBe(true);
  });
});

/**
 * Issue item 2, "fix never lowers a version it was not forced to": each arch is written at the version
 * its binaries need, but not below the version the claim promised that arch.
 * Peer: pypa/wheel src/wheel/macosx_libfile.py calculate_macosx_platform_tag keeps the interpreter's
 * platform version as a floor (max of it and the binaries' minos). delocate (delocate/delocating.py
 * _calculate_minimum_wheel_name, "Use versions derived from bundled libraries instead of previous wheel
 * tag") lowers to the binaries' minimum; retag does not (DESIGN §3.5, where retag differs).
 */
describe("the claim's versions are a floor (issue item 2)", () => {
  it.each<[string, string[], Support, TagOptions, string[]]>([
    ["a conservative universal2 claim over arm64-only binaries stays at 14_0", ["macosx_14_0_universal2"], support([["arm64", v(11)]]), DOWN, ["macosx_14_0_arm64"]],
    ["a 16_0 claim repaired for a missing arch is written as 26_0, what it promised", ["macosx_16_0_universal2"], support([["arm64", v(11)]]), DOWN, ["macosx_26_0_arm64"]],
    ["a mixed claim: the too-old x86_64 tag is raised, the valid 16_0 arm64 tag keeps its promise", ["macosx_10_9_x86_64", "macosx_16_0_arm64"], support([["x86_64", v(10, 13)], ["arm64", v(11)]]), DOWN, ["macosx_10_13_x86_64", "macosx_26_0_arm64"]],
    ["the binaries above the claim win", ["macosx_14_0_universal2"], support([["arm64", v(15)]]), DOWN, ["macosx_15_0_arm64"]],
    ["a 12_3 claim (no installer takes it) over 11.0 binaries: 12_0 rounding down", ["macosx_12_3_arm64"], support([["arm64", v(11)]]), DOWN, ["macosx_12_0_arm64"]],
    ["... and 13_0 rounding up", ["macosx_12_3_arm64"], support([["arm64", v(11)]]), UP, ["macosx_13_0_arm64"]],
    ["two tags name x86_64: the lower promise is the floor", ["macosx_10_13_x86_64", "macosx_10_9_universal2"], support([["x86_64", v(10, 6)]]), DOWN, ["macosx_10_9_x86_64"]],
    ["forced: no ppc host ever took 10_7, so the binaries' 10.4 is written", ["macosx_10_7_ppc"], support([["ppc", v(10, 4)]]), DOWN, ["macosx_10_4_ppc"]],
    ["forced: arm64 below 11 reads as 11.0", ["macosx_10_15_arm64"], support([["arm64", v(11)]]), DOWN, ["macosx_11_0_arm64"]],
    ["a malformed version promises nothing", ["macosx_130_0_arm64"], support([["arm64", v(11)]]), DOWN, ["macosx_11_0_arm64"]],
    ["a wholly false claim promises nothing for the archs it gets", ["macosx_14_0_arm64"], support([["x86_64", v(10, 9)]]), DOWN, ["macosx_10_9_x86_64"]],
  ])("%s", (_, claim, s, options, expected) => {
    expect(repairTags(claim, s, options).tags).toEqual(expected);
  });

  it("a version kept from the claim is not reported as rounded (the binaries' minimum was not rounded)", () => {
    expect(repairTags(["macosx_12_3_arm64"], support([["arm64", v(11)]]), DOWN).rounded).toEqual([]);
    expect(repairTags(["macosx_12_0_arm64"], support([["arm64", v(12, 3)]]), DOWN).rounded).toEqual([{ arch: "arm64", from: v(12, 3), to: v(12) }]);
  });
});

describe("sortTags", () => {
  it("sorts as plain strings, as parse_wheel_filename(validate_order=True) expects", () => {
    expect(sortTags(["macosx_12_0_arm64", "macosx_10_9_x86_64", "macosx_10_13_x86_64"])).toEqual([
      "macosx_10_13_x86_64",
      "macosx_10_9_x86_64",
      "macosx_12_0_arm64",
    ]);
  });
});

describe("properties of every repair", () => {
  const ARCHS = ["arm64", "x86_64", "i386", "ppc", "ppc64"];
  const FORMATS = ["arm64", "x86_64", "i386", "ppc", "ppc64", "universal2", "intel", "fat", "fat3", "fat32", "fat64", "universal"];
  const minimum = fc.oneof(
    fc.record({ major: fc.constant(10), minor: fc.integer({ min: 0, max: 16 }), patch: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ major: fc.integer({ min: 11, max: 30 }), minor: fc.integer({ min: 0, max: 6 }), patch: fc.integer({ min: 0, max: 2 }) }),
  );
  const binaries = fc.array(
    fc.array(
      fc.record({
        arch: fc.constantFrom(...ARCHS),
        minos: fc.option(minimum.map((m) => `${m.major}.${m.minor}${m.patch ? `.${m.patch}` : ""}`)),
      }),
      { maxLength: 4 },
    ).map((slices) => ({ slices })),
    { minLength: 1, maxLength: 3 },
  );
  const claim = fc.array(
    fc.tuple(minimum, fc.constantFrom(...FORMATS)).map(([m, f]) => `macosx_${m.major}_${m.minor}_${f}`),
    { minLength: 1, maxLength: 2 },
  );
  const options = fc.record({ round: fc.constantFrom("down" as const, "up" as const), macosTarget: fc.option(minimum) });

  it("writes only installable tags, valid for the support, sorted, never wider than a claim it overlaps", () => {
    fc.assert(
      fc.property(binaries, claim, options, (bins, tags, opts) => {
        const s = computeSupport(bins, opts);
        const repair = repairTags(tags, s, opts);
        expect(repair.tags).toEqual(sortTags(repair.tags));
        for (const tag of repair.tags) {
          expect(parseMacTag(tag)?.form).toBe("ok");
          expect(evaluateTag(tag, s, opts).valid).toBe(true);
        }
        const claimed = new Set(tags.flatMap((t) => parseMacTag(t)?.archs ?? []));
        if ([...s.keys()].some((a) => claimed.has(a))) {
          for (const arch of repair.archs) expect(claimed.has(arch)).toBe(true);
        }
        // Never below what the claim promised an arch it keeps, unless that version has no tag for the arch.
        const promised = promisedMinimums(tags);
        for (const tag of repair.tags) {
          const p = parseMacTag(tag);
          for (const a of p?.archs ?? []) {
            const floor = promised.get(a);
            if (p === null || floor === undefined) continue;
            const kept = tagVersionFor(floor, opts.round);
            if (isInstallable(kept, a)) expect(compareVersions(hostMinimum(a, p.version), kept)).toBeGreaterThanOrEqual(0);
          }
        }
        // Repairing the repair changes nothing: fix mode is idempotent.
        if (repair.tags.length > 0) expect(repairTags(repair.tags, s, opts).tags).toEqual(repair.tags);
      }),
      { numRuns: 500 },
    );
  });
});
