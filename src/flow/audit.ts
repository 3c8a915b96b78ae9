// `retag audit` (DESIGN §9): given the distributions a walk found and the hosts to judge them for,
// check each (src/flow/check.ts for a wheel file, src/flow/tree.ts for the rest), say for every host
// whether it would load there and why not (src/flow/host.ts), and what evicts it (remedy.ts). Host
// neutral: the candidates bring their own byte and tree sources; this module reads nothing itself.
import type { AuditEntry, AuditProblem, AuditReport, DistributionForm, Host, Origin } from "../model/audit.js";
import { RetagError } from "../model/errors.js";
import { TreeError, type ByteSource, type Codecs, type TreeSource } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import type { WheelFacts } from "../model/wheel.js";
import type { TreeLayout } from "../read/tree.js";
import { inspectWheel } from "./check.js";
import { formatHost, hostVerdict } from "./host.js";
import { remedyFor, type DefaultCaches } from "./remedy.js";
import { inspectNamelessZip, inspectTree } from "./tree.js";

/** A distribution the walk found, with the means to read it. */
export type AuditCandidate =
  | {
      form: "wheel";
      path: string;
      origin: Origin;
      /** The wheel's file name (its tags); null for a zip known by its bytes only (pip's HTTP cache). */
      filename: string | null;
      links: string[];
      open(): Promise<{ source: ByteSource; close(): void }>;
    }
  | {
      form: "unpacked" | "installed";
      path: string;
      origin: Origin;
      distInfo: string;
      links: string[];
      open(): Promise<TreeSource>;
    };

export interface AuditOptions {
  hosts: readonly Host[];
  check: Partial<CheckOptions>;
  /** Distributions read at once. */
  concurrency: number;
  defaults: DefaultCaches;
  onProgress?: (done: number, total: number, path: string) => void;
}

/** What failed to read is a problem of the input (a RetagError or TreeError from a source); anything else is retag's own. */
function problemOf(path: string, error: unknown): AuditProblem {
  if (error instanceof TreeError || error instanceof RetagError) return { path, problem: "unreadable", message: error.message };
  return { path, problem: "internal", message: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}

async function inspect(c: AuditCandidate, codecs: Codecs, check: Partial<CheckOptions>): Promise<{ result: CheckResult; facts: WheelFacts } | null> {
  if (c.form !== "wheel") {
    const layout: TreeLayout = c.form === "installed" ? "installed" : "wheel";
    // Only dist-info files and binaries are read (found by RECORD and magic): a cache of thousands of
    // entries is audited in the time its binaries take to parse (§9.5).
    return inspectTree(c.path, await c.open(), c.distInfo, codecs, check, { layout, verify: "binaries" });
  }
  const { source, close } = await c.open();
  try {
    if (c.filename === null) return await inspectNamelessZip(c.path, source, codecs, check);
    const { result, read } = await inspectWheel(c.path, source, codecs, check);
    return { result, facts: read.facts };
  } finally {
    close();
  }
}

/** The distribution name and version a check result names, else what the path says. */
function nameAndVersion(result: CheckResult, c: AuditCandidate): { name: string | null; version: string | null } {
  if (result.name !== null) return { name: result.name.distribution, version: result.name.version };
  if (c.form !== "wheel") {
    const stem = c.distInfo.replace(/\.dist-info$/, "");
    const dash = stem.lastIndexOf("-");
    return dash > 0 ? { name: stem.slice(0, dash), version: stem.slice(dash + 1) } : { name: stem, version: null };
  }
  return { name: null, version: null };
}

function entryFor(c: AuditCandidate, result: CheckResult, facts: WheelFacts, options: AuditOptions): AuditEntry {
  const tags = result.tags.current;
  const hosts = options.hosts.map((h) => hostVerdict(tags, facts, h));
  const { name, version } = nameAndVersion(result, c);
  const form: DistributionForm = c.form;
  // A remedy where it matters: the distribution fails on a host asked about, or (no host asked) its check fails.
  const wanted = options.hosts.length > 0 ? hosts.some((h) => h.verdict === "fails") : !result.ok;
  return {
    path: c.path,
    form,
    origin: c.origin,
    name,
    version,
    tags,
    check: result,
    hosts,
    remedy: wanted && name !== null ? remedyFor(c.origin, c.path, name, options.defaults) : null,
    links: c.links,
  };
}

/** Audits the candidates with at most `concurrency` read at once; entries and problems come sorted by path. */
export async function auditDistributions(candidates: readonly AuditCandidate[], codecs: Codecs, options: AuditOptions, earlier: AuditProblem[] = []): Promise<AuditReport> {
  const entries: AuditEntry[] = [];
  const problems: AuditProblem[] = [...earlier];
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < candidates.length) {
      const c = candidates[next++] as AuditCandidate;
      try {
        const inspected = await inspect(c, codecs, options.check);
        if (inspected !== null) entries.push(entryFor(c, inspected.result, inspected.facts, options));
      } catch (error) {
        problems.push(problemOf(c.path, error));
      }
      options.onProgress?.(++done, candidates.length, c.path);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, candidates.length)) }, lane));
  entries.sort((a, b) => compare(a.path, b.path));
  problems.sort((a, b) => compare(a.path, b.path));
  const hosts = options.hosts.map(formatHost);
  const failing: { [host: string]: number } = {};
  for (const h of hosts) failing[h] = entries.filter((e) => e.hosts.some((v) => v.host === h && v.verdict === "fails")).length;
  return {
    hosts,
    entries,
    problems,
    summary: { distributions: entries.length, failing, dishonest: entries.filter((e) => !e.check.ok).length, problems: problems.length },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
