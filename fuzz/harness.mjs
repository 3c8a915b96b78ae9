// @ts-check
// The fuzz harness, independent of where retag comes from: the caller passes the API (dist/ for
// `npm run fuzz`, src/ for the vitest run) and the seed pool, and gets a summary back.
//
//   api: { checkWheel, retagWheel, parseMachO, openZip, readMember, writeZip, parseRecord,
//          FINDINGS, MAX_FINDINGS_PER_CODE, MAX_MESSAGE, WheelError, MachOError, RetagError, ZipError }
//          (asynchronous where the core is)
import { makeCase } from "./cases.mjs";
import { checkCase, failureSignature } from "./guarantees.mjs";

export { makeCase } from "./cases.mjs";
export { checkCase, failureSignature, HANG_MS, MEMORY_LIMIT } from "./guarantees.mjs";
export { loadSeedPool } from "./seeds.mjs";
export { loadSavedCase, saveFailure } from "./saved.mjs";
export { checkCli } from "./cli.mjs";
export { hasZipfile, zipfileProblems } from "./zipfile.mjs";

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
