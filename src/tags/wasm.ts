// WebAssembly platform tags: Pyodide's `pyodide_{year}_{n}_wasm32` (the ABI of a Pyodide release
// series, Pyodide's "ABI compatibility"), the older `emscripten_{X}_{Y}_{Z}_wasm32` that pyodide-build
// wrote before (sysconfig.get_platform() on Emscripten CPython: the Emscripten version), and
// `pyemscripten_{year}_{n}_wasm32` (PEP 783's proposed name for the same ABI).

export interface WasmTag {
  tag: string;
  kind: "pyodide" | "pyemscripten" | "emscripten";
  /** `2024.0` (a Pyodide ABI) or `3.1.58` (an Emscripten version), as written with dots. */
  version: string;
  arch: string;
}

const TAG = /^(?:(pyodide|pyemscripten)_(\d+)_(\d+)|(emscripten)_(\d+)_(\d+)_(\d+))_(wasm32|wasm64)$/;

export function parseWasmTag(tag: string): WasmTag | null {
  const m = TAG.exec(tag);
  if (m === null) return null;
  const arch = m[8]!;
  if (m[1] !== undefined) return { tag, kind: m[1] as "pyodide" | "pyemscripten", version: `${m[2]}.${m[3]}`, arch };
  return { tag, kind: "emscripten", version: `${m[5]}.${m[6]}.${m[7]}`, arch };
}
