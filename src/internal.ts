// The one face the repository's own tools import (fuzz/, bench/, scripts/): the parts of the core
// they drive, bound to Node's codecs. Not part of the public API; it may change with the code.
import type { ArchiveMember } from "./model/zip.js";
import { nodeCodecs } from "./node/codecs.js";
import { recordHash as recordHashWith } from "./wheel/hash.js";
import { readMember as readMemberWith, writeZip as writeZipWith, type NewZipEntry, type ReadMemberOptions, type ZipArchive } from "./zip/index.js";

export { checkWheel, retagWheel } from "./node/api.js";
export { FINDINGS, MAX_FINDINGS_PER_CODE, MAX_MESSAGE } from "./model/findings.js";
export { MachOError, RetagError, WheelError, ZipError } from "./model/errors.js";
export { parseMachO } from "./macho/index.js";
export { parseRecord } from "./wheel/record.js";
export { openZip } from "./zip/index.js";
export { main } from "./cli/main.js";
export { nodeCodecs };

export function readMember(archive: ZipArchive, member: ArchiveMember, options: ReadMemberOptions = {}): Promise<Uint8Array> {
  return readMemberWith(archive, member, nodeCodecs, options);
}

export function writeZip(entries: NewZipEntry[]): Promise<Uint8Array> {
  return writeZipWith(entries, nodeCodecs);
}

export function recordHash(data: Uint8Array): Promise<string> {
  return recordHashWith(data, nodeCodecs);
}
export { withFindingsSection } from "./cli/docs.js";
