// Fix mode: check, then plan the rewrite from the facts, then assemble the new archive (DESIGN §3.6,
// §4). Returns data and the new archive as parts; writing them (atomically) is the host's job
// (src/node/). Copied members are ranges of the source, so the source must stay open until written.
import { finding, fixedBy, fails, type Finding } from "../model/findings.js";
import type { ByteSource, Codecs } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import type { WheelName } from "../model/wheel.js";
import { formatRecordHash, recordHash } from "../wheel/hash.js";
import { replaceBuild, replaceTags, serializeWheelMetadata } from "../wheel/metadata.js";
import { wheelTags } from "../wheel/name.js";
import { recordKey, replaceRows } from "../wheel/record.js";
import { rewriteZip, type AssembledZip } from "../zip/index.js";
import { baseName, inspectWheel } from "./check.js";

export interface RetagOptions extends CheckOptions {}

export interface RetagResult {
  /** What the check found in the input. */
  check: CheckResult;
  /** unchanged: the input is correct and stays byte for byte; rewritten: `output` holds the new wheel; refused: an error blocks the rewrite. */
  action: "unchanged" | "rewritten" | "refused";
  /** The output file name (the input's when unchanged or refused). */
  filename: string;
  /** The findings that forced the rewrite, or that refused it. */
  reasons: Finding[];
  /** The findings that are still true of the output (of the input, when nothing was written). */
  remaining: Finding[];
  /** Members the rewrite dropped (RECORD.jws / RECORD.p7s). */
  dropped: string[];
  /** The new wheel as parts to write in order (new bytes, ranges of the source); null unless rewritten. */
  output: AssembledZip | null;
  /** True when the output is fine (no error finding remains; with strict, no warning either). */
  ok: boolean;
}

const SIGNATURES = ["RECORD.jws", "RECORD.p7s"];

/** Check the wheel `source` reads and, when its tags are wrong, plan and assemble the rewrite. */
export async function retagWheelSource(wheel: string, source: ByteSource, codecs: Codecs, options: Partial<RetagOptions> = {}): Promise<RetagResult> {
  const rehash = options.rehash === true;
  const { result, read } = await inspectWheel(wheel, source, codecs, options, { sha256: rehash });
  const strict = options.strict ?? false;
  const filename = result.name?.filename ?? baseName(wheel);
  const base = { check: result, filename, dropped: [] as string[], output: null };
  // A rewrite-fixed finding is fixed only when the check decided the rewrite (§3.6): a rewrite for
  // --rehash alone leaves a wrong tag nobody could compute (R211 on a manylinux tag) as it was.
  const isFixed = (f: Finding): boolean => (result.needsRewrite && fixedBy(f.code) === "rewrite") || (rehash && fixedBy(f.code) === "rehash");

  const rehashNeeded = rehash && result.findings.some((f) => fixedBy(f.code) === "rehash");
  if (!result.needsRewrite && !rehashNeeded) {
    return { ...base, action: "unchanged", reasons: [], remaining: result.findings, ok: result.ok };
  }
  const blockers = result.findings.filter((f) => fails(f, strict) && !isFixed(f));
  const name = result.name;
  const { facts, archive } = read;
  // A rewrite needs the parts it rewrites, and never writes a wheel with no platform tag.
  const noTags = result.tags.expected !== null && result.tags.expected.length === 0;
  if (blockers.length > 0 || noTags || archive === null || name === null || facts.metadata === null || facts.record === null || facts.distInfo === null) {
    return { ...base, action: "refused", reasons: blockers, remaining: result.findings, ok: false };
  }

  // New platform tags only when the check decided a rewrite (§3.6); a rewrite for --rehash alone
  // keeps the tags. New tags are written canonically (the set sorted, DESIGN §3.5); unchanged tags
  // keep the name as it is, in the order auditwheel and maturin write (R015 is information).
  const newName: WheelName = { ...name, platformTags: result.needsRewrite ? (result.tags.expected ?? name.platformTags) : name.platformTags };
  const newFilename = result.needsRewrite ? (result.expectedFilename ?? name.filename) : name.filename;
  const wheelPath = `${facts.distInfo}/WHEEL`;
  const recordPath = `${facts.distInfo}/RECORD`;
  const encoder = new TextEncoder();
  // WHEEL says what the name says: its Tag lines, and its Build header when the two disagree (R017).
  const retagged = replaceTags(facts.metadata, wheelTags(newName));
  const wheelBytes = encoder.encode(serializeWheelMetadata(facts.metadata.build === name.build ? retagged : replaceBuild(retagged, name.build)));
  const wheelRow = { hash: await recordHash(wheelBytes, codecs), size: String(wheelBytes.length) };

  const present = new Set(facts.members.map((m) => m.name));
  const dropped = SIGNATURES.map((s) => `${facts.distInfo}/${s}`).filter((p) => present.has(p));
  const rows = new Map<string, { hash: string; size: string } | null>();
  if (rehash) {
    // Every row anew from the bytes themselves (the user asked to trust the files over RECORD), from
    // the digests the check computed: nothing is inflated or hashed twice.
    for (const m of facts.members) {
      if (m.name === recordPath || dropped.includes(m.name)) continue;
      if (m.name === wheelPath) rows.set(m.name, wheelRow);
      else if (m.sha256 !== null) rows.set(m.name, { hash: formatRecordHash(m.sha256), size: String(m.size) });
    }
    for (const row of facts.record.rows) if (!present.has(recordKey(row.path))) rows.set(recordKey(row.path), null);
  } else {
    rows.set(wheelPath, wheelRow);
  }
  for (const p of dropped) rows.set(p, null);
  const recordBytes = encoder.encode(replaceRows(facts.record, rows));

  const output = await rewriteZip(
    archive,
    {
      replace: new Map([
        [wheelPath, wheelBytes],
        [recordPath, recordBytes],
      ]),
      drop: new Set(dropped),
    },
    codecs,
  );
  const signatureFindings = dropped.map((p) =>
    finding("R012", `${p} signed the old RECORD and no longer matches; it was dropped (sign the new wheel again)`, { member: p }),
  );
  const remaining = [...result.findings.filter((f) => !isFixed(f)), ...signatureFindings];
  return {
    ...base,
    action: "rewritten",
    filename: newFilename,
    reasons: result.findings.filter(isFixed),
    remaining,
    dropped,
    output,
    ok: !remaining.some((f) => fails(f, strict)),
  };
}
