// The bundle (dist-bundle/, what npm's bin, the Python package and the Action run) is self-contained:
// it imports nothing but Node's built-ins, and copied to a folder with no node_modules anywhere above
// it, it still parses globs (fast-glob), reads [tool.retag] (smol-toml), prints help (yargs) and runs
// a batch in worker threads (worker.js). Its launcher refuses a Node older than package.json's
// engines with a message instead of a JavaScript error.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import module from "node:module";
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
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [join(copy, "retag.cjs"), ...args], { cwd, encoding: "utf8", env: childEnv });

describe("dist-bundle/", () => {
  it("every file loads nothing but Node's built-ins and files of the bundle itself (its chunks, the script's libraries; the launcher ./cli.js)", () => {
    const files = readdirSync(bundleDir).filter((f) => f.endsWith(".js") || f.endsWith(".cjs"));
    expect(files).toEqual(expect.arrayContaining(["cli.js", "cli.cjs", "worker.js", "retag.cjs"]));
    for (const file of files) {
      const loaded = specifiers(readFileSync(join(bundleDir, file), "utf8"));
      // Another file of the folder, by a ./ path that names one (so a copy of the folder runs).
      const outside = loaded.filter((s) => !isBuiltin(s) && !(/^\.\/[^/]+\.c?js$/.test(s) && files.includes(s.slice(2))));
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
    const launcher = readFileSync(join(copy, "retag.cjs"), "utf8");
    expect(launcher).toContain(JSON.stringify(floor));
    // The same launcher with a floor no Node meets.
    writeFileSync(join(copy, "retag-future.cjs"), launcher.split(JSON.stringify(floor)).join('"999.0"'));
    const r = spawnSync(process.execPath, [join(copy, "retag-future.cjs"), "--version"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`needs Node.js >= 999.0, but ${process.execPath} is ${process.version}`);
  });
});

// On a Node without a compile cache (Node < 22.1), the launcher runs cli.cjs with a V8 code cache kept
// in the user's cache folder (src/entry/code-cache.ts). A cache V8 accepts is kept as it is; a run
// without one, or with one V8 rejects, writes it anew (atomically, by rename: a new inode).
describe.runIf((module as { enableCompileCache?: unknown }).enableCompileCache === undefined)("the code cache (Node < 22.1)", () => {
  const wheel = () => join(copy, "..", "dist", "arm64only.whl");
  const runIn = (cacheHome: string, extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [join(copy, "retag.cjs"), "check", "--format", "json", wheel()], { encoding: "utf8", env: { ...childEnv, XDG_CACHE_HOME: cacheHome, ...extra } });
  const cacheFiles = (cacheHome: string) => (existsSync(join(cacheHome, "wheel-retag")) ? readdirSync(join(cacheHome, "wheel-retag")) : []);

  beforeAll(() => {
    mkdirSync(join(copy, "..", "dist"), { recursive: true });
    cpSync(join(repoRoot, "examples", "wheels", readdirSync(join(repoRoot, "examples", "wheels")).find((n) => n.startsWith("arm64only-")) ?? ""), wheel());
  });

  it("the first run writes one cache file, private to the user; the next runs use it unchanged and answer the same", () => {
    const home = tempDir("code-cache");
    const first = runIn(home);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(1);
    const [name, ...others] = cacheFiles(home);
    expect(others).toEqual([]);
    expect(name).toMatch(new RegExp(`^cli-[0-9a-f]{16}-node${process.versions.node.replace(/\./g, "\\.")}-${process.arch}\\.v8$`));
    const file = join(home, "wheel-retag", name ?? "");
    const made = statSync(file);
    if (process.platform !== "win32") {
      expect(made.mode & 0o777).toBe(0o600);
      expect(statSync(join(home, "wheel-retag")).mode & 0o777).toBe(0o700);
    }
    for (let i = 0; i < 2; i++) {
      const again = runIn(home);
      expect(again.status).toBe(1);
      expect(again.stdout).toBe(first.stdout);
      expect(again.stderr).toBe("");
      expect(statSync(file).ino, "a cache V8 accepted is not written again").toBe(made.ino);
    }
  });

  it("a damaged cache is not trusted: the run answers the same and writes a good one; other bundles' caches are removed", () => {
    const home = tempDir("code-cache");
    const good = runIn(home);
    const [name] = cacheFiles(home);
    const file = join(home, "wheel-retag", name ?? "");
    writeFileSync(file, Buffer.alloc(4096, 0x5a));
    const stale = join(home, "wheel-retag", "cli-0123456789abcdef-node20.0.0-x64.v8");
    writeFileSync(stale, "old");
    const damaged = runIn(home);
    expect(damaged.stdout).toBe(good.stdout);
    expect(damaged.stderr).toBe("");
    expect(damaged.status).toBe(1);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
    expect(cacheFiles(home)).toEqual([name]);
  });

  it("NODE_DISABLE_COMPILE_CACHE, a folder others may write to, or one that cannot be made: no cache, the same answer", () => {
    const off = tempDir("code-cache");
    const reference = runIn(off, { NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(reference.status).toBe(1);
    expect(cacheFiles(off)).toEqual([]);
    const cases: string[] = [];
    if (process.platform !== "win32") {
      const open = tempDir("code-cache");
      mkdirSync(join(open, "wheel-retag"));
      chmodSync(join(open, "wheel-retag"), 0o777);
      cases.push(open);
    }
    const blocked = tempDir("code-cache");
    writeFileSync(join(blocked, "wheel-retag"), "a file where the folder would be");
    cases.push(blocked);
    for (const home of cases) {
      const r = runIn(home);
      expect(r.stdout).toBe(reference.stdout);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(1);
    }
    if (process.platform !== "win32") expect(cacheFiles(cases[0] ?? "")).toEqual([]);
  });
});
