// `fix -w`'s early copy (src/node/early-copy.ts): started beside the check, taken by the writer when
// the output starts with the input's bytes, removed otherwise; never created where the folder does
// not exist or for an input too small for the kernel copy.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discardEarlyCopy, startEarlyCopy } from "../../src/node/early-copy.js";
import { openInput } from "../../src/node/file-source.js";
import { activeTemporaries, KERNEL_COPY_MIN, writeAtomically } from "../../src/node/write.js";

function setUp(size: number): { dir: string; out: string; path: string; bytes: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "retag-early-"));
  const out = join(dir, "out");
  const path = join(dir, "in.whl");
  const bytes = randomBytes(size);
  writeFileSync(path, bytes);
  return { dir, out, path, bytes };
}

describe("startEarlyCopy", () => {
  it("copies the input into the folder; the writer writes the new tail over the copy and takes it", async () => {
    const { out, path, bytes } = setUp(KERNEL_COPY_MIN + 1000);
    mkdirSync(out);
    const input = openInput(path);
    try {
      const early = (await startEarlyCopy(input, out))!;
      expect(await early.ready).toBe(true);
      expect(readFileSync(early.temp).equals(bytes)).toBe(true);
      // The output: the input's first bytes, then new ones (shorter than the input's tail).
      const tail = new Uint8Array([1, 2, 3]);
      await writeAtomically(join(out, "a.whl"), [{ source: input, offset: 0, length: KERNEL_COPY_MIN }, tail], { force: false, early });
      expect(early.taken).toBe(true);
      expect(readFileSync(join(out, "a.whl")).equals(Buffer.concat([bytes.subarray(0, KERNEL_COPY_MIN), tail]))).toBe(true);
      await discardEarlyCopy(early);
      expect(readdirSync(out)).toEqual(["a.whl"]);
      expect(activeTemporaries.has(early.temp)).toBe(false);
    } finally {
      input.close();
    }
  });

  it("a copy the writer does not take is removed", async () => {
    const { out, path } = setUp(KERNEL_COPY_MIN + 1000);
    mkdirSync(out);
    const input = openInput(path);
    try {
      const early = (await startEarlyCopy(input, out))!;
      // New bytes only: nothing of the input to start from.
      await writeAtomically(join(out, "a.whl"), [new Uint8Array([9])], { force: false, early });
      expect(early.taken).toBe(false);
      await discardEarlyCopy(early);
      expect(readdirSync(out)).toEqual(["a.whl"]);
      expect(existsSync(early.temp)).toBe(false);
    } finally {
      input.close();
    }
  });

  it.each([
    ["the folder does not exist", KERNEL_COPY_MIN + 1000, false],
    ["the input is smaller than the kernel copy's threshold", KERNEL_COPY_MIN - 1, true],
  ])("nothing when %s", async (_label, size, makeOut) => {
    const { dir, out, path } = setUp(size);
    if (makeOut) mkdirSync(out);
    const input = openInput(path);
    try {
      expect(await startEarlyCopy(input, out)).toBeNull();
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(makeOut ? ["in.whl", "out"] : ["in.whl"]);
    } finally {
      input.close();
    }
  });

  it("a copy of an input that changed before it was copied is not used", async () => {
    const { out, path } = setUp(KERNEL_COPY_MIN + 1000);
    mkdirSync(out);
    const input = openInput(path);
    try {
      writeFileSync(path, randomBytes(KERNEL_COPY_MIN + 1000));
      const early = (await startEarlyCopy(input, out))!;
      expect(await early.ready).toBe(false);
      await discardEarlyCopy(early);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      input.close();
    }
  });
});
