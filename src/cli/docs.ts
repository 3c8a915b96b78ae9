// The README's finding-code sections, rendered from the registry so the two never drift apart
// (`npm run docs` writes them; a test fails when README.md is stale).
import { FINDINGS, type FindingDefinition } from "../model/findings.js";

/** One code's README section (what `retag explain CODE` prints). */
export function findingSection(code: string, d: FindingDefinition): string {
  return `### ${code} ${d.name} (${d.severity})\n\n${d.meaning}\n\n- Usual cause: ${d.cause}\n- Fix: ${d.fix}\n`;
}

export function findingsMarkdown(): string {
  return Object.entries(FINDINGS as { [code: string]: FindingDefinition })
    .map(([code, d]) => findingSection(code, d))
    .join("\n");
}

/** Replaces the text between the findings markers of a README. */
export function withFindingsSection(readme: string): string {
  const begin = "<!-- findings:begin -->";
  const end = "<!-- findings:end -->";
  const i = readme.indexOf(begin);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error("README.md has no findings markers");
  return `${readme.slice(0, i + begin.length)}\n${findingsMarkdown()}${readme.slice(j)}`;
}
