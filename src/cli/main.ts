// The command line: one table of commands (the `.command(...)` calls in main below), yargs for the
// parsing, one runner per command (commands.ts). Usage errors exit 2 with one line, never a stack
// trace; a bug exits 3 and says where to report it (DESIGN §2.1).
import yargs, { type Argv } from "yargs";
import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { RetagError } from "../model/errors.js";
import type { CheckOptions } from "../model/results.js";
import { removeActiveTemporariesSync } from "../node/write.js";
import { BUG_REPORT, VERSION } from "./about.js";
import { runCheck, runExplain, runFix, runShow, type Output } from "./commands.js";
import { findConfig, parseConfig, type FoundConfig } from "./config.js";
import { escapeText } from "./escape.js";
import { checkOptions, parseJobs, type VerdictFlags } from "./options.js";
import { refuseRemoteInputs, remoteArgs, remoteFlags } from "./remote-args.js";
import type { Format } from "./render.js";
import { COLOR, PLAIN, wantsColor } from "./style.js";
import { nearest } from "./suggest.js";


interface CommonArgs extends Omit<VerdictFlags, "round"> {
  _: Array<string | number>;
  round?: string;
  format?: string;
  verbose?: boolean;
  quiet?: boolean;
  jobs?: unknown;
  config?: string | false | Array<string | false>;
  paths?: string[];
}

const FORMATS = ["text", "json", "github"] as const;

function formatOf(value: string | undefined, allowed: readonly string[]): Format {
  const format = value ?? "text";
  if (!allowed.includes(format)) throw new RetagError(`--format takes ${allowed.join(", ")}, not ${JSON.stringify(format)}`);
  return format as Format;
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
  return { config: parseConfig(text, chosen), path: chosen, passed: [] };
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

const EPILOGUE = `Paths after -- are never read as options (retag check -- *.whl).
Exit codes: 0 every wheel is fine or was fixed; 1 a wheel is wrong or could not be written;
2 usage error, or an argument that names no readable wheel; 3 a bug in retag (please report it).
retag explain CODE says what a finding means, its usual cause and the fix.`;

function commonOptions<T>(y: Argv<T>) {
  return y
    .option("format", { type: "string", describe: "text | json | github (annotations; default text)" })
    // Not `array: true`: that would swallow the paths after `--ignore R2`. Repeating the flag gives an array.
    .option("ignore", { type: "string", describe: "finding codes, prefixes (R2) or names to ignore; repeat or comma-separate" })
    .option("strict", { type: "boolean", describe: "warnings fail too" })
    .option("verbose", { alias: "v", type: "boolean", describe: "show every binary's slices, and which config is used" })
    .option("quiet", { alias: "q", type: "boolean", describe: "print only problems (no summary line)" })
    .option("macos-target", { type: "string", describe: "deployment target X.Y: a floor for the version (default $MACOSX_DEPLOYMENT_TARGET)" })
    .option("require-archs", { type: "string", describe: "archs every binary must have: arm64,x86_64 | universal2 | intel" })
    .option("round", { type: "string", describe: "down | up: a minimum like 12.3 becomes 12_0 (down, the default) or 13_0" })
    .option("jobs", { alias: "j", type: "string", describe: "wheels processed at once (default: the number of CPUs)" })
    .option("config", { type: "string", describe: "read [tool.retag] from FILE (default: the nearest pyproject.toml; --no-config: none)" })
    .positional("paths", { describe: "wheels, directories (every *.whl in them) or glob patterns" })
    .epilogue(EPILOGUE);
}

function roundOf(value: string | undefined): "down" | "up" | undefined {
  if (value === undefined || value === "down" || value === "up") return value;
  throw new RetagError(`--round takes down or up, not ${JSON.stringify(value)}`);
}


/**
 * On SIGINT / SIGTERM, remove the temporary files being written and end with the signal's code, so
 * an interrupted run leaves the inputs and the destination as they were (DESIGN §4).
 */
export function installSignalHandlers(): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      removeActiveTemporariesSync();
      process.stderr.write(`retag: interrupted (${signal}); nothing was left half-written\n`);
      process.exit(code);
    });
  }
}

export async function main(argv: string[], out: Output = consoleOutput(process.env), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code = 0;
  try {
    // Everything after `--` is a path, whatever it looks like; before it, an argument that looks like
    // an option and also names a file is refused as ambiguous (DESIGN §2.1).
    const end = argv.indexOf("--");
    const head = end < 0 ? argv : argv.slice(0, end);
    const tail = end < 0 ? [] : argv.slice(end + 1);
    refuseAmbiguous(head);
    const paths = (given: string[] | undefined, what: string): string[] => {
      const all = [...(given ?? []).map(String), ...tail];
      if (all.length === 0) throw new RetagError(`no ${what} given: pass ${what === "file" ? "wheels or Mach-O files" : "wheels, directories of wheels or glob patterns"}`);
      return all;
    };
    const parser = withoutTypeNoise(yargs())
      .scriptName("retag")
      .usage("$0 [fix] [options] WHEEL|GLOB|DIR...\n\nMake a wheel's platform tags match what its binaries support.")
      .command(
        ["fix [paths..]", "$0 [paths..]"],
        "rewrite and rename every wheel whose tags are wrong (in place, or into --wheel-dir)",
        (y) =>
          commonOptions(y)
            .option("wheel-dir", { alias: "w", type: "string", describe: "write results to DIR; inputs are left alone" })
            .option("dry-run", { alias: "n", type: "boolean", describe: "say what would change; write nothing" })
            .option("force", { type: "boolean", describe: "replace an existing different file at the target name" })
            .option("rehash", { type: "boolean", describe: "rewrite a RECORD whose hashes are wrong instead of refusing the wheel" })
            .example("$0 dist/*.whl", "fix every wheel in dist/ in place")
            .example("$0 -w wheelhouse {wheel}", "cibuildwheel repair-wheel-command")
            .example("$0 -n dist/", "what would change, writing nothing"),
        async (args) => {
          const a = args as unknown as CommonArgs & { "wheel-dir"?: string; "dry-run"?: boolean; force?: boolean };
          refuseRemoteInputs([...(a.paths ?? []), ...tail]);
          if (a["wheel-dir"] === "") throw new RetagError("-w/--wheel-dir needs a folder (-w wheelhouse)");
          const options = await verdictOptions(a, env, out);
          code = await runFix(paths(a.paths, "wheel"), options, {
            format: formatOf(a.format, FORMATS),
            verbose: a.verbose === true,
            quiet: a.quiet === true,
            wheelDir: a["wheel-dir"] ?? null,
            dryRun: a["dry-run"] === true,
            force: a.force === true,
            jobs: parseJobs(a.jobs),
            implicit: a._[0] !== "fix",
            env,
          }, out);
        },
      )
      .command(
        "check [paths..]",
        "report whether each wheel's tags tell the truth; writes nothing",
        (y) =>
          remoteFlags(commonOptions(y), { verify: true })
            // Accepted and ignored, as before (a check never rewrites RECORD), but not listed.
            .option("rehash", { type: "boolean", hidden: true })
            .example("$0 check dist/*.whl", "exit 1 when any wheel is wrongly tagged")
            .example("$0 check pypi:numpy --platform macos", "the macOS wheels of numpy's latest release, read over HTTP")
            .example("$0 check --format github dist/*.whl", "annotations and a job summary for GitHub Actions"),
        async (args) => {
          const a = args as unknown as CommonArgs & Parameters<typeof remoteArgs>[0];
          const options = await verdictOptions({ ...a, rehash: false }, env, out);
          code = await runCheck(paths(a.paths, "wheel"), options, {
            format: formatOf(a.format, FORMATS),
            verbose: a.verbose === true,
            quiet: a.quiet === true,
            jobs: parseJobs(a.jobs),
            verdictFlags: verdictTokens(a),
            env,
            remote: remoteArgs(a),
          }, out);
        },
      )
      .command(
        "show [files..]",
        "list every Mach-O file (or every Mach-O member of a wheel) with its slices",
        (y) =>
          remoteFlags(y, { verify: false })
            .option("format", { type: "string", describe: "text | json (default text)" })
            .option("verbose", { alias: "v", type: "boolean", describe: "say how remote wheels were read (show always lists every slice)" })
            // Declared so it is refused by name, not taken as a path.
            .option("quiet", { alias: "q", type: "boolean", hidden: true })
            .positional("files", { describe: "wheels, Mach-O files or directories of wheels" })
            .example("$0 show dist/pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl", "")
            .example("$0 show --format json build/_x.cpython-313-darwin.so", "")
            .epilogue(EPILOGUE),
        async (args) => {
          const a = args as unknown as { files?: string[]; format?: string; verbose?: boolean; quiet?: boolean } & Parameters<typeof remoteArgs>[0];
          if (a.quiet !== undefined) throw new RetagError("show takes no -q/--quiet: it prints only what it finds");
          code = await runShow(paths(a.files, "file"), { format: formatOf(a.format, ["text", "json"]) as "text" | "json", remote: { ...remoteArgs(a), verbose: a.verbose === true } }, out);
        },
      )
      .command(
        "audit [paths..]",
        "find the distributions in environments and pip / uv caches that would fail to load on a host; writes nothing",
        (y) =>
          y
            .positional("paths", { describe: "site-packages, virtual environments, pip or uv cache folders (default: this environment and the caches)" })
            .option("host", { type: "string", describe: "host to judge for, as a platform tag (macosx_14_0_x86_64), or all (this Mac, and x86_64 under Rosetta); repeat or comma-separate (default: this Mac)" })
            .option("format", { type: "string", describe: "text | json (default text)" })
            .option("ignore", { type: "string", describe: "finding codes, prefixes (R2) or names to ignore; repeat or comma-separate" })
            .option("jobs", { alias: "j", type: "string", describe: "distributions read at once (default: the number of CPUs)" })
            .example("$0 audit --host all", "this environment and pip's and uv's caches, for both arches of this Mac")
            .example("$0 audit ~/.cache/uv --host macosx_14_0_x86_64", "which cached wheels would fail on an Intel Mac")
            .epilogue(EPILOGUE),
        async (args) => {
          const a = args as unknown as { paths?: string[]; host?: string | string[]; format?: string; ignore?: string | string[]; jobs?: unknown };
          const ignore = ([] as string[]).concat(a.ignore ?? []).flatMap((i) => String(i).split(",")).map((i) => i.trim()).filter((i) => i !== "");
          const jobs = parseJobs(a.jobs);
          // Loaded only for audit, so the other commands do not pay for the walker's modules.
          const { runAudit } = await import("./audit.js");
          code = await runAudit({ paths: [...(a.paths ?? []).map(String), ...tail], host: a.host, format: formatOf(a.format, ["text", "json"]) as "text" | "json", jobs, ignore }, out, env);
        },
      )
      // retag fuse / retag split (src/cli/wheel-set-commands.ts; runners in fuse.ts and split.ts, loaded when run).
      .command((await import("./wheel-set-commands.js")).fuseCommand({ env, out, done: (c) => void (code = c) }))
      .command((await import("./wheel-set-commands.js")).splitCommand({ env, out, done: (c) => void (code = c) }))
      .command(
        "explain [codes..]",
        "what a finding code means, its usual cause and the fix (no code: the list)",
        (y) => y.positional("codes", { describe: "finding codes (R201) or names (unsupported-arch)" }).example("$0 explain R201", "").epilogue(EPILOGUE),
        (args) => {
          code = runExplain([...((args as unknown as { codes?: string[] }).codes ?? []).map(String), ...tail], out);
        },
      )
      .epilogue(EPILOGUE)
      .version(VERSION)
      .help()
      .alias("h", "help")
      .strict()
      .wrap(Math.min(100, process.stdout.columns ?? 100))
      .showHelpOnFail(false)
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new RetagError(usageMessage(message));
      });
    skipHelpCache(parser);
    // With a callback, yargs hands over --help / --version text instead of printing it, so it goes
    // through `out` like everything else.
    let helpText = "";
    await parser.parseAsync(head, {}, (_error, _args, output) => {
      helpText = output;
    });
    if (helpText !== "") out.stdout(helpText);
    return code;
  } catch (error) {
    if (error instanceof RetagError) {
      // One line: what is wrong and, where it helps, the nearest right spelling (DESIGN §2.1).
      out.stderr(`retag: ${escapeText(error.message)}`);
      return 2;
    }
    out.stderr(`retag: internal error: ${escapeText(error instanceof Error ? error.message : String(error))}`);
    out.stderr(BUG_REPORT);
    if (env.RETAG_DEBUG) out.stderr(error instanceof Error ? (error.stack ?? "") : "");
    return 3;
  }
}

/**
 * Help without yargs's `[string]`, `[boolean] [default: false]` extras: the descriptions say the
 * choices. usageConfiguration is yargs ≥ 17.7 API that @types/yargs 17 does not declare yet.
 */
function withoutTypeNoise(parser: Argv): Argv {
  const configurable = parser as unknown as { usageConfiguration?: (config: { "hide-types": boolean }) => Argv };
  return configurable.usageConfiguration?.({ "hide-types": true }) ?? parser;
}

/** Every long option, for "did you mean" (all commands'). */
const OPTION_NAMES = [
  "format", "ignore", "strict", "verbose", "quiet", "macos-target", "require-archs", "round", "jobs", "config", "no-config",
  "wheel-dir", "dry-run", "force", "rehash", "help", "version", "index-url", "platform", "verify", "timeout", "host", "prefer", "arch",
];

/** yargs's "Unknown argument: strcit" → `unknown option --strcit — did you mean --strict?`. */
function usageMessage(message: string): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown === null) return message;
  // yargs names a dashed option twice, as typed and in camelCase (`dry-rn, dryRn`).
  const typed = (unknown[1] ?? "").split(", ");
  const names = typed.filter((n) => !/[A-Z]/.test(n) || !typed.includes(n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
  return names
    .map((name) => {
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      const near = nearest(name, OPTION_NAMES);
      return `unknown option ${flag}${near === null ? "" : ` — did you mean --${near}?`}`;
    })
    .join("; ");
}

/**
 * A planted file named `--ignore=R,.whl` turns `retag check *.whl` into "ignore everything" if the
 * shell's expansion is read as options. So an argument (before `--`) that looks like an option and
 * also names an existing file is neither: retag refuses to guess (exit 2) and says how to say which.
 */
function refuseAmbiguous(head: readonly string[]): void {
  for (const arg of head) {
    if (!arg.startsWith("-") || arg === "-" || arg === "--") continue;
    let exists = false;
    try {
      lstatSync(arg);
      exists = true;
    } catch {
      // not a file: an option
    }
    if (exists) {
      throw new RetagError(`${JSON.stringify(arg)} is both an option and a file here; put paths after -- (retag check -- *.whl) or write ./${arg}`);
    }
  }
}

/**
 * After running any command but the default one, yargs renders that command's whole help text and
 * keeps it, in case a later failure shows it (yargs command.js, cacheHelpMessage). retag never shows
 * help on a failure (showHelpOnFail(false)), and the rendering (cliui, string-width) cost ~35 ms of a
 * ~220 ms `retag check` of a small wheel. --help renders its text anew. The hook is yargs-internal,
 * so it is only replaced where it exists: without it, only the time changes.
 */
function skipHelpCache(parser: Argv): void {
  type Usage = { cacheHelpMessage?: () => void };
  const internals = parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => Usage | undefined } };
  const usage = internals.getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === "function") usage.cacheHelpMessage = () => undefined;
}

/**
 * The real console: colours when stdout is a terminal, a progress line when stderr is one (not in
 * CI). A closed stdout or stderr (`retag check | head -1`) ends the output quietly: nothing more is
 * written to it, and the exit code stays the one the results decide, as `git log | head` does.
 */
export function consoleOutput(env: NodeJS.ProcessEnv): Output {
  const closed = { stdout: false, stderr: false };
  process.stdout.on("error", () => void (closed.stdout = true));
  process.stderr.on("error", () => void (closed.stderr = true));
  const progressWanted = process.stderr.isTTY === true && env.CI === undefined;
  return {
    stdout: (s) => void (closed.stdout || process.stdout.write(`${s}\n`)),
    stderr: (s) => void (closed.stderr || process.stderr.write(`${s}\n`)),
    style: wantsColor(process.stdout.isTTY === true, env) ? COLOR : PLAIN,
    ...(progressWanted ? { progress: (line: string) => void (closed.stderr || process.stderr.write(`\r\u001b[2K${line}`)) } : {}),
  };
}
