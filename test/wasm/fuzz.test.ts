// Mutated wasm modules must give data or a FormatError("wasm") — never another exception, never a
// slow parse. Seeds: every wasm fixture and builder outputs (side modules with each custom section).

import { describe, expect, it } from "vitest";
import { parseWasm } from "../../src/wasm/index.js";
import { fuzzReader, type Field, type Seed } from "../fixtures/mutations.js";
import { nativeFixtures, readNativeFixture } from "../fixtures/native.js";
import { buildWasm, SIDE_MODULE } from "./builder.js";

/** Section ids and sizes, and the first bytes of every section's contents: counts, lengths, kinds. */
function fieldsOf(bytes: Uint8Array): Field[] {
  const fields: Field[] = [{ offset: 4, size: 4 }];
  for (const section of parseWasm(bytes).sections) {
    // The id byte is just before the size LEB128, which ends right before the contents.
    let sizeStart = section.offset - 1;
    while (sizeStart > 8 && (bytes[sizeStart - 1]! & 0x80) !== 0) sizeStart--;
    fields.push({ offset: sizeStart - 1, size: 1 }, { offset: sizeStart, size: 1 });
    for (let o = 0; o < Math.min(section.size, 24); o++) fields.push({ offset: section.offset + o, size: 1 });
    if (section.size >= 4) fields.push({ offset: section.offset, size: 4 });
  }
  return fields;
}

function seed(name: string, bytes: Uint8Array): Seed {
  return { name, bytes, little: true, fields: fieldsOf(bytes) };
}

const builderSeeds = [seed("built side module", buildWasm(SIDE_MODULE).bytes), seed("built old-dylink side module", buildWasm({ ...SIDE_MODULE, oldDylink: true }).bytes)];
const fixtureSeeds = nativeFixtures("wasm").map((f) => seed(f.file, readNativeFixture("wasm", f.file)));

describe("parseWasm under mutation", () => {
  it("parses every seed as written", () => {
    for (const s of [...builderSeeds, ...fixtureSeeds]) expect(() => parseWasm(s.bytes), s.name).not.toThrow();
  });

  it("keeps its contract on mutated fixtures", () => {
    const stats = fuzzReader(fixtureSeeds, parseWasm, "wasm", { seed: 0xa5, numRuns: 5000 });
    expect(stats.errors).toBeGreaterThan(stats.runs / 10);
  });

  it("keeps its contract on mutated builder output", () => {
    fuzzReader(builderSeeds, parseWasm, "wasm", { seed: 0xba5, numRuns: 3000 });
  });

  it("keeps its contract on every truncation of a fixture", () => {
    const bytes = readNativeFixture("wasm", "ext_emscripten_wasm32.so");
    for (let length = 0; length <= bytes.length; length++) {
      try {
        parseWasm(bytes.subarray(0, length));
      } catch (error) {
        expect((error as Error).name, String(error)).toBe("FormatError");
      }
    }
  });
});
