// @ts-check
// Where does the time go? Runs `node --cpu-prof bin/retag.js ARGS...` and prints the functions with
// the most self time (V8 samples), plus the time spent before main() starts work (module loading).
//
//   npm run build && node bench/profile.mjs check bench/cache/g*/bench_large-*.whl
//   node bench/profile.mjs fix -w /tmp/out bench/cache/g*/bench_large-*.whl
//
// The profile file is kept in bench/cache/profiles/ (open it in Chrome DevTools → Performance).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIR = join(ROOT, "bench", "cache", "profiles");
const TOP = Number(process.env.TOP ?? 25);

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error("usage: node bench/profile.mjs <retag arguments…>");
  process.exit(2);
}
mkdirSync(DIR, { recursive: true });
const started = Date.now();
const run = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", DIR, join(ROOT, "bin", "retag.js"), ...args], { stdio: ["ignore", "ignore", "inherit"] });
const wall = Date.now() - started;
const newest = readdirSync(DIR)
  .filter((f) => f.endsWith(".cpuprofile"))
  .map((f) => join(DIR, f))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (newest === undefined) throw new Error("no profile written");
const profile = JSON.parse(readFileSync(newest, "utf8"));

// Self time per node: each sample is attributed to the node on top of the stack; timeDeltas[i] is the
// time since the previous sample.
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byFunction = new Map();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.startsWith("file:") ? relative(ROOT, fileURLToPath(url)) : url;
  const where = file ? `${file}:${lineNumber + 1}` : "";
  const key = `${functionName || "(anonymous)"} ${where}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
console.log(`retag ${args.join(" ")}: exit ${run.status}, wall ${wall} ms, profiled ${(total / 1000).toFixed(0)} ms`);
console.log(`profile: ${relative(ROOT, newest)}\n`);
console.log("  self ms      %  function");
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(`  ${(us / 1000).toFixed(1).padStart(7)}  ${((100 * us) / total).toFixed(1).padStart(5)}  ${key}`);
}
