// The GitHub Action's inputs (action.yml) → retag's command line, and its outputs → the
// GITHUB_OUTPUT file format. Pure functions: src/entry/action.ts does the I/O.

export type ActionCommand = "check" | "fix";

export interface ActionInputs {
  command: ActionCommand;
  /** One path, directory or glob per line of the `paths` input (retag expands globs itself). */
  paths: string[];
  /** The `args` input split as a shell would split it (quotes group, no expansion). */
  args: string[];
}

/** Thrown for inputs that cannot make a command line; the Action reports it and exits 2. */
export class ActionInputError extends Error {}

/**
 * Reads the inputs the runner passes as INPUT_<NAME> variables (GitHub's toolkit: the name upper-cased,
 * spaces as `_`). action.yml's defaults arrive the same way, so an unset variable means the Action is
 * run by hand; the same defaults apply then.
 */
export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const command = (env.INPUT_COMMAND ?? "").trim() || "check";
  if (command !== "check" && command !== "fix") throw new ActionInputError(`input command must be check or fix, not ${JSON.stringify(command)}`);
  const paths = (env.INPUT_PATHS ?? "dist/*.whl").split(/\r?\n/).map((p) => p.trim()).filter((p) => p !== "");
  if (paths.length === 0) throw new ActionInputError("input paths is empty: give one wheel, directory or glob per line");
  return { command, paths, args: splitArgs(env.INPUT_ARGS ?? "") };
}

/**
 * `--ignore R205 --macos-target "11.0"` → ["--ignore", "R205", "--macos-target", "11.0"]: words split
 * on whitespace, '…' and "…" group (a backslash escapes the next character outside single quotes),
 * nothing is expanded. Unbalanced quotes are an error, not a guess.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) word += text[++i] as string;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < text.length) {
      word = (word ?? "") + (text[++i] as string);
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote !== null) throw new ActionInputError(`input args has an unclosed ${quote}: ${text}`);
  if (word !== null) words.push(word);
  return words;
}

/**
 * retag's command line for the inputs: the format first, so a `--format` in `args` wins as on the
 * command line; then the user's flags, then the paths (retag's parser takes no `--`, so a path must
 * not start with `-`: `./-x.whl`).
 */
export function retagArgv(inputs: ActionInputs, format: "github" | "json" = "github", extra: string[] = []): string[] {
  return [inputs.command, "--format", format, ...extra, ...inputs.args, ...inputs.paths];
}

/**
 * `name=value` lines for GITHUB_OUTPUT; a value with a line break uses the `name<<DELIMITER` form,
 * with a delimiter the value does not contain (as GitHub's toolkit writes them).
 */
export function outputLines(outputs: { [name: string]: string }, delimiter: string): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (!value.includes("\n") && !value.includes("\r")) return `${name}=${value}\n`;
      if (value.includes(delimiter)) throw new Error("output value contains the delimiter");
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join("");
}
