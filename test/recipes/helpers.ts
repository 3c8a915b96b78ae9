// Shared by the recipe tests: where things are, a stand-in `npx` that runs this checkout's CLI, and a
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
 * A folder with a stand-in `npx` to put first on PATH. The recipes say `npx --yes wheel-retag …`;
 * the stand-in accepts exactly that form (a version pin `wheel-retag@…` too) and runs
 * `node bin/retag.js …` from this checkout instead of downloading the published package, so the
 * recipe's own text is what runs. Any other use of npx fails loudly (exit 97).
 */
export function fakeBin(extra: { [name: string]: string } = {}): string {
  const dir = tempDir("bin");
  const npx = `#!/bin/sh
if [ "$1" = "--yes" ] && { [ "$2" = "wheel-retag" ] || [ "\${2%%@*}" = "wheel-retag" ]; }; then
  shift 2
  exec node ${shellQuote(retagBin)} "$@"
fi
echo "stand-in npx: unexpected arguments: $*" >&2
exit 97
`;
  for (const [name, text] of Object.entries({ npx, ...extra })) {
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
