// The published package: scripts/pack-smoke.sh packs it, checks the tarball holds exactly what must
// ship, installs it offline into an empty project and runs `retag --version` and `retag check`.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { hasCommand, removeTempDirs, repoRoot, requireBuild, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

const hasNpm = hasCommand("npm");
const test = hasNpm ? it : it.skip;

test(`npm pack ships bin/, dist/, README and LICENSE only, and the installed tarball runs${hasNpm ? "" : " (skipped: npm is not on PATH)"}`, () => {
  requireBuild();
  // --no-build: pack the dist/ that is there. A rebuild (npm pack runs `prepare`) would rewrite
  // dist/ under the other test files that run bin/retag.js at the same time.
  const run = spawnSync("bash", [join(repoRoot, "scripts", "pack-smoke.sh"), "--no-build"], { cwd: repoRoot, encoding: "utf8" });
  expect(run.stderr, run.stdout).not.toMatch(/FAIL/);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^pack-smoke: OK \(wheel-retag-\d+\.\d+\.\d+\.tgz/m);
}, 120_000);

/** A copy of what npm pack reads (and what the script checks against), with one thing spoiled. */
function spoiledCopy(spoil: (dir: string) => void): string {
  const dir = tempDir("pack");
  for (const part of ["package.json", "README.md", "LICENSE", "bin", "dist", "src", "scripts", "examples/wheels"]) {
    cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
  }
  spoil(dir);
  return dir;
}

const spoils: Array<{ name: string; spoil: (dir: string) => void; message: RegExp }> = [
  {
    name: "a dist/ file whose source is gone (a stale build)",
    spoil: (dir) => writeFileSync(join(dir, "dist", "removed-module.js"), "export {};\n"),
    message: /must not ship[\s\S]*package\/dist\/removed-module\.js/,
  },
  {
    name: "sources listed in package.json files",
    spoil: (dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { files: string[] };
      pkg.files.push("src/");
      writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    },
    message: /must not ship[\s\S]*package\/src\/index\.ts/,
  },
];

for (const s of spoils) {
  test(`pack-smoke.sh fails on ${s.name}${hasNpm ? "" : " (skipped: npm is not on PATH)"}`, () => {
    requireBuild();
    const dir = spoiledCopy(s.spoil);
    const run = spawnSync("bash", [join(dir, "scripts", "pack-smoke.sh"), "--no-build"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(s.message);
  }, 60_000);
}
