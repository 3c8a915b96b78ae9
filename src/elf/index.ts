// The ELF reader: bytes in, data out (no file system, no console).

import type { ElfFile } from "../model/elf.js";
import { listHasExport } from "../model/export-list.js";

export { parseElf } from "./parse.js";
export { elfArchName, armArchName, armCpuArchName } from "./arch.js";
export { MAX_EXPORT_NAMES, MAX_EXPORT_NAME_BYTES } from "./symbols.js";
export * as Elf from "./constants.js";

/**
 * Does the file's dynamic symbol table export `symbol` (e.g. "PyInit__m") as a defined global or
 * weak symbol of default or protected visibility — what dlsym, and so CPython's importer, finds?
 * A hidden or local definition (only in .symtab) does not count.
 */
export function exportsSymbol(file: ElfFile, symbol: string): boolean {
  return listHasExport(file.exports, symbol);
}
