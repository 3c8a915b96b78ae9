// Public API: re-exports only.
export * from "./model/macho.js";
export * from "./model/binary.js";
export * from "./model/zip.js";
export * from "./model/wheel.js";
export * from "./model/tags.js";
export * from "./model/results.js";
export * from "./model/findings.js";
export { RetagError, MachOError, WheelError } from "./model/errors.js";
export { checkWheel, DEFAULT_CHECK_OPTIONS } from "./check.js";
export { retagWheel, type RetagOptions, type RetagResult } from "./retag.js";
export { parseMachO, sniffBinary, exportsSymbol } from "./macho/index.js";
