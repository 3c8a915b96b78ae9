// A batch with --jobs > 1 runs in worker threads (compiled CLI only): same results, same order, same
// files written, as --jobs 1.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeWheel } from "../helpers/make-wheel.js";

const bin = fileURLToPath(new URL("../../bin/retag.js", import.meta.url));
const built = existsSync(fileURLToPath(new URL("../../dist/cli/worker.js", import.meta.url)));

async function batch(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "retag-workers-"));
  for (const [i, fixture] of ["ext_arm64_11.0.so", "ext_universal2.so", "ext_x86_64_10.13.so", "noinit_arm64.so", "ext_universal2_fat64.so"].entries()) {
    const filename = `p${i}-1.0-cp313-cp313-macosx_10_9_universal2.whl`;
    writeFileSync(join(dir, filename), (await makeWheel({ filename, members: { [`p${i}/_m.cpython-313-darwin.so`]: { fixture } } })).bytes);
  }
  return dir;
}

function retag(...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  return { status: r.status, stdout: r.stdout };
}

describe.skipIf(!built)("worker threads", () => {
  it("check gives the same document with --jobs 2 as with --jobs 1", async () => {
    const dir = await batch();
    const one = retag("check", "--format", "json", "--jobs", "1", dir);
    const two = retag("check", "--format", "json", "--jobs", "2", dir);
    expect(two.status).toBe(1);
    expect(two.status).toBe(one.status);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });

  it("fix writes the same wheels with --jobs 2 as with --jobs 1", async () => {
    const dir = await batch();
    const a = retag("-w", join(dir, "a"), "--jobs", "1", dir);
    const b = retag("-w", join(dir, "b"), "--jobs", "2", dir);
    expect(b.status).toBe(a.status);
    expect(readdirSync(join(dir, "b")).sort()).toEqual(readdirSync(join(dir, "a")).sort());
    expect(readdirSync(join(dir, "b")).length).toBe(4); // the module without PyInit yields nothing
    expect(b.stdout.replaceAll(join(dir, "b"), "OUT")).toBe(a.stdout.replaceAll(join(dir, "a"), "OUT"));
  });
});
