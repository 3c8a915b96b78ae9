// One wheel's work, as run by the CLI (in the main thread or in a worker of src/cli/pool.ts): read
// it, check or fix it, write the result. Returns plain data that can cross a thread boundary. The
// wheel is opened, not read: the core reads it by ranges (src/node.ts openInput), so a check holds
// one member at a time, not the wheel (DESIGN §7).
import { dirname, join, resolve } from "node:path";
import { checkWheelSource } from "../flow/check.js";
import { retagWheelSource, type RetagResult } from "../flow/fix.js";
import { RetagError } from "../model/errors.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { CHANGED_WHILE_READ, openInput, type InputFile } from "../node/file-source.js";
import { fileEquals, isUnchanged, removeFile, writeAtomically } from "../node/write.js";
import type { FixOutcome } from "./render.js";

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "EISDIR") return "is a directory";
    return error.message;
  }
  return String(error);
}

/**
 * Whether an error while reading a wheel is about the input (it changed, a system call on it failed:
 * exit 2) rather than retag's own failure (exit 3).
 */
export function isInputFailure(error: unknown): boolean {
  return error instanceof RetagError || typeof (error as NodeJS.ErrnoException | null)?.syscall === "string";
}

export type CheckOutcome =
  | { path: string; result: CheckResult; error: null; internal: false }
  | { path: string; result: null; error: string; internal: boolean };

export async function checkOne(path: string, checkOptions: CheckOptions): Promise<CheckOutcome> {
  let input: InputFile;
  try {
    input = openInput(path);
  } catch (error) {
    return { path, result: null, error: `${path}: ${describe(error)}`, internal: false };
  }
  try {
    const result = await checkWheelSource(path, input, nodeCodecs, checkOptions);
    // Read by ranges over the whole check: a wheel rewritten meanwhile may have given a mix of both.
    if (!input.isUnchanged()) return { path, result: null, error: `${path}: ${CHANGED_WHILE_READ}`, internal: false };
    return { path, result, error: null, internal: false };
  } catch (error) {
    if (isInputFailure(error)) return { path, result: null, error: `${path}: ${describe(error)}`, internal: false };
    return { path, result: null, error: `${path}: internal error: ${describe(error)}`, internal: true };
  } finally {
    input.close();
  }
}

export interface FixTaskOptions {
  wheelDir: string | null;
  dryRun: boolean;
  force: boolean;
}

/** A fix outcome with `internal` set when retag itself failed (exit code 3). */
export type FixTaskOutcome = FixOutcome & { internal: boolean };

export async function fixTask(path: string, checkOptions: CheckOptions, options: FixTaskOptions): Promise<FixTaskOutcome> {
  try {
    const outcome = await fixOne(path, checkOptions, options);
    // The new bytes are on disk by now; only the report crosses back.
    return { ...outcome, result: outcome.result === null ? null : { ...outcome.result, output: null }, internal: false };
  } catch (error) {
    return { input: path, output: null, result: null, error: `internal error: ${describe(error)}`, internal: true };
  }
}

async function fixOne(path: string, checkOptions: CheckOptions, options: FixTaskOptions): Promise<FixOutcome> {
  let input: InputFile;
  try {
    input = openInput(path);
  } catch (error) {
    return { input: path, output: null, result: null, error: describe(error) };
  }
  try {
    return await fixOpened(input, checkOptions, options);
  } finally {
    input.close();
  }
}

async function fixOpened(input: InputFile, checkOptions: CheckOptions, options: FixTaskOptions): Promise<FixOutcome> {
  const path = input.path;
  let result: RetagResult;
  try {
    result = await retagWheelSource(path, input, nodeCodecs, checkOptions);
  } catch (error) {
    if (isInputFailure(error)) return { input: path, output: null, result: null, error: describe(error) };
    throw error;
  }
  const folder = options.wheelDir ?? dirname(path);
  const target = join(folder, result.filename);
  // A wheel with an error that fix mode cannot repair yields nothing: -w never receives a broken wheel.
  if (result.action === "refused" || !result.ok) return { input: path, output: null, result, error: null };
  if (options.dryRun) return { input: path, output: result.action === "unchanged" && options.wheelDir === null ? path : target, result, error: null };
  const inPlace = options.wheelDir === null;
  // The input must still be what was checked before anything replaces or removes it (someone may
  // have rebuilt it meanwhile); a changed input is left alone and reported.
  const changed = { input: path, output: null, result, error: "the wheel changed on disk while retag ran; left alone (run retag again)" };
  try {
    if (result.action === "unchanged") {
      // A correct wheel is never rewritten: in place it is left alone; with -w the checked file is
      // copied there as it is, piece by piece from the open input (never held whole), and only if
      // it did not change since the check.
      if (inPlace || resolve(target) === resolve(path)) return { input: path, output: path, result, error: null };
      if (!input.isUnchanged()) return changed;
      const whole = [{ source: input, offset: 0, length: input.size }];
      if (!(await fileEquals(target, whole, input.size))) {
        await writeAtomically(target, whole, { force: options.force, stillValid: () => input.isUnchanged() });
      }
      return { input: path, output: target, result, error: null };
    }
    const output = result.output;
    if (output === null) throw new Error("a rewritten result has no output");
    // The check read the open file; the copied records are read from it again as they are written:
    // both saw the same wheel only if it did not change in between.
    if (!input.isUnchanged()) return changed;
    const replacesInput = inPlace && resolve(target) === resolve(path);
    if (inPlace && !(await isUnchanged(path, input.identity))) return changed;
    if (replacesInput || !(await fileEquals(target, output.parts, output.size))) {
      await writeAtomically(target, output.parts, { force: options.force || replacesInput, stillValid: () => input.isUnchanged() });
    }
    input.close();
    // In place, the old file goes only after the new one is safely renamed into place (DESIGN §4),
    // and only if it is still the file that was read.
    if (inPlace && !replacesInput) {
      if (!(await isUnchanged(path, input.identity))) return { ...changed, output: target, error: `the wheel changed on disk while retag ran; it was kept next to ${target}` };
      await removeFile(path);
    }
    return { input: path, output: target, result, error: null };
  } catch (error) {
    if (error instanceof RetagError && error.message === CHANGED_WHILE_READ) return changed;
    return { input: path, output: null, result, error: describe(error) };
  }
}
