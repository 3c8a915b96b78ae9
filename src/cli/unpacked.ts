// `retag check DIR` and `retag show DIR` for a folder that is a distribution (an unpacked wheel, or a
// site-packages: src/node/unpacked.ts), kept apart from the runners in commands.ts: each takes the
// paths it was given, handles the folders that are distributions, and hands back the rest.
import { inspectTree } from "../flow/tree.js";
import type { BinaryReport } from "../model/binary.js";
import { TreeError } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { openUnpacked } from "../node/unpacked.js";

export async function checkUnpackedFolders(paths: readonly string[], checkOptions: CheckOptions): Promise<{ rest: string[]; results: CheckResult[]; errors: string[] }> {
  const rest: string[] = [];
  const results: CheckResult[] = [];
  const errors: string[] = [];
  for (const path of paths) {
    const folder = await openUnpacked(path);
    if (folder === null) {
      rest.push(path);
      continue;
    }
    for (const d of folder.distributions) {
      try {
        results.push((await inspectTree(d.label, folder.tree, d.distInfo, nodeCodecs, checkOptions, { layout: d.layout, verify: "all" })).result);
      } catch (error) {
        if (!(error instanceof TreeError)) throw error;
        errors.push(`${d.label}: ${error.message}`);
      }
    }
  }
  return { rest, results, errors };
}

export async function showUnpackedFolders(paths: readonly string[]): Promise<{ rest: string[]; files: Array<{ path: string; binaries: BinaryReport[]; error?: string }> }> {
  const rest: string[] = [];
  const files: Array<{ path: string; binaries: BinaryReport[]; error?: string }> = [];
  for (const path of paths) {
    const folder = await openUnpacked(path);
    if (folder === null) {
      rest.push(path);
      continue;
    }
    for (const d of folder.distributions) {
      const { facts } = await inspectTree(d.label, folder.tree, d.distInfo, nodeCodecs, {}, { layout: d.layout, verify: "binaries" });
      // As for a wheel (src/flow/show.ts): what leaves the table incomplete fails the show; a
      // symlink out of the folder is a finding of its own and the rest is shown.
      const unreadable = facts.findings.find((f) => f.code === "R014" && f.data.problem !== "symlink");
      files.push(unreadable === undefined ? { path: d.label, binaries: facts.binaries } : { path: d.label, binaries: [], error: unreadable.message });
    }
  }
  return { rest, files };
}
