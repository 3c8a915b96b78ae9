// What `retag [fix]` and `retag check` do with their parsed arguments, whichever parser read them:
// the fast path of fast-args.ts (the common command lines, without loading yargs) or yargs itself
// (parser.ts: help, completion, errors and everything the fast path does not take). Both hand the
// same argument object here, so a command line means the same thing either way
// (test/cli/fast-args.test.ts holds the two parsers equal).
import { readFile } from "node:fs/promises";
import { RetagError } from "../model/errors.js";
import type { CheckOptions } from "../model/results.js";
import { runCheck, runFix, type Output } from "./commands.js";
import { findConfig, parseConfig, type FoundConfig } from "./config.js";
import { escapeText } from "./escape.js";
import { checkOptions, parseJobs, type VerdictFlags } from "./options.js";
import { refuseRemoteInputs, remoteArgs } from "./remote-args.js";
import type { Format } from "./render.js";

/** The options `fix` and `check` share, as a parser returns them (a repeated flag gives an array). */
export interface CommonArgs extends Omit<VerdictFlags, "round"> {
  round?: string;
  format?: string;
  verbose?: boolean;
  quiet?: boolean;
  jobs?: unknown;
  config?: string | false | Array<string | false>;
  paths?: string[];
}

export interface FixArgs extends CommonArgs {
  "wheel-dir"?: string;
  "dry-run"?: boolean;
  force?: boolean;
  /** True for `retag PATH…` (fix without the word): an unknown word is then a mistyped command. */
  implicit: boolean;
}

export interface CheckArgs extends CommonArgs {
  "index-url"?: string;
  platform?: string;
  timeout?: number;
  verify?: "needed" | "all";
}

/** A parsed `fix` or `check` command line. */
export type VerdictCommand = { command: "fix"; args: FixArgs } | { command: "check"; args: CheckArgs };

const FORMATS = ["text", "json", "github"] as const;

export function formatOf(value: string | undefined, allowed: readonly string[]): Format {
  const format = value ?? "text";
  if (!allowed.includes(format)) throw new RetagError(`--format takes ${allowed.join(", ")}, not ${JSON.stringify(format)}`);
  return format as Format;
}

function roundOf(value: string | undefined): "down" | "up" | undefined {
  if (value === undefined || value === "down" || value === "up") return value;
  throw new RetagError(`--round takes down or up, not ${JSON.stringify(value)}`);
}

/** The paths of a command: those before `--` and every argument after it (`tail`). */
export function pathsOf(given: readonly unknown[] | undefined, tail: readonly string[], what: "wheel" | "file"): string[] {
  const all = [...(given ?? []).map(String), ...tail];
  if (all.length === 0) throw new RetagError(`no ${what} given: pass ${what === "file" ? "wheels or Mach-O files" : "wheels, directories of wheels or glob patterns"}`);
  return all;
}

/** `[tool.retag]` of `--config FILE`, of the nearest pyproject.toml (config.ts), or none with `--no-config`. */
async function loadConfig(args: CommonArgs): Promise<FoundConfig> {
  // `--no-config` wins wherever it stands; a repeated `--config` takes the last file.
  const given = args.config === undefined ? [] : ([] as Array<string | false>).concat(args.config);
  if (given.includes(false)) return { config: {}, path: null, passed: ["--no-config: no [tool.retag] is read"] };
  const chosen = given.at(-1);
  if (typeof chosen !== "string") return findConfig(process.cwd());
  const text = await readFile(chosen, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new RetagError(`${chosen}: ${error.code === "ENOENT" ? "no such file" : error.message} (--config)`);
  });
  return { config: await parseConfig(text, chosen), path: chosen, passed: [] };
}

/** The run's check options, saying on stderr with -v which configuration was used. */
async function verdictOptions(args: CommonArgs, env: NodeJS.ProcessEnv, out: Output): Promise<CheckOptions> {
  const found = await loadConfig(args);
  if (args.verbose === true) {
    for (const line of found.passed) out.stderr(`retag: ${escapeText(line)}`);
    out.stderr(found.path === null ? "retag: no [tool.retag] configuration is used" : `retag: [tool.retag] from ${escapeText(found.path)}`);
  }
  return checkOptions({ ...args, round: roundOf(args.round) }, env, found.config, found.path);
}

/** The verdict flags as typed, for the "run retag …" hint of a check. */
function verdictTokens(args: CommonArgs): string[] {
  const tokens: string[] = [];
  if (args["macos-target"] !== undefined) tokens.push("--macos-target", args["macos-target"]);
  if (args["require-archs"] !== undefined) tokens.push("--require-archs", args["require-archs"]);
  if (args.round !== undefined) tokens.push("--round", args.round);
  for (const i of args.ignore === undefined ? [] : ([] as string[]).concat(args.ignore)) tokens.push("--ignore", i);
  if (args.strict === true) tokens.push("--strict");
  const config = args.config === undefined ? [] : ([] as Array<string | false>).concat(args.config);
  if (config.includes(false)) tokens.push("--no-config");
  else if (typeof config.at(-1) === "string") tokens.push("--config", String(config.at(-1)));
  return tokens;
}

/** Runs a parsed `fix` or `check`; the exit code. `tail` holds the arguments after `--`. */
export async function runVerdictCommand(parsed: VerdictCommand, tail: readonly string[], env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  if (parsed.command === "fix") {
    const a = parsed.args;
    refuseRemoteInputs([...(a.paths ?? []).map(String), ...tail]);
    if (a["wheel-dir"] === "") throw new RetagError("-w/--wheel-dir needs a folder (-w wheelhouse)");
    const options = await verdictOptions(a, env, out);
    return runFix(pathsOf(a.paths, tail, "wheel"), options, {
      format: formatOf(a.format, FORMATS),
      verbose: a.verbose === true,
      quiet: a.quiet === true,
      wheelDir: a["wheel-dir"] ?? null,
      dryRun: a["dry-run"] === true,
      force: a.force === true,
      jobs: parseJobs(a.jobs),
      implicit: a.implicit,
      env,
    }, out);
  }
  const a = parsed.args;
  // A check never rewrites RECORD: --rehash is accepted and ignored.
  const options = await verdictOptions({ ...a, rehash: false }, env, out);
  return runCheck(pathsOf(a.paths, tail, "wheel"), options, {
    format: formatOf(a.format, FORMATS),
    verbose: a.verbose === true,
    quiet: a.quiet === true,
    jobs: parseJobs(a.jobs),
    verdictFlags: verdictTokens(a),
    env,
    remote: remoteArgs(a),
  }, out);
}
