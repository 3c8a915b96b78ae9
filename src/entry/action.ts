// The GitHub Action (action.yml; action/index.js is this file bundled, committed as JavaScript
// actions must be). It runs retag in this process exactly as `retag <command> --format github
// <args> <paths>` would run, so the log's annotations and the step summary are the CLI's own, and
// its exit code is the step's. Then it writes the outputs: `wheels`, the wheels that exist after the
// run (for fix, where each was written), one per line, and `ok`, whether retag exited 0.
//
// For fix, where each wheel lands is what the same command with --dry-run --format json says
// (retag's own prediction, taking -w and every other flag into account), asked before the real run,
// and kept only when the file is there afterwards.
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import { consoleOutput, installSignalHandlers, main } from "../cli/main.js";
import { expandInputs } from "../node/inputs.js";
import { ActionInputError, outputLines, readInputs, retagArgv, type ActionInputs } from "./action-inputs.js";

/** The paths the run will leave: fix asks retag's dry run; check leaves its inputs. */
async function expectedWheels(inputs: ActionInputs): Promise<string[]> {
  if (inputs.command === "check") {
    return (await expandInputs(inputs.paths, { wheelsOnly: true })).inputs.map((i) => i.path);
  }
  let json = "";
  const quiet = { stdout: (s: string) => void (json += s), stderr: () => undefined };
  // No GITHUB_STEP_SUMMARY for the prediction: only the real run reports.
  const env = { ...process.env };
  delete env.GITHUB_STEP_SUMMARY;
  await main(retagArgv(inputs, "json", ["--dry-run"]), quiet, env);
  try {
    // A dry run writes nothing, so `output` is null: `target` is where the real run puts each wheel
    // that lands (rewritten or unchanged); a refused or failing one has none.
    const doc = JSON.parse(json) as { results?: Array<{ action?: string; target?: string | null }> };
    return (doc.results ?? []).flatMap((r) => (typeof r.target === "string" && (r.action === "would-rewrite" || r.action === "unchanged") ? [r.target] : []));
  } catch {
    return [];
  }
}

async function run(): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs(process.env);
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    process.stdout.write(`::error title=wheel-retag::${error.message}\n`);
    return 2;
  }
  const predicted = await expectedWheels(inputs);
  const code = await main(retagArgv(inputs), consoleOutput(process.env), process.env);
  const wheels = [...new Set(predicted)].filter((p) => existsSync(p));
  const file = process.env.GITHUB_OUTPUT;
  if (file !== undefined && file !== "") {
    appendFileSync(file, outputLines({ wheels: wheels.join("\n"), ok: String(code === 0) }, `ghadelimiter_${randomUUID()}`));
  }
  return code;
}

installSignalHandlers();
process.exitCode = await run();
