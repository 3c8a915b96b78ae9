// Mutated PE images must give data or a FormatError("pe") — never another exception, never a slow
// parse. Seeds: every PE fixture and builder outputs (PE32 and PE32+, with every directory).

import { describe, expect, it } from "vitest";
import { parsePe } from "../../src/pe/index.js";
import { fuzzReader, type Field, type Seed } from "../fixtures/mutations.js";
import { nativeFixtures, readNativeFixture } from "../fixtures/native.js";
import { buildPe } from "./builder.js";

/** The fields worth overwriting, found by walking the (well-formed) seed's headers and directories. */
function fieldsOf(bytes: Uint8Array): Field[] {
  const pe = parsePe(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lfanew = view.getUint32(0x3c, true);
  const coff = lfanew + 4;
  const opt = coff + 20;
  const dirsAt = opt + (pe.magic === "PE32+" ? 112 : 96);
  const table = opt + view.getUint16(coff + 16, true);
  const fields: Field[] = [{ offset: 0x3c, size: 4 }, { offset: coff + 2, size: 2 }, { offset: coff + 16, size: 2 }, { offset: opt, size: 2 }, { offset: opt + 60, size: 4 }, { offset: dirsAt - 4, size: 4 }];
  pe.dataDirectories.forEach((_d, i) => fields.push({ offset: dirsAt + 8 * i, size: 4 }, { offset: dirsAt + 8 * i + 4, size: 4 }));
  pe.sections.forEach((_s, i) => {
    for (const o of [8, 12, 16, 20]) fields.push({ offset: table + 40 * i + o, size: 4 });
  });
  // The first bytes of each directory the reader follows: counts and RVAs.
  const offsetOf = (rva: number): number | null => {
    const s = pe.sections.find((x) => rva >= x.virtualAddress && rva - x.virtualAddress < x.sizeOfRawData);
    return s ? s.pointerToRawData + rva - s.virtualAddress : null;
  };
  for (const index of [0, 1, 10, 13]) {
    const d = pe.dataDirectories[index];
    const at = d && d.rva !== 0 ? offsetOf(d.rva) : null;
    if (at !== null) for (let o = 0; o < 48; o += 4) fields.push({ offset: at + o, size: 4 });
  }
  if (pe.chpe && pe.loadConfig) {
    const meta = offsetOf(pe.loadConfig.chpeMetadataPointer - pe.imageBase);
    if (meta !== null) for (let o = 0; o < 12; o += 4) fields.push({ offset: meta + o, size: 4 });
  }
  return fields.filter((f) => f.offset + f.size <= bytes.length);
}

function seed(name: string, bytes: Uint8Array): Seed {
  return { name, bytes, little: true, fields: fieldsOf(bytes) };
}

const full = { exports: ["PyInit__m", "helper"], imports: ["python313.dll", "KERNEL32.dll"], delayImports: ["python3.dll"], chpe: [{ start: 0x1000, length: 0x20, kind: 1 }, { start: 0x1020, length: 0x10, kind: 2 }] };
const builderSeeds = [seed("built PE32+", buildPe({ plus: true, ...full }).bytes), seed("built PE32", buildPe({ plus: false, ...full }).bytes)];
const fixtureSeeds = nativeFixtures("pe").map((f) => seed(f.file, readNativeFixture("pe", f.file)));

describe("parsePe under mutation", () => {
  it("parses every seed as written", () => {
    for (const s of [...builderSeeds, ...fixtureSeeds]) expect(() => parsePe(s.bytes), s.name).not.toThrow();
  });

  it("keeps its contract on mutated fixtures", () => {
    const stats = fuzzReader(fixtureSeeds, parsePe, "pe", { seed: 0x9e, numRuns: 5000 });
    expect(stats.errors).toBeGreaterThan(stats.runs / 10);
  });

  it("keeps its contract on mutated builder output", () => {
    fuzzReader(builderSeeds, parsePe, "pe", { seed: 0xb9e, numRuns: 3000 });
  });

  it("keeps its contract on every truncation of a fixture", () => {
    const bytes = readNativeFixture("pe", "ext_win_arm64ec.pyd");
    for (let length = 0; length <= bytes.length; length += 3) {
      try {
        parsePe(bytes.subarray(0, length));
      } catch (error) {
        expect((error as Error).name, String(error)).toBe("FormatError");
      }
    }
  });
});
