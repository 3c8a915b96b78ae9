// The runners behind `retag show`, `retag check` and `retag [fix]`: inputs → core → report → exit code.
// Each wheel is handled on its own: one that cannot be read is reported and the others go on.
import { availableParallelism } from "node:os";
import { basename, dirname } from "node:path";
import { showSource } from "../flow/show.js";
import type { BinaryReport } from "../model/binary.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { openInput } from "../node/file-source.js";
import { expandInputs } from "../node/inputs.js";
import { outputFolders, removeStaleTemporaries } from "../node/write.js";
import { exitCode } from "./exit.js";
import { checkRemoteInputs, showRemoteInputs, splitInputs, type RemoteRunOptions } from "./remote-inputs.js"; // issue 18 (h/web)
import { runTasks } from "./pool.js";
import { checkUnpackedFolders, showUnpackedFolders } from "./unpacked.js";
import { describe, isInputFailure, type FixTaskOptions } from "./tasks.js";
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

const defaultJobs = (): number => availableParallelism();

// ───────────────────────────── show ─────────────────────────────

export async function runShow(paths: string[], options: { format: "text" | "json"; remote?: RemoteRunOptions }, out: Output): Promise<number> {
  // issue 18 (h/web): URLs and pypi: inputs are read over HTTP (remote-inputs.ts), after the local ones.
  const split = splitInputs(paths);
  // A folder that is a distribution (an unpacked wheel, a site-packages) is shown by ./unpacked.ts.
  const unpacked = await showUnpackedFolders(split.local);
  const inputs = await expandInputs(unpacked.rest);
  const files: Array<{ path: string; binaries: BinaryReport[]; error?: string }> = [...unpacked.files];
  let inputErrors = unpacked.files.filter((f) => f.error !== undefined).length;
  let internalErrors = 0;
  for (const input of inputs) {
    if (input.error !== undefined) {
      inputErrors++;
      files.push({ path: input.path, binaries: [], error: input.error });
      continue;
    }
    try {
      const file = openInput(input.path);
      try {
        files.push({ path: input.path, binaries: await showSource(input.path, file, nodeCodecs) });
      } finally {
        file.close();
      }
    } catch (error) {
      // What the input is (missing, not a wheel, a broken zip) is an input error; anything else is
      // retag's own failure (exit 3).
      const isInput = isInputFailure(error);
      if (isInput) inputErrors++;
      else internalErrors++;
      files.push({ path: input.path, binaries: [], error: isInput ? describe(error) : `internal error: ${describe(error)}` });
    }
  }
  // issue 18 (h/web): remote inputs
  const remote = await showRemoteInputs(split.remote, { ...options.remote, progress: options.format === "text" }, out);
  files.push(...remote.files);
  inputErrors += remote.inputErrors;
  internalErrors += remote.internalErrors;
  if (options.format === "json") out.stdout(showJson(files));
  else {
    for (const f of files) {
      if (f.error !== undefined) out.stderr(`${f.path}: error: ${f.error}`);
      else out.stdout(showText(f.path, f.binaries));
    }
  }
  return exitCode({ internalErrors, inputErrors, failed: 0 });
}

// ───────────────────────────── check ─────────────────────────────

export interface CheckRunOptions {
  format: Format;
  verbose: boolean;
  quiet: boolean;
  jobs: number | undefined;
  /** issue 18 (h/web): how URLs and pypi: inputs are read. */
  remote?: RemoteRunOptions;
}

export async function runCheck(paths: string[], checkOptions: CheckOptions, options: CheckRunOptions, out: Output): Promise<number> {
  // issue 18 (h/web): URLs and pypi: inputs are read over HTTP (remote-inputs.ts), after the local ones.
  const split = splitInputs(paths);
  // A folder that is a distribution (an unpacked wheel, a site-packages) is checked by ./unpacked.ts.
  const unpacked = await checkUnpackedFolders(split.local, checkOptions);
  const inputs = await expandInputs(unpacked.rest);
  const progress = progressFor(out, inputs.length, options.format, options.quiet);
  const readable = inputs.filter((i) => i.error === undefined);
  const tasks = readable.map((i) => ({ kind: "check" as const, path: i.path, checkOptions }));
  const outcomes = await runTasks(tasks, options.jobs ?? defaultJobs(), (done, task) => progress(done, task.path));
  let inputErrors = 0;
  let internalErrors = 0;
  for (const input of inputs) {
    if (input.error === undefined) continue;
    inputErrors++;
    out.stderr(`retag: ${input.error}`);
  }
  // issue 18 (h/web): remote inputs
  const remote = await checkRemoteInputs(split.remote, checkOptions, { ...options.remote, verbose: options.verbose, quiet: options.quiet, jobs: options.jobs, progress: options.format === "text" }, out);
  outcomes.push(...remote.outcomes);
  inputErrors += remote.inputErrors.length;
  for (const e of remote.inputErrors) out.stderr(`retag: ${e}`);
  const checked: CheckResult[] = [...unpacked.results];
  for (const error of unpacked.errors) {
    inputErrors++;
    out.stderr(`retag: ${error}`);
  }
  for (const o of outcomes) {
    if (o.result !== null) checked.push(o.result);
    else {
      if (o.internal) internalErrors++;
      else inputErrors++;
      out.stderr(`retag: ${o.error}`);
    }
  }
  if (options.format === "json") out.stdout(checkJson(checked));
  else if (options.format === "github") {
    for (const r of checked) if (r.findings.length > 0) out.stdout(githubAnnotations(r.wheel, r.findings));
  } else {
    for (const r of checked) if (!(options.quiet && r.ok)) out.stdout(checkText(r, options.verbose, out.style));
  }
  return exitCode({ internalErrors, inputErrors, failed: checked.filter((r) => !r.ok).length });
}

// ───────────────────────────── fix ─────────────────────────────

export interface FixRunOptions extends CheckRunOptions, FixTaskOptions {}

export async function runFix(paths: string[], checkOptions: CheckOptions, options: FixRunOptions, out: Output): Promise<number> {
  const inputs = await expandInputs(paths);
  if (!options.dryRun) {
    // What a killed run left behind is recognised by its name and removed before this run writes.
    const folders = new Set(options.wheelDir !== null ? [options.wheelDir] : inputs.map((i) => dirname(i.path)));
    for (const folder of folders) {
      outputFolders.add(folder);
      await removeStaleTemporaries(folder);
    }
  }
  const progress = progressFor(out, inputs.length, options.format, options.quiet);
  const fixOptions: FixTaskOptions = { wheelDir: options.wheelDir, dryRun: options.dryRun, force: options.force };
  const tasks = inputs.filter((i) => i.error === undefined).map((i) => ({ kind: "fix" as const, path: i.path, checkOptions, fixOptions }));
  const done = await runTasks(tasks, options.jobs ?? defaultJobs(), (n, task) => progress(n, task.path));
  const byPath = new Map(done.map((o) => [o.input, o] as const));
  const outcomes: FixOutcome[] = inputs.map(
    (i) => byPath.get(i.path) ?? { input: i.path, output: null, result: null, error: i.error ?? "not processed" },
  );
  let internalErrors = 0;
  let inputErrors = 0;
  let failed = 0;
  for (const o of done) if (o.internal) internalErrors++;
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
