// examples/ci/uv.sh: it parses, and run whole — with a stand-in `uv build` that puts the example
// wheels into dist/ — it leaves dist/ holding only correctly named wheels, or fails on a wheel no
// tag can fix.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWheel } from "../helpers/make-wheel.js";
import { exampleWheel, fakeBin, recipeEnv, removeTempDirs, repoRoot, requireBuild, tempDir, wheelsIn } from "./helpers.js";

const script = join(repoRoot, "examples", "ci", "uv.sh");

/** Stands in for `uv build`: copies the wheels named in $FAKE_UV_WHEELS (colon-separated) into dist/. */
const fakeUv = `#!/bin/sh
[ "$*" = "build" ] || { echo "stand-in uv: unexpected arguments: $*" >&2; exit 97; }
mkdir -p dist
IFS=:
for w in $FAKE_UV_WHEELS; do cp "$w" dist/; done
`;

function runScript(wheels: string[]) {
  const project = tempDir("uv");
  const result = spawnSync("bash", [script], {
    cwd: project,
    env: recipeEnv(fakeBin({ uv: fakeUv }), { FAKE_UV_WHEELS: wheels.join(":") }),
    encoding: "utf8",
  });
  return { ...result, dist: join(project, "dist") };
}

beforeAll(requireBuild);
afterAll(removeTempDirs);

describe("examples/ci/uv.sh", () => {
  it("is valid bash (bash -n)", () => {
    const check = spawnSync("bash", ["-n", script], { encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
  });

  it("fixes the built wheels in dist/ in place and leaves a correct one byte for byte", () => {
    const run = runScript([exampleWheel("arm64only"), exampleWheel("correct"), exampleWheel("emptyslice")]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(wheelsIn(run.dist)).toEqual([
      "arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl",
      "correct-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      "emptyslice-1.0-cp313-cp313-macosx_11_0_arm64.whl",
    ]);
    expect(readFileSync(join(run.dist, "correct-1.0-cp313-cp313-macosx_10_9_universal2.whl"))).toEqual(readFileSync(exampleWheel("correct")));
  });

  it("fails when a built wheel has a problem no tag can fix", async () => {
    const broken = join(tempDir("uv-broken"), "broken-1.0-cp313-cp313-macosx_11_0_arm64.whl");
    writeFileSync(broken, (await makeWheel({ filename: "broken-1.0-cp313-cp313-macosx_11_0_arm64.whl", members: { "broken/_m.cpython-313-darwin.so": { fixture: "noinit_arm64.so" } } })).bytes);
    const run = runScript([broken]);
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/R102/);
  });
});
