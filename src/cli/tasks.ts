// One wheel's work, as run by the CLI (in the main thread or in a worker of src/cli/pool.ts): read
// it, check or fix it, write the result. Returns plain data that can cross a thread boundary.
import { dirname, join, resolve } from "node:path";
import { checkWheelBytes } from "../check.js";
import { isUnchanged, readInput, readInputWithIdentity, removeFile, writeAtomically, type FileIdentity } from "../node.js";
import { retagWheelBytes } from "../retag.js";
import type { BinaryReport, CheckOptions, CheckResult } from "../types.js";
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

export type CheckOutcome =
  | { path: string; result: CheckResult; error: null; internal: false }
  | { path: string; result: null; error: string; internal: boolean };

export async function checkOne(path: string, checkOptions: CheckOptions): Promise<CheckOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readInput(path);
  } catch (error) {
    return { path, result: null, error: `${path}: ${describe(error)}`, internal: false };
  }
  try {
    return { path, result: slim(checkWheelBytes(path, bytes, checkOptions)), error: null, internal: false };
  } catch (error) {
    return { path, result: null, error: `${path}: internal error: ${describe(error)}`, internal: true };
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
    return { ...outcome, result: outcome.result === null ? null : { ...outcome.result, check: slim(outcome.result.check), chunks: null }, internal: false };
  } catch (error) {
    return { input: path, output: null, result: null, error: `internal error: ${describe(error)}`, internal: true };
  }
}

/** Reports carry no export lists (thousands of names per slice that no output prints). */
function slim(result: CheckResult): CheckResult {
  return { ...result, binaries: result.binaries.map((b: BinaryReport) => ({ ...b, slices: b.slices.map((s) => ({ ...s, exports: [] })) })) };
}

async function fixOne(path: string, checkOptions: CheckOptions, options: FixTaskOptions): Promise<FixOutcome> {
  let bytes: Uint8Array;
  let identity: FileIdentity;
  try {
    ({ bytes, identity } = await readInputWithIdentity(path));
  } catch (error) {
    return { input: path, output: null, result: null, error: describe(error) };
  }
  const result = retagWheelBytes(path, bytes, checkOptions);
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
      // A correct wheel is never rewritten: in place it is left alone; with -w the checked bytes are
      // written there as they are.
      if (inPlace || resolve(target) === resolve(path)) return { input: path, output: path, result, error: null };
      if (!(await existingEquals(target, [bytes]))) await writeAtomically(target, [bytes], { force: options.force });
      return { input: path, output: target, result, error: null };
    }
    const chunks = result.chunks ?? [];
    const replacesInput = inPlace && resolve(target) === resolve(path);
    if (inPlace && !(await isUnchanged(path, identity))) return changed;
    if (replacesInput || !(await existingEquals(target, chunks))) {
      await writeAtomically(target, chunks, { force: options.force || replacesInput });
    }
    // In place, the old file goes only after the new one is safely renamed into place (DESIGN §4),
    // and only if it is still the file that was read.
    if (inPlace && !replacesInput) {
      if (!(await isUnchanged(path, identity))) return { ...changed, output: target, error: `the wheel changed on disk while retag ran; it was kept next to ${target}` };
      await removeFile(path);
    }
    return { input: path, output: target, result, error: null };
  } catch (error) {
    return { input: path, output: null, result, error: describe(error) };
  }
}

/** True when `target` exists with exactly these bytes (so writing it again would change nothing). */
async function existingEquals(target: string, chunks: readonly Uint8Array[]): Promise<boolean> {
  let existing: Uint8Array;
  try {
    existing = await readInput(target);
  } catch {
    return false;
  }
  let offset = 0;
  for (const c of chunks) {
    if (offset + c.length > existing.length) return false;
    if (!Buffer.from(existing.buffer, existing.byteOffset + offset, c.length).equals(c)) return false;
    offset += c.length;
  }
  return offset === existing.length;
}

