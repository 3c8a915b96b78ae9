// What the WebAssembly reader (src/wasm/) says about one module: plain data, no behaviour. Names
// follow the WebAssembly core specification (binary format) and the tool-conventions documents
// (DynamicLinking.md for dylink.0, ProducersSection.md, and target_features in Linking.md).

export type WasmExternalKind = "func" | "table" | "memory" | "global" | "tag";

export interface WasmModule {
  /** The binary format version after the `\0asm` magic: 1 for every core module. */
  version: number;
  /** Every section in file order (`offset` / `size`: its contents after the id and size, a custom section's name included). */
  sections: WasmSection[];
  imports: WasmImport[];
  exports: WasmExport[];
  /**
   * The dynamic-linking metadata of a side module (`dylink.0`, or the older `dylink`): present in
   * Emscripten / Pyodide shared libraries (wasm-ld -shared / -pie), absent from plain modules.
   */
  dylink: WasmDylink | null;
  /** The `producers` section: field (`language`, `processed-by`, `sdk`) → tool names and versions. */
  producers: { field: string; values: { name: string; version: string }[] }[] | null;
  /** The `target_features` section: `+` used, `-` disallowed, `=` required, and the feature name. */
  targetFeatures: { prefix: "+" | "-" | "="; name: string }[] | null;
}

export interface WasmSection {
  /** 0 custom, 1 type, 2 import, … 13 tag. */
  id: number;
  /** The custom section's name, or the section's name in the spec (`type`, `import`, `code`, …). */
  name: string;
  offset: number;
  size: number;
}

export interface WasmImport {
  module: string;
  name: string;
  kind: WasmExternalKind;
}

export interface WasmExport {
  name: string;
  kind: WasmExternalKind;
  index: number;
}

export interface WasmDylink {
  /** Which custom section it came from. */
  section: "dylink.0" | "dylink";
  memorySize: number;
  /** log2 of the alignment, as written. */
  memoryAlignment: number;
  tableSize: number;
  tableAlignment: number;
  /** Side modules to load first (WASM_DYLINK_NEEDED). */
  needed: string[];
}
