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

describe("examples/ci/github-actions.yml", () => {
  it("builds with cibuildwheel on macos-14 and macos-13 and uploads the wheels", () => {
    const build = jobLines("build");
    expect(indexOf(build, /^\s+os: \[macos-14, macos-13\]/)).toBeGreaterThan(0);
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

    it("fails (exit 1) with an ::error annotation per problem on a wrongly tagged wheel", () => {
      const result = runCheck(["arm64only", "correct"]);
      expect(result.status, result.stderr).toBe(1);
      const annotations = result.stdout.split("\n").filter((l) => l.startsWith("::"));
      expect(annotations).toHaveLength(1);
      expect(annotations[0]).toMatch(/^::error file=dist\/arm64only-1\.0-cp313-cp313-macosx_10_9_universal2\.whl,title=R201 unsupported-arch::/);
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
    expect(doc.os).toEqual(["macos-14", "macos-13"]);
    expect(doc.needs).toBe("build");
    const check = doc.steps.indexOf("npx --yes wheel-retag check --format github dist/*.whl");
    expect(check).toBeGreaterThan(0);
    expect(doc.steps.findIndex((s) => s.startsWith("pypa/gh-action-pypi-publish@"))).toBeGreaterThan(check);
  });
});
