// The PE reader: bytes in, data out (no file system, no console).

import type { PeFile } from "../model/pe.js";

export { parsePe } from "./parse.js";
export { MAX_EXPORT_NAMES } from "./directories.js";
export * as Pe from "./constants.js";

/** Set views of export lists, built on first lookup (keyed by the array, so a new list gets a new set). */
const exportSets = new WeakMap<readonly string[], Set<string>>();

/** Does the image export `symbol` by name (e.g. "PyInit__m", what CPython's importer asks GetProcAddress for)? */
export function exportsSymbol(file: PeFile, symbol: string): boolean {
  const list = file.exports;
  if (list.length < 32) return list.includes(symbol);
  let set = exportSets.get(list);
  if (set === undefined) {
    set = new Set(list);
    exportSets.set(list, set);
  }
  return set.has(symbol);
}
