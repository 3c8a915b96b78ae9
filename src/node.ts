// File-system glue: expanding inputs, reading files, writing results atomically. The only module
// besides src/cli/ that touches the disk.
import { randomBytes } from "node:crypto";
import { constants as fsConstants, readdirSync, unlinkSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import fg from "fast-glob";
import { RetagError } from "./errors.js";

/** One input after expansion: a file to process, or why the argument gave none. */
export type Input = { path: string; error?: undefined } | { path: string; error: string };

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Expands the command line's paths: a directory means every `*.whl` in it, a pattern is expanded by
 * fast-glob (so quoted globs and Windows shells work, DESIGN §2), a plain path is taken as is.
 */
export async function expandInputs(args: readonly string[], options: { directoryGlob: string } = { directoryGlob: "*.whl" }): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      const names = (await readdir(arg)).filter((n) => n.endsWith(".whl")).sort();
      if (names.length === 0) inputs.push({ path: arg, error: `no ${options.directoryGlob} file in the directory ${arg}` });
      for (const n of names) inputs.push({ path: join(arg, n) });
    } else if (info !== null) {
      inputs.push({ path: arg });
    } else if (GLOB_CHARS.test(arg)) {
      const matches = (await fg(arg.replace(/\\/g, "/"), { onlyFiles: true, dot: false })).sort();
      if (matches.length === 0) inputs.push({ path: arg, error: `no file matches ${arg}` });
      for (const m of matches) inputs.push({ path: m });
    } else {
      inputs.push({ path: arg, error: `${arg}: no such file` });
    }
  }
  return inputs;
}

/** Reads a file to process, refusing what is not a regular file (a directory, a FIFO that would block). */
export async function readInput(path: string): Promise<Uint8Array> {
  return (await readInputWithIdentity(path)).bytes;
}

/** What a file was when it was read: if any of this changed, someone replaced or rewrote it since. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export async function readInputWithIdentity(path: string): Promise<{ bytes: Uint8Array; identity: FileIdentity }> {
  const info = await stat(path);
  if (!info.isFile()) throw new RetagError(info.isDirectory() ? "is a directory" : "is not a regular file (a FIFO, socket or device)");
  const data = await readFile(path);
  const identity = { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
  if (data.byteLength !== info.size) throw new RetagError("changed while it was being read");
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), identity };
}

/** True when `path` is still the file that was read (same inode, size and modification time). */
export async function isUnchanged(path: string, identity: FileIdentity): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && info.dev === identity.dev && info.ino === identity.ino && info.size === identity.size && info.mtimeMs === identity.mtimeMs;
}

/** Temporary files carry this prefix so a later run can recognise (and remove) what a killed run left. */
export const TEMP_PREFIX = ".retag-tmp-";

/**
 * Writes `chunks` to `target` atomically: a temporary file in the same folder, flushed, then renamed
 * into place. Without `force`, an existing file at `target` is never replaced. On any failure the
 * temporary file is removed and the error rethrown; `target` is then untouched.
 */
export async function writeAtomically(target: string, chunks: readonly Uint8Array[], options: { force: boolean }): Promise<void> {
  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}-${basename(target)}`);
  activeTemporaries.add(temp);
  try {
    const handle = await open(temp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644);
    try {
      for (const chunk of chunks) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!options.force && (await stat(target).catch(() => null)) !== null) {
      throw new Error(`${target} already exists (use --force to replace it)`);
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    activeTemporaries.delete(temp);
  }
}

/** Temporaries being written right now, removed by the CLI's signal handler on SIGINT / SIGTERM. */
export const activeTemporaries = new Set<string>();

export async function removeFile(path: string): Promise<void> {
  await unlink(path);
}

export async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return sa !== null && sb !== null && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Removes temporaries a killed run left in `dir`: files named like ours whose process is gone.
 * A live process's temporaries (another retag writing into the same folder) are left alone.
 */
export async function removeStaleTemporaries(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = new RegExp(`^${TEMP_PREFIX.replace(/\./g, "\\.")}(\\d+)-`).exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    if (pid === process.pid && activeTemporaries.has(join(dir, name))) continue;
    await unlink(join(dir, name)).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Folders this process writes wheels into (fix mode), for the signal handler. */
export const outputFolders = new Set<string>();

/**
 * On SIGINT / SIGTERM: remove the temporaries being written, synchronously, before the process ends:
 * the ones this thread knows, and any of this process's in the output folders (written by workers).
 */
export function removeActiveTemporariesSync(): void {
  const own = `${TEMP_PREFIX}${process.pid}-`;
  for (const folder of outputFolders) {
    let names: string[] = [];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const n of names) if (n.startsWith(own)) activeTemporaries.add(join(folder, n));
  }
  for (const temp of activeTemporaries) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed into place or removed
    }
  }
  activeTemporaries.clear();
}
