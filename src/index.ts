// Public API: re-exports only.
export * from "./types.js";
export { RetagError, MachOError, WheelError } from "./model/errors.js";
export { checkWheel, DEFAULT_CHECK_OPTIONS } from "./check.js";
export { retagWheel, type RetagOptions, type RetagResult } from "./retag.js";
export { parseMachO, sniffBinary, exportsSymbol } from "./macho/index.js";
export { FINDINGS, type FindingDefinition } from "./findings.js";
