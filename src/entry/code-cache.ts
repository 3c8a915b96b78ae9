// Start-up on a Node without a compile cache (Node < 22.1 has no `module.enableCompileCache`; Node 20
// is in the engines range): the launcher (launch.ts) runs dist-bundle/cli.cjs, the CLI as one classic
// script, through `vm.Script` with the V8 code cache of an earlier run, so V8 deserialises the
// compiled code instead of parsing and compiling the bundle at every start (issue 13: compiling it
// was ~12 ms of a ~60 ms small check). The cache is made after the first run, once the functions that
// run used are compiled (`script.createCachedData()` includes lazily compiled functions), and kept in
// the user's cache folder. V8 checks a cache against its own version, flags and the source's length
// before it uses one (`cachedDataRejected`); the file name adds the bundle's content hash, Node's
// version and the arch, so a cache is never used for other code. Any failure to read or write the
// cache is silent: the CLI then compiles as it would without one. NODE_DISABLE_COMPILE_CACHE (Node's
// own switch for its compile cache) turns it off.
//
// This file is bundled into dist-bundle/retag.cjs, which must stay small and must not load node:fs
// through an ES import (a facade that runs fs's lazy getters, ~10 ms; scripts/build-bundle.mjs): Node's
// built-ins come through the `require` the launcher passes.

/** The Node built-ins this file uses, passed in by the launcher (a `require` of its own). */
export type NodeRequire = (id: string) => unknown;

type Fs = typeof import("node:fs");
type Path = typeof import("node:path");
type Vm = typeof import("node:vm");

/** The CLI script's exports (src/entry/cli-script.ts). */
interface CliScript {
  run(argv: string[]): Promise<number>;
}

/**
 * The folder retag keeps its code cache in, or undefined when it has none: the platform's per-user
 * cache folder (`$XDG_CACHE_HOME` or ~/.cache, ~/Library/Caches on macOS, %LOCALAPPDATA% on
 * Windows) + wheel-retag. Never a shared folder such as the system temp dir: a code cache is code,
 * and a file another user could write there would run as this user.
 */
export function codeCacheFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string, path: Path): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE !== undefined && env.NODE_DISABLE_COMPILE_CACHE !== "") return undefined;
  const absolute = (p: string | undefined): p is string => p !== undefined && path.isAbsolute(p);
  let base: string | undefined;
  if (platform === "win32") base = absolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : undefined;
  else if (absolute(env.XDG_CACHE_HOME)) base = env.XDG_CACHE_HOME;
  else if (absolute(home)) base = platform === "darwin" ? path.join(home, "Library", "Caches") : path.join(home, ".cache");
  return base === undefined ? undefined : path.join(base, "wheel-retag");
}

/** The cache file for this bundle on this Node: another bundle, Node release or arch has its own. */
export function codeCacheName(bundleHash: string, nodeVersion: string, arch: string): string {
  return `cli-${bundleHash}-node${nodeVersion}-${arch}.v8`;
}

/**
 * On POSIX, a folder retag may trust: a real folder (not a link) of this user that nobody else can
 * write to, as ssh and git do for their own files. Windows keeps %LOCALAPPDATA% per user.
 */
function trusted(fs: Fs, folder: string): boolean {
  if (process.platform === "win32" || typeof process.getuid !== "function") return true;
  const stat = fs.lstatSync(folder);
  return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The cached code, or undefined (none yet, unreadable, or in an untrusted folder). */
function readCache(fs: Fs, folder: string, file: string): Buffer | undefined {
  try {
    return trusted(fs, folder) ? fs.readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache atomically (a temporary file renamed over it: two retags starting at once each
 * write a whole file, and a reader sees one or the other) and removes the caches of other bundles
 * (an older retag's), so the folder holds one file per Node release in use.
 */
function writeCache(fs: Fs, path: Path, folder: string, name: string, data: Buffer, bundleHash: string): void {
  const file = path.join(folder, name);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!trusted(fs, folder)) return;
    fs.writeFileSync(temporary, data, { mode: 0o600, flag: "wx" });
    fs.renameSync(temporary, file);
    for (const other of fs.readdirSync(folder)) {
      if (other.startsWith("cli-") && other.endsWith(".v8") && !other.startsWith(`cli-${bundleHash}-`)) fs.rmSync(path.join(folder, other), { force: true });
    }
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // nothing to remove
    }
  }
}

/** What the launcher knows about the bundle it starts. */
export interface ScriptBundle {
  /** The folder of dist-bundle/ (retag.cjs, cli.cjs, cli.js, worker.js). */
  folder: string;
  /** The first 16 hex digits of cli.cjs's sha256, written into the launcher at build time. */
  hash: string;
}

// The CommonJS wrapper Node itself puts around a module, plus the URL that stands for `import.meta.url`
// in the script (scripts/build-bundle.mjs defines it as __retagUrl). One line, so line numbers in a
// stack trace (RETAG_DEBUG) are the file's.
const WRAP_START = "(function (exports, require, module, __retagUrl) {";
const WRAP_END = "\n})";

/**
 * Runs the CLI script with the code cache and resolves to its exit code; writes the cache after the
 * run when there was none or V8 rejected it.
 */
export async function runWithCodeCache(require: NodeRequire, bundle: ScriptBundle, argv: string[]): Promise<number> {
  const fs = require("node:fs") as Fs;
  const path = require("node:path") as Path;
  const vm = require("node:vm") as Vm;
  const { pathToFileURL } = require("node:url") as typeof import("node:url");
  const os = require("node:os") as typeof import("node:os");
  const scriptFile = path.join(bundle.folder, "cli.cjs");
  const folder = codeCacheFolder(process.env, process.platform, os.homedir(), path);
  const name = codeCacheName(bundle.hash, process.versions.node, process.arch);
  const cachedData = folder === undefined ? undefined : readCache(fs, folder, path.join(folder, name));
  // latin1: the build makes cli.cjs pure ASCII (scripts/build-bundle.mjs fails otherwise), which
  // latin1 decodes to the same text without UTF-8's validation: ~3 ms against ~5.5 ms for 440 KB.
  const script = new vm.Script(WRAP_START + fs.readFileSync(scriptFile, "latin1") + WRAP_END, {
    filename: scriptFile,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const wrapper = script.runInThisContext() as (exports: object, require: NodeRequire, module: { exports: object }, url: string) => void;
  const module = { exports: {} };
  // import.meta.url of the ES module bundle beside it: what the CLI resolves ./worker.js against.
  wrapper.call(module.exports, module.exports, require, module, pathToFileURL(path.join(bundle.folder, "cli.js")).href);
  const code = await (module.exports as CliScript).run(argv);
  if (folder !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    writeCache(fs, path, folder, name, script.createCachedData(), bundle.hash);
  }
  return code;
}
