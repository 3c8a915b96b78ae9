import { describe, expect, it } from "vitest";
import { formatIosTag, iosSupport, iosTagVersion, parseIosTag, repairIosTags, widestIosTags } from "../../src/tags/index.js";

/**
 * The arch/SDK pairs installers build iOS tags from (issue item 4). Every row cites where its verdict
 * comes from:
 */
const PEP_730 = "python/peps peps/pep-0730.rst, Packaging: the three tags ios_12_0_{arm64_iphoneos,arm64_iphonesimulator,x86_64_iphonesimulator}";
const PACKAGING = "pypa/packaging src/packaging/tags.py ios_platforms: ios_{major}_{minor}_{multiarch}, multiarch = sys.implementation._multiarch";
const UV = "astral-sh/uv crates/uv-platform-tags/src/tags.rs IosMultiarch::from_str / from_arch (arm64 device; arm64, x86_64 simulator)";

describe("iOS tags (PEP 730)", () => {
  it.each([
    { tag: "ios_13_0_arm64_iphoneos", version: { major: 13, minor: 0 }, arch: "arm64", sdk: "iphoneos", peer: PEP_730 },
    { tag: "ios_12_2_arm64_iphonesimulator", version: { major: 12, minor: 2 }, arch: "arm64", sdk: "iphonesimulator", peer: PEP_730 },
    { tag: "ios_13_0_x86_64_iphonesimulator", version: { major: 13, minor: 0 }, arch: "x86_64", sdk: "iphonesimulator", peer: PEP_730 },
    { tag: "ios_17_4_arm64_iphoneos", version: { major: 17, minor: 4 }, arch: "arm64", sdk: "iphoneos", peer: PACKAGING }, // the minor is kept
  ])("$tag ($peer)", ({ tag, version, arch, sdk }) => {
    const parsed = parseIosTag(tag);
    expect(parsed).toEqual({ tag, version: { ...version, patch: 0 }, arch, sdk });
    expect(parsed && formatIosTag(parsed)).toBe(tag);
  });

  it.each([
    // not the shape at all
    { tag: "ios_13_0_arm64", peer: PEP_730 },
    { tag: "ios_13_arm64_iphoneos", peer: PEP_730 },
    { tag: "ios_13_0_arm64_iphoneos_extra", peer: PEP_730 },
    { tag: "macosx_11_0_arm64", peer: PEP_730 },
    // the shape, but an arch/SDK pair no interpreter's _multiarch has
    { tag: "ios_13_0_invalid_iphoneos", peer: UV },
    { tag: "ios_13_0_x86_64_iphoneos", peer: UV }, // there is no x86_64 iOS device
    { tag: "ios_13_0_arm64e_iphoneos", peer: UV },
    { tag: "ios_13_0_arm64_32_iphoneos", peer: UV }, // watchOS's arch
    { tag: "ios_13_0_i386_iphonesimulator", peer: UV },
    { tag: "ios_13_0_armv7_iphoneos", peer: UV },
    { tag: "ios_13_0_iphoneos_arm64", peer: PACKAGING }, // the PEP's draft order, never what _multiarch gives
  ])("rejects $tag ($peer)", ({ tag }) => {
    expect(parseIosTag(tag)).toBeNull();
  });
});

describe("iOS support and repair (DESIGN §3.7)", () => {
  const dev = (minos: string | null) => ({ arch: "arm64", sdk: "iphoneos" as const, minos });
  const sim = (arch: string, minos: string | null) => ({ arch, sdk: "iphonesimulator" as const, minos });

  it("a pair is supported when every binary has a slice of it; its minimum is the max minos", () => {
    const support = iosSupport([{ slices: [sim("arm64", "13.0"), sim("x86_64", "12.0")] }, { slices: [sim("arm64", "14.2")] }]);
    expect([...support.keys()]).toEqual(["arm64_iphonesimulator"]);
    expect(support.get("arm64_iphonesimulator")?.needs).toEqual({ major: 14, minor: 2, patch: 0 });
  });

  it("pairs PEP 730 does not name are never supported (an arm64e or x86_64 device slice)", () => {
    expect(iosSupport([{ slices: [{ arch: "arm64e", sdk: "iphoneos", minos: "13.0" }, { arch: "x86_64", sdk: "iphoneos", minos: "13.0" }] }]).size).toBe(0);
  });

  it.each([
    // [claim, slices of one binary, repair]
    [["ios_13_0_arm64_iphoneos"], [dev("13.4")], ["ios_13_4_arm64_iphoneos"]], // the minor counts
    [["ios_14_0_arm64_iphoneos"], [dev("13.4")], ["ios_14_0_arm64_iphoneos"]], // the claim is a floor
    [["ios_13_0_arm64_iphoneos"], [sim("arm64", "13.0")], ["ios_13_0_arm64_iphonesimulator"]], // the binaries agree on the simulator
    [["ios_13_0_arm64_iphonesimulator", "ios_13_0_x86_64_iphonesimulator"], [sim("arm64", "13.0")], ["ios_13_0_arm64_iphonesimulator"]],
    [["ios_11_0_arm64_iphoneos"], [dev("10.0")], ["ios_12_0_arm64_iphoneos"]], // never below 12.0
    [["ios_15_0_x86_64_iphoneos"], [sim("x86_64", "13.0")], ["ios_15_0_x86_64_iphonesimulator"]], // an unparsable claim still gives its version
  ])("repairIosTags(%j)", (claim, slices, repair) => {
    expect(repairIosTags(claim, iosSupport([{ slices }]), "down")).toEqual(repair);
  });

  it("a patch release rounds down to X_Y, or up to X_(Y+1)", () => {
    const needs = { major: 13, minor: 4, patch: 1 };
    expect(iosTagVersion(needs, "down")).toEqual({ major: 13, minor: 4, patch: 0 });
    expect(iosTagVersion(needs, "up")).toEqual({ major: 13, minor: 5, patch: 0 });
  });

  it("widest: each pair at what its binaries need; nothing when a pair has no version facts", () => {
    expect(widestIosTags(iosSupport([{ slices: [sim("arm64", "13.0"), sim("x86_64", "12.1")] }]), "down")).toEqual([
      "ios_12_1_x86_64_iphonesimulator",
      "ios_13_0_arm64_iphonesimulator",
    ]);
    expect(widestIosTags(iosSupport([{ slices: [dev(null)] }]), "down")).toEqual([]);
  });
});
