// One wheel through the core, as the CLI runs it: check (flow/check.ts) and, for the download, fix
// (flow/fix.ts) with the browser's codecs. A dropped file is read whole, so the fix is made at once;
// a URL read by ranges is checked from WHEEL, RECORD and the binaries, and fixed only once the
// whole wheel has been downloaded (a fix verifies every RECORD hash first, DESIGN §4).
import { checkWheelSource, DEFAULT_CHECK_OPTIONS } from "../../src/flow/check.js";
import { retagWheelSource, type RetagResult } from "../../src/flow/fix.js";
import type { ByteSource } from "../../src/model/ports.js";
import type { CheckResult } from "../../src/model/results.js";
import { binaryMembers } from "../../src/read/index.js";
import { isSourceRange, type AssembledZip } from "../../src/zip/index.js";
import { browserCodecs } from "./codecs.js";
import type { FixOffer } from "./view.js";

/** The assembled parts as a Blob: new bytes as they are, copied ranges sliced from the input. */
async function toBlob(output: AssembledZip, original: Blob | null): Promise<Blob> {
  const parts: BlobPart[] = [];
  for (const part of output.parts) {
    if (!isSourceRange(part)) parts.push(part as Uint8Array<ArrayBuffer>);
    // A range of the dropped file: a slice of the File, no copy; of anything else: its bytes.
    else if (original !== null) parts.push(original.slice(part.offset, part.offset + part.length));
    else parts.push((await part.source.read(part.offset, part.length)) as Uint8Array<ArrayBuffer>);
  }
  return new Blob(parts, { type: "application/zip" });
}

/** What fix mode does with the wheel, as the card offers it. */
export function offerOf(fixed: RetagResult, blob: Blob | null): FixOffer {
  const codes = (findings: RetagResult["reasons"]): string => [...new Set(findings.map((f) => f.code))].join(", ");
  if (fixed.action === "rewritten" && fixed.ok && blob !== null) return { kind: "download", filename: fixed.filename, blob };
  if (fixed.action === "unchanged") {
    return { kind: "nothing", reason: fixed.ok ? "Nothing to fix: retag fix leaves this wheel as it is." : "retag fix would change nothing: the errors above need a rebuild, not new tags." };
  }
  const blockers = fixed.action === "refused" ? fixed.reasons : fixed.remaining;
  return {
    kind: "refused",
    reason: blockers.length > 0 ? `retag fix refuses to rewrite this wheel: ${codes(blockers)} must be fixed first.` : "retag fix cannot rewrite this wheel (it lacks the parts a rewrite needs).",
    findings: blockers,
  };
}

/** Check and fix a wheel whose every byte is at hand (a file, or a downloaded URL). */
export async function inspectWhole(filename: string, source: ByteSource, original: Blob | null): Promise<{ result: CheckResult; fix: FixOffer }> {
  const fixed = await retagWheelSource(filename, source, browserCodecs, DEFAULT_CHECK_OPTIONS);
  const blob = fixed.action === "rewritten" && fixed.ok && fixed.output !== null ? await toBlob(fixed.output, original) : null;
  return { result: fixed.check, fix: offerOf(fixed, blob) };
}

/** Check a wheel read by ranges: WHEEL, RECORD and the binaries only (DESIGN §10). */
export function inspectPartial(filename: string, source: ByteSource): Promise<CheckResult> {
  return checkWheelSource(filename, source, browserCodecs, DEFAULT_CHECK_OPTIONS, { select: binaryMembers });
}
