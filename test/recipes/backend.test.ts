// examples/backend/retag_backend.py, the PEP 517 wrapper, with the machine's python3: in a temp
// project whose "real" backend is a stand-in that copies a prebuilt wheel into wheel_directory, the
// wrapper's build_wheel returns the name retag gave the wheel, and that is the only file there.
// Called through a short driver (as a frontend would, with backend-path on sys.path), and once
// through pip itself when pip is available (offline: --no-index, --no-build-isolation).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWheel } from "../helpers/make-wheel.js";
import { exampleWheel, recipeEnv, removeTempDirs, repoRoot, requireBuild, retagBin, tempDir, wheelsIn } from "./helpers.js";

const hasPython = spawnSync("python3", ["-c", "import tomllib"]).status === 0;
const hasPip = hasPython && spawnSync("python3", ["-m", "pip", "--version"]).status === 0;
const skipNote = (ok: boolean, what: string): string => (ok ? "" : ` (skipped: ${what} not found)`);

const standInBackend = `"""Stands in for a real build backend: build_wheel copies the prebuilt wheel $STAND_IN_WHEEL."""
import os
import shutil


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    shutil.copy(os.environ["STAND_IN_WHEEL"], wheel_directory)
    return os.path.basename(os.environ["STAND_IN_WHEEL"])


def build_sdist(sdist_directory, config_settings=None):
    name = "stand_in-1.0.tar.gz"
    open(os.path.join(sdist_directory, name), "wb").close()
    return name
`;

/** Calls hooks the way a frontend's hook runner does: backend-path first on sys.path, cwd = project. */
const driver = `
import json, sys
sys.path[:0] = [sys.argv[1]]
import retag_backend
out = {"wheel": retag_backend.build_wheel(sys.argv[2])}
out["sdist"] = retag_backend.build_sdist(sys.argv[3])
out["prepare_metadata"] = hasattr(retag_backend, "prepare_metadata_for_build_wheel")
print(json.dumps(out))
`;

interface Project {
  dir: string;
  backendPath: string;
}

/** A project using the wrapper in-tree; the real backend named in pyproject.toml unless `viaEnv`. */
function makeProject(options: { viaEnv?: boolean } = {}): Project {
  const dir = tempDir("backend");
  const backendPath = join(dir, "build_backend");
  mkdirSync(backendPath);
  copyFileSync(join(repoRoot, "examples", "backend", "retag_backend.py"), join(backendPath, "retag_backend.py"));
  writeFileSync(join(backendPath, "stand_in_backend.py"), standInBackend);
  writeFileSync(
    join(dir, "pyproject.toml"),
    `[build-system]
requires = []
build-backend = "retag_backend"
backend-path = ["build_backend"]
${options.viaEnv ? "" : '\n[tool.retag-backend]\nbackend = "stand_in_backend"\n'}`,
  );
  return { dir, backendPath };
}

function build(project: Project, prebuilt: string, env: NodeJS.ProcessEnv = {}, wheelDir = tempDir("wheels")) {
  const sdistDir = tempDir("sdist");
  const run = spawnSync("python3", ["-c", driver, project.backendPath, wheelDir, sdistDir], {
    cwd: project.dir,
    env: recipeEnv(null, { STAND_IN_WHEEL: prebuilt, RETAG_COMMAND: `node ${retagBin}`, PYTHONDONTWRITEBYTECODE: "1", ...env }),
    encoding: "utf8",
  });
  const out = run.status === 0 ? (JSON.parse(run.stdout) as { wheel: string; sdist: string; prepare_metadata: boolean }) : null;
  return { run, out, wheelDir };
}

async function writeWheel(filename: string, members: Parameters<typeof makeWheel>[0]["members"]): Promise<string> {
  const path = join(tempDir("prebuilt"), filename);
  writeFileSync(path, (await makeWheel({ filename, members })).bytes);
  return path;
}

beforeAll(requireBuild);
afterAll(removeTempDirs);

describe.skipIf(!hasPython)(`examples/backend/retag_backend.py${skipNote(hasPython, "python3 ≥ 3.11")}`, () => {
  it("build_wheel returns the name retag gave the wheel, and only that wheel is in wheel_directory", () => {
    const { run, out, wheelDir } = build(makeProject(), exampleWheel("arm64only"));
    expect(run.status, run.stderr).toBe(0);
    expect(out?.wheel).toBe("arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl");
    expect(wheelsIn(wheelDir)).toEqual(["arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl"]);
    // retag's report goes to stderr: a hook's stdout is the frontend's.
    expect(run.stderr).toMatch(/fixed R201/);
  });

  it("re-exports the real backend's other hooks, and only those it has", () => {
    const { out } = build(makeProject(), exampleWheel("correct"));
    expect(out?.sdist).toBe("stand_in-1.0.tar.gz");
    expect(out?.prepare_metadata).toBe(false);
  });

  it("takes the real backend from RETAG_BACKEND; a correct wheel keeps its name and bytes", () => {
    const { run, out, wheelDir } = build(makeProject({ viaEnv: true }), exampleWheel("correct"), { RETAG_BACKEND: "stand_in_backend" });
    expect(run.status, run.stderr).toBe(0);
    expect(out?.wheel).toBe("correct-1.0-cp313-cp313-macosx_10_9_universal2.whl");
    expect(readFileSync(join(wheelDir, out?.wheel ?? ""))).toEqual(readFileSync(exampleWheel("correct")));
  });

  it("says how to name the real backend when neither pyproject.toml nor RETAG_BACKEND does", () => {
    const { run } = build(makeProject({ viaEnv: true }), exampleWheel("correct"));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/\[tool\.retag-backend\] backend = "setuptools\.build_meta"/);
  });

  it("a rebuild replaces the fixed wheel an earlier build left in wheel_directory", () => {
    const wheelDir = tempDir("wheels");
    writeFileSync(join(wheelDir, "arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl"), "left by an earlier build");
    const { run, out } = build(makeProject(), exampleWheel("arm64only"), {}, wheelDir);
    expect(run.status, run.stderr).toBe(0);
    expect(wheelsIn(wheelDir)).toEqual([out?.wheel]);
    expect(readFileSync(join(wheelDir, out?.wheel ?? "")).subarray(0, 2).toString()).toBe("PK");
  });

  it("fails the build when retag refuses the wheel, naming the problem", async () => {
    const broken = await writeWheel("broken-1.0-cp313-cp313-macosx_11_0_arm64.whl", { "broken/_m.cpython-313-darwin.so": { fixture: "noinit_arm64.so" } });
    const { run } = build(makeProject(), broken);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/retag: error R102/);
    expect(run.stderr).toMatch(/retag refused broken-1\.0-cp313-cp313-macosx_11_0_arm64\.whl \(exit 1\)/);
  });

  it.each([
    ["no npx or node on PATH", "npx-that-is-not-installed --yes wheel-retag"],
    ["a command that cannot be run", "/dev/null"],
  ])("says what is missing, not a traceback of FileNotFoundError, when retag cannot run (%s)", (_label, command) => {
    const { run } = build(makeProject(), exampleWheel("arm64only"), { RETAG_COMMAND: command });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/retag_backend: cannot run `[^`]+` \(.*\) to fix the platform tag of arm64only-1\.0-cp313-cp313-macosx_10_9_universal2\.whl: building a macOS or iOS wheel with this backend needs Node\.js >= 20\.19 on PATH/);
    expect(run.stderr).not.toMatch(/FileNotFoundError|PermissionError/);
  });

  it("returns a non-Apple wheel untouched without running retag (a Linux build needs no Node)", async () => {
    const linux = await writeWheel("plain-1.0-cp313-cp313-manylinux_2_17_x86_64.whl", { "plain/__init__.py": "" });
    // `false` as the retag command: had the wrapper run it, the build would fail.
    const { run, out, wheelDir } = build(makeProject(), linux, { RETAG_COMMAND: "false" });
    expect(run.status, run.stderr).toBe(0);
    expect(out?.wheel).toBe("plain-1.0-cp313-cp313-manylinux_2_17_x86_64.whl");
    expect(readFileSync(join(wheelDir, out?.wheel ?? ""))).toEqual(readFileSync(linux));
  });

  it.skipIf(!hasPip)(`works under pip wheel, a real frontend${skipNote(hasPip, "pip")}`, () => {
    const project = makeProject();
    const out = tempDir("pip-out");
    const run = spawnSync(
      "python3",
      ["-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--disable-pip-version-check", "-w", out, project.dir],
      {
        cwd: project.dir,
        env: recipeEnv(null, { STAND_IN_WHEEL: exampleWheel("arm64only"), RETAG_COMMAND: `node ${retagBin}`, PYTHONDONTWRITEBYTECODE: "1" }),
        encoding: "utf8",
      },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(wheelsIn(out)).toEqual(["arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl"]);
  }, 60_000);
});
