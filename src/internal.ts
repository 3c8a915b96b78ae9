// The one face the repository's own tools import (fuzz/, bench/, scripts/): the parts of the core
// they drive, bound to Node's codecs. Not part of the public API; it may change with the code.
import type { ArchiveMember } from "./model/zip.js";
import { nodeCodecs } from "./node/codecs.js";
import { recordHash as recordHashWith } from "./wheel/hash.js";
import { joinParts, memorySource, readMember as readMemberWith, writeZip as writeZipWith, type NewZipEntry, type ReadMemberOptions, type ZipArchive } from "./zip/index.js";
import { fuseWheelSources, type FuseOptions, type FuseResult } from "./flow/fuse.js";
import { splitWheelSource, type SplitOptions, type SplitResult } from "./flow/split.js";

export { checkWheel, retagWheel } from "./node/api.js";
export { FINDINGS, MAX_FINDINGS_PER_CODE, MAX_MESSAGE } from "./model/findings.js";
export { FormatError, MachOError, RetagError, WheelError, ZipError } from "./model/errors.js";
export { parseMachO } from "./macho/index.js";
export { parseElf } from "./elf/index.js";
export { parsePe } from "./pe/index.js";
export { parseWasm } from "./wasm/index.js";
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

// retag fuse / retag split on bytes in memory (the fuzz harness's fuse cases, the bench).
export { FuseError, SplitError } from "./flow/wheel-set-errors.js";
export { sliceRanges, thinSlice } from "./macho/thin.js";

export async function fuseWheels(
  wheels: ReadonlyArray<{ filename: string; bytes: Uint8Array }>,
  options: Partial<FuseOptions> = {},
): Promise<FuseResult & { bytes: Uint8Array | null }> {
  const result = await fuseWheelSources(wheels.map((w) => ({ wheel: w.filename, source: memorySource(w.bytes) })), nodeCodecs, options);
  return { ...result, bytes: result.output === null ? null : await joinParts(result.output) };
}

export async function splitWheel(
  bytes: Uint8Array,
  options: Partial<SplitOptions> & { filename: string },
): Promise<SplitResult & { wheels: Array<{ arch: string; filename: string; bytes: Uint8Array }> }> {
  const { filename, ...rest } = options;
  const result = await splitWheelSource(filename, memorySource(bytes), nodeCodecs, rest);
  const wheels = [];
  for (const o of result.outputs) if (o.output !== null) wheels.push({ arch: o.arch, filename: o.filename, bytes: await joinParts(o.output) });
  return { ...result, wheels };
}
