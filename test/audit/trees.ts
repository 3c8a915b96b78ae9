// Cache and environment trees laid out the way pip and uv lay them out (DESIGN §9.2 says which
// versions), holding the example wheels of examples/wheels/ packed and unpacked:
// - arm64only: tagged macosx_10_9_universal2, its extension is arm64 only (the seed's case);
// - emptyslice: tagged universal2, a fat extension whose x86_64 slice lacks PyInit (python-ldap);
// - correct: a real universal2 wheel.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { openZip } from "../../src/zip/index.js";
import { memorySource } from "../../src/zip/index.js";
import { nodeCodecs, readMemberBytes } from "../helpers/core.js";
import { sha256Field } from "../helpers/make-wheel.js";

const examples = fileURLToPath(new URL("../../examples/wheels/", import.meta.url));

export const WHEELS = {
  arm64only: "arm64only-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  emptyslice: "emptyslice-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  correct: "correct-1.0-cp313-cp313-macosx_10_9_universal2.whl",
} as const;
export type Example = keyof typeof WHEELS;

export function exampleBytes(name: Example): Uint8Array {
  return new Uint8Array(readFileSync(join(examples, WHEELS[name])));
}

/** The members of an example wheel, as an installer extracts them. */
export async function members(name: Example): Promise<Map<string, Uint8Array>> {
  const archive = await openZip(memorySource(exampleBytes(name)));
  const out = new Map<string, Uint8Array>();
  for (const m of archive.members) if (!m.isDirectory) out.set(m.name, await readMemberBytes(archive, m));
  return out;
}

export function put(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** An example wheel unpacked into `folder`, as uv's archive-v0 entries are. */
export async function unpack(name: Example, folder: string): Promise<void> {
  for (const [path, data] of await members(name)) put(join(folder, path), data);
}

/** The dist-info folder of an example. */
export function distInfoOf(name: Example): string {
  return `${name}-1.0.dist-info`;
}

const csv = (rows: string[][]): string => rows.map((r) => r.join(",") + "\n").join("");

/**
 * An example installed into `sitePackages` as pip writes it: the wheel's files, a console script in
 * ../../../bin (RECORD path relative to site-packages), a compiled .pyc with an empty hash, INSTALLER
 * and REQUESTED, and RECORD listing them all ("Recording installed projects").
 */
export async function install(name: Example, sitePackages: string, extraRows: string[][] = []): Promise<void> {
  const files = await members(name);
  const distInfo = distInfoOf(name);
  const rows: string[][] = [];
  for (const [path, data] of files) {
    if (path === `${distInfo}/RECORD`) continue;
    put(join(sitePackages, path), data);
    rows.push([path, sha256Field(data), String(data.length)]);
  }
  const script = new TextEncoder().encode(`#!/venv/bin/python\nimport ${name}\n`);
  put(join(sitePackages, "..", "..", "..", "bin", `${name}-tool`), script);
  rows.push([`../../../bin/${name}-tool`, sha256Field(script), String(script.length)]);
  put(join(sitePackages, name, "__pycache__", "__init__.cpython-313.pyc"), "compiled");
  rows.push([`${name}/__pycache__/__init__.cpython-313.pyc`, "", ""]);
  for (const [file, text] of [["INSTALLER", "pip\n"], ["REQUESTED", ""]] as const) {
    put(join(sitePackages, distInfo, file), text);
    rows.push([`${distInfo}/${file}`, sha256Field(new TextEncoder().encode(text)), String(text.length)]);
  }
  rows.push(...extraRows, [`${distInfo}/RECORD`, "", ""]);
  put(join(sitePackages, distInfo, "RECORD"), csv(rows));
}

const made: string[] = [];

/** A fresh temporary folder, removed by removeTemporaries(). */
export function temporary(prefix = "retag-audit-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder temporary() and buildTrees() made (call from afterAll). */
export function removeTemporaries(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** sha224 hex of a text, as pip names its cache entries. */
const sha224 = (text: string): string => createHash("sha224").update(text).digest("hex");

export interface Trees {
  root: string;
  uv: string;
  pip: string;
  venv: string;
  sitePackages: string;
  /** Paths of interest inside the trees. */
  at: {
    uvArchive: { [K in Example]: string };
    uvBuiltWheel: string;
    uvLink: string;
    pipWheel: string;
    pipBody: string;
    pipIndexBody: string;
  };
}

/**
 * Builds, under a fresh temporary folder:
 * - `uv/` a uv cache (uv 0.9: CACHEDIR.TAG, wheels-v6/ pointers, archive-v0/<id>/ unpacked wheels,
 *   sdists-v9/ a built wheel and its link into archive-v0, and buckets audit must not walk);
 * - `pip/` a pip cache (pip 25: wheels/xx/xx/xx/<sha224[6:]>/ built wheels, http-v2/ bodies, the
 *   pre-23.3 http/ folder);
 * - `venv/` a virtual environment with the three installed.
 */
export async function buildTrees(): Promise<Trees> {
  const root = temporary();
  const uv = join(root, "uv");
  const pip = join(root, "pip");
  const venv = join(root, "venv");

  // uv: CacheBucket::to_str (crates/uv-cache/src/lib.rs) and the archive ids of ArchiveId (nanoid).
  put(join(uv, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
  put(join(uv, ".gitignore"), "*");
  const ids: { [K in Example]: string } = { emptyslice: "0gH-_fwv8tdJ7JwwjJsUc", correct: "APYY01rbIfpAo_ij9sCY6", arm64only: "x2BqY4mN7vL0pQ9rS3tUw" };
  const uvArchive = { emptyslice: "", correct: "", arm64only: "" } as { [K in Example]: string };
  for (const name of Object.keys(ids) as Example[]) {
    uvArchive[name] = join(uv, "archive-v0", ids[name]);
    await unpack(name, uvArchive[name]);
  }
  for (const name of ["emptyslice", "correct"] as const) {
    // The wheel pointer: msgpack naming the archive id (opaque to audit).
    put(join(uv, "wheels-v6", "pypi", name, `${WHEELS[name].replace(/\.whl$/, "")}.http`), `\x82\xa2id\xb5${ids[name]}`);
  }
  const revision = join(uv, "sdists-v9", "pypi", "arm64only", "1.0", "Xrev9Zq1");
  const uvBuiltWheel = join(revision, WHEELS.arm64only);
  put(uvBuiltWheel, exampleBytes("arm64only"));
  put(join(revision, "metadata.msgpack"), "\x80");
  const uvLink = join(revision, WHEELS.arm64only.replace(/\.whl$/, ""));
  symlinkSync(relative(revision, uvArchive.arm64only), uvLink);
  // Buckets that hold no wheel: never walked (a wheel here would be counted if they were).
  put(join(uv, "simple-v24", "pypi", "emptyslice.rkyv"), "index");
  put(join(uv, "environments-v2", "tool-abc", WHEELS.emptyslice), exampleBytes("emptyslice"));

  // pip: wheels/ (pip's cache.py _get_cache_path_parts: sha224, split 2/2/2/rest) and http-v2/
  // (network/cache.py: five one-character levels, then the sha224; the body beside it as .body).
  const wheelKey = sha224("https://files.example/arm64only-1.0.tar.gz");
  const wheelDir = join(pip, "wheels", wheelKey.slice(0, 2), wheelKey.slice(2, 4), wheelKey.slice(4, 6), wheelKey.slice(6));
  const pipWheel = join(wheelDir, WHEELS.arm64only);
  put(pipWheel, exampleBytes("arm64only"));
  put(join(wheelDir, "origin.json"), "{}");
  const bodyKey = sha224("https://files.pythonhosted.org/packages/emptyslice.whl");
  const bodyDir = join(pip, "http-v2", ...bodyKey.slice(0, 5).split(""));
  put(join(bodyDir, bodyKey), "cc=4,metadata");
  const pipBody = join(bodyDir, `${bodyKey}.body`);
  put(pipBody, exampleBytes("emptyslice"));
  const indexKey = sha224("https://pypi.org/simple/emptyslice/");
  const indexDir = join(pip, "http-v2", ...indexKey.slice(0, 5).split(""));
  put(join(indexDir, indexKey), "cc=4,metadata");
  const pipIndexBody = join(indexDir, `${indexKey}.body`);
  put(pipIndexBody, "<html>emptyslice</html>");
  put(join(pip, "http", "a", "b", "c", "d", "e", sha224("old")), "cc=4,old format with the body inside");
  put(join(pip, "selfcheck", "abc.json"), "{}");

  // A virtual environment: pyvenv.cfg, bin/python pointing out of it, lib64 -> lib, the three installed.
  const sitePackages = join(venv, "lib", "python3.13", "site-packages");
  put(join(venv, "pyvenv.cfg"), "home = /usr/bin\nversion = 3.13.1\n");
  mkdirSync(join(venv, "bin"), { recursive: true });
  symlinkSync("/usr/bin/python3", join(venv, "bin", "python"));
  symlinkSync("lib", join(venv, "lib64"));
  for (const name of Object.keys(WHEELS) as Example[]) await install(name, sitePackages);

  return { root, uv, pip, venv, sitePackages, at: { uvArchive, uvBuiltWheel, uvLink, pipWheel, pipBody, pipIndexBody } };
}

/** Every entry under `root` (not following symlinks): type, size, mode, mtime, content hash or link target. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (path: string): void => {
    const info = lstatSync(path);
    const key = relative(root, path) || ".";
    if (info.isSymbolicLink()) out.set(key, `link ${readlinkSync(path)}`);
    else if (info.isDirectory()) {
      out.set(key, `dir ${info.mode.toString(8)} ${info.mtimeMs}`);
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (info.isFile()) out.set(key, `file ${info.mode.toString(8)} ${info.size} ${info.mtimeMs} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
    else out.set(key, `other ${info.mode.toString(8)} ${info.mtimeMs}`);
  };
  visit(root);
  return out;
}

/** A FIFO at `path` (reading one blocks until a writer comes: a walker that opened it would hang). */
export function fifo(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync("mkfifo", [path]);
}

export { nodeCodecs };
