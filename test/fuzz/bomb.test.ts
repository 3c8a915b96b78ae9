// Zip bombs (issue 6: bounded memory, no hang). The fuzz harness found that a 1 MiB wheel whose one
// member declares, honestly, 1 GiB of zeros made checkWheel inflate, hash and hold all of it (2 GiB
// peak RSS, 6 s). A large member may now declare at most MAX_INFLATE_RATIO times its compressed size.
// The bombs are generated here (a committed one would be pointless bytes in the repository).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkWheel, retagWheel } from "../../src/index.js";
import { BOMB_FLOOR, MAX_INFLATE_RATIO } from "../../src/zip/index.js";
import { zipBytes as writeZip } from "../helpers/core.js";

const encoder = new TextEncoder();
const sha256 = (data: Uint8Array): string => `sha256=${createHash("sha256").update(data).digest("base64url")}`;

/** A pure wheel whose one data member is `size` zero bytes, with a RECORD that is right about it. */
function zeroWheel(size: number): Promise<Uint8Array> {
  const zeros = new Uint8Array(size);
  const wheel = encoder.encode("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
  const record = encoder.encode(
    `pkg/zeros.bin,${sha256(zeros)},${size}\npkg-1.0.dist-info/WHEEL,${sha256(wheel)},${wheel.length}\npkg-1.0.dist-info/RECORD,,\n`,
  );
  return writeZip([
    { name: "pkg/zeros.bin", data: zeros },
    { name: "pkg-1.0.dist-info/WHEEL", data: wheel },
    { name: "pkg-1.0.dist-info/RECORD", data: record },
  ]);
}

const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;

describe("zip bombs are refused before they are inflated", () => {
  it("a member above the floor that declares more than the ratio is R014, at once, in both modes", async () => {
    const bytes = await zeroWheel(BOMB_FLOOR * 2); // 128 MiB of zeros: about 130 KiB deflated, ~1000:1
    expect((BOMB_FLOOR * 2) / bytes.length).toBeGreaterThan(500); // deflate's best is ~1032:1
    const before = rssMiB();
    const check = await checkWheel(bytes, { filename: "pkg-1.0-py3-none-any.whl" });
    const retag = await retagWheel(bytes, { filename: "pkg-1.0-py3-none-any.whl", rehash: true });
    expect(rssMiB() - before).toBeLessThan(64);
    expect(check.findings.map((f) => [f.code, f.member])).toContainEqual(["R014", "pkg/zeros.bin"]);
    expect(check.findings.find((f) => f.code === "R014")?.message).toMatch(/zip bomb/);
    expect(check.ok).toBe(false);
    expect(retag.action).not.toBe("rewritten");
  });

  it("a member up to the floor is read whatever its ratio (a file of zeros is harmless)", async () => {
    const bytes = await zeroWheel(BOMB_FLOOR);
    expect(BOMB_FLOOR / bytes.length).toBeGreaterThan(MAX_INFLATE_RATIO);
    expect((await checkWheel(bytes, { filename: "pkg-1.0-py3-none-any.whl" })).findings).toEqual([]);
  });
});
