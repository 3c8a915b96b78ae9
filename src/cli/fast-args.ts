// The command lines that cibuildwheel, CI steps and scripts run again and again — `retag check
// FILE…`, `retag -w DIR FILE`, `retag fix --format json dist/*.whl` — read without yargs. Loading
// and starting yargs is a third of a small check's time beyond Node itself (issue 13), and one
// process runs per wheel. The fast path takes only the plain spellings of `fix`'s and `check`'s
// options and returns null for anything else (help, a mistyped or unusual option, other commands,
// `--flag=` forms yargs reads its own way), which then goes to yargs (parser.ts) as before. It returns
// exactly what yargs returns for the same line (test/cli/fast-args.test.ts compares the two over a
// table of command lines), so the fast path changes only the time a run takes.
import type { CheckArgs, FixArgs, VerdictCommand } from "./verdict-commands.js";

type Kind = "boolean" | "string" | "list";

/** An option of `fix` and `check`: its name as the argument object has it, and how it takes a value. */
interface OptionSpec {
  name: string;
  kind: Kind;
}

const COMMON: Record<string, OptionSpec> = {
  "--format": { name: "format", kind: "string" },
  // Repeatable: yargs gives a string for one, an array for more.
  "--ignore": { name: "ignore", kind: "list" },
  "--strict": { name: "strict", kind: "boolean" },
  "--verbose": { name: "verbose", kind: "boolean" },
  "-v": { name: "verbose", kind: "boolean" },
  "--quiet": { name: "quiet", kind: "boolean" },
  "-q": { name: "quiet", kind: "boolean" },
  "--macos-target": { name: "macos-target", kind: "string" },
  "--require-archs": { name: "require-archs", kind: "string" },
  "--round": { name: "round", kind: "string" },
  "--jobs": { name: "jobs", kind: "string" },
  "-j": { name: "jobs", kind: "string" },
  "--config": { name: "config", kind: "list" },
  "--rehash": { name: "rehash", kind: "boolean" },
};

const FIX_ONLY: Record<string, OptionSpec> = {
  "--wheel-dir": { name: "wheel-dir", kind: "string" },
  "-w": { name: "wheel-dir", kind: "string" },
  "--dry-run": { name: "dry-run", kind: "boolean" },
  "-n": { name: "dry-run", kind: "boolean" },
  "--force": { name: "force", kind: "boolean" },
};

/** The words yargs takes as commands: a line starting with one but fix or check is not for the fast path. */
const OTHER_COMMANDS = new Set(["show", "audit", "fuse", "split", "explain", "completion"]);

/**
 * `argv` (the arguments before any `--`) as yargs would parse them for `fix` or `check`, or null
 * when the line is not one the fast path takes.
 */
export function fastArgs(argv: readonly string[]): VerdictCommand | null {
  const first = argv[0];
  if (first === undefined || OTHER_COMMANDS.has(first)) return null;
  const command = first === "check" ? "check" : "fix";
  const implicit = first !== "check" && first !== "fix";
  const options = command === "fix" ? { ...COMMON, ...FIX_ONLY } : COMMON;
  const values: Record<string, string | boolean | Array<string | false>> = {};
  const paths: string[] = [];
  for (let i = implicit ? 0 : 1; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("-")) {
      if (arg === "") return null;
      paths.push(arg);
      continue;
    }
    if (arg === "--no-config") {
      values.config = [...listOf(values.config), false];
      continue;
    }
    const spec = options[arg];
    if (spec === undefined) return null;
    if (spec.kind === "boolean") {
      // yargs takes a following `true` / `false` as the flag's value; once per flag, like yargs' default.
      const next = argv[i + 1];
      if (next === "true" || next === "false" || values[spec.name] !== undefined) return null;
      values[spec.name] = true;
      continue;
    }
    const value = argv[i + 1];
    // A missing value, or one that looks like an option or a number (yargs has rules of its own for those).
    if (value === undefined || value.startsWith("-") || value === "") return null;
    i++;
    if (spec.kind === "list") values[spec.name] = [...listOf(values[spec.name]), value];
    else if (values[spec.name] !== undefined) return null;
    else values[spec.name] = value;
  }
  // A list given once is a string, as yargs gives it.
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value) && value.length === 1) values[name] = value[0] as string | false;
  }
  if (paths.length > 0) values.paths = paths as never;
  return command === "fix"
    ? { command, args: { ...(values as Omit<FixArgs, "implicit">), implicit } }
    : { command, args: { ...(values as CheckArgs), verify: "needed" } };
}

function listOf(value: string | boolean | Array<string | false> | undefined): Array<string | false> {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value as string | false];
}
