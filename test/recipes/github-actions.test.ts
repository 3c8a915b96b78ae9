// examples/ci/github-actions.yml: the publish job checks the wheels with `--format github` before
// the PyPI step, and that check step's own command, run with bash on a dist/ folder, fails on a
// wrongly tagged wheel with an `::error` annotation naming it and passes on a correct one.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExamples, fakeBin, recipeEnv, removeTempDirs, repoRoot, requireBuild, sh, tempDir } from "./helpers.js";

const workflowPath = join(repoRoot, "examples", "ci", "github-actions.yml");
const lines = readFileSync(workflowPath, "utf8").split("\n");

/** The lines of one job: from `  <name>:` to the next line indented as little (no YAML parser needed). */
function jobLines(name: string): string[] {
  const start = lines.indexOf(`  ${name}:`);
  if (start < 0) throw new Error(`no job ${name}`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

const indexOf = (block: string[], pattern: RegExp): number => block.findIndex((l) => pattern.test(l));

/** The check step's `run:` text, exactly as the workflow has it. */
function checkCommand(): string {
  const line = jobLines("publish").find((l) => /^\s*run:.*wheel-retag check/.test(l));
  if (line === undefined) throw new Error("no run: step with wheel-retag check in the publish job");
  return line.replace(/^\s*run:\s*/, "").trim();
}

beforeAll(requireBuild);
afterAll(removeTempDirs);

/**
 * GitHub-hosted runner labels that exist today (docs.github.com, "GitHub-hosted runners"; macos-13
 * was retired in December 2025). When GitHub retires one, remove it here: the test then names the
 * recipe line to change.
 */
const CURRENT_RUNNERS = [
  "ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm",
  "macos-latest", "macos-14", "macos-15", "macos-15-intel", "macos-26",
  "windows-latest", "windows-2025", "windows-2022", "windows-11-arm",
];

/** Node.js majors that are maintained (nodejs.org release schedule; Node 20 reached its end of life in April 2026). */
const MAINTAINED_NODE = [22, 24, 26];

describe("examples/ci/github-actions.yml", () => {
  it("runs only on runner labels GitHub still offers", () => {
    const labels = lines.flatMap((l) => {
      const runsOn = /^\s*runs-on: ([\w.-]+)/.exec(l);
      const matrix = /^\s*os: \[(.*)\]/.exec(l);
      return runsOn !== null ? [runsOn[1] ?? ""] : matrix !== null ? (matrix[1] ?? "").split(",").map((x) => x.trim()) : [];
    });
    expect(labels.length).toBeGreaterThan(2);
    for (const label of labels) expect(CURRENT_RUNNERS, `runner label ${label}`).toContain(label);
  });

  it("sets up a maintained Node.js that wheel-retag's engines range accepts", () => {
    const engines = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    const floor = Number(/^>=(\d+)/.exec(engines)?.[1]);
    const versions = lines.flatMap((l) => /^\s*node-version: (\d+)/.exec(l)?.[1] ?? []).map(Number);
    expect(versions.length).toBe(2);
    for (const v of versions) {
      expect(MAINTAINED_NODE).toContain(v);
      expect(v).toBeGreaterThanOrEqual(floor);
    }
  });

  it("builds with cibuildwheel on an arm64 and an x86_64 macOS runner and uploads the wheels", () => {
    const build = jobLines("build");
    expect(indexOf(build, /^\s+os: \[macos-14, macos-15-intel\]/)).toBeGreaterThan(0);
    expect(build).toContain("    runs-on: ${{ matrix.os }}");
    const cibuildwheel = indexOf(build, /uses: pypa\/cibuildwheel@v\d/);
    const upload = indexOf(build, /uses: actions\/upload-artifact@/);
    expect(cibuildwheel).toBeGreaterThan(0);
    expect(upload).toBeGreaterThan(cibuildwheel);
  });

  it("publishes only after the build, and checks the downloaded wheels with --format github before the PyPI step", () => {
    const publish = jobLines("publish");
    expect(publish).toContain("    needs: build");
    const download = indexOf(publish, /uses: actions\/download-artifact@/);
    const check = indexOf(publish, /run: npx --yes wheel-retag check /);
    const pypi = indexOf(publish, /uses: pypa\/gh-action-pypi-publish@/);
    expect(download).toBeGreaterThan(0);
    expect(check).toBeGreaterThan(download);
    expect(pypi).toBeGreaterThan(check);
    expect(publish.slice(download, check).join("\n")).toMatch(/path: dist$/m);
    expect(checkCommand()).toBe("npx --yes wheel-retag check --format github dist/*.whl");
  });

  describe("the check step, run with bash in a folder holding dist/", () => {
    function runCheck(projects: Array<"arm64only" | "correct" | "emptyslice">) {
      const workspace = tempDir("gha");
      const wheels = copyExamples(join(workspace, "dist"), projects);
      const before = wheels.map((w) => readFileSync(w));
      const result = sh(checkCommand(), { cwd: workspace, env: recipeEnv(fakeBin()), shell: "bash" });
      // A check writes nothing.
      expect(wheels.map((w) => readFileSync(w))).toEqual(before);
      return result;
    }

    it("fails (exit 1) with an ::error naming the right tag and file name, then one per problem", () => {
      const result = runCheck(["arm64only", "correct"]);
      expect(result.status, result.stderr).toBe(1);
      const annotations = result.stdout.split("\n").filter((l) => l.startsWith("::"));
      expect(annotations).toHaveLength(2);
      expect(annotations[0]).toMatch(/^::error file=dist\/arm64only-1\.0-cp313-cp313-macosx_10_9_universal2\.whl,title=retag%3A the platform tag should be macosx_11_0_arm64::.*it should be arm64only-1\.0-cp313-cp313-macosx_11_0_arm64\.whl/);
      expect(annotations[1]).toMatch(/^::error file=dist\/arm64only-1\.0-cp313-cp313-macosx_10_9_universal2\.whl,title=R201 unsupported-arch::/);
    });

    it("passes (exit 0) with no error annotation when every wheel is right", () => {
      const result = runCheck(["correct"]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/^::error/m);
    });
  });

  const yaml = spawnSync("python3", ["-c", "import yaml"]).status === 0;
  it.skipIf(!yaml)(`is valid YAML with the same structure${yaml ? "" : " (skipped: python3 with PyYAML not found)"}`, () => {
    const script = `
import json, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
steps = doc["jobs"]["publish"]["steps"]
print(json.dumps({
    "os": doc["jobs"]["build"]["strategy"]["matrix"]["os"],
    "needs": doc["jobs"]["publish"]["needs"],
    "steps": [s.get("uses") or s.get("run") for s in steps],
}))`;
    const run = spawnSync("python3", ["-c", script, workflowPath], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { os: string[]; needs: string; steps: string[] };
    expect(doc.os).toEqual(["macos-14", "macos-15-intel"]);
    expect(doc.needs).toBe("build");
    const check = doc.steps.indexOf("npx --yes wheel-retag check --format github dist/*.whl");
    expect(check).toBeGreaterThan(0);
    expect(doc.steps.findIndex((s) => s.startsWith("pypa/gh-action-pypi-publish@"))).toBeGreaterThan(check);
  });
});
