import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withFindingsSection } from "../../src/cli/docs.js";
import { FINDINGS } from "../../src/model/findings.js";

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("docs/findings.md", () => {
  const findings = read("docs/findings.md");

  it("documents every finding code as the registry says (run `npm run docs` when this fails)", () => {
    expect(findings).toBe(withFindingsSection(findings));
    for (const code of Object.keys(FINDINGS)) expect(findings).toContain(`### ${code} `);
  });
});

describe("README", () => {
  const readme = read("README.md");
  const sections = readme.split(/^## /m).slice(1).map((s) => s.slice(0, s.indexOf("\n")));

  it("first says how to get retag (PyPI, npm, the Action, a checkout), then the three uses", () => {
    expect(sections.slice(0, 2)).toEqual(["Get retag", "The three uses"]);
    const get = readme.slice(readme.indexOf("## Get retag"), readme.indexOf("## The three uses"));
    for (const way of ["uvx wheel-retag", "pipx run wheel-retag", "npx wheel-retag", "uses: wheel-retag/wheel-retag@", "node bin/retag.js"]) expect(get).toContain(way);
  });

  it("keeps the contributor's two set-up commands, as From a checkout", () => {
    const checkout = readme.slice(readme.indexOf("## From a checkout"));
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(checkout)?.[1] ?? "";
    expect(firstBlock).toContain("npm install");
    expect(firstBlock).toContain("npm test");
  });

  it("points at the finding reference instead of holding it, and links only files that exist", () => {
    expect(readme).toContain("(docs/findings.md)");
    expect(readme).not.toContain("<!-- findings:begin -->");
    for (const [, target] of readme.matchAll(/\]\((?!https?:|#)([^)#\s]+)[^)]*\)/g)) {
      expect(() => readFileSync(new URL(`../../${target}`, import.meta.url)), target).not.toThrow();
    }
  });
});
