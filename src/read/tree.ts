// A folder → the same WheelFacts readWheel gives for a zip, so the platform rules run unchanged
// (DESIGN §9). Two layouts: an unpacked wheel (a cache entry: the folder holds the wheel's files and
// nothing else, held to the wheel's RECORD rule) and an installed distribution (a `*.dist-info` in
// `site-packages`: the distribution is what its RECORD lists, by paths relative to `site-packages`,
// "Recording installed projects"). The tags come from WHEEL: there is no file name.
//
// Read-only and bounded: WHEEL and RECORD are read first, then each file RECORD lists; a RECORD path
// that is absolute or climbs out of the folder is never followed, nor is a symlink that leads out of
// it (the TreeSource refuses it). With `verify: "binaries"` (audit) only dist-info files and binaries
// (found by magic in a file's first bytes) are read whole; other files are only sized against RECORD.
import type { BinaryReport } from "../model/binary.js";
import { WheelError } from "../model/errors.js";
import { finding, type Finding } from "../model/findings.js";
import { TreeError, type Codecs, type TreeSource, type TreeStat } from "../model/ports.js";
import type { MemberFacts, RecordRow, WheelFacts, WheelMetadata, WheelRecord } from "../model/wheel.js";
import { sniffBinary } from "../macho/index.js";
import { isPython2Only } from "../wheel/extension.js";
import { parseWheelMetadata } from "../wheel/metadata.js";
import { parseRecord } from "../wheel/record.js";
import { analyzeBinary } from "./binary.js";
import { indexRows, isRecordExempt, rowFindings, rowHash } from "./record-rule.js";

export type TreeLayout = "wheel" | "installed";

export interface TreeReadOptions {
  layout: TreeLayout;
  /** "all": every listed file is read and hashed (check); "binaries": only dist-info files and binaries (audit). */
  verify: "all" | "binaries";
  /** Refuse to read a file larger than this; bytes. */
  maxMemberSize: number;
  /** Stop reading once the files read add up to more than this; bytes. */
  maxTotalSize: number;
}

/**
 * How many bytes of a file are read to tell a binary from anything else: sniffBinary needs 8 (a PE
 * needs its header too, so a file that starts with "MZ" is read whole). Small enough to come from
 * Node's buffer pool: a site-packages has tens of thousands of files (DESIGN §9.5).
 */
const HEAD_BYTES = 64;

/** Bounds on listing an unpacked wheel's folder (a wheel of more files than this is not a wheel a cache holds). */
const MAX_LISTED_FILES = 200_000;
const MAX_DEPTH = 64;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A RECORD path, resolved against the folder: a path inside it, or why it is not followed. */
export type ResolvedPath =
  | { inside: string }
  | { outside: "climbs" | "absolute" }
  | { unsafe: string };

/**
 * Where a RECORD path leads. In an unpacked wheel a path must be what a zip member name may be
 * (relative, `/`-separated, no `.`, `..` or empty segment: the zip rule of src/zip/names.ts); in an
 * installed distribution pip writes paths relative to `site-packages`, which may climb out of it
 * (`../../../bin/tool`) or be absolute, and are then reported and not followed.
 */
export function resolveRecordPath(path: string, layout: TreeLayout): ResolvedPath {
  if (path === "") return { unsafe: "the path is empty" };
  if (path.includes("\0")) return { unsafe: "the path contains a NUL byte" };
  const absolute = path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path);
  if (absolute) return layout === "installed" ? { outside: "absolute" } : { unsafe: "the path is absolute" };
  // RECORD paths are `/`-separated on every platform; a backslash would be a separator on Windows.
  if (path.includes("\\")) return { unsafe: "the path contains a backslash" };
  const segments = path.split("/");
  if (layout === "wheel") {
    if (segments.includes("..")) return { unsafe: "the path has a '..' segment" };
    if (segments.some((s) => s === "" || s === ".")) return { unsafe: "the path has an empty or '.' segment" };
    return { inside: path };
  }
  const kept: string[] = [];
  for (const s of segments) {
    if (s === "" || s === ".") continue;
    if (s === "..") {
      if (kept.length === 0) return { outside: "climbs" };
      kept.pop();
    } else kept.push(s);
  }
  if (kept.length === 0) return { unsafe: "the path names the folder itself" };
  // `a/../C:/x` must not become a path that starts with a drive once its `..` is resolved.
  const inside = kept.join("/");
  return /^[A-Za-z]:/.test(inside) ? { unsafe: "the path leads to a drive letter" } : { inside };
}

/** The `*.dist-info` folders at the tree's root that hold WHEEL and RECORD, sorted. */
export async function findDistInfos(tree: TreeSource): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await tree.list("")) {
    if (entry.kind !== "directory" || !entry.name.endsWith(".dist-info")) continue;
    const [wheel, record] = await Promise.all([tree.stat(`${entry.name}/WHEEL`), tree.stat(`${entry.name}/RECORD`)]);
    if (wheel.kind === "file" && record.kind === "file") found.push(entry.name);
  }
  return found;
}

/**
 * Reads the distribution whose `.dist-info` folder is `distInfo` (at the tree's root). Never throws
 * for what is in the tree: an unreadable file, a RECORD path out of the folder, a symlink out of it,
 * are findings. `facts.size` is the bytes of the files listed.
 */
export async function readTree(tree: TreeSource, distInfo: string, codecs: Codecs, options: TreeReadOptions): Promise<WheelFacts> {
  const findings: Finding[] = [];
  const facts: WheelFacts = { size: 0, readable: false, members: [], distInfo, metadata: null, record: null, recordOk: false, binaries: [], findings, unread: [] };
  const info = await tree.stat(distInfo);
  if (info.kind !== "directory") {
    findings.push(finding("R004", `${tree.label} has no ${distInfo} folder`, { data: { folders: [] } }));
    return facts;
  }
  facts.readable = true;
  let budget = options.maxTotalSize;
  let overBudget = false;

  /** A file's bytes, or null with a finding saying why they were not read. */
  const readFile = async (path: string, size: number, length = size): Promise<Uint8Array | null> => {
    if (size > options.maxMemberSize) {
      findings.push(finding("R014", `${path}: ${size} bytes, more than retag reads (${options.maxMemberSize})`, { member: path, data: { limit: options.maxMemberSize } }));
      return null;
    }
    if (length > budget) {
      if (!overBudget) {
        findings.push(
          finding("R014", `${path}: the distribution's files add up to more than ${options.maxTotalSize} bytes; it and later files were not read`, {
            member: path,
            data: { limit: options.maxTotalSize },
          }),
        );
      }
      overBudget = true;
      return null;
    }
    budget -= length;
    try {
      return await tree.read(path, 0, length);
    } catch (error) {
      if (!(error instanceof TreeError)) throw error;
      findings.push(finding("R014", `${path}: ${error.message}`, { member: path, data: { problem: "unreadable" } }));
      return null;
    }
  };

  const early = new Map<string, Uint8Array | null>();
  const readEarly = async (path: string, code: "R005" | "R006"): Promise<Uint8Array | null> => {
    const at = await tree.stat(path);
    if (at.kind !== "file") {
      findings.push(finding(code, `${path} ${at.kind === "missing" ? "is missing" : "is not a regular file inside the folder"}`, { member: path }));
      early.set(path, null);
      return null;
    }
    const data = await readFile(path, at.size);
    early.set(path, data);
    return data;
  };
  const wheelPath = `${distInfo}/WHEEL`;
  const recordPath = `${distInfo}/RECORD`;
  facts.metadata = parseText(wheelPath, "R005", await readEarly(wheelPath, "R005"), parseWheelMetadata, findings);
  facts.record = parseText(recordPath, "R006", await readEarly(recordPath, "R006"), parseRecord, findings);
  const python2Only = facts.metadata !== null && isPython2Only(facts.metadata.tags.map((t) => t.split("-")[0] ?? ""));

  const record = facts.record;
  const indexed = record === null ? null : indexRows(record);
  if (indexed !== null) findings.push(...indexed.findings);
  let recordOk = record !== null && indexed?.findings.length === 0;

  // The files to read: each RECORD row that leads inside the folder, in RECORD order; in an unpacked
  // wheel, also every file on disk that RECORD does not list (R008), as a zip's unlisted members are.
  const listed = new Map<string, RecordRow>();
  for (const row of indexed?.rows.values() ?? []) {
    const resolved = resolveRecordPath(row.path, options.layout);
    if ("inside" in resolved) {
      if (!listed.has(resolved.inside)) listed.set(resolved.inside, row);
      continue;
    }
    if ("outside" in resolved) {
      const where = resolved.outside === "absolute" ? "is an absolute path" : "climbs out of the folder";
      findings.push(finding("R016", `RECORD lists ${row.path}, which ${where}; not read`, { member: row.path, data: { path: row.path, problem: resolved.outside } }));
      continue;
    }
    recordOk = false;
    findings.push(finding("R002", `RECORD lists ${JSON.stringify(row.path)}: ${resolved.unsafe}; not followed`, { member: row.path, data: { problem: "unsafe-path" } }));
  }
  const paths: Array<{ path: string; row: RecordRow | undefined }> = [...listed].map(([path, row]) => ({ path, row }));
  if (record !== null && !listed.has(recordPath)) paths.push({ path: recordPath, row: undefined });
  if (options.layout === "wheel") {
    for (const path of await listFiles(tree, findings)) if (!listed.has(path) && path !== recordPath) paths.push({ path, row: undefined });
  }

  const binaries: BinaryReport[] = [];
  let index = 0;
  for (const { path, row } of paths) {
    const exempt = isRecordExempt(path, recordPath);
    const member: MemberFacts = { name: path, index: index++, size: 0, crc32: 0, read: false, sha256: null, record: exempt ? "exempt" : "unchecked" };
    const at = await tree.stat(path);
    if (at.kind !== "file") {
      // An installed distribution's .pyc files are caches, removed and rebuilt at will: pip lists the
      // ones it compiled, and one that is gone is no damage.
      if (at.kind === "missing" && options.layout === "installed" && path.endsWith(".pyc")) continue;
      recordOk = false;
      findings.push(notAFile(path, at));
      if (at.kind !== "missing") facts.members.push(member);
      continue;
    }
    facts.members.push(member);
    member.size = at.size;
    facts.size += at.size;
    if (record !== null && !exempt && row === undefined) {
      recordOk = false;
      member.record = "wrong";
      findings.push(finding("R008", `${path} is in the folder but has no RECORD row`, { member: path }));
    }
    // The whole file when it must be hashed (check), is a dist-info file, or is a binary by its magic.
    let data: Uint8Array | null;
    if (early.has(path)) data = early.get(path) ?? null;
    else if (options.verify === "all" || path.startsWith(`${distInfo}/`)) data = await readFile(path, at.size);
    else {
      const head = await readFile(path, at.size, Math.min(at.size, HEAD_BYTES));
      const mayBePE = head !== null && head.length >= 2 && head[0] === 0x4d && head[1] === 0x5a;
      const whole = head !== null && head.length < at.size && (sniffBinary(head) !== "none" || mayBePE);
      data = whole ? await readFile(path, at.size) : head;
      if (data !== null && data.length < at.size) {
        // Not a binary: only its size is held against RECORD (its hash is not computed).
        member.read = true;
        const problem = row === undefined || exempt ? null : sizeFinding(path, row, at.size);
        if (problem !== null) {
          recordOk = false;
          member.record = "wrong";
          findings.push(problem);
        }
        continue;
      }
    }
    if (data === null) {
      recordOk = false;
      continue;
    }
    member.read = true;
    const field = row === undefined || exempt ? null : rowHash(row, codecs.digests);
    const algorithm = field?.status === "ok" ? field.algorithm : null;
    const digest = algorithm === null ? null : await codecs.digest(algorithm, data);
    if (algorithm === "sha256") member.sha256 = digest;
    if (row !== undefined && !exempt) {
      // "Recording installed projects": an installer may leave the hash and size empty (pip does for
      // the .pyc files it compiles); an empty hash is then no finding. A wheel's RECORD has them all.
      const optional = options.layout === "installed" && row.hash === "";
      const problems = optional ? [] : rowFindings(path, row, data.length, digest);
      findings.push(...problems);
      member.record = problems.length === 0 ? (optional ? "unchecked" : "ok") : "wrong";
      if (problems.length > 0) recordOk = false;
    }
    const binary = analyzeBinary(path, data, { python2Only });
    if (binary !== null) binaries.push(binary);
  }
  facts.recordOk = recordOk;
  facts.binaries = binaries;
  return facts;
}

/** A file whose hash is not computed, held to its RECORD size: the R006 / R007 a wrong size gives, or null. */
function sizeFinding(path: string, row: RecordRow, size: number): Finding | null {
  if (row.size === "") return null;
  // pypa/installer reads the size with int(): a size that is not a number is a broken RECORD.
  if (!/^[0-9]+$/.test(row.size)) return finding("R006", `RECORD size of ${path} is not a number: ${row.size}`, { member: path, data: { size: row.size } });
  if (Number(row.size) === size) return null;
  return finding("R007", `${path}: size ${size} differs from RECORD's ${row.size}`, { member: path, data: { size, recorded: row.size } });
}

/** The finding for a path RECORD lists that is not a regular file inside the folder. */
function notAFile(path: string, at: Exclude<TreeStat, { kind: "file" }>): Finding {
  switch (at.kind) {
    case "missing":
      return finding("R009", `RECORD lists ${path}, which is not in the folder`, { member: path });
    case "outside":
      return finding("R014", `${path} is a symlink that leads out of the folder (to ${at.target}); not followed`, { member: path, data: { problem: "symlink" } });
    case "directory":
      return finding("R014", `${path} is a directory, not a file`, { member: path, data: { problem: "directory" } });
    case "other":
      return finding("R014", `${path} is not a regular file (a FIFO, socket or device); not opened`, { member: path, data: { problem: "not a regular file" } });
    case "unreadable":
      return finding("R014", `${path}: ${at.reason}`, { member: path, data: { problem: "unreadable" } });
  }
}

/** Every file and symlink under the root, as `/`-separated paths; directories that are symlinks are not entered. */
async function listFiles(tree: TreeSource, findings: Finding[]): Promise<string[]> {
  const files: string[] = [];
  const pending: Array<{ path: string; depth: number }> = [{ path: "", depth: 0 }];
  while (pending.length > 0) {
    const { path, depth } = pending.pop()!;
    let entries;
    try {
      entries = await tree.list(path);
    } catch (error) {
      if (!(error instanceof TreeError)) throw error;
      findings.push(finding("R014", `${path || tree.label}: ${error.message}; its files were not listed`, { member: path, data: { problem: "unreadable" } }));
      continue;
    }
    for (const entry of entries) {
      const child = path === "" ? entry.name : `${path}/${entry.name}`;
      if (entry.kind === "directory") {
        if (depth + 1 >= MAX_DEPTH) findings.push(finding("R014", `${child}: nested more than ${MAX_DEPTH} folders deep; not listed`, { member: child, data: { limit: MAX_DEPTH } }));
        else pending.push({ path: child, depth: depth + 1 });
      } else files.push(child);
      if (files.length > MAX_LISTED_FILES) {
        findings.push(finding("R014", `the folder holds more than ${MAX_LISTED_FILES} files; the rest were not listed`, { data: { limit: MAX_LISTED_FILES } }));
        return files.sort();
      }
    }
  }
  return files.sort();
}

/** Decodes and parses WHEEL (R005) or RECORD (R006); a failure is a finding with the parser's reason. */
function parseText<T extends WheelMetadata | WheelRecord>(path: string, code: "R005" | "R006", data: Uint8Array | null, parse: (text: string) => T, findings: Finding[]): T | null {
  if (data === null) return null;
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    findings.push(finding(code, `${path} is not valid UTF-8`, { member: path }));
    return null;
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof WheelError)) throw error;
    findings.push(finding(code, `${path}: ${error.message}`, { member: path }));
    return null;
  }
}
