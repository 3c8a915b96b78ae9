import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withFindingsSection } from "../../src/cli/docs.js";
import { FINDINGS } from "../../src/model/findings.js";

describe("README", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

  it("documents every finding code as the registry says (run `npm run docs` when this fails)", () => {
    expect(readme).toBe(withFindingsSection(readme));
    for (const code of Object.keys(FINDINGS)) expect(readme).toContain(`### ${code} `);
  });

  it("starts with the two set-up commands", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toContain("npm install");
    expect(firstBlock).toContain("npm test");
  });
});
