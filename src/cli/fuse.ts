// `retag fuse A.whl B.whl [-w DIR] [--prefer INPUT | --prefer MEMBER=INPUT] [--dry-run] [--force]`:
// inputs → the fuse flow → one wheel written atomically → a report and an exit code (0 fused and
// clean, 1 refused or not written, 2 a usage problem such as inputs that differ, 3 retag's own failure).
import { basename, dirname, join } from "node:path";
import { fuseWheelSources, type FuseOptions, type FuseResult } from "../flow/fuse.js";
import { FuseError } from "../flow/wheel-set-errors.js";
import { RetagError } from "../model/errors.js";
import type { CheckOptions } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { openInput, type InputFile } from "../node/file-source.js";
import { expandInputs } from "../node/inputs.js";
import { outputFolders, removeStaleTemporaries } from "../node/write.js";
import type { Output } from "./commands.js";
import { findingJson } from "./render.js";
import { PLAIN, type Style } from "./style.js";
import { describe, isInputFailure } from "./tasks.js";
import { findingLine, writeOutput, type WriteOutcome } from "./wheel-set.js";

export interface FuseRunOptions {
  format: "text" | "json";
  wheelDir: string | null;
  dryRun: boolean;
  force: boolean;
  /** `--prefer` values as given: `INPUT`, or `MEMBER=INPUT`. */
  prefer: string[];
}

/** What one run did, for the report. */
interface FuseOutcome {
  paths: string[];
  result: FuseResult | null;
  target: string | null;
  written: WriteOutcome | null;
  error: { problem: string; message: string; members: unknown[] } | null;
}

/** `--prefer INPUT` (one) and `--prefer MEMBER=INPUT` (any number; split at the last `=`, as input names have none). */
export function parsePrefer(values: readonly string[]): Pick<FuseOptions, "prefer" | "preferMembers"> {
  let prefer: string | null = null;
  const preferMembers: FuseOptions["preferMembers"][number][] = [];
  for (const value of values) {
    const at = value.lastIndexOf("=");
    if (at > 0) {
      preferMembers.push({ member: value.slice(0, at), input: value.slice(at + 1) });
      continue;
    }
    if (prefer !== null && prefer !== value) throw new RetagError(`--prefer names two inputs (${prefer} and ${value}); give one, and --prefer MEMBER=INPUT for single members`);
    prefer = value;
  }
  return { prefer, preferMembers };
}

export async function runFuse(paths: string[], checkOptions: CheckOptions, options: FuseRunOptions, out: Output): Promise<number> {
  const outcome: FuseOutcome = { paths, result: null, target: null, written: null, error: null };
  const { inputs: expanded, problems } = await expandInputs(paths, { wheelsOnly: true });
  if (problems.length > 0) throw new RetagError(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  const opened: InputFile[] = [];
  let code: number;
  try {
    for (const input of expanded) {
      try {
        opened.push(openInput(input.path));
      } catch (error) {
        throw new RetagError(`${input.path}: ${describe(error)}`);
      }
    }
    outcome.paths = opened.map((i) => i.path);
    code = await fuseOpened(opened, checkOptions, options, outcome);
  } catch (error) {
    // A usage problem, or an input that could not be read (a system call on it failed): exit 2.
    if (!isInputFailure(error)) throw error;
    const members = error instanceof FuseError ? error.members : [];
    outcome.error = { problem: error instanceof FuseError ? error.problem : "input", message: describe(error), members };
    code = 2;
  } finally {
    for (const input of opened) input.close();
  }
  if (options.format === "json") out.stdout(fuseJson(outcome));
  else if (outcome.error !== null) out.stderr(`retag: ${outcome.error.message}`);
  else out.stdout(fuseText(outcome, options.dryRun, out.style ?? PLAIN));
  return code;
}

async function fuseOpened(inputs: InputFile[], checkOptions: CheckOptions, options: FuseRunOptions, outcome: FuseOutcome): Promise<number> {
  const folder = options.wheelDir ?? dirname(inputs[0]?.path ?? ".");
  if (!options.dryRun) {
    outputFolders.add(folder);
    await removeStaleTemporaries(folder);
  }
  const result = await fuseWheelSources(
    inputs.map((i) => ({ wheel: i.path, source: i })),
    nodeCodecs,
    { ...checkOptions, ...parsePrefer(options.prefer) },
    { dryRun: options.dryRun },
  );
  outcome.result = result;
  if (result.filename !== null) outcome.target = join(folder, result.filename);
  if (result.action === "refused" || !result.ok) return 1;
  if (options.dryRun || result.output === null || outcome.target === null) return 0;
  outcome.written = await writeOutput(outcome.target, result.output, inputs, options.force);
  return 0;
}

function label(path: string): string {
  return basename(path);
}

export function fuseText(o: FuseOutcome, dryRun: boolean, style: Style): string {
  const r = o.result;
  const from = o.paths.map(label).join(" + ");
  if (r === null) return `${from}: not fused`;
  const lines: string[] = [];
  if (r.action === "refused") {
    lines.push(`${from}: ${style.error("not fused")}${r.blockers.length > 0 ? " (an input has errors fuse does not repair)" : ""}`);
    for (const b of r.blockers) {
      lines.push(`  ${label(b.wheel)}:`);
      lines.push(...b.findings.map((f) => `  ${findingLine(f, style)}`));
    }
  } else {
    const verb = dryRun ? "would write" : o.written === "unchanged" ? "already there:" : "→";
    lines.push(`${from} ${verb} ${style.bold(o.target ?? r.filename ?? "")}`);
    for (const f of r.fused) lines.push(`  fused ${f.member} (${f.archs.join(", ")})`);
    lines.push(`  copied ${r.copied} member${r.copied === 1 ? "" : "s"} as they are`);
    for (const p of r.preferred) {
      const rule = p.rule === "prefer" ? "--prefer" : `--prefer ${p.member}=…`;
      lines.push(p.from === null ? `  left out ${p.member} (${rule})` : `  took ${p.member} from ${label(r.inputs[p.from]?.wheel ?? "")} (${rule})`);
    }
    for (const d of r.dropped) lines.push(`  dropped ${d}`);
  }
  lines.push(...r.findings.map((f) => findingLine(f, style)));
  return lines.join("\n");
}

export function fuseJson(o: FuseOutcome): string {
  const r = o.result;
  return JSON.stringify(
    {
      version: 1,
      inputs: o.paths.map((path, i) => {
        const check = r?.inputs[i]?.check;
        return { wheel: path, ok: check?.ok ?? null, findings: (check?.findings ?? []).map(findingJson) };
      }),
      action: o.error !== null ? "error" : (r?.action ?? "error"),
      output: r?.action === "fused" ? o.target : null,
      written: o.written === "written",
      filename: r?.filename ?? null,
      tags: r?.tags ?? [],
      ok: o.error === null && (r?.ok ?? false) && r?.action === "fused",
      copied: r?.copied ?? 0,
      fused: (r?.fused ?? []).map((f) => ({ member: f.member, archs: f.archs, container: f.container, size: f.size, inputs: f.inputs.map((i) => o.paths[i]) })),
      preferred: (r?.preferred ?? []).map((p) => ({ member: p.member, from: p.from === null ? null : o.paths[p.from], rule: p.rule })),
      dropped: r?.dropped ?? [],
      blockers: (r?.blockers ?? []).map((b) => ({ wheel: b.wheel, findings: b.findings.map(findingJson) })),
      findings: (r?.findings ?? []).map(findingJson),
      error: o.error,
    },
    null,
    2,
  );
}
