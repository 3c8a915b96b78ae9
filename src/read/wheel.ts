// A wheel's bytes → its facts: the archive's members, the .dist-info folder, WHEEL, RECORD, every
// binary, and the structural findings (R0xx) on the way. The only stage that reads a byte source.
// Each member is inflated once: the same bytes are hashed against RECORD and sniffed for a binary
// (DESIGN §7: inflating is the floor, never twice). Members are read one at a time and dropped once
// hashed and analysed, so memory is bounded by the largest member, not the wheel.
import type { BinaryReport } from "../model/binary.js";
import { WheelError, ZipError } from "../model/errors.js";
import { cappedReporter, capFindings, finding, MAX_FINDINGS_PER_CODE, type Finding } from "../model/findings.js";
import type { ByteSource, Codecs, DigestAlgorithm, FinalBlockBounds } from "../model/ports.js";
import type { MemberFacts, WheelFacts } from "../model/wheel.js";
import type { ArchiveMember } from "../model/zip.js";
import { clip, clipList, truncate } from "../text.js";
import { parseWheelMetadata } from "../wheel/metadata.js";
import { parseRecord } from "../wheel/record.js";
import { memberNameProblems, openZip, readMember, type ZipArchive } from "../zip/index.js";
import { admitMember } from "../zip/member.js";
import { PIECE_BYTES, readMemberInto } from "../zip/member-into.js";
import { ringArena } from "./arena.js";
import type { Recycler } from "./recycler.js";
import { memberReadAhead, takesHints } from "../zip/prefetch.js";
import { analyzeBinary } from "./binary.js";
import { indexRows, isRecordExempt, recordRowFindings, rowFindings, rowHash, unlistedRows } from "./record-rule.js";
import type { MemberSelection } from "./select.js";

export interface ReadOptions {
  /** Look for `_init<mod>` instead of `_PyInit_<mod>` (Python-2-only wheels). */
  python2Only: boolean;
  /** Refuse to inflate a member larger than this (zip bombs); bytes. */
  maxMemberSize: number;
  /** Stop inflating once the wheel's members add up to more than this; bytes. */
  maxTotalSize: number;
  /** Keep every member's sha256 (computed even where RECORD names another algorithm): a rehash writes RECORD from them. */
  sha256: boolean;
  /** Read only these members besides WHEEL and RECORD (a remote check: DESIGN §10); default every member. */
  select?: MemberSelection;
  /**
   * Keep the inflated bytes of binary members, in member order, until they add up to this many bytes
   * (default 0: none). fuse builds fat files from them instead of inflating each input binary again.
   */
  keepBinaries?: number;
  /**
   * Called with each binary member read whose CRC-32 and RECORD row hold, after it is analysed; true
   * when the handler has taken the bytes (they are then not kept for keepBinaries). fuse makes fat
   * files from them while the inputs are still being read (src/flow/fuse-early.ts).
   */
  onBinary?: BinaryHandler;
  /**
   * Asked before each member is inflated: true to learn where its deflate stream's final block begins
   * (Codecs.inflateRawBlocks), which onBinary is then given. fuse asks it for the inputs whose slices
   * come first in a fat file, the streams it splices.
   */
  finalBlocks?: () => boolean;
  /**
   * Where large members are read into when their bytes may outlive their turn (onBinary or
   * keepBinaries; else the read stage's own arena): a member's buffer is given back here after its
   * turn unless onBinary took it or it is kept, and whoever took it gives it back when done
   * (src/read/recycler.ts).
   */
  recycler?: Recycler;
}

/** ReadOptions.onBinary: the archive, the member, its checked bytes, the binary's report, and its stream's final block when asked for (else null). */
export type BinaryHandler = (archive: ZipArchive, member: ArchiveMember, bytes: Uint8Array, binary: BinaryReport, finalBlock: FinalBlockBounds | null) => Promise<boolean>;

/** The facts, and the open archive for a writer that copies from it (null when it is not a zip). */
export interface WheelRead {
  facts: WheelFacts;
  archive: ZipArchive | null;
  /** The bytes of binary members kept (ReadOptions.keepBinaries), by member name: checked against CRC-32 and RECORD. */
  kept: Map<string, Uint8Array>;
}

/** Members whose compressed data is at least this large are read ahead of their turn (256 KiB). */
const AHEAD_FLOOR = 256 * 1024;
/** At most this many members are read ahead at once (measured on 2 cores, 200 MiB wheel: 2 → 1.06 ×, 3 → 0.84 ×, 4 → 0.79 × unzip -tq): enough to keep the thread pool inflating while this thread reads, hashes and analyses. */
const AHEAD_MEMBERS = 4;
/** ... and together they may declare at most this many bytes (beyond the first, which always may). */
const AHEAD_BYTES = 64 * 2 ** 20;
/**
 * The arena large members are read into (src/read/arena.ts) holds the largest of them, and at least
 * this much when the wheel's large members add up to more, so a few smaller ones are read ahead at
 * once. A check's peak memory is then the arena, not the wheel (issue 15: RSS ≤ 64 MiB + the largest member).
 */
const ARENA_FLOOR = 16 * 2 ** 20;
/** Small members are inflated into one reused buffer up to this size (larger: a buffer of their own). */
const SCRATCH_MAX = 4 * 2 ** 20;

/** A member's checked bytes, the digests computed while they were read, and the arena region or recycled buffer they are in (given back once used). */
interface MemberRead {
  bytes: Uint8Array;
  digests: Map<DigestAlgorithm, Uint8Array>;
  region: Uint8Array | null;
  /** The bytes are in the small members' scratch buffer: valid for this member's turn only. */
  scratch?: boolean;
}

// WHEEL and RECORD are UTF-8 (binary distribution format spec); a replacement character would
// silently change the bytes a rewrite keeps, so invalid UTF-8 is an error instead.
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Reads a wheel. Never throws for bad bytes: a zip no reader can trust is R001, everything else a finding. */
export async function readWheel(source: ByteSource, codecs: Codecs, options: ReadOptions): Promise<WheelRead> {
  const findings: Finding[] = [];
  // A hostile wheel makes findings by the hundred thousand: kept as they come, at most 100 per code.
  const report = cappedReporter(findings);
  const facts: WheelFacts = { size: source.size, readable: false, members: [], distInfo: null, metadata: null, record: null, recordOk: false, binaries: [], findings, unread: [] };
  let archive: ZipArchive;
  try {
    archive = await openZip(source);
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    report(finding("R001", error.message));
    return { facts, archive: null, kept: new Map() };
  }
  facts.readable = true;
  for (const p of memberNameProblems(archive.members)) {
    const code = p.problem === "duplicate" ? "R003" : p.problem === "symlink" ? "R014" : p.problem === "case-collision" ? "R022" : "R002";
    report(finding(code, `${clip(p.member)}: ${p.detail}`, { member: p.member, data: { problem: p.problem } }));
  }

  const files = archive.members.filter((m) => !m.isDirectory);
  const distInfo = findDistInfo(files, findings);
  facts.distInfo = distInfo;
  // Each member inflates to at most its declared size (readMember enforces it), so the declared
  // sizes bound the whole wheel's work and memory: a bomb is refused before it is inflated.
  let budget = options.maxTotalSize;
  let overBudget = false;
  // Admission against the budget happens once per member, in member order (whether the member is then
  // read at once or ahead of its turn), so the limit cuts the same members whatever is read ahead.
  const admitted = new Map<ArchiveMember, "read" | "first-over" | "over">();
  const admit = (m: ArchiveMember): "read" | "first-over" | "over" => {
    const known = admitted.get(m);
    if (known !== undefined) return known;
    let verdict: "read" | "first-over" | "over" = "read";
    if (m.size > budget) {
      verdict = overBudget ? "over" : "first-over";
      overBudget = true;
    } else {
      budget -= m.size;
    }
    admitted.set(m, verdict);
    return verdict;
  };
  const finalBlocks = new Map<ArchiveMember, FinalBlockBounds | null>();
  const asError = (error: unknown): ZipError => {
    if (!(error instanceof ZipError)) throw error;
    return error;
  };
  const readNow = (m: ArchiveMember): Promise<MemberRead | ZipError> =>
    readMember(archive, m, codecs, {
      maxMemberSize: options.maxMemberSize,
      ...(options.finalBlocks?.() === true ? { onFinalBlock: (bounds: FinalBlockBounds | null) => finalBlocks.set(m, bounds) } : {}),
    }).then((bytes): MemberRead => ({ bytes, digests: new Map(), region: null }), asError);
  // Members read into reused buffers (an arena for large ones, a scratch buffer for small ones): set
  // below once RECORD is read, and only when nobody keeps member bytes (fuse keeps its binaries).
  let readReused: ((m: ArchiveMember) => Promise<MemberRead | ZipError>) | null = null;
  // Members read ahead of their turn (see the loop below), by member.
  const ahead = new Map<ArchiveMember, Promise<MemberRead | ZipError>>();
  const read = async (m: ArchiveMember): Promise<MemberRead | null> => {
    const verdict = admit(m);
    if (verdict !== "read") {
      if (verdict === "first-over") {
        report(
          finding("R014", `${clip(m.name)}: the wheel inflates to more than ${options.maxTotalSize} bytes; it and later members were not read (a zip bomb?)`, {
            member: m.name,
            data: { limit: options.maxTotalSize },
          }),
        );
      }
      return null;
    }
    const pending = ahead.get(m);
    ahead.delete(m);
    const data = await (pending ?? (readReused ?? readNow)(m));
    if (data instanceof ZipError) {
      report(finding(data.kind === "corrupt" ? "R001" : "R014", `${clip(m.name)}: ${data.message}`, { member: m.name }));
      return null;
    }
    return data;
  };

  // WHEEL and RECORD are read before the other members; their bytes are kept (both are small) so the
  // loop below hashes them without inflating them a second time, or reporting a failed read twice.
  const early = new Map<ArchiveMember, Uint8Array | null>();
  const readEarly = async (m: ArchiveMember): Promise<Uint8Array | null> => {
    const data = (await read(m))?.bytes ?? null;
    early.set(m, data);
    return data;
  };
  // Folders need no RECORD row and installers never read them, but Python's zipfile reads them back
  // like any member (testzip): one with a compression method it does not know, or data that fails its
  // CRC, is refused here too, so no rewrite copies it (found by the fuzz harness).
  for (const m of archive.members) if (m.isDirectory) await read(m);
  const byName = new Map(files.map((m) => [m.name, m] as const));
  if (distInfo !== null) {
    facts.metadata = await readParsed(`${distInfo}/WHEEL`, "R005", parseWheelMetadata, byName, readEarly, findings);
    facts.record = await readParsed(`${distInfo}/RECORD`, "R006", parseRecord, byName, readEarly, findings);
  }
  // Member selection (DESIGN §10): the members chosen, read ahead in windows when the source takes hints.
  const chosen = options.select === undefined ? null : await options.select(archive, files, codecs);
  const readAhead = memberReadAhead(archive, chosen === null ? files : files.filter((m) => chosen.has(m)));
  const recordPath = `${distInfo}/RECORD`;
  const record = facts.record;
  const indexed = record === null ? null : indexRows(record);
  if (indexed !== null) for (const f of indexed.findings) report(f);
  const rows = indexed?.rows ?? new Map();

  const algorithmsFor = (m: ArchiveMember): DigestAlgorithm[] => {
    const row = rows.get(m.name);
    const field = row === undefined || (distInfo !== null && isRecordExempt(m.name, recordPath)) ? null : rowHash(row, codecs.digests);
    const wanted: DigestAlgorithm[] = field?.status === "ok" ? [field.algorithm] : [];
    if (options.sha256 && !wanted.includes("sha256")) wanted.push("sha256");
    return wanted;
  };
  const reuse = codecs.inflateRawInto !== undefined && options.onBinary === undefined && (options.keepBinaries ?? 0) === 0 && options.finalBlocks === undefined;
  const arena = reuse ? ringArena(arenaSize(archive, files.filter((m) => !early.has(m) && (chosen === null || chosen.has(m))), options.maxMemberSize, budget)) : null;
  const recycler = !reuse && codecs.inflateRawInto !== undefined ? (options.recycler ?? null) : null;
  if (arena !== null) readReused = reusedReader(archive, codecs, { large: arena }, algorithmsFor, options.maxMemberSize);
  else if (recycler !== null) {
    const large = { take: (length: number) => recycler.take(length), give: (region: Uint8Array) => recycler.give(region) };
    const blocks = options.finalBlocks === undefined ? undefined : { wanted: options.finalBlocks, found: (m: ArchiveMember, bounds: FinalBlockBounds | null) => finalBlocks.set(m, bounds) };
    readReused = reusedReader(archive, codecs, { large, recycler, ...(blocks === undefined ? {} : { blocks }) }, algorithmsFor, options.maxMemberSize);
  }
  // Gives back the buffer of a member whose turn is over (not taken by onBinary, not kept).
  const giveBack = (bytes: Uint8Array): void => (arena !== null ? arena.give(bytes) : recycler?.give(bytes));

  // R020 (backslashes, read as `/`) is a warning: the rows still hold.
  let recordOk = record !== null && indexed?.findings.every((f) => f.code === "R020") === true;
  const binaries: BinaryReport[] = [];
  // Large members are read ahead of their turn, a few at a time: the host's codec inflates them in
  // the background (Node: libuv's thread pool) while this loop hashes and analyses the member before,
  // so a 2-core machine inflates two binaries at once (issue 15: inflating is most of a check). Their
  // findings are still reported in member order, here. A source that takes hints (HTTP) is read in
  // its own windows (memberReadAhead) instead.
  const toRead = files.filter((m) => !early.has(m) && (chosen === null || chosen.has(m)));
  let lookahead = 0;
  const readAheadLarge = (current: number): void => {
    if (takesHints(archive.source)) return;
    let inFlight = 0;
    for (const p of ahead.keys()) inFlight += p.size;
    for (lookahead = Math.max(lookahead, current); lookahead < toRead.length && ahead.size < AHEAD_MEMBERS; lookahead++) {
      const m = toRead[lookahead] as ArchiveMember;
      const large = m.compressedSize >= AHEAD_FLOOR;
      // With an arena, what it has room for is what may be read ahead (it holds the largest member).
      if (large && arena === null && ahead.size > 0 && inFlight + m.size > AHEAD_BYTES) break;
      if (large && arena !== null && ahead.size > 0 && !arena.fits(m.size + 1)) break;
      // Every member passed is admitted here, so admission stays in member order.
      if (admit(m) !== "read" || !large) continue;
      const pending = (readReused ?? readNow)(m);
      // Awaited in its turn; until then a failure (a bug: read errors are values) must not be unhandled.
      pending.catch(() => undefined);
      ahead.set(m, pending);
      inFlight += m.size;
    }
  };
  let position = 0;
  const kept = new Map<string, Uint8Array>();
  let keepBudget = options.keepBinaries ?? 0;
  // The arena region of the member before, given back once its bytes are hashed and analysed.
  let region: Uint8Array | null = null;
  for (const m of files) {
    if (region !== null) giveBack(region);
    region = null;
    const exempt = distInfo !== null && isRecordExempt(m.name, recordPath);
    const row = rows.get(m.name);
    const memberFacts: MemberFacts = { name: m.name, index: m.index, size: m.size, crc32: m.crc32, read: false, sha256: null, record: exempt ? "exempt" : "unchecked" };
    facts.members.push(memberFacts);
    if (record !== null && !exempt && row === undefined) {
      recordOk = false;
      memberFacts.record = "wrong";
      for (const f of rowFindings(m.name, undefined, m.size, null)) report(f);
    }
    if (chosen !== null && !chosen.has(m) && !early.has(m)) {
      facts.unread.push(m.name);
      continue;
    }
    if (!early.has(m)) {
      await readAhead(m);
      readAheadLarge(position++);
    }
    const got = early.has(m) ? early.get(m) ?? null : await read(m);
    const finalBlock = finalBlocks.get(m) ?? null;
    finalBlocks.delete(m);
    if (got === null) {
      recordOk = false;
      continue;
    }
    const inScratch = !(got instanceof Uint8Array) && got.scratch === true;
    const data = got instanceof Uint8Array ? got : got.bytes;
    const digests = got instanceof Uint8Array ? null : got.digests;
    if (!(got instanceof Uint8Array)) region = got.region;
    memberFacts.read = true;
    const field = row === undefined || exempt ? null : rowHash(row, codecs.digests);
    const algorithm = field?.status === "ok" ? field.algorithm : null;
    const digest = algorithm === null ? null : (digests?.get(algorithm) ?? (await codecs.digest(algorithm, data)));
    // Kept only when asked (a rehash writes RECORD from them): 32 bytes and a buffer per member otherwise.
    if (options.sha256) memberFacts.sha256 = algorithm === "sha256" ? digest : (digests?.get("sha256") ?? (await codecs.digest("sha256", data)));
    if (row !== undefined && !exempt) {
      const problems = rowFindings(m.name, row, data.length, digest);
      for (const f of problems) report(f);
      memberFacts.record = problems.length === 0 ? "ok" : "wrong";
      if (problems.length > 0) recordOk = false;
    }
    const binary = analyzeBinary(m.name, data, { python2Only: options.python2Only });
    if (binary !== null) {
      binaries.push(binary);
      // Handed on past this turn: a binary in the scratch buffer is copied out first.
      const lasting = inScratch && (options.onBinary !== undefined || keepBudget >= data.length) ? data.slice() : data;
      if (options.onBinary !== undefined && memberFacts.record === "ok" && (await options.onBinary(archive, m, lasting, binary, finalBlock))) {
        // Taken: the handler gives the buffer back.
        region = null;
        continue;
      }
      if (keepBudget >= data.length) {
        kept.set(m.name, lasting);
        keepBudget -= data.length;
        region = null;
      }
    }
  }
  if (region !== null) giveBack(region);
  const present = new Set(byName.keys());
  if (record !== null) {
    const broken = recordRowFindings(rows, recordPath, present);
    if (broken.length > 0) recordOk = false;
    for (const f of broken) report(f);
  }
  const unlisted = unlistedRows(rows, present);
  if (unlisted.length > 0 || facts.unread.length > 0) recordOk = false;
  for (const f of unlisted) report(f);
  facts.recordOk = recordOk;
  facts.binaries = binaries;
  // Findings are data for a person: a hostile RECORD or central directory must not make 100,000 of them.
  facts.findings = capFindings(findings);
  return { facts, archive, kept };
}

/** PEP 427: exactly one top-level `{name}-{version}.dist-info` folder holds WHEEL and RECORD. */
function findDistInfo(files: ArchiveMember[], findings: Finding[]): string | null {
  const folders = new Set<string>();
  for (const m of files) {
    const slash = m.name.indexOf("/");
    if (slash > 0 && m.name.slice(0, slash).endsWith(".dist-info")) folders.add(m.name.slice(0, slash));
  }
  if (folders.size === 1) return [...folders][0] ?? null;
  const sorted = [...folders].sort();
  const message = folders.size === 0 ? "the wheel has no .dist-info folder" : `the wheel has ${folders.size} .dist-info folders: ${clipList(sorted)}`;
  findings.push(finding("R004", message, { data: { folders: sorted.slice(0, MAX_FINDINGS_PER_CODE).map((f) => truncate(f)) } }));
  return null;
}

/** Reads and parses WHEEL (R005) or RECORD (R006); a failure is a finding with the parser's reason. */
async function readParsed<T>(
  path: string,
  code: "R005" | "R006",
  parse: (text: string) => T,
  byName: Map<string, ArchiveMember>,
  read: (m: ArchiveMember) => Promise<Uint8Array | null>,
  findings: Finding[],
): Promise<T | null> {
  const m = byName.get(path);
  if (m === undefined) {
    findings.push(finding(code, `${clip(path)} is missing`, { member: path }));
    return null;
  }
  const data = await read(m);
  if (data === null) return null;
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    findings.push(finding(code, `${clip(path)} is not valid UTF-8`, { member: path }));
    return null;
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof WheelError)) throw error;
    findings.push(finding(code, `${clip(path)}: ${error.message}`, { member: path }));
    return null;
  }
}

/**
 * The arena's size: the largest member that will be read into it (+ 1, see readMemberInto), or
 * ARENA_FLOOR when the large members add up to that much. Members the zip layer will refuse (too
 * large, a bomb's ratio) do not count: the arena is allocated once, and each byte of it is touched.
 */
function arenaSize(archive: ZipArchive, members: readonly ArchiveMember[], maxMemberSize: number, maxTotalSize: number): number {
  let largest = 0;
  let total = 0;
  // Members past the total budget are never read (admit, above): counted in member order, as there.
  let budget = maxTotalSize;
  for (const m of members) {
    if (m.size > budget) break;
    budget -= m.size;
    if (m.compressedSize < AHEAD_FLOOR) continue;
    try {
      admitMember(archive, m, { maxMemberSize });
    } catch (error) {
      if (error instanceof ZipError) continue;
      throw error;
    }
    largest = Math.max(largest, m.size + 1);
    total += m.size + 1;
  }
  return Math.max(largest, Math.min(ARENA_FLOOR, total));
}

/** Where reusedReader puts large members, and small ones. */
interface ReadTargets {
  /** Large members: a region (null: no room now, a buffer of its own then), given back by the loop. */
  large: { take(length: number): Uint8Array | null; give(region: Uint8Array): void };
  /** Where the compressed data of a member whose final block is wanted is read whole (and given back at once). */
  recycler?: Recycler;
  /** Members whose final deflate block is wanted (fuse): inflated by Codecs.inflateRawBlocks, the bounds told to `found`. */
  blocks?: { wanted: () => boolean; found: (m: ArchiveMember, bounds: FinalBlockBounds | null) => void };
}

/**
 * Reads members into reused buffers: a large member (read ahead) into a region of the arena or a
 * recycled buffer, with its compressed data in pieces and its digests computed as it inflates (or,
 * when its final block is wanted, its compressed data whole into a recycled buffer and inflated by
 * Codecs.inflateRawBlocks into the region); a small one (read in its turn) into one scratch buffer,
 * so its bytes are valid for its turn only (the loop copies a binary it hands on). Null from the zip
 * layer (the host cannot inflate into a buffer) falls back to readMember.
 */
function reusedReader(
  archive: ZipArchive,
  codecs: Codecs,
  targets: ReadTargets,
  algorithmsFor: (m: ArchiveMember) => DigestAlgorithm[],
  maxMemberSize: number,
): (m: ArchiveMember) => Promise<MemberRead | ZipError> {
  let scratch: Uint8Array | null = null;
  // One pool of piece pairs for every read, large or small: a pair is in use only while its read
  // runs, so the pool holds as many as were ever read at once (the read-ahead ones and the member in
  // its turn), no more (issue 15: each pair is 2 × PIECE_BYTES of resident memory).
  const idlePieces: Array<[Uint8Array, Uint8Array]> = [];
  const newPieces = (): [Uint8Array, Uint8Array] => [new Uint8Array(PIECE_BYTES), new Uint8Array(PIECE_BYTES)];
  return async (m) => {
    const large = m.compressedSize >= AHEAD_FLOOR;
    let region: Uint8Array | null = null;
    let target: Uint8Array;
    const pieces = idlePieces.pop() ?? newPieces();
    if (large) {
      region = targets.large.take(m.size + 1);
      target = region ?? new Uint8Array(m.size + 1);
    } else {
      if (m.size + 1 <= SCRATCH_MAX && (scratch === null || scratch.length < m.size + 1)) scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(m.size + 1, 2 * (scratch?.length ?? 0), 64 * 1024)));
      target = scratch !== null && scratch.length >= m.size + 1 ? scratch : new Uint8Array(m.size + 1);
    }
    const transient = target === scratch;
    const giveUp = (): void => {
      if (region !== null) targets.large.give(region);
      region = null;
    };
    try {
      if (targets.blocks?.wanted() === true && targets.recycler !== undefined && codecs.inflateRawBlocks !== undefined) {
        const compressed = targets.recycler.take(m.compressedSize);
        try {
          const bytes = await readMember(archive, m, codecs, { maxMemberSize, compressedInto: compressed, target, onFinalBlock: (bounds) => targets.blocks?.found(m, bounds) });
          return { bytes, digests: new Map(), region, scratch: transient };
        } finally {
          targets.recycler.give(compressed);
        }
      }
      // A large member is hashed as it inflates; a small one after, in one call (a hash object per
      // member costs more than hashing a few KiB).
      const hashes = codecs.hasher === undefined || !large ? [] : algorithmsFor(m).map((a) => [a, codecs.hasher!(a)] as const);
      const bytes = await readMemberInto(archive, m, codecs, target, {
        maxMemberSize,
        pieces,
        ...(hashes.length === 0 ? {} : { onOutput: (part: Uint8Array) => hashes.forEach(([, h]) => h.update(part)) }),
      });
      if (bytes === null) {
        giveUp();
        return await readMember(archive, m, codecs, { maxMemberSize }).then((fresh): MemberRead => ({ bytes: fresh, digests: new Map(), region: null }));
      }
      return { bytes, digests: new Map(hashes.map(([a, h]) => [a, h.digest()])), region, scratch: transient };
    } catch (error) {
      giveUp();
      if (!(error instanceof ZipError)) throw error;
      return error;
    } finally {
      idlePieces.push(pieces);
    }
  };
}
