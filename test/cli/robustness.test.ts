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

  it.each(["check", "fix"])("retag %s reports each one and fixes the good wheel", async (command) => {
    const before = Object.fromEntries(readdirSync(dir).filter((n) => !n.startsWith("folder") && !n.startsWith("fifo") && n !== good).map((n) => [n, sha(join(dir, n))]));
    const { code, text } = await run([command, join(dir, "empty-1.0-py3-none-any.whl"), join(dir, "text-1.0-py3-none-any.whl"), join(dir, "trunc-1.0-cp313-cp313-macosx_11_0_arm64.whl"), join(dir, "folder-1.0-py3-none-any.whl"), ...(hasFifo ? [fifo] : []), join(dir, good)]);
    expect(code).toBe(2); // the directory with no wheel (and the FIFO) cannot be read at all
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toContain("internal error");
    expect(text).toMatch(/empty-1\.0-py3-none-any\.whl[^\n]*\n\s+error R001/);
    expect(text).toMatch(/text-1\.0-py3-none-any\.whl[^\n]*\n\s+error R001/);
    expect(text).toMatch(/trunc-1\.0-cp313-cp313-macosx_11_0_arm64\.whl[^\n]*\n\s+error R001/);
    expect(text).toContain("no *.whl file in the directory");
    if (hasFifo) expect(text).toMatch(/fifo-1\.0-py3-none-any\.whl.*not a regular file/);
    for (const [n, h] of Object.entries(before)) expect(sha(join(dir, n))).toBe(h);
    if (command === "fix") expect(readdirSync(dir)).toContain("good-1.0-cp313-cp313-macosx_11_0_arm64.whl");
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
    expect(text).toMatch(/not written: .*(ENOTDIR|not a directory|EEXIST)/i);
    expect(sha(join(dir, name))).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["blocker", name]);
  });
});
