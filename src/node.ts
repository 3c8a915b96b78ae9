// File-system glue: expanding inputs, reading files, writing results atomically. The only module
// besides src/cli/ that touches the disk.
import { randomBytes } from "node:crypto";
import { closeSync, constants as fsConstants, fstatSync, openSync, readdirSync, readSync, statSync, unlinkSync } from "node:fs";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { RetagError } from "./model/errors.js";
import type { ByteSource } from "./model/zip.js";

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
      // Loaded only for a pattern: fast-glob costs ~35 ms of start-up that plain paths (the shell's
      // own expansion, the common case) never need.
      const { default: fg } = await import("fast-glob");
      const matches = (await fg(arg.replace(/\\/g, "/"), { onlyFiles: true, dot: false })).sort();
      if (matches.length === 0) inputs.push({ path: arg, error: `no file matches ${arg}` });
      for (const m of matches) inputs.push({ path: m });
    } else {
      inputs.push({ path: arg, error: `${arg}: no such file` });
    }
  }
  return inputs;
}

/** What a file was when it was opened: if any of this changed, someone replaced or rewrote it since. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** The message of every error that says an input changed under retag while it was read. */
export const CHANGED_WHILE_READ = "changed while it was being read";

/**
 * A wheel opened for reading by ranges: the zip layer reads the records and members it needs, so a
 * check holds one member at a time instead of the whole wheel (DESIGN §7). Reads never go past the
 * size the file had when opened; a file that became shorter fails them with a RetagError.
 */
export interface InputFile extends ByteSource {
  path: string;
  identity: FileIdentity;
  /** True when the open file still has the size and modification time it had when opened. */
  isUnchanged(): boolean;
  /** Closes the file; later reads fail. Closing twice is harmless. */
  close(): void;
}

/** The most one read(2) call is asked for (Node refuses lengths from 2 GiB on). */
const MAX_READ_CALL = 2 ** 30;

/** Opens a file to process, refusing what is not a regular file (a directory, a FIFO that would block). */
export function openInput(path: string): InputFile {
  const info = statSync(path);
  if (!info.isFile()) throw new RetagError(info.isDirectory() ? "is a directory" : "is not a regular file (a FIFO, socket or device)");
  const fd = openSync(path, "r");
  let identity: FileIdentity;
  try {
    const opened = fstatSync(fd);
    // Replaced between the stat and the open: what was checked to be a regular file is not what is open.
    if (!opened.isFile() || opened.dev !== info.dev || opened.ino !== info.ino) throw new RetagError(CHANGED_WHILE_READ);
    identity = { dev: opened.dev, ino: opened.ino, size: opened.size, mtimeMs: opened.mtimeMs };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let open = true;
  return {
    path,
    identity,
    size: identity.size,
    read(offset: number, length: number): Uint8Array {
      if (!open) throw new Error(`${path} is closed`);
      if (offset < 0 || length < 0 || offset + length > identity.size) {
        throw new RangeError(`read of ${length} bytes at offset ${offset} is outside the ${identity.size} bytes of ${path}`);
      }
      // A fresh buffer per read: what the zip layer keeps (a member's bytes) must not be overwritten later.
      const buffer = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, Math.min(length - done, MAX_READ_CALL), offset + done);
        if (n === 0) throw new RetagError(CHANGED_WHILE_READ);
        done += n;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
    },
    isUnchanged(): boolean {
      if (!open) throw new Error(`${path} is closed`);
      const now = fstatSync(fd);
      return now.size === identity.size && now.mtimeMs === identity.mtimeMs;
    },
    close(): void {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** A source's bytes in pieces of at most `piece` bytes, each read when the consumer asks for it. */
export function* piecesOf(source: ByteSource, piece = 8 * 2 ** 20): Generator<Uint8Array> {
  for (let at = 0; at < source.size; at += piece) yield source.read(at, Math.min(piece, source.size - at));
}

/**
 * True when `path` exists and holds exactly `size` bytes equal to `chunks` in order (so writing them
 * there would change nothing). Compares chunk by chunk, never holding the whole file.
 */
export async function fileEquals(path: string, chunks: Iterable<Uint8Array>, size: number): Promise<boolean> {
  const handle = await open(path, "r").catch(() => null);
  if (handle === null) return false;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size !== size) return false;
    let offset = 0;
    for (const chunk of chunks) {
      if (offset + chunk.length > size) return false;
      const existing = Buffer.allocUnsafe(chunk.length);
      let done = 0;
      while (done < chunk.length) {
        const { bytesRead } = await handle.read(existing, done, chunk.length - done, offset + done);
        if (bytesRead === 0) return false;
        done += bytesRead;
      }
      if (!existing.equals(chunk)) return false;
      offset += chunk.length;
    }
    return offset === size;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
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
 * into place. Without `force`, an existing file at `target` is never replaced. `stillValid`, when
 * given, is asked after the chunks are written (they may be read lazily from an input): false aborts
 * with a RetagError. On any failure the temporary file is removed and the error rethrown; `target`
 * is then untouched.
 */
export async function writeAtomically(
  target: string,
  chunks: Iterable<Uint8Array>,
  options: { force: boolean; stillValid?: () => boolean },
): Promise<void> {
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
    if (options.stillValid !== undefined && !options.stillValid()) throw new RetagError(CHANGED_WHILE_READ);
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
