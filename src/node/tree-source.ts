// A folder on disk as a TreeSource (src/model/ports.ts): read-only, and never outside its root. A
// path's folder is resolved with realpath (once per folder) and must land inside the root's own real
// path; its last part is looked at with lstat, and a symlink there is resolved and held to the same
// rule. So a symlink is followed only while it stays inside. Files are opened read-only with
// O_NOFOLLOW on the resolved path and checked again with fstat (a file swapped for a symlink or a
// FIFO in between is refused; O_NONBLOCK keeps such a FIFO from blocking the open).
//
// The system calls run on this thread, as src/node/file-source.ts's reads do: an audit makes several
// per file of tens of thousands, and a promise through libuv's thread pool for each cost more than
// the calls (a 43,000-file site-packages: DESIGN §9.5).
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import { join, sep } from "node:path";
import { TreeError, type TreeEntry, type TreeSource, type TreeStat } from "../model/ports.js";

/** The most one read(2) call is asked for (Node refuses lengths from 2 GiB on). */
const MAX_READ_CALL = 2 ** 30;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What a file system error means to a user. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "no such file";
  if (code === "ELOOP") return "too many levels of symbolic links";
  if (code === "ENOTDIR") return "not a directory";
  return error instanceof Error ? error.message : String(error);
}

/** A relative tree path as the port defines it: no empty, `.` or `..` segment, no backslash or NUL. */
function segmentsOf(path: string): string[] | null {
  if (path === "") return [];
  const segments = path.split("/");
  if (path.includes("\0") || path.includes("\\") || segments.some((s) => s === "" || s === "." || s === "..")) return null;
  return segments;
}

type Resolved = { real: string; lstat: Stats | null } | { stat: Exclude<TreeStat, { kind: "file" | "directory" }> };

/** Opens `root` as a tree. Throws a TreeError when the root itself is not a readable folder. */
export async function openTree(root: string, label: string = root): Promise<TreeSource> {
  let rootReal: string;
  try {
    rootReal = realpathSync.native(root);
    if (!statSync(rootReal).isDirectory()) throw new TreeError("", `${label} is not a folder`);
  } catch (error) {
    if (error instanceof TreeError) throw error;
    throw new TreeError("", `${label}: ${describeFsError(error)}`);
  }
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  const inside = (p: string): boolean => p === rootReal || p.startsWith(prefix);

  /** The real path of `real`, or why it is none inside the root. */
  const realInside = (path: string): Resolved => {
    try {
      const target = realpathSync.native(path);
      return inside(target) ? { real: target, lstat: null } : { stat: { kind: "outside", target } };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling symlink (or a path through one) is as good as missing: there is nothing to read.
      if (code === "ENOENT" || code === "ENOTDIR") return { stat: { kind: "missing" } };
      return { stat: { kind: "unreadable", reason: describeFsError(error) } };
    }
  };

  const folders = new Map<string, Resolved>();
  const folder = (segments: readonly string[]): Resolved => {
    if (segments.length === 0) return { real: rootReal, lstat: null };
    const key = segments.join("/");
    let known = folders.get(key);
    if (known === undefined) {
      known = realInside(join(rootReal, ...segments));
      folders.set(key, known);
    }
    return known;
  };

  // The read stage asks stat(path) and then read(path): the second is answered from the first.
  let last: { path: string; resolved: Resolved } | null = null;
  const resolve = (path: string): Resolved => {
    if (last?.path === path) return last.resolved;
    const resolved = resolveAnew(path);
    last = { path, resolved };
    return resolved;
  };
  const resolveAnew = (path: string): Resolved => {
    const segments = segmentsOf(path);
    if (segments === null) return { stat: { kind: "unreadable", reason: "not a path inside the folder" } };
    if (segments.length === 0) return { real: rootReal, lstat: null };
    const dir = folder(segments.slice(0, -1));
    if ("stat" in dir) return dir;
    const full = join(dir.real, segments[segments.length - 1] as string);
    let info: Stats;
    try {
      info = lstatSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return { stat: { kind: "missing" } };
      return { stat: { kind: "unreadable", reason: describeFsError(error) } };
    }
    return info.isSymbolicLink() ? realInside(full) : { real: full, lstat: info };
  };

  const refuse = (path: string, at: Exclude<Resolved, { real: string }>): never => {
    const s = at.stat;
    throw new TreeError(path, s.kind === "outside" ? `leads out of the folder (to ${s.target})` : s.kind === "unreadable" ? s.reason : s.kind === "missing" ? "no such file" : "not a regular file");
  };

  return {
    label,
    list(path: string): Promise<TreeEntry[]> {
      return new Promise((done) => {
        const segments = segmentsOf(path);
        const at = segments === null ? resolve(path) : folder(segments);
        if ("stat" in at) refuse(path, at);
        const real = (at as { real: string }).real;
        try {
          const entries = readdirSync(real, { withFileTypes: true });
          done(
            entries
              .map((e): TreeEntry => ({ name: e.name, kind: e.isSymbolicLink() ? "symlink" : e.isDirectory() ? "directory" : e.isFile() ? "file" : "other" }))
              .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
          );
        } catch (error) {
          throw new TreeError(path, describeFsError(error));
        }
      });
    },
    stat(path: string): Promise<TreeStat> {
      return new Promise((done) => {
        const at = resolve(path);
        if ("stat" in at) return done(at.stat);
        try {
          const info = at.lstat ?? statSync(at.real);
          done(info.isFile() ? { kind: "file", size: info.size } : info.isDirectory() ? { kind: "directory" } : { kind: "other" });
        } catch (error) {
          done({ kind: "unreadable", reason: describeFsError(error) });
        }
      });
    },
    read(path: string, offset: number, length: number): Promise<Uint8Array> {
      return new Promise((done) => {
        const at = resolve(path);
        if ("stat" in at) refuse(path, at);
        const real = (at as { real: string }).real;
        let fd: number;
        try {
          fd = openSync(real, OPEN_FLAGS);
        } catch (error) {
          throw new TreeError(path, describeFsError(error));
        }
        try {
          const info = fstatSync(fd);
          if (!info.isFile()) throw new TreeError(path, "is not a regular file");
          if (offset < 0 || length < 0 || offset + length > info.size) throw new TreeError(path, "changed while it was being read");
          // A fresh buffer per read: what the read stage keeps (a binary's bytes) must not be overwritten.
          const buffer = Buffer.allocUnsafe(length);
          let got = 0;
          while (got < length) {
            const n = readSync(fd, buffer, got, Math.min(length - got, MAX_READ_CALL), offset + got);
            if (n === 0) throw new TreeError(path, "changed while it was being read");
            got += n;
          }
          done(new Uint8Array(buffer.buffer, buffer.byteOffset, length));
        } catch (error) {
          if (error instanceof TreeError) throw error;
          throw new TreeError(path, describeFsError(error));
        } finally {
          closeSync(fd);
        }
      });
    },
  };
}
