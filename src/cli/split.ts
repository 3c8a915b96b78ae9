// `retag split X.whl [--arch arm64,x86_64] [-w DIR] [--dry-run] [--force]`: each wheel → the split
// flow → one thin wheel per valid arch, each written atomically → a report and an exit code (0 every
// arch split and clean, 1 an arch with no valid wheel or a wheel refused, 2 usage or an unreadable
// input, 3 retag's own failure). Wheels are handled one by one: one that cannot be split does not
// stop the others.
import { dirname, join } from "node:path";
import { expandSplitArchs, splitWheelSource, type SplitResult } from "../flow/split.js";
import type { CheckOptions } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { openInput, type InputFile } from "../node/file-source.js";
import { expandInputs } from "../node/inputs.js";
import { outputFolders, removeStaleTemporaries } from "../node/write.js";
import type { Output } from "./commands.js";
import { exitCode } from "./exit.js";
import { findingJson } from "./render.js";
import { PLAIN, type Style } from "./style.js";
import { describe, isInputFailure } from "./tasks.js";
import { findingLine, writeOutput, type WriteOutcome } from "./wheel-set.js";

export interface SplitRunOptions {
  format: "text" | "json";
  wheelDir: string | null;
  dryRun: boolean;
  force: boolean;
  /** `--arch` values as given (comma-separated lists and formats such as universal2); empty: what the tags promise. */
  archs: string[];
}

interface SplitOutcome {
  wheel: string;
  result: SplitResult | null;
  /** Per output (same order as result.outputs): where it goes and whether it was written. */
  targets: Array<{ path: string; written: WriteOutcome | null; error: string | null }>;
  error: string | null;
  internal: boolean;
}

export async function runSplit(paths: string[], checkOptions: CheckOptions, options: SplitRunOptions, out: Output): Promise<number> {
  expandSplitArchs(options.archs); // a misspelt --arch is a usage error before any wheel is read
  const expanded = await expandInputs(paths, { wheelsOnly: true });
  const outcomes: SplitOutcome[] = expanded.problems.map((p) => ({ wheel: p.path, result: null, targets: [], error: p.message, internal: false }));
  for (const input of expanded.inputs) outcomes.push(await splitOne(input.path, checkOptions, options));
  const internalErrors = outcomes.filter((o) => o.internal).length;
  const inputErrors = outcomes.filter((o) => o.result === null && !o.internal).length;
  const failed = outcomes.filter((o) => o.result !== null && (!o.result.ok || o.targets.some((t) => t.error !== null))).length;
  if (options.format === "json") out.stdout(splitJson(outcomes));
  else {
    for (const o of outcomes) {
      if (o.result === null) out.stderr(`retag: ${o.wheel}: ${o.error ?? ""}`);
      else out.stdout(splitText(o, options.dryRun, out.style ?? PLAIN));
    }
  }
  return exitCode({ internalErrors, inputErrors, failed });
}

async function splitOne(path: string, checkOptions: CheckOptions, options: SplitRunOptions): Promise<SplitOutcome> {
  const outcome: SplitOutcome = { wheel: path, result: null, targets: [], error: null, internal: false };
  let input: InputFile;
  try {
    input = openInput(path);
  } catch (error) {
    return { ...outcome, error: describe(error) };
  }
  try {
    const folder = options.wheelDir ?? dirname(path);
    if (!options.dryRun) {
      outputFolders.add(folder);
      await removeStaleTemporaries(folder);
    }
    const result = await splitWheelSource(path, input, nodeCodecs, { ...checkOptions, archs: options.archs.length === 0 ? null : options.archs }, { dryRun: options.dryRun });
    outcome.result = result;
    for (const o of result.outputs) {
      const target = { path: join(folder, o.filename), written: null as WriteOutcome | null, error: null as string | null };
      outcome.targets.push(target);
      if (options.dryRun || o.output === null) continue;
      try {
        target.written = await writeOutput(target.path, o.output, [input], options.force);
      } catch (error) {
        if (!isInputFailure(error)) throw error;
        target.error = describe(error);
      }
    }
    return outcome;
  } catch (error) {
    if (isInputFailure(error)) return { ...outcome, result: null, error: describe(error) };
    return { ...outcome, result: null, error: `internal error: ${describe(error)}`, internal: true };
  } finally {
    input.close();
  }
}

export function splitText(o: SplitOutcome, dryRun: boolean, style: Style): string {
  const r = o.result;
  if (r === null) return `${o.wheel}: error: ${o.error ?? ""}`;
  const lines: string[] = [];
  if (r.action === "refused") {
    lines.push(`${o.wheel}: ${style.error("not split")} (it has errors split does not repair)`);
    lines.push(...r.blockers.map((f) => findingLine(f, style)));
    return lines.join("\n");
  }
  lines.push(`${o.wheel}:`);
  r.outputs.forEach((w, i) => {
    const t = o.targets[i];
    const verb = t?.error != null ? `not written (${t.error})` : !w.ok ? "not written" : dryRun ? "would write" : t?.written === "unchanged" ? "already there:" : "→";
    lines.push(`  ${w.arch}: ${verb} ${style.bold(t?.path ?? w.filename)}`);
    if (w.thinned.length > 0) lines.push(`    thinned ${w.thinned.length} binar${w.thinned.length === 1 ? "y" : "ies"} to ${w.arch}`);
    for (const k of w.kept) lines.push(`    kept ${k} as it is (no ${w.arch} slice)`);
    lines.push(...w.findings.map((f) => `  ${findingLine(f, style)}`));
  });
  for (const m of r.missing) {
    lines.push(`  ${m.arch}: ${style.error("no valid wheel")}`);
    lines.push(...m.reasons.map((f) => `  ${findingLine(f, style)}`));
  }
  return lines.join("\n");
}

export function splitJson(outcomes: SplitOutcome[]): string {
  return JSON.stringify(
    {
      version: 1,
      results: outcomes.map((o) => {
        const r = o.result;
        return {
          wheel: o.wheel,
          action: r?.action ?? "error",
          ok: r !== null && r.ok && o.targets.every((t) => t.error === null),
          error: o.error,
          archs: r?.archs ?? [],
          outputs: (r?.outputs ?? []).map((w, i) => ({
            arch: w.arch,
            filename: w.filename,
            output: w.ok ? (o.targets[i]?.path ?? null) : null,
            written: o.targets[i]?.written === "written",
            error: o.targets[i]?.error ?? null,
            tags: w.tags,
            thinned: w.thinned,
            kept: w.kept,
            unchanged: w.unchanged,
            ok: w.ok,
            findings: w.findings.map(findingJson),
          })),
          missing: (r?.missing ?? []).map((m) => ({ arch: m.arch, reasons: m.reasons.map(findingJson) })),
          blockers: (r?.blockers ?? []).map(findingJson),
          findings: (r?.check.findings ?? []).map(findingJson),
        };
      }),
    },
    null,
    2,
  );
}
