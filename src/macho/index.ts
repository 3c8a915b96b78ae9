// The Mach-O reader: bytes in, data out (no file system, no console).

export { sniffBinary, MAX_FAT_ARCHS } from "./sniff.js";
export { parseMachO } from "./parse.js";
export { exportsSymbol, MAX_EXPORT_NAMES, MAX_EXPORT_NAME_BYTES, MAX_SYMBOL_LENGTH } from "./exports.js";
export { archName } from "./arch.js";
export { formatVersion, platformName } from "./versions.js";
export { loadCommandName, fileTypeName } from "./names.js";
export * as MachO from "./constants.js";
