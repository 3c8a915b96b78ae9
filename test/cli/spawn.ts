// The real CLI, as a user runs it: `node bin/retag.js …` in a child process (issue 10 asks every
// user-facing behaviour to be tested this way). bin/ imports dist/, so the build must be current.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const bin = join(repoRoot, "bin", "retag.js");

function newest(dir: string): number {
  let latest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    latest = Math.max(latest, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

/** Fails loudly when dist/ is missing or older than src/ (a spawned test would run old code). */
export function requireFreshBuild(): void {
  const built = join(repoRoot, "dist", "cli", "main.js");
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error("dist/ is not built: run `npm run build` (npm ci does it through `prepare`)");
  }
  if (newest(join(repoRoot, "src")) > builtAt + 1000) throw new Error("dist/ is older than src/: run `npm run build`");
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a run: no deployment target or GitHub variables leaking in from the machine. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra };
  return env;
}

export function retag(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; node?: string[] } = {}): Run {
  const r = spawnSync(process.execPath, [...(options.node ?? []), bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cleanEnv(options.env),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking this process (for races and for watching the file system meanwhile). */
export function retagAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env: cleanEnv(options.env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A shell command line (bash), for pipes: `retag … | head -1`. */
export function bash(script: string, cwd: string): Run {
  const r = spawnSync("bash", ["-c", script], { cwd, env: cleanEnv({ RETAG: `${process.execPath} ${bin}` }), encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `retag-${label}-`));
}

export async function putWheel(dir: string, spec: WheelSpec, name = spec.filename): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, (await makeWheel(spec)).bytes);
  return path;
}

export const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Every file of a folder with its hash: "nothing was written" is this staying equal. */
export function snapshot(dir: string): { [name: string]: string } {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, statSync(join(dir, n)).isFile() ? sha(join(dir, n)) : "dir"]));
}

/** Wheels used across the CLI tests. */
export const WRONG: WheelSpec = {
  filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  members: { "pkg/__init__.py": "", "pkg/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } },
};
export const WRONG_FIXED = "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl";
export const RIGHT: WheelSpec = {
  filename: "ok-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  members: { "ok/_m.cpython-313-darwin.so": { fixture: "ext_universal2.so" } },
};
/** An error fix mode cannot repair: an extension that exports no PyInit in any slice (R102). */
export const BROKEN: WheelSpec = {
  filename: "broken-1.0-cp313-cp313-macosx_11_0_arm64.whl",
  members: { "broken/_m.cpython-313-darwin.so": { fixture: "noinit_arm64.so" } },
};
