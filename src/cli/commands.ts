// The runners behind `retag show`, `retag check`, `retag [fix]` and `retag explain`: inputs → core
// → report → exit code. Each wheel is handled on its own: one that cannot be read is reported and
// the others go on. Fix mode resolves every argument before it writes anything (DESIGN §2.1).
import { statSync } from "node:fs";
import { appendFile, readdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, dirname } from "node:path";
import { showSource } from "../flow/show.js";
import { FINDINGS, type FindingDefinition } from "../model/findings.js";
import type { CheckOptions } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { openInput } from "../node/file-source.js";
import { expandInputs, isGlobPattern, type Expansion } from "../node/inputs.js";
import { outputFolders, removeStaleTemporaries } from "../node/write.js";
import { BUG_REPORT } from "./about.js";
import { findingSection } from "./docs.js";
import { exitCode } from "./exit.js";
import { checkAnnotations, fixAnnotations, stepSummary, summaryRow } from "./github.js";
import { commitOrder } from "./order.js";
import { runTasks } from "./pool.js";
import { splitInputs, type RemoteRunOptions } from "./remote-args.js";
import type { RemoteChecks, RemoteShown } from "./remote-inputs.js";
import {
  checkJson,
  checkSummary,
  checkText,
  errorLine,
  fixErrorLine,
  fixJson,
  fixSummary,
  fixText,
  showJson,
  showText,
  succeeded,
  type Format,
  type ShownFile,
} from "./render.js";
import { escapeText } from "./escape.js";
import type { Style } from "./style.js";
import { nearest } from "./suggest.js";
import { describe, isInputFailure, type CheckOutcome, type FixOutcome, type FixTaskOptions } from "./tasks.js";
import { PLAIN } from "./style.js";

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colours for text output (a terminal, unless NO_COLOR). */
  style?: Style;
  /** Rewrites one status line on stderr (a terminal outside CI); absent when there is none. */
  progress?: (line: string) => void;
}

/** The commands, for "did you mean" (the command table itself is in main.ts). */
export const COMMAND_NAMES = ["fix", "check", "show", "audit", "fuse", "split", "explain"] as const;

/** A progress line for batches of more than a few wheels, in text mode only. */
function progressFor(out: Output, total: number, format: Format, quiet: boolean): (done: number, name: string) => void {
  const show = out.progress;
  if (show === undefined || total <= 3 || format !== "text" || quiet) return () => undefined;
  return (done, name) => show(done === total ? "" : `[${done}/${total}] ${escapeText(basename(name))}`);
}

/**
 * The default --jobs: one thread per CPU, never more than there are wheels (one wheel runs in this
 * thread, pool.ts). A rule from the load average was tried and measured (issue 15): the 1-minute
 * average counts retag's own runs of the last minute (cibuildwheel runs it wheel after wheel, the
 * bench command after command), so an idle machine got one thread and lost the 1.4–1.7 × of a batch.
 */
export function defaultJobs(wheels: number, cpus = availableParallelism()): number {
  return Math.max(1, Math.min(cpus, wheels));
}

/** runTasks' sizing from `--jobs` as given: wheels at once, and the cores the run may use (DESIGN §7). */
function poolSizing(asked: number | undefined, wheels: number): { jobs: number; cores: number } {
  return { jobs: asked ?? defaultJobs(wheels), cores: asked ?? availableParallelism() };
}

/** The one-line reasons for files that were named but are not processed (`dist/x.tar.gz: not a wheel, skipped`). */
function reportSkipped(expansion: Expansion, out: Output, quiet: boolean): void {
  if (quiet) return;
  for (const s of expansion.skipped) out.stderr(`${escapeText(s.path)}: ${s.reason}`);
}

/**
 * An argument that names a folder, which may be a distribution (unpacked.ts): the folder code (the
 * tree reader) is loaded only then, so a run over wheel files does not load it (start-up, issue 13).
 */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false; // unreadable (EACCES, ELOOP, …): the input expansion says what is wrong with it
  }
}

const NO_WHEEL = "no wheel to process: pass wheels, directories of wheels or glob patterns";

// ───────────────────────────── show ─────────────────────────────

export async function runShow(paths: string[], options: { format: "text" | "json"; remote?: RemoteRunOptions }, out: Output): Promise<number> {
  // URLs and pypi: inputs are read over HTTP (remote-inputs.ts), after the local ones; a folder that
  // is a distribution (an unpacked wheel, a site-packages) is shown by unpacked.ts.
  const split = splitInputs(paths);
  const unpacked = split.local.some(isFolder)
    ? await (await import("./unpacked.js")).showUnpackedFolders(split.local)
    : { rest: split.local, files: [] };
  const expansion = await expandInputs(unpacked.rest, { wheelsOnly: false });
  const files: ShownFile[] = [...unpacked.files, ...expansion.problems.map((p) => ({ path: p.path, binaries: [], error: p.message }))];
  let inputErrors = files.filter((f) => f.error !== undefined).length;
  let internalErrors = 0;
  reportSkipped(expansion, out, false);
  for (const input of expansion.inputs) {
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
  const remote: RemoteShown =
    split.remote.length === 0
      ? { files: [], inputErrors: 0, internalErrors: 0 }
      : await (await import("./remote-inputs.js")).showRemoteInputs(split.remote, { ...options.remote, progress: options.format === "text" }, out);
  files.push(...remote.files);
  inputErrors += remote.inputErrors;
  internalErrors += remote.internalErrors;
  if (internalErrors > 0) out.stderr(BUG_REPORT);
  if (options.format === "json") out.stdout(showJson(files));
  else {
    for (const f of files) {
      if (f.error !== undefined) out.stderr(errorLine(f.path, f.error));
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
  /** The flags of this run that change verdicts, as typed (repeated in the "run retag …" hint). */
  verdictFlags: string[];
  env: NodeJS.ProcessEnv;
  /** How URLs and pypi: inputs are read. */
  remote?: RemoteRunOptions;
}

export async function runCheck(paths: string[], checkOptions: CheckOptions, options: CheckRunOptions, out: Output): Promise<number> {
  // URLs and pypi: inputs are read over HTTP (remote-inputs.ts), after the local ones; a folder that
  // is a distribution (an unpacked wheel, a site-packages) is checked by unpacked.ts.
  const split = splitInputs(paths);
  const unpacked = split.local.some(isFolder)
    ? await (await import("./unpacked.js")).checkUnpackedFolders(split.local, checkOptions)
    : { rest: split.local, results: [], errors: [] };
  const others = unpacked.results.length + unpacked.errors.length + split.remote.length;
  const expansion = await expandInputs(unpacked.rest, { wheelsOnly: true });
  reportSkipped(expansion, out, options.quiet);
  if (expansion.inputs.length === 0 && expansion.problems.length === 0 && others === 0) {
    out.stderr(errorLine(null, NO_WHEEL));
    return 2;
  }
  const progress = progressFor(out, expansion.inputs.length, options.format, options.quiet);
  const tasks = expansion.inputs.map((i) => ({ kind: "check" as const, path: i.path, checkOptions }));
  const checked = await runTasks(tasks, { ...poolSizing(options.jobs, tasks.length), onDone: progress });
  // Arguments that named nothing come first, as they are reported before any wheel is read.
  const remote: RemoteChecks =
    split.remote.length === 0
      ? { outcomes: [], inputErrors: [] }
      : await (await import("./remote-inputs.js")).checkRemoteInputs(split.remote, checkOptions, { ...options.remote, verbose: options.verbose, quiet: options.quiet, jobs: options.jobs, progress: options.format === "text" }, out);
  const outcomes: CheckOutcome[] = [
    ...expansion.problems.map((p) => ({ path: p.path, result: null, error: p.message, internal: false as const })),
    ...unpacked.results.map((r) => ({ path: r.wheel, result: r, error: null, internal: false as const })),
    ...unpacked.errors.map((e) => ({ path: e.slice(0, e.indexOf(": ")), result: null, error: e.slice(e.indexOf(": ") + 2), internal: false as const })),
    ...checked,
    ...remote.outcomes,
    ...remote.inputErrors.map((e) => ({ path: e.slice(0, e.indexOf(": ")), result: null, error: e.slice(e.indexOf(": ") + 2), internal: false as const })),
  ];
  const fixCommand = await fixHint(paths, expansion, options.verdictFlags);

  for (const o of outcomes) if (o.result === null && options.format !== "github") out.stderr(errorLine(o.path, o.error));
  if (options.format === "json") out.stdout(checkJson(outcomes, expansion.skipped));
  else if (options.format === "github") {
    const lines = checkAnnotations(outcomes, wheelFixCommand(options.verdictFlags));
    if (lines.length > 0) out.stdout(lines.join("\n"));
  } else {
    for (const o of outcomes) if (o.result !== null && !(options.quiet && o.result.ok)) out.stdout(checkText(o.result, options.verbose, out.style));
    if (!options.quiet) out.stdout(checkSummary(outcomes, checkOptions.strict, fixCommand));
  }
  if (options.format === "github") {
    const rows = outcomes.map((o) => summaryRow(o.path, o.result, o.error));
    await appendStepSummary(options.env, stepSummary("retag check", rows, checkSummary(outcomes, checkOptions.strict, fixCommand)), out);
  }
  if (outcomes.some((o) => o.internal)) out.stderr(BUG_REPORT);
  return exitCode({
    internalErrors: outcomes.filter((o) => o.internal).length,
    inputErrors: outcomes.filter((o) => o.result === null && !o.internal).length,
    failed: outcomes.filter((o) => o.result !== null && !o.result.ok).length,
  });
}

/**
 * The command that fixes what this check found: `retag` with the same verdict flags and paths.
 * Shell-expanded `dist/*.whl` comes back as `dist/*.whl` when the paths are exactly the wheels of
 * one folder; paths too long to repeat become a description.
 */
async function fixHint(paths: readonly string[], expansion: Expansion, flags: readonly string[]): Promise<string> {
  // A path that starts with "-" is only a path after "--" (DESIGN §2.1): the hint says so too.
  let where = `${paths.some((p) => p.startsWith("-")) ? "-- " : ""}${paths.map(shellQuoted).join(" ")}`;
  const folders = new Set(paths.map((p) => dirname(p)));
  const [folder] = folders;
  if (paths.length > 2 && folders.size === 1 && folder !== undefined && paths.every((p) => p.endsWith(".whl") && !isGlobPattern(p))) {
    const all = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".whl") && !n.startsWith("."));
    const given = new Set(paths.map((p) => basename(p)));
    if (all.length === given.size && all.every((n) => given.has(n))) where = folder === "." ? "*.whl" : `${shellQuoted(folder)}/*.whl`;
  }
  if (where.length > 100) where = expansion.inputs.length === 1 ? "on that wheel" : "on the same paths";
  return ["retag", ...flags.map(shellQuoted), where].join(" ");
}

/** The command that fixes one wheel: `retag` with the run's verdict flags and that path. */
function wheelFixCommand(flags: readonly string[]): (path: string) => string {
  return (path) => ["retag", ...flags, ...(path.startsWith("-") ? ["--"] : []), path].map(shellQuoted).join(" ");
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
function shellQuoted(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Appends to $GITHUB_STEP_SUMMARY (GitHub's job summary, Markdown); a failure to write it is a warning. */
async function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string, out: Output): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === "") return;
  await appendFile(file, `${markdown}\n`).catch((error: unknown) => out.stderr(errorLine(file, `the step summary could not be written: ${describe(error)}`)));
}

// ───────────────────────────── fix ─────────────────────────────

export interface FixRunOptions extends FixTaskOptions {
  format: Format;
  verbose: boolean;
  quiet: boolean;
  jobs: number | undefined;
  /** The command word was left out (`retag chek dist/`): a first path that names nothing may be a mistyped command. */
  implicit: boolean;
  env: NodeJS.ProcessEnv;
}

function problemOutcome(input: string, error: string): FixOutcome {
  return { input, status: "error", target: null, result: null, error, note: null, wrote: null, removedInput: false, internal: false };
}

/** A word that reads as a command, not a path: no separator, no `.whl`, no glob character. */
function looksLikeCommand(arg: string): boolean {
  return !/[/\\]/.test(arg) && !arg.includes(".whl") && !isGlobPattern(arg);
}

export async function runFix(paths: string[], checkOptions: CheckOptions, options: FixRunOptions, out: Output): Promise<number> {
  const expansion = await expandInputs(paths, { wheelsOnly: true });
  // Every argument must name something before anything is written: a mistyped command or path
  // fails the run here, with nothing changed.
  if (expansion.problems.length > 0) {
    for (const p of expansion.problems) {
      if (options.implicit && p.kind === "missing" && p.path === paths[0] && looksLikeCommand(p.path)) {
        const near = nearest(p.path, COMMAND_NAMES);
        out.stderr(
          errorLine(null, near !== null ? `unknown command "${p.path}" — did you mean "${near}"?` : `${p.path}: no such file, and not a command (the commands are ${COMMAND_NAMES.join(", ")})`),
        );
      } else out.stderr(errorLine(p.path, p.message));
    }
    out.stderr("retag: nothing was written");
    // Scripts read the document either way: one error result per argument that named nothing.
    const unresolved = expansion.problems.map((p) => problemOutcome(p.path, p.message));
    if (options.format === "json") out.stdout(fixJson(unresolved, { dryRun: options.dryRun }, expansion.skipped));
    if (options.format === "github") out.stdout(fixAnnotations(unresolved, options.dryRun).join("\n"));
    return 2;
  }
  reportSkipped(expansion, out, options.quiet);
  if (expansion.inputs.length === 0) {
    out.stderr(errorLine(null, NO_WHEEL));
    return 2;
  }
  const inputs = expansion.inputs.map((i) => i.path);
  const folders = new Set(options.wheelDir !== null ? [options.wheelDir] : inputs.map((p) => dirname(p)));
  if (!options.dryRun) {
    // What a killed run left behind is recognised by its name and removed before this run writes.
    for (const folder of folders) {
      outputFolders.add(folder);
      await removeStaleTemporaries(folder);
    }
  }
  const progress = progressFor(out, inputs.length, options.format, options.quiet);
  const fixOptions: FixTaskOptions = { wheelDir: options.wheelDir, dryRun: options.dryRun, force: options.force };
  const tasks = inputs.map((path) => ({ kind: "fix" as const, path, checkOptions, fixOptions }));
  const outcomes = await runTasks(tasks, { ...poolSizing(options.jobs, tasks.length), order: commitOrder(inputs, options.wheelDir), onDone: progress });
  // A worker that died mid-write left its temporary (its process is this one, still alive).
  if (outcomes.some((o) => o.internal) && !options.dryRun) for (const folder of folders) await removeStaleTemporaries(folder);

  const render = { dryRun: options.dryRun, inPlace: options.wheelDir === null, verbose: options.verbose, style: out.style ?? PLAIN };
  if (options.format === "json") out.stdout(fixJson(outcomes, { dryRun: options.dryRun }, expansion.skipped));
  else if (options.format === "github") {
    const lines = fixAnnotations(outcomes, options.dryRun);
    if (lines.length > 0) out.stdout(lines.join("\n"));
    const rows = outcomes.map((o) => summaryRow(o.input, o.result?.check ?? null, o.error));
    await appendStepSummary(options.env, stepSummary(options.dryRun ? "retag (dry run)" : "retag", rows, fixSummary(outcomes, options.dryRun)), out);
  } else {
    for (const o of outcomes) {
      const error = fixErrorLine(o);
      if (error !== null) out.stderr(error);
      if (options.quiet && o.status !== "refused") continue;
      const text = fixText(o, render);
      if (text !== null) out.stdout(text);
    }
    if (!options.quiet) out.stdout(fixSummary(outcomes, options.dryRun));
  }
  if (options.dryRun && options.format === "text") out.stdout("dry run: nothing was written");
  if (outcomes.some((o) => o.internal)) out.stderr(BUG_REPORT);
  return exitCode({
    internalErrors: outcomes.filter((o) => o.internal).length,
    inputErrors: outcomes.filter((o) => o.status === "error" && o.result === null && !o.internal).length,
    failed: outcomes.filter((o) => !succeeded(o) && o.result !== null).length,
  });
}

// ───────────────────────────── explain ─────────────────────────────

const REGISTRY = FINDINGS as { [code: string]: FindingDefinition };

/** `retag explain R201` / `retag explain unsupported-arch`: its section of docs/findings.md; no word: the list. */
export function runExplain(words: string[], out: Output): number {
  if (words.length === 0) {
    const lines = Object.entries(REGISTRY).map(([code, d]) => `${code}  ${d.name.padEnd(34)} ${d.severity.padEnd(7)} ${d.title}`);
    out.stdout([...lines, "", "retag explain CODE (or NAME) prints what a finding means, its usual cause and the fix."].join("\n"));
    return 0;
  }
  let code = 0;
  const sections: string[] = [];
  for (const word of words) {
    const found = Object.entries(REGISTRY).find(([c, d]) => c === word.toUpperCase() || d.name === word.toLowerCase());
    if (found === undefined) {
      const near = nearest(word, [...Object.keys(REGISTRY), ...Object.values(REGISTRY).map((d) => d.name)]);
      out.stderr(errorLine(null, `no finding code or name ${JSON.stringify(word)}${near === null ? "" : ` — did you mean ${near}?`} (retag explain lists them)`));
      code = 2;
      continue;
    }
    sections.push(findingSection(found[0], found[1]).trimEnd());
  }
  if (sections.length > 0) out.stdout(sections.join("\n\n"));
  return code;
}

