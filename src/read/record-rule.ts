// The RECORD rule (binary distribution format spec; "Recording installed projects"): every member
// but RECORD and its signatures has a row, every row names a member, each row once, and each hash
// and size matches the member's bytes. Installers (pip, uv, installer) refuse a wheel that breaks
// it. The read stage runs it member by member as it reads them (rowFindings), then for what is left
// (unlistedRows); `recordFindings` runs both over members already read (tests, and hosts that have
// the digests).
import type { Finding } from "../model/findings.js";
import { cappedReporter, capFindings, finding } from "../model/findings.js";
import type { DigestAlgorithm } from "../model/ports.js";
import type { RecordRow, WheelRecord } from "../model/wheel.js";
import { clip, quote } from "../text.js";
import { readRecordHash, sameDigest, type RecordHashField } from "../wheel/hash.js";
import { recordKey } from "../wheel/record.js";

/** RECORD itself and its signatures need no row (RECORD cannot hold its own hash). */
export function isRecordExempt(path: string, recordPath: string): boolean {
  return path === recordPath || path === `${recordPath}.jws` || path === `${recordPath}.p7s`;
}

/**
 * The rows by the member they name (recordKey: `\` read as `/`, a warning, R020), each member's first
 * row; a member listed again is an R006 finding (at most MAX_FINDINGS_PER_CODE of each, the rest counted).
 */
export function indexRows(record: WheelRecord): { rows: Map<string, RecordRow>; findings: Finding[] } {
  const rows = new Map<string, RecordRow>();
  const findings: Finding[] = [];
  const report = cappedReporter(findings);
  for (const row of record.rows) {
    const key = recordKey(row.path);
    if (key !== row.path) report(finding("R020", `RECORD writes ${clip(row.path)} with backslashes; read as ${clip(key)}`, { member: key }));
    if (rows.has(key)) report(finding("R006", `RECORD lists ${clip(key)} more than once`, { member: key }));
    else rows.set(key, row);
  }
  return { rows, findings: capFindings(findings) };
}

/**
 * What pypa/installer refuses in RECORD besides bad rows (src/installer/sources.py
 * `WheelFile.validate_record`): RECORD's own row with a hash or a size (RECORD cannot hold its own
 * hash), and a row for a signature the wheel has (RECORD.jws and RECORD.p7s sign RECORD, so the
 * recording spec keeps them out of it). Both R006.
 */
export function recordRowFindings(rows: ReadonlyMap<string, RecordRow>, recordPath: string, present: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const own = rows.get(recordPath);
  if (own !== undefined && (own.hash !== "" || own.size !== "")) {
    findings.push(finding("R006", `RECORD's own row has a hash or a size (${quote(own.hash)}, ${quote(own.size)}); it must have neither`, { member: recordPath }));
  }
  for (const signature of [`${recordPath}.jws`, `${recordPath}.p7s`]) {
    if (present.has(signature) && rows.has(signature)) {
      findings.push(finding("R006", `RECORD lists the signature ${clip(signature)}; signatures sign RECORD and are not listed in it`, { member: signature }));
    }
  }
  return findings;
}

/** What a row's hash field asks for: the digest to compute, or why it cannot be checked. */
export function rowHash(row: RecordRow, digests: ReadonlySet<DigestAlgorithm>): RecordHashField | null {
  return row.hash === "" ? null : readRecordHash(row.hash, digests);
}

/**
 * The findings for one member's row, given the member's size and, when the row's hash can be
 * checked, the member's digest under the row's algorithm. An empty findings list means the row holds.
 */
export function rowFindings(path: string, row: RecordRow | undefined, size: number, digest: Uint8Array | null): Finding[] {
  if (row === undefined) return [finding("R008", `${clip(path)} is in the wheel but has no RECORD row`, { member: path })];
  if (row.hash === "") return [finding("R007", `${clip(path)}: RECORD has no hash for it`, { member: path })];
  const field = readRecordHash(row.hash, ALL_DIGESTS);
  if (field.status !== "ok" || digest === null) {
    const status = field.status === "ok" ? "unknown-algorithm" : field.status;
    return [finding("R013", `${clip(path)}: RECORD hash ${quote(row.hash)} is ${status.replace("-", " ")}`, { member: path, data: { hash: row.hash } })];
  }
  if (!sameDigest(digest, field.expected)) {
    return [finding("R007", `${clip(path)}: sha256 differs from RECORD (the file changed after RECORD was written)`, { member: path })];
  }
  // pypa/installer reads the size with int(): a size that is not a number is a broken RECORD.
  if (row.size !== "" && !/^[0-9]+$/.test(row.size)) {
    return [finding("R006", `RECORD size of ${clip(path)} is not a number: ${quote(row.size)}`, { member: path, data: { size: row.size } })];
  }
  if (row.size !== "" && Number(row.size) !== size) {
    return [finding("R007", `${clip(path)}: size ${size} differs from RECORD's ${row.size}`, { member: path, data: { size, recorded: row.size } })];
  }
  return [];
}

/** Rows naming a member the wheel does not have (R009), in RECORD order (at most MAX_FINDINGS_PER_CODE, the rest counted). */
export function unlistedRows(rows: ReadonlyMap<string, RecordRow>, present: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const report = cappedReporter(findings);
  for (const [member, row] of rows) {
    if (!present.has(member)) report(finding("R009", `RECORD lists ${clip(row.path)}, which is not in the wheel`, { member }));
  }
  return capFindings(findings);
}

/** Every algorithm name the spec accepts: whether the host can compute it is decided by the caller. */
const ALL_DIGESTS: ReadonlySet<DigestAlgorithm> = new Set(["sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s"]);

/** A member as the whole-RECORD rule sees it: its size and the digests computed of its bytes. */
export interface RecordedMember {
  name: string;
  size: number;
  digests: Partial<Record<DigestAlgorithm, Uint8Array>>;
}

/** The RECORD rule over members already read: duplicates, each member's row, then rows without a member. */
export function recordFindings(record: WheelRecord, members: readonly RecordedMember[], recordPath: string, digests: ReadonlySet<DigestAlgorithm>): Finding[] {
  const { rows, findings } = indexRows(record);
  for (const m of members) {
    if (isRecordExempt(m.name, recordPath)) continue;
    const row = rows.get(m.name);
    const field = row === undefined ? null : rowHash(row, digests);
    const digest = field?.status === "ok" ? (m.digests[field.algorithm] ?? null) : null;
    for (const f of rowFindings(m.name, row, m.size, digest)) findings.push(f);
  }
  const present = new Set(members.map((m) => m.name));
  for (const f of recordRowFindings(rows, recordPath, present)) findings.push(f);
  for (const f of unlistedRows(rows, present)) findings.push(f);
  return findings;
}
