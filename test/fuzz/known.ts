// Open bugs the fuzzer found in files the fuzz work may not change (src/check.ts, src/retag.ts).
// Each has a committed regression under test/fuzz/regressions/ marked `"known"` in its case.json,
// which runs as an expected failure until the bug is fixed. The bounded fuzz run skips the cases a
// known bug explains, so that it still fails on anything new. Remove an entry when its bug is fixed.
import type { FuzzApi, FuzzCase } from "../../fuzz/harness.mjs";
import type { CheckResult } from "../../src/model/results.js";

interface KnownBug {
  id: string;
  /** True when the case triggers the bug (judged from the check result, not from failure messages). */
  triggers: (check: CheckResult) => boolean;
}

export const KNOWN_BUGS: KnownBug[] = [

];

/** The id of the known bug `fuzzCase` triggers, or null. */
export async function knownBug(api: FuzzApi, fuzzCase: FuzzCase): Promise<string | null> {
  let check: CheckResult;
  try {
    check = (await api.checkWheel(fuzzCase.bytes, { ...fuzzCase.options, filename: fuzzCase.filename })) as CheckResult;
  } catch {
    return null;
  }
  return KNOWN_BUGS.find((bug) => bug.triggers(check))?.id ?? null;
}
