// WebAssembly wheels (Pyodide / Emscripten: `pyodide_2024_0_wasm32`, `pyemscripten_2025_0_wasm32`,
// `emscripten_3_1_58_wasm32`; DESIGN §3.7): every binary must be a wasm module (a native Mach-O,
// ELF or PE file is foreign), of the tag's arch (wasm32, or wasm64 with memory64), and each
// extension an Emscripten side module (`dylink.0`) exporting its init function, with the
// `-wasm32-emscripten.so` suffix. Nothing here is repaired: the binaries do not say which Pyodide
// ABI they were built for.
import { finding, type Finding } from "../model/findings.js";
import { parseWasmTag } from "../tags/wasm.js";
import { suffixPlatformFindings, type ExtensionSuffix } from "./common.js";
import { collectImages, noBinariesFinding, tagList } from "./native.js";
import type { PlatformRules, PlatformVerdict } from "./rules.js";

export const wasmRules: PlatformRules = {
  family: "wasm",
  applies: (tags) => tags.length > 0 && tags.every((t) => parseWasmTag(t) !== null),
  check({ name, facts }): PlatformVerdict {
    const findings: Finding[] = [];
    const platformTags = name.platformTags;
    const tags = platformTags.map(parseWasmTag).filter((t) => t !== null);
    const { counted, contradicted } = collectImages(facts.binaries, "wasm", "a WebAssembly", findings);
    let broken = contradicted;
    if (counted.length === 0 && !contradicted) findings.push(noBinariesFinding(platformTags, "WebAssembly"));
    for (const { binary, member, image } of counted) {
      if (tags.some((t) => t.arch !== image.arch)) {
        broken = true;
        findings.push(finding("R211", `${member} is ${image.arch}, but the wheel is tagged ${tagList(platformTags)}`, { member, arch: image.arch, data: { tags: platformTags } }));
      }
      if (binary.module !== null && image.type !== "side-module") {
        broken = true;
        findings.push(finding("R114", `${member} has no dylink.0 section: it is not a side module, and Pyodide cannot load it`, { member }));
      }
    }
    const expected = broken ? null : platformTags;
    findings.push(...suffixPlatformFindings(name, facts.binaries, expected, wasmSuffixFits, "Emscripten"));
    return { findings, expected, widest: [] };
  },
};

/** Emscripten CPython's suffixes: `.cpython-3XY-wasm32-emscripten.so`, `.abi3.so`, `.so`. */
function wasmSuffixFits(s: ExtensionSuffix, tags: readonly string[]): boolean {
  return s.kind === "so" && (s.platform === null || tags.every((t) => s.platform === `${parseWasmTag(t)?.arch ?? "wasm32"}-emscripten`));
}
