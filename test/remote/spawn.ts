// The real CLI, as users run it: `node bin/retag.js` over dist/. Spawned asynchronously, so a test's
// own HTTP server keeps answering while the CLI reads from it.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "retag.js");

/** The newest mtime of the files under `dir` ending in `ext`. */
function newest(dir: string, ext: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(ext)) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Fails when dist/ is missing or older than src/ (the spawned CLI would run stale code). */
export function requireBuiltCli(): void {
  let built = 0;
  try {
    built = newest(join(ROOT, "dist"), ".js");
  } catch {
    // no dist/ at all
  }
  if (built === 0 || newest(join(ROOT, "src"), ".ts") > built) {
    throw new Error("dist/ is missing or older than src/: run `npm run build` before these tests (they run bin/retag.js)");
  }
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function retag(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CI: "true", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
