// Shared by the recipe tests: where things are, stand-ins (pipx, uvx, npx) that run this checkout's CLI, and a
// way to run a recipe's shell text exactly as written.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const retagBin = join(repoRoot, "bin", "retag.js");
export const exampleWheels = join(repoRoot, "examples", "wheels");

/** The bundled example wheels (built by test/examples.test.ts), by the name before the first dash. */
export function exampleWheel(project: "arm64only" | "correct" | "emptyslice"): string {
  const name = readdirSync(exampleWheels).find((n) => n.startsWith(`${project}-`) && n.endsWith(".whl"));
  if (name === undefined) throw new Error(`no ${project}-*.whl in ${exampleWheels}`);
  return join(exampleWheels, name);
}

/** The recipes run the built CLI (bin/retag.js imports the bundle, dist-bundle/); `npm ci` builds it through `prepare`. */
export function requireBuild(): void {
  for (const built of [join("dist", "index.js"), join("dist-bundle", "cli.js")]) {
    if (!existsSync(join(repoRoot, built))) {
      throw new Error(`${built} is not built: run \`npm run build\` (npm ci does it through \`prepare\`)`);
    }
  }
}

export const hasCommand = (name: string): boolean => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;

const madeDirs: string[] = [];

export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `retag-recipe-${label}-`));
  madeDirs.push(dir);
  return dir;
}

/** For afterAll: removes every folder tempDir made in this test file. */
export function removeTempDirs(): void {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A folder of stand-ins to put first on PATH, each running `node bin/retag.js …` from this checkout
 * instead of fetching a published package, so that a recipe's own text is what runs:
 * - `pipx run wheel-retag …` (also `pipx run --spec 'wheel-retag[node]' wheel-retag …`),
 * - `uvx wheel-retag …` (also `uvx --from 'wheel-retag[node]' wheel-retag …`),
 * - `wheel-retag …`, the console script (cibuildwheel's audit step installs it into a venv),
 * - `npx --yes wheel-retag …` (a version pin `wheel-retag@…` too), for the PEP 517 wrapper's default.
 * Any other use of pipx, uvx or npx fails loudly (exit 97).
 */
export function fakeBin(extra: { [name: string]: string } = {}): string {
  const dir = tempDir("bin");
  const retag = `exec node ${shellQuote(retagBin)} "$@"`;
  const refuse = (tool: string) => `echo "stand-in ${tool}: unexpected arguments: $*" >&2\nexit 97\n`;
  // The package spellings accepted as "wheel-retag": a bare name, a pin, the [node] extra.
  const isRetag = (word: string) => `case "${word}" in wheel-retag | wheel-retag==* | wheel-retag@* | "wheel-retag[node]"*) true ;; *) false ;; esac`;
  const pipx = `#!/bin/sh
if [ "$1" = run ] && [ "$2" = --spec ] && ${isRetag("$3")} && [ "$4" = wheel-retag ]; then shift 4; ${retag}; fi
if [ "$1" = run ] && ${isRetag("$2")}; then shift 2; ${retag}; fi
${refuse("pipx")}`;
  const uvx = `#!/bin/sh
if [ "$1" = --from ] && ${isRetag("$2")} && [ "$3" = wheel-retag ]; then shift 3; ${retag}; fi
if ${isRetag("$1")}; then shift; ${retag}; fi
${refuse("uvx")}`;
  const npx = `#!/bin/sh
if [ "$1" = "--yes" ] && { [ "$2" = "wheel-retag" ] || [ "\${2%%@*}" = "wheel-retag" ]; }; then
  shift 2
  ${retag}
fi
${refuse("npx")}`;
  const wheelRetag = `#!/bin/sh\n${retag}\n`;
  for (const [name, text] of Object.entries({ pipx, uvx, npx, "wheel-retag": wheelRetag, ...extra })) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/** The environment a recipe runs in: the stand-ins (if any) first on PATH, no deployment target leaking in. */
export function recipeEnv(binDir: string | null, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const path = binDir === null ? (process.env.PATH ?? "") : `${binDir}${delimiter}${process.env.PATH ?? ""}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path, ...extra };
  delete env.MACOSX_DEPLOYMENT_TARGET;
  return env;
}

/** Runs shell text with /bin/sh -c, as cibuildwheel and GitHub's `run:` (bash) do. */
export function sh(command: string, options: { cwd: string; env: NodeJS.ProcessEnv; shell?: string }): SpawnSyncReturns<string> {
  return spawnSync(options.shell ?? "/bin/sh", ["-c", command], { cwd: options.cwd, env: options.env, encoding: "utf8" });
}

/** Copies the named example wheels into `dir` (created), returning their new paths. */
export function copyExamples(dir: string, projects: Array<"arm64only" | "correct" | "emptyslice">): string[] {
  mkdirSync(dir, { recursive: true });
  return projects.map((p) => {
    const source = exampleWheel(p);
    const target = join(dir, source.slice(source.lastIndexOf("/") + 1));
    copyFileSync(source, target);
    return target;
  });
}

export function wheelsIn(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith(".whl")).sort();
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
