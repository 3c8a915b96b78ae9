// The `retag fuse` and `retag split` commands as yargs reads them: options, help and examples only.
// main.ts registers both on every run, so this module is kept light: the runners (fuse.ts, split.ts)
// and the flows behind them are loaded only when one of the two commands runs.
import type { Argv, CommandModule } from "yargs";
import type { Output } from "./commands.js";

export interface WheelSetArgs {
  "wheel-dir"?: string;
  "dry-run": boolean;
  force: boolean;
  format: "text" | "json";
  "macos-target"?: string;
  round?: "down" | "up";
  strict?: boolean;
  ignore?: string | string[];
}

/** The options `fuse` and `split` share with each other (and, in spelling, with fix). */
export function wheelSetOptions<T>(y: Argv<T>) {
  return y
    .option("wheel-dir", { alias: "w", type: "string", describe: "write the result(s) to DIR (default: the folder of the (first) input)" })
    .option("dry-run", { alias: "n", type: "boolean", default: false, describe: "say what would be written; write nothing" })
    .option("force", { type: "boolean", default: false, describe: "replace an existing different file at the target name" })
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "output format" })
    .option("macos-target", { type: "string", describe: "deployment target: a floor for the computed version (default: $MACOSX_DEPLOYMENT_TARGET)" })
    .option("round", { choices: ["down", "up"] as const, describe: "a minimum like 12.3 becomes 12_0 (down, the default) or 13_0 (up)" })
    .option("strict", { type: "boolean", describe: "warnings about the result fail too" })
    .option("ignore", { type: "string", describe: "finding codes, prefixes or names to ignore (repeat or comma-separate)" });
}

type FuseArgs = WheelSetArgs & { wheels: string[]; prefer?: string | string[] };

/** The `retag fuse` command for main.ts; `done` receives the exit code. */
export function fuseCommand(context: { env: NodeJS.ProcessEnv; out: Output; done: (code: number) => void }): CommandModule<object, FuseArgs> {
  return {
    command: "fuse <wheels..>",
    describe: "fuse thin wheels of one build (arm64 + x86_64) into one wheel with fat binaries, tagged from them",
    builder: (y: Argv<object>) =>
      wheelSetOptions(y)
        .positional("wheels", { type: "string", array: true, demandOption: true })
        // Not `array: true`: it would swallow the wheels after it. Repeating the flag gives an array.
        .option("prefer", { type: "string", describe: "INPUT (position, path, file name or arch) wins where members differ; MEMBER=INPUT for one member" })
        .example("$0 fuse -w dist arm64/*.whl x86_64/*.whl", "one universal2 wheel in dist/")
        .example("$0 fuse a.whl b.whl --prefer arm64", "members that differ come from the arm64 build") as unknown as Argv<FuseArgs>,
    handler: async (args) => {
      const a = args as unknown as FuseArgs;
      const prefer = a.prefer === undefined ? [] : ([] as string[]).concat(a.prefer);
      const [{ runFuse }, { checkOptionsOf }] = await Promise.all([import("./fuse.js"), import("./wheel-set.js")]);
      context.done(
        await runFuse(a.wheels, checkOptionsOf(a, context.env), { format: a.format, wheelDir: a["wheel-dir"] ?? null, dryRun: a["dry-run"], force: a.force, prefer }, context.out),
      );
    },
  };
}

type SplitArgs = WheelSetArgs & { wheels: string[]; arch?: string | string[] };

/** The `retag split` command for main.ts; `done` receives the exit code. */
export function splitCommand(context: { env: NodeJS.ProcessEnv; out: Output; done: (code: number) => void }): CommandModule<object, SplitArgs> {
  return {
    command: "split <wheels..>",
    describe: "split each fat (universal2) wheel into one thin wheel per arch, tagged from the thinned binaries",
    builder: (y: Argv<object>) =>
      wheelSetOptions(y)
        .positional("wheels", { type: "string", array: true, demandOption: true })
        .option("arch", { type: "string", describe: "the archs to split out: arm64,x86_64 | universal2 (default: every arch the tags promise)" })
        .example("$0 split -w dist pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl", "an arm64 and an x86_64 wheel in dist/")
        .example("$0 split --arch arm64 dist/*.whl", "only the arm64 wheels") as unknown as Argv<SplitArgs>,
    handler: async (args) => {
      const a = args as unknown as SplitArgs;
      const archs = a.arch === undefined ? [] : ([] as string[]).concat(a.arch);
      const [{ runSplit }, { checkOptionsOf }] = await Promise.all([import("./split.js"), import("./wheel-set.js")]);
      context.done(
        await runSplit(a.wheels, checkOptionsOf(a, context.env), { format: a.format, wheelDir: a["wheel-dir"] ?? null, dryRun: a["dry-run"], force: a.force, archs }, context.out),
      );
    },
  };
}
