// One wheel's work, as run by the CLI (in the main thread or in a worker of src/cli/pool.ts): read
// it, check or fix it, write the result. Returns plain data that can cross a thread boundary. The
// wheel is opened, not read: the core reads it by ranges (src/node/file-source.ts), so a check holds
// one member at a time, not the wheel (DESIGN §7).
import { dirname, join, resolve } from "node:path";
import { checkWheelSource } from "../flow/check.js";
import { retagWheelSource, type RetagResult } from "../flow/fix.js";
import { RetagError } from "../model/errors.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import type { OutputPart } from "../zip/index.js";
import { nodeCodecs } from "../node/codecs.js";
import { CHANGED_WHILE_READ, openInput, sameIdentity, type InputFile } from "../node/file-source.js";
import { discardEarlyCopy, startEarlyCopy, type EarlyCopy } from "../node/early-copy.js";
import { currentIdentity, fileEquals, isUnchanged, removeFile, writeAtomically } from "../node/write.js";
import type { Claim, Turn } from "./order.js";

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "EISDIR") return "is a directory";
    if (code === "ENOTDIR") return "a part of the path is not a directory";
    if (code === "ENOSPC") return "no space left on the device";
    if (code === "EROFS") return "the file system is read-only";
    if (code === "ENAMETOOLONG") return "the file name is too long for the file system";
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

// ───────────────────────────── check ─────────────────────────────

/** A checked wheel, or why it could not be checked (`error` names no path: the renderer adds it). */
export type CheckOutcome =
  | { path: string; result: CheckResult; error: null; internal: false }
  | { path: string; result: null; error: string; internal: boolean };

export async function checkOne(path: string, checkOptions: CheckOptions): Promise<CheckOutcome> {
  let input: InputFile;
  try {
    input = openInput(path);
  } catch (error) {
    return { path, result: null, error: describe(error), internal: false };
  }
  try {
    const result = await checkWheelSource(path, input, nodeCodecs, checkOptions);
    // Read by ranges over the whole check: a wheel rewritten meanwhile may have given a mix of both.
    if (!input.isUnchanged()) return { path, result: null, error: CHANGED_WHILE_READ, internal: false };
    return { path, result, error: null, internal: false };
  } catch (error) {
    if (isInputFailure(error)) return { path, result: null, error: describe(error), internal: false };
    return { path, result: null, error: `internal error: ${describe(error)}`, internal: true };
  } finally {
    input.close();
  }
}

// ───────────────────────────── fix ─────────────────────────────

export interface FixTaskOptions {
  wheelDir: string | null;
  dryRun: boolean;
  force: boolean;
}

/**
 * What fix mode did with one wheel (what it would do, in a dry run):
 * - rewritten: the target holds the rewrite (written now, or found there already);
 * - unchanged: the wheel is correct: left alone in place, or copied as it is with -w;
 * - refused: an error fix mode cannot repair remains; nothing is written;
 * - error: the wheel could not be read, or its result could not be written.
 */
export type FixStatus = "rewritten" | "unchanged" | "refused" | "error";

export interface FixOutcome {
  input: string;
  status: FixStatus;
  /** The file the result is (or, in a dry run, would be) at; null when there is none. */
  target: string | null;
  /** The check and the rewrite plan (without the output's bytes); null when the wheel could not be read. */
  result: RetagResult | null;
  /** Why the wheel was not read or written (no path: the renderer adds it). */
  error: string | null;
  /** A remark on a success (the target already held these bytes; another process fixed it first). */
  note: string | null;
  /** For the batch's commit order: the target this wheel wrote (or would write), and whether its input went away. */
  wrote: Claim | null;
  removedInput: boolean;
  /** retag itself failed (exit code 3). */
  internal: boolean;
}

const CHANGED = "the wheel changed on disk while retag ran; left alone (run retag again)";
export const FIXED_ELSEWHERE = "already fixed by another process";

function outcome(input: string, fields: Partial<FixOutcome> & Pick<FixOutcome, "status">): FixOutcome {
  return { input, target: null, result: null, error: null, note: null, wrote: null, removedInput: false, internal: false, ...fields };
}

/** A fix of one wheel; never throws (retag's own failures are `internal` outcomes). */
export async function fixTask(path: string, checkOptions: CheckOptions, options: FixTaskOptions, turn: Turn): Promise<FixOutcome> {
  try {
    const done = await fixOne(path, checkOptions, options, turn);
    // The new bytes are on disk by now; only the report crosses back.
    return done.result === null ? done : { ...done, result: { ...done.result, output: null } };
  } catch (error) {
    return outcome(path, { status: "error", error: `internal error: ${describe(error)}`, internal: true });
  }
}

async function fixOne(path: string, checkOptions: CheckOptions, options: FixTaskOptions, turn: Turn): Promise<FixOutcome> {
  let input: InputFile;
  try {
    input = openInput(path);
  } catch (error) {
    return outcome(path, { status: "error", error: describe(error) });
  }
  try {
    return await fixOpened(input, checkOptions, options, turn);
  } finally {
    input.close();
  }
}

async function fixOpened(input: InputFile, checkOptions: CheckOptions, options: FixTaskOptions, turn: Turn): Promise<FixOutcome> {
  // With -w the output is written whatever the check says (rewritten, or copied unchanged), and starts
  // with the input's bytes: they are copied into the folder while the check runs.
  const early = options.wheelDir !== null && !options.dryRun ? await startEarlyCopy(input, options.wheelDir) : null;
  try {
    return await fixChecked(input, checkOptions, options, turn, early);
  } finally {
    await discardEarlyCopy(early);
  }
}

async function fixChecked(input: InputFile, checkOptions: CheckOptions, options: FixTaskOptions, turn: Turn, early: EarlyCopy | null): Promise<FixOutcome> {
  const path = input.path;
  let result: RetagResult;
  try {
    result = await retagWheelSource(path, input, nodeCodecs, checkOptions);
  } catch (error) {
    if (isInputFailure(error)) return outcome(path, { status: "error", error: describe(error) });
    throw error;
  }
  // A wheel with an error that fix mode cannot repair yields nothing: -w never receives a broken wheel.
  if (result.action === "refused" || !result.ok) return outcome(path, { status: "refused", result });
  const inPlace = options.wheelDir === null;
  const target = join(options.wheelDir ?? dirname(path), result.filename);
  const sameName = resolve(target) === resolve(path);
  // A correct wheel is never rewritten: in place it is left alone.
  if (result.action === "unchanged" && (inPlace || sameName)) return outcome(path, { status: "unchanged", target: path, result });

  const status = result.action === "unchanged" ? "unchanged" : "rewritten";
  const parts: readonly OutputPart[] =
    result.action === "unchanged" ? [{ source: input, offset: 0, length: input.size }] : (result.output?.parts ?? []);
  const size = result.action === "unchanged" ? input.size : (result.output?.size ?? 0);
  if (result.action === "rewritten" && result.output === null) throw new Error("a rewritten result has no output");
  const claim: Claim = { target, removesInput: inPlace && !sameName };
  const verdict = await turn(claim);
  const failed = (error: string): FixOutcome => outcome(path, { status: "error", result, error });
  if (verdict.collidesWith !== null) {
    return failed(`not written: ${target} is also what ${verdict.collidesWith} becomes, earlier in the arguments (the first one wins)`);
  }
  const laterInput = `not written: ${target} is another input of this run and is never replaced (fix it on its own first)`;
  const done = (note: string | null, removedInput: boolean): FixOutcome => outcome(path, { status, result, target, note, wrote: claim, removedInput });

  /**
   * The input is not the file that was read any more. Either someone changed it (it is left alone
   * and reported), or another retag fixed the same wheel first: then the target already holds exactly
   * the bytes this run would write, which is success.
   */
  const changedElsewhere = async (): Promise<FixOutcome> =>
    (await fileEquals(target, parts, size)) ? done(FIXED_ELSEWHERE, false) : failed(CHANGED);

  if (options.dryRun) {
    // What the real run meets, without writing: the same checks in the same order.
    if (!input.isUnchanged()) return changedElsewhere();
    if (!sameName && !verdict.targetRemoved && (await currentIdentity(target)) !== null) {
      if (await fileEquals(target, parts, size)) return done("already there", claim.removesInput);
      if (!options.force) return failed(`not written: ${target} already exists (use --force to replace it)`);
      if (verdict.targetIsLaterInput) return failed(laterInput);
    }
    return done(null, claim.removesInput);
  }

  try {
    if (inPlace && sameName) {
      // Only WHEEL changes: the rewrite replaces the input, which must still be the file that was read.
      if (!(await isUnchanged(path, input.identity))) return await changedElsewhere();
      await writeAtomically(target, parts, { force: true, stillValid: () => input.isUnchanged() });
      return done(null, false);
    }
    let note: string | null = null;
    if (await fileEquals(target, parts, size)) {
      // The bytes compared were read from the input now: they count only if it did not change.
      if (!input.isUnchanged()) return await changedElsewhere();
      note = "already there";
    } else {
      if (options.force && verdict.targetIsLaterInput && (await currentIdentity(target)) !== null) return failed(laterInput);
      const written = await writeAtomically(target, parts, { force: options.force && !verdict.targetIsLaterInput, stillValid: () => input.isUnchanged(), early });
      if (written === "identical") note = FIXED_ELSEWHERE;
    }
    if (!claim.removesInput) return done(note, false);
    // In place, the old file goes only after the new one is safely in place (DESIGN §4), and only if
    // it is still the file that was read.
    const now = await currentIdentity(path);
    if (now === null) return done(FIXED_ELSEWHERE, true);
    if (!sameIdentity(now, input.identity)) {
      return outcome(path, { status: "error", result, target, wrote: claim, error: `the wheel changed on disk while retag ran; it was kept next to ${target}` });
    }
    const removal = await removeFile(path).then(
      () => null,
      (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? null : describe(error)),
    );
    if (removal !== null) return outcome(path, { status: "error", result, target, wrote: claim, error: `written to ${target}, but the old file could not be removed: ${removal}` });
    return done(note, true);
  } catch (error) {
    if (error instanceof RetagError && error.message === CHANGED_WHILE_READ) return await changedElsewhere();
    return failed(`not written: ${describe(error)}`);
  }
}
