// Public API of the npm package (Node): an explicit list. The flows themselves are host-neutral
// (src/flow/); this entry binds them to Node's codecs.
export type { Container, MachOFile, MachOFileType, Platform, PlatformVersion, Slice, VersionCommandName } from "./model/macho.js";
export type { BinaryKind, BinaryReport, SliceReport } from "./model/binary.js";
export type { ArchiveMember } from "./model/zip.js";
export type { WheelName, WheelMetadata, WheelMetadataLine, WheelRecord, RecordRow } from "./model/wheel.js";
export type { MacVersion, MacTag, MacTagForm, Support, TagEvaluation, TagOptions, TagRepair, IosTag } from "./model/tags.js";
export type { CheckOptions, CheckResult } from "./model/results.js";
export type { Finding, FindingCode, FindingDefinition, Severity } from "./model/findings.js";
export type { ByteSource, Codecs } from "./model/ports.js";
export { FINDINGS } from "./model/findings.js";
export { RetagError, MachOError, WheelError, FormatError, ZipError } from "./model/errors.js";
export { DEFAULT_CHECK_OPTIONS } from "./flow/check.js";
export type { RetagOptions, RetagResult } from "./flow/fix.js";
export { checkWheel, retagWheel } from "./node/api.js";
export { parseMachO, sniffBinary, exportsSymbol } from "./macho/index.js";
