// examples/ci/fuse-universal2.yml: thin wheels built on an arm64 and an x86_64 runner, fused in a
// third job, checked, then published. The jobs' order is checked from the text, and the fuse and
// check steps' own shell text is run with bash on stand-in artifacts (thin wheels made from the Mach-O
// fixtures, two Python versions each), with a stand-in `npx` that runs this checkout's CLI.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBin, recipeEnv, removeTempDirs, repoRoot, requireBuild, sh, tempDir } from "../recipes/helpers.js";
import { makeWheel } from "../helpers/make-wheel.js";

const workflowPath = join(repoRoot, "examples", "ci", "fuse-universal2.yml");
const lines = readFileSync(workflowPath, "utf8").split("\n");

/** The lines of one job: from `  <name>:` to the next line indented as little. */
function jobLines(name: string): string[] {
  const start = lines.indexOf(`  ${name}:`);
  if (start < 0) throw new Error(`no job ${name}`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** A step's `run:` text as the shell gets it: one line, or the block under `run: |` without its indent. */
function runText(job: string, stepName: RegExp): string {
  const block = jobLines(job);
  const at = block.findIndex((l) => stepName.test(l));
  if (at < 0) throw new Error(`no step ${stepName} in ${job}`);
  const run = block.findIndex((l, i) => i > at && /^\s+run:/.test(l));
  const line = block[run]!;
  if (!/run: \|$/.test(line)) return line.replace(/^\s*run:\s*/, "");
  const indent = /^(\s*)/.exec(block[run + 1]!)![1]!.length;
  const body: string[] = [];
  for (const l of block.slice(run + 1)) {
    if (l.trim() !== "" && /^(\s*)/.exec(l)![1]!.length < indent) break;
    body.push(l.slice(indent));
  }
  return `${body.join("\n").trimEnd()}\n`;
}

const indexOf = (block: string[], pattern: RegExp): number => block.findIndex((l) => pattern.test(l));

beforeAll(requireBuild);
afterAll(removeTempDirs);

/** The artifacts the build jobs upload: thin/thin-<arch>/*.whl for cp312 and cp313. */
async function artifacts(workspace: string, breakOne = false): Promise<void> {
  for (const [arch, platform, ext, lib] of [
    ["arm64", "macosx_11_0_arm64", "ext_arm64_11.0.so", "lib_rpath_arm64.dylib"],
    ["x86_64", "macosx_10_9_x86_64", "ext_x86_64_10.9.so", "lib_libsystem_x86_64.dylib"],
  ] as const) {
    const dir = join(workspace, "thin", `thin-${arch}`);
    mkdirSync(dir, { recursive: true });
    for (const py of ["312", "313"]) {
      const version = breakOne && py === "312" && arch === "x86_64" ? "built on x86_64" : "built";
      const wheel = await makeWheel({
        filename: `pkg-1.0-cp${py}-cp${py}-${platform}.whl`,
        members: { "pkg/__init__.py": "", "pkg/_build.py": `info = '${version}'\n`, [`pkg/_m.cpython-${py}-darwin.so`]: { fixture: ext }, "pkg/.dylibs/libfoo.dylib": { fixture: lib } },
      });
      writeFileSync(join(dir, wheel.filename), wheel.bytes);
    }
  }
}

describe("examples/ci/fuse-universal2.yml", () => {
  it("builds each arch on its own runner and uploads thin-<arch>", () => {
    const build = jobLines("build");
    expect(indexOf(build, /^\s+- os: macos-14$/)).toBeGreaterThan(0);
    expect(indexOf(build, /^\s+arch: arm64$/)).toBeGreaterThan(0);
    expect(indexOf(build, /^\s+- os: macos-13$/)).toBeGreaterThan(0);
    expect(indexOf(build, /^\s+arch: x86_64$/)).toBeGreaterThan(0);
    expect(build).toContain("          CIBW_ARCHS_MACOS: ${{ matrix.arch }}");
    expect(indexOf(build, /uses: actions\/upload-artifact@/)).toBeGreaterThan(indexOf(build, /uses: pypa\/cibuildwheel@v\d/));
    expect(build).toContain("          name: thin-${{ matrix.arch }}");
  });

  it("fuses on Linux after the builds, checks, uploads, and publishes only the fused wheels", () => {
    const fuse = jobLines("fuse");
    expect(fuse).toContain("    needs: build");
    expect(indexOf(fuse, /runs-on: ubuntu-latest/)).toBeGreaterThan(0);
    const download = indexOf(fuse, /uses: actions\/download-artifact@/);
    const fuseStep = indexOf(fuse, /name: Fuse each arm64 wheel/);
    const check = indexOf(fuse, /name: Check the fused wheels/);
    const upload = indexOf(fuse, /uses: actions\/upload-artifact@/);
    expect([download < fuseStep, fuseStep < check, check < upload]).toEqual([true, true, true]);
    expect(fuse.slice(download, fuseStep).join("\n")).toMatch(/pattern: thin-\*\n\s+path: thin/);
    const publish = jobLines("publish");
    expect(publish).toContain("    needs: fuse");
    expect(publish.join("\n")).toMatch(/name: universal2\n\s+path: dist/);
    expect(indexOf(publish, /uses: pypa\/gh-action-pypi-publish@/)).toBeGreaterThan(0);
  });

  describe("the fuse and check steps, run with bash on the build jobs' artifacts", () => {
    it("write one clean universal2 wheel per Python version, and the check passes", async () => {
      const workspace = tempDir("fuse-recipe");
      await artifacts(workspace);
      const env = recipeEnv(fakeBin());
      const fused = sh(runText("fuse", /name: Fuse each arm64 wheel/), { cwd: workspace, env, shell: "bash" });
      expect(fused.status, fused.stdout + fused.stderr).toBe(0);
      expect(readdirSync(join(workspace, "dist")).sort()).toEqual(["pkg-1.0-cp312-cp312-macosx_10_9_universal2.whl", "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl"]);
      const check = sh(runText("fuse", /name: Check the fused wheels/), { cwd: workspace, env, shell: "bash" });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).not.toMatch(/^::error/m);
    });

    it("fail the job, naming the member, when the two builds differ", async () => {
      const workspace = tempDir("fuse-recipe-bad");
      await artifacts(workspace, true);
      const fused = sh(runText("fuse", /name: Fuse each arm64 wheel/), { cwd: workspace, env: recipeEnv(fakeBin()), shell: "bash" });
      expect(fused.status).toBe(2);
      expect(fused.stderr).toContain(`pkg/_build.py: line 1: "info = 'built'" in pkg-1.0-cp312-cp312-macosx_11_0_arm64.whl, "info = 'built on x86_64'" in pkg-1.0-cp312-cp312-macosx_10_9_x86_64.whl`);
      expect(readdirSync(join(workspace, "dist"))).not.toContain("pkg-1.0-cp312-cp312-macosx_10_9_universal2.whl");
    });
  });

  const yaml = spawnSync("python3", ["-c", "import yaml"]).status === 0;
  it.skipIf(!yaml)(`is valid YAML with the same jobs${yaml ? "" : " (skipped: python3 with PyYAML not found)"}`, () => {
    const script = `
import json, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
jobs = doc["jobs"]
print(json.dumps({
    "archs": [m["arch"] for m in jobs["build"]["strategy"]["matrix"]["include"]],
    "needs": [jobs["fuse"]["needs"], jobs["publish"]["needs"]],
    "fuse": [s.get("uses") or s.get("run") for s in jobs["fuse"]["steps"]],
}))`;
    const run = spawnSync("python3", ["-c", script, workflowPath], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { archs: string[]; needs: string[]; fuse: string[] };
    expect(doc.archs).toEqual(["arm64", "x86_64"]);
    expect(doc.needs).toEqual(["build", "fuse"]);
    // The run: text the test executes is the text YAML gives the runner.
    expect(doc.fuse).toContain(runText("fuse", /name: Fuse each arm64 wheel/));
    expect(doc.fuse).toContain(runText("fuse", /name: Check the fused wheels/).trimEnd());
  });
});
