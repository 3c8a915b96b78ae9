// What `retag audit` reports (DESIGN §9): every distribution found in the folders it was given, whether
// its tags tell the truth (the check), and whether it would load on each host it was asked about.
import type { CheckResult } from "./results.js";
import type { MacVersion } from "./tags.js";

/** A machine to judge distributions against: the macOS release and the arch its Python runs as. */
export interface Host {
  platform: "macos";
  version: MacVersion;
  arch: string;
  /** An x86_64 Python on an arm64 Mac (Rosetta 2): judged as x86_64, reported as such. */
  rosetta: boolean;
}

/** Where a distribution was found; it decides the command that evicts it. */
export type Origin =
  | { kind: "uv-cache"; cache: string }
  | { kind: "pip-wheels"; cache: string }
  | { kind: "pip-http"; cache: string }
  | { kind: "environment"; sitePackages: string }
  | { kind: "file" };

/** A wheel file (a zip), an unpacked wheel (a cache entry), or a distribution installed in site-packages. */
export type DistributionForm = "wheel" | "unpacked" | "installed";

/** Why a distribution would not load on a host: one binary, one arch. */
export interface HostReason {
  member: string;
  arch: string;
  problem: "no-slice" | "variant-only" | "no-pyinit" | "other-platform" | "needs-newer-macos" | "corrupt" | "foreign" | "unread";
  message: string;
}

export interface HostVerdict {
  /** The host as a platform tag spells it: `macosx_14_0_x86_64`. */
  host: string;
  /**
   * loads: the tags accept the host and every binary has usable code for it; fails: the tags accept
   * the host but a binary has none (the case audit exists for); not-for-host: no tag accepts the
   * host, so pip and uv would not install it there; unknown: what would be loaded could not be read.
   */
  verdict: "loads" | "fails" | "not-for-host" | "unknown";
  /** The platform tag that makes pip / uv install it on the host; null when none does. */
  acceptedBy: string | null;
  reasons: HostReason[];
}

/** What to do about a distribution that fails: a command retag prints and never runs. */
export interface Remedy {
  action: "evict" | "uninstall" | "retag";
  command: string;
  note: string | null;
}

export interface AuditEntry {
  /** The wheel file, the unpacked wheel's folder, or the installed distribution's .dist-info. */
  path: string;
  form: DistributionForm;
  origin: Origin;
  /** Distribution name and version as the file name or the .dist-info folder spells them. */
  name: string | null;
  version: string | null;
  /** Platform tags: the file name's, or WHEEL's when there is no file name. */
  tags: string[];
  check: CheckResult;
  hosts: HostVerdict[];
  remedy: Remedy | null;
  /** Other paths in the tree that lead to this one (uv links its cache entries to archive-v0/). */
  links: string[];
}

/** Something the walk or a read could not do; the audit goes on. */
export interface AuditProblem {
  path: string;
  problem: "permission" | "symlink-outside" | "not-a-file" | "too-deep" | "unreadable" | "internal";
  message: string;
}

export interface AuditSummary {
  distributions: number;
  /** Per host label: how many distributions would fail there. */
  failing: { [host: string]: number };
  /** Distributions whose check has an error finding. */
  dishonest: number;
  problems: number;
}

export interface AuditReport {
  hosts: string[];
  entries: AuditEntry[];
  problems: AuditProblem[];
  summary: AuditSummary;
}
