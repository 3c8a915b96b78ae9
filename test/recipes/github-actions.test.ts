// examples/ci/github-actions.yml: the build job runs cibuildwheel on current macOS runners, and the
// publish job checks the downloaded wheels with this repository's Action before the PyPI step. The
// check step is run as the runner would run it (`node action/index.js`, its `with:` as INPUT_*
// variables, in a workspace holding dist/): it fails on a wrongly tagged wheel with an `::error`
// annotation naming it, and passes on a correct one.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExamples, removeTempDirs, repoRoot, requireBuild, tempDir } from "./helpers.js";

const workflowPath = join(repoRoot, "examples", "ci", "github-actions.yml");
const lines = readFileSync(workflowPath, "utf8").split("\n");
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string; repository: { url: string } };
/** owner/name of this repository, from package.json (what `uses:` names). */
const repoSlug = /github\.com\/([^/]+\/[^/.]+)/.exec(pkg.repository.url)?.[1] ?? "";

/** GitHub-hosted macOS runner labels that exist today (arm64: 14, 15, 26; x86_64: 15-intel). When a
 *  label is retired, this list and the recipe change together. */

/** The lines of one job: from `  <name>:` to the next line indented as little (no YAML parser needed). */
function jobLines(name: string): string[] {
  const start = lines.indexOf(`  ${name}:`);
  if (start < 0) throw new Error(`no job ${name}`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

const indexOf = (block: string[], pattern: RegExp): number => block.findIndex((l) => pattern.test(l));

/** The check step: its `uses:` and its `with:` entries, as the workflow has them. */
function checkStep(): { uses: string; with: { [key: string]: string } } {
  const publish = jobLines("publish");
  const at = indexOf(publish, /^\s+uses: [^ ]+\/wheel-retag@/);
  if (at < 0) throw new Error("no step using the wheel-retag Action in the publish job");
  const uses = (publish[at] as string).replace(/^\s*uses:\s*/, "").trim();
  const inputs: { [key: string]: string } = {};
  const withAt = at + 1;
  if (/^\s+with:\s*$/.test(publish[withAt] ?? "")) {
    for (let i = withAt + 1; i < publish.length && /^\s{10}\S/.test(publish[i] as string); i++) {
      const m = /^\s+([\w-]+):\s*(.*)$/.exec(publish[i] as string);
      if (m !== null) inputs[m[1] as string] = m[2] as string;
    }
  }
  return { uses, with: inputs };
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


/** Node releases with maintenance left (nodejs.org/en/about/previous-releases; 20 ends April 2026). */
const SUPPORTED_NODE = ["22", "24", "lts/*"];

describe("every workflow recipe in examples/ci/", () => {
  const recipes = readdirSync(join(repoRoot, "examples", "ci")).filter((f) => f.endsWith(".yml"));
  it.each(recipes)("%s runs on current runner labels and a Node that is still maintained", (file) => {
    const text = readFileSync(join(repoRoot, "examples", "ci", file), "utf8");
    for (const m of text.matchAll(/runs-on: ([\w.-]+)/g)) expect(CURRENT_RUNNERS, `${file}: runs-on ${m[1]}`).toContain(m[1]);
    for (const m of text.matchAll(/os: \[(.*)\]/g)) for (const label of (m[1] ?? "").split(",").map((x) => x.trim())) expect(CURRENT_RUNNERS, `${file}: ${label}`).toContain(label);
    for (const m of text.matchAll(/node-version: ['"]?([^'"\s]+)/g)) expect(SUPPORTED_NODE, `${file}: node-version ${m[1]}`).toContain(m[1]);
  });
});

describe("examples/ci/github-actions.yml", () => {
  it("builds with cibuildwheel on current arm64 and x86_64 macOS runners and uploads the wheels", () => {
    const build = jobLines("build");
    const os = /^\s+os: \[(.*)\]/.exec(build.find((l) => /^\s+os: \[/.test(l)) ?? "")?.[1]?.split(",").map((s) => s.trim()) ?? [];
    expect(os).toEqual(["macos-14", "macos-15-intel"]);
    for (const label of os) expect(CURRENT_RUNNERS, `runner label ${label}`).toContain(label);
    expect(build).toContain("    runs-on: ${{ matrix.os }}");
    const cibuildwheel = indexOf(build, /uses: pypa\/cibuildwheel@v\d/);
    const upload = indexOf(build, /uses: actions\/upload-artifact@/);
    expect(cibuildwheel).toBeGreaterThan(0);
    expect(upload).toBeGreaterThan(cibuildwheel);
    // The repair command (pyproject.toml) runs retag through pipx: no Node setup step.
    expect(build.join("\n")).not.toMatch(/setup-node/);
  });

  it("publishes only after the build, and checks the downloaded wheels with this repository's Action before the PyPI step", () => {
    const publish = jobLines("publish");
    expect(publish).toContain("    needs: build");
    const download = indexOf(publish, /uses: actions\/download-artifact@/);
    const check = indexOf(publish, /uses: [^ ]+\/wheel-retag@/);
    const pypi = indexOf(publish, /uses: pypa\/gh-action-pypi-publish@/);
    expect(download).toBeGreaterThan(0);
    expect(check).toBeGreaterThan(download);
    expect(pypi).toBeGreaterThan(check);
    expect(publish.slice(download, check).join("\n")).toMatch(/path: dist$/m);
    expect(checkStep()).toEqual({ uses: `${repoSlug}@v${pkg.version}`, with: { paths: "dist/*.whl" } });
    expect(publish.join("\n")).not.toMatch(/setup-node|npx/);
  });

  describe("the check step, run as the runner runs the Action, in a workspace holding dist/", () => {
    function runCheck(projects: Array<"arm64only" | "correct" | "emptyslice">) {
      const workspace = tempDir("gha");
      const wheels = copyExamples(join(workspace, "dist"), projects);
      const before = wheels.map((w) => readFileSync(w));
      const output = join(tempDir("gha-files"), "output");
      writeFileSync(output, "");
      // The runner passes every input, with action.yml's defaults for those the step leaves out.
      const inputs = { paths: "dist/*.whl", command: "check", args: "", ...checkStep().with };
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        GITHUB_ACTIONS: "true",
        GITHUB_OUTPUT: output,
        ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      };
      const result = spawnSync(process.execPath, [join(repoRoot, "action", "index.js")], { cwd: workspace, env, encoding: "utf8" });
      // A check writes nothing.
      expect(wheels.map((w) => readFileSync(w))).toEqual(before);
      return { ...result, outputs: readFileSync(output, "utf8") };
    }

    it("fails (exit 1) with an ::error naming the right tag and file name, then one per problem", () => {
      const result = runCheck(["arm64only", "correct"]);
      expect(result.status, result.stderr).toBe(1);
      const annotations = result.stdout.split("\n").filter((l) => l.startsWith("::error"));
      // One annotation naming the expected tag and file name, then one per finding.
      expect(annotations).toHaveLength(2);
      expect(annotations[0]).toMatch(/^::error file=dist\/arm64only-1\.0-cp313-cp313-macosx_10_9_universal2\.whl,title=retag%3A the platform tag should be /);
      expect(annotations[1]).toMatch(/^::error file=dist\/arm64only-1\.0-cp313-cp313-macosx_10_9_universal2\.whl,title=R201 unsupported-arch::/);
      expect(result.outputs).toMatch(/^ok=false$/m);
    });

    it("passes (exit 0) with no error annotation when every wheel is right", () => {
      const result = runCheck(["correct"]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/^::error/m);
      expect(result.outputs).toMatch(/^ok=true$/m);
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
    "check": next(s for s in steps if "wheel-retag@" in s.get("uses", "")),
}))`;
    const run = spawnSync("python3", ["-c", script, workflowPath], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { os: string[]; needs: string; steps: string[]; check: { uses: string; with: { [k: string]: string } } };
    expect(doc.os).toEqual(["macos-14", "macos-15-intel"]);
    expect(doc.needs).toBe("build");
    expect(doc.check).toMatchObject(checkStep());
    const check = doc.steps.indexOf(checkStep().uses);
    expect(check).toBeGreaterThan(0);
    expect(doc.steps.findIndex((s) => s.startsWith("pypa/gh-action-pypi-publish@"))).toBeGreaterThan(check);
  });
});
