// The entry of the bundled CLI (dist-bundle/cli.js, built by scripts/build-bundle.mjs): the one
// file that npm's `bin`, the Python package and the GitHub Action all run. dist-bundle/retag.js turns on
// Node's compile cache and then imports the bundle; the worker threads of src/cli/pool.ts load
// dist-bundle/worker.js, bundled from src/cli/worker.ts beside this file's bundle.
import { installSignalHandlers, main } from "../cli/main.js";

installSignalHandlers();
process.exitCode = await main(process.argv.slice(2));
