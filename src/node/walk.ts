// The walk behind `retag audit` (DESIGN §9.2): the wheel files and unpacked distributions under the
// folders it is given, read-only, with a bounded number of folders read at once. Symlinks are never
// followed: one that leads elsewhere inside the tree is remembered as a link to what it points at
// (uv links its cache entries to archive-v0/), one that leads out of the tree is reported. A folder
// that cannot be listed is reported and the walk goes on.
import { constants, promises as fs } from "node:fs";
import { basename, join, sep } from "node:path";
import type { AuditProblem, Origin } from "../model/audit.js";
import { describeFsError } from "./tree-source.js";

/** What the walk needs from a file system: injected by tests (an EACCES no root user can otherwise meet). */
export interface WalkFs {
  readdir(path: string): Promise<Array<{ name: string; kind: "file" | "directory" | "symlink" | "other" }>>;
  realpath(path: string): Promise<string>;
  stat(path: string): Promise<{ kind: "file" | "directory" | "other" }>;
  /** Up to `length` bytes from the start of a regular file (opened read-only, never following a symlink). */
  readHead(path: string, length: number): Promise<Uint8Array>;
}

export const nodeWalkFs: WalkFs = {
  async readdir(path) {
    const entries = await fs.readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, kind: e.isSymbolicLink() ? "symlink" : e.isDirectory() ? "directory" : e.isFile() ? "file" : "other" }));
  },
  realpath: (path) => fs.realpath(path),
  async stat(path) {
    const info = await fs.stat(path);
    return { kind: info.isFile() ? "file" : info.isDirectory() ? "directory" : "other" };
  },
  async readHead(path, length) {
    const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    try {
      if (!(await handle.stat()).isFile()) return new Uint8Array(0);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
    } finally {
      await handle.close();
    }
  },
};

/** A distribution the walk found. `path` is as the user would write it (under the root given). */
export type Found =
  | { form: "wheel"; path: string; real: string; origin: Origin; filename: string | null; links: string[] }
  | { form: "unpacked" | "installed"; path: string; root: string; real: string; distInfo: string; origin: Origin; links: string[] };

export interface WalkOptions {
  /** Folders listed at once (default 16). */
  concurrency?: number;
  /** Folders deeper than this below a root are not entered (reported). */
  maxDepth?: number;
  onProgress?: (progress: { folders: number; found: number; path: string }) => void;
  fs?: WalkFs;
}

export interface WalkResult {
  found: Found[];
  problems: AuditProblem[];
  folders: number;
}

/** uv's cache buckets that hold wheels (crates/uv-cache/src/lib.rs CacheBucket::to_str; any version). */
const UV_WHEEL_BUCKET = /^(wheels|archive|sdists|built-wheels)-v\d+$/;
/** Folders that never hold a distribution worth walking into. */
const SKIPPED = new Set(["__pycache__", ".git", ".hg", ".svn", "node_modules"]);
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const HEX = /^[0-9a-f]+$/;

/**
 * Where a found file or folder sits, from its real path's segments alone (nothing above the root is
 * read): below a uv wheel bucket (`<cache>/archive-v0/<id>`), in pip's wheel cache
 * (`<cache>/wheels/xx/xx/xx/<rest of a sha224>/…`, pip's cache.py _get_cache_path_parts), in pip's HTTP
 * cache (`<cache>/http-v2/x/x/x/x/x/<sha224>.body`, pip ≥ 23.3), or none of them.
 */
export function originOf(real: string, installed: { sitePackages: string } | null): Origin {
  if (installed !== null) return { kind: "environment", sitePackages: installed.sitePackages };
  const segments = real.split(sep);
  const at = (from: number) => segments.slice(0, from).join(sep) || sep;
  for (let i = segments.length - 2; i >= 0; i--) {
    const s = segments[i] ?? "";
    if (UV_WHEEL_BUCKET.test(s)) return { kind: "uv-cache", cache: at(i) };
    const rest = segments.slice(i + 1);
    if (s === "wheels" && rest.length >= 5 && rest.slice(0, 3).every((p) => p.length === 2 && HEX.test(p)) && HEX.test(rest[3] ?? "")) {
      return { kind: "pip-wheels", cache: at(i) };
    }
    if (s === "http-v2" && rest.length === 6 && rest.slice(0, 5).every((p) => p.length === 1 && HEX.test(p))) return { kind: "pip-http", cache: at(i) };
  }
  return { kind: "file" };
}

interface Job {
  /** The folder's real path (no symlink is followed below a root, so it stays real). */
  real: string;
  /** As the user would write it. */
  shown: string;
  root: { real: string; shown: string };
  depth: number;
}

/** Walks every root; paths that are not folders are taken as files (a wheel, or a pip HTTP cache body). */
export async function walkTrees(roots: readonly string[], options: WalkOptions = {}): Promise<WalkResult> {
  const io = options.fs ?? nodeWalkFs;
  const maxDepth = options.maxDepth ?? 48;
  const found: Found[] = [];
  const problems: AuditProblem[] = [];
  /** Real path of a link's target → the links to it (as shown). */
  const links = new Map<string, string[]>();
  const jobs: Job[] = [];
  let folders = 0;

  const problem = (path: string, kind: AuditProblem["problem"], message: string) => problems.push({ path, problem: kind, message });
  const wheelFile = async (real: string, shown: string, name: string): Promise<void> => {
    if (name.endsWith(".whl")) {
      found.push({ form: "wheel", path: shown, real, origin: originOf(real, null), filename: name, links: [] });
      return;
    }
    // pip's HTTP cache keeps each download's body as `<hash>.body`: a wheel only by its magic.
    const origin = originOf(real, null);
    if (origin.kind !== "pip-http" || !name.endsWith(".body")) return;
    try {
      const head = await io.readHead(real, 4);
      if (head.length === 4 && ZIP_MAGIC.every((b, i) => head[i] === b)) found.push({ form: "wheel", path: shown, real, origin, filename: null, links: [] });
    } catch (error) {
      problem(shown, isPermission(error) ? "permission" : "unreadable", `${shown}: ${describeFsError(error)}`);
    }
  };

  for (const root of roots) {
    let real: string;
    let kind: "file" | "directory" | "other";
    try {
      real = await io.realpath(root);
      kind = (await io.stat(real)).kind;
    } catch (error) {
      problem(root, isPermission(error) ? "permission" : "unreadable", `${root}: ${describeFsError(error)}`);
      continue;
    }
    if (kind === "directory") jobs.push({ real, shown: root, root: { real, shown: root }, depth: 0 });
    else if (kind === "file") await wheelFile(real, root, basename(real));
    else problem(root, "not-a-file", `${root} is not a regular file or a folder; not opened`);
  }

  const visit = async (job: Job): Promise<void> => {
    folders++;
    let entries: Awaited<ReturnType<WalkFs["readdir"]>>;
    try {
      entries = (await io.readdir(job.real)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      problem(job.shown, isPermission(error) ? "permission" : "unreadable", `${job.shown}: ${describeFsError(error)}; not walked`);
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    const child = (name: string) => ({ real: join(job.real, name), shown: join(job.shown, name) });

    // A folder holding .dist-info folders is a distribution root: an unpacked wheel, or a
    // site-packages. Its other contents belong to the distributions; nothing below is walked.
    const distInfos = entries.filter((e) => e.kind === "directory" && e.name.endsWith(".dist-info"));
    if (distInfos.length > 0) {
      const inSitePackages = /^(site|dist)-packages$/.test(basename(job.real)) || distInfos.length > 1;
      for (const d of distInfos) {
        const at = child(d.name);
        let inside: Set<string>;
        try {
          inside = new Set((await io.readdir(at.real)).filter((e) => e.kind === "file").map((e) => e.name));
        } catch (error) {
          problem(at.shown, isPermission(error) ? "permission" : "unreadable", `${at.shown}: ${describeFsError(error)}; not read`);
          continue;
        }
        // "Recording installed projects": INSTALLER names the tool that installed it.
        if (!inside.has("WHEEL") || !inside.has("RECORD")) continue;
        const installed = inSitePackages || inside.has("INSTALLER");
        found.push(
          installed
            ? { form: "installed", path: at.shown, root: job.shown, real: job.real, distInfo: d.name, origin: originOf(job.real, { sitePackages: job.shown }), links: [] }
            : { form: "unpacked", path: job.shown, root: job.shown, real: job.real, distInfo: d.name, origin: originOf(job.real, null), links: [] },
        );
      }
      return;
    }
    // uv's cache root (CACHEDIR.TAG beside versioned buckets): only the buckets that hold wheels are
    // walked; the index, interpreter, git, Python and environment buckets are not.
    const uvRoot = names.has("CACHEDIR.TAG") && entries.some((e) => UV_WHEEL_BUCKET.test(e.name));
    for (const e of entries) {
      const at = child(e.name);
      if (e.kind === "directory") {
        if (SKIPPED.has(e.name) || (uvRoot && !UV_WHEEL_BUCKET.test(e.name))) continue;
        if (job.depth + 1 > maxDepth) problem(at.shown, "too-deep", `${at.shown}: more than ${maxDepth} folders below ${job.root.shown}; not walked`);
        else jobs.push({ ...at, root: job.root, depth: job.depth + 1 });
      } else if (e.kind === "file") {
        await wheelFile(at.real, at.shown, e.name);
      } else if (e.kind === "symlink") {
        await symlink(at, e.name, job.root);
      } else if (e.name.endsWith(".whl")) {
        problem(at.shown, "not-a-file", `${at.shown} is not a regular file (a FIFO, socket or device); not opened`);
      }
    }
  };

  const symlink = async (at: { real: string; shown: string }, name: string, root: Job["root"]): Promise<void> => {
    const relevant = name.endsWith(".whl") || name.endsWith(".dist-info");
    let target: string;
    try {
      target = await io.realpath(at.real);
    } catch (error) {
      if (relevant) problem(at.shown, "unreadable", `${at.shown} is a symlink that leads nowhere (${describeFsError(error)})`);
      return;
    }
    const inside = target === root.real || target.startsWith(root.real + sep);
    if (inside) {
      // Walked where it points; remembered so the report can say where else it is reached from.
      links.set(target, [...(links.get(target) ?? []), at.shown]);
      return;
    }
    let isFolder = false;
    try {
      isFolder = (await io.stat(target)).kind === "directory";
    } catch {
      // A target that cannot be looked at is reported like any other symlink out of the tree.
    }
    if (relevant || isFolder) problem(at.shown, "symlink-outside", `${at.shown} is a symlink out of ${root.shown} (to ${target}); not followed`);
  };

  await new Promise<void>((resolve) => {
    const concurrency = Math.max(1, options.concurrency ?? 16);
    let active = 0;
    const pump = (): void => {
      while (active < concurrency && jobs.length > 0) {
        const job = jobs.pop() as Job;
        active++;
        visit(job)
          .catch((error: unknown) => problem(job.shown, "internal", `${job.shown}: internal error: ${describeFsError(error)}`))
          .finally(() => {
            active--;
            options.onProgress?.({ folders, found: found.length, path: job.shown });
            pump();
          });
      }
      if (active === 0 && jobs.length === 0) resolve();
    };
    pump();
  });

  for (const f of found) {
    const from = links.get(f.real);
    if (from !== undefined) f.links = from.sort();
  }
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { found, problems, folders };
}

function isPermission(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "EACCES" || code === "EPERM";
}

