// `retag audit [PATH…] [--host macosx_14_0_x86_64|all] [--format text|json]` (DESIGN §9): walk the
// folders (or the current environment and pip's and uv's caches), check every distribution found, and
// say which would fail to load on the hosts asked about, why, and what evicts them. Writes nothing.
import { availableParallelism } from "node:os";
import { promises as fs } from "node:fs";
import { auditDistributions, type AuditCandidate } from "../flow/audit.js";
import { DEFAULT_CHECK_OPTIONS } from "../flow/check.js";
import { formatHost, parseHost } from "../flow/host.js";
import type { DefaultCaches } from "../flow/remedy.js";
import type { AuditProblem, Host } from "../model/audit.js";
import { RetagError } from "../model/errors.js";
import type { CheckOptions } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { openInput } from "../node/file-source.js";
import { machineHosts } from "../node/host.js";
import { defaultCaches, defaultLocations, nodeLocationFacts } from "../node/locations.js";
import { describeFsError, openTree } from "../node/tree-source.js";
import { walkTrees, type Found } from "../node/walk.js";
import { auditJson, auditText } from "./audit-render.js";
import type { Output } from "./commands.js";
import { exitCode } from "./exit.js";

export interface AuditRunOptions {
  paths: string[];
  /** `--host` as given: host tags, `all`, comma-separated or repeated. */
  host: string | string[] | undefined;
  format: "text" | "json";
  jobs: number | undefined;
  /** `--ignore`: finding codes, prefixes or names left out of the checks. */
  ignore: string[];
}

/** The hosts asked for: by default this Mac's own arch; `all` adds x86_64 under Rosetta on an arm64 Mac. */
export async function resolveHosts(spec: AuditRunOptions["host"], machine: (all: boolean) => Promise<Host[]> = machineHosts): Promise<Host[]> {
  const items = ([] as string[]).concat(spec ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "");
  const hosts: Host[] = [];
  if (items.length === 0) hosts.push(...(await machine(false)));
  for (const item of items) {
    if (item === "all") {
      const mine = await machine(true);
      if (mine.length === 0) throw new RetagError("--host all names this machine's hosts, and this is not a Mac: name them, e.g. --host macosx_14_0_arm64,macosx_14_0_x86_64");
      hosts.push(...mine);
      continue;
    }
    const host = parseHost(item);
    if ("error" in host) throw new RetagError(`--host: ${host.error}`);
    hosts.push(host);
  }
  const seen = new Set<string>();
  return hosts.filter((h) => {
    const key = formatHost(h);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The reading means of each found distribution; every source opened is read-only. */
function candidateOf(f: Found): AuditCandidate {
  if (f.form === "wheel") {
    return {
      form: "wheel",
      path: f.path,
      origin: f.origin,
      filename: f.filename,
      links: f.links,
      open: async () => {
        try {
          const file = openInput(f.real);
          return { source: file, close: () => file.close() };
        } catch (error) {
          if (error instanceof RetagError) throw error;
          throw new RetagError(`${f.path}: ${describeFsError(error)}`);
        }
      },
    };
  }
  return { form: f.form, path: f.path, origin: f.origin, distInfo: f.distInfo, links: f.links, open: () => openTree(f.real, f.root) };
}

/** The default caches by their real paths, as the walk reports a distribution's cache. */
async function realDefaults(caches: DefaultCaches): Promise<DefaultCaches> {
  const real = async (p: string | null) => (p === null ? null : await fs.realpath(p).catch(() => p));
  return { uv: await real(caches.uv), pip: await real(caches.pip) };
}

export async function runAudit(options: AuditRunOptions, out: Output, env: NodeJS.ProcessEnv): Promise<number> {
  // The check of a distribution someone else built: no deployment target or required archs of this project apply.
  const checkOptions: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ignore: options.ignore };
  const hosts = await resolveHosts(options.host);
  const facts = nodeLocationFacts(env);
  const given = options.paths.length > 0;
  const roots = given ? options.paths : (await defaultLocations(facts)).map((l) => l.path);
  if (!given) {
    if (roots.length === 0) out.stderr("retag: no environment, pip cache or uv cache found; pass the folders to audit");
    else if (options.format === "text") out.stderr(`retag: auditing ${roots.join(", ")}`);
  }
  const progress = options.format === "text" ? out.progress : undefined;
  const walk = await walkTrees(roots, {
    ...(progress === undefined ? {} : { onProgress: (p: { folders: number; found: number }) => progress(`walking: ${p.folders} folders, ${p.found} distributions`) }),
  });
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const report = await auditDistributions(
    walk.found.map(candidateOf),
    nodeCodecs,
    {
      hosts,
      check: checkOptions,
      concurrency: jobs,
      defaults: await realDefaults(defaultCaches(facts)),
      ...(progress === undefined ? {} : { onProgress: (done: number, total: number, path: string) => progress(done === total ? "" : `[${done}/${total}] ${path}`) }),
    },
    walk.problems,
  );
  progress?.("");
  if (options.format === "json") out.stdout(auditJson(report, hosts));
  else {
    for (const p of report.problems) out.stderr(`retag: ${p.message}`);
    out.stdout(auditText(report, hosts, out.style));
  }
  return auditExitCode(report.problems, roots, report.summary, hosts.length > 0);
}

/**
 * 3 when retag itself failed on something; 2 when a folder or file given could not be read at all;
 * 1 when a distribution would fail on a host asked about (with no host: when a check fails); else 0.
 * A permission error deeper in a tree is reported and leaves the code alone: the rest was audited.
 */
export function auditExitCode(problems: readonly AuditProblem[], roots: readonly string[], summary: { failing: { [h: string]: number }; dishonest: number }, judged: boolean): number {
  const failed = judged ? Object.values(summary.failing).reduce((a, b) => a + b, 0) : summary.dishonest;
  return exitCode({
    internalErrors: problems.filter((p) => p.problem === "internal").length,
    inputErrors: problems.filter((p) => roots.includes(p.path) && p.problem !== "symlink-outside").length,
    failed,
  });
}
