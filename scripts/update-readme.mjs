// @ts-check
// Writes the finding-code sections of docs/findings.md from the registry (run after `npm run build`;
// `npm run docs` does both). test/cli/readme.test.ts fails when the file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { withFindingsSection } from "../dist/internal.js";

const path = new URL("../docs/findings.md", import.meta.url);
writeFileSync(path, withFindingsSection(readFileSync(path, "utf8")));
