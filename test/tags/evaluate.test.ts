import { describe, expect, it } from "vitest";
import { evaluateTag, promisedMinimums, samePromise } from "../../src/tags/index.js";
import type { MacVersion, Support } from "../../src/model/tags.js";

const v = (major: number, minor = 0, patch = 0): MacVersion => ({ major, minor, patch });
const support = (entries: Array<[string, MacVersion]>): Support => new Map(entries);
const FAT = support([["x86_64", v(10, 9)], ["arm64", v(11)]]);

describe("evaluateTag (DESIGN §3.4)", () => {
  it.each<[string, Support, boolean]>([
    ["macosx_10_9_universal2", FAT, true],
    ["macosx_11_0_universal2", FAT, true],
    ["macosx_10_9_x86_64", FAT, true],
    ["macosx_11_0_arm64", FAT, true],
    ["macosx_12_0_arm64", FAT, true],
    ["macosx_10_8_x86_64", FAT, false],
    ["macosx_10_9_universal2", support([["arm64", v(11)]]), false],
    ["macosx_11_0_arm64", support([["x86_64", v(10, 9)]]), false],
    ["macosx_10_16_x86_64", support([["x86_64", v(11)]]), true],
    ["macosx_10_15_x86_64", support([["x86_64", v(11)]]), false],
    ["macosx_10_6_intel", support([["x86_64", v(10, 6)], ["i386", v(10, 6)]]), true],
    ["macosx_10_6_intel", support([["x86_64", v(10, 6)]]), false],
  ])("%s against %j is valid: %s", (tag, s, valid) => {
    expect(evaluateTag(tag, s).valid).toBe(valid);
  });

  it("universal2 10_9 with arm64 11.0 and x86_64 10.9: an arm64 host reads 10_9 as 11.0", () => {
    expect(evaluateTag("macosx_10_9_universal2", FAT)).toEqual({
      tag: "macosx_10_9_universal2",
      valid: true,
      form: "ok",
      missingArchs: [],
      tooOld: [],
      inexact: [],
    });
  });

  it("arm64-only support: universal2 is missing x86_64", () => {
    const e = evaluateTag("macosx_10_9_universal2", support([["arm64", v(11)]]));
    expect(e.valid).toBe(false);
    expect(e.missingArchs).toEqual(["x86_64"]);
    expect(e.tooOld).toEqual([]);
  });

  it("10_9 when x86_64 needs 10.13 is too old", () => {
    const e = evaluateTag("macosx_10_9_x86_64", support([["x86_64", v(10, 13)]]));
    expect(e.valid).toBe(false);
    expect(e.tooOld).toEqual([{ arch: "x86_64", needs: v(10, 13), tagVersion: v(10, 9) }]);
  });

  it("universal2 10_9 when arm64 needs 12.0: too old for arm64 only, read as 11.0", () => {
    const e = evaluateTag("macosx_10_9_universal2", support([["x86_64", v(10, 9)], ["arm64", v(12)]]));
    expect(e.tooOld).toEqual([{ arch: "arm64", needs: v(12), tagVersion: v(11) }]);
  });

  it("a minimum no tag can say (12.1) makes 12_0 valid but inexact when rounding down, too old when rounding up", () => {
    const s = support([["x86_64", v(12, 1)]]);
    const down = evaluateTag("macosx_12_0_x86_64", s);
    expect(down.valid).toBe(true);
    expect(down.inexact).toEqual([{ arch: "x86_64", needs: v(12, 1), tagVersion: v(12) }]);
    const up = evaluateTag("macosx_12_0_x86_64", s, { round: "up" });
    expect(up.valid).toBe(false);
    expect(up.tooOld).toEqual([{ arch: "x86_64", needs: v(12, 1), tagVersion: v(12) }]);
    expect(evaluateTag("macosx_13_0_x86_64", s, { round: "up" }).valid).toBe(true);
  });

  it("a patch level below 11 (10.9.5) is treated the same way", () => {
    const s = support([["x86_64", v(10, 9, 5)]]);
    expect(evaluateTag("macosx_10_9_x86_64", s).valid).toBe(true);
    expect(evaluateTag("macosx_10_9_x86_64", s, { round: "up" }).valid).toBe(false);
  });

  it.each(["macosx_12_3_arm64", "macosx_110_0_arm64", "macosx_16_1_arm64"])("%s is never valid, even when its promise is kept", (tag) => {
    const e = evaluateTag(tag, support([["arm64", v(11)]]));
    expect(e.valid).toBe(false);
    expect(e.missingArchs).toEqual([]);
    expect(e.form).not.toBe("ok");
  });

  // Issue item 2: macosx_16_0 … macosx_25_0 are yielded on every macOS 26+ host (pypa/packaging
  // src/packaging/tags.py mac_platforms `range(version[0], 10, -1)`; astral-sh/uv
  // crates/uv-platform-tags/src/tags.rs compatible_tags `(11..=*major).rev()`), so the first host that
  // accepts one runs 26.0: the tag promises 26.0, which is conservative over 11.0 binaries.
  it.each<[string, Support, boolean, MacVersion]>([
    ["macosx_16_0_arm64", support([["arm64", v(11)]]), true, v(26)],
    ["macosx_25_0_arm64", support([["arm64", v(26)]]), true, v(26)],
    ["macosx_16_0_x86_64", support([["x86_64", v(10, 9)]]), true, v(26)],
    ["macosx_16_0_universal2", FAT, true, v(26)],
    ["macosx_16_0_arm64", support([["arm64", v(27)]]), false, v(26)],
  ])("%s over %j is valid: %s (it promises %j)", (tag, s, valid, promised) => {
    const e = evaluateTag(tag, s);
    expect(e.form).toBe("ok");
    expect(e.valid).toBe(valid);
    if (!valid) expect(e.tooOld).toEqual([{ arch: "arm64", needs: v(27), tagVersion: promised }]);
  });

  // Issue item 1: both spellings name {i386, ppc, x86_64} (pypa/packaging src/packaging/tags.py
  // _mac_binary_formats writes fat3 from 26.3; astral-sh/uv crates/uv-platform-tags/src/tags.rs
  // BinaryFormat::from_str knows only fat32).
  it.each<[string, Support, boolean]>([
    ["macosx_10_5_fat3", support([["i386", v(10, 5)], ["ppc", v(10, 4)], ["x86_64", v(10, 5)]]), true],
    ["macosx_10_5_fat32", support([["i386", v(10, 5)], ["ppc", v(10, 4)], ["x86_64", v(10, 5)]]), true],
    ["macosx_10_5_fat3", support([["i386", v(10, 5)], ["x86_64", v(10, 5)]]), false],
    ["macosx_10_4_fat3", support([["i386", v(10, 5)], ["ppc", v(10, 4)], ["x86_64", v(10, 5)]]), false],
  ])("%s over %j is valid: %s", (tag, s, valid) => {
    expect(evaluateTag(tag, s).valid).toBe(valid);
  });

  it("an unknown format or a non-macOS tag is not valid", () => {
    expect(evaluateTag("macosx_11_0_arm64e", FAT)).toMatchObject({ valid: false, form: "unknown-format" });
    expect(evaluateTag("linux_x86_64", FAT)).toMatchObject({ valid: false, form: "not-macos" });
  });
});

describe("promisedMinimums / samePromise: what a tag set promises, spelling aside", () => {
  it.each<[string[], Array<[string, MacVersion]>]>([
    [["macosx_10_9_universal2"], [["arm64", v(11)], ["x86_64", v(10, 9)]]],
    [["macosx_16_0_arm64"], [["arm64", v(26)]]],
    [["macosx_10_16_x86_64"], [["x86_64", v(11)]]],
    [["macosx_10_13_x86_64", "macosx_10_9_universal2"], [["arm64", v(11)], ["x86_64", v(10, 9)]]], // the lower promise
    [["macosx_10_5_fat3"], [["i386", v(10, 5)], ["ppc", v(10, 5)], ["x86_64", v(10, 5)]]],
    [["macosx_110_0_arm64", "linux_x86_64"], []], // a malformed version and a non-macOS tag promise nothing here
  ])("%j → %j", (tags, expected) => {
    expect([...promisedMinimums(tags)].sort()).toEqual(expected);
  });

  it.each<[string[], string[], boolean]>([
    [["macosx_10_5_fat3"], ["macosx_10_5_fat32"], true],
    [["macosx_10_5_fat3"], ["macosx_10_5_intel", "macosx_10_5_ppc"], true],
    [["macosx_10_9_universal2"], ["macosx_10_9_x86_64", "macosx_11_0_arm64"], true],
    [["macosx_16_0_arm64"], ["macosx_26_0_arm64"], true],
    [["macosx_16_0_arm64"], ["macosx_11_0_arm64"], false], // conservative: R205
    [["macosx_10_9_intel"], ["macosx_10_6_i386", "macosx_10_9_x86_64"], false], // narrower for i386: R205
    [["macosx_11_0_arm64"], ["macosx_10_9_universal2"], false], // fewer archs: R205
  ])("%j and %j promise the same: %s", (a, b, same) => {
    expect(samePromise(a, b)).toBe(same);
    expect(samePromise(b, a)).toBe(same);
  });
});
