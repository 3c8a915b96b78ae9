// What `retag fuse` and `retag split` share: a wheel built from other wheels' members takes its platform
// tags from the tag model over its own binaries (DESIGN §3.5, never from the inputs' names), and gets
// WHEEL and RECORD written anew from an input's, every other line kept byte for byte (DESIGN §4.1).
import { concatBytes } from "../bytes.js";
import type { BinaryReport } from "../model/binary.js";
import { RetagError, ZipError } from "../model/errors.js";
import type { ArchiveMember } from "../model/zip.js";
import { MAX_MEMBER_SIZE } from "../read/index.js";
import { readMember, type ZipArchive } from "../zip/index.js";
import { fails, finding, fixedBy, isIgnored, type Finding } from "../model/findings.js";
import type { Codecs } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import type { WheelFacts, WheelMetadata, WheelName, WheelRecord } from "../model/wheel.js";
import { extensionSuffixFindings } from "../platforms/index.js";
import { macosRules } from "../platforms/macos.js";
import { parseMacTag } from "../tags/index.js";
import { formatRecordHash, recordHash } from "../wheel/hash.js";
import { replaceTags, serializeWheelMetadata } from "../wheel/metadata.js";
import { wheelTags } from "../wheel/name.js";
import { replaceRows, type RecordChange } from "../wheel/record.js";

/** Options with the defaults filled in; a key given as undefined takes its default too. */
export function withDefaults<T extends object>(defaults: T, partial: Partial<T>): T {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<T>;
  return { ...defaults, ...given };
}

/** RECORD's signatures sign the old RECORD: a wheel with a new RECORD drops them (as fix mode does). */
export const SIGNATURE_NAMES = ["RECORD.jws", "RECORD.p7s"];

const MACHO_KINDS = new Set(["macho", "fat", "archive"]);

/** A binary fuse and split work on: Mach-O (thin, fat or a static archive) that was read without error. */
export function isMachO(binary: BinaryReport | null): boolean {
  return binary !== null && MACHO_KINDS.has(binary.kind) && binary.error === null;
}

/** True when every tag is a macOS platform tag retag can read the archs of. */
export function isMacosTagSet(tags: readonly string[]): boolean {
  return tags.length > 0 && tags.every((t) => parseMacTag(t)?.archs != null);
}

/**
 * An input's errors that stop it being fused or split: every error but those a rewrite repairs (a
 * tag that claims too much, WHEEL disagreeing with the name: the output's tags and WHEEL are new).
 * Warnings never block an input; `--strict` applies to the output.
 */
export function inputBlockers(check: CheckResult): Finding[] {
  return check.findings.filter((f) => fails(f, false) && fixedBy(f.code) !== "rewrite");
}

export interface ComputedTags {
  /** The widest tag set the binaries allow, sorted; empty when none can be written. */
  tags: string[];
  /** What the rules find in a wheel with these binaries and tags (why there are none, when there are none). */
  findings: Finding[];
  /** What the rules find in a wheel with these binaries under `name`'s tags (why an arch is not supported). */
  probe: Finding[];
}

/**
 * The platform tags of a wheel holding `binaries`: the macOS rules' widest tag set (universal2 at the
 * x86_64 minimum when arm64 needs at most 11.0, else the sorted pair, …), and the findings the rules
 * then report about the wheel so tagged. `name` is a macOS-tagged name of the inputs (its tags are a
 * claim the probe needs; they do not shape the result).
 */
export function tagsFromBinaries(name: WheelName, facts: WheelFacts, binaries: BinaryReport[], options: CheckOptions): ComputedTags {
  const own: WheelFacts = { ...facts, binaries, findings: [] };
  const keep = (fs: Finding[]): Finding[] => fs.filter((f) => !isIgnored(f.code, options.ignore));
  const probe = macosRules.check({ name, facts: own, options });
  if (probe.widest.length === 0) return { tags: [], findings: keep(probe.findings), probe: keep(probe.findings) };
  const tagged: WheelName = { ...name, platformTags: probe.widest };
  const verdict = macosRules.check({ name: tagged, facts: own, options });
  return { tags: probe.widest, findings: keep([...verdict.findings, ...extensionSuffixFindings(tagged, binaries)]), probe: keep(probe.findings) };
}

/** WHEEL with its Tag lines replaced by the new name's tags; every other line kept. */
export function wheelBytesFor(metadata: WheelMetadata, name: WheelName, platformTags: string[]): Uint8Array {
  return new TextEncoder().encode(serializeWheelMetadata(replaceTags(metadata, wheelTags({ ...name, platformTags }))));
}

/** A RECORD row for bytes whose sha256 is known. */
export function rowFor(sha256: Uint8Array, size: number): RecordChange {
  return { hash: formatRecordHash(sha256), size };
}

/** A RECORD row for bytes in hand. */
export async function rowOf(data: Uint8Array, codecs: Codecs): Promise<RecordChange> {
  return { hash: await recordHash(data, codecs), size: data.length };
}

/**
 * The RECORD text: `base`'s rows kept byte for byte, except the rows in `changes` (new hash and size,
 * or null to drop the row); a changed path with no row is added at the end (replaceRows).
 */
export function recordBytesFor(base: WheelRecord, changes: ReadonlyMap<string, RecordChange>): Uint8Array {
  return new TextEncoder().encode(replaceRows(base, changes));
}

/** The warning for each signature a new RECORD invalidates (R012, as fix mode reports it). */
export function signatureFindings(dropped: readonly string[]): Finding[] {
  return dropped.map((p) => finding("R012", `${p} signed the old RECORD and no longer matches; it was dropped (sign the new wheel again)`, { member: p }));
}

/**
 * A member read again for its bytes (the check read it once already, to hash and analyse it). A
 * failure now means the wheel changed in between: a usage-level error, never an internal one.
 */
export async function rereadMember(archive: ZipArchive, member: ArchiveMember, codecs: Codecs, label: string): Promise<Uint8Array> {
  try {
    return await readMember(archive, member, codecs, { maxMemberSize: MAX_MEMBER_SIZE });
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    throw new RetagError(`${label}: ${error.message} (did the wheel change while retag ran?)`);
  }
}

/** The sha256 of chunks in order, without joining them when the host can hash chunk by chunk. */
export async function digestChunks(chunks: readonly Uint8Array[], codecs: Codecs): Promise<Uint8Array> {
  if (codecs.digestChunks !== undefined) return codecs.digestChunks("sha256", chunks);
  return codecs.digest("sha256", chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks));
}
