// Linux tag maths (src/tags/linux.ts): the policies and aliases, and which ELF archs a tag's arch
// stands for (PEP 425 / 513 / 571 / 599 / 600 / 656; packaging.tags._linux_platforms).
import { describe, expect, it } from "vitest";
import { agreedElfArch, elfArchFits, formatLinuxTag, parseLinuxTag } from "../../src/tags/index.js";

describe("parseLinuxTag", () => {
  it.each([
    ["manylinux_2_17_x86_64", { policy: "manylinux", libc: "glibc", version: { major: 2, minor: 17 }, arch: "x86_64" }],
    ["manylinux2014_aarch64", { policy: "manylinux", libc: "glibc", version: { major: 2, minor: 17 }, arch: "aarch64" }], // PEP 599
    ["manylinux2010_i686", { policy: "manylinux", libc: "glibc", version: { major: 2, minor: 12 }, arch: "i686" }], // PEP 571
    ["manylinux1_x86_64", { policy: "manylinux", libc: "glibc", version: { major: 2, minor: 5 }, arch: "x86_64" }], // PEP 513
    ["musllinux_1_2_armv7l", { policy: "musllinux", libc: "musl", version: { major: 1, minor: 2 }, arch: "armv7l" }], // PEP 656
    ["linux_armv6l", { policy: "linux", libc: null, version: null, arch: "armv6l" }],
    ["linux_mips64", { policy: "linux", libc: null, version: null, arch: "mips64" }],
  ])("%s", (tag, expected) => {
    expect(parseLinuxTag(tag)).toEqual({ tag, ...expected });
  });

  it.each(["manylinux_x86_64", "manylinux_2_x86_64", "macosx_11_0_arm64", "win_amd64", "linux", "android_21_x86_64"])("%s is not a Linux tag", (tag) => {
    expect(parseLinuxTag(tag)).toBeNull();
  });

  it("formatLinuxTag replaces the arch and keeps the policy's spelling", () => {
    expect(formatLinuxTag(parseLinuxTag("manylinux2014_x86_64")!, "aarch64")).toBe("manylinux2014_aarch64");
    expect(formatLinuxTag(parseLinuxTag("linux_armv5l")!, "armv6l")).toBe("linux_armv6l");
  });
});

describe("elfArchFits: does ELF code of this arch run where the tag's arch is uname -m?", () => {
  it.each([
    // 32-bit ARM: any armv*l tag, unless the attributes say the code needs a newer ARM.
    ["armv6l", "armv6l", true],
    ["armv6l", "armv7l", true],
    ["armv6l", "armv5l", false],
    ["armv7l", "armv6l", false],
    ["armv7l", "armv8l", true], // packaging gives armv8l hosts armv7l too
    ["armv5tel", "armv5tel", true],
    ["armv5tel", "armv6l", true],
    ["arm", "armv5l", true], // no attributes: the file does not say
    ["arm", "armv7l", true],
    ["armv7l", "armv7b", false], // byte order
    ["armv7l", "aarch64", false],
    // Class and byte order are in the name.
    ["ppc64", "ppc64le", false],
    ["ppc64le", "ppc64le", true],
    ["mips", "mips64", false],
    ["mips64", "mips64", true],
    // 32-bit x86 kernels report i386 … i686.
    ["i686", "i686", true],
    ["i686", "i386", true],
    ["i686", "x86_64", false],
    ["x86_64", "i686", false],
    ["aarch64", "x86_64", false],
    ["machine(9999)", "x86_64", false],
  ])("%s code under %s: %s", (file, tag, fits) => {
    expect(elfArchFits(file, tag)).toBe(fits);
  });
});

describe("agreedElfArch: the one arch every file needs", () => {
  it.each([
    [["x86_64", "x86_64"], "x86_64"],
    [["x86_64", "aarch64"], null],
    [["armv6l", "armv7l"], "armv7l"], // the newest any of them needs
    [["arm", "armv6l"], "armv6l"],
    [["arm", "arm"], null], // none says which ARM
    [["armv7l", "aarch64"], null],
  ])("%j → %s", (archs, agreed) => {
    expect(agreedElfArch(archs)).toBe(agreed);
  });
});
