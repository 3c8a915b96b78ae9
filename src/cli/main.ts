// The command line: yargs parsing, then one runner per command. Usage errors exit 2 with a message,
// never a stack trace.
import yargs, { type Argv } from "yargs";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { RetagError } from "../model/errors.js";
import { removeActiveTemporariesSync } from "../node/write.js";
import { formatArchs } from "../tags/index.js";
import type { CheckOptions } from "../model/results.js";
import { runCheck, runFix, runShow, type Output } from "./commands.js";
import { parseConfig, type FileConfig } from "./config.js";
import { COLOR, PLAIN, wantsColor } from "./style.js";
import type { Format } from "./render.js";

/** The installed package's version (package.json is beside dist/ and src/ alike). */
const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

interface CommonArgs {
  format: Format;
  ignore?: string | string[];
  strict?: boolean;
  verbose: boolean;
  quiet: boolean;
  "macos-target"?: string;
  "require-archs"?: string;
  round?: "down" | "up";
  rehash: boolean;
  jobs?: number;
  config?: string | false | Array<string | false>;
  paths: string[];
}

/** `[tool.retag]` of ./pyproject.toml, or of `--config FILE`; nothing with `--no-config`. */
async function loadConfig(args: CommonArgs): Promise<FileConfig> {
  // `--no-config` wins wherever it stands; a repeated `--config` takes the last file.
  const given = args.config === undefined ? [] : ([] as Array<string | false>).concat(args.config);
  if (given.includes(false)) return {};
  const chosen = given.at(-1);
  const path = typeof chosen === "string" ? chosen : "pyproject.toml";
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (chosen === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new RetagError(`--config ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error)}`);
  }
  return parseConfig(text, path);
}

/** Flags override the environment, which overrides the project's config (as cibuildwheel does). */
function checkOptions(args: CommonArgs, env: NodeJS.ProcessEnv, config: FileConfig): CheckOptions {
  const target = args["macos-target"] ?? env.MACOSX_DEPLOYMENT_TARGET ?? config.macosTarget ?? null;
  if (target !== null && !/^\d+(\.\d+){0,2}$/.test(target)) {
    throw new RetagError(`--macos-target / MACOSX_DEPLOYMENT_TARGET must look like 10.13 or 11.0, not ${JSON.stringify(target)}`);
  }
  const ignore = args.ignore === undefined ? (config.ignore ?? []) : ([] as string[]).concat(args.ignore);
  return {
    ignore: ignore.flatMap((i) => String(i).split(",")).map((i) => i.trim()).filter((i) => i !== ""),
    strict: args.strict ?? config.strict ?? false,
    macosTarget: target === null ? null : target.includes(".") ? target : `${target}.0`,
    requireArchs: expandArchs(args["require-archs"] ?? config.requireArchs),
    round: args.round ?? config.round ?? "down",
    rehash: args.rehash,
  };
}

/** `--require-archs arm64,x86_64`, `universal2` or `intel` (delocate's spelling) → plain arch names. */
function expandArchs(spec: string | undefined): string[] {
  if (spec === undefined || spec.trim() === "") return [];
  const archs = new Set<string>();
  for (const item of spec.split(",").map((s) => s.trim())) {
    const expanded = formatArchs(item);
    if (expanded === null) throw new RetagError(`--require-archs: unknown architecture or format ${JSON.stringify(item)}`);
    for (const a of expanded) archs.add(a);
  }
  return [...archs];
}

function commonOptions<T>(y: Argv<T>) {
  return y
    .option("format", { choices: ["text", "json", "github"] as const, default: "text" as const, describe: "output format" })
    // Not `array: true`: that would swallow the paths after `--ignore R2`. Repeating the flag gives an array.
    .option("ignore", { type: "string", describe: "finding codes, prefixes (R2) or names to ignore (repeat or comma-separate)" })
    .option("strict", { type: "boolean", describe: "warnings fail too" })
    .option("verbose", { alias: "v", type: "boolean", default: false, describe: "show every binary's slices" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "print only problems" })
    .option("macos-target", { type: "string", describe: "deployment target: a floor for the version (default: $MACOSX_DEPLOYMENT_TARGET)" })
    .option("require-archs", { type: "string", describe: "archs every binary must have: arm64,x86_64 | universal2 | intel" })
    .option("round", { choices: ["down", "up"] as const, describe: "a minimum like 12.3 becomes 12_0 (down, the default) or 13_0 (up)" })
    .option("rehash", { type: "boolean", default: false, describe: "rewrite a RECORD whose hashes are wrong instead of refusing the wheel" })
    .option("jobs", { alias: "j", type: "number", describe: "wheels processed at once (default: number of CPUs)" })
    .option("config", { type: "string", describe: "read [tool.retag] from FILE instead of ./pyproject.toml (--no-config: none)" });
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
  const parser = yargs()
    .scriptName("retag")
    .usage("$0 [fix] [options] WHEEL|GLOB|DIR...\n\nMake a wheel's macOS platform tags match what its Mach-O binaries support.")
    .command(
      ["fix [paths..]", "$0 [paths..]"],
      "rewrite and rename every wheel whose tags are wrong (in place, or into --wheel-dir)",
      (y) =>
        commonOptions(y)
          .positional("paths", { type: "string", array: true, default: [] as string[] })
          .option("wheel-dir", { alias: "w", type: "string", describe: "write results to DIR; inputs are left alone" })
          .option("dry-run", { alias: "n", type: "boolean", default: false, describe: "say what would change; write nothing" })
          .option("force", { type: "boolean", default: false, describe: "replace an existing different file at the target name" })
          .example("$0 dist/*.whl", "fix every wheel in dist/ in place")
          .example("$0 -w wheelhouse {wheel}", "cibuildwheel repair-wheel-command"),
      async (args) => {
        const a = args as unknown as CommonArgs & { "wheel-dir"?: string; "dry-run": boolean; force: boolean };
        code = await runFix(requirePaths(a.paths), checkOptions(a, env, await loadConfig(a)), {
          format: a.format,
          verbose: a.verbose,
          quiet: a.quiet,
          wheelDir: a["wheel-dir"] ?? null,
          dryRun: a["dry-run"],
          force: a.force,
          jobs: a.jobs,
        }, out);
      },
    )
    .command(
      "check [paths..]",
      "report whether each wheel's tags tell the truth; writes nothing",
      (y) =>
        commonOptions(y)
          .positional("paths", { type: "string", array: true, default: [] as string[] })
          .example("$0 check dist/*.whl", "exit 1 when any wheel is wrongly tagged")
          .example("$0 check --format github dist/*.whl", "annotations for a GitHub Actions log"),
      async (args) => {
        const a = args as unknown as CommonArgs;
        code = await runCheck(requirePaths(a.paths), checkOptions(a, env, await loadConfig(a)), { format: a.format, verbose: a.verbose, quiet: a.quiet, jobs: a.jobs }, out);
      },
    )
    .command(
      "show <files..>",
      "list every Mach-O file (or every Mach-O member of a wheel) with its slices",
      (y) =>
        y
          .positional("files", { type: "string", array: true, demandOption: true })
          .option("format", { choices: ["text", "json"] as const, default: "text" as const })
          .example("$0 show dist/pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl", "")
          .example("$0 show --format json build/_x.cpython-313-darwin.so", ""),
      async (args) => {
        const a = args as unknown as { files: string[]; format: "text" | "json" };
        code = await runShow(a.files, { format: a.format }, out);
      },
    )
    // retag fuse / retag split (src/cli/wheel-set-commands.ts; runners in fuse.ts and split.ts).
    .command((await import("./wheel-set-commands.js")).fuseCommand({ env, out, done: (c) => void (code = c) }))
    .command((await import("./wheel-set-commands.js")).splitCommand({ env, out, done: (c) => void (code = c) }))
    .version(VERSION)
    .help()
    .alias("h", "help")
    .strict()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .showHelpOnFail(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new RetagError(message);
    });

  skipHelpCache(parser);
  try {
    // With a callback, yargs hands over --help / --version text instead of printing it, so it goes
    // through `out` like everything else.
    let helpText = "";
    await parser.parseAsync(argv, {}, (_error, _args, output) => {
      helpText = output;
    });
    if (helpText !== "") out.stdout(helpText);
    return code;
  } catch (error) {
    if (error instanceof RetagError) {
      out.stderr(`retag: ${error.message}\nRun 'retag --help' for usage.`);
      return 2;
    }
    out.stderr(`retag: internal error: ${error instanceof Error ? error.message : String(error)}`);
    if (env.RETAG_DEBUG) out.stderr(error instanceof Error ? (error.stack ?? "") : "");
    return 3;
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

function requirePaths(paths: string[]): string[] {
  if (paths.length === 0) throw new RetagError("no wheel given: pass files, directories or glob patterns");
  return paths;
}

/** The real console: colours when stdout is a terminal, a progress line when stderr is one (not in CI). */
export function consoleOutput(env: NodeJS.ProcessEnv): Output {
  const progressWanted = process.stderr.isTTY === true && env.CI === undefined;
  return {
    stdout: (s) => void process.stdout.write(`${s}\n`),
    stderr: (s) => void process.stderr.write(`${s}\n`),
    style: wantsColor(process.stdout.isTTY === true, env) ? COLOR : PLAIN,
    ...(progressWanted ? { progress: (line: string) => void process.stderr.write(`\r\u001b[2K${line}`) } : {}),
  };
}
