// A wheel's bytes → its parts: the archive, the .dist-info folder, WHEEL, RECORD, and every binary,
// with the structural findings (R0xx) on the way. Each member is inflated once: the same bytes are
// hashed against RECORD and sniffed for a binary (DESIGN §7: inflating is the floor, never twice).
// The wheel is read through a byte source, one member at a time: a member's bytes are dropped once
// it is hashed and analysed, so memory is bounded by the largest member, not the wheel.
import { analyzeBinary } from "../analyze.js";
import { WheelError } from "../model/errors.js";
import { finding } from "../model/findings.js";
import type { ArchiveMember, ByteSource } from "../model/zip.js";
import type { BinaryReport } from "../model/binary.js";
import type { Finding } from "../model/findings.js";
import type { WheelMetadata, WheelRecord } from "../model/wheel.js";
import { checkRecordHash } from "./hash.js";
import { parseWheelMetadata } from "./metadata.js";
import { parseRecord } from "./record.js";
import { memberNameProblems, openZip, readMember, type ZipArchive } from "./zip.js";

export interface WheelContents {
  archive: ZipArchive;
  /** `pkg-1.0.dist-info`, or null when there is not exactly one. */
  distInfo: string | null;
  metadata: WheelMetadata | null;
  record: WheelRecord | null;
  /** True when every RECORD hash and size matched and every member had a row. */
  recordOk: boolean;
  findings: Finding[];
  binaries: BinaryReport[];
}

export interface ReadOptions {
  /** Look for `_init<mod>` instead of `_PyInit_<mod>` (Python-2-only wheels). */
  python2Only: boolean;
  /** Refuse to inflate a member larger than this (zip bombs); bytes. */
  maxMemberSize: number;
  /** Stop inflating once the wheel's members add up to more than this; bytes. */
  maxTotalSize: number;
}

// WHEEL and RECORD are UTF-8 (binary distribution format spec); a replacement character would
// silently change the bytes a rewrite keeps, so invalid UTF-8 is an error instead.
const decoder = new TextDecoder("utf-8", { fatal: true });
const SIGNATURE_FILES = ["RECORD.jws", "RECORD.p7s"];

/** Throws WheelError("R001") only when the bytes are not a readable zip; everything else is a finding. */
export function readWheel(input: ByteSource | Uint8Array, options: ReadOptions): WheelContents {
  const archive = openZip(input);
  const findings: Finding[] = [];
  for (const p of memberNameProblems(archive.members)) {
    const code = p.problem === "duplicate" ? "R003" : p.problem === "symlink" ? "R014" : "R002";
    findings.push(finding(code, `${p.member}: ${p.detail}`, { member: p.member, data: { problem: p.problem } }));
  }

  const files = archive.members.filter((m) => !m.isDirectory);
  const distInfo = findDistInfo(files, findings);
  // Each member inflates to at most its declared size (readMember enforces it), so the declared
  // sizes bound the whole wheel's work and memory: a bomb is refused before it is inflated.
  let budget = options.maxTotalSize;
  let overBudget = false;
  const read = (m: ArchiveMember): Uint8Array | null => {
    if (m.size > budget) {
      if (!overBudget) {
        findings.push(
          finding("R014", `${m.name}: the wheel inflates to more than ${options.maxTotalSize} bytes; it and later members were not read (a zip bomb?)`, {
            member: m.name,
            data: { limit: options.maxTotalSize },
          }),
        );
      }
      overBudget = true;
      return null;
    }
    budget -= m.size;
    try {
      return readMember(archive, m, { maxMemberSize: options.maxMemberSize });
    } catch (error) {
      if (!(error instanceof WheelError)) throw error;
      findings.push(finding(error.code === "R001" ? "R001" : "R014", `${m.name}: ${error.message}`, { member: m.name }));
      return null;
    }
  };

  // WHEEL and RECORD are read before the other members; their bytes are kept (both are small) so the
  // loop below hashes them without inflating them a second time, or reporting a failed read twice.
  const early = new Map<ArchiveMember, Uint8Array | null>();
  const readEarly = (m: ArchiveMember): Uint8Array | null => {
    const data = read(m);
    early.set(m, data);
    return data;
  };
  const byName = new Map(files.map((m) => [m.name, m] as const));
  const metadata = distInfo === null ? null : readParsed(`${distInfo}/WHEEL`, "R005", parseWheelMetadata, byName, readEarly, findings);
  const recordPath = distInfo === null ? null : `${distInfo}/RECORD`;
  const record = recordPath === null ? null : readParsed(recordPath, "R006", parseRecord, byName, readEarly, findings);
  const rows = new Map((record?.rows ?? []).map((r) => [r.path, r] as const));

  let recordOk = record !== null;
  const binaries: BinaryReport[] = [];
  for (const m of files) {
    const isRecordItself = m.name === recordPath || SIGNATURE_FILES.some((s) => m.name === `${distInfo}/${s}`);
    const row = rows.get(m.name);
    if (record !== null && !isRecordItself && row === undefined) {
      recordOk = false;
      findings.push(finding("R008", `${m.name} is in the wheel but has no RECORD row`, { member: m.name }));
    }
    const data = early.has(m) ? (early.get(m) ?? null) : read(m);
    if (data === null) {
      recordOk = false;
      continue;
    }
    if (row !== undefined && !isRecordItself && !verifyRow(m.name, row.hash, row.size, data, findings)) recordOk = false;
    const binary = analyzeBinary(m.name, data, { python2Only: options.python2Only });
    if (binary !== null) binaries.push(binary);
  }
  for (const row of rows.values()) {
    if (!byName.has(row.path)) {
      recordOk = false;
      findings.push(finding("R009", `RECORD lists ${row.path}, which is not in the wheel`, { member: row.path }));
    }
  }
  return { archive, distInfo, metadata, record, recordOk, findings, binaries };
}

/** PEP 427: exactly one top-level `{name}-{version}.dist-info` folder holds WHEEL and RECORD. */
function findDistInfo(files: ArchiveMember[], findings: Finding[]): string | null {
  const folders = new Set<string>();
  for (const m of files) {
    const slash = m.name.indexOf("/");
    if (slash > 0 && m.name.slice(0, slash).endsWith(".dist-info")) folders.add(m.name.slice(0, slash));
  }
  if (folders.size === 1) return [...folders][0] ?? null;
  const message =
    folders.size === 0 ? "the wheel has no .dist-info folder" : `the wheel has ${folders.size} .dist-info folders: ${[...folders].sort().join(", ")}`;
  findings.push(finding("R004", message, { data: { folders: [...folders].sort() } }));
  return null;
}

function readText(
  path: string,
  code: "R005" | "R006",
  byName: Map<string, ArchiveMember>,
  read: (m: ArchiveMember) => Uint8Array | null,
  findings: Finding[],
): string | null {
  const m = byName.get(path);
  if (m === undefined) {
    findings.push(finding(code, `${path} is missing`, { member: path }));
    return null;
  }
  const data = read(m);
  if (data === null) return null;
  try {
    return decoder.decode(data);
  } catch {
    findings.push(finding(code, `${path} is not valid UTF-8`, { member: path }));
    return null;
  }
}

/** Reads and parses WHEEL (R005) or RECORD (R006); a failure is a finding with the parser's reason. */
function readParsed<T>(
  path: string,
  code: "R005" | "R006",
  parse: (text: string) => T,
  byName: Map<string, ArchiveMember>,
  read: (m: ArchiveMember) => Uint8Array | null,
  findings: Finding[],
): T | null {
  const text = readText(path, code, byName, read, findings);
  if (text === null) return null;
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof WheelError)) throw error;
    findings.push(finding(code, `${path}: ${error.message}`, { member: path }));
    return null;
  }
}

/** Installers refuse a wheel whose RECORD hash or size is wrong (binary distribution format spec). */
function verifyRow(path: string, hash: string, size: string, data: Uint8Array, findings: Finding[]): boolean {
  if (hash === "") {
    findings.push(finding("R007", `${path}: RECORD has no hash for it`, { member: path }));
    return false;
  }
  const verdict = checkRecordHash(hash, data);
  if (verdict === "forbidden-algorithm" || verdict === "unknown-algorithm" || verdict === "malformed") {
    findings.push(finding("R013", `${path}: RECORD hash ${JSON.stringify(hash)} is ${verdict.replace("-", " ")}`, { member: path, data: { hash } }));
    return false;
  }
  if (verdict === "mismatch") {
    findings.push(finding("R007", `${path}: sha256 differs from RECORD (the file changed after RECORD was written)`, { member: path }));
    return false;
  }
  if (size !== "" && size !== String(data.length)) {
    findings.push(finding("R007", `${path}: size ${data.length} differs from RECORD's ${size}`, { member: path, data: { size: data.length, recorded: size } }));
    return false;
  }
  return true;
}
