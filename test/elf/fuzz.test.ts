// Mutated ELF files must give data or a FormatError("elf") — never another exception, never a slow
// parse. Seeds: every ELF fixture and a few builder outputs (all four class / byte-order pairs).

import { describe, expect, it } from "vitest";
import * as C from "../../src/elf/constants.js";
import { parseElf } from "../../src/elf/index.js";
import { fuzzReader, type Field, type Seed } from "../fixtures/mutations.js";
import { nativeFixtures, readNativeFixture } from "../fixtures/native.js";
import { buildElf } from "./builder.js";

/** The fields worth overwriting, found by parsing the (well-formed) seed. */
function fieldsOf(bytes: Uint8Array): { little: boolean; fields: Field[] } {
  const elf = parseElf(bytes);
  const w = elf.bits === 64 ? 8 : 4;
  const word = w as 4 | 8;
  const at = 24 + 3 * w;
  const fields: Field[] = [
    { offset: 4, size: 1 },
    { offset: 5, size: 1 },
    { offset: 24 + w, size: word },
    { offset: 24 + 2 * w, size: word },
    ...[6, 8, 10, 12, 14].map((o): Field => ({ offset: at + o, size: 2 })),
  ];
  const phoff = C.EHDR_SIZE[elf.bits]; // every fixture's program headers follow the ELF header
  elf.segments.forEach((_s, i) => {
    const p = phoff + i * C.PHDR_SIZE[elf.bits];
    const offsets = elf.bits === 64 ? [8, 16, 32] : [4, 8, 16];
    for (const o of offsets) fields.push({ offset: p + o, size: word });
  });
  const shoffField = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = elf.bits === 64 ? Number(shoffField.getBigUint64(40, elf.little)) : shoffField.getUint32(32, elf.little);
  elf.sections.forEach((section, i) => {
    const s = shoff + i * C.SHDR_SIZE[elf.bits];
    fields.push({ offset: s, size: 4 }, { offset: s + 8 + 2 * w, size: word }, { offset: s + 8 + 3 * w, size: word }, { offset: s + 8 + 4 * w, size: 4 }, { offset: s + 12 + 4 * w, size: 4 }, { offset: s + 16 + 5 * w, size: word });
    if (section.type === C.SHT_GNU_VERNEED) for (let o = 0; o < Math.min(section.size, 96); o += 4) fields.push({ offset: section.offset + o, size: 4 });
    if (section.type === C.SHT_NOTE || section.type === C.SHT_ARM_ATTRIBUTES) for (let o = 0; o < Math.min(section.size, 32); o += 4) fields.push({ offset: section.offset + o, size: 4 });
  });
  const dynamic = elf.segments.find((s) => s.type === C.PT_DYNAMIC);
  if (dynamic) for (let o = 0; o < dynamic.fileSize; o += w) fields.push({ offset: dynamic.offset + o, size: word });
  for (const note of elf.segments.filter((s) => s.type === C.PT_NOTE)) fields.push({ offset: note.offset, size: 4 }, { offset: note.offset + 4, size: 4 });
  return { little: elf.little, fields };
}

function seed(name: string, bytes: Uint8Array): Seed {
  return { name, bytes, ...fieldsOf(bytes) };
}

const spec = { soname: "libx.so", runpath: "$ORIGIN", interp: "/lib/ld.so", verneed: [{ file: "libc.so.6", versions: ["GLIBC_2.17", "GLIBC_2.28"] }], notes: [{ owner: "Android", type: 1, desc: new Uint8Array(132) }] };
const builderSeeds: Seed[] = ([32, 64] as const).flatMap((bits) =>
  [true, false].flatMap((little) => [
    seed(`built ELF${bits} ${little ? "LSB" : "MSB"}`, buildElf({ bits, little, ...spec }).bytes),
    seed(`built ELF${bits} ${little ? "LSB" : "MSB"} without sections`, buildElf({ bits, little, sections: false, hash: "gnu", ...spec }).bytes),
  ]),
);
const fixtureSeeds: Seed[] = nativeFixtures("elf").map((f) => seed(f.file, readNativeFixture("elf", f.file)));

describe("parseElf under mutation", () => {
  it("parses every seed as written", () => {
    for (const s of [...builderSeeds, ...fixtureSeeds]) expect(() => parseElf(s.bytes), s.name).not.toThrow();
  });

  it("keeps its contract on mutated fixtures", () => {
    const stats = fuzzReader(fixtureSeeds, parseElf, "elf", { seed: 0xe1f, numRuns: 6000 });
    // Mutations that reach the checks: a good share of the runs must be rejected.
    expect(stats.errors).toBeGreaterThan(stats.runs / 10);
  });

  it("keeps its contract on mutated builder output", () => {
    fuzzReader(builderSeeds, parseElf, "elf", { seed: 0xb1f, numRuns: 3000 });
  });

  it("keeps its contract on every truncation of a fixture", () => {
    const bytes = readNativeFixture("elf", "ext_linux_x86_64_glibc2.28.so");
    for (let length = 0; length <= bytes.length; length++) {
      try {
        parseElf(bytes.subarray(0, length));
      } catch (error) {
        expect((error as Error).name, String(error)).toBe("FormatError");
      }
    }
  });
});
