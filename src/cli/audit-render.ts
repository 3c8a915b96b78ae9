// `retag audit` reports: text for people (what fails where, why, and the command that evicts it, then
// a one-line summary), and a versioned JSON document (version 1: fields are only ever added).
import type { AuditEntry, AuditReport, Host, HostVerdict, Remedy } from "../model/audit.js";
import { formatHost } from "../flow/host.js";
import { checkText, findingJson } from "./render.js";
import { PLAIN, type Style } from "./style.js";

/** How the summary names a host: its arch when the hosts differ by arch only, else its tag. */
export function hostNames(hosts: readonly Host[]): Map<string, string> {
  const archs = new Set(hosts.map((h) => h.arch));
  const versions = new Set(hosts.map((h) => `${h.version.major}.${h.version.minor}`));
  const byArch = archs.size === hosts.length && versions.size === 1;
  return new Map(hosts.map((h) => [formatHost(h), `${byArch ? h.arch : formatHost(h)}${h.rosetta ? " (Rosetta)" : ""}`]));
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `412 distributions, 3 would fail on x86_64`, then what else needs a look. */
export function summaryLine(report: AuditReport, hosts: readonly Host[]): string {
  const names = hostNames(hosts);
  const parts = [plural(report.summary.distributions, "distribution", "distributions")];
  const failing = report.hosts.map((h, i) => `${i === 0 ? `${report.summary.failing[h] ?? 0} would fail on` : `${report.summary.failing[h] ?? 0} on`} ${names.get(h) ?? h}`);
  if (failing.length > 0) parts.push(failing.join(", "));
  const extra: string[] = [];
  if (report.summary.dishonest > 0) extra.push(`${plural(report.summary.dishonest, "has", "have")} tags that do not tell the truth`);
  if (report.summary.problems > 0) extra.push(plural(report.summary.problems, "problem", "problems"));
  const line = parts.join(", ") + (extra.length > 0 ? `; ${extra.join("; ")}` : "");
  return hosts.length === 0 ? `${line} (no host to judge loading for: this is not a Mac; pass --host macosx_14_0_arm64)` : line;
}

function describe(e: AuditEntry): string {
  const what = [e.name, e.version].filter((x) => x !== null).join(" ");
  return `${e.path} (${[what, e.tags.join(".")].filter((x) => x !== "").join(", ")})`;
}

const ACTION_LABEL: { [A in Remedy["action"]]: string } = { evict: "evict", uninstall: "uninstall", retag: "fix" };

function remedyLine(r: Remedy, style: Style): string {
  return `  ${ACTION_LABEL[r.action]}: ${style.bold(r.command)}${r.note === null ? "" : ` (${r.note})`}`;
}

function verdictLines(v: HostVerdict, name: string): string[] {
  return v.reasons.map((r) => `  on ${name}: ${r.message}`);
}

/** One block per distribution that fails a host, could not be judged, or has a failing check; then the summary. */
export function auditText(report: AuditReport, hosts: readonly Host[], style: Style = PLAIN): string {
  const names = hostNames(hosts);
  const blocks: string[] = [];
  for (const e of report.entries) {
    const fails = e.hosts.filter((v) => v.verdict === "fails");
    const unknown = e.hosts.filter((v) => v.verdict === "unknown");
    if (fails.length > 0) {
      const lines = [`${style.error("FAILS")} ${describe(e)} on ${fails.map((v) => names.get(v.host) ?? v.host).join(", ")}`];
      for (const v of fails) lines.push(...verdictLines(v, names.get(v.host) ?? v.host));
      if (e.links.length > 0) lines.push(`  reached from ${e.links.join(", ")}`);
      if (e.remedy !== null) lines.push(remedyLine(e.remedy, style));
      blocks.push(lines.join("\n"));
    } else if (unknown.length > 0) {
      const lines = [`${style.warning("UNKNOWN")} ${describe(e)} on ${unknown.map((v) => names.get(v.host) ?? v.host).join(", ")}`];
      for (const v of unknown) lines.push(...verdictLines(v, names.get(v.host) ?? v.host));
      blocks.push(lines.join("\n"));
    } else if (!e.check.ok) {
      const lines = [checkText(e.check, false, style)];
      if (e.remedy !== null) lines.push(remedyLine(e.remedy, style));
      blocks.push(lines.join("\n"));
    }
  }
  blocks.push(summaryLine(report, hosts));
  return blocks.join("\n");
}

export function auditJson(report: AuditReport, hosts: readonly Host[]): string {
  return JSON.stringify(
    {
      version: 1,
      hosts: hosts.map((h) => ({ host: formatHost(h), arch: h.arch, macos: `${h.version.major}.${h.version.minor}`, rosetta: h.rosetta })),
      summary: report.summary,
      distributions: report.entries.map((e) => ({
        path: e.path,
        form: e.form,
        origin: e.origin,
        name: e.name,
        version: e.version,
        tags: e.tags,
        ok: e.check.ok,
        expected: e.check.tags.expected,
        findings: e.check.findings.map(findingJson),
        hosts: e.hosts,
        remedy: e.remedy,
        links: e.links,
      })),
      problems: report.problems,
    },
    null,
    2,
  );
}
