// The WebAssembly reader: bytes in, data out (no file system, no console).

import type { WasmModule } from "../model/wasm.js";

export { parseWasm } from "./parse.js";

/** Does the module export a function named `symbol` (e.g. "PyInit__m", what Pyodide's loader calls)? */
export function exportsSymbol(module: WasmModule, symbol: string): boolean {
  return module.exports.some((e) => e.kind === "func" && e.name === symbol);
}
