// The command that gets rid of a bad distribution where it was found (DESIGN §9.4). retag prints it
// and never runs it: evicting a cache entry or uninstalling is the user's decision.
import type { Origin, Remedy } from "../model/audit.js";

/** The cache folders the tools use when given none (`uv cache dir`, `pip cache dir`); null when unknown. */
export interface DefaultCaches {
  uv: string | null;
  pip: string | null;
}

/** PEP 503 normalisation, as `uv cache clean` and `pip uninstall` take a name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** A POSIX shell word: left alone when it needs no quoting, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The remedy for a distribution found at `path` (origin as the walk classified it). `distribution`
 * is the name as spelled in the file or .dist-info name: `pip cache remove` matches it against wheel
 * file names (`<pattern>-*.whl`, pip's commands/cache.py), which spell it with `_`, so it is passed
 * as spelled there, not normalised.
 */
export function remedyFor(origin: Origin, path: string, distribution: string, defaults: DefaultCaches): Remedy {
  switch (origin.kind) {
    case "uv-cache": {
      const dir = origin.cache === defaults.uv ? "" : ` --cache-dir ${shellWord(origin.cache)}`;
      return { action: "evict", command: `uv cache clean${dir} ${normalizeName(distribution)}`, note: null };
    }
    case "pip-wheels": {
      const dir = origin.cache === defaults.pip ? "" : ` --cache-dir ${shellWord(origin.cache)}`;
      return { action: "evict", command: `pip cache remove${dir} ${distribution}`, note: null };
    }
    case "pip-http": {
      // `pip cache remove <name>` reaches only the wheels/ folder; a cached download is two files,
      // the response's metadata and its body (cachecontrol's SeparateBodyFileCache, pip ≥ 23.3).
      const meta = path.replace(/\.body$/, "");
      return {
        action: "evict",
        command: `rm ${shellWord(meta)} ${shellWord(path)}`,
        note: "pip cache remove does not reach pip's HTTP cache; `pip cache purge` empties all of it",
      };
    }
    case "environment":
      return {
        action: "uninstall",
        command: `pip uninstall ${normalizeName(distribution)}`,
        note: `with the Python of ${origin.sitePackages}; then install a wheel that supports this host (evict the bad one from pip's and uv's caches first)`,
      };
    case "file":
      return { action: "retag", command: `retag fix ${shellWord(path)}`, note: "rewrites the wheel's tags to what its binaries support" };
  }
}
