import { describe, expect, it } from "vitest";
import { computeSupport } from "../../src/tags/index.js";
import type { MacVersion, TagOptions } from "../../src/model/tags.js";

const v = (major: number, minor = 0, patch = 0): MacVersion => ({ major, minor, patch });
const DOWN: TagOptions = { round: "down", macosTarget: null };
type Binary = { slices: Array<{ arch: string; minos: string | null }> };
const bin = (...slices: Array<[string, string | null]>): Binary => ({ slices: slices.map(([arch, minos]) => ({ arch, minos })) });

describe("computeSupport (DESIGN §3.3)", () => {
  it.each<[string, Binary[], Array<[string, MacVersion]>]>([
    ["a fat binary supports both archs", [bin(["x86_64", "10.9"], ["arm64", "11.0"])], [["arm64", v(11)], ["x86_64", v(10, 9)]]],
    ["an arch is supported only when every binary has it", [bin(["x86_64", "10.9"], ["arm64", "11.0"]), bin(["arm64", "11.0"])], [["arm64", v(11)]]],
    ["the minimum is the max over binaries", [bin(["x86_64", "10.9"]), bin(["x86_64", "12.0"])], [["x86_64", v(12)]]],
    ["a slice without minos does not lower or raise the version", [bin(["x86_64", "10.9"]), bin(["x86_64", null])], [["x86_64", v(10, 9)]]],
    ["arm64 never below 11.0 (a 10.15 slice)", [bin(["arm64", "10.15"])], [["arm64", v(11)]]],
    ["10.16 means 11.0", [bin(["x86_64", "10.16"])], [["x86_64", v(11)]]],
    ["16.0 (Tahoe in compatibility mode) means 26.0", [bin(["arm64", "16.0"])], [["arm64", v(26)]]],
    ["a patch level is kept for the repair to round", [bin(["x86_64", "10.9.5"])], [["x86_64", v(10, 9, 5)]]],
    ["a minor above 0 from 11 on is kept for the repair to round", [bin(["x86_64", "12.1"])], [["x86_64", v(12, 1)]]],
    ["no version anywhere: neutral floor 10.0", [bin(["x86_64", null], ["i386", null], ["ppc", null])], [["i386", v(10)], ["ppc", v(10)], ["x86_64", v(10)]]],
    ["no version anywhere on arm64: 11.0", [bin(["arm64", null])], [["arm64", v(11)]]],
    ["no common arch: empty", [bin(["x86_64", "10.9"]), bin(["arm64", "11.0"])], []],
    ["a binary with no usable slice: empty", [bin(["x86_64", "10.9"]), bin()], []],
    ["no binaries: empty", [], []],
  ])("%s", (_, binaries, expected) => {
    expect([...computeSupport(binaries, DOWN)].sort()).toEqual(expected);
  });

  it("uses the target as a floor for every arch", () => {
    const support = computeSupport([bin(["x86_64", "10.9"], ["arm64", "11.0"])], { round: "down", macosTarget: v(10, 13) });
    expect(support.get("x86_64")).toEqual(v(10, 13));
    expect(support.get("arm64")).toEqual(v(11));
  });

  it("a target below the binaries' minimum changes nothing", () => {
    const support = computeSupport([bin(["x86_64", "12.0"])], { round: "down", macosTarget: v(10, 9) });
    expect(support.get("x86_64")).toEqual(v(12));
  });
});
