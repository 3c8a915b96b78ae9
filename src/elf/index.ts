// The ELF reader: bytes in, data out (no file system, no console).

import type { ElfFile } from "../model/elf.js";

export { parseElf } from "./parse.js";
export { elfArchName, armArchName, armCpuArchName } from "./arch.js";
export { MAX_EXPORT_NAMES, MAX_EXPORT_NAME_BYTES } from "./symbols.js";
export * as Elf from "./constants.js";

/** Set views of export lists, built on first lookup (keyed by the array, so a new list gets a new set). */
const exportSets = new WeakMap<readonly string[], Set<string>>();

/**
 * Does the file's dynamic symbol table export `symbol` (e.g. "PyInit__m") as a defined global or
 * weak symbol of default or protected visibility — what dlsym, and so CPython's importer, finds?
 * A hidden or local definition (only in .symtab) does not count.
 */
export function exportsSymbol(file: ElfFile, symbol: string): boolean {
  const list = file.exports;
  if (list.length < 32) return list.includes(symbol);
  let set = exportSets.get(list);
  if (set === undefined) {
    set = new Set(list);
    exportSets.set(list, set);
  }
  return set.has(symbol);
}
