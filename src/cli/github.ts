// `--format github`: GitHub Actions workflow commands (annotations on the run and the files), and a
// Markdown table appended to $GITHUB_STEP_SUMMARY. Every line is built by workflowCommand, the one
// place that escapes paths and messages (src/cli/escape.ts).
import type { CheckResult } from "../model/results.js";
import type { Finding } from "../model/findings.js";
import { markdownCell, workflowCommand } from "./escape.js";
import { findingName } from "./render.js";
import type { CheckOutcome, FixOutcome } from "./tasks.js";

/** One annotation per finding (info findings become notices). */
export function findingAnnotations(wheel: string, findings: readonly Finding[]): string[] {
  return findings.map((f) => {
    const level = f.severity === "info" ? "notice" : f.severity;
    const where = f.member === undefined || f.member === "" ? "" : `${f.member}${f.arch === undefined ? "" : ` [${f.arch}]`}: `;
    return workflowCommand(level, { file: wheel, title: `${f.code} ${findingName(f.code)}` }, where + f.message);
  });
}

/** The annotation of a wheel whose tags are wrong: what it should be called, and how to get there. */
function wrongTagAnnotation(r: CheckResult, fixCommand: (path: string) => string): string[] {
  if (!r.needsRewrite || r.tags.expected === null) return [];
  const expected = r.tags.expected.join(".");
  const name = r.expectedFilename ?? "";
  const message = `${r.wheel} is tagged ${r.tags.current.join(".")}; its binaries support ${expected}: it should be ${name} (run ${fixCommand(r.wheel)})`;
  return [workflowCommand(r.ok ? "warning" : "error", { file: r.wheel, title: `retag: the platform tag should be ${expected}` }, message)];
}

export function checkAnnotations(outcomes: readonly CheckOutcome[], fixCommand: (path: string) => string): string[] {
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.result === null) lines.push(workflowCommand("error", { file: o.path, title: "retag: could not be read" }, o.error));
    else lines.push(...wrongTagAnnotation(o.result, fixCommand), ...findingAnnotations(o.result.wheel, o.result.findings));
  }
  return lines;
}

export function fixAnnotations(outcomes: readonly FixOutcome[], dryRun: boolean): string[] {
  const lines: string[] = [];
  for (const o of outcomes) {
    const r = o.result;
    if (o.status === "error") {
      lines.push(workflowCommand("error", { file: o.input, title: "retag: not written" }, o.error ?? "failed"));
      continue;
    }
    if (r === null) continue;
    if (o.status === "rewritten" && o.target !== null) {
      const tags = `${r.check.tags.current.join(".")} → ${(r.check.tags.expected ?? r.check.tags.current).join(".")}`;
      const verb = dryRun ? "would be retagged" : "retagged";
      lines.push(workflowCommand("notice", { file: o.input, title: `retag: ${verb}` }, `${o.input} → ${o.target} (${tags})`));
    }
    lines.push(...findingAnnotations(o.input, r.remaining));
  }
  return lines;
}

/** The Markdown step summary: one row per wheel (wheel, current tag, expected tag, findings). */
export function stepSummary(title: string, rows: ReadonlyArray<{ wheel: string; current: string; expected: string; findings: string }>, summary: string): string {
  const lines = [`### ${markdownCell(title)}`, "", "| wheel | current tag | expected tag | findings |", "|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${markdownCell(r.wheel)} | ${markdownCell(r.current)} | ${markdownCell(r.expected)} | ${markdownCell(r.findings)} |`);
  lines.push("", markdownCell(summary), "");
  return lines.join("\n");
}

/** The rows of a result, for the step summary. */
export function summaryRow(wheel: string, r: CheckResult | null, error: string | null): { wheel: string; current: string; expected: string; findings: string } {
  if (r === null) return { wheel, current: "", expected: "", findings: `could not be read: ${error ?? ""}` };
  const current = r.tags.current.join(".");
  const expected = r.tags.expected === null ? "(none)" : r.tags.expected.join(".");
  const findings = r.findings.map((f) => f.code).join(", ");
  return { wheel, current, expected: expected === current ? `${expected} (unchanged)` : expected, findings: findings === "" ? "none" : findings };
}
