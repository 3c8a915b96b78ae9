// Broken inputs and destinations: each gets a clear message naming the file, the batch goes on, no
// input changes, nothing half-written is left, and no exit code 3 or stack trace.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { makeWheel } from "../helpers/make-wheel.js";

async function run(argv: string[]): Promise<{ code: number; text: string }> {
  let text = "";
  const code = await main(argv, { stdout: (s) => void (text += `${s}\n`), stderr: (s) => void (text += `${s}\n`) }, {});
  return { code, text };
}

const sha = (p: string): string => createHash("sha256").update(readFileSync(p)).digest("hex");

describe("hostile inputs in a batch", async () => {
  const dir = mkdtempSync(join(tmpdir(), "retag-robust-"));
  const good = "good-1.0-cp313-cp313-macosx_10_9_universal2.whl";
  writeFileSync(join(dir, good), (await makeWheel({ filename: good, members: { "good/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } } })).bytes);
  writeFileSync(join(dir, "empty-1.0-py3-none-any.whl"), "");
  writeFileSync(join(dir, "text-1.0-py3-none-any.whl"), "not a zip at all\n");
  const full = (await makeWheel({ filename: "trunc-1.0-cp313-cp313-macosx_11_0_arm64.whl", members: { "t/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } } })).bytes;
  writeFileSync(join(dir, "trunc-1.0-cp313-cp313-macosx_11_0_arm64.whl"), full.subarray(0, full.length - 30));
  mkdirSync(join(dir, "folder-1.0-py3-none-any.whl"));
  const fifo = join(dir, "fifo-1.0-py3-none-any.whl");
  let hasFifo = true;
  try {
    execFileSync("mkfifo", [fifo]);
  } catch {
    hasFifo = false;
  }

  const broken = ["empty-1.0-py3-none-any.whl", "text-1.0-py3-none-any.whl", "trunc-1.0-cp313-cp313-macosx_11_0_arm64.whl"];
  const unreadable = () => [join(dir, "folder-1.0-py3-none-any.whl"), ...(hasFifo ? [fifo] : [])];
  const hashes = () => Object.fromEntries(readdirSync(dir).filter((n) => !n.startsWith("folder") && !n.startsWith("fifo")).map((n) => [n, sha(join(dir, n))]));

  it("retag check reports each one, the unreadable ones as `retag: <path>: <what>`, and goes on", async () => {
    const before = hashes();
    const { code, text } = await run(["check", ...broken.map((n) => join(dir, n)), ...unreadable(), join(dir, good)]);
    expect(code).toBe(2); // the directory with no wheel (and the FIFO) cannot be read at all
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toContain("internal error");
    for (const n of broken) expect(text).toMatch(new RegExp(`${n.replace(/\./g, "\\.")}[^\n]*\n\\s+error R001`));
    expect(text).toContain(`retag: ${join(dir, "folder-1.0-py3-none-any.whl")}: no *.whl file in this directory`);
    if (hasFifo) expect(text).toContain(`retag: ${fifo}: is not a regular file`);
    expect(text).toContain(`${join(dir, good)}: macosx_10_9_universal2 → macosx_11_0_arm64`);
    expect(hashes()).toEqual(before);
  });

  it("retag fix writes nothing while an argument names nothing readable, and fixes the good wheel once all are wheels", async () => {
    const before = hashes();
    const refused = await run(["fix", ...broken.map((n) => join(dir, n)), ...unreadable(), join(dir, good)]);
    expect(refused.code).toBe(2);
    expect(refused.text).toContain("nothing was written");
    expect(hashes()).toEqual(before);
    const { code, text } = await run(["fix", ...broken.map((n) => join(dir, n)), join(dir, good)]);
    expect(code).toBe(1); // the broken ones are judged (R001), the good one is fixed
    expect(text).not.toMatch(/\n\s+at /);
    for (const n of broken) expect(text).toMatch(new RegExp(`${n.replace(/\./g, "\\.")}: not rewritten: errors remain\\n\\s+error R001`));
    expect(readdirSync(dir)).toContain("good-1.0-cp313-cp313-macosx_11_0_arm64.whl");
    for (const n of broken) expect(sha(join(dir, n))).toBe(before[n]);
    expect(readdirSync(dir).filter((n) => n.startsWith(".retag-tmp-"))).toEqual([]);
  });
});

describe("a destination that cannot be written", () => {
  it("reports the wheel, leaves the input and no temporary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-dest-"));
    const name = "w-1.0-cp313-cp313-macosx_10_9_universal2.whl";
    writeFileSync(join(dir, name), (await makeWheel({ filename: name, members: { "w/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } } })).bytes);
    const before = sha(join(dir, name));
    writeFileSync(join(dir, "blocker"), "a file where a folder should be");
    const { code, text } = await run(["-w", join(dir, "blocker", "out"), join(dir, name)]);
    expect(code).toBe(1);
    expect(text).toContain(`retag: ${join(dir, name)}: not written: ${join(dir, "blocker", "out")} cannot be a folder: a file is in the way`);
    expect(sha(join(dir, name))).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["blocker", name]);
  });
});
