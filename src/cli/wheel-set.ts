// What the `fuse` and `split` runners share: their options as yargs reads them, a finding as one line,
// and writing one output wheel the way fix mode writes (DESIGN §4): atomically, never over a
// different file without --force, never over an input, and only while every input is still what was read.
import { resolve } from "node:path";
import { RetagError } from "../model/errors.js";
import { FINDINGS, type Finding } from "../model/findings.js";
import type { CheckOptions } from "../model/results.js";
import type { InputFile } from "../node/file-source.js";
import { stat } from "node:fs/promises";
import { fileEquals, writeAtomically } from "../node/write.js";
import type { AssembledZip } from "../zip/index.js";
import { DEFAULT_CHECK_OPTIONS } from "../flow/check.js";
import { paintLabel, type Style } from "./style.js";
import type { WheelSetArgs } from "./wheel-set-commands.js";

/** The check options the flows take, from the flags and the environment (the flag wins, as for fix). */
export function checkOptionsOf(args: WheelSetArgs, env: NodeJS.ProcessEnv): CheckOptions {
  const target = args["macos-target"] ?? env.MACOSX_DEPLOYMENT_TARGET ?? null;
  if (target !== null && !/^\d+(\.\d+){0,2}$/.test(target)) {
    throw new RetagError(`--macos-target / MACOSX_DEPLOYMENT_TARGET must look like 10.13 or 11.0, not ${JSON.stringify(target)}`);
  }
  const ignore = args.ignore === undefined ? [] : ([] as string[]).concat(args.ignore);
  return {
    ...DEFAULT_CHECK_OPTIONS,
    ignore: ignore.flatMap((i) => String(i).split(",")).map((i) => i.trim()).filter((i) => i !== ""),
    strict: args.strict ?? false,
    macosTarget: target === null ? null : target.includes(".") ? target : `${target}.0`,
    round: args.round ?? "down",
  };
}

/** One finding as one indented line (the message names its member and arch). */
export function findingLine(f: Finding, style: Style, label: string = f.severity): string {
  const name = FINDINGS[f.code as keyof typeof FINDINGS]?.name ?? "";
  return `  ${paintLabel(style, label)} ${f.code} ${name}: ${f.message}`;
}

/** What happened to one output: written, or already there byte for byte. */
export type WriteOutcome = "written" | "unchanged";

/**
 * Writes `output` to `target` unless a file with exactly these bytes is already there. Refuses to
 * replace an input (inputs are never modified, not even with --force) and to write when an input
 * changed since it was read (its copied ranges would be a mix of two files).
 */
export async function writeOutput(target: string, output: AssembledZip, inputs: readonly InputFile[], force: boolean): Promise<WriteOutcome> {
  const stillValid = (): boolean => inputs.every((i) => i.isUnchanged());
  if (!stillValid()) throw new RetagError("an input changed on disk while retag ran; nothing was written (run retag again)");
  for (const input of inputs) {
    if (resolve(input.path) === resolve(target) || (await sameFile(input.path, target))) {
      if (await fileEquals(target, output.parts, output.size)) return "unchanged";
      throw new RetagError(`${target} is one of the inputs; retag never overwrites an input (write elsewhere with -w DIR)`);
    }
  }
  if (await fileEquals(target, output.parts, output.size)) return "unchanged";
  try {
    await writeAtomically(target, output.parts, { force, stillValid });
  } catch (error) {
    throw new RetagError(error instanceof Error ? error.message : String(error));
  }
  return "written";
}

/** True when both paths name one file (same device and inode). */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return sa !== null && sb !== null && sa.dev === sb.dev && sa.ino === sb.ino;
}
