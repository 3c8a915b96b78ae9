// Writing results: atomically (a temporary file in the destination folder, moved into place), never
// over a different file without --force, and cleaning up what an interrupted run left (DESIGN §4).
import { randomBytes } from "node:crypto";
import { constants as fsConstants, readdirSync, unlinkSync } from "node:fs";
import { chmod, copyFile, link, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { concatBytes } from "../bytes.js";
import { RetagError } from "../model/errors.js";
import { isSourceRange, type OutputPart } from "../zip/index.js";
import { takeEarlyCopy, type EarlyCopy } from "./early-copy.js";
import { CHANGED_WHILE_READ, identityOf, openInput, sameIdentity, type FileIdentity, type InputFile } from "./file-source.js";

/** Ranges are copied in pieces of at most this many bytes: never the whole input in memory. */
const COPY_PIECE = 8 * 2 ** 20;

/**
 * The bytes of `parts` in order, ranges read from their source piece by piece as they are consumed.
 * A chunk of a range is valid until the next is asked for: ranges are read into one buffer, again and
 * again (issue 17: a fresh 8 MiB buffer per piece made fuse's 400 MiB of copied ranges 400 MiB of
 * allocations, a page fault per 4 KiB and a garbage collection per 64 MiB).
 */
export async function* chunksOf(parts: readonly OutputPart[], piece = COPY_PIECE): AsyncGenerator<Uint8Array> {
  let buffer: Uint8Array | null = null;
  // Byte parts in a row (a new central directory: one per member, 20,000 in a many-member wheel)
  // are joined up to a piece, so the writer makes one write per piece, not one per entry (issue 15).
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  const joined = (): Uint8Array => {
    const out = pending.length === 1 ? (pending[0] as Uint8Array) : concatBytes(pending);
    pending = [];
    pendingLength = 0;
    return out;
  };
  for (const part of parts) {
    if (!isSourceRange(part)) {
      pending.push(part);
      pendingLength += part.length;
      if (pendingLength >= piece) yield joined();
      continue;
    }
    if (pending.length > 0) yield joined();
    for (let at = 0; at < part.length; at += piece) {
      const length = Math.min(piece, part.length - at);
      if (part.source.readInto === undefined) yield await part.source.read(part.offset + at, length);
      else {
        buffer ??= new Uint8Array(piece);
        yield await part.source.readInto(part.offset + at, buffer.subarray(0, length));
      }
    }
  }
  if (pending.length > 0) yield joined();
}

/** A copied prefix this long or longer is copied by the kernel (copy_file_range) instead of through JavaScript. */
export const KERNEL_COPY_MIN = 4 * 2 ** 20;

/**
 * The input file whose first bytes start `parts`, when they are many: a rewrite keeps every member
 * before WHEEL and RECORD, which build backends write last, so most of the output is the input's
 * prefix (issue 15: the copy should cost about a sequential write, not a pass through JavaScript).
 */
function copiedPrefix(parts: readonly OutputPart[]): { input: InputFile; length: number; parts: number } | null {
  const first = parts[0];
  if (first === undefined || !isSourceRange(first) || first.offset !== 0) return null;
  const source = first.source as Partial<InputFile>;
  if (typeof source.path !== "string" || source.identity === undefined || typeof source.isUnchanged !== "function") return null;
  // The assembler gives each copied record its own range: the prefix is the run of ranges that
  // continue one another in the same input from its first byte.
  let length = 0;
  let count = 0;
  for (const part of parts) {
    if (!isSourceRange(part) || part.source !== first.source || part.offset !== length) break;
    length += part.length;
    count++;
  }
  return length >= KERNEL_COPY_MIN ? { input: first.source as InputFile, length, parts: count } : null;
}

/**
 * Copies the input to `temp` in the kernel (copyFile: copy_file_range or a reflink on Linux,
 * clonefile on macOS). copyFile takes a path, not the open file, so the path must name the opened
 * file, unchanged, before and after the copy; otherwise false, and the caller copies through the
 * open file as usual. The temporary keeps the mode it was created with (copyFile gives it the input's).
 */
export async function kernelCopy(temp: string, input: InputFile): Promise<boolean> {
  const here = async (): Promise<boolean> => {
    const now = await stat(input.path, { bigint: true }).catch(() => null);
    return now !== null && sameIdentity(identityOf(now), input.identity) && input.isUnchanged();
  };
  if (!(await here())) return false;
  const mode = (await stat(temp)).mode & 0o7777;
  // The path can go between the check and the copy (another retag fixing the same wheel in place
  // renames its result and removes the input): then it no longer names the open file, as above.
  const copied = await copyFile(input.path, temp).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
  if (!copied) return false;
  await chmod(temp, mode);
  return here();
}

/** kernelCopy, then the copy cut after the input's first `length` bytes. */
async function copyPrefix(temp: string, input: InputFile, length: number): Promise<boolean> {
  if (!(await kernelCopy(temp, input))) return false;
  const handle = await open(temp, "r+");
  try {
    await handle.truncate(length);
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * True when `path` exists and holds exactly `size` bytes equal to `parts` in order (so writing them
 * there would change nothing). Compares piece by piece, never holding the whole file.
 */
export async function fileEquals(path: string, parts: readonly OutputPart[], size: number): Promise<boolean> {
  const handle = await open(path, "r").catch(() => null);
  if (handle === null) return false;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size !== size) return false;
    let offset = 0;
    for await (const chunk of chunksOf(parts)) {
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

/** The identity of what `path` names now, or null when it names nothing. */
export async function currentIdentity(path: string): Promise<FileIdentity | null> {
  const info = await stat(path, { bigint: true }).catch(() => null);
  return info === null ? null : identityOf(info);
}

/** True when `path` is still the file that was read (same device, inode, size, modification and change times). */
export async function isUnchanged(path: string, identity: FileIdentity): Promise<boolean> {
  const now = await currentIdentity(path);
  return now !== null && sameIdentity(now, identity);
}

/** Temporary files carry this prefix so a later run can recognise (and remove) what a killed run left. */
export const TEMP_PREFIX = ".retag-tmp-";

/** Whether a file name is one of retag's temporaries (of any version): never an input (DESIGN §4). */
export function isTemporaryName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/**
 * A temporary's name: the prefix, the process id (for the stale-file cleanup) and 16 random hex
 * digits, 35 bytes at most. It holds nothing of the target's name, so a target name as long as the
 * file system allows (255 bytes) still has a temporary, and it never ends in `.whl`, so no pattern
 * for wheels matches it.
 */
export function temporaryName(): string {
  return `${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString("hex")}`;
}

/** Errors of link(2) on file systems without hard links (FAT, exFAT, some network mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/** What writeAtomically did: wrote the target, or found exactly these bytes there already. */
export type WriteResult = "written" | "identical";

/**
 * Writes `parts` to `target` atomically: a temporary file in the same folder, flushed, then moved
 * into place. Without `force`, an existing file at `target` is never replaced: the temporary is
 * linked to the target name (link(2) fails if the name exists, so two processes cannot both win),
 * and a target that turns out to hold exactly the same bytes is success ("identical": another
 * process wrote the same wheel). `stillValid`, when given, is asked after the parts are written
 * (ranges are read from their source as written) and right before the move: false aborts with a
 * RetagError. On any failure the temporary file is removed and the error rethrown; `target` is then
 * untouched.
 */
export async function writeAtomically(
  target: string,
  parts: readonly OutputPart[],
  options: { force: boolean; stillValid?: () => boolean; early?: EarlyCopy | null },
): Promise<WriteResult> {
  const dir = dirname(target);
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    // mkdir -p over a file: EEXIST (the folder itself is a file) or ENOTDIR (a parent is).
    if (error.code === "EEXIST" || error.code === "ENOTDIR") throw new RetagError(`${dir} cannot be a folder: a file is in the way`);
    throw error;
  });
  const prefix = copiedPrefix(parts);
  // The input copied while it was checked (src/node/early-copy.ts), when it is this folder's and the
  // output starts with the input's bytes: the rest is written over its tail.
  const early = prefix !== null && options.early?.input === prefix.input && dirname(options.early.temp) === dir ? await takeEarlyCopy(options.early) : null;
  const temp = early ?? join(dir, temporaryName());
  activeTemporaries.add(temp);
  try {
    let handle = await open(temp, early !== null ? fsConstants.O_WRONLY : fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644);
    let size = 0;
    let rest = parts;
    if (early !== null && prefix !== null) {
      size = prefix.length;
      rest = parts.slice(prefix.parts);
    } else if (prefix !== null) {
      await handle.close();
      if (await copyPrefix(temp, prefix.input, prefix.length)) {
        size = prefix.length;
        rest = parts.slice(prefix.parts);
      }
      handle = await open(temp, fsConstants.O_WRONLY);
    }
    try {
      for await (const chunk of chunksOf(rest)) {
        await handle.write(chunk, 0, chunk.length, size);
        size += chunk.length;
      }
      await handle.truncate(size);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.stillValid !== undefined && !options.stillValid()) throw new RetagError(CHANGED_WHILE_READ);
    if (options.force) {
      await rename(temp, target);
      return "written";
    }
    const placed = await link(temp, target).then(
      () => "linked" as const,
      (error: NodeJS.ErrnoException) => {
        if (error.code === "EEXIST") return "exists" as const;
        if (error.code !== undefined && NO_HARD_LINKS.has(error.code)) return "no-links" as const;
        throw error;
      },
    );
    if (placed === "linked") return "written";
    if (placed === "no-links" && (await stat(target).catch(() => null)) === null) {
      await rename(temp, target);
      return "written";
    }
    if (await sameBytes(target, temp, size)) return "identical";
    throw new RetagError(`${target} already exists (use --force to replace it)`);
  } finally {
    await unlink(temp).catch(() => undefined);
    activeTemporaries.delete(temp);
  }
}

/** Whether two files hold the same bytes (`size` of them), compared piece by piece. */
async function sameBytes(path: string, other: string, size: number): Promise<boolean> {
  const source = await Promise.resolve()
    .then(() => openInput(other))
    .catch(() => null);
  if (source === null) return false;
  try {
    return source.size === size && (await fileEquals(path, [{ source, offset: 0, length: size }], size));
  } finally {
    source.close();
  }
}

/** Temporaries being written right now, removed by the CLI's signal handler on SIGINT / SIGTERM. */
export const activeTemporaries = new Set<string>();

export async function removeFile(path: string): Promise<void> {
  await unlink(path);
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
