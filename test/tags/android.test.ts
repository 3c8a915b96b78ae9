// Android tag maths (src/tags/android.ts, PEP 738): tags, the four ABIs, and the ABI of an ELF arch.
import { describe, expect, it } from "vitest";
import { androidAbiOf, formatAndroidTag, parseAndroidTag } from "../../src/tags/index.js";

describe("parseAndroidTag", () => {
  it.each([
    ["android_21_arm64_v8a", { api: 21, abi: "arm64_v8a" }],
    ["android_24_armeabi_v7a", { api: 24, abi: "armeabi_v7a" }],
    ["android_21_x86", { api: 21, abi: "x86" }],
    ["android_35_x86_64", { api: 35, abi: "x86_64" }],
    ["android_21_armeabi", { api: 21, abi: null, abiText: "armeabi" }], // not a PEP 738 ABI
    ["android_21_mips", { api: 21, abi: null }],
  ])("%s", (tag, expected) => {
    expect(parseAndroidTag(tag)).toMatchObject({ tag, ...expected });
  });

  it.each(["android_arm64_v8a", "android_21", "linux_aarch64", "ios_13_0_arm64_iphoneos"])("%s is not an Android tag", (tag) => {
    expect(parseAndroidTag(tag)).toBeNull();
  });

  it("formats", () => {
    expect(formatAndroidTag(24, "arm64_v8a")).toBe("android_24_arm64_v8a");
  });
});

describe("androidAbiOf (the NDK's ABIs)", () => {
  it.each([
    ["aarch64", "arm64_v8a"],
    ["x86_64", "x86_64"],
    ["i686", "x86"],
    ["armv7l", "armeabi_v7a"],
    ["armv5tel", "armeabi_v7a"], // older ARM code runs on armeabi-v7a
    ["arm", "armeabi_v7a"],
    ["armv8l", null], // 32-bit code for v8 needs more than armeabi-v7a promises
    ["armv7b", null],
    ["riscv64", null],
    ["mips", null],
  ])("%s → %s", (arch, abi) => {
    expect(androidAbiOf(arch)).toBe(abi);
  });
});
