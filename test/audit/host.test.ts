// Would it load on this host? The tags must accept the host (as pip / uv compute a host's tags) and
// every loaded binary must have usable code for it (DESIGN §9.3). Wheels built from the fixtures,
// whose facts the llvm oracle pins (test/fixtures/oracle/).
import { describe, expect, it } from "vitest";
import { acceptingTag, formatHost, hostVerdict, parseHost } from "../../src/flow/host.js";
import type { Host } from "../../src/model/audit.js";
import { readWheel } from "../../src/read/index.js";
import { memorySource } from "../../src/zip/index.js";
import { nodeCodecs } from "../helpers/core.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { elfHeader } from "../check/check-helpers.js";

const host = (tag: string): Host => {
  const h = parseHost(tag);
  if ("error" in h) throw new Error(h.error);
  return h;
};

async function verdict(platform: string, members: { [path: string]: { fixture: string } | Uint8Array | string }, hostTag: string) {
  const filename = `pkg-1.0-cp313-cp313-${platform}.whl`;
  const { bytes } = await makeWheel({ filename, members });
  const { facts } = await readWheel(memorySource(bytes), nodeCodecs, { python2Only: false, maxMemberSize: 2 ** 31, maxTotalSize: 2 ** 31, sha256: false });
  return hostVerdict(platform.split("."), facts, host(hostTag));
}

const EXT = "pkg/_m.cpython-313-darwin.so";
const LDAP = "pkg/_ldap.cpython-313-darwin.so";
const fx = (fixture: string) => ({ fixture });

describe("host verdicts", () => {
  it.each([
    // The seed: tagged universal2, arm64 code only.
    ["macosx_10_9_universal2", { [EXT]: fx("ext_arm64_11.0.so") }, "macosx_14_0_x86_64", "fails", ["no-slice"]],
    ["macosx_10_9_universal2", { [EXT]: fx("ext_arm64_11.0.so") }, "macosx_14_0_arm64", "loads", []],
    // python-ldap: a fat file whose x86_64 slice exports no PyInit.
    ["macosx_10_9_universal2", { [LDAP]: fx("ext_universal2_x86_64_noinit.so") }, "macosx_14_0_x86_64", "fails", ["no-pyinit"]],
    ["macosx_10_9_universal2", { [LDAP]: fx("ext_universal2_x86_64_noinit.so") }, "macosx_14_0_arm64", "loads", []],
    ["macosx_10_9_universal2", { [EXT]: fx("ext_universal2.so") }, "macosx_14_0_x86_64", "loads", []],
    ["macosx_10_9_universal2", { [EXT]: fx("ext_universal2.so") }, "macosx_10_9_x86_64", "loads", []],
    // A tag that promises an older macOS than the binary needs: installed on 11, fails there, loads on 12.
    ["macosx_11_0_arm64", { [EXT]: fx("ext_arm64_12.0.so") }, "macosx_11_0_arm64", "fails", ["needs-newer-macos"]],
    ["macosx_11_0_arm64", { [EXT]: fx("ext_arm64_12.0.so") }, "macosx_12_0_arm64", "loads", []],
    // A minor release the tag cannot say: 13.3 fails on 13.0, loads on a host that runs 13.4.
    ["macosx_13_0_arm64", { [EXT]: fx("ext_arm64_13.3.so") }, "macosx_13_0_arm64", "fails", ["needs-newer-macos"]],
    ["macosx_13_0_arm64", { [EXT]: fx("ext_arm64_13.3.so") }, "macosx_13_4_arm64", "loads", []],
    ["macosx_11_0_arm64", { [EXT]: fx("ext_arm64e_x86_64h.so") }, "macosx_14_0_arm64", "fails", ["variant-only"]],
    ["macosx_11_0_arm64", { [EXT]: fx("ext_ios_arm64_13.0.so") }, "macosx_14_0_arm64", "fails", ["other-platform"]],
    ["macosx_11_0_arm64", { [EXT]: fx("ext_arm64_11.0.so"), "pkg/_x.cpython-313-x86_64-linux-gnu.so": elfHeader() }, "macosx_14_0_arm64", "fails", ["foreign"]],
    // Static code is never loaded, so it never fails a host.
    ["macosx_11_0_arm64", { [EXT]: fx("ext_arm64_11.0.so"), "pkg/lib/libm.a": fx("archive_fat.a") }, "macosx_14_0_arm64", "loads", []],
    // Tags that no installer on the host accepts: pip and uv would not put it there.
    ["macosx_11_0_arm64", { [EXT]: fx("ext_arm64_11.0.so") }, "macosx_14_0_x86_64", "not-for-host", []],
    ["macosx_10_9_x86_64", { [EXT]: fx("ext_universal2.so") }, "macosx_14_0_arm64", "not-for-host", []],
    ["macosx_12_0_arm64", { [EXT]: fx("ext_arm64_12.0.so") }, "macosx_11_0_arm64", "not-for-host", []],
    ["manylinux_2_17_x86_64", { "pkg/_m.cpython-313-x86_64-linux-gnu.so": elfHeader() }, "macosx_14_0_x86_64", "not-for-host", []],
  ] as const)("%s with %j on %s: %s %j", async (platform, members, hostTag, expected, problems) => {
    const v = await verdict(platform, members, hostTag);
    expect(v.verdict).toBe(expected);
    expect(v.reasons.map((r) => r.problem)).toEqual(problems);
    expect(v.host).toBe(hostTag);
  });

  it("a reason names the binary, the arch and the symbol", async () => {
    const v = await verdict("macosx_10_9_universal2", { [LDAP]: fx("ext_universal2_x86_64_noinit.so") }, "macosx_14_0_x86_64");
    expect(v.acceptedBy).toBe("macosx_10_9_universal2");
    expect(v.reasons).toEqual([
      { member: LDAP, arch: "x86_64", problem: "no-pyinit", message: `the x86_64 slice of ${LDAP} does not export _PyInit__ldap: the import fails on x86_64` },
    ]);
  });

  it("a pure wheel loads everywhere", async () => {
    const v = await verdict("any", { "pkg/a.py": "x = 1\n" }, "macosx_10_9_x86_64");
    expect([v.verdict, v.acceptedBy]).toEqual(["loads", "any"]);
  });
});

describe("which tag accepts a host (packaging.tags.mac_platforms)", () => {
  it.each([
    [["macosx_10_9_universal2"], "macosx_14_0_arm64", "macosx_10_9_universal2"],
    [["macosx_10_9_x86_64", "macosx_11_0_arm64"], "macosx_14_0_arm64", "macosx_11_0_arm64"],
    [["macosx_11_0_arm64"], "macosx_10_15_x86_64", null],
    [["macosx_14_0_arm64"], "macosx_13_0_arm64", null],
    [["macosx_14_0_arm64"], "macosx_14_5_arm64", "macosx_14_0_arm64"],
    [["macosx_10_16_x86_64"], "macosx_11_0_x86_64", "macosx_10_16_x86_64"],
    [["macosx_10_9_intel"], "macosx_10_14_i386", "macosx_10_9_intel"],
    [["macosx_12_3_arm64"], "macosx_14_0_arm64", null],
  ] as const)("%j on %s: %s", (tags, hostTag, expected) => {
    expect(acceptingTag(tags, host(hostTag))).toBe(expected);
  });
});

describe("hosts as they are written", () => {
  it.each([
    ["macosx_14_0_x86_64", { platform: "macos", version: { major: 14, minor: 0, patch: 0 }, arch: "x86_64", rosetta: false }],
    ["macosx_10_9_x86_64", { platform: "macos", version: { major: 10, minor: 9, patch: 0 }, arch: "x86_64", rosetta: false }],
    ["MACOSX_26_0_ARM64", { platform: "macos", version: { major: 26, minor: 0, patch: 0 }, arch: "arm64", rosetta: false }],
  ] as const)("%s", (text, expected) => {
    expect(parseHost(text)).toEqual(expected);
    expect(formatHost(host(text))).toBe(text.toLowerCase());
  });

  it.each([
    ["macosx_14_0_universal2", /one arch/],
    ["macosx_18_0_arm64", /never released/],
    ["macosx_10_16_x86_64", /never released/],
    ["linux_x86_64", /spell it as a platform tag/],
  ])("%s is refused", (text, message) => {
    const parsed = parseHost(text);
    expect("error" in parsed && parsed.error).toMatch(message);
  });
});
