#!/usr/bin/env node
// Thin launcher: all behaviour lives in dist/cli/main.js (built from src/cli/main.ts by `npm install`).
import module from "node:module";

// Node ≥ 22.1 can keep the compiled code of retag and its dependencies between runs (compiling the
// modules is 35–50 ms of every run); Node 20 has no such cache, and this does nothing there. It must
// run before the modules load, hence the dynamic import below.
module.enableCompileCache?.();

const { installSignalHandlers, main } = await import("../dist/cli/main.js");
installSignalHandlers();
process.exitCode = await main(process.argv.slice(2));
