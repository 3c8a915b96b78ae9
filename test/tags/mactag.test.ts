import { describe, expect, it } from "vitest";
import { formatArchs, formatMacTag, parseMacTag } from "../../src/tags/index.js";

describe("formatArchs: the host set of every format (DESIGN §3.4)", () => {
  it.each([
    ["arm64", ["arm64"]],
    ["x86_64", ["x86_64"]],
    ["i386", ["i386"]],
    ["ppc", ["ppc"]],
    ["ppc64", ["ppc64"]],
    ["universal2", ["x86_64", "arm64"]],
    ["intel", ["i386", "x86_64"]],
    ["fat", ["i386", "ppc"]],
    ["fat32", ["i386", "ppc", "x86_64"]],
    ["fat3", ["i386", "ppc", "x86_64"]],
    ["fat64", ["ppc64", "x86_64"]],
    ["universal", ["i386", "ppc", "ppc64", "x86_64"]],
    ["arm64e", null],
    ["x86_64h", null],
    ["toString", null],
  ])("%s", (format, archs) => {
    expect(formatArchs(format)).toEqual(archs);
  });
});

describe("parseMacTag: which forms pip / uv can ever install", () => {
  it.each([
    // installable
    ["macosx_10_9_universal2", "ok"],
    ["macosx_10_4_universal2", "ok"],
    ["macosx_11_0_arm64", "ok"],
    ["macosx_26_0_arm64", "ok"],
    ["macosx_27_0_arm64", "ok"],
    ["macosx_10_16_x86_64", "ok"],
    ["macosx_10_4_x86_64", "ok"],
    ["macosx_12_0_x86_64", "ok"],
    ["macosx_11_0_intel", "ok"],
    ["macosx_10_5_ppc64", "ok"],
    ["macosx_10_6_ppc", "ok"],
    ["macosx_10_0_ppc", "ok"],
    ["macosx_10_14_i386", "ok"],
    ["macosx_10_6_fat", "ok"],
    ["macosx_10_6_fat32", "ok"],
    ["macosx_10_9_fat64", "ok"],
    ["macosx_10_0_universal", "ok"],
    // no host ever generates these
    ["macosx_12_3_arm64", "uninstallable"],
    ["macosx_11_1_x86_64", "uninstallable"],
    ["macosx_16_0_arm64", "uninstallable"],
    ["macosx_25_0_x86_64", "uninstallable"],
    ["macosx_10_15_arm64", "uninstallable"],
    ["macosx_10_16_arm64", "uninstallable"],
    ["macosx_10_3_x86_64", "uninstallable"],
    ["macosx_10_3_universal2", "uninstallable"],
    ["macosx_10_17_x86_64", "uninstallable"],
    ["macosx_10_7_ppc", "uninstallable"],
    ["macosx_10_6_ppc64", "uninstallable"],
    ["macosx_10_15_i386", "uninstallable"],
    ["macosx_11_0_fat", "uninstallable"],
    ["macosx_10_5_fat3", "uninstallable"],
    // majors no macOS has
    ["macosx_110_0_arm64", "malformed"],
    ["macosx_9_0_x86_64", "malformed"],
    ["macosx_100_0_arm64", "malformed"],
    ["macosx_11_00_arm64", "malformed"],
    // formats installers do not know
    ["macosx_11_0_arm64e", "unknown-format"],
    ["macosx_10_9_x86_64h", "unknown-format"],
  ])("%s is %s", (tag, form) => {
    const parsed = parseMacTag(tag);
    expect(parsed?.form).toBe(form);
    expect(parsed?.reason === null).toBe(form === "ok");
  });

  it("splits the tag into version, format and archs", () => {
    expect(parseMacTag("macosx_10_13_universal2")).toEqual({
      tag: "macosx_10_13_universal2",
      version: { major: 10, minor: 13, patch: 0 },
      format: "universal2",
      archs: ["x86_64", "arm64"],
      form: "ok",
      reason: null,
    });
  });

  it("keeps the archs of a tag with a bad form: they are still the claim", () => {
    expect(parseMacTag("macosx_110_0_arm64")?.archs).toEqual(["arm64"]);
    expect(parseMacTag("macosx_12_3_arm64")?.version).toEqual({ major: 12, minor: 3, patch: 0 });
  });

  it("reads tags case-insensitively, as packaging's Tag does", () => {
    expect(parseMacTag("MACOSX_11_0_ARM64")?.form).toBe("ok");
  });

  it.each(["any", "linux_x86_64", "manylinux_2_17_aarch64", "win_amd64", "ios_13_0_arm64_iphoneos", "macosx_11_arm64", "macosx__0_arm64"])(
    "%s is not a macOS tag",
    (tag) => {
      expect(parseMacTag(tag)).toBeNull();
    },
  );

  it("explains the fix in the reason", () => {
    expect(parseMacTag("macosx_12_3_arm64")?.reason).toContain("12_0");
    expect(parseMacTag("macosx_10_15_arm64")?.reason).toContain("from 11_0");
    expect(parseMacTag("macosx_110_0_arm64")?.reason).toContain("11_0");
  });

  it("formats what it parses", () => {
    expect(formatMacTag({ major: 10, minor: 9, patch: 0 }, "x86_64")).toBe("macosx_10_9_x86_64");
    expect(formatMacTag({ major: 12, minor: 0, patch: 0 }, "arm64")).toBe("macosx_12_0_arm64");
  });
});
