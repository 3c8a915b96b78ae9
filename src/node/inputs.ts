// The command line's paths → the files to process: a directory means every `*.whl` in it, a pattern
// is expanded by fast-glob (so quoted globs and Windows shells work, DESIGN §2), a plain path is
// taken as is. Every argument is resolved here, before anything is read or written (DESIGN §2.1).
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { isTemporaryName } from "./write.js";

/** A file to process, and the argument that named it. */
export interface Input {
  path: string;
  arg: string;
}

/** An argument that names nothing retag can process: fix mode then writes nothing (exit 2). */
export interface InputProblem {
  path: string;
  message: string;
  /** `missing`: names no file, directory or glob match (a mistyped command looks like this). */
  kind: "missing" | "no-match" | "empty-directory" | "not-a-file";
}

/** A file that was named but is not processed, with the one-line reason printed for it. */
export interface Skipped {
  path: string;
  reason: string;
}

export interface Expansion {
  inputs: Input[];
  problems: InputProblem[];
  skipped: Skipped[];
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Whether an argument would be read as a glob pattern (when it names no file). */
export function isGlobPattern(arg: string): boolean {
  return GLOB_CHARS.test(arg);
}

/**
 * Expands the arguments. `wheelsOnly` (check and fix): a file named explicitly or by a pattern that
 * is not `*.whl` is skipped with a reason (an sdist beside the wheels), not an error. retag's own
 * temporaries (`.retag-tmp-*`) are never inputs, however they are named. A file named twice (the
 * same device and inode, by two paths) is processed once, where it was first named.
 */
export async function expandInputs(args: readonly string[], options: { wheelsOnly: boolean }): Promise<Expansion> {
  const expansion: Expansion = { inputs: [], problems: [], skipped: [] };
  const seen = new Set<string>();
  const take = async (path: string, arg: string): Promise<void> => {
    const info = await stat(path, { bigint: true }).catch(() => null);
    if (info === null) {
      expansion.problems.push({ path, message: "no such file", kind: "missing" });
      return;
    }
    if (!info.isFile()) {
      expansion.problems.push({ path, message: "is not a regular file (a FIFO, socket or device)", kind: "not-a-file" });
      return;
    }
    if (isTemporaryName(basename(path))) {
      expansion.skipped.push({ path, reason: "a temporary file of retag, skipped" });
      return;
    }
    // The binary distribution format spec names wheels `….whl`, lower case, as packaging checks.
    if (options.wheelsOnly && !path.endsWith(".whl")) {
      expansion.skipped.push({ path, reason: "not a wheel, skipped" });
      return;
    }
    const key = `${info.dev}:${info.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    expansion.inputs.push({ path, arg });
  };

  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      // Dotfiles are left out: retag's temporaries, macOS's `._x.whl` resource forks.
      const entries = await readdir(arg, { withFileTypes: true });
      const names = entries
        .filter((e) => e.name.endsWith(".whl") && !e.name.startsWith(".") && (e.isFile() || e.isSymbolicLink()))
        .map((e) => e.name)
        .sort();
      if (names.length === 0) expansion.problems.push({ path: arg, message: "no *.whl file in this directory", kind: "empty-directory" });
      for (const n of names) await take(join(arg, n), arg);
    } else if (info !== null) {
      await take(arg, arg);
    } else if (isGlobPattern(arg)) {
      // Loaded only for a pattern: fast-glob costs ~35 ms of start-up that plain paths (the shell's
      // own expansion, the common case) never need. `dot: false` leaves dotfiles out, as shells do.
      const { default: fg } = await import("fast-glob");
      const matches = (await fg(arg.replace(/\\/g, "/"), { onlyFiles: true, dot: false })).sort();
      if (matches.length === 0) expansion.problems.push({ path: arg, message: "no file matches this pattern", kind: "no-match" });
      for (const m of matches) await take(m, arg);
    } else {
      expansion.problems.push({ path: arg, message: "no such file", kind: "missing" });
    }
  }
  return expansion;
}
