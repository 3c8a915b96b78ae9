// Where `retag audit` looks when given no path (DESIGN §9.2): the current environment's site-packages,
// and pip's and uv's cache folders where they exist. Each location says why it was chosen.
//
// - Environment: $VIRTUAL_ENV when set (an activated virtual environment: its lib/python3.*/site-packages,
//   or Lib/site-packages on Windows); otherwise whatever `python3` on PATH reports as sysconfig's
//   purelib and platlib (they differ on some Linux distributions: lib vs lib64).
// - pip: $PIP_CACHE_DIR, else platformdirs' user cache dir as pip uses it: ~/Library/Caches/pip on
//   macOS, %LOCALAPPDATA%\pip\Cache on Windows, $XDG_CACHE_HOME/pip (default ~/.cache/pip) elsewhere.
// - uv: $UV_CACHE_DIR, else $XDG_CACHE_HOME/uv (default ~/.cache/uv) on macOS and Linux alike, and
//   %LOCALAPPDATA%\uv\cache on Windows (`uv cache dir`, uv's docs "Caching: cache directory").
// A cache-dir set in pip.conf or uv.toml is not read: pass the folder instead.
import { promises as fs } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { DefaultCaches } from "../flow/remedy.js";
import { runCommand, type RunCommand } from "./host.js";

export interface Location {
  path: string;
  why: string;
}

export interface LocationFacts {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  run: RunCommand;
  exists(path: string): Promise<boolean>;
  list(path: string): Promise<string[]>;
}

const isFolder = async (path: string): Promise<boolean> => (await fs.stat(path).catch(() => null))?.isDirectory() ?? false;

export const nodeLocationFacts = (env: NodeJS.ProcessEnv): LocationFacts => ({
  env,
  platform: process.platform,
  home: homedir(),
  run: runCommand,
  exists: isFolder,
  list: (path) => fs.readdir(path).catch(() => []),
});

/** The cache folders pip and uv use by default on this machine (whether or not they exist). */
export function defaultCaches(facts: Pick<LocationFacts, "env" | "platform" | "home">): DefaultCaches {
  const { env, platform, home } = facts;
  const xdg = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== "" ? env.XDG_CACHE_HOME : join(home, ".cache");
  const local = env.LOCALAPPDATA ?? join(home, "AppData", "Local");
  const pip = env.PIP_CACHE_DIR || (platform === "darwin" ? join(home, "Library", "Caches", "pip") : platform === "win32" ? join(local, "pip", "Cache") : join(xdg, "pip"));
  const uv = env.UV_CACHE_DIR || (platform === "win32" ? join(local, "uv", "cache") : join(xdg, "uv"));
  return { pip, uv };
}

/** The site-packages folders of the current environment. */
async function environment(facts: LocationFacts): Promise<Location[]> {
  const venv = facts.env.VIRTUAL_ENV;
  if (venv !== undefined && venv !== "") {
    const found: Location[] = [];
    const windows = join(venv, "Lib", "site-packages");
    if (facts.platform === "win32" && (await facts.exists(windows))) found.push({ path: windows, why: "$VIRTUAL_ENV" });
    for (const lib of ["lib", "lib64"]) {
      for (const name of (await facts.list(join(venv, lib))).filter((n) => /^python3[.\d]*t?$/.test(n)).sort()) {
        const path = join(venv, lib, name, "site-packages");
        if ((await facts.exists(path)) && !found.some((f) => f.path === path)) found.push({ path, why: "$VIRTUAL_ENV" });
      }
    }
    return found;
  }
  const python = facts.platform === "win32" ? "python" : "python3";
  // A version manager's shim (pyenv) can take seconds to start the interpreter.
  const text = await facts.run(python, ["-c", 'import json, sysconfig; p = sysconfig.get_paths(); print(json.dumps([p["purelib"], p["platlib"]]))'], 15_000);
  if (text === null) return [];
  let paths: unknown;
  try {
    paths = JSON.parse(text);
  } catch {
    return [];
  }
  const found: Location[] = [];
  for (const path of Array.isArray(paths) ? paths : []) {
    if (typeof path === "string" && !found.some((f) => f.path === path) && (await facts.exists(path))) found.push({ path, why: `${python}'s sysconfig` });
  }
  return found;
}

/** Every default location that exists: the environment first, then pip's cache, then uv's. */
export async function defaultLocations(facts: LocationFacts): Promise<Location[]> {
  const caches = defaultCaches(facts);
  const found = await environment(facts);
  const pipWhy = facts.env.PIP_CACHE_DIR ? "$PIP_CACHE_DIR" : "pip's cache folder";
  const uvWhy = facts.env.UV_CACHE_DIR ? "$UV_CACHE_DIR" : "uv's cache folder";
  if (caches.pip !== null && (await facts.exists(caches.pip))) found.push({ path: caches.pip, why: pipWhy });
  if (caches.uv !== null && (await facts.exists(caches.uv))) found.push({ path: caches.uv, why: uvWhy });
  return found;
}
