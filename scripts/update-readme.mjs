// @ts-check
// Writes the finding-code sections of README.md from the registry (run after `npm run build`).
import { readFileSync, writeFileSync } from "node:fs";
import { withFindingsSection } from "../dist/internal.js";

const path = new URL("../README.md", import.meta.url);
writeFileSync(path, withFindingsSection(readFileSync(path, "utf8")));
