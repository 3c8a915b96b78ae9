import { describe, expect, it } from "vitest";
import { acceptingHosts, formatArchs, formatMacTag, parseMacTag } from "../../src/tags/index.js";

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

/**
 * Where each row's verdict comes from. "Installable" means some real (host arch, host macOS) makes the
 * installers' own list of compatible tags contain the tag; the two lists retag follows:
 */
const PEER = {
  packaging: "pypa/packaging src/packaging/tags.py mac_platforms + _mac_binary_formats (pip vendors it)",
  uv: "astral-sh/uv crates/uv-platform-tags/src/tags.rs compatible_tags + BinaryFormat::from_arch",
  /** Both yield the same list for this row. */
  both: "pypa/packaging tags.py mac_platforms and astral-sh/uv uv-platform-tags tags.rs compatible_tags agree",
  /** packaging 26.3 renamed the set in _mac_binary_formats; uv's BinaryFormat has only Fat32. */
  fat3: "pypa/packaging src/packaging/tags.py _mac_binary_formats (26.3: fat3); astral-sh/uv tags.rs BinaryFormat::from_str (fat32 only)",
  /** Both count a host's majors down to 11 one by one: range(version[0], 10, -1) / (11..=major).rev(). */
  majors: "pypa/packaging tags.py mac_platforms `range(version[0], 10, -1)`; astral-sh/uv tags.rs compatible_tags `(11..=*major).rev()`",
  /** pip compares tag text; uv parses the numbers (u16) and would read 11_00 as 11_0: retag follows the stricter. */
  text: "pypa/packaging tags.py Tag (text compare); astral-sh/uv crates/uv-platform-tags/src/platform_tag.rs PlatformTag::from_str (u16 parse)",
} as const;

describe("parseMacTag: which forms pip / uv can ever install", () => {
  it.each<{ tag: string; form: string; peer: string }>([
    // installable
    { tag: "macosx_10_9_universal2", form: "ok", peer: PEER.both },
    { tag: "macosx_10_4_universal2", form: "ok", peer: PEER.both },
    { tag: "macosx_11_0_arm64", form: "ok", peer: PEER.both },
    { tag: "macosx_26_0_arm64", form: "ok", peer: PEER.both },
    { tag: "macosx_27_0_arm64", form: "ok", peer: PEER.both },
    { tag: "macosx_10_16_x86_64", form: "ok", peer: PEER.both },
    { tag: "macosx_10_4_x86_64", form: "ok", peer: PEER.both },
    { tag: "macosx_12_0_x86_64", form: "ok", peer: PEER.both },
    { tag: "macosx_11_0_intel", form: "ok", peer: PEER.both },
    { tag: "macosx_10_5_ppc64", form: "ok", peer: PEER.packaging },
    { tag: "macosx_10_6_ppc", form: "ok", peer: PEER.packaging },
    { tag: "macosx_10_0_ppc", form: "ok", peer: PEER.packaging },
    { tag: "macosx_10_14_i386", form: "ok", peer: PEER.packaging },
    { tag: "macosx_10_6_fat", form: "ok", peer: PEER.packaging },
    { tag: "macosx_10_9_fat64", form: "ok", peer: PEER.both },
    { tag: "macosx_10_0_universal", form: "ok", peer: PEER.packaging },
    // Issue item 1: the i386/ppc/x86_64 set under both its names (DESIGN §3.4).
    { tag: "macosx_10_6_fat32", form: "ok", peer: PEER.fat3 },
    { tag: "macosx_10_5_fat3", form: "ok", peer: PEER.fat3 },
    { tag: "macosx_10_0_fat3", form: "ok", peer: PEER.fat3 }, // a ppc host on 10.0 (no lower bound for ppc)
    { tag: "macosx_10_3_fat32", form: "ok", peer: PEER.fat3 }, // ppc hosts take it below 10.4, i386 / x86_64 hosts from 10.4
    { tag: "macosx_11_0_fat3", form: "ok", peer: PEER.fat3 }, // an x86_64 host on 11+
    { tag: "macosx_26_0_fat32", form: "ok", peer: PEER.fat3 },
    // Issue item 2: majors 16–25 are yielded on every macOS 26+ host.
    { tag: "macosx_16_0_arm64", form: "ok", peer: PEER.majors },
    { tag: "macosx_16_0_universal2", form: "ok", peer: PEER.majors },
    { tag: "macosx_20_0_x86_64", form: "ok", peer: PEER.majors },
    { tag: "macosx_25_0_x86_64", form: "ok", peer: PEER.majors },
    // no host ever generates these
    { tag: "macosx_12_3_arm64", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_11_1_x86_64", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_16_1_arm64", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_10_15_arm64", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_10_16_arm64", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_10_3_x86_64", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_10_3_universal2", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_10_17_x86_64", form: "uninstallable", peer: PEER.both },
    { tag: "macosx_10_7_ppc", form: "uninstallable", peer: PEER.packaging },
    { tag: "macosx_10_6_ppc64", form: "uninstallable", peer: PEER.packaging },
    { tag: "macosx_10_15_i386", form: "uninstallable", peer: PEER.packaging },
    { tag: "macosx_11_0_fat", form: "uninstallable", peer: PEER.packaging },
    // majors no macOS has
    { tag: "macosx_110_0_arm64", form: "malformed", peer: PEER.both },
    { tag: "macosx_9_0_x86_64", form: "malformed", peer: PEER.both },
    { tag: "macosx_100_0_arm64", form: "malformed", peer: PEER.both },
    { tag: "macosx_11_00_arm64", form: "malformed", peer: PEER.text },
    // formats installers do not know
    { tag: "macosx_11_0_arm64e", form: "unknown-format", peer: PEER.both },
    { tag: "macosx_10_9_x86_64h", form: "unknown-format", peer: PEER.both },
  ])("$tag is $form ($peer)", ({ tag, form }) => {
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

describe("fat3 and fat32 are one set under two names (issue item 1, DESIGN §3.4)", () => {
  // pypa/packaging src/packaging/tags.py _mac_binary_formats yields fat3 from 26.3 (fat32 before);
  // astral-sh/uv crates/uv-platform-tags/src/tags.rs BinaryFormat::from_arch yields Fat32 ("fat32").
  it.each([
    [{ major: 10, minor: 0, patch: 0 }],
    [{ major: 10, minor: 5, patch: 0 }],
    [{ major: 10, minor: 9, patch: 0 }],
    [{ major: 12, minor: 0, patch: 0 }],
  ])("at %j the same hosts accept both", (version) => {
    const fat3 = acceptingHosts(version, "fat3");
    expect(fat3.length).toBeGreaterThan(0);
    expect(fat3).toEqual(acceptingHosts(version, "fat32"));
  });

  it("i386, ppc and x86_64 hosts all accept it at 10_5", () => {
    expect(new Set(acceptingHosts({ major: 10, minor: 5, patch: 0 }, "fat3").map((h) => h.arch))).toEqual(new Set(["i386", "ppc", "x86_64"]));
  });
});
