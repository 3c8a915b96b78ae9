// The PE reader: bytes in, data out (no file system, no console).

import type { PeFile } from "../model/pe.js";
import { listHasExport } from "../model/export-list.js";

export { parsePe } from "./parse.js";
export { MAX_EXPORT_NAMES } from "./directories.js";
export * as Pe from "./constants.js";

/** Does the image export `symbol` by name (e.g. "PyInit__m", what CPython's importer asks GetProcAddress for)? */
export function exportsSymbol(file: PeFile, symbol: string): boolean {
  return listHasExport(file.exports, symbol);
}
