// examples/node-api.mjs: `import { checkWheel, retagWheel } from "wheel-retag"` resolves inside the
// repository (self-reference through package.json "exports"), the example prints the findings and
// writes the fixed wheel, and that wheel is the one the CLI writes, byte for byte.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWheel } from "../../src/index.js";
import { exampleWheel, removeTempDirs, repoRoot, requireBuild, retagBin, tempDir, wheelsIn } from "./helpers.js";

const example = join(repoRoot, "examples", "node-api.mjs");
const fixedName = "arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl";

beforeAll(requireBuild);
afterAll(removeTempDirs);

describe("examples/node-api.mjs", () => {
  it("prints the findings and writes the fixed wheel into the folder given", async () => {
    const out = tempDir("api");
    const run = spawnSync("node", [example, out], { cwd: repoRoot, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/macosx_10_9_universal2 → macosx_11_0_arm64/);
    expect(run.stdout).toMatch(/^ {2}error R201: /m);
    expect(run.stdout).toContain(`wrote ${join(out, fixedName)}`);
    expect(wheelsIn(out)).toEqual([fixedName]);

    const written = new Uint8Array(readFileSync(join(out, fixedName)));
    const recheck = await checkWheel(written, { filename: fixedName });
    expect(recheck.ok).toBe(true);
    expect(recheck.needsRewrite).toBe(false);

    const cliOut = tempDir("api-cli");
    const cli = spawnSync("node", [retagBin, "-w", cliOut, exampleWheel("arm64only")], { cwd: repoRoot, encoding: "utf8" });
    expect(cli.status, cli.stderr).toBe(0);
    expect(written).toEqual(new Uint8Array(readFileSync(join(cliOut, fixedName))));
  });

  it("resolves the package by its own name whatever the working directory, writing to out/api by default", () => {
    const cwd = tempDir("api-cwd");
    const run = spawnSync("node", [example], { cwd, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(wheelsIn(join(cwd, "out", "api"))).toEqual([fixedName]);
  });
});
