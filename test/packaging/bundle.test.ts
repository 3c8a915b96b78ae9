// The bundle (dist-bundle/, what npm's bin, the Python package and the Action run) is self-contained:
// it imports nothing but Node's built-ins, and copied to a folder with no node_modules anywhere above
// it, it still parses globs (fast-glob), reads [tool.retag] (smol-toml), prints help (yargs) and runs
// a batch in worker threads (worker.js). Its launcher refuses a Node older than package.json's
// engines with a message instead of a JavaScript error.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExamples, removeTempDirs, repoRoot, requireBuild, tempDir } from "../recipes/helpers.js";

const bundleDir = join(repoRoot, "dist-bundle");
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string; engines: { node: string } };

/** Every module specifier a bundled file loads: static imports, dynamic imports, require() calls. */
function specifiers(source: string): string[] {
  const found = new Set<string>();
  for (const re of [/\bfrom\s*"([^"]+)"/g, /\bimport\s*\(\s*"([^"]+)"\s*\)/g, /\brequire\(\s*"([^"]+)"\s*\)/g, /(?:^|[;}])\s*import\s*"([^"]+)"/gm]) {
    for (const m of source.matchAll(re)) found.add(m[1] ?? "");
  }
  return [...found].sort();
}

let copy = "";

beforeAll(() => {
  requireBuild();
  // A folder under the system temp dir: no node_modules of this checkout can be found from there.
  copy = join(tempDir("bundle"), "retag");
  cpSync(bundleDir, copy, { recursive: true });
  for (let dir = copy; dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, "node_modules")), dir).toBe(false);
});
afterAll(removeTempDirs);

const childEnv: NodeJS.ProcessEnv = { ...process.env };
delete childEnv.MACOSX_DEPLOYMENT_TARGET;
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [join(copy, "retag.js"), ...args], { cwd, encoding: "utf8", env: childEnv });

describe("dist-bundle/", () => {
  it("every file loads nothing but Node's built-ins and files of the bundle itself (its chunks; the launcher ./cli.js)", () => {
    const files = readdirSync(bundleDir).filter((f) => f.endsWith(".js"));
    expect(files).toEqual(expect.arrayContaining(["cli.js", "worker.js", "retag.js"]));
    for (const file of files) {
      const loaded = specifiers(readFileSync(join(bundleDir, file), "utf8"));
      // Another file of the folder, by a ./ path that names one (so a copy of the folder runs).
      const outside = loaded.filter((s) => !isBuiltin(s) && !(/^\.\/[^/]+\.js$/.test(s) && files.includes(s.slice(2))));
      expect(outside, file).toEqual([]);
    }
  });

  it("is an ES module folder wherever it is copied (its own package.json)", () => {
    expect(JSON.parse(readFileSync(join(bundleDir, "package.json"), "utf8"))).toMatchObject({ type: "module" });
  });

  it("copied away from node_modules: --version is package.json's, --help is yargs'", () => {
    const version = run(["--version"], copy);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    // The launcher answers a lone --version itself; the CLI (yargs) must say exactly the same.
    const viaCli = spawnSync(process.execPath, [join(copy, "cli.js"), "--version"], { cwd: copy, encoding: "utf8", env: childEnv });
    expect(viaCli.status, viaCli.stderr).toBe(0);
    expect(viaCli.stdout).toBe(version.stdout);
    expect(viaCli.stderr).toBe(version.stderr);
    const help = run(["--help"], copy);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Commands:/m);
  });

  it("copied away: a quoted glob (fast-glob), [tool.retag] (smol-toml) and --jobs 2 (worker.js) work", () => {
    const project = tempDir("bundle-project");
    copyExamples(join(project, "dist"), ["arm64only", "correct", "emptyslice"]);
    // R201 ignored by the project's config: only the R110 warning of emptyslice remains, so exit 0.
    writeFileSync(join(project, "pyproject.toml"), '[tool.retag]\nignore = ["R201"]\n');
    const r = run(["check", "--jobs", "2", "dist/*.whl"], project);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/R110 slice-without-pyinit/);
    expect(r.stdout).not.toMatch(/R201/);
    // Without the config, the same batch fails on R201.
    const strict = run(["check", "--jobs", "2", "--no-config", "dist/*.whl"], project);
    expect(strict.status).toBe(1);
    expect(strict.stdout.match(/R201/g)).toHaveLength(2);
  });

  it("the launcher refuses a Node older than package.json's engines, naming both versions", () => {
    const floor = pkg.engines.node.replace(/^>=\s*/, "");
    const launcher = readFileSync(join(copy, "retag.js"), "utf8");
    expect(launcher).toContain(JSON.stringify(floor));
    // The same launcher with a floor no Node meets.
    writeFileSync(join(copy, "retag-future.js"), launcher.split(JSON.stringify(floor)).join('"999.0"'));
    const r = spawnSync(process.execPath, [join(copy, "retag-future.js"), "--version"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`needs Node.js >= 999.0, but ${process.execPath} is ${process.version}`);
  });
});
