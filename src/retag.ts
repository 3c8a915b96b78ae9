// Fix mode: check, then rewrite the wheel when a tag is wrong (DESIGN §3.6, §4). Returns data and
// the new bytes; writing them (atomically) is the caller's job (src/node.ts). The wheel is read
// through a byte source: bytes in memory, or a file the CLI opened (src/node.ts).
import { concatBytes } from "./bytes.js";
import { inspectWheel } from "./check.js";
import { finding } from "./model/findings.js";
import type { ByteSource } from "./model/zip.js";
import type { CheckOptions, CheckResult } from "./model/results.js";
import type { Finding } from "./model/findings.js";
import type { WheelName } from "./model/wheel.js";
import { recordHash } from "./wheel/hash.js";
import { replaceTags, serializeWheelMetadata } from "./wheel/metadata.js";
import { formatWheelName, wheelTags } from "./wheel/name.js";
import { replaceRows } from "./wheel/record.js";
import { memorySource, readMember, rewriteZip } from "./wheel/zip.js";

export interface RetagOptions extends CheckOptions {}

export interface RetagResult {
  /** What the check found in the input. */
  check: CheckResult;
  /** unchanged: the input is correct and stays byte for byte; rewritten: `bytes` holds the new wheel; refused: an error blocks the rewrite. */
  action: "unchanged" | "rewritten" | "refused";
  /** The output file name (the input's when unchanged or refused). */
  filename: string;
  /** The findings that forced the rewrite, or that refused it. */
  reasons: Finding[];
  /** The findings that are still true of the output (of the input, when nothing was written). */
  remaining: Finding[];
  /** Members the rewrite dropped (RECORD.jws / RECORD.p7s). */
  dropped: string[];
  /** The new wheel, as chunks to write in order; null unless rewritten. */
  chunks: Uint8Array[] | null;
  /** True when the output is fine (no error finding remains; with strict, no warning either). */
  ok: boolean;
}

/** Codes a rewrite repairs: the tags themselves and a WHEEL that disagrees with the name. */
const FIXED_BY_REWRITE = new Set(["R011", "R201", "R202", "R203"]);
/** RECORD problems `--rehash` repairs by writing every row anew. */
const FIXED_BY_REHASH = new Set(["R007", "R008", "R009", "R013"]);
const SIGNATURES = ["RECORD.jws", "RECORD.p7s"];

export function retagWheelBytes(wheel: string, bytes: Uint8Array, options: Partial<RetagOptions> = {}): RetagResult {
  return retagWheelSource(wheel, memorySource(bytes), options);
}

/**
 * Check the wheel `source` reads and, when its tags are wrong, rewrite it. The chunks of a rewrite
 * are read from the source before this returns (from a file, they hold the wheel's bytes), so the
 * source may be closed afterwards.
 */
export function retagWheelSource(wheel: string, source: ByteSource, options: Partial<RetagOptions> = {}): RetagResult {
  const { result, contents } = inspectWheel(wheel, source, options);
  const strict = options.strict ?? false;
  const filename = result.name?.filename ?? wheel.slice(wheel.lastIndexOf("/") + 1);
  const base = { check: result, filename, dropped: [] as string[], chunks: null };
  const isFixed = (f: Finding): boolean => FIXED_BY_REWRITE.has(f.code) || (options.rehash === true && FIXED_BY_REHASH.has(f.code));
  const fails = (f: Finding): boolean => f.severity === "error" || (strict && f.severity === "warning");

  const rehashNeeded = options.rehash === true && result.findings.some((f) => FIXED_BY_REHASH.has(f.code));
  if (!result.needsRewrite && !rehashNeeded) {
    return { ...base, action: "unchanged", reasons: [], remaining: result.findings, ok: result.ok };
  }
  const blockers = result.findings.filter((f) => fails(f) && !isFixed(f));
  const name = result.name;
  // A rewrite needs the parts it rewrites, and never writes a wheel with no platform tag.
  const noTags = result.tags.expected !== null && result.tags.expected.length === 0;
  if (blockers.length > 0 || noTags || contents === null || name === null || contents.metadata === null || contents.record === null || contents.distInfo === null) {
    return { ...base, action: "refused", reasons: blockers, remaining: result.findings, ok: false };
  }

  const newName: WheelName = { ...name, platformTags: result.tags.expected ?? name.platformTags };
  // Whatever forced the rewrite, the name is written canonically: the platform tag set sorted
  // (DESIGN §3.5); everything else keeps its spelling.
  const newFilename = result.expectedFilename ?? formatWheelName(name, newName.platformTags);
  const wheelPath = `${contents.distInfo}/WHEEL`;
  const recordPath = `${contents.distInfo}/RECORD`;
  const encoder = new TextEncoder();
  const wheelBytes = encoder.encode(serializeWheelMetadata(replaceTags(contents.metadata, wheelTags(newName))));

  const present = new Set(contents.archive.members.map((m) => m.name));
  const dropped = SIGNATURES.map((s) => `${contents.distInfo}/${s}`).filter((p) => present.has(p));
  const rows = new Map<string, { hash: string; size: string } | null>();
  if (options.rehash === true) {
    // Every row anew from the bytes themselves (the user asked to trust the files over RECORD).
    for (const m of contents.archive.members) {
      if (m.isDirectory || m.name === recordPath || dropped.includes(m.name)) continue;
      const data = m.name === wheelPath ? wheelBytes : readMember(contents.archive, m);
      rows.set(m.name, { hash: recordHash(data), size: String(data.length) });
    }
    for (const row of contents.record.rows) if (!present.has(row.path)) rows.set(row.path, null);
  } else {
    rows.set(wheelPath, { hash: recordHash(wheelBytes), size: String(wheelBytes.length) });
  }
  for (const p of dropped) rows.set(p, null);
  const recordBytes = encoder.encode(replaceRows(contents.record, rows));

  const chunks = rewriteZip(contents.archive, {
    replace: new Map([
      [wheelPath, wheelBytes],
      [recordPath, recordBytes],
    ]),
    drop: new Set(dropped),
  });
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
    chunks,
    ok: !remaining.some(fails),
  };
}

/**
 * Public API: check one wheel's bytes and, when its tags are wrong, rewrite it. `bytes` is the new
 * wheel (null unless `action` is "rewritten"); `filename` is the name to save it under.
 */
export function retagWheel(
  bytes: Uint8Array,
  options: Partial<RetagOptions> & { filename: string },
): RetagResult & { bytes: Uint8Array | null } {
  const { filename, ...rest } = options;
  const result = retagWheelBytes(filename, bytes, rest);
  return { ...result, bytes: result.chunks === null ? null : concatBytes(result.chunks) };
}
