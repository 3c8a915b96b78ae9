// @ts-check
// `npm run fuzz [-- --time 600] [-- --seed N]`: fuzz retag (the built dist/) for a while with a random
// seed, and save every input that breaks a guarantee under fuzz-failures/ (git-ignored) for a
// regression test (test/fuzz/regressions/, see test/fuzz/regressions.test.ts).
//
//   --time S       run for S seconds (default 60)
//   --cases N      or stop after N cases
//   --seed N       the run's seed (default: random); case I of seed N is always the same input
//   --case I       run only case I of --seed, print what happened, and save it when it fails
//   --replay DIR   run a saved failure again (fuzz-failures/<…>/ or test/fuzz/regressions/<…>/)
//   --out DIR      where failures go (default fuzz-failures)
//   --cli-every N  also run the CLI (check, -w DIR) on every N-th case (default 50; 0: never)
//
// Cases run in a worker thread. A synchronous hang cannot be interrupted from inside, so the main
// thread watches the index of the case in progress (shared memory) and, when one runs longer than
// KILL_MS, terminates the worker, saves that case (regenerated from seed and index) as a hang, and
// starts a new worker after it. Cases slower than HANG_MS but finished are reported by the guarantees
// themselves. A worker that dies (out of memory) is recorded the same way.
import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { checkCli } from "./cli.mjs";
import { checkCase, emptySummary, failureSignature, HANG_MS, hasZipfile, loadSavedCase, loadSeedPool, makeCase, record, recordFailures, saveFailure, zipfileProblems } from "./harness.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** A case still running after this long is stuck: the worker is killed. */
const KILL_MS = 15_000;
/** At most this many inputs are saved per failure signature (the rest are counted). */
const SAVE_PER_SIGNATURE = 3;
/** Rewrites are handed to Python's zipfile this many at a time (one python3 start per batch). */
const ZIPFILE_BATCH = 100;

async function loadApi() {
  return import("../dist/internal.js");
}

if (isMainThread) await main();
else await work();

// ───────────────────────────── worker ─────────────────────────────

async function work() {
  const { runSeed, start, stopAt, progress, cliEvery } = workerData;
  const api = await loadApi();
  const cliMain = api.main;
  const tmpRoot = mkdtempSync(join(tmpdir(), "retag-fuzz-"));
  const pool = loadSeedPool(ROOT);
  const shared = new Int32Array(progress);
  // Every rewrite must open in Python's zipfile (pip's reader): checked in batches, reported late.
  const zipfile = hasZipfile();
  let pending = [];
  const judgeRewrites = () => {
    if (pending.length === 0) return;
    // The watchdog must not take the python3 run for a case that hangs.
    Atomics.store(shared, 2, 1);
    let problems;
    try {
      problems = zipfileProblems(pending.map((p) => ({ key: String(p.fuzzCase.index), bytes: p.output.bytes })));
    } finally {
      Atomics.store(shared, 2, 0);
    }
    for (const { fuzzCase, output } of pending) {
      const problem = problems.get(String(fuzzCase.index));
      if (problem === undefined) continue;
      const late = [{ guarantee: "bad-rewrite", where: "zipfile (Python)", message: "Python's zipfile cannot open or read back the rewrite", detail: `${output.filename}: ${problem}` }];
      parentPort.postMessage({ index: fuzzCase.index, late, fuzzCase });
    }
    pending = [];
  };
  for (let index = start; index < stopAt && Atomics.load(shared, 1) === 0; index++) {
    Atomics.store(shared, 0, index);
    let fuzzCase;
    try {
      fuzzCase = await makeCase(api, pool, runSeed, index);
    } catch (error) {
      // A bug of the harness, not of retag: say so and go on.
      parentPort.postMessage({ index, harnessError: String(error?.stack ?? error) });
      continue;
    }
    const outcome = await checkCase(api, fuzzCase);
    if (outcome.output !== undefined) {
      if (zipfile) pending.push({ fuzzCase, output: outcome.output });
      delete outcome.output;
      if (pending.length >= ZIPFILE_BATCH) judgeRewrites();
    }
    if (cliEvery > 0 && index % cliEvery === 0) {
      // The CLI on every cliEvery-th case: it writes files, so it costs more than the API alone.
      outcome.failures.push(...(await checkCli(cliMain, api, fuzzCase, tmpRoot)));
    }
    const message = { index, outcome };
    if (outcome.failures.length > 0) message.fuzzCase = fuzzCase;
    parentPort.postMessage(message);
  }
  judgeRewrites();
  rmSync(tmpRoot, { recursive: true, force: true });
}

// ───────────────────────────── main thread ─────────────────────────────

/** The API guarantees and the CLI's, for one case run by hand. */
async function checkAll(api, fuzzCase) {
  const outcome = await checkCase(api, fuzzCase);
  const cliMain = api.main;
  const tmpRoot = mkdtempSync(join(tmpdir(), "retag-fuzz-"));
  try {
    outcome.failures.push(...(await checkCli(cliMain, api, fuzzCase, tmpRoot)));
  } finally {
    rmSync(tmpRoot, { recursive: true, force: true });
  }
  return outcome;
}

function printOutcome(fuzzCase, outcome) {
  console.log(`case ${fuzzCase.index} of seed ${fuzzCase.runSeed}: ${fuzzCase.filename} (${fuzzCase.bytes.length} bytes)`);
  console.log(`  options ${JSON.stringify(fuzzCase.options)}; made by ${fuzzCase.notes.join(", ") || "no mutation"}`);
  console.log(`  action ${outcome.action}; codes ${outcome.codes.join(" ") || "none"}; ${Math.round(outcome.ms)} ms`);
  for (const f of outcome.failures) console.log(`  FAIL ${f.guarantee} in ${f.where}: ${f.message}${f.detail ? ` (${f.detail})` : ""}${f.stack ? `\n${f.stack.replace(/^/gm, "      ")}` : ""}`);
  if (outcome.failures.length === 0) console.log("  every guarantee held");
}

function printSummary(summary, startedAt, runSeed, saved, api) {
  const seconds = (performance.now() - startedAt) / 1000;
  console.log(`\nseed ${runSeed}: ${summary.cases} cases in ${seconds.toFixed(0)} s (${Math.round(summary.cases / seconds)}/s), slowest ${Math.round(summary.slowestMs)} ms`);
  console.log(`actions: ${Object.entries(summary.actions).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const codes = Object.keys(summary.codes).sort();
  const never = Object.keys(api.FINDINGS).filter((c) => !(c in summary.codes));
  console.log(`finding codes reached: ${codes.length} (${codes.join(" ")}); never: ${never.join(" ") || "none"}`);
  console.log(`typed errors thrown (allowed): ${Object.entries(summary.typedErrors).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);
  const failures = Object.entries(summary.failures);
  if (failures.length === 0) {
    console.log("no guarantee was broken");
    return;
  }
  console.log(`${failures.length} distinct failures:`);
  for (const [signature, { count, first }] of failures) {
    console.log(`  ${count} × ${signature}\n      first: case ${first}${saved.has(signature) ? `, saved in ${saved.get(signature)}` : ""}`);
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      time: { type: "string" },
      cases: { type: "string" },
      seed: { type: "string" },
      case: { type: "string" },
      replay: { type: "string" },
      out: { type: "string", default: "fuzz-failures" },
      "cli-every": { type: "string", default: "50" },
    },
  });
  const outDir = resolve(ROOT, values.out);
  const api = await loadApi();
  const pool = loadSeedPool(ROOT);

  if (values.replay !== undefined) {
    const fuzzCase = loadSavedCase(resolve(values.replay));
    const outcome = await checkAll(api, fuzzCase);
    printOutcome(fuzzCase, outcome);
    process.exitCode = outcome.failures.length > 0 ? 1 : 0;
    return;
  }
  const runSeed = values.seed !== undefined ? Number(values.seed) >>> 0 : randomInt(2 ** 32 - 1);
  if (values.case !== undefined) {
    const fuzzCase = await makeCase(api, pool, runSeed, Number(values.case));
    const outcome = await checkAll(api, fuzzCase);
    printOutcome(fuzzCase, outcome);
    if (outcome.failures.length > 0) console.log(`saved in ${relative(ROOT, saveFailure(outDir, fuzzCase, outcome.failures))}`);
    process.exitCode = outcome.failures.length > 0 ? 1 : 0;
    return;
  }

  const seconds = values.time !== undefined ? Number(values.time) : values.cases !== undefined ? Infinity : 60;
  const maxCases = values.cases !== undefined ? Number(values.cases) : Number.MAX_SAFE_INTEGER;
  console.log(`fuzzing dist/ with seed ${runSeed} for ${seconds === Infinity ? `${maxCases} cases` : `${seconds} s`}; failures go to ${relative(ROOT, outDir) || "."}/`);
  const summary = emptySummary();
  const saved = new Map();
  const savedCount = new Map();
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;

  const keep = (fuzzCase, failures, note) => {
    const fresh = failures.filter((f) => (savedCount.get(failureSignature(f)) ?? 0) < SAVE_PER_SIGNATURE);
    if (fresh.length === 0) return;
    const dir = relative(ROOT, saveFailure(outDir, fuzzCase, failures, note));
    for (const f of failures) {
      const s = failureSignature(f);
      savedCount.set(s, (savedCount.get(s) ?? 0) + 1);
      if (!saved.has(s)) saved.set(s, dir);
    }
  };

  let next = 0;
  let harnessErrors = 0;
  while (next < maxCases && performance.now() < deadline) {
    // [case in progress, stop flag, python3 judging rewrites]
    const progress = new SharedArrayBuffer(12);
    const shared = new Int32Array(progress);
    Atomics.store(shared, 0, next);
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { runSeed, start: next, stopAt: maxCases, progress, cliEvery: Number(values["cli-every"]) } });
    let lastIndex = next;
    let lastChange = performance.now();
    let lastReport = performance.now();
    const ended = new Promise((resolveEnd) => {
      worker.on("message", ({ index, outcome, fuzzCase, harnessError, late }) => {
        if (late !== undefined) {
          // A case already counted, judged later (Python's zipfile on a batch of rewrites).
          recordFailures(summary, index, late);
          keep(fuzzCase, late);
          return;
        }
        next = index + 1;
        if (harnessError !== undefined) {
          harnessErrors++;
          if (harnessErrors <= 3) console.log(`harness error (not retag's) making case ${index}: ${harnessError}`);
          return;
        }
        record(summary, index, outcome);
        if (fuzzCase) keep(fuzzCase, outcome.failures);
      });
      worker.on("error", (error) => resolveEnd({ error }));
      worker.on("exit", (code) => resolveEnd({ code }));
    });
    const watch = setInterval(() => {
      const now = performance.now();
      const current = Atomics.load(shared, 0);
      if (current !== lastIndex || Atomics.load(shared, 2) === 1) {
        lastIndex = current;
        lastChange = now;
      }
      if (now >= deadline) Atomics.store(shared, 1, 1);
      if (now - lastChange > KILL_MS) {
        void worker.terminate();
      }
      if (now - lastReport > 30_000) {
        lastReport = now;
        console.log(`  ${summary.cases} cases, ${Object.keys(summary.failures).length} distinct failures, ${Math.round((deadline - now) / 1000)} s left`);
      }
    }, 200);
    const end = await ended;
    clearInterval(watch);
    const stuck = Atomics.load(shared, 0);
    const killed = performance.now() - lastChange > KILL_MS;
    if (end.error !== undefined || killed) {
      // The case in progress never reported: regenerate it here and save it.
      let fuzzCase = null;
      try {
        fuzzCase = await makeCase(api, pool, runSeed, stuck);
      } catch {
        // counted below; the worker already said what went wrong
      }
      const failure = killed
        ? { guarantee: "hang", where: "case", message: `case still running after ${KILL_MS} ms (limit ${HANG_MS}); the worker was killed` }
        : { guarantee: "internal-error", where: "worker", message: `the worker died: ${end.error?.message ?? end.code}`, stack: end.error?.stack };
      record(summary, stuck, { failures: [failure], action: null, codes: [], typedErrors: [], ms: performance.now() - lastChange });
      if (fuzzCase !== null) keep(fuzzCase, [failure]);
      next = stuck + 1;
    }
  }
  printSummary(summary, startedAt, runSeed, saved, api);
  if (harnessErrors > 0) console.log(`${harnessErrors} cases could not be made (harness errors, see above)`);
  process.exitCode = Object.keys(summary.failures).length > 0 || harnessErrors > 0 ? 1 : 0;
}
