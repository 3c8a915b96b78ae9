// The command line as yargs reads it: one table of commands (the `.command(...)` calls below), one
// runner per command (commands.ts, verdict-commands.ts). Loaded by main.ts only for a line the fast
// path (fast-args.ts) does not take: help, completion, usage errors, the other commands, unusual
// spellings. Usage errors are thrown as RetagError (main.ts prints one line, exit 2).
import yargs, { type Argv } from "yargs";
import { RetagError } from "../model/errors.js";
import { VERSION } from "./about.js";
import { runExplain, runShow, type Output } from "./commands.js";
import { parseJobs } from "./options.js";
import { remoteArgs, remoteFlags } from "./remote-args.js";
import { nearest } from "./suggest.js";
import { formatOf, pathsOf, type CheckArgs, type CommonArgs, type FixArgs, type VerdictCommand } from "./verdict-commands.js";

/** The keys of `fix`'s and `check`'s arguments, as verdict-commands.ts takes them (yargs adds camelCase twins and `$0`). */
const VERDICT_KEYS = [
  "paths", "format", "ignore", "strict", "verbose", "quiet", "macos-target", "require-archs", "round", "jobs", "config", "rehash",
  "wheel-dir", "dry-run", "force", "index-url", "platform", "timeout", "verify",
] as const;

/** yargs' argument object reduced to the keys a verdict command reads, undefined ones left out. */
function verdictArgs<T extends CommonArgs>(args: T): T {
  const picked: Record<string, unknown> = {};
  for (const key of VERDICT_KEYS) {
    const value = (args as Record<string, unknown>)[key];
    // No paths is no key, as the fast path has it; pathsOf says what is missing.
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) picked[key] = value;
  }
  return picked as T;
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
    .positional("paths", { type: "string", describe: "wheels, directories (every *.whl in them) or glob patterns" })
    .epilogue(EPILOGUE);
}

/**
 * Parses `head` (the arguments before `--`; `tail` holds those after it) with yargs and runs the
 * command; `onVerdict` runs a parsed `fix` or `check`. Returns the exit code.
 */
export async function parseAndRun(
  head: readonly string[],
  tail: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  onVerdict: (parsed: VerdictCommand) => Promise<number>,
): Promise<number> {
  let code = 0;
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
        const a = args as unknown as FixArgs & { _: Array<string | number> };
        code = await onVerdict({ command: "fix", args: { ...verdictArgs(a), implicit: a._[0] !== "fix" } });
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
        code = await onVerdict({ command: "check", args: verdictArgs(args as unknown as CheckArgs) });
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
          .positional("files", { type: "string", describe: "wheels, Mach-O files or directories of wheels" })
          .example("$0 show dist/pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl", "")
          .example("$0 show --format json build/_x.cpython-313-darwin.so", "")
          .epilogue(EPILOGUE),
      async (args) => {
        const a = args as unknown as { files?: string[]; format?: string; verbose?: boolean; quiet?: boolean } & Parameters<typeof remoteArgs>[0];
        if (a.quiet !== undefined) throw new RetagError("show takes no -q/--quiet: it prints only what it finds");
        code = await runShow(pathsOf(a.files, tail, "file"), { format: formatOf(a.format, ["text", "json"]) as "text" | "json", remote: { ...remoteArgs(a), verbose: a.verbose === true } }, out);
      },
    )
    .command(
      "audit [paths..]",
      "find the distributions in environments and pip / uv caches that would fail to load on a host; writes nothing",
      (y) =>
        y
          .positional("paths", { type: "string", describe: "site-packages, virtual environments, pip or uv cache folders (default: this environment and the caches)" })
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
      (y) => y.positional("codes", { type: "string", describe: "finding codes (R201) or names (unsupported-arch)" }).example("$0 explain R201", "").epilogue(EPILOGUE),
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

