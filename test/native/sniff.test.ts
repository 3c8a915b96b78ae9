// sniffNative on every real fixture and on the near misses it must not take for a binary.

import { describe, expect, it } from "vitest";
import { sniffNative } from "../../src/native/sniff.js";
import { manifest, readFixture } from "../helpers/fixtures.js";
import { nativeFixtures, readNativeFixture, type NativeFormat } from "../fixtures/native.js";
import { buildPe, setU32 } from "../pe/builder.js";

const formats: NativeFormat[] = ["elf", "pe", "wasm"];
const real = formats.flatMap((format) => nativeFixtures(format).map((f) => ({ format, file: f.file })));

describe("sniffNative", () => {
  it.each(real)("says $format for $file", ({ format, file }) => {
    expect(sniffNative(readNativeFixture(format, file))).toBe(format);
  });

  it.each(manifest.map((f) => f.file))("says nothing for the Mach-O fixture %s", (file) => {
    expect(sniffNative(readFixture(file))).toBeNull();
  });

  const pe = buildPe().bytes;
  const dosOnly = pe.slice();
  dosOnly.fill(0, 0x40, 0x44); // no PE\0\0 at e_lfanew
  const lfanewPastEnd = buildPe();
  setU32(lfanewPastEnd, 0x3c, lfanewPastEnd.bytes.length);
  const lfanewInHeader = buildPe();
  setU32(lfanewInHeader, 0x3c, 0x20);
  const component = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
  it.each([
    ["an empty file", new Uint8Array(0), null],
    ["a shell script", new TextEncoder().encode("#!/bin/sh\nexec python3 -m pkg\n"), null],
    ["the ELF magic alone (a malformed ELF file)", Uint8Array.from([0x7f, 0x45, 0x4c, 0x46]), "elf"],
    ["MZ without PE\\0\\0 (an MS-DOS program)", dosOnly, null],
    ["MZ whose e_lfanew is past the end", lfanewPastEnd.bytes, null],
    ["MZ whose e_lfanew points into the MS-DOS header", lfanewInHeader.bytes, null],
    ["text that starts with MZ", new TextEncoder().encode(`MZ${" ".repeat(100)}`), null],
    ["a wasm component (version 0x1000d)", component, null],
    ["the wasm magic and version alone", Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), "wasm"],
  ] as const)("says %s → %s", (_name, bytes, expected) => {
    expect(sniffNative(bytes)).toBe(expected);
  });
});
