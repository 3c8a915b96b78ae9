// The core's flows and zip layer bound to Node's codecs and bytes in memory, as the tests use them.
import { checkWheelSource } from "../../src/flow/check.js";
import { retagWheelSource, type RetagOptions, type RetagResult } from "../../src/flow/fix.js";
import type { CheckOptions, CheckResult } from "../../src/model/results.js";
import type { ArchiveMember } from "../../src/model/zip.js";
import { nodeCodecs } from "../../src/node/codecs.js";
import { isSourceRange, joinParts, memorySource, readMember, readMemberHead, rewriteZip, writeZip, type NewZipEntry, type ReadMemberOptions, type ZipArchive, type ZipChanges } from "../../src/zip/index.js";

export { nodeCodecs };

export function checkBytes(wheel: string, bytes: Uint8Array, options: Partial<CheckOptions> = {}): Promise<CheckResult> {
  return checkWheelSource(wheel, memorySource(bytes), nodeCodecs, options);
}

/** Fix mode on bytes in memory; `bytes` is the rewritten wheel (null unless rewritten). */
export async function retagBytes(wheel: string, bytes: Uint8Array, options: Partial<RetagOptions> = {}): Promise<RetagResult & { bytes: Uint8Array | null }> {
  const result = await retagWheelSource(wheel, memorySource(bytes), nodeCodecs, options);
  return { ...result, bytes: result.output === null ? null : await joinParts(result.output) };
}

export function readMemberBytes(archive: ZipArchive, member: ArchiveMember, options: ReadMemberOptions = {}): Promise<Uint8Array> {
  return readMember(archive, member, nodeCodecs, options);
}

export function zipBytes(entries: NewZipEntry[]): Promise<Uint8Array> {
  return writeZip(entries, nodeCodecs);
}

/** The rewrite's parts with every copied range read: the chunks to write, in order. */
export async function rewriteZipBytes(archive: ZipArchive, changes: ZipChanges): Promise<Uint8Array[]> {
  const { parts } = await rewriteZip(archive, changes, nodeCodecs);
  return Promise.all(parts.map((part) => (isSourceRange(part) ? part.source.read(part.offset, part.length) : part)));
}

export function readMemberHeadBytes(archive: ZipArchive, member: ArchiveMember, n: number): Promise<Uint8Array> {
  return readMemberHead(archive, member, n, nodeCodecs);
}

export const crc32 = (data: Uint8Array, initial?: number): number => nodeCodecs.crc32(data, initial);
