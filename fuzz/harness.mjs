// @ts-check
// The fuzz harness, independent of where retag comes from: the caller passes the API (dist/ for
// `npm run fuzz`, src/ for the vitest run) and the seed pool, and gets a summary back.
//
//   api: { checkWheel, retagWheel, parseMachO, openZip, readMember, writeZip, parseRecord,
//          FINDINGS, MAX_FINDINGS_PER_CODE, MAX_MESSAGE, WheelError, MachOError, RetagError, ZipError }
//          (asynchronous where the core is)
import { makeCase as makeWheelCase } from "./cases.mjs";
import { checkFuseCase, FUSE_EVERY, makeFuseCase } from "./fuse-cases.mjs";
import { checkCase as checkWheelCase, failureSignature } from "./guarantees.mjs";

export { failureSignature, HANG_MS, MEMORY_LIMIT } from "./guarantees.mjs";
export { checkFuseCase, FUSE_EVERY, makeFuseCase, runFuseCases } from "./fuse-cases.mjs";
export { loadSeedPool } from "./seeds.mjs";
export { loadSavedCase, saveFailure } from "./saved.mjs";
export { checkCli } from "./cli.mjs";
export { hasZipfile, zipfileProblems } from "./zipfile.mjs";

/**
 * The wheel case of (seed, index); every FUSE_EVERY-th one also carries a fuse case (a mutated pair
 * of thin wheels, fuse-cases.mjs) when the API has fuse and split.
 */
export async function makeCase(api, pool, runSeed, index) {
  /** @type {any} */
  const fuzzCase = await makeWheelCase(api, pool, runSeed, index);
  if (typeof api.fuseWheels === "function" && index % FUSE_EVERY === 0) fuzzCase.fuse = await makeFuseCase(api, pool, runSeed, index);
  return fuzzCase;
}

/** The wheel case's guarantees, and the fuse case's when it carries one (fuse-cases.mjs). */
export async function checkCase(api, fuzzCase) {
  const outcome = await checkWheelCase(api, fuzzCase);
  if (fuzzCase.fuse !== undefined && typeof api.fuseWheels === "function") {
    const fuse = await checkFuseCase(api, fuzzCase.fuse);
    outcome.failures.push(...fuse.failures.map((f) => ({ ...f, where: `fuse: ${f.where}` })));
    outcome.typedErrors.push(...fuse.typedErrors.map((t) => `fuse:${t}`));
    outcome.ms += fuse.ms;
  }
  return outcome;
}

/**
 * @typedef {object} Summary
 * @property {number} cases
 * @property {{ [action: string]: number }} actions   unchanged / rewritten / refused / threw
 * @property {{ [code: string]: number }} codes        how many cases reported each finding code
 * @property {{ [name: string]: number }} typedErrors  typed errors thrown (allowed)
 * @property {{ [signature: string]: { count: number, first: number } }} failures  by signature, with the first case index
 * @property {number} slowestMs
 */

export function emptySummary() {
  return { cases: 0, actions: {}, codes: {}, typedErrors: {}, failures: {}, slowestMs: 0 };
}

const bump = (counts, key) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Folds one case's outcome into a summary; returns the outcome's failure signatures. */
export function record(summary, index, outcome) {
  summary.cases++;
  bump(summary.actions, outcome.action ?? "threw");
  for (const code of outcome.codes) bump(summary.codes, code);
  for (const name of outcome.typedErrors) bump(summary.typedErrors, name);
  summary.slowestMs = Math.max(summary.slowestMs, outcome.ms);
  return recordFailures(summary, index, outcome.failures);
}

/** Folds failures found for case `index` into a summary (also later, as Python's zipfile judges rewrites in batches). */
export function recordFailures(summary, index, failures) {
  const signatures = [];
  for (const failure of failures) {
    const signature = failureSignature(failure);
    const entry = summary.failures[signature] ?? { count: 0, first: index };
    entry.count++;
    summary.failures[signature] = entry;
    signatures.push(signature);
  }
  return signatures;
}

/**
 * Runs cases `start` … `start + count - 1` of the run seeded `runSeed`. `onFailure(case, outcome)`
 * is called for each case that broke a guarantee, `onRewrite(case, output)` for each rewrite.
 * @param {any} api
 * @param {any} pool
 * @param {{ runSeed: number, start?: number, count: number, onFailure?: (fuzzCase: any, outcome: any) => void | Promise<void>, onRewrite?: (fuzzCase: any, output: { filename: string, bytes: Uint8Array }) => void }} options
 * @returns {Promise<Summary>}
 */
export async function runCases(api, pool, { runSeed, start = 0, count, onFailure = async () => {}, onRewrite = () => {} }) {
  const summary = emptySummary();
  for (let index = start; index < start + count; index++) {
    const fuzzCase = await makeCase(api, pool, runSeed, index);
    const outcome = await checkCase(api, fuzzCase);
    record(summary, index, outcome);
    if (outcome.output !== undefined) onRewrite(fuzzCase, outcome.output);
    if (outcome.failures.length > 0) await onFailure(fuzzCase, outcome);
  }
  return summary;
}
