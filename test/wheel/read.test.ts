// readWheel's limits: the declared sizes bound the work for the whole wheel, and WHEEL / RECORD must
// be UTF-8.
import { describe, expect, it } from "vitest";
import { maxTotalSize, readWheel as readStage, type ReadOptions } from "../../src/read/index.js";
import type { WheelFacts } from "../../src/model/wheel.js";
import { memorySource } from "../../src/zip/index.js";
import { nodeCodecs, zipBytes as writeZip } from "../helpers/core.js";
import { makeWheel } from "../helpers/make-wheel.js";

const options = { python2Only: false, maxMemberSize: 2 ** 31, maxTotalSize: 2 ** 32, sha256: false };

/** The read stage's facts for a wheel in memory. */
async function readWheel(bytes: Uint8Array, readOptions: ReadOptions): Promise<WheelFacts> {
  return (await readStage(memorySource(bytes), nodeCodecs, readOptions)).facts;
}

describe("readWheel", () => {
  it("stops reading once the members add up to more than the budget, with one R014", async () => {
    const big = "x".repeat(5000);
    const { bytes } = await makeWheel({ filename: "b-1.0-py3-none-any.whl", members: { "b/a.py": big, "b/b.py": big, "b/c.py": big } });
    const contents = await readWheel(bytes, { ...options, maxTotalSize: 8000 });
    const r014 = contents.findings.filter((f) => f.code === "R014");
    expect(r014).toHaveLength(1);
    expect(r014[0]?.member).toBe("b/b.py");
    expect(r014[0]?.message).toMatch(/inflates to more than 8000 bytes/);
    expect(contents.recordOk).toBe(false);
  });

  it("reads everything within the budget", async () => {
    const { bytes } = await makeWheel({ filename: "b-1.0-py3-none-any.whl", members: { "b/a.py": "x".repeat(5000) } });
    const contents = await readWheel(bytes, options);
    expect(contents.findings).toEqual([]);
    expect(contents.recordOk).toBe(true);
  });

  it("reports a WHEEL that is not UTF-8 instead of decoding it lossily", async () => {
    const enc = new TextEncoder();
    const wheel = new Uint8Array([...enc.encode("Wheel-Version: 1.0\nGenerator: caf"), 0xe9, ...enc.encode("\nRoot-Is-Purelib: true\nTag: py3-none-any\n")]);
    const bytes = await writeZip([
      { name: "b-1.0.dist-info/WHEEL", data: wheel },
      { name: "b-1.0.dist-info/RECORD", data: enc.encode("b-1.0.dist-info/WHEEL,,\nb-1.0.dist-info/RECORD,,\n") },
    ]);
    const contents = await readWheel(bytes, options);
    expect(contents.metadata).toBeNull();
    expect(contents.findings.map((f) => [f.code, f.message])).toContainEqual(["R005", "b-1.0.dist-info/WHEEL is not valid UTF-8"]);
  });
});

describe("maxTotalSize", () => {
  const MiB = 2 ** 20;
  it.each([
    [1 * MiB, 512 * MiB], // a small wheel may still hold a few hundred MiB of sparse data
    [10 * MiB, 1000 * MiB],
    [40 * MiB, 4000 * MiB],
    [50 * MiB, 4096 * MiB],
    [200 * MiB, 4096 * MiB],
  ])("a %d-byte wheel may inflate %d bytes", (wheel, limit) => {
    expect(maxTotalSize(wheel)).toBe(limit);
  });
});
