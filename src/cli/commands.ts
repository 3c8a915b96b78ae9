// The runners behind `retag show`, `retag check` and `retag [fix]`: inputs → core → report → exit code.
// Each wheel is handled on its own: one that cannot be read is reported and the others go on.
import { availableParallelism } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { analyzeBinary } from "../analyze.js";
import { checkWheelBytes } from "../check.js";
import { MAX_MEMBER_SIZE } from "../check.js";
import { WheelError } from "../errors.js";
import { expandInputs, isUnchanged, readInput, readInputWithIdentity, removeFile, removeStaleTemporaries, writeAtomically, type FileIdentity } from "../node.js";
import { retagWheelBytes } from "../retag.js";
import type { BinaryReport, CheckOptions, CheckResult } from "../types.js";
import { openZip, readMember } from "../wheel/zip.js";
import { exitCode } from "./exit.js";
import {
  checkJson,
  checkText,
  fixJson,
  fixText,
  githubAnnotations,
  showJson,
  showText,
  type FixOutcome,
  type Format,
} from "./render.js";
import type { Style } from "./style.js";

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colours for text output (a terminal, unless NO_COLOR). */
  style?: Style;
  /** Rewrites one status line on stderr (a terminal outside CI); absent when there is none. */
  progress?: (line: string) => void;
}

/** A progress line for batches of more than a few wheels, in text mode only. */
function progressFor(out: Output, total: number, format: Format, quiet: boolean): (done: number, name: string) => void {
  const show = out.progress;
  if (show === undefined || total <= 3 || format !== "text" || quiet) return () => undefined;
  return (done, name) => show(done === total ? "" : `[${done}/${total}] ${basename(name)}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "EISDIR") return "is a directory";
    return error.message;
  }
  return String(error);
}

/** Runs `work` over `items` with at most `jobs` in flight, keeping results in input order. */
async function mapLimited<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>, onDone?: (done: number, item: T) => void): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
      onDone?.(++done, items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

const defaultJobs = (): number => availableParallelism();

// ───────────────────────────── show ─────────────────────────────

/** A wheel (by zip magic) lists its Mach-O members; any other file is read as one binary. */
function binariesOf(path: string, bytes: Uint8Array): BinaryReport[] {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip) {
    const report = analyzeBinary(null, bytes, { python2Only: false });
    if (report === null) throw new Error("not a Mach-O file or a wheel");
    const mod = basename(path).endsWith(".so") ? analyzeBinary(basename(path), bytes, { python2Only: false }) : null;
    return [mod === null ? report : { ...mod, member: null }];
  }
  const archive = openZip(bytes);
  const reports: BinaryReport[] = [];
  for (const m of archive.members) {
    if (m.isDirectory) continue;
    const r = analyzeBinary(m.name, readMember(archive, m, { maxMemberSize: MAX_MEMBER_SIZE }), { python2Only: false });
    if (r !== null) reports.push(r);
  }
  return reports;
}

export async function runShow(paths: string[], options: { format: "text" | "json" }, out: Output): Promise<number> {
  const inputs = await expandInputs(paths);
  const files: Array<{ path: string; binaries: BinaryReport[]; error?: string }> = [];
  let inputErrors = 0;
  for (const input of inputs) {
    if (input.error !== undefined) {
      inputErrors++;
      files.push({ path: input.path, binaries: [], error: input.error });
      continue;
    }
    try {
      files.push({ path: input.path, binaries: binariesOf(input.path, await readInput(input.path)) });
    } catch (error) {
      inputErrors++;
      files.push({ path: input.path, binaries: [], error: error instanceof WheelError ? error.message : describe(error) });
    }
  }
  if (options.format === "json") out.stdout(showJson(files));
  else {
    for (const f of files) {
      if (f.error !== undefined) out.stderr(`${f.path}: error: ${f.error}`);
      else out.stdout(showText(f.path, f.binaries));
    }
  }
  return exitCode({ internalErrors: 0, inputErrors, failed: 0 });
}

// ───────────────────────────── check ─────────────────────────────

export interface CheckRunOptions {
  format: Format;
  verbose: boolean;
  quiet: boolean;
  jobs: number | undefined;
}

export async function runCheck(paths: string[], checkOptions: CheckOptions, options: CheckRunOptions, out: Output): Promise<number> {
  const inputs = await expandInputs(paths);
  let inputErrors = 0;
  let internalErrors = 0;
  const progress = progressFor(out, inputs.length, options.format, options.quiet);
  const results = await mapLimited(inputs, options.jobs ?? defaultJobs(), async (input): Promise<CheckResult | { path: string; error: string }> => {
    if (input.error !== undefined) return { path: input.path, error: input.error };
    let bytes: Uint8Array;
    try {
      bytes = await readInput(input.path);
    } catch (error) {
      return { path: input.path, error: `${input.path}: ${describe(error)}` };
    }
    try {
      return checkWheelBytes(input.path, bytes, checkOptions);
    } catch (error) {
      internalErrors++;
      return { path: input.path, error: `${input.path}: internal error: ${describe(error)}` };
    }
  }, (done, input) => progress(done, input.path));
  const checked: CheckResult[] = [];
  for (const r of results) {
    if ("error" in r) {
      inputErrors++;
      out.stderr(`retag: ${r.error}`);
    } else checked.push(r);
  }
  inputErrors -= internalErrors;
  if (options.format === "json") out.stdout(checkJson(checked));
  else if (options.format === "github") {
    for (const r of checked) if (r.findings.length > 0) out.stdout(githubAnnotations(r.wheel, r.findings));
  } else {
    for (const r of checked) if (!(options.quiet && r.ok)) out.stdout(checkText(r, options.verbose, out.style));
  }
  return exitCode({ internalErrors, inputErrors, failed: checked.filter((r) => !r.ok).length });
}

// ───────────────────────────── fix ─────────────────────────────

export interface FixRunOptions extends CheckRunOptions {
  wheelDir: string | null;
  dryRun: boolean;
  force: boolean;
}

async function fixOne(path: string, checkOptions: CheckOptions, options: FixRunOptions): Promise<FixOutcome> {
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

export async function runFix(paths: string[], checkOptions: CheckOptions, options: FixRunOptions, out: Output): Promise<number> {
  const inputs = await expandInputs(paths);
  let internalErrors = 0;
  let inputErrors = 0;
  if (!options.dryRun) {
    // What a killed run left behind is recognised by its name and removed before this run writes.
    const folders = new Set(options.wheelDir !== null ? [options.wheelDir] : inputs.map((i) => dirname(i.path)));
    for (const folder of folders) await removeStaleTemporaries(folder);
  }
  const progress = progressFor(out, inputs.length, options.format, options.quiet);
  const outcomes = await mapLimited(inputs, options.jobs ?? defaultJobs(), async (input): Promise<FixOutcome> => {
    if (input.error !== undefined) return { input: input.path, output: null, result: null, error: input.error };
    try {
      return await fixOne(input.path, checkOptions, options);
    } catch (error) {
      internalErrors++;
      return { input: input.path, output: null, result: null, error: `internal error: ${describe(error)}` };
    }
  }, (done, input) => progress(done, input.path));
  let failed = 0;
  for (const o of outcomes) {
    if (o.result === null) inputErrors++;
    else if (o.error !== null || !o.result.ok) failed++;
  }
  inputErrors -= internalErrors;
  if (options.format === "json") out.stdout(fixJson(outcomes));
  else if (options.format === "github") {
    for (const o of outcomes) {
      if (o.result === null) out.stdout(`::error file=${o.input}::${o.error ?? ""}`);
      else if (o.result.remaining.length > 0) out.stdout(githubAnnotations(o.input, o.result.remaining));
    }
  } else {
    for (const o of outcomes) {
      if (options.quiet && o.error === null && o.result?.action === "unchanged" && o.result.ok) continue;
      const text = fixText(o, options.verbose, out.style);
      if (o.result === null) out.stderr(`retag: ${text}`);
      else out.stdout(text);
    }
  }
  return exitCode({ internalErrors, inputErrors, failed });
}
