import { describe, expect, it } from "vitest";
import { formatIosTag, parseIosTag } from "../../src/tags/index.js";

describe("iOS tags (PEP 730)", () => {
  it.each([
    ["ios_13_0_arm64_iphoneos", { major: 13, minor: 0 }, "arm64", "iphoneos"],
    ["ios_12_2_arm64_iphonesimulator", { major: 12, minor: 2 }, "arm64", "iphonesimulator"],
    ["ios_13_0_x86_64_iphonesimulator", { major: 13, minor: 0 }, "x86_64", "iphonesimulator"],
  ])("%s", (tag, version, arch, sdk) => {
    const parsed = parseIosTag(tag);
    expect(parsed).toEqual({ tag, version: { ...version, patch: 0 }, arch, sdk });
    expect(parsed && formatIosTag(parsed)).toBe(tag);
  });

  it.each(["ios_13_0_arm64", "ios_13_arm64_iphoneos", "ios_13_0_arm64_iphoneos_extra", "macosx_11_0_arm64"])("rejects %s", (tag) => {
    expect(parseIosTag(tag)).toBeNull();
  });
});
