// WebAssembly wheels (Pyodide / Emscripten, DESIGN §3.7): extensions are side modules exporting
// their init function; a native binary in such a wheel is foreign, and a wasm module in a native
// wheel is too.
import { describe, it } from "vitest";
import { macho, native, runRow, type FamilyRow } from "./rows.js";

const EXT = "pkg/_m.cpython-313-wasm32-emscripten.so";

const rows: FamilyRow[] = [
  { name: "a side module in pyodide_2024_0_wasm32", platform: "pyodide_2024_0_wasm32", members: { [EXT]: native("ext_emscripten_wasm32.so"), "pkg/lib/libfoo.so": native("lib_emscripten_wasm32_libfoo.so") }, codes: [], expected: ["pyodide_2024_0_wasm32"] },
  { name: "PEP 783's pyemscripten tag", platform: "pyemscripten_2025_0_wasm32", members: { [EXT]: native("ext_emscripten_wasm32.so") }, codes: [], expected: ["pyemscripten_2025_0_wasm32"] },
  { name: "the older emscripten_X_Y_Z tag", platform: "emscripten_3_1_58_wasm32", members: { [EXT]: native("ext_emscripten_wasm32.so") }, codes: [], expected: ["emscripten_3_1_58_wasm32"] },
  { name: "a side module exporting PyInit__mm as _m", platform: "pyodide_2024_0_wasm32", members: { [EXT]: native("ext_emscripten_wasm32_noinit.so") }, codes: ["R102"], expected: null },
  { name: "a plain module (no dylink.0) as an extension", platform: "pyodide_2024_0_wasm32", members: { [EXT]: native("mod_wasm32_plain.wasm") }, codes: ["R114"], expected: null },
  { name: "a plain module that is not an extension is data", platform: "pyodide_2024_0_wasm32", members: { [EXT]: native("ext_emscripten_wasm32.so"), "pkg/_m.wasm": native("mod_wasm32_plain.wasm") }, codes: [], expected: ["pyodide_2024_0_wasm32"] },
  { name: "an ELF in a Pyodide wheel", platform: "pyodide_2024_0_wasm32", members: { [EXT]: native("ext_linux_x86_64_glibc2.17.so") }, codes: ["R106"], expected: null },
  { name: "a Mach-O in a Pyodide wheel", platform: "pyodide_2024_0_wasm32", members: { [EXT]: macho("ext_arm64_11.0.so") }, codes: ["R106"], expected: null },
  { name: "a Linux suffix in a Pyodide wheel", platform: "pyodide_2024_0_wasm32", members: { "pkg/_m.cpython-313-x86_64-linux-gnu.so": native("ext_emscripten_wasm32.so") }, codes: ["R303"], expected: ["pyodide_2024_0_wasm32"] },
  { name: "a wasm module in a macOS wheel", platform: "macosx_11_0_arm64", members: { "pkg/_m.cpython-313-darwin.so": macho("ext_arm64_11.0.so"), "pkg/lib/libfoo.so": native("lib_emscripten_wasm32_libfoo.so") }, codes: ["R106"], expected: ["macosx_11_0_arm64"] },
  { name: "a wasm module in a Windows wheel", platform: "win_amd64", members: { "pkg/_m.cp313-win_amd64.pyd": native("ext_win_amd64.pyd"), "pkg/lib/libfoo.so": native("lib_emscripten_wasm32_libfoo.so") }, codes: ["R106"], expected: null },
  { name: "no wasm module at all", platform: "pyodide_2024_0_wasm32", members: { "pkg/a.py": "" }, codes: ["R206"], expected: ["pyodide_2024_0_wasm32"] },
];

describe("WebAssembly wheels", () => {
  it.each(rows.map((r) => ({ ...r, label: r.name })))("$label", async (row) => {
    await runRow(row);
  });
});
