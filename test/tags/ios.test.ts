import { describe, expect, it } from "vitest";
import { formatIosTag, parseIosTag } from "../../src/tags/index.js";

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
