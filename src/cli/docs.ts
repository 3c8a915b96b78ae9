// The finding reference (docs/findings.md), rendered from the registry so the two never drift apart
// (`npm run docs` writes it; a test fails when it is stale); `retag explain` prints one section.
import { FINDINGS, type FindingDefinition } from "../model/findings.js";

/** One code's section of the reference (what `retag explain CODE` prints). */
export function findingSection(code: string, d: FindingDefinition): string {
  return `### ${code} ${d.name} (${d.severity})\n\n${d.meaning}\n\n- Usual cause: ${d.cause}\n- Fix: ${d.fix}\n`;
}

export function findingsMarkdown(): string {
  return Object.entries(FINDINGS as { [code: string]: FindingDefinition })
    .map(([code, d]) => findingSection(code, d))
    .join("\n");
}

/** Replaces the text between the findings markers of a Markdown file (docs/findings.md). */
export function withFindingsSection(readme: string): string {
  const begin = "<!-- findings:begin -->";
  const end = "<!-- findings:end -->";
  const i = readme.indexOf(begin);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error("the findings reference has no findings markers");
  return `${readme.slice(0, i + begin.length)}\n${findingsMarkdown()}${readme.slice(j)}`;
}
