// A folder on disk as a TreeSource (src/model/ports.ts): read-only, and never outside its root. Every
// path is resolved with realpath and must land inside the root's own real path, so a symlink is
// followed only while it stays inside; files are opened read-only with O_NOFOLLOW on that resolved
// path and checked again with fstat (a file swapped for a symlink or a FIFO in between is refused).
import { constants, promises as fs } from "node:fs";
import { join, sep } from "node:path";
import { TreeError, type TreeEntry, type TreeSource, type TreeStat } from "../model/ports.js";

/** The most one read(2) call is asked for (Node refuses lengths from 2 GiB on). */
const MAX_READ_CALL = 2 ** 30;

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
function checkPath(path: string): string[] {
  if (path === "") return [];
  const segments = path.split("/");
  if (path.includes("\0") || path.includes("\\") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new TreeError(path, "not a path inside the folder");
  }
  return segments;
}

/** Opens `root` as a tree. Throws a TreeError when the root itself is not a readable folder. */
export async function openTree(root: string, label: string = root): Promise<TreeSource> {
  let real: string;
  try {
    real = await fs.realpath(root);
    if (!(await fs.stat(real)).isDirectory()) throw new TreeError("", `${label} is not a folder`);
  } catch (error) {
    if (error instanceof TreeError) throw error;
    throw new TreeError("", `${label}: ${describeFsError(error)}`);
  }
  const inside = (p: string): boolean => p === real || p.startsWith(real.endsWith(sep) ? real : real + sep);

  /** The real path of a tree path, or the stat that says why there is none inside the root. */
  const resolve = async (path: string): Promise<{ real: string } | { stat: TreeStat }> => {
    let segments: string[];
    try {
      segments = checkPath(path);
    } catch (error) {
      return { stat: { kind: "unreadable", reason: (error as Error).message } };
    }
    const joined = join(real, ...segments);
    try {
      const target = await fs.realpath(joined);
      return inside(target) ? { real: target } : { stat: { kind: "outside", target } };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling symlink (or a path through one) is as good as missing: there is nothing to read.
      if (code === "ENOENT" || code === "ENOTDIR") return { stat: { kind: "missing" } };
      return { stat: { kind: "unreadable", reason: describeFsError(error) } };
    }
  };

  return {
    label,
    async list(path: string): Promise<TreeEntry[]> {
      const at = await resolve(path);
      if ("stat" in at) throw new TreeError(path, at.stat.kind === "outside" ? `leads out of the folder (to ${at.stat.target})` : at.stat.kind === "unreadable" ? at.stat.reason : "no such folder");
      try {
        const entries = await fs.readdir(at.real, { withFileTypes: true });
        return entries
          .map((e): TreeEntry => ({ name: e.name, kind: e.isSymbolicLink() ? "symlink" : e.isDirectory() ? "directory" : e.isFile() ? "file" : "other" }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (error) {
        throw new TreeError(path, describeFsError(error));
      }
    },
    async stat(path: string): Promise<TreeStat> {
      const at = await resolve(path);
      if ("stat" in at) return at.stat;
      try {
        const info = await fs.stat(at.real);
        if (info.isFile()) return { kind: "file", size: info.size };
        if (info.isDirectory()) return { kind: "directory" };
        return { kind: "other" };
      } catch (error) {
        return { kind: "unreadable", reason: describeFsError(error) };
      }
    },
    async read(path: string, offset: number, length: number): Promise<Uint8Array> {
      const at = await resolve(path);
      if ("stat" in at) throw new TreeError(path, at.stat.kind === "outside" ? `leads out of the folder (to ${at.stat.target})` : at.stat.kind === "unreadable" ? at.stat.reason : "no such file");
      let handle: fs.FileHandle;
      try {
        // O_NONBLOCK: were the file swapped for a FIFO since the stat, opening it must not wait for a writer.
        handle = await fs.open(at.real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
      } catch (error) {
        throw new TreeError(path, describeFsError(error));
      }
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new TreeError(path, "is not a regular file");
        if (offset < 0 || length < 0 || offset + length > info.size) throw new TreeError(path, "changed while it was being read");
        const buffer = Buffer.allocUnsafe(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buffer, done, Math.min(length - done, MAX_READ_CALL), offset + done);
          if (bytesRead === 0) throw new TreeError(path, "changed while it was being read");
          done += bytesRead;
        }
        return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
      } catch (error) {
        if (error instanceof TreeError) throw error;
        throw new TreeError(path, describeFsError(error));
      } finally {
        await handle.close();
      }
    },
  };
}
