#!/usr/bin/env node
// Thin launcher: all behaviour lives in dist/cli/main.js (built from src/cli/main.ts by `npm install`).
import { installSignalHandlers, main } from "../dist/cli/main.js";

installSignalHandlers();
process.exitCode = await main(process.argv.slice(2));
