// The entry of the bundled CLI (dist-bundle/cli.js, built by scripts/build-bundle.mjs): what npm's
// `bin` and the Python package run on Node >= 22.1 (dist-bundle/retag.cjs turns on Node's compile
// cache and then imports it; an older Node runs cli.cjs, the same CLI as one script, from
// cli-script.ts), and what the GitHub Action's bundle is made from. The worker threads of
// src/cli/pool.ts load dist-bundle/worker.js, bundled from src/cli/worker.ts beside this file's bundle.
import { run } from "./cli-script.js";

process.exitCode = await run(process.argv.slice(2));
