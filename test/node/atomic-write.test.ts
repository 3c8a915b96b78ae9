// Writing is atomic: a failure between the temporary write and the rename leaves the target as it was
// and no temporary behind; temporaries a killed run left are recognised and removed by the next run.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const failRename = { on: false };
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (failRename.on) throw Object.assign(new Error("EXDEV: cross-device link not permitted"), { code: "EXDEV" });
      return real.rename(from, to);
    },
  };
});

const { activeTemporaries, removeStaleTemporaries, TEMP_PREFIX, writeAtomically } = await import("../../src/node/write.js");

afterEach(() => {
  failRename.on = false;
});

describe("writeAtomically", () => {
  it("writes the chunks in order under the target name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-atomic-"));
    await writeAtomically(join(dir, "a.whl"), [new Uint8Array([1, 2]), new Uint8Array([3])], { force: false });
    expect([...readFileSync(join(dir, "a.whl"))]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(["a.whl"]);
  });

  it("leaves the original and no temporary when the rename fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-atomic-"));
    writeFileSync(join(dir, "a.whl"), "original");
    failRename.on = true;
    await expect(writeAtomically(join(dir, "a.whl"), [new Uint8Array([1])], { force: true })).rejects.toThrow(/EXDEV/);
    expect(readFileSync(join(dir, "a.whl"), "utf8")).toBe("original");
    expect(readdirSync(dir)).toEqual(["a.whl"]);
    expect(activeTemporaries.size).toBe(0);
  });

  it("takes an existing file with exactly these bytes as done (another process wrote the same wheel)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-atomic-"));
    writeFileSync(join(dir, "a.whl"), Buffer.from([1, 2, 3]));
    expect(await writeAtomically(join(dir, "a.whl"), [new Uint8Array([1, 2]), new Uint8Array([3])], { force: false })).toBe("identical");
    expect(readdirSync(dir)).toEqual(["a.whl"]);
  });

  it("two writers of the same target at once: one writes, the other finds its bytes there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-atomic-"));
    const bytes = new Uint8Array(3 << 20).map((_, i) => i & 0xff);
    const results = await Promise.all([0, 1, 2].map(() => writeAtomically(join(dir, "a.whl"), [bytes], { force: false })));
    expect(results.sort()).toEqual(["identical", "identical", "written"]);
    expect(readdirSync(dir)).toEqual(["a.whl"]);
  });

  it("names its temporary briefly, whatever the target (a 253-byte wheel name still has one)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-atomic-"));
    const during: string[] = [];
    // A source read while the temporary is being written: it sees the name being written.
    const source = { size: 4, read: async () => (during.push(...activeTemporaries), new Uint8Array(4)) };
    const target = join(dir, `${"a".repeat(249)}.whl`);
    expect(await writeAtomically(target, [{ source, offset: 0, length: 4 }], { force: false })).toBe("written");
    expect(during).toHaveLength(1);
    const name = (during[0] ?? "").slice(dir.length + 1);
    expect(name).toMatch(new RegExp(`^\\.retag-tmp-${process.pid}-[0-9a-f]{16}$`));
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(40);
    expect(readdirSync(dir)).toEqual([`${"a".repeat(249)}.whl`]);
  });

  it("refuses to replace an existing file without force", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-atomic-"));
    writeFileSync(join(dir, "a.whl"), "original");
    await expect(writeAtomically(join(dir, "a.whl"), [new Uint8Array([1])], { force: false })).rejects.toThrow(/already exists/);
    expect(readFileSync(join(dir, "a.whl"), "utf8")).toBe("original");
    expect(readdirSync(dir)).toEqual(["a.whl"]);
  });
});

describe("removeStaleTemporaries", () => {
  it("removes temporaries of dead processes and keeps everything else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-stale-"));
    const dead = `${TEMP_PREFIX}999999999-abcd-x.whl`; // no such pid
    const alive = `${TEMP_PREFIX}1-abcd-y.whl`; // pid 1 always exists
    for (const n of [dead, alive, "x.whl", ".retag-other"]) writeFileSync(join(dir, n), "");
    expect(await removeStaleTemporaries(dir)).toEqual([dead]);
    expect(existsSync(join(dir, dead))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([alive, ".retag-other", "x.whl"].sort());
  });
});
