// The published package: scripts/pack-smoke.sh packs it, checks the tarball holds exactly what must
// ship (the bundle, the Node API's dist/, no install-time script, no dependency), installs it offline
// into an empty project with no warning, and runs `retag --version` and `retag check`.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { hasCommand, removeTempDirs, repoRoot, requireBuild, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

const hasNpm = hasCommand("npm");
const test = hasNpm ? it : it.skip;

test(`npm pack ships bin/, dist-bundle/, the API's dist/, README and LICENSE only, and the installed tarball runs with no dependency${hasNpm ? "" : " (skipped: npm is not on PATH)"}`, () => {
  requireBuild();
  // --no-build: pack the dist/ and dist-bundle/ that are there. A rebuild (npm pack runs `prepack`)
  // would rewrite them under the other test files that run bin/retag.js at the same time.
  const run = spawnSync("bash", [join(repoRoot, "scripts", "pack-smoke.sh"), "--no-build"], { cwd: repoRoot, encoding: "utf8" });
  expect(run.stderr, run.stdout).not.toMatch(/FAIL/);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^pack-smoke: OK \(wheel-retag-\d+\.\d+\.\d+\.tgz/m);
}, 120_000);

/** A copy of what npm pack reads (and what the script checks against), with one thing spoiled. */
function spoiledCopy(spoil: (dir: string) => void): string {
  const dir = tempDir("pack");
  for (const part of ["package.json", "README.md", "LICENSE", "bin", "dist", "dist-bundle", "src", "scripts", "examples/wheels"]) {
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
  {
    name: "a runtime dependency (the bundle must hold them all)",
    spoil: (dir) => editPackage(dir, (pkg) => (pkg.dependencies = { yargs: "^18.2.0" })),
    message: /runtime dependencies: yargs[\s\S]*no dependency/,
  },
  {
    name: "an install-time script (every install from the tarball would warn)",
    spoil: (dir) => editPackage(dir, (pkg) => (pkg.scripts = { ...(pkg.scripts as object), postinstall: "node bin/retag.js --version" })),
    message: /install-time scripts: postinstall/,
  },
  {
    name: "a bundle without its worker (batches would fail)",
    spoil: (dir) => rmSync(join(dir, "dist-bundle", "worker.js")),
    message: /lacks package\/dist-bundle\/worker\.js/,
  },
];

function editPackage(dir: string, edit: (pkg: { [key: string]: unknown }) => void): void {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { [key: string]: unknown };
  edit(pkg);
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
}

for (const s of spoils) {
  test(`pack-smoke.sh fails on ${s.name}${hasNpm ? "" : " (skipped: npm is not on PATH)"}`, () => {
    requireBuild();
    const dir = spoiledCopy(s.spoil);
    const run = spawnSync("bash", [join(dir, "scripts", "pack-smoke.sh"), "--no-build"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(s.message);
  }, 60_000);
}
