// Windows and WebAssembly tag maths (src/tags/windows.ts, src/tags/wasm.ts).
import { describe, expect, it } from "vitest";
import { agreedWindowsTag, isWindowsTag, parseWasmTag, peFitTags, type PeImageFacts } from "../../src/tags/index.js";

const dll = (arch: string, hybrid: PeImageFacts["hybrid"] = null): PeImageFacts => ({ arch, hybrid, type: "dll" });
const exe = (arch: string, hybrid: PeImageFacts["hybrid"] = null): PeImageFacts => ({ arch, hybrid, type: "exe" });

describe("peFitTags: the tags whose hosts load a PE image", () => {
  it.each([
    [dll("win_amd64"), ["win_amd64"]],
    [dll("win32"), ["win32"]],
    [dll("win_arm64"), ["win_arm64"]],
    [dll("win_amd64", "arm64ec"), []], // ARM64 code: no x64 machine runs it, and no tag names x64-on-ARM64
    [dll("win_arm64", "arm64x"), ["win_arm64"]],
    [dll("machine(0x1234)"), []],
    [exe("win32"), ["win32", "win_amd64", "win_arm64"]], // WOW64 and x86 emulation
    [exe("win_amd64"), ["win_amd64", "win_arm64"]], // x64 emulation on ARM64 Windows 11
    [exe("win_arm64"), ["win_arm64"]],
    [exe("win_amd64", "arm64ec"), ["win_arm64"]],
  ])("%j → %j", (image, tags) => {
    expect(peFitTags(image)).toEqual(tags);
  });

  it.each([
    [[dll("win_amd64"), exe("win_amd64")], "win_amd64"],
    [[dll("win_amd64"), dll("win32")], null],
    [[dll("win_amd64", "arm64ec")], null],
    [[dll("win_arm64", "arm64x"), dll("win_arm64")], "win_arm64"],
  ])("agreedWindowsTag(%j) → %s", (images, tag) => {
    expect(agreedWindowsTag(images)).toBe(tag);
  });

  it.each([
    ["win_amd64", true],
    ["win32", true],
    ["win_arm64", true],
    ["win_arm32", true],
    ["win_ia64", false],
    ["windows_amd64", false],
  ])("isWindowsTag(%s) = %s", (tag, yes) => {
    expect(isWindowsTag(tag)).toBe(yes);
  });
});

describe("parseWasmTag", () => {
  it.each([
    ["pyodide_2024_0_wasm32", { kind: "pyodide", version: "2024.0", arch: "wasm32" }],
    ["pyemscripten_2025_0_wasm32", { kind: "pyemscripten", version: "2025.0", arch: "wasm32" }], // PEP 783
    ["emscripten_3_1_58_wasm32", { kind: "emscripten", version: "3.1.58", arch: "wasm32" }],
  ])("%s", (tag, expected) => {
    expect(parseWasmTag(tag)).toEqual({ tag, ...expected });
  });
  it.each(["pyodide_2024_wasm32", "emscripten_3_1_wasm32", "wasi_0_0_wasm32", "pyodide_2024_0_x86_64"])("%s is not one", (tag) => {
    expect(parseWasmTag(tag)).toBeNull();
  });
});
