// The command line: `fix` and `check` lines in their plain spellings are read by fast-args.ts
// (without loading yargs: start-up, issue 13), everything else by yargs (parser.ts, loaded on
// demand). Usage errors exit 2 with one line, never a stack trace; a bug exits 3 and says where to
// report it (DESIGN §2.1).
import { lstatSync } from "node:fs";
import { RetagError } from "../model/errors.js";
import { removeActiveTemporariesSync } from "../node/write.js";
import { BUG_REPORT } from "./about.js";
import type { Output } from "./commands.js";
import { escapeText } from "./escape.js";
import { fastArgs } from "./fast-args.js";
import { COLOR, PLAIN, wantsColor } from "./style.js";
import { runVerdictCommand, type VerdictCommand } from "./verdict-commands.js";

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
  try {
    // Everything after `--` is a path, whatever it looks like; before it, an argument that looks like
    // an option and also names a file is refused as ambiguous (DESIGN §2.1).
    const end = argv.indexOf("--");
    const head = end < 0 ? argv : argv.slice(0, end);
    const tail = end < 0 ? [] : argv.slice(end + 1);
    refuseAmbiguous(head);
    const run = (parsed: VerdictCommand): Promise<number> => runVerdictCommand(parsed, tail, env, out);
    const fast = fastArgs(head);
    if (fast !== null) return await run(fast);
    const { parseAndRun } = await import("./parser.js");
    return await parseAndRun(head, tail, env, out, run);
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
